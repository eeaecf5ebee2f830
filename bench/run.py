"""The benchmark: ``python -m bench.run --sizes S,M,L`` (``make bench``).

Measures like a user, on PostgreSQL and Redis, per data size (bench/sizes.py):

- a throwaway database per size (``<BENCH_DATABASE_URL>_<size>``; the name must contain
  ``bench``: it is dropped and created afresh), the report, the demo year, the size's
  bulk load, ``ANALYZE``; the Redis database of ``BENCH_REDIS_URL`` is flushed;
- gunicorn as production runs it (DEBUG off, 4 workers, ``CONN_MAX_AGE=600``, hashed
  static files) with the benchmark's URLconf (bench/urls.py: the product's URLs plus
  the reference view) and a real Celery worker (solo pool, so that its peak memory is
  one process's);
- the load generator is **wrk** (``/usr/bin/wrk``, 2 threads, 16 connections, a
  bounded duration, on loopback) with the session cookie of a leader (the review queue:
  a reviewer) who logged in through the login form; a Lua script reports p50 and p95;
- per page: requests per second, p50/p95, the ratio to the reference view's requests
  per second in the same run, and the SQL queries it runs (Django's test client in
  this process, with an empty cache and again with a warm one);
- ``recompute_all`` sent to the worker: its wall time (the worker's own "succeeded in")
  and the worker's peak memory (VmHWM);
- commit to visible: an entry saved through the service in this process (its
  recompute queued on commit to the real worker), then the programme page polled
  through gunicorn until the new figure shows; the median of 20;
- the overview's bytes on a first visit (its HTML gzipped, and every stylesheet and
  script it links, as whitenoise serves them with ``Accept-Encoding: gzip``) and on a
  repeat visit (the HTML only: static files are hashed and cached for a year, checked).

Writes ``BENCHMARKS.md`` (``--output``) and exits non-zero when a budget (issue 13) is
missed. ``--no-budgets`` (CI) fails only when the run cannot complete or a page's query
count differs between sizes.
"""

import argparse
import contextlib
import gzip
import http.client
import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PASSWORD = "Zhongyuan@2025"  # the demo accounts' (projects.demo.DEMO_PASSWORD)
TODAY = "2025-11-20"

# Budgets (issue 13).
FAST_PAGES_SHARE = 0.5  # overview, programme, target pages ÷ the reference's requests/s
LIST_PAGES_SHARE = 0.3  # project list, review queue
L_P95_FACTOR = 2.5  # a page's p95 at L ÷ the reference's
RECOMPUTE_L_SECONDS = 120
WORKER_BYTES = 1024**3
VISIBLE_SECONDS = 1.0
FIRST_VISIT_BYTES = 500 * 1024
REPEAT_VISIT_BYTES = 50 * 1024
YEAR_SECONDS = 365 * 24 * 3600

# key, label, who, share budget (None: the reference itself)
PAGES = [
    ("reference", "参照页（固定内容，同一中间件）", "leader", None),
    ("overview", "总览 /", "leader", FAST_PAGES_SHARE),
    ("programme", "工程 3", "leader", FAST_PAGES_SHARE),
    ("manual", "指标 8.1（填报）", "leader", FAST_PAGES_SHARE),
    ("derived", "指标 3.3（派生）", "leader", FAST_PAGES_SHARE),
    ("projects", "重点项目 两个筛选 第2页", "leader", LIST_PAGES_SHARE),
    ("review", "审核队列（审核员）", "reviewer", LIST_PAGES_SHARE),
]


