"""Kinerja's shared building blocks: each mechanism (settings, logging, events, outbox, consumers,
projections, HTTP errors and ops endpoints) lives here once and every service uses it."""
