"""The reforms service: Reform activities (FGDs, trainings, value internalisation) across the eight areas of change."""
SERVICE = "reforms"