# Each page's queries (cold cache, warm cache), as tests/targets/test_dashboard_queries.py
# and test_page_cache.py pin them: a size that runs other numbers fails the run, even
# with --no-budgets (CI runs S alone, so there is no other size to compare with).
# Beyond the page cache's reach: the header's unread notices (+1 on every page);
# the supervision panels on the overview (+6: overdue orders, the leader's programmes
# and open instructions, the red cards and the orders in hand, the latest closed
# month's corrections — the last cached when warm) and on target pages (+4: the
# escalation card, the item's orders and instructions, its corrections after a month
# closed); the supervision kinds' counts in the review queue (+2).
# The review queue pages every kind on its own (issue 13): the target entries' count
# is one more query (+1), at any size.
# A derived target's contributors (two queries over every project report) come from
# the page cache when warm (test_page_fragments.py); so do the project list's sums and
# its table's rows (four).
EXPECTED_QUERIES = {
    "reference": (3, 3),
    "overview": (14, 11),
    "programme": (9, 7),
    "manual": (14, 14),
    "derived": (17, 15),
    "projects": (12, 8),
    "review": (16, 16),
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- one size, in its own process (its own database settings) ------------------------


def _env(database_url: str, redis_url: str, port: int) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEMO_MODE": "1",  # demo accounts: the reviewer logs in without a second factor
        "DEMO_ALLOW_DATABASE": "1",  # a throwaway database, made here
        "SITE_TODAY": TODAY,
        "ALLOWED_HOSTS": f"{HOST},testserver",  # testserver: the query counts
        "STATIC_MANIFEST": "1",
        "CONN_MAX_AGE": "600",
        "AXES_ENABLED": "0",  # the logins here are right; no lockout bookkeeping
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "bench.settings",  # the product's, and bench/urls.py
        "BENCH_PORT": str(port),
    }


def fresh_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"refusing to drop {name!r}: the benchmark's database names contain 'bench'"
        )
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the benchmark runs on the loopback interface only")
    with psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Processes:
    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], **env: str) -> subprocess.Popen:
        log_file = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answers on {HOST}:{port} after {seconds:.0f} s")


