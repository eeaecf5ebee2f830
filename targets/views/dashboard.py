from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from targets import queries
from targets.clock import site_today


@login_required
def overview(request):
    plan_year = queries.current_plan_year(site_today())
    period = queries.latest_snapshot_period(plan_year) if plan_year else None
    snapshots = queries.programme_snapshots(plan_year, period) if period else []
    total = next((s for s in snapshots if s.programme_id is None), None)
    programmes = [s for s in snapshots if s.programme_id is not None]
    return render(
        request,
        "targets/overview.html",
        {"plan_year": plan_year, "period": period, "total": total, "programmes": programmes},
    )
