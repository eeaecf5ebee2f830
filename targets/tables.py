"""django-tables2 tables for the target dashboards, and the column types the project
table shares: each renders the report's way in HTML (亿元 with up to two decimals,
percentages with one, status by colour and text) and exports a typed value (see
``targets/exports.py``)."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.html import format_html

from org.models import Department
from targets import presenters
from targets.exports import Percent
from targets.models import Kind, Status, Target
from targets.reconcile import Reconciliation, reconcile
from targets.templatetags.zy import (
    department,
    format_amount,
    format_ratio,
    month,
    name_cell,
    reconcile_badge,
    status_badge,
)

NUM = {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}


def low(attrs: dict | None = None) -> dict:
    """A column a phone drops first (``.col-low`` is hidden below 640 px): ``attrs``
    with the class added to the header, cells and footer."""
    merged = {part: dict(values) for part, values in (attrs or {}).items()}
    for part in ("th", "td", "tf"):
        classes = merged.setdefault(part, {}).get("class", "")
        merged[part]["class"] = f"{classes} col-low".strip()
    return merged


class NameColumn(tables.Column):
    """A long name (指标, 项目名称): one line cut with an ellipsis and the whole name
    on hover, never wrapped character by character; linked to ``url(record)``.
    Exported whole."""

    def __init__(self, *args: Any, url: Callable[[Any], str], **kwargs: Any) -> None:
        self.url = url
        kwargs.setdefault("attrs", {"td": {"class": "cell-name"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Any, record: Any) -> str:
        return name_cell(value, self.url(record))

    def value(self, value: Any) -> Any:
        return value


def department_cell(table: tables.Table, dept: Department | None) -> str:
    """牵头单位 in a table: the glossary's short name, linked only for a user who may
    open the department's page (the table's request, set by RequestConfig)."""
    request = getattr(table, "request", None)
    return department(dept, request.user if request is not None else "plain")


def nulls_last(field: str, then: str = "code") -> Callable[..., tuple[QuerySet, bool]]:
    """A table's ``order_<column>``: empty cells ("—") last either way, on SQLite and
    PostgreSQL alike (they disagree on where NULL sorts), then by ``then``."""

    def order(self: tables.Table, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        value = F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
        return queryset.order_by(value, then), True

    return order


class AmountColumn(tables.Column):
    """An amount: HTML "2409.2", export the number rounded as shown."""

    def __init__(self, *args: Any, places: int = 2, **kwargs: Any) -> None:
        self.places = places
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return format_amount(value, self.places)

    def value(self, value: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)


class RatioColumn(tables.Column):
    """A ratio: HTML "83.3%", export a fraction formatted as a percentage."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return format_ratio(value)

    def value(self, value: Any) -> Percent | None:
        return None if value is None else Percent(Decimal(str(value)))


