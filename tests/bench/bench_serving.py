"""Patchbay under load on its production server: gunicorn, PostgreSQL + Redis, 10,000 connectors.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_serving.py [--duration 60] [--users 50]
        [--editors 5] [--runs 50]

Recreates the PostgreSQL database BENCH_DATABASE (default `patchbay_bench_serving`; server
BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432), flushes the Redis database
BENCH_CACHE_URL (default redis://127.0.0.1:6379/15), loads 10,000 connectors
(tests/bench/bench_dashboard_connectors.py) and starts gunicorn as `make run` does (2 processes
x 8 threads) on 127.0.0.1:BENCH_PORT (default 8141), with a plain ModelAdmin of the connectors
registered (benchmark only). Then, over real HTTP:
1. the connectors page and its htmx fragment against the bare ListConnectors call, same
   query, taking turns request by request: p50 ratio, target ≤ 1.3x;
2. a load run: `--users` people browsing (connectors page with filters, fragments, connector
   and version pages; 0.2-1 s between clicks) and `--editors` people saving tags, for
   `--duration` seconds: requests/s, p50/p95/p99 per page, errors (target 0; p95 ≤ 5x p50);
3. the connectors page against Django admin's changelist of the same connectors, 16 clients
   back to back, 2 x 8 s each taking turns: requests/s ratio, target ≥ 1.0x.
Exits non-zero when a target is missed.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

import bench_dashboard_connectors as catalog  # noqa: E402

from tests.serving import servers  # noqa: E402

PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "patchbay_bench_serving")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")
PORT = int(os.environ.get("BENCH_PORT", "8141"))
ORGANISATION = "01JQ0PATCHBAY0DEM0RGAN1SAT"
FRAGMENT = {"HX-Request": "true", "HX-Target": "connector-results"}
ADMIN = "/admin/embedded_api/connector/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--editors", type=int, default=5)
    parser.add_argument("--runs", type=int, default=50, help="timed requests per query (1.)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(Path(tmp))
        server = servers.start(
            PORT,
            env,
            Path(tmp) / "gunicorn.log",
            DJANGO_SETTINGS_MODULE="tests.bench.serving_settings",
        )
        try:
            missed = run(server, env, args)
        finally:
            server.stop()
    if missed:
        sys.exit("Missed: " + "; ".join(missed))


def prepare(work: Path) -> dict:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {DATABASE}")
    redis.Redis.from_url(CACHE_URL).flushdb()
    database_url = f"{PG_SERVER}/{DATABASE}?CONN_MAX_AGE=600"
    env = servers.production_env(database_url, CACHE_URL, work, LOG_LEVEL="ERROR")
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["ensure_ops_user"]):
        servers.manage(env, *step)
    os.environ["SECRET_KEY"] = servers.SECRET_KEY
    catalog.configure(database_url)
    print(f"Loading {catalog.SIZE:,} connectors…", flush=True)
    catalog.load(ORGANISATION)
    return env


def run(server, env, args) -> list[str]:
    api_key = servers.manage(env, "create_api_key", "--organisation", ORGANISATION).split()[-1]
    browser = servers.log_in(server.url, "ops", "ops-serving-password")
    bare = {"Authorization": f"Bearer {api_key}"}
    listed = browser.get(
        f"/api/connect/v1/o/{ORGANISATION}/connectors", params={"first": 100}, headers=bare
    ).json()["connectors"]
    ids = [c["id"] for c in listed]
    versioned = [c["id"] for c in listed if c.get("latestVersion") or c.get("versions")]
    missed = []
    worst = page_versus_bare(browser, bare, args.runs, server)
    if worst > catalog.TARGET:
        missed.append(f"page/bare {worst:.2f}x > {catalog.TARGET}x")
    stats = asyncio.run(load_run(server.url, browser.cookies, ids, versioned, args))
    missed += report_load(stats, args.duration)
    ratio = asyncio.run(versus_admin(server.url, browser.cookies))
    if ratio < 1.0:
        missed.append(f"connectors page vs admin {ratio:.2f}x < 1.0x")
    return missed


def page_versus_bare(browser: httpx.Client, bare: dict, runs: int, server) -> float:
    """p50 of each, and (beside it, steadier when other processes share the machine) the
    server's CPU time per request: the workers' user + system time across each request."""
    api_path = f"/api/connect/v1/o/{ORGANISATION}/connectors"
    print(f"\n1. Page and fragment vs bare ListConnectors over HTTP ({runs} runs each)")
    print(
        f"{'query':<30}{'p50 ms: page':>13}{'fragment':>10}{'bare':>8}{'page/bare':>11}"
        f"{'frag/bare':>11}   {'CPU ms: page':>12}{'fragment':>10}{'bare':>8}{'page/bare':>11}"
        f"{'frag/bare':>11}"
    )
    worst = 0.0
    for name, (query, params) in catalog.QUERIES.items():
        calls = {
            "page": lambda q=query: browser.get(f"/connectors/?{q}"),
            "fragment": lambda q=query: browser.get(f"/connectors/?{q}", headers=FRAGMENT),
            "bare": lambda p=params: browser.get(api_path, params={"first": 20, **p}, headers=bare),
        }
        times = {kind: [] for kind in calls}
        cpu = dict.fromkeys(calls, 0.0)
        for run in range(5 + runs):
            for kind, call in calls.items():
                used = server_cpu(server)
                started = time.perf_counter()
                response = call()
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (kind, response.status_code)
                if run >= 5:
                    times[kind].append(elapsed)
                    cpu[kind] += (server_cpu(server) - used) * 1000 / runs
        p50 = {kind: statistics.median(values) for kind, values in times.items()}
        ratios = p50["page"] / p50["bare"], p50["fragment"] / p50["bare"]
        worst = max(worst, *ratios)
        print(
            f"{name:<30}{p50['page']:>13.1f}{p50['fragment']:>10.1f}{p50['bare']:>8.1f}"
            f"{ratios[0]:>10.2f}x{ratios[1]:>10.2f}x   {cpu['page']:>12.1f}"
            f"{cpu['fragment']:>10.1f}{cpu['bare']:>8.1f}{cpu['page'] / cpu['bare']:>10.2f}x"
            f"{cpu['fragment'] / cpu['bare']:>10.2f}x"
        )
    print(f"Worst p50 ratio: {worst:.2f}x (target ≤ {catalog.TARGET}x)")
    return worst


def server_cpu(server) -> float:
    """Seconds of CPU the server's worker processes have used (user + system)."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return ticks / os.sysconf("SC_CLK_TCK")


