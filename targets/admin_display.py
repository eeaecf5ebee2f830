"""Columns for the admin's change lists, in the product's own formats: months as
"2025年1月" (a period is the first day of its month, which Django would print as
"2025年1月1日"), numbers without the database's trailing zeros ("20", not "20.0000"),
ratios as percentages, and a target's data source by its label, never its code."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.contrib import admin
from django.contrib.admin import SimpleListFilter

from targets.models import MANUAL_SOURCE
from targets.templatetags.zy import DASH, format_amount, format_ratio

MANUAL_LABEL = "各单位按月填报"


def month_text(value: date | None) -> str:
    return f"{value.year}年{value.month}月" if value else DASH


def number_text(value: Decimal | None) -> str:
    # Four places: the admin shows what is stored, only without the padding.
    return format_amount(value, 4)


def source_label(source: str) -> str:
    """A target's data source as a reader says it: 各单位按月填报, or the derived
    metric's label; an unknown name (a metric since removed) keeps its code so the
    admin can still see what to fix."""
    from targets.metrics import registry

    if source == MANUAL_SOURCE:
        return MANUAL_LABEL
    metric = registry.get(source)
    return f"自动汇总：{metric.label}" if metric else f"未知来源（{source}）"


def source_choices() -> list[tuple[str, str]]:
    from targets.metrics import registry

    return [(MANUAL_SOURCE, MANUAL_LABEL)] + [(m.name, source_label(m.name)) for m in registry]


def _column(name: str, label: str, show: Callable[[object], str]):
    def column(model_admin, obj) -> str:
        return show(getattr(obj, name))

    column.__name__ = f"{name}_text"
    return admin.display(description=label, ordering=name)(column)


def month_column(name: str, label: str = "月份"):
    return _column(name, label, month_text)


def number_column(name: str, label: str):
    return _column(name, label, number_text)


def ratio_column(name: str, label: str):
    return _column(name, label, format_ratio)


def source_column(name: str = "source", label: str = "数据来源"):
    return _column(name, label, source_label)


class SourceListFilter(SimpleListFilter):
    title = "数据来源"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return source_choices()

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(source=value) if value else queryset
