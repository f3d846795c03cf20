"""Logging configuration: readable lines, or one JSON object a line (LOG_FORMAT=json) for a
log collector. Either way every record carries the request id (dashboard/request_id.py), and
gunicorn's own records use the same format.
"""

FORMATS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
}


def logging_config(log_format: str, level: str) -> dict:
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "dashboard.request_id.RequestIdFilter"}},
        "formatters": {"default": FORMATS[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
            # django-axes logs each successful login and logout at INFO (a name and an address
            # per line); failed logins and lockouts, worth seeing, are WARNING.
            "axes": {"level": "WARNING"},
            # Requests are logged once, with their request id, by dashboard.request_id.
            "django.server": {"level": "WARNING"},
            # gunicorn's own records (start, workers, shutdown) go through the root handler.
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
        },
    }
