"""One vocabulary: every choice the models offer is labelled by the glossary, so a page
that shows ``get_status_display`` and an export that looks a code up in the glossary
cannot disagree, and one status is never called two names."""

import pytest

from org import glossary
from org.models import DepartmentKind, Role
from targets.models import Assessment, Direction, Kind, Status
from workflow.people import display_name
from workflow.states import EntryState


@pytest.mark.parametrize(
    ("choices", "words"),
    [
        (Status, glossary.STATUS),
        (Assessment, glossary.ASSESSMENT),
        (Kind, glossary.KIND),
        (Direction, glossary.DIRECTION),
        (EntryState, glossary.ENTRY_STATE),
        (Role, glossary.ROLE),
        (DepartmentKind, glossary.DEPARTMENT_KIND),
    ],
)
def test_every_choice_is_labelled_by_the_glossary(choices, words):
    assert {code: str(label) for code, label in choices.choices} == {
        code: words[code] for code in choices.values
    }


def test_a_status_has_one_name_whoever_says_it():
    # An assessed target "achieved" is what every other page calls 已完成.
    assert Assessment.ACHIEVED.label == Status.COMPLETED.label == "已完成"
    labels = list(glossary.STATUS.values())
    assert len(labels) == len(set(labels))


def test_units_are_the_reports_own():
    assert glossary.UNITS == ("亿元", "万平方米", "个", "家", "所", "户", "%")


class _User:
    def __init__(self, full: str, username: str) -> None:
        self.full, self.username = full, username

    def get_full_name(self) -> str:
        return self.full

    def get_username(self) -> str:
        return self.username


@pytest.mark.parametrize(
    ("user", "expected"),
    [(_User("张三", "zhangsan"), "张三"), (_User("", "zhangsan"), "zhangsan"), (None, "—")],
)
def test_a_person_is_named_one_way(user, expected):
    assert display_name(user) == expected


class _Department:
    name, short_name = "中原区房屋征收与补偿中心", "区房屋征收中心"


def test_a_department_is_named_by_its_short_name_with_the_full_name_beside():
    assert glossary.department_name(_Department()) == "区房屋征收中心"
    assert glossary.department_full_name(_Department()) == "中原区房屋征收与补偿中心"
    assert glossary.department_name(None) == "—"
