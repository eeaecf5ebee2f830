"""Celery tasks: thin, stable names, ids in, services called. Each also exists as a
management command (an installation without beat runs them from cron)."""

from celery import shared_task

from supervision import escalation
from targets.models import PlanYear
from targets.periods import parse_period


@shared_task(name="supervision.run_escalation", acks_late=True)
def run_escalation(plan_year_id: int, month: str) -> int:
    """The ladder's run for a month that has just been closed (idempotent)."""
    plan_year = PlanYear.objects.get(pk=plan_year_id)
    return len(escalation.run_escalation(plan_year=plan_year, period=parse_period(month)))
