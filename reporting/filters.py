"""Filters of the review queue (django-filter). One set of GET parameters filters
every kind's submitted reports, so the page shows a single filter form; each kind's
section pages on its own (``page_<kind>``), its pager keeping the filters and the
other sections' pages."""

from datetime import date, datetime, time
from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from org.models import Department
from reporting.months import month_choices
from targets.models import PlanYear, Programme
from targets.periods import months_between, parse_period, report_due_date
from workflow.states import EntryState
from workflow.timeliness import first_late_day

UNUSUAL, LATE, LAGGING = "unusual", "late", "lagging"
FLAGS = [
    (UNUSUAL, "异常"),
    (LATE, "迟报"),
    (LAGGING, "滞后（进度滞后或严重滞后）"),
]


class _QueueFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        label="责任单位",
        queryset=Department.objects.all(),
        to_field_name="code",
        method="filter_department",
        empty_label="全部单位",
    )
    programme = django_filters.ModelChoiceFilter(
        label="工程",
        queryset=Programme.objects.none(),
        method="filter_programme",
        empty_label="全部工程",
    )
    month = django_filters.ChoiceFilter(label="月份", method="filter_month", empty_label="全部月份")
    flag = django_filters.ChoiceFilter(
        label="只看", choices=FLAGS, method="filter_flag", empty_label="全部"
    )

    # The path from the filtered model to what it reports on (a target, a project …).
    owner: str = ""

    # The kind's adapter (for 滞后，which each kind decides by its own status).
    adapter = None

    def __init__(
        self,
        data=None,
        *args,
        plan_year: PlanYear | None = None,
        today: date | None = None,
        **kwargs,
    ) -> None:
        super().__init__(data, *args, **kwargs)
        self.plan_year = plan_year
        if plan_year is not None:
            self.filters["programme"].queryset = Programme.objects.filter(plan_year=plan_year)
            # The months a reviewer may pick: none after the site's today.
            self.filters["month"].extra["choices"] = month_choices(
                plan_year, today or plan_year.ends_on
            )

    def filter_department(self, queryset, name, value):
        return queryset.filter(**{f"{self.owner}__lead_department": value})

    def filter_programme(self, queryset, name, value):
        return queryset.filter(**{f"{self.owner}__programme": value})

    def filter_flag(self, queryset, name, value):
        if value == UNUSUAL:
            return queryset.filter(unusual=True)
        if value == LATE:
            return queryset.filter(late_q(self.plan_year))
        if value == LAGGING:
            return self.adapter.lagging(queryset)
        return queryset

    def filter_month(self, queryset, name, value):
        try:
            return queryset.filter(period=parse_period(value))
        except ValueError:
            return queryset.none()


def late_q(plan_year: PlanYear | None) -> Q:
    """Reports first submitted after their month's due date (迟报, as
    workflow.timeliness decides it), for the months of the plan year: one condition
    per month, as each month has its own due date."""
    if plan_year is None:
        return Q(pk__in=[])
    zone = timezone.get_current_timezone()
    return reduce(
        or_,
        (
            Q(
                period=month,
                first_submitted_at__gte=timezone.make_aware(
                    datetime.combine(
                        first_late_day(report_due_date(month, plan_year.report_due_day)),
                        time.min,
                    ),
                    zone,
                ),
            )
            for month in months_between(plan_year.starts_on, plan_year.ends_on)
        ),
        Q(pk__in=[]),
    )


def queue_filter(
    adapter, data, *, plan_year: PlanYear | None, today: date | None = None
) -> _QueueFilter:
    """The queue's filters over one kind's submitted reports (the same GET
    parameters for every kind, so the page shows a single filter form)."""
    meta = type("Meta", (), {"model": adapter.model, "fields": []})
    filter_class = type(
        f"{adapter.model.__name__}QueueFilter",
        (_QueueFilter,),
        {"Meta": meta, "owner": adapter.subject_field, "adapter": adapter},
    )
    return filter_class(data, queryset=submitted(adapter), plan_year=plan_year, today=today)


def submitted(adapter):
    """The kind's submitted reports, with what the queue shows, in the queue's order."""
    return adapter.review_queryset().filter(state=EntryState.SUBMITTED)


# --- paging: one page parameter per kind --------------------------------------------

PAGE_PREFIX = "page_"


def page_parameter(kind: str) -> str:
    """The GET parameter of one kind's page in the queue (page_target, page_project …):
    turning one section's page leaves the others where they are."""
    return f"{PAGE_PREFIX}{kind}"


def filter_params(params: QueryDict) -> QueryDict:
    """The filters alone: the GET parameters less every section's page (and the old
    shared ``page``). A new filter starts every section at its first page."""
    kept = params.copy()
    for name in list(kept):
        if name == "page" or name.startswith(PAGE_PREFIX):
            del kept[name]
    return kept


def page_link(params: QueryDict, kind: str, number: int) -> str:
    """The query string (with its ?) of page ``number`` of one kind's section: the
    filters and the other sections' pages kept, this one's set (left out for the
    first page)."""
    kept = params.copy()
    kept.pop("page", None)
    kept.pop(page_parameter(kind), None)
    if number > 1:
        kept[page_parameter(kind)] = str(number)
    return f"?{kept.urlencode()}"
