"""The leaders' dashboards: overview, programme and target pages.

Every page reads snapshots through ``targets/queries.py`` (never the completion rules)
and takes ``?month=YYYY-MM``; the figures are plain dicts from ``targets/charts.py``.
"""

from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.timezone import localtime
from django_tables2 import RequestConfig

from org.audit_hooks import audited_export
from targets import cache as page_cache
from targets import charts, queries
from targets.clock import site_today
from targets.exports import Heading, export_response, requested_format
from targets.filters import TargetListFilter
from targets.models import Kind
from targets.tables import ProgrammeTargetTable, TargetListTable

# The programme table's rows per page: every target of a district's programme (a dozen)
# on one page, a city's (a thousand and more) in pages.
PROGRAMME_PER_PAGE = 50


class _PageOfRows(Sequence):
    """One page of rows standing in for all of them in the table's queryset: its
    length is the count of all, and the paginator's slice is the page (nothing else
    is read from it)."""

    def __init__(self, count: int, start: int, rows: list) -> None:
        self.count, self.start, self.rows = count, start, rows

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self.rows[(key.start or 0) - self.start : (key.stop or self.count) - self.start]
        return self.rows[key - self.start]


def _programme_page(ordered, page: str | None, as_of: queries.AsOf) -> tuple:
    """All rows' count, the page number shown (a page out of range or malformed is
    the nearest), that page's rows and their reconciliations: two queries (the rows,
    the planned total 3.3 is reconciled with)."""
    everything = list(ordered)
    shown = Paginator(everything, PROGRAMME_PER_PAGE).get_page(page)
    rows = list(shown.object_list)
    reconciled = queries.reconciliations(rows, as_of, among=everything)
    return len(everything), shown.number, rows, reconciled


def _as_of(request: HttpRequest, plan_year_id: int | None = None) -> queries.AsOf | None:
    return queries.resolve_as_of(
        month=request.GET.get("month"), today=site_today(), plan_year_id=plan_year_id
    )


def _overview(as_of: queries.AsOf) -> tuple[queries.Overview, dict]:
    """The overview's reads and figures: snapshots only, so cached by generation."""
    data = queries.overview(as_of)
    figures = {}
    if data.programmes:
        figures = {
            "completion": charts.programme_completion(data.programmes),
            "statuses": charts.status_stack(data.programmes),
            "heatmap": charts.completion_heatmap(
                data.history, as_of.months_to_period, as_of.plan_year.rules.tolerance
            ),
        }
    return data, figures


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    if as_of is None:
        return render(request, "targets/no_plan_year.html")
    data, figures = page_cache.cached(
        as_of.plan_year.pk, "overview", (as_of.period,), lambda: _overview(as_of)
    )
    return render(
        request,
        "targets/overview.html",
        {"as_of": as_of, "data": data, "figures": figures},
    )


@login_required
@audited_export
def programme(request: HttpRequest, number: int) -> HttpResponse:
    as_of = _as_of(request)
    if as_of is None:
        raise Http404("尚未载入工作报告。")
    programmes = queries.programmes_at(as_of)
    current = next((p for p in programmes if p.number == number), None)
    if current is None:
        raise Http404("没有这个工程。")
    table = ProgrammeTargetTable(queries.programme_targets(current, as_of))
    RequestConfig(request, paginate=False).configure(table)
    fmt = requested_format(request.GET.get("export"))
    if fmt:
        return export_response(
            table,
            fmt=fmt,
            filename=f"{as_of.plan_year.year}年第{current.number}工程{current.short_name}"
            f"_截至{as_of.month_param or '无数据'}",
            title=f"{current.number}.{current.short_name}",
            heading=Heading(
                title=f"{as_of.plan_year.year}年第{current.number}工程 {current.name} 指标完成情况",
                period=as_of.period,
                exported_at=localtime(),
            ),
        )
    # One page of the ordered rows (the table and the chart share the one query), from
    # the page cache while the snapshots have not changed. Thousands of targets (a
    # city's year) are shown a page at a time; the chart, the assessed notes and the
    # reconciliations follow the page shown.
    ordered = table.data.data
    count, number, rows, reconciled = page_cache.cached(
        as_of.plan_year.pk,
        "programme-page",
        (as_of.period, current.pk, str(table.order_by), request.GET.get("page", "")),
        lambda: _programme_page(ordered, request.GET.get("page"), as_of),
    )
    ordered._result_cache = _PageOfRows(count, (number - 1) * PROGRAMME_PER_PAGE, rows)
    table.paginate(page=number, per_page=PROGRAMME_PER_PAGE)
    return render(
        request,
        "targets/programme.html",
        {
            "as_of": as_of,
            "programme": current,
            "programmes": programmes,
            "table": table,
            "figure": charts.target_ratios(rows),
            "assessed": [t for t in rows if t.kind == Kind.ASSESSED],
            "reconciliations": reconciled,
        },
    )


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    """The targets behind a count: ``?status=`` and ``?programme=`` at the as-of month."""
    as_of = _as_of(request)
    if as_of is None:
        raise Http404("尚未载入工作报告。")
    programmes = queries.programmes_at(as_of)
    filters = TargetListFilter(
        request.GET, queryset=queries.targets_at(as_of), programmes=programmes
    )
    table = TargetListTable(filters.qs)
    RequestConfig(request, paginate=False).configure(table)
    chosen = filters.form.cleaned_data if filters.is_valid() else {}
    fmt = requested_format(request.GET.get("export"))
    if fmt:
        return export_response(
            table,
            fmt=fmt,
            filename=f"{as_of.plan_year.year}年指标清单_截至{as_of.month_param or '无数据'}",
            title="指标清单",
            heading=Heading(
                title=f"{as_of.plan_year.year}年工作报告目标任务指标清单",
                period=as_of.period,
                exported_at=localtime(),
            ),
        )
    return render(
        request,
        "targets/target_list.html",
        {
            "as_of": as_of,
            "filters": filters,
            "table": table,
            "programme": next(
                (p for p in programmes if str(p.number) == chosen.get("programme")), None
            ),
            "status": chosen.get("status") or None,
        },
    )


@login_required
def target(request: HttpRequest, pk: int) -> HttpResponse:
    target = queries.target_for_page(pk)
    if target is None:
        raise Http404("没有这个指标。")
    as_of = _as_of(request, plan_year_id=target.programme.plan_year_id)
    snapshots = queries.target_snapshots(target, as_of)
    current = snapshots[-1] if snapshots and snapshots[-1].period == as_of.period else None
    entries = queries.target_entries(target, as_of)
    return render(
        request,
        "targets/target.html",
        {
            "as_of": as_of,
            "target": target,
            "current": current,
            "entries": entries,
            "history": queries.status_history(snapshots, entries),
            "figure": charts.target_progress(target, snapshots, current),
            # What a derived figure sums aggregates every project report of the year:
            # kept with the snapshot it explains (a project change that moves the sum
            # asks for the recompute that retires it).
            "contributors": page_cache.cached(
                as_of.plan_year.pk,
                "contributors",
                (target.pk, as_of.period, as_of.as_of),
                lambda: queries.target_contributors(target, as_of),
            ),
            "reconciled": queries.target_reconciliation(
                target, current.actual if current else None, as_of
            ),
        },
    )
