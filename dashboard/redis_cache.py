"""Django's Redis cache, reusing one client per connection pool.

Django's builds a `redis.Redis` around its pool for every operation, which costs more CPU
(~150 µs) than the round trip itself; a page makes several. A client over a pool is
thread-safe (each command borrows a connection), so one per pool serves every thread.
"""

from django.core.cache.backends import redis


class _Client(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:  # a race builds two, one of which is kept: harmless
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
