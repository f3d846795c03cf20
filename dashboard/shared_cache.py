"""Whether the cache CACHE_URL names is one every process shares (Redis) or each process's own
(the default, in memory). Settings read it to choose the shared cache (settings.py), and the
server to choose its number of processes (gunicorn.conf.py), before Django starts."""

DEFAULT_CACHE_URL = "locmemcache://"
_PER_PROCESS_BACKENDS = ("locmem.LocMemCache", "dummy.DummyCache")


def is_shared(backend: str) -> bool:
    """Whether a cache of this BACKEND (a dotted path) is seen by every process."""
    return not backend.endswith(_PER_PROCESS_BACKENDS)
