"""The indicators service: performance indicators, targets, realisations and server-computed achievement
(service.py)."""
