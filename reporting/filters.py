"""Filters of the review queue (django-filter). One set of GET parameters filters
both target entries and project reports, so the page shows a single filter form."""

import django_filters

from org.models import Department
from projects.models import ProjectProgress
from targets.models import EntryState, PlanYear, Programme, ProgressEntry
from targets.periods import format_period, months_between, parse_period


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

    # The path from the filtered model to the target or project.
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


class EntryQueueFilter(_QueueFilter):
    owner = "target"

    class Meta:
        model = ProgressEntry
        fields: list[str] = []


class ProgressQueueFilter(_QueueFilter):
    owner = "project"

    class Meta:
        model = ProjectProgress
        fields: list[str] = []


def submitted_entries():
    return ProgressEntry.objects.filter(state=EntryState.SUBMITTED)


def submitted_progress():
    return ProjectProgress.objects.filter(state=EntryState.SUBMITTED)
