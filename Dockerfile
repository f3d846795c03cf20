# Patchbay's image. Every step here is also `make image-steps`, which CI runs outside a
# container (base images could not be pulled where this was written: see the README).

# --- npm packages (htmx) -----------------------------------------------------------------
FROM node:22-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# --- Python dependencies from uv.lock, then the collected static files ----------------------
FROM python:3.12-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY --from=assets /app/node_modules/htmx.org/dist node_modules/htmx.org/dist
COPY manage.py gunicorn.conf.py ./
COPY dashboard dashboard
COPY templates templates
COPY static static
RUN DEBUG=false SECRET_KEY=collectstatic-only STATIC_ROOT=/app/staticfiles \
    .venv/bin/python manage.py collectstatic --noinput

# --- Runtime: Python, the virtual environment, the code and the collected files --------------
FROM python:3.12-slim-bookworm AS runtime
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin patchbay
WORKDIR /app
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DEBUG=false \
    HOST=0.0.0.0 \
    PORT=8000 \
    STATIC_ROOT=/app/staticfiles
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# gunicorn.conf.py: graceful stop on SIGTERM (docker stop), processes and threads from WEB_*.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "dashboard.wsgi"]
