"""Idempotency keys: a retried POST is answered from the stored response, never run twice."""
