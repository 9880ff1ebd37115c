"""Event contracts of every producing service. Importing this package registers them all."""
from shared.contracts import agencies  # noqa: F401
