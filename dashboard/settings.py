"""Patchbay settings: every value comes from the environment (or `.env`), see .env.example."""

from pathlib import Path

import environ

from dashboard.log_config import logging_config
from dashboard.shared_cache import DEFAULT_CACHE_URL, is_shared

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "dashboard.embedded_api",
    # Before accounts: its permissions exist by the time accounts' post_migrate syncs the roles.
    "dashboard.environments",
    "dashboard.accounts",
    "dashboard.connectors",
    "dashboard.versions",
    "dashboard.connections",
    "dashboard.library",
    "dashboard.demo",
    "dashboard.bulk",
    "dashboard.promotion",
]

MIDDLEWARE = [
    # First, so it sees every response (static files too): no-store for signed-in users, and
    # a Server header without a version.
    "dashboard.response_headers.ResponseHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dashboard.request_id.RequestIdMiddleware",
    # Before anything that reads the path: /env/<slug>/... shows that environment, with the
    # prefix stripped from path_info and added to every reversed URL (docs/environments.md).
    "dashboard.environments.middleware.EnvironmentMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dashboard.accounts.audit.CurrentUserMiddleware",
    "dashboard.accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication: turns a locked-out login into django-axes' lockout response.
    "axes.middleware.AxesMiddleware",
    "dashboard.web.toasts.HtmxMessagesMiddleware",
    # Last, so its process_exception sees Connect API failures first: an error panel, no traceback.
    "dashboard.web.upstream.UpstreamErrorMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.backend",
                "dashboard.context_processors.navigation",
                "dashboard.context_processors.role",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'patchbay.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (a threaded server, in-process API calls) wait their turn instead of
    # failing with "database is locked": WAL lets readers run beside the one writer,
    # BEGIN IMMEDIATE takes the write lock up front (a read lock cannot be upgraded while
    # another connection writes, and that fails at once), and `timeout` is how long to wait
    # (below CONNECT_API_TIMEOUT, so the dashboard hears "busy", not a time-out).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=5.0),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Tests only: the test database's name. Unset, SQLite tests run in memory, where writers
# cannot work side by side; `make test` runs the concurrent-writer tests again on a file.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default=DEFAULT_CACHE_URL)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's, but one Redis client per connection pool instead of one per operation.
    CACHES["default"]["BACKEND"] = "dashboard.redis_cache.RedisCache"
# "shared": the cache every process sees, for what must agree across processes (sessions,
# dashboard/accounts/sessions.py; the environments list, dashboard/environments/registry.py).
# With a per-process cache there is none: a dummy, so those read the database every time
# (a session ended in one process would otherwise live on in another).
SHARED_CACHE_ALIAS = "shared"
CACHES[SHARED_CACHE_ALIAS] = (
    CACHES["default"]
    if is_shared(CACHES["default"]["BACKEND"])
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)
SESSION_CACHE_ALIAS = SHARED_CACHE_ALIAS

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Sessions end after this many seconds without a request (to within a minute: the engine
# pushes the expiry forward at most once a minute, rather than writing on every request).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_ENGINE = "dashboard.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The CSRF token reaches htmx through the page (base.html), never through script reading this.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "dashboard.accounts.views.csrf_failure"
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
# Opt-ins: only right when every subdomain is HTTPS-only too (and for the browsers' preload list).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Only the TLS-terminating proxy sees plain HTTP; turn this on when nothing in front redirects.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Load balancers probe each instance over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Whether HSTS covers subdomains and the preload list is a decision about the whole domain,
# left to the two settings above; `check --deploy` need not repeat it.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients), so
# Django knows the request was HTTPS: needed for HSTS and for CSRF's origin check.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): our own scripts and styles only, no inline code, no
# eval (so htmx `hx-on`/`js:` expressions cannot run), never framed. Images may come from any
# HTTPS site: connector logos (`imageURL`) live on their vendors' sites. The one per-page
# exception: a connection's page lets its "Connect" form go to the OAuth 2.0 providers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one username from
# one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES. Attempts are kept in the
# database so every worker process sees them (a per-process cache would not) and admins can
# clear a lockout in the Django admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the dashboard's permissions set by the user's role in the
    # environment being shown (dashboard/environments/roles.py).
    "dashboard.environments.roles.EnvironmentRoleBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind a reverse proxy, the number of proxies in front, so the client address is read from
# X-Forwarded-For; unset, the connecting address is used.
AXES_IPWARE_PROXY_COUNT = env.int("LOGIN_THROTTLE_PROXY_COUNT", default=None)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# Absolute, so that pages under an environment's prefix (/env/<slug>/) share one copy.
STATIC_URL = "/static/"
# `manage.py collectstatic` writes here; production serves these (WhiteNoise, compressed).
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# htmx and other front-end packages come from npm into node_modules (git-ignored).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/tinykeys", BASE_DIR / "node_modules" / "tinykeys" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production (DEBUG false) serves collectstatic's output: file names carry a content hash,
    # so WhiteNoise sends them gzip/Brotli-compressed and cacheable for a year (its storage, each
    # URL worked out once: dashboard/static_storage.py).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "dashboard.static_storage.StaticFilesStorage"
    },
}
# Development serves the sources directly, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG

