"""A small world for the reporting pages: one department ("own") leading a target
of every kind, a derived target and a key project; another department ("other")
with a target and a project of its own; one user of every role. The site's today
is 2025-07-20, so June's report (due July 5) is overdue and July is being written.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.test import Client

from org.models import Department, Role
from projects.models import KeyProject
from targets.models import Kind, PlanYear, Target
from tests import factories as f

TODAY = date(2025, 7, 20)
JUNE = date(2025, 6, 1)
MAY = date(2025, 5, 1)
PASSWORD = "pw-Zhongyuan-1"


@dataclass
class World:
    year: PlanYear
    own: Department
    other: Department
    cumulative: Target
    level: Target
    ceiling: Target
    milestone: Target
    assessed: Target
    derived: Target
    foreign: Target
    project: KeyProject
    foreign_project: KeyProject
    users: dict[str, User]

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            f.login(client, self.users[who])
        return client

    def target(self, kind: str) -> Target:
        return getattr(self, kind)


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.SITE_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    year = f.plan_year()
    own = f.department("own", name="区自有局", short_name="自有局", email="own@example.org")
    other = f.department("other", name="区其他局", short_name="其他局")
    p1, p3, p8 = f.programme(year, 1), f.programme(year, 3), f.programme(year, 8)
    world = World(
        year=year,
        own=own,
        other=other,
        cumulative=f.target(
            p8, code="8.1", unit="万平方米", target_value=D(335), lead_department=own
        ),
        level=f.target(
            p1, code="1.2", kind=Kind.LEVEL, unit="%", target_value=D(10), lead_department=own
        ),
        ceiling=f.target(
            p8,
            code="8.3",
            kind=Kind.CEILING,
            unit="户",
            baseline=D(5),
            target_value=D(0),
            direction="decrease",
            lead_department=own,
        ),
        milestone=f.target(
            p1,
            code="1.3",
            kind=Kind.MILESTONE,
            unit="",
            baseline=None,
            target_value=None,
            deadline=date(2025, 9, 30),
            lead_department=own,
        ),
        assessed=f.target(
            p1,
            code="1.4",
            kind=Kind.ASSESSED,
            unit="",
            baseline=None,
            target_value=None,
            lead_department=own,
        ),
        derived=f.target(
            p3, code="3.3", source="signed_amount", target_value=D(400), lead_department=own
        ),
        foreign=f.target(p8, code="8.2", unit="所", target_value=D(9), lead_department=other),
        project=f.project(year, p3, code="P-OWN", lead_department=own),
        foreign_project=f.project(year, p3, code="P-OTHER", lead_department=other),
        users={
            "own_staff": f.user("staff-own", Role.STAFF, own, email="staff@example.org"),
            "other_staff": f.user("staff-other", Role.STAFF, other),
            "reviewer": f.user("reviewer", Role.REVIEWER),
            "leader": f.user("leader", Role.LEADER),
            "admin": f.user("admin", Role.ADMIN),
        },
    )
    return world
