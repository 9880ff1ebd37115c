"""Kinerja's public tooling for other code bases: the pytest plugin (kinerja.testing)."""
