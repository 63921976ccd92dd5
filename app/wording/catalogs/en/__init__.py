"""English templates (the default catalog)."""
