"""The rules of reform activities, free of Flask, HTTP and MongoDB."""
