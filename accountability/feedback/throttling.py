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


def _counts(fingerprint: str, limits) -> list[tuple[Limit, str, int | None]]:
    """Each limit with its cache key and current count (None: not used in this window): one get_many."""
    keys = [_cache_key(limit, fingerprint) for limit in limits]
    values = cache.get_many(keys)
    return [(limit, key, values.get(key)) for limit, key in zip(limits, keys, strict=True)]


def _refused(counts) -> Limit | None:
    return next((limit for limit, _key, used in counts if (used or 0) >= limit.allowed), None)


def _count_one(limit: Limit, key: str, *, is_new: bool = False) -> None:
    """Add one use, atomically: a counter known to be new is created with add(), any other is
    incremented; each falls back to the other when the counter appeared or expired meanwhile."""
    timeout = limit.window + 5
    if is_new and cache.add(key, 1, timeout=timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # not there (any more)
        if not cache.add(key, 1, timeout=timeout):
            cache.incr(key)


def exceeded(request, limits) -> Limit | None:
    """The first limit already used up for this client (or for everyone), else None."""
    return _refused(_counts(client_fingerprint(request), limits))


def hit(request, limits) -> None:
    """Count one use against each limit."""
    fingerprint = client_fingerprint(request)
    for limit in limits:
        _count_one(limit, _cache_key(limit, fingerprint))


def take(request, limits) -> Limit | None:
    """Check and count in one go: the limit that refuses this use, or None (and the use is counted).

    On Redis (production): one round trip for every limit (see _take_in_redis). On other caches: one
    get_many for every limit, then one add or incr per limit."""
    fingerprint = client_fingerprint(request)
    redis_cache = _redis_cache()
    if redis_cache is not None:
        return _take_in_redis(redis_cache, fingerprint, limits)
    counts = _counts(fingerprint, limits)
    refused = _refused(counts)
    if refused is None:
        for limit, key, used in counts:
            _count_one(limit, key, is_new=used is None)
    return refused


def _redis_cache():
    """The default cache when it is Django's Redis backend, else None."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) else None


def _take_in_redis(redis_cache, fingerprint: str, limits) -> Limit | None:
    """Every counter created with its expiry if new (SET NX EX) and incremented (INCR), all in one
    pipeline: one round trip, atomic per counter. A refused use is taken back (DECR) so that, as on
    other caches, only allowed uses count. The counters stay readable through the cache API."""
    keys = [redis_cache.make_and_validate_key(_cache_key(limit, fingerprint)) for limit in limits]
    client = redis_cache._cache.get_client(keys[0], write=True)
    with client.pipeline(transaction=False) as pipe:
        for limit, key in zip(limits, keys, strict=True):
            pipe.set(key, 0, ex=limit.window + 5, nx=True)
            pipe.incr(key)
        counts = pipe.execute()[1::2]
    refused = next((limit for limit, used in zip(limits, counts, strict=True) if used > limit.allowed), None)
    if refused is not None:
        with client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.decr(key)
            pipe.execute()
    return refused
