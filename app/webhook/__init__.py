"""Webhooks: signed, retried deliveries of what happened, from an outbox."""
