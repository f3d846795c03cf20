"""Patchbay served as in production, for tests and benchmarks: gunicorn processes on loopback
ports, DEBUG off, static files collected, sharing whatever database and cache they are given.
"""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import psycopg
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "serving-tests-" + "k" * 50
ENCRYPTION_KEY = Fernet.generate_key().decode()
ORGANISATION = "01JQ0PATCHBAY0DEM0RGAN1SAT"  # the demo organisation, CONNECT_ORGANISATION_ID


def production_env(database_url: str, cache_url: str, work: Path, **overrides) -> dict:
    """The documented production settings, over plain HTTP on loopback (so cookies are not
    marked Secure), with the demo users' password known."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "CONNECT_API_URL": "",
        "EMBEDDED_API_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "STATIC_ROOT": str(work / "static"),
        "OPS_PASSWORD": "ops-serving-password",
        "DEMO_PASSWORD": "demo-serving-password",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def manage(env: dict, *args: str) -> str:
    """Run `manage.py` with `env`; its output."""
    done = subprocess.run(
        [BIN / "python", "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def prepare(env: dict, work: Path) -> None:
    """The explicit production steps before any server starts: migrate, collect static files;
    then the demo data and users."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "seed_demo", "--env-file", str(work / "demo.env"))
    manage(env, "ensure_ops_user")


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout: float = 40) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)


def start(port: int, env: dict, log: Path, **settings: str) -> Server:
    """Start gunicorn as `make serve` does, on 127.0.0.1:`port`; return once /healthz is 200."""
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port), **settings}
    with log.open("ab") as out:
        process = subprocess.Popen(
            [BIN / "gunicorn", "--config", "gunicorn.conf.py", "dashboard.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(port, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited:\n{server.output()[-3000:]}"
        try:
            if httpx.get(server.url + "/healthz", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop(signal.SIGKILL)
    raise AssertionError(f"gunicorn did not answer /healthz:\n{server.output()[-3000:]}")


def log_in(server_url: str, username: str, password: str) -> httpx.Client:
    """An HTTP client logged in through the login form."""
    browser = httpx.Client(base_url=server_url, timeout=30)
    response = browser.post("/login/", data=login_form(browser, username, password))
    assert response.status_code == 302, response.text[:500]
    return browser


def login_form(browser: httpx.Client, username: str, password: str) -> dict:
    page = browser.get("/login/")
    return {
        "csrfmiddlewaretoken": csrf_token(page.text),
        "username": username,
        "password": password,
    }


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class _Forms(HTMLParser):
    """The fields each <form> of a page would submit as it stands: {action: {name: value}}."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._fields: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields = self.forms.setdefault(attrs.get("action") or "", {})
            return
        if self._fields is None:
            return
        name = attrs.get("name")
        if tag == "select":
            self._select = name
        elif tag == "option" and "selected" in attrs and self._select:
            self._fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields[name] = ""
        elif tag == "input" and name and self._submits(attrs):
            self._fields[name] = attrs.get("value") or ""

    @staticmethod
    def _submits(attrs: dict) -> bool:
        kind = attrs.get("type")
        if kind in ("checkbox", "radio"):
            return "checked" in attrs
        return kind not in ("submit", "button", "file")

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._fields = None


def form_fields(html: str, action: str) -> dict[str, str]:
    """What the page's form posting to `action` (or to the page itself) would submit."""
    parser = _Forms()
    parser.feed(html)
    return dict(parser.forms[action] if action in parser.forms else parser.forms[""])


def audited(database_url: str, request_id: str) -> list[tuple[str, str]]:
    """The audit log's (action, outcome) pairs recorded for one request id."""
    query = "SELECT action, outcome FROM accounts_auditentry WHERE request_id = "
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///").split("?")[0]
        with closing(sqlite3.connect(path, timeout=30)) as connection:
            return connection.execute(query + "?", [request_id]).fetchall()
    with psycopg.connect(database_url.split("?")[0]) as connection:
        return connection.execute(query + "%s", [request_id]).fetchall()


def create_connector_request(api_key: str, name: str) -> tuple[bytes, bytes]:
    """A raw CreateHTTPConnector request in two parts, the head with a little of the body and
    the rest, so a test can hold the request in flight between sending them."""
    body = json.dumps(
        {"name": name, "baseUrl": "https://api.example.com", "authSchemeConfigs": []}
    ).encode()
    head = (
        f"POST /api/connect/v1/o/{ORGANISATION}/protocols/http/connectors HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {api_key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    return head + body[:10], body[10:]


def receive_all(sock) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)
