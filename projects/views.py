"""The key-project pages: the filtered, paginated list with totals and charts, and one
project's page. Both take ``?month=YYYY-MM`` like the target dashboards."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django_tables2 import RequestConfig

from org.audit_hooks import audited_export
from org.models import Department
from org.roles import can_view_department
from projects import charts, queries
from projects.filters import ProjectFilter
from projects.tables import ProjectTable
from targets import cache as page_cache
from targets.clock import site_today
from targets.exports import Heading, export_response, requested_format
from targets.queries import resolve_as_of

PER_PAGE = 25
MAX_PER_PAGE = 200


class CountedPaginator(Paginator):
    """A paginator told the count (the totals query already has it), so paging costs
    no second COUNT; ``per_page`` from the query string is capped."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs) -> None:
        super().__init__(object_list, max(1, min(int(per_page), MAX_PER_PAGE)), **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@login_required
@audited_export
def project_list(request: HttpRequest) -> HttpResponse:
    as_of = resolve_as_of(month=request.GET.get("month"), today=site_today())
    if as_of is None:
        raise Http404("尚未载入工作报告。")
    filters = ProjectFilter(
        request.GET,
        queryset=queries.projects_of(as_of.plan_year),
        plan_year=as_of.plan_year,
    )
    projects = filters.qs
    rows = queries.figures_first(queries.with_investment(projects, as_of))
    fmt = requested_format(request.GET.get("export"))
    if fmt:
        # The workbook's totals row is the page's: the same Totals, through the footer.
        # The CSV is a bare table (targets/exports.py) and needs none.
        totals = None
        if fmt == "xlsx":
            totals = queries.totals(projects, queries.investment_by_month(projects, as_of))
        table = ProjectTable(rows, totals=totals)
        RequestConfig(request, paginate=False).configure(table)
        return export_response(
            table,
            fmt=fmt,
            filename=f"{as_of.plan_year.year}年重点项目_截至{as_of.month_param or '无数据'}",
            title="重点项目",
            heading=Heading(
                title=f"{as_of.plan_year.year}年重点项目推进情况",
                period=as_of.period,
                exported_at=localtime(),
            ),
        )

    def reads() -> tuple[dict, queries.Totals, dict[str, int]]:
        monthly = queries.investment_by_month(projects, as_of)
        return monthly, queries.totals(projects, monthly), queries.stage_counts(projects)

    # The sums over the filtered set (at a city's size, a second or more over millions
    # of monthly reports) under the year's generation, which every write of a project
    # or its counted progress retires (projects.metrics.request_derived_recompute).
    monthly, totals, stages = page_cache.cached(
        as_of.plan_year.pk,
        "projects:reads",
        # the filters only: every page and order of one filtered set shares its sums
        (
            [(k, v) for k, v in sorted(request.GET.lists()) if k not in ("page", "sort")],
            as_of.period,
            as_of.latest,
        ),
        reads,
    )
    table = ProjectTable(rows, totals=totals)
    RequestConfig(
        request,
        paginate={"paginator_class": CountedPaginator, "per_page": PER_PAGE, "count": totals.count},
    ).configure(table)
    # The table's rows are read only when its cached HTML (the same generation, the
    # page's path and parameters) is missing.
    return render(
        request,
        "projects/list.html",
        {
            "as_of": as_of,
            "filter": filters,
            "table": table,
            "totals": totals,
            "figures": {
                "investment": charts.investment_by_month(
                    as_of.plan_year, monthly, as_of.period, totals.annual_plan
                ),
                "stages": charts.stage_counts(stages),
            },
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = queries.project_for_page(pk)
    if project is None:
        raise Http404("没有这个项目。")
    as_of = resolve_as_of(
        month=request.GET.get("month"), today=site_today(), plan_year_id=project.plan_year_id
    )
    year = queries.project_year(project, as_of)
    return render(
        request,
        "projects/detail.html",
        {
            "as_of": as_of,
            "project": project,
            "year": year,
            "figure": charts.project_history(
                project.plan_year, year.progress, as_of.period, project.annual_plan
            ),
        },
    )


@login_required
def department(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's targets (led and supported) and projects at the as-of month.
    In ``projects`` because it reads both apps' rows."""
    dept = Department.objects.filter(pk=pk).first()
    if dept is None:
        raise Http404("没有这个单位。")
    if not can_view_department(request.user, dept.pk):
        raise PermissionDenied("填报员只能查看本单位的页面。")
    as_of = resolve_as_of(month=request.GET.get("month"), today=site_today())
    if as_of is None:
        raise Http404("尚未载入工作报告。")
    return render(
        request,
        "projects/department.html",
        {"as_of": as_of, "page": queries.department_page(dept, as_of)},
    )
