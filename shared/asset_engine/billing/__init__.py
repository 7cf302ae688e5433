"""Credits, the ledger, idempotency keys and usage events."""
