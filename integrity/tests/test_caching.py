"""The project's Redis cache backend: Django's, with one client object per connection pool."""

import threading

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from integrity.caching import RedisCache
from integrity.settings.base import cache_entry

LOCATION = "redis://127.0.0.1:6379/9"


@pytest.fixture
def redis_cache():
    backend = RedisCache(LOCATION, {"KEY_PREFIX": "caching-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_every_call_uses_the_same_client_object(redis_cache):
    first = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b") is first
    assert redis_cache._cache.get_client("c", write=True) is first  # one server: one pool, one client
    assert first.connection_pool is redis_cache._cache._get_connection_pool(write=True)


def test_reads_and_writes_behave_as_with_djangos_backend(redis_cache):
    plain = DjangoRedisCache(LOCATION, {"KEY_PREFIX": "caching-test"})
    redis_cache.set("figures", {"in_force": 3, "titles": ["廉洁", "rules"]}, 60)
    assert plain.get("figures") == {"in_force": 3, "titles": ["廉洁", "rules"]}  # same keys, same values
    assert redis_cache.add("figures", "other") is False
    assert redis_cache.get_many(["figures", "missing"]) == {"figures": {"in_force": 3, "titles": ["廉洁", "rules"]}}
    redis_cache.set("count", 1)
    assert redis_cache.incr("count", 2) == 3
    assert redis_cache.get_or_set("computed", lambda: "value", 60) == "value"
    redis_cache.delete("figures")
    assert plain.get("figures") is None


def test_the_shared_client_serves_threads_at_once(redis_cache):
    errors = []

    def work(n):
        try:
            for i in range(50):
                redis_cache.set(f"thread-{n}-{i}", i)
                assert redis_cache.get(f"thread-{n}-{i}") == i
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert redis_cache.get_many([f"thread-{n}-49" for n in range(4)]) == {f"thread-{n}-49": 49 for n in range(4)}


def test_settings_put_the_project_backend_in_place_of_djangos_redis_backend():
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": LOCATION}
    assert cache_entry(redis) == {"BACKEND": "integrity.caching.RedisCache", "LOCATION": LOCATION}
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "integrity"}
    assert cache_entry(locmem) == locmem
