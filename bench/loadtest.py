"""Load and fault test: ``python -m bench.loadtest`` (``make loadtest``).

Everything runs on this machine, on the loopback interface only, and stops by itself:

- a throwaway PostgreSQL database (``LOADTEST_DATABASE_URL``, default
  ``postgres://postgres@127.0.0.1:5432/zhongyuan_loadtest``; its name must contain
  ``loadtest``: it is dropped and created afresh) with the 2025 report and the demo year;
- its own redis-server on ``LOADTEST_REDIS_PORT`` (6390), gunicorn on
  ``LOADTEST_PORT`` (8190), a real Celery worker and beat;
- ``LOADTEST_STAFF`` (20) staff sessions submitting their departments' monthly project
  reports the way the browser does (the form page is fetched, its fields, CSRF token and
  version parsed from the HTML and posted back), while ``LOADTEST_LEADERS`` (20) leader
  sessions read the dashboards, for ``LOADTEST_SECONDS`` (60); the load generator is
  Python threads with the standard library's http.client (one keep-alive connection
  per session), capped at ``LOADTEST_MAX_REQUESTS`` requests;
- during the load, the faults: Redis stopped and restarted; the worker killed with
  ``kill -9`` while it runs ``recompute_all``; every database connection terminated
  (``pg_terminate_backend``) while requests are in flight; and one out-of-range value
  (50000000 亿元, 元 typed into 亿元) submitted mid-run.

Then it prints requests, errors and p50/p95 per page, waits (bounded) for the outbox to
drain, and checks that every acknowledged write (a POST answered with a redirect) is in
the database with the value last acknowledged, and that the snapshots reflect every
write: a fresh recompute of the whole year changes no figure. It exits non-zero on any
server error outside a fault's own in-flight requests, or any lost write.

The broker's visibility timeout and the sweep's intervals are settings, shortened here
(``CELERY_VISIBILITY_TIMEOUT``, ``RECOMPUTE_SWEEP_*``) so that a task lost with its
worker and a recompute whose enqueue failed are both caught up within the run.
"""

import html.parser
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
STAFF = int(os.environ.get("LOADTEST_STAFF", "20"))
LEADERS = int(os.environ.get("LOADTEST_LEADERS", "20"))
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "50000"))
PORT = int(os.environ.get("LOADTEST_PORT", "8190"))
REDIS_PORT = int(os.environ.get("LOADTEST_REDIS_PORT", "6390"))
DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhongyuan_loadtest"
)
HOST = "127.0.0.1"
PASSWORD = "Zhongyuan@2025"  # the demo accounts' (projects.demo.DEMO_PASSWORD)
OUT_OF_RANGE = "50000000"
DRAIN_SECONDS = 120

ENV = {
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DEMO_MODE": "1",
    "DEMO_ALLOW_DATABASE": "1",  # a throwaway database, made here
    "SITE_TODAY": "2025-11-20",
    "ALLOWED_HOSTS": HOST,
    "STATIC_MANIFEST": "0",
    "CONN_MAX_AGE": "60",  # persistent connections, health-checked
    "CELERY_VISIBILITY_TIMEOUT": "10",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    "RECOMPUTE_SWEEP_INTERVAL_SECONDS": "5",
    "RECOMPUTE_SWEEP_GRACE_SECONDS": "5",
    "RECOMPUTE_RESWEEP_SECONDS": "15",
    "RECOMPUTE_RETRY_BACKOFF_SECONDS": "0.5",
    "LOG_LEVEL": "INFO",
    "DJANGO_SETTINGS_MODULE": "zhongyuan.settings",
}


# --- HTTP sessions ----------------------------------------------------------------------


@dataclass
class Sample:
    page: str
    status: int  # 0: no answer (connection refused or dropped)
    started: float
    ended: float


@dataclass
class Stats:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)
            if len(self.samples) >= MAX_REQUESTS:
                self.stop.set()