async def load_run(url, cookies, ids, versioned, args) -> dict:
    stats: dict[str, list] = {}
    deadline = time.monotonic() + args.duration
    filters = [query for query, _ in catalog.QUERIES.values()]
    # Idle connections are dropped before the server's keep-alive (5 s) ends, as a load
    # balancer's should be: a request sent as the server closes one would fail.
    limits = httpx.Limits(max_connections=args.users + args.editors, keepalive_expiry=2)

    async with httpx.AsyncClient(base_url=url, cookies=cookies, timeout=60, limits=limits) as c:

        async def timed(page: str, method: str, path: str, **kwargs) -> httpx.Response | None:
            started = time.perf_counter()
            try:
                response = await c.request(method, path, **kwargs)
            except httpx.HTTPError as error:
                stats.setdefault(page, []).append((time.perf_counter() - started, repr(error)))
                return None
            ok = response.status_code in (200, 302)
            outcome = None if ok else response.status_code
            stats.setdefault(page, []).append((time.perf_counter() - started, outcome))
            return response

        async def browse(rng: random.Random):
            while time.monotonic() < deadline:
                pick = rng.random()
                if pick < 0.3:
                    await timed("connectors page", "GET", f"/connectors/?{rng.choice(filters)}")
                elif pick < 0.55:
                    await timed(
                        "connectors fragment",
                        "GET",
                        f"/connectors/?{rng.choice(filters)}",
                        headers=FRAGMENT,
                    )
                elif pick < 0.8:
                    await timed("connector page", "GET", f"/connectors/{rng.choice(ids)}/")
                else:
                    connector = rng.choice(versioned or ids)
                    await timed("version page", "GET", f"/connectors/{connector}/versions/1.0.0/")
                await asyncio.sleep(rng.uniform(0.2, 1.0))

        async def edit(rng: random.Random):
            while time.monotonic() < deadline:
                tags = f"/connectors/{rng.choice(ids)}/tags/"
                form = await timed("tags form", "GET", tags)
                if form is not None and form.status_code == 200:
                    data = servers.form_fields(form.text, tags)
                    data["tags"] = f"env:prod, team:t{rng.randrange(20):02}"
                    await timed("tags save", "POST", tags, data=data)
                await asyncio.sleep(rng.uniform(0.2, 1.0))

        users = [browse(random.Random(i)) for i in range(args.users)]
        editors = [edit(random.Random(1000 + i)) for i in range(args.editors)]
        await asyncio.gather(*users, *editors)
    return stats


