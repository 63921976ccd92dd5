"""Problem types: the page behind every problem's `type`, saying what a `code` means."""
