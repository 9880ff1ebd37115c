"""Use cases of the indicators service: (context, input) -> result, or a domain error. They know nothing
of Flask, HTTP or MongoDB; each writes one aggregate with its event and audit record (shared.store)."""
