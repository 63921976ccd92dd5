"""The sweep: what time alone changes, when no event arrives."""
