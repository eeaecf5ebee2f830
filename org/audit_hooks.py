"""Where the audit log hears about things: the auth and django-axes signals, role
changes, refused requests (403) and file exports. The admin's own add/change/delete
are recorded by ``org.audit_admin.AuditedAdminMixin``.

Each kind of event has exactly one trigger, listed here, so nothing is recorded twice.
"""

from collections.abc import Callable
from functools import wraps

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from simple_history.models import HistoricalRecords

from org import audit
from org.audit_models import AuditResult
from org.models import Profile


def current_request() -> HttpRequest | None:
    """The request being served, for a write made where none is passed (a model
    signal, an admin form); set by simple_history's middleware. None outside a request
    (a management command): nobody is named then, rather than someone made up."""
    return getattr(HistoricalRecords.context, "request", None)


def _attempted(username) -> str:
    # A 256-character username is an ordinary failed login: keep what fits a username.
    return str(username or "")[:150]


@receiver(user_logged_in, dispatch_uid="audit_user_logged_in")
def on_login(sender, request, user, **kwargs) -> None:
    audit.record(action="auth.login", actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_user_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the name is kept.
    audit.record(
        action="auth.login_failed",
        request=request,
        result=AuditResult.FAILURE,
        detail={"username": _attempted(credentials.get("username"))},
    )


@receiver(user_logged_out, dispatch_uid="audit_user_logged_out")
def on_logout(sender, request, user, **kwargs) -> None:
    audit.record(action="auth.logout", actor=user, request=request)


@receiver(user_locked_out, dispatch_uid="audit_user_locked_out")
def on_lockout(sender, request, username, ip_address=None, **kwargs) -> None:
    audit.record(
        action="auth.lockout",
        request=request,
        result=AuditResult.FAILURE,
        detail={"username": _attempted(username)},
    )


# Role changes are recorded from the model's signals because roles change in several
# places (the user admin's inline, the bulk import, the bootstrap command): one trigger
# catches them all, with the value before and after.
@receiver(pre_save, sender=Profile, dispatch_uid="audit_role_before")
def remember_role(sender, instance: Profile, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    instance._audit_role_before = (
        Profile.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Profile, dispatch_uid="audit_role_after")
def record_role_change(sender, instance: Profile, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_audit_role_before", None)
    if before == instance.role:
        return
    audit.record(
        action="org.role_change",
        request=current_request(),
        target=instance.user,
        detail={"before": before or "", "after": instance.role},
    )


class AuditDeniedMiddleware:
    """Records every 403 answer: a view's PermissionDenied turned into the 403 page,
    the reporting views' own refusal pages, the admin's refusals and CSRF failures all
    pass back through here. Sits after AuthenticationMiddleware to know the user."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            audit.record(
                action="permission_denied",
                request=request,
                result=AuditResult.FAILURE,
                detail={
                    "method": request.method,
                    "path": request.path[:500],
                    "reason": getattr(request, "_audit_denied_reason", ""),
                },
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            request._audit_denied_reason = str(exception)[:500]


def audited_export(view: Callable) -> Callable:
    """Records a download (an answer with Content-Disposition: attachment) made by
    ``view``: which page, which filters, which file."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        disposition = response.get("Content-Disposition", "")
        if response.status_code == 200 and disposition.startswith("attachment"):
            audit.record(
                action="export",
                request=request,
                detail={
                    "path": request.path[:500],
                    "query": request.GET.urlencode()[:1000],
                    "file": disposition[:500],
                },
            )
        return response

    return wrapper