def http_get(port: int, path: str, cookie: str = "", headers: dict | None = None):
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def login(port: int, username: str) -> str:
    """Log in through the login form as a browser does; the Cookie header to send."""
    from bench.loadtest import parse_form

    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    cookies: dict[str, str] = {}

    def request(method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, text

    status, text = request("GET", "/login/")
    form = parse_form(text)
    if status != 200 or form is None:
        raise SystemExit(f"the login page answered {status}")
    fields = {**form.fields, "username": username, "password": PASSWORD}
    status, _ = request("POST", "/login/", urllib.parse.urlencode(fields))
    connection.close()
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"{username} could not log in ({status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, "
    .. "\\"p95\\": %f, \\"status_errors\\": %d, \\"socket_errors\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def wrk(port: int, path: str, cookie: str, seconds: float, script: Path) -> dict:
    result = subprocess.run(
        [
            "wrk", "-t2", "-c16", f"-d{seconds:g}s", "--timeout", "30s",
            "-s", str(script), "-H", f"Cookie: {cookie}", f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )  # fmt: skip
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result for {path}: {result.stdout} {result.stderr}")
    data = json.loads(line[6:])
    data["rps"] = data["requests"] / data["seconds"]
    return data


def _paths() -> dict[str, str]:
    """The URL of each page (run after the data is loaded)."""
    from projects.models import Stage
    from targets.models import Target

    def target(code: str) -> str:
        return f"/targets/{Target.objects.filter(code=code).order_by('pk').first().pk}/"

    return {
        "reference": "/bench/reference/",
        "overview": "/",
        "programme": "/programmes/3/",
        "manual": target("8.1"),
        "derived": target("3.3"),
        "projects": f"/projects/?stage={Stage.UNDER_CONSTRUCTION}&national_reserve=no&page=2",
        "review": "/review/",
    }


def _count_queries(paths: dict[str, str]) -> tuple[dict[str, dict[str, int]], int]:
    """Each page's queries through the test client, with the page cache empty (cold)
    and again at once (warm)."""
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for who in ("leader", "reviewer"):
        client = Client()
        client.force_login(User.objects.get(username=who))
        clients[who] = client
    counts: dict[str, dict[str, int]] = {}
    overview_bytes = 0
    cache.clear()
    for key, _, who, _ in PAGES:
        counts[key] = {}
        for state in ("cold", "warm"):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response = clients[who].get(paths[key])
            assert response.status_code == 200, (paths[key], response.status_code)
            counts[key][state] = len(queries.captured_queries)
            if key == "overview":
                overview_bytes = len(response.content)
    return counts, overview_bytes


def _overview_bytes(port: int, cookie: str) -> dict:
    """First and repeat visit of the overview, compressed as production sends it."""
    status, headers, sent = http_get(port, "/", cookie, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    # As gunicorn sends it: Django's GZipMiddleware compresses pages for a browser
    # that accepts gzip (the header above), so these are the bytes as sent.
    body = gzip.decompress(sent) if headers.get("Content-Encoding") == "gzip" else sent
    html = body.decode()
    html_gzip = len(sent)
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"', html)
    assets, uncached = 0, []
    for link in sorted(set(links)):
        status, headers, content = http_get(port, link, headers={"Accept-Encoding": "gzip"})
        assert status == 200, link
        assets += len(content)
        control = headers.get("Cache-Control", "")
        age = re.search(r"max-age=(\d+)", control)
        if not age or int(age.group(1)) < YEAR_SECONDS or "immutable" not in control:
            uncached.append(link)
    return {
        "html": len(body),
        "html_gzip": html_gzip,
        "assets": len(set(links)),
        "first": html_gzip + assets,
        "repeat": html_gzip if not uncached else html_gzip + assets,
        "uncached": uncached,
    }


def _worker_peak(pid: int) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1)) * 1024


def _recompute_all(folder: Path, worker_pid: int, timeout: float) -> dict:
    from zhongyuan.celery import app

    log_path = folder / "worker.log"
    before = log_path.stat().st_size if log_path.exists() else 0
    started = time.monotonic()
    result = app.send_task("targets.recompute_all")
    pattern = re.compile(rf"{re.escape(result.id)}\] succeeded in ([0-9.]+)s")
    while time.monotonic() - started < timeout:
        text = log_path.read_bytes()[before:].decode("utf-8", "replace")
        found = pattern.search(text)
        if found:
            return {
                "seconds": float(found.group(1)),
                "wall": time.monotonic() - started,
                "peak": _worker_peak(worker_pid),
            }
        if f"{result.id}] raised" in text:
            raise SystemExit(f"recompute_all failed; see {log_path}")
        time.sleep(0.2)
    return {"seconds": None, "wall": None, "peak": _worker_peak(worker_pid), "timeout": timeout}


def _commit_to_visible(port: int, cookie: str, samples: int) -> dict:
    """Save target 8.1's latest month through the service, with a new value each time;
    the time until the programme page (through gunicorn) shows it."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from org.models import Profile, Role
    from targets.adapters import TARGET_ENTRIES
    from targets.models import ProgressEntry, Target, TargetSnapshot
    from targets.services import EntryValues
    from targets.templatetags.zy import amount
    from workflow.services import save_entry

    target = Target.objects.filter(code="8.1").order_by("pk").first()
    period = TargetSnapshot.objects.filter(target=target).order_by("-period").first().period
    user, created = User.objects.get_or_create(username="bench-staff")
    if created:
        Profile.objects.create(user=user, role=Role.STAFF, department=target.lead_department)
    ProgressEntry.objects.filter(target=target, period=period).delete()
    page = f"/programmes/{target.programme.number}/"
    times, version = [], 0
    for i in range(samples):
        value = EntryValues(value=Decimal(f"{101 + i}.37"))
        started = time.monotonic()
        with transaction.atomic():
            entry = save_entry(
                adapter=TARGET_ENTRIES,
                subject=target,
                period=period,
                user=user,
                values=value,
                expected_version=version,
                submit=True,
            )
        version = entry.version
        shown = amount(value.value)
        while time.monotonic() - started < 30:
            status, _, body = http_get(port, page, cookie)
            if status == 200 and shown in body.decode():
                times.append(time.monotonic() - started)
                break
            time.sleep(0.02)
        else:
            raise SystemExit(f"{shown} never showed on {page} (30 s)")
    return {"median": statistics.median(times), "max": max(times), "samples": len(times)}


def run_size(name: str, args) -> dict:
    """One size, start to end (called in a child process: its database settings)."""
    base = args.database_url.rstrip("/")
    database_url = f"{base}_{name.lower()}"
    env = _env(database_url, args.redis_url, args.port)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix=f"zy-bench-{name}-"))
    fresh_database(database_url)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()

    import django

    django.setup()
    import io

    from django.core.management import call_command
    from django.db import connection

    from bench.sizes import SIZES, build, counts
    from targets.models import PlanYear
    from zhongyuan.celery import app
    from zhongyuan.db import analyze

    spec = SIZES[name]
    started = time.monotonic()
    app.conf.task_always_eager = True  # the load's own recomputes: in process
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_workreport", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    plan_year = PlanYear.objects.get(year=2025)
    build(spec, plan_year, today=date.fromisoformat(TODAY), log=log)
    analyze()
    load_seconds = time.monotonic() - started
    size = counts(plan_year)
    log(f"{name}: loaded in {load_seconds:.0f} s: {size}")
    app.conf.task_always_eager = False

    paths = _paths()
    queries, overview_bytes = _count_queries(paths)
    connection.close()

    processes = Processes(folder, env)
    result: dict = {"name": name, "size": size, "describe": spec.describe(), "queries": queries}
    result["load_seconds"] = load_seconds
    try:
        processes.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"), "zhongyuan.wsgi", "--bind", f"{HOST}:{args.port}",
                "--workers", "4", "--timeout", "120", "--graceful-timeout", "5",
                "--keep-alive", "30",
            ],
            BENCH_REFERENCE_BYTES=str(overview_bytes),  # the reference: the overview's size
        )  # fmt: skip
        worker = processes.start(
            "worker",
            [
                str(BIN / "celery"), "-A", "zhongyuan", "worker", "--loglevel=INFO",
                "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
        )  # fmt: skip
        wait_for_port(args.port, 60)
        cookies = {who: login(args.port, who) for who in ("leader", "reviewer")}
        status, _, body = http_get(args.port, "/", cookies["leader"])
        assert status == 200, status
        result["overview_html_bytes"] = len(body)
        script = folder / "report.lua"
        script.write_text(WRK_SCRIPT)
        for key, _, who, _ in PAGES:
            status, _, _ = http_get(args.port, paths[key], cookies[who])
            if status != 200:
                raise SystemExit(f"{paths[key]} answered {status}")
        pages = {}
        for key, label, who, _ in PAGES:
            http_get(args.port, paths[key], cookies[who])  # warm every gunicorn worker a bit
            pages[key] = wrk(args.port, paths[key], cookies[who], args.seconds, script)
            pages[key].update(label=label, path=paths[key])
            log(
                f"{name} {label}: {pages[key]['rps']:.1f} req/s, "
                f"p50 {pages[key]['p50']:.0f} ms, p95 {pages[key]['p95']:.0f} ms"
            )
        result["pages"] = pages
        result["bytes"] = _overview_bytes(args.port, cookies["leader"])
        result["recompute"] = _recompute_all(folder, worker.pid, args.recompute_timeout)
        log(f"{name}: recompute_all {result['recompute']}")
        result["visible"] = _commit_to_visible(args.port, cookies["leader"], args.samples)
        log(f"{name}: commit to visible {result['visible']}")
    finally:
        processes.stop_all()
        connection.close()
        if not args.keep:
            drop_database(database_url)
    result["logs"] = str(folder)
    return result


# --- the report ------------------------------------------------------------------------


def _kb(n: int) -> str:
    return f"{n / 1024:.0f} KB"


def evaluate(results: list[dict]) -> tuple[list[str], list[str]]:
    """Budget misses, and query-count differences between sizes."""
    misses, differences = [], []
    for result in results:
        name, pages = result["name"], result["pages"]
        reference = pages["reference"]
        for key, label, _, share in PAGES:
            if share is None:
                continue
            ratio = pages[key]["rps"] / reference["rps"]
            if ratio < share:
                misses.append(f"{name} {label}: {ratio:.2f}× the reference (budget ≥ {share}×)")
            if name == "L" and pages[key]["p95"] > L_P95_FACTOR * reference["p95"]:
                misses.append(
                    f"L {label}: p95 {pages[key]['p95']:.0f} ms > {L_P95_FACTOR}× the "
                    f"reference's {reference['p95']:.0f} ms"
                )
            if pages[key]["socket_errors"]:
                misses.append(f"{name} {label}: {pages[key]['socket_errors']} timeouts or drops")
        recompute = result["recompute"]
        if recompute["peak"] > WORKER_BYTES:
            misses.append(f"{name}: worker peak {recompute['peak'] / 1024**2:.0f} MB > 1 GB")
        if recompute["seconds"] is None:
            misses.append(f"{name}: recompute_all did not finish in {recompute['timeout']} s")
        elif name == "L" and recompute["seconds"] > RECOMPUTE_L_SECONDS:
            misses.append(f"L: recompute_all {recompute['seconds']:.0f} s > 120 s")
        if result["visible"]["median"] > VISIBLE_SECONDS:
            misses.append(f"{name}: commit to visible {result['visible']['median']:.2f} s > 1 s")
        sizes = result["bytes"]
        if sizes["first"] > FIRST_VISIT_BYTES:
            misses.append(f"{name}: overview first visit {_kb(sizes['first'])} > 500 KB")
        if sizes["repeat"] > REPEAT_VISIT_BYTES:
            misses.append(f"{name}: overview repeat visit {_kb(sizes['repeat'])} > 50 KB")
    for result in results:
        for key, label, _, _ in PAGES:
            if result["pages"][key]["status_errors"]:
                # An error answer under load is a failure, budgets or not.
                differences.append(
                    f"{result['name']} {label}: {result['pages'][key]['status_errors']} "
                    "error answers (4xx/5xx) under load"
                )
            found = (result["queries"][key]["cold"], result["queries"][key]["warm"])
            if found != EXPECTED_QUERIES[key]:
                differences.append(
                    f"{result['name']} {label}: queries (cold, warm) {found}, "
                    f"expected {EXPECTED_QUERIES[key]}"
                )
    for key, label, _, _ in PAGES:
        for state in ("cold", "warm"):
            seen = {r["name"]: r["queries"][key][state] for r in results}
            if len(set(seen.values())) > 1:
                differences.append(f"{label} ({state}): queries differ between sizes: {seen}")
    return misses, differences


def markdown(results: list[dict], misses: list[str], differences: list[str], args) -> str:
    load = os.getloadavg()
    lines = [
        "# Benchmarks",
        "",
        f"`python -m bench.run --sizes {args.sizes}`"
        f"{' --no-budgets' if args.no_budgets else ''}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, on {os.cpu_count()} cores "
        f"({platform.machine()}), load average after the run {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f}. The machine is shared with other jobs, so requests per second are "
        "noisy; the ratios to the reference, measured in the same run, much less so.",
        "",
        "PostgreSQL (`ANALYZE`d after the bulk load) and Redis (cache and broker) on "
        "loopback; gunicorn with production settings (DEBUG off, 4 sync workers, "
        "`CONN_MAX_AGE=600`, hashed static files); a real Celery worker (solo pool). "
        f"Load generator: wrk, 2 threads × 16 connections, {args.seconds:g} s per page, "
        "with a logged-in session's cookie (leader; the review queue as the reviewer). "
        "The reference is a login-required view returning a fixed body of the overview's "
        "size through the same middleware (bench/urls.py, never in the product's URLs). "
        "Queries: the page through Django's test client with the page cache empty (cold) "
        "and again (warm).",
        "",
    ]
    for r in results:
        s = r["size"]
        lines += [
            f"## {r['name']}: {r['describe']}",
            "",
            f"{s['targets']:,} targets, {s['departments']} departments, {s['projects']:,} "
            f"projects, {s['progress']:,} project reports, {s['entries']:,} target entries, "
            f"{s['snapshots']:,} target snapshots; loaded and analysed in "
            f"{r['load_seconds']:.0f} s.",
            "",
            "| page | requests/s | ÷ reference | budget | p50 ms | p95 ms | queries cold / warm |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        reference = r["pages"]["reference"]
        for key, label, _, share in PAGES:
            page = r["pages"][key]
            q = r["queries"][key]
            lines.append(
                f"| {label} | {page['rps']:.1f} | {page['rps'] / reference['rps']:.2f} | "
                f"{'≥ ' + str(share) if share else ''} | {page['p50']:.0f} | {page['p95']:.0f} | "
                f"{q['cold']} / {q['warm']} |"
            )
        rc, vis, b = r["recompute"], r["visible"], r["bytes"]
        recompute = f"{rc['seconds']:.1f} s" if rc["seconds"] is not None else "did not finish"
        lines += [
            "",
            f"- `recompute_all` on the worker: {recompute}; the worker's peak memory "
            f"(VmHWM) {rc['peak'] / 1024**2:.0f} MB"
            + (" (budget at L: ≤ 120 s, < 1 GB)" if r["name"] == "L" else " (< 1 GB)"),
            f"- commit to visible (an entry of 8.1 saved through the service, the programme "
            f"page polled until it shows the figure): median {vis['median'] * 1000:.0f} ms, "
            f"max {vis['max'] * 1000:.0f} ms over {vis['samples']} (budget: median ≤ 1 s)",
            f"- overview bytes: first visit {_kb(b['first'])} (the HTML {_kb(b['html'])}, "
            f"{_kb(b['html_gzip'])} as sent, and {b['assets']} static files gzipped), "
            f"repeat visit {_kb(b['repeat'])} (budgets: ≤ 500 KB, ≤ 50 KB); static files "
            + (
                "all `immutable`, max-age ≥ a year"
                if not b["uncached"]
                else f"NOT cached: {b['uncached']}"
            ),
            "",
        ]
    lines += ["## Budgets", ""]
    if misses:
        lines += [f"- missed: {m}" for m in misses]
    else:
        lines.append("- every budget measured here was met")
    lines += [f"- {d}" for d in differences] or ["- query counts are identical at every size run"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M", help="sizes to run, of S, M, L (S,M)")
    parser.add_argument("--seconds", type=float, default=8, help="wrk's duration per page (8)")
    parser.add_argument("--samples", type=int, default=20, help="commit-to-visible samples (20)")
    parser.add_argument(
        "--no-budgets", action="store_true", help="fail only on errors and query-count differences"
    )
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8191")))
    parser.add_argument("--recompute-timeout", type=float, default=900)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhongyuan_bench"
        ),
        help="base URL; each size adds _s, _m, _l to the name, which must contain 'bench'",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        help="a Redis database the benchmark may flush",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one:
        result = run_size(args.one, args)
        Path(args.result).write_text(json.dumps(result))
        return 0

    if "bench" not in urllib.parse.urlparse(args.database_url).path:
        raise SystemExit("the benchmark's database name must contain 'bench' (it is dropped)")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        log("collecting static files …")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, "STATIC_MANIFEST": "1", "SECRET_KEY": "collectstatic-only"},
            check=True,
        )
    results = []
    for name in [s.strip().upper() for s in args.sizes.split(",") if s.strip()]:
        log(f"=== size {name} ===")
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            path = out.name
        child = [
            sys.executable, "-m", "bench.run", "--one", name, "--result", path,
            "--seconds", str(args.seconds), "--samples", str(args.samples),
            "--port", str(args.port), "--database-url", args.database_url,
            "--redis-url", args.redis_url, "--recompute-timeout", str(args.recompute_timeout),
        ] + (["--keep"] if args.keep else [])  # fmt: skip
        done = subprocess.run(child, cwd=ROOT)
        if done.returncode != 0:
            log(f"size {name} could not run")
            return 2
        results.append(json.loads(Path(path).read_text()))
        os.unlink(path)
        # Written after every size: a long L run that is stopped keeps S and M.
        misses, differences = evaluate(results)
        Path(ROOT / args.output).write_text(markdown(results, misses, differences, args))
    misses, differences = evaluate(results)
    text = markdown(results, misses, differences, args)
    Path(ROOT / args.output).write_text(text)
    print(text)
    if differences:
        return 1
    if misses and not args.no_budgets:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
