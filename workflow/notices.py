"""Who hears about a workflow step, through the one outbound log (org.outbound).

- A return or a reopen tells the clerks (填报员) of the entry's department, in-app and
  by e-mail, with the reviewer's reason and a link to the entry.
- A submission that puts an entry in the review queue (a new one, or one resubmitted
  after a return) tells the reviewers in-app only: a reviewer works from the queue
  every day, and an e-mail per submission would bury their inbox. Submissions are
  told per department and batch: one web submit is one notice; a workbook upload of
  forty rows is one notice per reviewer (``batched``), never forty.

Called from the workflow services only (workflow/services.py), so the web forms and
the Excel import raise the same notices.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.http import urlencode

from org.models import Department, OutboundEvent, Role
from org.outbound import notify
from org.roles import active_with_role, clerks_of
from workflow.models import WorkflowEntry
from workflow.people import display_name
from workflow.registry import ReportAdapter


def reviewers() -> list[User]:
    """The active 审核员 (one query)."""
    return active_with_role(Role.REVIEWER)


def _month(period: date) -> str:
    return f"{period.year}年{period.month}月"


REVIEW_EVENTS = {"return": OutboundEvent.RETURNED, "reopen": OutboundEvent.REOPENED}


def entry_reviewed(*, adapter: ReportAdapter, entry: WorkflowEntry, action: str, user) -> None:
    """After a return or a reopen (inside its transaction): tell the department's
    clerks, in-app and by e-mail. Other actions tell nobody."""
    event = REVIEW_EVENTS.get(action)
    if event is None:
        return
    subject = adapter.subject_of(entry)
    department_id = adapter.department_id(subject)
    verb = "退回修改" if action == "return" else "重新打开"
    title = f"{subject}（{_month(entry.period)}）"
    link = adapter.entry_url(subject.pk, entry.period)
    body = (
        f"您单位报送的{adapter.label}“{title}”已被{display_name(user)}{verb}。\n"
        f"原因：{entry.return_reason}\n"
        "请按原因修改后重新提交。"
    )
    notify(
        event,
        recipients=clerks_of([department_id]).get(department_id, []),
        subject=f"【{verb}】{title}",
        body=body,
        link=link,
        department=Department.objects.filter(pk=department_id).first(),
        actor=user,
        email=True,
    )


@dataclass(frozen=True)
class Submitted:
    """One entry a submission put in the review queue."""

    kind_label: str
    department_id: int | None
    period: date
    title: str
    link: str
    resubmitted: bool
    actor: User | None = None  # who submitted


# The submissions of the batch being collected (None: tell at once).
_batch: ContextVar[list[Submitted] | None] = ContextVar("workflow_notice_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Collect the submissions made inside and tell the reviewers once at the end,
    one notice per department (the workbook import). Nothing is told when the block
    raises (its transaction rolls back)."""
    if _batch.get() is not None:  # already collecting: the outer block tells
        yield
        return
    token = _batch.set([])
    try:
        yield
        items = _batch.get() or []
    finally:
        _batch.reset(token)
    _tell_reviewers(items)


def entries_submitted(
    *,
    adapter: ReportAdapter,
    entries: Sequence[WorkflowEntry],
    resubmitted: set[int],
    user,
) -> None:
    """After a submission (inside its transaction): ``entries`` are the ones it put
    in the review queue; ``resubmitted`` the ids among them that came back after a
    return. Told at once, or at the end of the ``batched`` block."""
    items = []
    for entry in entries:
        subject = adapter.subject_of(entry)
        items.append(
            Submitted(
                kind_label=adapter.label,
                department_id=adapter.department_id(subject),
                period=entry.period,
                title=f"{subject}（{_month(entry.period)}）",
                link=adapter.entry_url(subject.pk, entry.period),
                resubmitted=entry.pk in resubmitted,
                actor=user,
            )
        )
    batch = _batch.get()
    if batch is not None:
        batch.extend(items)
        return
    _tell_reviewers(items)


def _tell_reviewers(items: list[Submitted]) -> None:
    if not items:
        return
    people = reviewers()
    if not people:
        return
    by_department: dict[int | None, list[Submitted]] = defaultdict(list)
    for item in items:
        by_department[item.department_id].append(item)
    departments = Department.objects.in_bulk([pk for pk in by_department if pk is not None])
    for department_id, mine in by_department.items():
        department = departments.get(department_id)
        name = department.name if department else "未指定单位"
        notify(
            OutboundEvent.SUBMITTED,
            recipients=people,
            subject=_submitted_subject(name, mine),
            body="\n".join(
                f"{'重新提交' if item.resubmitted else '新提交'}：{item.kind_label} {item.title}"
                for item in mine
            ),
            link=_submitted_link(department, mine),
            department=department,
            actor=mine[0].actor,
            email=False,
        )


def _submitted_subject(name: str, items: list[Submitted]) -> str:
    if len(items) == 1:
        item = items[0]
        verb = "重新提交" if item.resubmitted else "提交"
        return f"【待审核】{name}{verb}了{item.kind_label}“{item.title}”"
    again = sum(item.resubmitted for item in items)
    note = f"（其中重新提交 {again} 条）" if again else ""
    return f"【待审核】{name}提交了 {len(items)} 条进展{note}"


def _submitted_link(department: Department | None, items: list[Submitted]) -> str:
    """One entry: its page (where the reviewer approves or returns it); several: the
    review queue filtered to the department (and the month, when they share one)."""
    if len(items) == 1:
        return items[0].link
    query = {}
    if department is not None:
        query["department"] = department.code
    months = {item.period for item in items}
    if len(months) == 1:
        query["month"] = months.pop().strftime("%Y-%m")
    url = reverse("reporting:review")
    return f"{url}?{urlencode(query)}" if query else url
