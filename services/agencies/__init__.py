"""The agencies service: the registry of agencies, from ministries down to work units (service.py)."""