# --- Connect API -------------------------------------------------------------------------
# Unset CONNECT_API_URL = embedded mode: the dashboard talks to the Connect API implementation
# in dashboard.embedded_api, in process, and manages the demo organisation.
CONNECT_API_URL = env.str("CONNECT_API_URL", default="")
CONNECT_API_TOKEN = env.str("CONNECT_API_TOKEN", default="")
CONNECT_ORGANISATION_ID = env.str("CONNECT_ORGANISATION_ID", default="01JQ0PATCHBAY0DEM0RGAN1SAT")
# The default environment is the target above; these name it in the header and in URLs.
CONNECT_ENVIRONMENT_SLUG = env.str("CONNECT_ENVIRONMENT_SLUG", default="production")
CONNECT_ENVIRONMENT_NAME = env.str("CONNECT_ENVIRONMENT_NAME", default="Production")
CONNECT_ENVIRONMENT_COLOUR = env.str("CONNECT_ENVIRONMENT_COLOUR", default="red")
# More environments (docs/environments.md): CONNECT_ENVIRONMENTS=staging,qa, then for each
# CONNECT_<SLUG>_API_URL (empty: embedded), _API_TOKEN, _ORGANISATION_ID, _NAME, _COLOUR.
CONNECT_ENVIRONMENTS = [
    {
        "slug": slug,
        **{
            part.lower(): env.str(f"CONNECT_{slug.upper().replace('-', '_')}_{part}", default="")
            for part in ("API_URL", "API_TOKEN", "ORGANISATION_ID", "NAME", "COLOUR")
        },
    }
    for slug in env.list("CONNECT_ENVIRONMENTS", default=[])
]
# Fernet key(s) encrypting the API keys of environments added in the dashboard (comma-separated
# to rotate: the first encrypts, any decrypts). Default: EMBEDDED_API_ENCRYPTION_KEY's.
ENVIRONMENTS_ENCRYPTION_KEY = env.str(
    "ENVIRONMENTS_ENCRYPTION_KEY", default=env.str("EMBEDDED_API_ENCRYPTION_KEY", default="")
)
CONNECT_API_TIMEOUT = env.float("CONNECT_API_TIMEOUT", default=10.0)
CONNECT_API_RETRIES = env.int("CONNECT_API_RETRIES", default=2)
# Seconds to establish a connection (within CONNECT_API_TIMEOUT, each call's total deadline).
CONNECT_API_CONNECT_TIMEOUT = env.float("CONNECT_API_CONNECT_TIMEOUT", default=3.0)
# After this many consecutive failures (transport errors, 5xx) calls fail fast for the cool-down.
CONNECT_API_BREAKER_THRESHOLD = env.int("CONNECT_API_BREAKER_THRESHOLD", default=5)
CONNECT_API_BREAKER_COOLDOWN = env.float("CONNECT_API_BREAKER_COOLDOWN", default=30.0)
# Bearer token that shows /healthz's details (latency, the Connect API's URL, error texts) to a
# monitor; without it only signed-in admins see them. Empty: no token works.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")
if not CONNECT_API_URL:
    # The host name the in-process transport uses for the embedded API (never resolved).
    ALLOWED_HOSTS.append("embedded-connect-api")