def report_load(stats: dict, duration: float) -> list[str]:
    print(f"\n2. Load run: {duration:.0f} s (ms; errors are anything but 200/302)")
    print(
        f"{'page':<22}{'requests':>9}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'p95/p50':>9}"
        f"{'errors':>8}"
    )
    missed, total, errors = [], 0, 0
    for page, samples in stats.items():
        times = [seconds * 1000 for seconds, _ in samples]
        failed = [outcome for _, outcome in samples if outcome is not None]
        p50, p95, p99 = (catalog.percentile(times, f) for f in (0.5, 0.95, 0.99))
        total += len(samples)
        errors += len(failed)
        print(
            f"{page:<22}{len(samples):>9}{len(samples) / duration:>8.1f}{p50:>8.1f}{p95:>8.1f}"
            f"{p99:>8.1f}{p95 / p50:>8.1f}x{len(failed):>8}"
        )
        if p95 > 5 * p50:
            missed.append(f"{page} p95 {p95 / p50:.1f}x its p50")
        if failed:
            print(f"   {page} errors: {sorted(set(map(str, failed)))[:5]}")
    print(f"All pages: {total} requests, {total / duration:.1f} req/s, {errors} errors (target 0)")
    if errors:
        missed.append(f"{errors} errors")
    return missed


async def versus_admin(url: str, cookies, clients: int = 16, seconds: float = 8) -> float:
    """Requests/s of each page with `clients` back-to-back clients, in four rounds taking
    turns (page, admin, admin, page), so a machine that speeds up or slows down during the
    run weighs on both alike."""
    pages = {
        "connectors page": ["/connectors/", "/connectors/?tag=team:t07"],
        "admin": [ADMIN, ADMIN + "?p=1"],
    }
    done = dict.fromkeys(pages, 0)
    async with httpx.AsyncClient(base_url=url, cookies=cookies, timeout=60) as c:
        for name in ("connectors page", "admin", "admin", "connectors page"):
            deadline = time.monotonic() + seconds
            counts = await asyncio.gather(
                *(back_to_back(c, pages[name], deadline, random.Random(i)) for i in range(clients))
            )
            done[name] += sum(counts)
    rates = {name: count / (2 * seconds) for name, count in done.items()}
    ratio = rates["connectors page"] / rates["admin"]
    print(
        f"\n3. Connectors page vs Django admin changelist ({clients} clients, "
        f"2 x {seconds:.0f} s each, taking turns)"
    )
    print(
        f"connectors page {rates['connectors page']:.1f} req/s, admin {rates['admin']:.1f} req/s:"
        f" {ratio:.2f}x (target ≥ 1.0x, stretch 2x)"
    )
    return ratio


async def back_to_back(c: httpx.AsyncClient, paths, deadline: float, rng: random.Random) -> int:
    """Pages answered 200 by one client calling back to back until `deadline`."""
    done = 0
    while time.monotonic() < deadline:
        response = await c.get(rng.choice(paths))
        done += response.status_code == 200
    return done


if __name__ == "__main__":
    main()
