# Placeholder views, replaced by the reporting pages (issue 5).
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def my_month(request):
    return HttpResponse("月度填报")


@login_required
def review_queue(request):
    return HttpResponse("审核")


@login_required
def missing_reports(request):
    return HttpResponse("未报送")
