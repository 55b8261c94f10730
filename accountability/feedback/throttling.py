"""Rate limits of the public channel, counted in the Django cache, never in the database.

The per-client counter is keyed by a keyed hash of the client address, computed in memory for
the cache key only: the address itself is never stored, neither in the cache nor with a report.
The hash changes every day, so even the cache holds nothing linkable beyond a day.

Limits (settings, read at call time; defaults in brackets):

* FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR [10] — public reports and follow-up messages from one client
* FEEDBACK_REPORTS_GLOBAL_PER_MINUTE [60] — public reports and follow-up messages from everyone
* FEEDBACK_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR [10] — wrong receipt codes from one client
* FEEDBACK_RECEIPT_FAILURES_GLOBAL_PER_MINUTE [300] — wrong receipt codes from everyone
"""

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

HOUR = 3600
MINUTE = 60


@dataclass(frozen=True)
class Limit:
    bucket: str
    setting: str
    default: int
    window: int  # seconds
    per_client: bool

    @property
    def allowed(self) -> int:
        return int(getattr(settings, self.setting, self.default))


REPORT_CLIENT = Limit("report-client", "FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR", 10, HOUR, True)
REPORT_GLOBAL = Limit("report-global", "FEEDBACK_REPORTS_GLOBAL_PER_MINUTE", 60, MINUTE, False)
RECEIPT_CLIENT = Limit("receipt-client", "FEEDBACK_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR", 10, HOUR, True)
RECEIPT_GLOBAL = Limit("receipt-global", "FEEDBACK_RECEIPT_FAILURES_GLOBAL_PER_MINUTE", 300, MINUTE, False)

REPORT_LIMITS = (REPORT_CLIENT, REPORT_GLOBAL)
RECEIPT_LIMITS = (RECEIPT_CLIENT, RECEIPT_GLOBAL)


def client_fingerprint(request) -> str:
    """A daily-rotating keyed hash of the client address; lives only in the cache key."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    day = timezone.now().strftime("%Y-%m-%d")
    key = (getattr(settings, "FEEDBACK_RECEIPT_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(key, f"throttle:{day}:{address}".encode(), hashlib.sha256).hexdigest()[:32]


def _cache_key(limit: Limit, fingerprint: str) -> str:
    window_index = int(time.time() // limit.window)
    who = fingerprint if limit.per_client else "all"
    return f"feedback:rl:{limit.bucket}:{who}:{window_index}"


def exceeded(request, limits) -> Limit | None:
    """The first limit already used up for this client (or for everyone), else None."""
    fingerprint = client_fingerprint(request)
    for limit in limits:
        if (cache.get(_cache_key(limit, fingerprint)) or 0) >= limit.allowed:
            return limit
    return None


def hit(request, limits) -> None:
    """Count one use against each limit."""
    fingerprint = client_fingerprint(request)
    for limit in limits:
        key = _cache_key(limit, fingerprint)
        cache.add(key, 0, timeout=limit.window + 5)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.window + 5)


def take(request, limits) -> Limit | None:
    """Check and count in one go: the limit that refuses this use, or None (and the use is counted)."""
    refused = exceeded(request, limits)
    if refused is None:
        hit(request, limits)
    return refused
