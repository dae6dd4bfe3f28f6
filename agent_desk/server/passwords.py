"""Password hashing with scrypt (stdlib). The cost parameters are stored in the hash, so
verification follows whatever cost a hash was made with. Passwords are never logged."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

DEFAULT_LOG_N = 14  # n = 16384, r = 8: ~40-60 ms per hash on these machines


def hash_password(password: str, *, log_n: int = DEFAULT_LOG_N) -> str:
    salt = os.urandom(16)
    n, r, p = 1 << log_n, 8, 1
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=128 << 20)
    b64 = base64.b64encode
    return f"scrypt${log_n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, log_n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, want = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        got = hashlib.scrypt(
            password.encode(), salt=salt, n=1 << int(log_n), r=int(r), p=int(p),
            maxmem=128 << 20, dklen=len(want),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)
