"""The Redis cache backend, with one client object per connection pool.

Django's Redis backend builds a new ``redis.Redis`` object for every cache call, and each one fills a
table of some 170 response callbacks: on this project's pages that is a quarter of the time of a
cache read (the session on every page, the home page's figures). A ``redis.Redis`` object holds no
connection of its own (it takes one from its pool for each command) and is safe to share between
threads, so one per pool serves every call.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's RedisCache (same options, same keys and values) with SharedClientRedisCacheClient."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
