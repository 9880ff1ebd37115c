"""Use cases of the agencies service: (context, input) -> result, or a domain error.

They know nothing of Flask, HTTP or MongoDB: the caller is a Principal, the data comes from an
AgencyRepository, and refusals are shared.errors. Each checks the caller's scope and the registry's
rules, then writes the state change, its event and its audit record in one write (shared.store)."""