class PointsColumn(tables.Column):
    """A gap behind 序时 in percentage points; negative when ahead. Exported as a
    number, so a spreadsheet can sort it (and "-6.7" is not mistaken for text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return format_amount(self.value(value), 1)

    def value(self, value: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class StatusColumn(tables.Column):
    def render(self, value: str, record: Any) -> str:
        reconciled = _reference_reconciliation(record)
        if reconciled is not None:
            # 规模指标：beside the register's figure, the reconciliation is the news.
            return format_html("{} {}", status_badge(value), reconcile_badge(reconciled))
        note = presenters.status_note(
            kind=getattr(record, "kind", ""), status=value, ratio=getattr(record, "ratio", None)
        )
        if not note:
            return status_badge(value)
        return format_html('{}<br><span class="muted">{}</span>', status_badge(value), note)

    def value(self, value: str | None, record: Any = None) -> str | None:
        if not value:
            return None
        reconciled = _reference_reconciliation(record)
        if reconciled is not None:
            return f"{Status(value).label}（{reconciled.label}）"
        return Status(value).label


def _reference_reconciliation(record: Any) -> Reconciliation | None:
    if getattr(record, "kind", None) != Kind.REFERENCE or record.target_value is None:
        return None
    return reconcile(stated=record.target_value, held=record.actual, unit=record.unit)


class MonthColumn(tables.Column):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "nowrap"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return month(value)

    def value(self, value: Any) -> str | None:
        return month(value) if value else None


class MilestoneAwareColumn(AmountColumn):
    """An amount, except for a milestone, whose cell is the words its ``value`` gives
    (the page and the export show the same text)."""

    def render(self, value: Any, record: Target) -> str:
        if record.kind == Kind.MILESTONE:
            return self.value(value, record)
        return super().render(value)


class TargetValueColumn(MilestoneAwareColumn):
    """目标值: a number for quantified targets, "6月30日前完成" for a milestone."""

    def value(self, value: Any, record: Target | None = None) -> Any:
        if record is not None and record.kind == Kind.MILESTONE:
            return presenters.target_text(
                kind=record.kind,
                target_value=None,
                unit="",
                direction=record.direction,
                deadline=record.deadline,
            )
        return super().value(value)


class ActualColumn(MilestoneAwareColumn):
    """实际值: the figure, or for a milestone 已完成 (date) / 未完成 (percent)."""

    def value(self, value: Any, record: Target | None = None) -> Any:
        if record is not None and record.kind == Kind.MILESTONE:
            if record.status is None:
                return None
            return presenters.milestone_state(
                status=record.status, reached_on=record.reached_on, percent=value
            )
        return super().value(value)


class GapColumn(PointsColumn):
    """落后序时: percentage points; an overdue target says how long or how much."""

    def render(self, value: Any, record: Target) -> str:
        if record.status == Status.OVERDUE and record.snap_as_of is not None:
            return presenters.overdue_text(
                kind=record.kind,
                as_of=record.snap_as_of,
                deadline=record.deadline,
                actual=record.actual,
                target_value=record.target_value,
                direction=record.direction,
                unit=record.unit,
            )
        return super().render(value)


class ProgrammeTargetTable(tables.Table):
    """The programme page: its targets at the as-of month (rows from
    ``queries.programme_targets``)."""

    code = tables.Column("编号", attrs=NOWRAP)
    title = NameColumn("指标", url=lambda record: reverse("targets:target", args=[record.pk]))
    kind = tables.Column("类型", attrs=low(NOWRAP))
    shown_target = TargetValueColumn("目标值")
    actual = ActualColumn("实际值")
    shown_unit = tables.Column("单位", attrs={"td": {"class": "nowrap"}})
    ratio = RatioColumn("完成率")
    expected = RatioColumn("序时进度", attrs=low(NUM))
    gap = GapColumn("落后序时（百分点）")
    status = StatusColumn("状态", order_by=("status_rank", "sort_order", "code"))
    lead_department = tables.Column(
        "牵头单位",
        order_by=("lead_department__sort_order", "lead_department__name"),
        attrs={"td": {"class": "nowrap"}},
    )
    deadline = tables.DateColumn(verbose_name="完成时限", format="Y年n月j日", attrs=low(NOWRAP))
    last_period = MonthColumn("最近报送", attrs=low(NOWRAP))

    class Meta:
        model = Target
        fields = ()
        attrs = {"class": "data"}
        empty_text = "本工程暂无指标。"
        order_by_field = "sort"
        template_name = "django_tables2/table.html"

    order_shown_target = nulls_last("shown_target")
    order_actual = nulls_last("actual")
    order_ratio = nulls_last("ratio")
    order_expected = nulls_last("expected")
    order_gap = nulls_last("gap")
    order_last_period = nulls_last("last_period")

    def value_lead_department(self, record: Target) -> str:
        return str(record.lead_department)

    def render_lead_department(self, value: Department) -> str:
        return department_cell(self, value)

    # A milestone exports as it shows (完成 / 未完成 and the date), a figure as a number.
    def value_shown_target(self, record: Target) -> Any:
        return self.columns["shown_target"].column.value(record.shown_target, record)

    def value_actual(self, record: Target) -> Any:
        if record.actual is None and record.kind != Kind.MILESTONE:
            return None
        return self.columns["actual"].column.value(record.actual, record)

    # A 规模指标 exports with its reconciliation, as it shows.
    def value_status(self, record: Target) -> Any:
        return self.columns["status"].column.value(record.status, record)

    def value_deadline(self, record: Target) -> Any:
        return record.deadline


class TargetListTable(ProgrammeTargetTable):
    """The filtered list a count links to (``?status=``, ``?programme=``): the
    programme table's columns with the programme beside the code."""

    programme = tables.Column(
        "工程", order_by=("programme__number", "sort_order", "code"), attrs=low(NOWRAP)
    )

    class Meta(ProgrammeTargetTable.Meta):
        empty_text = "没有符合条件的指标。"
        sequence = ("code", "programme", "...")

    def render_programme(self, record: Target) -> str:
        return f"{record.programme.number}. {record.programme.short_name}"

    def value_programme(self, record: Target) -> str:
        return self.render_programme(record)
