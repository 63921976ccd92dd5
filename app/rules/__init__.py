"""The rule engine: pure functions from a rejection and its history to explained next steps."""
