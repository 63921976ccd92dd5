"""Encryption at rest with the server key (`REBOUND_WEBHOOK_SECRET_KEY`, Fernet).

The setting may list several comma-separated keys: the first encrypts, every one decrypts, so the
server key can be rotated. Webhook signing secrets and stored idempotent responses (which may hold
a freshly issued secret) are sealed with it.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet

from app.core.config import get_settings


@lru_cache
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys.split(",")])


def seal(data: bytes) -> bytes:
    """`data` encrypted (and authenticated) under the server key."""
    return _fernet(get_settings().webhook_secret_key).encrypt(data)


def unseal(token: bytes) -> bytes:
    """What `seal` sealed."""
    return _fernet(get_settings().webhook_secret_key).decrypt(token)
