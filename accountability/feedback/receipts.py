"""Receipt codes for anonymous senders: random, 80 bits, easy to copy, stored only as a keyed hash.

A code is 16 symbols from Crockford's base-32 alphabet (no I, L, O or U, so nothing looks
alike), shown as four groups: ``7K3M-Q9TX-2HVD-4WPA``. Typed input is normalised (case, spaces,
dashes, and O/I/L read as 0/1/1), so a code read over the phone still works.

The code is derived from the submission form's one-time token with a server key: a form sent
twice (a double click) creates one item and shows the same code both times, while the token
itself is stored only as a SHA-256 digest, so the database alone never yields the code.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _key() -> bytes:
    """The receipt key: FEEDBACK_RECEIPT_KEY, else derived from SECRET_KEY (read at call time)."""
    secret = getattr(settings, "FEEDBACK_RECEIPT_KEY", "") or settings.SECRET_KEY
    return hmac.new(secret.encode(), b"integrity.feedback.receipt", hashlib.sha256).digest()


def _encode(data: bytes) -> str:
    number = int.from_bytes(data[:10], "big")  # 80 bits
    symbols = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        symbols.append(ALPHABET[index])
    return "".join(reversed(symbols))


def format_code(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX"""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def new_token() -> str:
    """A one-time form token (128 random bits)."""
    return secrets.token_urlsafe(16)


def token_digest(token: str) -> str:
    """What is stored of a form token: its SHA-256 digest."""
    return hashlib.sha256(f"feedback-token:{token}".encode()).hexdigest()


def code_for_token(token: str) -> str:
    """The receipt code belonging to a submission token, formatted."""
    digest = hmac.new(_key(), f"receipt-code:{token}".encode(), hashlib.sha256).digest()
    return format_code(_encode(digest))


def random_code() -> str:
    """A fresh random code, formatted (for codes not tied to a form)."""
    return format_code(_encode(secrets.token_bytes(10)))


def normalise(raw: str) -> str | None:
    """The 16 symbols of a typed code, or None when it cannot be a code."""
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    cleaned = "".join(ch for ch in raw.upper() if ch not in " -_\t\r\n").translate(_READ_AS)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def hash_code(code: str) -> str:
    """HMAC-SHA256 of a (normalised) code; what the database keeps."""
    normal = normalise(code) or ""
    return hmac.new(_key(), f"receipt:{normal}".encode(), hashlib.sha256).hexdigest()


def lookup_hash(raw: str) -> str:
    """The hash to look a typed code up by. Malformed input gets a hash that matches nothing,
    computed the same way, so wrong and malformed codes take the same path and time."""
    normal = normalise(raw)
    if normal is None:
        normal = "malformed:" + secrets.token_hex(8)
    return hmac.new(_key(), f"receipt:{normal}".encode(), hashlib.sha256).hexdigest()


def matches(code_hash: str, stored_hash: str | None) -> bool:
    """Constant-time comparison of two hashes."""
    return bool(stored_hash) and hmac.compare_digest(code_hash, stored_hash)
