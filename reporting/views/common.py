"""What every reporting view shares: login, friendly refusals, safe redirects."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from workflow.registry import ReportAdapter, registry

DENIED = "您没有权限访问此页面或进行此操作。"


def reporting_view(view: Callable) -> Callable:
    """Login required; a refusal (PermissionDenied) is a 403 page that says why, in
    Chinese, with the way back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return render(
                request, "reporting/denied.html", {"message": str(error) or DENIED}, status=403
            )

    return login_required(wrapper)


def error_page(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    return render(request, "reporting/error.html", {"message": message}, status=status)


def next_url(request: HttpRequest, default: str) -> str:
    """Where a POST action returns to: the page it came from, if it is ours."""
    target = request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith("/") else default


def adapter_or_404(kind: str) -> ReportAdapter:
    """The adapter of the kind of report a URL names."""
    try:
        return registry.get(kind)
    except LookupError as error:
        raise Http404("没有这类填报。") from error
