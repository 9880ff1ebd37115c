"""Local read models of other services' aggregates, kept from their events."""
