"""The monthly-report state machine shared by every kind of report.

    (new) ─save─▶ draft ─submit─▶ submitted ─approve─▶ approved (locked)
                              │                 │
                              └──return(reason)─┴─▶ returned ─submit─▶ submitted …
    approved ─reopen(reason)─▶ returned

Every write bumps ``version``; a write that carries an older version than the row's is
refused with a message that says who changed it and when (optimistic locking), so two
people editing one entry never silently overwrite each other. A form opened before the
entry existed carries version 0 ("expected none"), so two first saves are caught too.
Every write also leaves a history record (django-simple-history) with the user and a
reason.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.timezone import localtime

from workflow.models import WorkflowEntry
from workflow.people import display_name
from workflow.states import EntryState


class WorkflowError(Exception):
    """A transition the rules do not allow; the message is for the user, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConflictError(WorkflowError):
    """Someone else changed the entry since the user loaded it."""


# Which states each action may start from.
EDITABLE_STATES = (EntryState.DRAFT, EntryState.RETURNED, EntryState.SUBMITTED)
ACTION_FROM = {
    "save": EDITABLE_STATES,
    "submit": EDITABLE_STATES,
    "approve": (EntryState.SUBMITTED,),
    "return": (EntryState.SUBMITTED,),
    "reopen": (EntryState.APPROVED,),
}
LOCKED = "该月进展已审核通过并锁定；如需修改，请联系审核员重新打开。"
ACTION_LABEL = {
    "save": "保存草稿",
    "submit": "提交",
    "approve": "审核通过",
    "return": "退回",
    "reopen": "重新打开",
}


def _who_and_when(entry: WorkflowEntry) -> tuple[str, str]:
    editor = entry.updated_by
    who = display_name(editor, nobody="他人")
    when = localtime(entry.updated_at).strftime("%m月%d日 %H:%M") if entry.updated_at else ""
    return who, when


def check_version(entry: WorkflowEntry, expected_version: int | None) -> None:
    """``None`` skips the check (internal callers); 0 means the user's form was opened
    before the entry existed."""
    if expected_version is None or entry.version == expected_version:
        return
    who, when = _who_and_when(entry)
    if expected_version == 0:
        raise ConflictError(
            f"这条记录已由{who}于{when}填报（您打开页面时尚未填报）。"
            "为避免覆盖对方的内容，本次保存未生效：请刷新页面查看最新内容后再修改。"
        )
    raise ConflictError(
        f"这条记录已被{who}于{when}修改（当前为第{entry.version}版，您打开的是第{expected_version}版）。"
        "为避免覆盖对方的内容，本次保存未生效：请刷新页面查看最新内容后再修改。"
    )


def check_action(entry: WorkflowEntry, action: str) -> None:
    if entry.pk is None and action in ("save", "submit"):
        return
    if entry.state not in ACTION_FROM[action]:
        if entry.state == EntryState.APPROVED:
            raise WorkflowError(LOCKED)
        raise WorkflowError(
            f"当前状态为“{entry.get_state_display()}”，不能{ACTION_LABEL[action]}。"
        )


def apply(
    entry: WorkflowEntry,
    *,
    action: str,
    user,
    expected_version: int | None,
    reason: str = "",
) -> bool:
    """Move ``entry`` through ``action`` (in memory; the caller saves it inside its
    transaction, with the row locked). Returns whether the entry counted before."""
    if entry.pk is not None:
        check_version(entry, expected_version)
    check_action(entry, action)
    counted_before = entry.pk is not None and entry.counts
    now = timezone.now()
    if action == "approve" and entry.submitted_by_id == user.pk:
        # Four eyes: whoever submitted a figure does not also confirm it.
        raise WorkflowError("不能审核通过自己提交的进展，请由其他审核员审核。")
    if action in ("return", "reopen") and not reason.strip():
        raise WorkflowError(
            "请填写退回原因，以便填报单位修改。" if action == "return" else "请填写重新打开的原因。"
        )
    if action == "save":
        # A returned entry stays "returned" (with its reason shown) until resubmitted.
        if entry.state != EntryState.RETURNED:
            entry.state = EntryState.DRAFT
    elif action == "submit":
        entry.state = EntryState.SUBMITTED
        entry.submitted_by, entry.submitted_at = user, now
        if entry.first_submitted_at is None:
            entry.first_submitted_at = now  # set once, never cleared
    elif action == "approve":
        entry.state = EntryState.APPROVED
        entry.reviewed_by, entry.reviewed_at = user, now
    else:  # return, reopen
        entry.state = EntryState.RETURNED
        if action == "return":
            entry.return_count += 1  # a reopen of approved work is not a return
        entry.return_reason = reason.strip()
        entry.reviewed_by, entry.reviewed_at = user, now
    if entry.pk is None:
        entry.created_by = user
    else:
        entry.version += 1
    entry.updated_by = user
    entry._history_user = user
    entry._change_reason = change_reason(
        ACTION_LABEL[action] + (f"：{reason.strip()}" if reason.strip() else "")
    )
    return counted_before


def change_reason(text: str) -> str:
    """The history's reason (a text column: a long return reason is kept whole)."""
    return text.strip()


def require(allowed: bool, message: str = "您没有权限进行此操作。") -> None:
    if not allowed:
        raise PermissionDenied(message)
