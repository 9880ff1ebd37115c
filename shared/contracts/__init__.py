"""Event contracts of every producing service. Importing this package registers them all."""
from shared.contracts import agencies, indicators, reforms  # noqa: F401
