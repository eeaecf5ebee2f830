"""Filters of the review queue (django-filter). One set of GET parameters filters
every kind's submitted reports, so the page shows a single filter form."""

import django_filters

from org.models import Department
from targets.models import PlanYear, Programme
from targets.periods import format_period, months_between, parse_period
from workflow.states import EntryState


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

    # The path from the filtered model to what it reports on (a target, a project …).
    owner: str = ""

    def __init__(self, data=None, *args, plan_year: PlanYear | None = None, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        if plan_year is not None:
            self.filters["programme"].queryset = Programme.objects.filter(plan_year=plan_year)
            self.filters["month"].extra["choices"] = [
                (format_period(m), f"{m.year}年{m.month}月")
                for m in reversed(months_between(plan_year.starts_on, plan_year.ends_on))
            ]

    def filter_department(self, queryset, name, value):
        return queryset.filter(**{f"{self.owner}__lead_department": value})

    def filter_programme(self, queryset, name, value):
        return queryset.filter(**{f"{self.owner}__programme": value})

    def filter_month(self, queryset, name, value):
        try:
            return queryset.filter(period=parse_period(value))
        except ValueError:
            return queryset.none()


def queue_filter(adapter, data, *, plan_year: PlanYear | None) -> _QueueFilter:
    """The queue's filters over one kind's submitted reports (the same GET
    parameters for every kind, so the page shows a single filter form)."""
    meta = type("Meta", (), {"model": adapter.model, "fields": []})
    filter_class = type(
        f"{adapter.model.__name__}QueueFilter",
        (_QueueFilter,),
        {"Meta": meta, "owner": adapter.subject_field},
    )
    return filter_class(data, queryset=submitted(adapter), plan_year=plan_year)


def submitted(adapter):
    """The kind's submitted reports, with what the queue shows, in the queue's order."""
    return adapter.review_queryset().filter(state=EntryState.SUBMITTED)
