"""An entry's recorded history, for its page: who, when, what they did (the reason
the workflow wrote) and the reported fields before → after. One query."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Model

from targets.templatetags.zy import format_amount
from workflow.people import display_name

# The fields shown are the kind's (its adapter's history_fields).
TYPE_LABELS = {"+": "创建", "~": "修改", "-": "删除"}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    long: bool = False


@dataclass(frozen=True)
class HistoryItem:
    when: datetime
    who: str
    action: str
    changes: list[Change]


def _display(model: type[Model], name: str, value) -> str:
    if value in (None, ""):
        return EMPTY
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, Decimal):
        return format_amount(value, 4)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def history_of(obj: Model, fields: tuple[str, ...]) -> list[HistoryItem]:
    """Newest first."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    items, previous = [], None
    for record in records:
        changes = []
        for name in fields:
            before = getattr(previous, name) if previous is not None else None
            after = getattr(record, name)
            if before == after or (previous is None and after in (None, "")):
                continue
            field = model._meta.get_field(name)
            changes.append(
                Change(
                    label=str(field.verbose_name),
                    before=_display(model, name, before),
                    after=_display(model, name, after),
                    long=field.get_internal_type() == "TextField",
                )
            )
        user = record.history_user
        items.append(
            HistoryItem(
                when=record.history_date,
                who=display_name(user, nobody="系统"),
                action=record.history_change_reason or TYPE_LABELS.get(record.history_type, ""),
                changes=changes,
            )
        )
        previous = record
    return items[::-1]