class Session:
    """One browser: cookies and one keep-alive connection."""

    def __init__(self, stats: Stats) -> None:
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, page: str, method: str, path: str, form: dict | None = None):
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException):
                # A kept-alive connection the server closed: once more on a new one
                # (as browsers do), then it counts as no answer.
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
                if attempt == 2:
                    self.stats.add(Sample(page, 0, started, time.monotonic()))
                    return 0, {}, ""
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        self.stats.add(Sample(page, response.status, started, time.monotonic()))
        return response.status, dict(response.getheaders()), text

    def login(self, username: str) -> bool:
        status, _, text = self.request("登录页", "GET", "/login/")
        form = parse_form(text)
        if status != 200 or form is None:
            return False
        fields = {**form.fields, "username": username, "password": PASSWORD}
        status, _, _ = self.request("登录", "POST", "/login/", fields)
        return status == 302


class FormParser(html.parser.HTMLParser):
    """The POST forms of a page: each one's fields as the browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = Form(action=a.get("action") or "")
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current.fields[name] = a.get("value", "on")
            elif kind in ("submit", "button", "file"):
                if kind == "submit":
                    self.current.buttons.append((name, a.get("value", "")))
            else:
                self.current.fields[name] = a.get("value", "")
                if a.get("inputmode") == "decimal":
                    self.current.numbers.append(name)
        elif tag == "button" and name:
            self.current.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = name
            self.current.fields.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in a:
            self.current.fields[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.current.fields[name] = ""

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            self.current.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    numbers: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


def parse_form(text: str, *, with_button: str | None = None) -> Form | None:
    parser = FormParser()
    parser.feed(text)
    for form in parser.forms:
        if "csrfmiddlewaretoken" not in form.fields:
            continue
        if with_button is None or any(value == with_button for _, value in form.buttons):
            return form
    return None


# --- The users ------------------------------------------------------------------------------

PROJECT_LINK = re.compile(r'href="(/report/project/(\d+)/(\d{4}-\d{2})/)"')


@dataclass
class Acknowledged:
    """The last value the server acknowledged for each project month."""

    values: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    out_of_range: list[tuple[int, str]] = field(default_factory=list)
    out_of_range_due: bool = True  # until one session has had it acknowledged
    # Writes cut by a fault (no answer, or a 5xx): they may or may not have committed
    # (the session's save after the commit can be the query that failed).
    uncertain: dict[tuple[int, str], set[Decimal]] = field(default_factory=dict)
    refused: int = 0
    conflicts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def staff_user(
    number: int, username: str, share: tuple[int, int], stats: Stats, acked: Acknowledged
) -> None:
    session = Session(stats)
    if not session.login(username):
        return
    status, _, text = session.request("月度填报 /report/", "GET", "/report/")
    index, of = share
    # Each project month is written by one session only, so "last acknowledged" is exact.
    links = sorted(set(PROJECT_LINK.findall(text)))[index::of]
    if not links:
        return
    n = 0
    while not stats.stop.is_set() and links:
        path, project_id, period = links[n % len(links)]
        n += 1
        status, _, text = session.request("填报表单", "GET", path)
        form = parse_form(text, with_button="submit")
        if status != 200 or form is None or not form.numbers:
            links.remove((path, project_id, period))  # locked or read-only: not ours to write
            continue
        # Distinct per session and write: 1.00–3.99 with the session in the last places.
        value = Decimal(f"{1 + (n % 300) / 100:.2f}{number % 100:02d}")
        typed = str(value)
        with acked.lock:
            if acked.out_of_range_due and stats_half(stats):
                acked.out_of_range_due, typed = False, OUT_OF_RANGE
        # The figures are random, so some exceed what the plausibility checks expect
        # (the remaining annual plan, the out-of-range value): the clerk confirms them,
        # as the form asks, so that every write here is a real, flagged submission.
        fields = {
            **form.fields,
            form.numbers[0]: typed,
            "action": "submit",
            "confirm_unusual": "on",
            "unusual_reason": "负载测试：数值经核实。",
        }
        status, _, _ = session.request("填报提交", "POST", form.action or path, fields)
        key = (int(project_id), period)
        with acked.lock:
            if status == 302:
                acked.values[key] = Decimal(typed)
                acked.uncertain.pop(key, None)
                if typed == OUT_OF_RANGE:
                    acked.out_of_range.append(key)
            elif status == 409:
                acked.conflicts += 1
            elif 200 <= status < 500:
                acked.refused += 1
            if status >= 500 or status == 0:
                acked.uncertain.setdefault(key, set()).add(Decimal(typed))
            if status != 302 and typed == OUT_OF_RANGE:
                acked.out_of_range_due = True  # another session tries it again
        time.sleep(random.uniform(0.3, 0.8))


START = time.monotonic()


def stats_half(stats: Stats) -> bool:
    return time.monotonic() - START > SECONDS * 0.4


def leader_user(stats: Stats, pages: list[tuple[str, str]]) -> None:
    session = Session(stats)
    if not session.login("leader"):
        return
    while not stats.stop.is_set():
        label, path = random.choice(pages)
        session.request(label, "GET", path)
        time.sleep(random.uniform(0.1, 0.4))


# --- Processes ------------------------------------------------------------------------------


class Services:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {**os.environ, **ENV}

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 reaches its children
        )
        self.processes[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def redis(self) -> None:
        self.start(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--bind", HOST, "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no",
                "--dir", str(self.folder),
            ],
        )  # fmt: skip
        wait_for_port(REDIS_PORT, 10)

    def web(self) -> None:
        self.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"), "zhongyuan.wsgi", "--bind", f"{HOST}:{PORT}",
                "--workers", "3", "--worker-class", "gthread", "--threads", "4",
                "--timeout", "60", "--graceful-timeout", "5",
            ],
        )  # fmt: skip
        wait_for_port(PORT, 30)

    def worker(self) -> None:
        self.start(
            "worker",
            [
                str(BIN / "celery"), "-A", "zhongyuan", "worker", "--loglevel=INFO",
                "--concurrency=2", "--without-gossip", "--without-mingle",
            ],
        )  # fmt: skip

    def beat(self) -> None:
        schedule = self.folder / "celerybeat-schedule"
        self.start(
            "beat",
            [
                str(BIN / "celery"), "-A", "zhongyuan", "beat", "--loglevel=INFO",
                "--schedule", str(schedule),
            ],
        )  # fmt: skip


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answers on {HOST}:{port} after {seconds:.0f} s")


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **ENV},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def fresh_database() -> None:
    import psycopg

    parsed = urllib.parse.urlparse(DATABASE_URL)
    name = parsed.path.lstrip("/")
    if "loadtest" not in name:
        raise SystemExit(
            f"refusing to drop {name!r}: the load test's database name must contain 'loadtest'"
        )
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load test runs on the loopback interface only")
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


# --- Faults ---------------------------------------------------------------------------------


@dataclass
class Fault:
    name: str
    started: float
    ended: float
    note: str = ""
    task_id: str = ""  # the task killed with its worker, which must come back


def fault_redis(services: Services, down: float) -> Fault:
    started = time.monotonic()
    services.kill("redis", signal.SIGKILL)
    time.sleep(down)
    services.redis()
    return Fault("Redis 停止后重启", started, time.monotonic(), f"停 {down:.0f} 秒")


def fault_worker(services: Services) -> Fault:
    """Queue recompute_all, wait until the worker has started it, kill -9 the worker
    (and its pool), start a new one: the task, unacknowledged, comes back."""
    import django

    django.setup()
    from zhongyuan.celery import app

    log = services.folder / "worker.log"
    before = log.stat().st_size if log.exists() else 0
    result = app.send_task("targets.recompute_all")
    started = time.monotonic()
    seen = False
    while time.monotonic() - started < 15:
        text = log.read_bytes()[before:].decode("utf-8", "replace")
        if result.id in text:
            seen = True
            break
        time.sleep(0.05)
    text = log.read_bytes()[before:].decode("utf-8", "replace")
    finished_first = f"{result.id}] succeeded" in text
    services.kill("worker", signal.SIGKILL)
    services.worker()
    note = f"task {result.id}: " + (
        "killed mid-run" if seen and not finished_first else
        "finished before the kill" if finished_first else "never received before the kill"
    )  # fmt: skip
    return Fault(
        "kill -9 worker during recompute_all",
        started,
        time.monotonic(),
        note,
        task_id=result.id if seen and not finished_first else "",
    )


def fault_database(times: int, interval: float) -> Fault:
    import psycopg

    parsed = urllib.parse.urlparse(DATABASE_URL)
    started = time.monotonic()
    killed = 0
    with psycopg.connect(
        DATABASE_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as c:
        for _ in range(times):
            rows = c.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [parsed.path.lstrip("/")],
            ).fetchall()
            killed += len(rows)
            time.sleep(interval)
    return Fault(
        "pg_terminate_backend of every connection", started, time.monotonic(), f"{killed} 个连接"
    )


# --- Report ---------------------------------------------------------------------------------


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def interrupted(sample: Sample, faults: list[Fault]) -> bool:
    """A request a fault cut: in flight while the database connections were terminated,
    or while Redis was down (only the database fault can cut a request here)."""
    return any(
        fault.name.startswith("pg_terminate")
        and sample.started <= fault.ended
        and sample.ended >= fault.started
        for fault in faults
    )


def report(stats: Stats, faults: list[Fault]) -> int:
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in stats.samples:
        by_page[sample.page].append(sample)
    print(f"\n{'page':<16}{'requests':>9}{'5xx':>6}{'cut':>5}{'none':>6}{'p50 ms':>9}{'p95 ms':>9}")
    server_errors = 0
    for page, samples in sorted(by_page.items()):
        times = [(s.ended - s.started) * 1000 for s in samples]
        errors = [s for s in samples if s.status >= 500 or s.status == 0]
        cut = [s for s in errors if interrupted(s, faults)]
        server_errors += len(errors) - len(cut)
        none = sum(1 for s in samples if s.status == 0)
        print(
            f"{page:<16}{len(samples):>9}{len(errors) - len(cut):>6}{len(cut):>5}{none:>6}"
            f"{percentile(times, 50):>9.0f}{percentile(times, 95):>9.0f}"
        )
    total = len(stats.samples)
    print(f"{'all':<16}{total:>9}{server_errors:>6}")
    print("\nfaults:")
    for fault in faults:
        print(f"  {fault.name}: {fault.ended - fault.started:.1f} s, {fault.note}")
    return server_errors


def redelivered(folder: Path, task_id: str, seconds: float) -> bool:
    """Whether the task killed with its worker came back and succeeded (acks_late: the
    message stays unacknowledged in Redis until the visibility timeout returns it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if f"{task_id}] succeeded" in (folder / "worker.log").read_text("utf-8", "replace"):
            return True
        time.sleep(1)
    return False


def verify(acked: Acknowledged, faults: list[Fault], folder: Path) -> tuple[int, list[str]]:
    """Lost writes, and problems with the snapshots."""
    import django

    django.setup()
    from django.db import connection

    from projects.models import ProjectProgress
    from targets import snapshots
    from targets.clock import site_today
    from targets.models import PendingRecompute, ProgrammeSnapshot, TargetSnapshot

    problems: list[str] = []
    for fault in faults:
        if fault.task_id:
            wait = int(ENV["CELERY_VISIBILITY_TIMEOUT"]) + 60
            if redelivered(folder, fault.task_id, wait):
                print(f"recompute_all {fault.task_id}: killed with its worker, came back")
            else:
                problems.append(f"recompute_all {fault.task_id} did not come back within {wait} s")
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        connection.close()
        pending = PendingRecompute.objects.filter(failed_at__isnull=True).count()
        if pending == 0:
            break
        time.sleep(1)
    else:
        problems.append(f"the outbox still holds {pending} recomputes after {DRAIN_SECONDS} s")
    failed = list(
        PendingRecompute.objects.filter(failed_at__isnull=False).values_list(
            "target__code", "last_error"
        )
    )
    if failed:
        problems.append(f"recomputes that failed: {failed}")

    lost = 0
    for (project_id, period), value in acked.values.items():
        row = ProjectProgress.objects.filter(project_id=project_id, period=f"{period}-01").first()
        possible = {value} | acked.uncertain.get((project_id, period), set())
        if row is None or row.investment not in possible or row.state != "submitted":
            lost += 1
            problems.append(
                f"lost write: project {project_id} {period}: acknowledged {value}, "
                f"database {row and row.investment} ({row and row.state})"
            )

    def figures() -> dict:
        fields = ["actual", "ratio", "expected", "status", "out_of_range"]
        target_fields = [f for f in fields if hasattr(TargetSnapshot, f)]
        rows = {
            ("t", r["target_id"], r["period"]): r
            for r in TargetSnapshot.objects.values("target_id", "period", *target_fields)
        }
        for r in ProgrammeSnapshot.objects.values():
            r.pop("computed_at", None)
            r.pop("id", None)
            rows[("p", r.get("programme_id"), r["period"])] = r
        return rows

    before = figures()
    snapshots.recompute_all(today=site_today())
    after = figures()
    stale = [key for key in after if before.get(key) != after[key]]
    if stale:
        problems.append(f"{len(stale)} snapshot rows did not reflect the writes, e.g. {stale[:3]}")
    if acked.out_of_range:
        project_id, period = acked.out_of_range[0]
        print(f"out-of-range value {OUT_OF_RANGE} acknowledged for project {project_id} {period}")
    else:
        problems.append("the out-of-range value was not acknowledged")
    return lost, problems


def main() -> int:
    if not port_free(PORT) or not port_free(REDIS_PORT):
        raise SystemExit(
            f"port {PORT} or {REDIS_PORT} is taken: set LOADTEST_PORT / LOADTEST_REDIS_PORT"
        )
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="zy-loadtest-"))
    print(f"load test: {STAFF} staff + {LEADERS} leaders for {SECONDS:.0f} s; logs in {folder}")
    fresh_database()
    services = Services(folder)
    faults: list[Fault] = []
    try:
        services.redis()
        manage("migrate", "--noinput")
        manage("load_workreport")
        manage("seed_demo")
        services.web()
        services.worker()
        services.beat()

        import django

        django.setup()
        from org.models import Department
        from projects.models import KeyProject
        from targets.models import Target

        # Departments that lead projects (each has a demo staff account staff-<code>).
        codes = sorted(
            Department.objects.filter(projects__isnull=False)
            .values_list("code", flat=True)
            .distinct()
        )
        pages = [("总览", "/"), ("重点项目", "/projects/")]
        pages += [("工程", f"/programmes/{n}/") for n in range(1, 9)]
        pages += [("指标", f"/targets/{pk}/") for pk in Target.objects.values_list("pk", flat=True)]
        projects = KeyProject.objects.order_by("pk").values_list("pk", flat=True)[:40]
        pages += [("项目", f"/projects/{pk}/") for pk in projects]
        from django.db import connection

        connection.close()

        stats, acked = Stats(), Acknowledged()
        global START
        START = time.monotonic()
        # Sessions of one department share its project months, each its own part.
        per_department: dict[str, list[int]] = defaultdict(list)
        for number in range(STAFF):
            per_department[codes[number % len(codes)]].append(number)
        threads = []
        for code, numbers in per_department.items():
            for index, number in enumerate(numbers):
                args = (number, f"staff-{code}", (index, len(numbers)), stats, acked)
                threads.append(threading.Thread(target=staff_user, args=args, daemon=True))
        for _ in range(LEADERS):
            threads.append(threading.Thread(target=leader_user, args=(stats, pages), daemon=True))
        for thread in threads:
            thread.start()

        def at(fraction: float) -> None:
            delay = START + SECONDS * fraction - time.monotonic()
            if delay > 0:
                stats.stop.wait(delay)

        at(0.25)
        faults.append(fault_redis(services, down=max(2.0, SECONDS * 0.08)))
        at(0.5)
        faults.append(fault_worker(services))
        at(0.7)
        faults.append(fault_database(times=3, interval=0.5))
        at(1.0)
        stats.stop.set()
        for thread in threads:
            thread.join(timeout=70)
        server_errors = report(stats, faults)
        print(
            f"\nwrites acknowledged: {len(acked.values)} project months "
            f"(refused by validation: {acked.refused}, conflicts: {acked.conflicts})"
        )
        lost, problems = verify(acked, faults, folder)
    finally:
        services.stop_all()
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"\nserver errors: {server_errors}, lost writes: {lost}")
    ok = server_errors == 0 and lost == 0 and not problems and len(acked.values) > 0
    print("load test passed" if ok else "load test FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
