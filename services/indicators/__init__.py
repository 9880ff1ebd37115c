"""The indicators service: Performance indicators, targets, realisations and server-computed achievement."""
SERVICE = "indicators"
