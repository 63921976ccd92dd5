"""The text layer: turns the facts a step rests on into the words a seeker reads (pure)."""
