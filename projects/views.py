# Placeholder views, replaced by the key-project pages (issue 4).
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def project_list(request):
    return HttpResponse("重点项目")


@login_required
def project_detail(request, pk: int):
    return HttpResponse("项目")
