from django.core.cache import cache
from django.test import RequestFactory, override_settings

from accountability.feedback import throttling


def _request(address="203.0.113.7"):
    return RequestFactory().post("/report/", REMOTE_ADDR=address)


@override_settings(FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR=3, FEEDBACK_REPORTS_GLOBAL_PER_MINUTE=100)
def test_a_client_is_refused_after_its_hourly_limit_and_others_are_not():
    for _ in range(3):
        assert throttling.take(_request(), throttling.REPORT_LIMITS) is None
    assert throttling.take(_request(), throttling.REPORT_LIMITS) == throttling.REPORT_CLIENT
    assert throttling.take(_request("198.51.100.9"), throttling.REPORT_LIMITS) is None


@override_settings(FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR=100, FEEDBACK_REPORTS_GLOBAL_PER_MINUTE=4)
def test_the_global_limit_counts_every_client_together():
    for i in range(4):
        assert throttling.take(_request(f"198.51.100.{i}"), throttling.REPORT_LIMITS) is None
    assert throttling.take(_request("192.0.2.200"), throttling.REPORT_LIMITS) == throttling.REPORT_GLOBAL


def test_defaults_are_documented_values():
    assert throttling.REPORT_CLIENT.allowed == 10
    assert throttling.REPORT_GLOBAL.allowed == 60
    assert throttling.RECEIPT_CLIENT.allowed == 10
    assert throttling.RECEIPT_GLOBAL.allowed == 300


def test_exceeded_does_not_count_and_hit_does():
    request = _request()
    with override_settings(FEEDBACK_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR=2):
        assert throttling.exceeded(request, throttling.RECEIPT_LIMITS) is None
        assert throttling.exceeded(request, throttling.RECEIPT_LIMITS) is None
        throttling.hit(request, throttling.RECEIPT_LIMITS)
        throttling.hit(request, throttling.RECEIPT_LIMITS)
        assert throttling.exceeded(request, throttling.RECEIPT_LIMITS) == throttling.RECEIPT_CLIENT


def test_the_client_address_never_appears_in_the_cache():
    address = "203.0.113.77"
    throttling.hit(_request(address), throttling.REPORT_LIMITS)
    fingerprint = throttling.client_fingerprint(_request(address))
    assert address not in fingerprint
    keys = list(cache._cache.keys())  # LocMemCache in tests
    assert keys and not any(address in key for key in keys)
    assert any(fingerprint in key for key in keys)


def test_taking_both_limits_reads_once_and_writes_once_per_limit(monkeypatch):
    calls = []
    for name in ("get_many", "add", "incr", "set"):
        method = getattr(cache, name)
        monkeypatch.setattr(cache, name, lambda *a, _m=method, _n=name, **k: calls.append(_n) or _m(*a, **k))
    assert throttling.take(_request(), throttling.REPORT_LIMITS) is None
    assert calls == ["get_many", "add", "add"]  # a new window: the counters are created
    calls.clear()
    assert throttling.take(_request(), throttling.REPORT_LIMITS) is None
    assert calls == ["get_many", "incr", "incr"]
    assert list(
        cache.get_many(
            [
                throttling._cache_key(limit, throttling.client_fingerprint(_request()))
                for limit in throttling.REPORT_LIMITS
            ]
        ).values()
    ) == [2, 2]


def test_a_counter_that_expired_after_it_was_read_is_created_again():
    request = _request()
    throttling.take(request, throttling.REPORT_LIMITS)
    cache.clear()
    throttling.hit(request, throttling.REPORT_LIMITS)
    key = throttling._cache_key(throttling.REPORT_CLIENT, throttling.client_fingerprint(request))
    assert cache.get(key) == 1


REDIS_CACHE = {"default": {"BACKEND": "integrity.caching.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}}


@override_settings(CACHES=REDIS_CACHE, FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR=3, FEEDBACK_REPORTS_GLOBAL_PER_MINUTE=100)
def test_on_redis_both_limits_are_counted_in_one_round_trip_and_refusals_are_not_counted(monkeypatch):
    from django.core.cache import caches

    redis_cache = caches["default"]
    redis_cache.clear()
    client = redis_cache._cache.get_client(write=True)
    executed = []
    pipeline_class = type(client.pipeline())
    original = pipeline_class.execute
    monkeypatch.setattr(pipeline_class, "execute", lambda self, *a, **k: executed.append(1) or original(self, *a, **k))
    try:
        for _ in range(3):
            assert throttling.take(_request(), throttling.REPORT_LIMITS) is None
        assert len(executed) == 3  # one round trip per allowed use
        assert throttling.take(_request(), throttling.REPORT_LIMITS) == throttling.REPORT_CLIENT
        fingerprint = throttling.client_fingerprint(_request())
        keys = [throttling._cache_key(limit, fingerprint) for limit in throttling.REPORT_LIMITS]
        assert list(redis_cache.get_many(keys).values()) == [3, 3]  # the refused use was taken back
        ttl = client.ttl(redis_cache.make_and_validate_key(keys[0]))
        assert 0 < ttl <= throttling.HOUR + 5
        assert throttling.take(_request("198.51.100.9"), throttling.REPORT_LIMITS) is None
    finally:
        redis_cache.clear()
