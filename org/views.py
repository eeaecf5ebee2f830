"""The account pages: login, password change, second-factor set-up and check."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from org import audit, otp
from org.audit_models import AuditResult
from org.auth import demo_mode
from org.forms import LoginForm, TokenForm
from org.imports import import_accounts
from org.middleware import is_verified, redirect_with_next, remember_account_state
from org.models import Profile
from org.roles import landing_url_name, role_of
from org.uploads import human_size


def landing_url(user) -> str:
    """Where ``user`` starts: the page of their role (org.roles.landing_url_name)."""
    return reverse(landing_url_name(role_of(user)))


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return landing_url(request.user)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Without a ?next=, each role lands on its own page."""
        return landing_url(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_mode"] = demo_mode()
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            Profile.objects.filter(user=self.request.user).update(must_change_password=False)
            # Last write of the transaction: the audit chain's head is locked till commit.
            audit.record(
                action="account.password_change", request=self.request, target=self.request.user
            )
        self.request.user.refresh_from_db()
        remember_account_state(request=self.request, user=self.request.user)
        messages.success(self.request, "密码已修改。")
        return response

    def get_success_url(self) -> str:
        return next_url(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = next_url(self.request)
        context["max_age_days"] = settings.PASSWORD_MAX_AGE_DAYS
        return context


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, type the first code; the recovery codes are shown once."""
    if otp.has_device(request.user) and not is_verified(request):
        # A new device only after the old one: else the set-up would skip the check.
        return redirect_with_next("otp_verify", request.get_full_path())
    device = otp.pending_totp_device(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.confirm_totp_device(
            device=device, token=form.cleaned_data["token"], request=request
        )
        if codes is None:
            form.add_error("token", "验证码不正确或已过期，请输入手机上当前显示的 6 位数字。")
        else:
            device.refresh_from_db()
            otp_login(request, device)
            remember_account_state(request=request, user=request.user)
            return render(
                request,
                "registration/otp_recovery_codes.html",
                {"codes": codes, "next": next_url(request)},
            )
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "qr_svg": otp.qr_svg(device.config_url),
            "secret": otp.base32_key(device),
            "required": otp.second_factor_required(request.user),
            "next": next_url(request),
        },
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the app or a recovery code."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.match_device(user=request.user, token=form.cleaned_data["token"])
        if device is None:
            audit.record(action="auth.otp_failed", request=request, result=AuditResult.FAILURE)
            form.add_error("token", "验证码不正确或已过期；多次错误后需等待片刻再试。")
        else:
            otp_login(request, device)
            return redirect(next_url(request))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": next_url(request)}
    )


class AccountImportForm(forms.Form):
    workbook = forms.FileField(
        label="账号表（.xlsx）", error_messages={"required": "请选择要上传的 Excel 文件。"}
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > settings.UPLOAD_WORKBOOK_MAX_BYTES:
            limit = human_size(settings.UPLOAD_WORKBOOK_MAX_BYTES)
            raise forms.ValidationError(f"文件过大（上限 {limit}）。")
        return upload


@login_required
def account_import(request: HttpRequest) -> HttpResponse:
    """Bulk accounts from Excel, for the system admin (who creates accounts)."""
    if not request.user.has_perm("auth.add_user"):
        raise PermissionDenied("只有系统管理员可以导入账号。")
    form = AccountImportForm(request.POST or None, request.FILES or None)
    created, errors = [], []
    if request.method == "POST" and form.is_valid():
        try:
            created, errors = import_accounts(
                file=form.cleaned_data["workbook"],
                actor_role=role_of(request.user),
                request=request,
            )
        except ValidationError as error:
            errors = error.messages
    context = {"form": form, "created": created, "errors": errors}
    return render(request, "registration/account_import.html", context)
