"""The Redis cache backend (dashboard/redis_cache.py) builds one client per connection pool,
not one per operation as Django's does."""

from django.core.cache.backends.redis import RedisCache as DjangosRedisCache

from dashboard.redis_cache import RedisCache


def test_each_operation_reuses_its_pools_client():
    cache = RedisCache("redis://127.0.0.1:6379/9", {})
    client = cache._cache.get_client("a")

    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("a", write=True) is client  # one server: one pool
    assert client.connection_pool is cache._cache._get_connection_pool(write=False)


def test_djangos_own_builds_a_client_per_operation():
    # What the subclass exists for: if Django starts reusing its client, it can go.
    cache = DjangosRedisCache("redis://127.0.0.1:6379/9", {})

    assert cache._cache.get_client("a") is not cache._cache.get_client("a")
