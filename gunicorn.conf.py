"""Gunicorn settings for `make run` and the container (`gunicorn -c gunicorn.conf.py`).

Threaded workers (gthread): a page waits on its in-process Connect API calls and on the
database, so threads keep a process busy while one waits. Each process serves WEB_THREADS
requests at once (dashboard/admission.py); a request waits at most WEB_QUEUE_TIMEOUT seconds
from when it was accepted, then gets a 503 with Retry-After. Every queue is bounded.
"""

import os
from pathlib import Path

import environ

from dashboard.log_config import logging_config
from dashboard.shared_cache import DEFAULT_CACHE_URL, is_shared

# The same .env the settings read (the environment wins), so WEB_* and LOG_* apply here too.
environ.Env.read_env(Path(__file__).resolve().parent / ".env")
_threads = int(os.environ.get("WEB_THREADS", "8"))

bind = os.environ.get("HOST", "127.0.0.1") + ":" + os.environ.get("PORT", "8000")
# A per-process cache (the default, locmemcache://) is one process's alone, yet a spec upload
# kept between its preview and its import (dashboard/imports/store.py) must be found by the
# process the next request reaches: so one process unless the cache is shared (Redis).
_cache = environ.Env.cache_url_config(os.environ.get("CACHE_URL", DEFAULT_CACHE_URL))
workers = int(os.environ.get("WEB_CONCURRENCY", "2" if is_shared(_cache["BACKEND"]) else "1"))
# gthread, noting when each request was queued (dashboard/server_worker.py).
worker_class = "dashboard.server_worker.QueueTimedThreadWorker"
# Beyond the WEB_THREADS serving, threads that hand out quick 503s to requests out of time.
threads = _threads * 2
# Connections are accepted as they come, so their wait is timed; past this many a process
# accepts no more and the rest wait in the kernel's backlog. Both bounded.
worker_connections = 256
backlog = 256
keepalive = 5
# A request running this long is stuck: its worker is restarted.
timeout = 60
# SIGTERM: stop accepting, let in-flight requests finish for up to this long, then exit.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
# Recycle each process after a few thousand requests, so no slow leak grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Load the app before forking: a broken configuration fails at start, not per worker.
preload_app = True
# Request lines and headers of sane sizes only.
limit_request_line = 8190
limit_request_fields = 100
# No access log here: dashboard/request_id.py logs each request with its id.
accesslog = None
# No control socket (gunicornc): nothing here uses it, and it would need a writable $HOME.
no_control_socket = True
logconfig_dict = logging_config(
    os.environ.get("LOG_FORMAT", "plain"), os.environ.get("LOG_LEVEL", "INFO")
)
