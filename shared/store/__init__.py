"""The aggregate store, the outbox and its relay, leases and the processed-event ledger: how state, events and audit records are kept in MongoDB."""
