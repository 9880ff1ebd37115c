"""The agency dashboard: static files (dashboard/static) and the server that hands them to browsers."""
