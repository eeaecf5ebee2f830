"""In-process render timings of the dashboards and the recompute jobs:
``python -m bench.render`` (the server benchmark is ``python -m bench.run``, ``make bench``).

Builds the 2025 report and the demo year in a throwaway database — a temporary SQLite
file, or with DATABASE_URL a ``test_<name>`` database on that server, created and
dropped like the test runner's (your own data is never touched) — renders every page
with Django's test client at 1× and at ``--factor``× the targets and projects, and
prints, per page and size: the SQL queries it ran, and the median and 95th-percentile
time over ``--repeat`` renders after one warm-up (fewer if they pass ``--budget``).
Timings belong here, never in the unit tests; the query counts are also pinned by
tests/targets/test_dashboard_queries.py.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# The demo year runs as of 2025-11-20 (its October is the latest closed month).
os.environ["SITE_TODAY"] = "2025-11-20"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongyuan.settings")
# With DATABASE_URL set DEBUG is off: a throwaway key, and static files without the
# collectstatic manifest (as the tests run them).
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-for-anything-else")
os.environ.setdefault("STATIC_MANIFEST", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# page, data size, queries, renders timed, median ms, p95 ms
Row = tuple[str, str, int, int, float, float]


def _pages() -> list[tuple[str, Callable[[], str]]]:
    from projects.models import KeyProject
    from targets.models import Target

    def target(code: str) -> Callable[[], str]:
        return lambda: f"/targets/{Target.objects.get(code=code).pk}/"

    def project() -> str:
        return f"/projects/{KeyProject.objects.get(code='ZY25-D001').pk}/"

    return [
        ("总览 /", lambda: "/"),
        ("总览 上月", lambda: "/?month=2025-06"),
        ("工程 3", lambda: "/programmes/3/"),
        ("工程 3 按完成率排序", lambda: "/programmes/3/?sort=-ratio"),
        ("指标 3.3（派生，完成投资）", target("3.3")),
        ("指标 4.1（派生，签约额）", target("4.1")),
        ("指标 8.1（填报）", target("8.1")),
        ("指标 6.1（定性）", target("6.1")),
        ("重点项目", lambda: "/projects/"),
        ("重点项目 筛选第2页", lambda: "/projects/?stage=under_construction&page=2"),
        ("项目", project),
        ("导出 工程3 xlsx", lambda: "/programmes/3/?export=xlsx"),
        ("导出 项目 xlsx", lambda: "/projects/?export=xlsx"),
        ("导出 项目 csv", lambda: "/projects/?export=csv"),
    ]


def _measure(client, url: str, repeat: int, budget: float) -> tuple[int, list[float]]:
    """Queries of one render, and the times of up to ``repeat`` renders (fewer when
    they exceed ``budget`` seconds, so one slow page cannot hold the run for long)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: templates, caches
    assert response.status_code == 200, (url, response.status_code)
    reset_queries()  # each request resets the log; start from empty so none is lost
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Read now: captured_queries slices the live log, which the next request resets.
    count = len(queries.captured_queries)
    times: list[float] = []
    while len(times) < repeat and sum(times) < budget * 1000:
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=20, help="scale of the big size (20)")
    parser.add_argument("--repeat", type=int, default=20, help="renders per page and size (20)")
    parser.add_argument(
        "--budget", type=float, default=15, help="seconds of renders per page and size at most"
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="zy-bench-")
        connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rows = _run(args.factor, args.repeat, args.budget)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    _print(rows, connection.vendor)


def _run(factor: int, repeat: int, budget: float) -> list[Row]:
    import io

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from bench.scale import scale_up, size_of
    from org.models import Profile, Role
    from projects.demo import DEMO_TODAY, seed_demo
    from targets.models import PlanYear
    from zhongyuan.celery import app

    app.conf.task_always_eager = True  # never leave work on a broker
    call_command("load_workreport", stdout=io.StringIO())
    plan_year = PlanYear.objects.get(year=2025)
    seed_demo(plan_year)
    leader = User.objects.create_user("bench-leader")
    Profile.objects.create(user=leader, role=Role.LEADER)
    client = Client()
    client.force_login(leader)

    _analyze()
    label = f"1× ({size_of(plan_year)})"
    rows = _measure_pages(client, label, repeat, budget)
    rows += _measure_recompute(plan_year, label, budget)
    print(f"building {factor}× …", file=sys.stderr)
    size = scale_up(plan_year, factor=factor, today=DEMO_TODAY)
    _analyze()
    label = f"{factor}× ({size})"
    rows += _measure_pages(client, label, repeat, budget)
    return rows + _measure_recompute(plan_year, label, budget)


def _measure_recompute(plan_year, label: str, budget: float) -> list[Row]:
    """The completion engine's jobs, run in process as a worker runs them: the
    recompute one saved entry queues (a manual target, and a derived one whose
    figure sums every project's monthly progress), and the daily whole-year job."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from projects.demo import DEMO_TODAY
    from targets import snapshots
    from targets.models import Target

    jobs = [
        (
            "重算 指标 8.1（保存一条月报后）",
            lambda: snapshots.recompute_target(
                target_id=Target.objects.get(code="8.1").pk, today=DEMO_TODAY
            ),
        ),
        (
            "重算 指标 3.3（派生，项目月报变更后）",
            lambda: snapshots.recompute_target(
                target_id=Target.objects.get(code="3.3").pk, today=DEMO_TODAY
            ),
        ),
        (
            "重算 全年（每日任务）",
            lambda: snapshots.recompute_plan_year(plan_year=plan_year, today=DEMO_TODAY),
        ),
    ]
    rows = []
    for name, job in jobs:
        job()  # warm-up
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            job()
        count = len(queries.captured_queries)
        times: list[float] = []
        while len(times) < 5 and sum(times) < budget * 1000:
            start = time.perf_counter()
            job()
            times.append((time.perf_counter() - start) * 1000)
        rows.append((name, label, count, len(times), statistics.median(times), _p95(times)))
        print(f"  {label} {name}: {statistics.median(times):.0f} ms", file=sys.stderr)
    return rows


def _analyze() -> None:
    """Planner statistics, as a database in use has them (a freshly loaded one has
    none, and PostgreSQL then picks plans no live site would)."""
    from zhongyuan.db import analyze

    analyze()


def _measure_pages(client, label: str, repeat: int, budget: float) -> list[Row]:
    rows = []
    for name, url in _pages():
        count, times = _measure(client, url(), repeat, budget)
        rows.append((name, label, count, len(times), statistics.median(times), _p95(times)))
        print(f"  {label} {name}: {statistics.median(times):.0f} ms", file=sys.stderr)
    return rows


def _print(rows: list[Row], vendor: str) -> None:
    print(f"\nDatabase: {vendor}; renders and jobs timed after one warm-up.\n")
    print("| page or job | data size | queries | runs | median ms | p95 ms |")
    print("|---|---|---:|---:|---:|---:|")
    for name, label, count, renders, median, p95 in rows:
        print(f"| {name} | {label} | {count} | {renders} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