# Wiring, not configuration: the function that signs the dashboard's token for the embedded
# API, named here so that the service layer never imports the embedded API.
CONNECT_EMBEDDED_TOKEN = "dashboard.embedded_api.auth.service_token"
# The transport that carries the dashboard's calls to the embedded API (given WEB_THREADS): its
# own worker threads and database connections. Tests swap in one that answers on the calling
# thread, inside the test's transaction (tests/in_process.py).
CONNECT_EMBEDDED_TRANSPORT = "dashboard.connect.embedded.InProcessTransport"

# --- Embedded Connect API -------------------------------------------------------------------
# Key that encrypts credential data at rest (a Fernet key; `make run` generates one into .env).
EMBEDDED_API_ENCRYPTION_KEY = env.str("EMBEDDED_API_ENCRYPTION_KEY", default="")
# Largest OpenAPI document accepted for import, in bytes.
OPENAPI_MAX_BYTES = env.int("OPENAPI_MAX_BYTES", default=20 * 1024 * 1024)
# An uploaded document is read whole into memory to be parsed: spooling it to a temporary file
# first (Django's default above 2.5 MB) would only add a write and a read.
FILE_UPLOAD_MAX_MEMORY_SIZE = OPENAPI_MAX_BYTES
# Only tests turn this on: lets requests made on a user's behalf (dashboard.outbound: import by
# URL, the OAuth 2.0 token exchange) reach loopback addresses. Its former name still works.
OUTBOUND_ALLOW_LOOPBACK = env.bool(
    "OUTBOUND_ALLOW_LOOPBACK", default=env.bool("OPENAPI_FETCH_ALLOW_LOOPBACK", default=False)
)
# Total deadline for downloading a document to import by URL, redirects included (seconds).
OPENAPI_FETCH_TIMEOUT = env.float("OPENAPI_FETCH_TIMEOUT", default=15.0)
# Public base URL used in links the embedded API hands out (schema URLs, upload URLs, demo
# logos). By default the address `make run` serves (HOST and PORT); behind a proxy, its URL.
EMBEDDED_API_PUBLIC_URL = env.str(
    "EMBEDDED_API_PUBLIC_URL",
    default=f"http://{env.str('HOST', default='127.0.0.1')}:{env.int('PORT', default=8000)}"
    "/api/connect/v1",
)

# --- Serving (gunicorn.conf.py reads the same variables) -------------------------------------
# Requests one process serves at once (dashboard/admission.py); the in-process Connect API
# gets as many worker threads, so a request never waits for one.
WEB_THREADS = env.int("WEB_THREADS", default=8)
# Seconds a request waits for a turn before a `503` with `Retry-After`. Long enough that a
# brief peak at full load is queued rather than refused (at 3 s, 50 users on 2 cores got a few
# 503s); short enough that a real overload is refused in seconds, well before clients give up.
WEB_QUEUE_TIMEOUT = env.float("WEB_QUEUE_TIMEOUT", default=10.0)

# Plain lines, or one JSON object per line for a log collector (see dashboard/log_config.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = logging_config(LOG_FORMAT, env.str("LOG_LEVEL", default="INFO"))

# --- Overview ------------------------------------------------------------------------------
# The home page's counts and charts walk the whole estate (in the background): at most this often.
OVERVIEW_CACHE_SECONDS = env.int("OVERVIEW_CACHE_SECONDS", default=300)
# A draft older than this many days is listed under "Needs attention".
OVERVIEW_STALE_DRAFT_DAYS = env.int("OVERVIEW_STALE_DRAFT_DAYS", default=14)
