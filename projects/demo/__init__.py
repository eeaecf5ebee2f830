"""Demo data: the 2025 year in progress as of 2025-11-20, kept apart from the report.

Everything here is marked ``is_demo`` (entries, projects, progress, accounts) and the
plan year is flagged, so the UI shows a 演示数据 banner and ``seed_demo --reset`` or
``--remove`` replaces or removes it without touching real rows. The generator is
deterministic: a fixed seed, fixed timestamps, and rows created in a fixed order.
"""

import random

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ProtectedError

from projects.demo.accounts import create_accounts
from projects.demo.common import DEMO_PASSWORD, DEMO_TODAY, SEED
from projects.demo.entries import create_entries
from projects.demo.projects import create_progress, create_projects
from projects.models import KeyProject, ProjectProgress
from targets.models import ClosedMonth, PlanYear, ProgressEntry, Target
from targets.snapshots import batched_recompute, request_recompute

__all__ = ["DEMO_PASSWORD", "DEMO_TODAY", "remove_demo_data", "seed_demo"]


def _remove_rows(plan_year: PlanYear) -> None:
    # The demo's closed months (make run closes January–October) go with its rows, so
    # the recompute below rewrites every month from what is left.
    ClosedMonth.objects.filter(plan_year=plan_year).delete()
    ProgressEntry.objects.filter(target__programme__plan_year=plan_year, is_demo=True).delete()
    ProjectProgress.objects.filter(project__plan_year=plan_year, is_demo=True).delete()
    KeyProject.objects.filter(plan_year=plan_year, is_demo=True).delete()
    PlanYear.objects.filter(pk=plan_year.pk).update(has_demo_data=False)


def _remove_accounts() -> None:
    """Demo accounts have a public password: delete them, or, where real rows refer
    to one (someone used it for real work), lock it."""
    for user in User.objects.filter(profile__is_demo=True):
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])


def remove_demo_data(plan_year: PlanYear) -> None:
    """Remove the year's demo rows and the demo accounts; the report stays."""
    with transaction.atomic(), batched_recompute("删除演示数据"):
        _remove_rows(plan_year)
        _remove_accounts()
        request_recompute(
            target_ids=Target.objects.for_plan_year(plan_year).values_list("pk", flat=True),
            reason="删除演示数据",
        )


def seed_demo(plan_year: PlanYear) -> dict[str, int]:
    """Replace the year's demo rows with freshly generated ones; the recompute of
    every target is requested (through the outbox) when the transaction commits."""
    rng = random.Random(SEED)
    with transaction.atomic(), batched_recompute("载入演示数据"):
        _remove_rows(plan_year)
        accounts = create_accounts()
        counts = {
            "accounts": len(accounts),
            "entries": create_entries(plan_year, accounts),
            "projects": create_projects(plan_year, rng),
            "progress": create_progress(plan_year, accounts, rng),
        }
        PlanYear.objects.filter(pk=plan_year.pk).update(has_demo_data=True)
        request_recompute(
            target_ids=Target.objects.for_plan_year(plan_year).values_list("pk", flat=True),
            reason="载入演示数据",
        )
    return counts
