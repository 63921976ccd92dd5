"""Opaque, prefixed, time-ordered ids (`skr_01j…`): sortable by creation, unguessable."""

import secrets
import threading
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
_RANDOM_BITS = 80
_lock = threading.Lock()
_last = 0


def _next_value() -> int:
    """48 bits of milliseconds then 80 random bits; within one millisecond, strictly increasing."""
    global _last
    with _lock:
        candidate = (time.time_ns() // 1_000_000) << _RANDOM_BITS | secrets.randbits(_RANDOM_BITS)
        # Several ids in one millisecond (a batch) keep their creation order: step past the last.
        _last = candidate if candidate > _last else _last + 1 + secrets.randbits(16)
        return _last


def new_id(prefix: str) -> str:
    """A new id: the prefix, then 26 base32 characters that sort in creation order."""
    value = _next_value()
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return f"{prefix}_{''.join(reversed(chars))}"
