"""The publisher/platform contract of PLATFORM_API.md shared by both sides:
money formatting, the mobile-user password verifier, size limits.

Pure Python, no I/O: the platform service imports it beside the catalogue.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from decimal import ROUND_HALF_UP, Decimal

API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 10 * 1024 * 1024

SCRYPT_N = 16384
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_SALT_BYTES = 16
SCRYPT_KEY_BYTES = 32

_CENT = Decimal("0.01")


def money(value) -> str:
    """Round once to the cent, half away from zero, as a decimal string."""
    if value is None:
        value = 0
    if not isinstance(value, Decimal):
        # str() first: a float's repr is the shortest text that reads back the same,
        # so 0.1 becomes Decimal("0.1") and not its binary expansion.
        value = Decimal(str(value))
    rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = Decimal("0.00")
    return f"{rounded:.2f}"


def make_verifier(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
                  salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$SALT$KEY` with SALT and KEY in standard base64."""
    if salt is None:
        salt = os.urandom(SCRYPT_SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                         dklen=SCRYPT_KEY_BYTES, maxmem=256 * 1024 * 1024)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${n}${r}${p}${b64(salt)}${b64(key)}"


def parse_verifier(verifier: str) -> tuple[int, int, int, bytes, bytes]:
    """Split a verifier; ValueError with a sentence when it is malformed."""
    parts = verifier.split("$") if isinstance(verifier, str) else []
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("password_verifier must be scrypt$N$r$p$SALT$KEY.")
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (ValueError, TypeError):
        raise ValueError("password_verifier must be scrypt$N$r$p$SALT$KEY with base64 SALT and KEY.") from None
    if n < SCRYPT_N or n & (n - 1) or not (1 <= r <= 32) or not (1 <= p <= 16):
        raise ValueError("password_verifier needs N a power of two of at least 16384, r 1-32 and p 1-16.")
    if len(salt) != SCRYPT_SALT_BYTES or len(key) != SCRYPT_KEY_BYTES:
        raise ValueError("password_verifier needs a 16-byte salt and a 32-byte key.")
    return n, r, p, salt, key


def check_verifier(verifier: str, password: str) -> bool:
    """Constant-time check of a password against a verifier."""
    try:
        n, r, p, salt, key = parse_verifier(verifier)
    except ValueError:
        return False
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                               dklen=len(key), maxmem=256 * 1024 * 1024)
    return hmac.compare_digest(candidate, key)
