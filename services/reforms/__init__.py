"""The reforms service: reform activities across the eight areas of change (service.py)."""
