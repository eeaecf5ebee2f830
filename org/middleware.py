"""Before any page: the idle timeout, the second factor and a due password change.

What the checks need (has the user a second-factor device, must they change their
password and from when) is read once at login and kept in the session, so a page
costs no extra query; the account pages update it when they change it. An admin
resetting a password ends the user's sessions anyway (Django's session hash).

The account pages themselves (login, logout, password change, second-factor set-up
and verification) are exempt, or nobody could get through.
"""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from org import otp, policy
from org.auth import demo_mode, is_demo

LAST_ACTIVITY = "account_last_activity"
STATE = "account_state"
# Don't write the session on every request: a minute of precision is enough.
ACTIVITY_WRITE_EVERY = 60
EXEMPT_URL_NAMES = {"login", "logout", "password_change", "otp_setup", "otp_verify", "healthz"}
IDLE_MESSAGE = "{minutes} 分钟未操作，已自动退出，请重新登录。"


def password_changed_at(user):
    latest = user.password_history.order_by("-created_at").values_list("created_at", flat=True)
    return latest.first() or user.date_joined


def account_state(user) -> dict:
    profile = getattr(user, "profile", None)
    return {
        "has_device": otp.has_device(user),
        "otp_required": otp.second_factor_required(user),
        "must_change": bool(profile and profile.must_change_password),
        "changed_at": password_changed_at(user).timestamp(),
    }


def remember_account_state(*, request, user) -> None:
    """Called at login (user_logged_in) and by the pages that change the state."""
    request.session[STATE] = account_state(user)
    request.session[LAST_ACTIVITY] = time.time()


def is_verified(request) -> bool:
    """Whether this session passed the second factor (django_otp.login records the
    device in the session only after a right code)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        remember_account_state(request=request, user=user)


class AccountPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        now = time.time()
        last = request.session.get(LAST_ACTIVITY)
        if policy.idle_expired(
            last_activity=last, now=now, timeout_seconds=settings.SESSION_IDLE_TIMEOUT
        ):
            logout(request)
            messages.info(request, IDLE_MESSAGE.format(minutes=settings.SESSION_IDLE_TIMEOUT // 60))
            return redirect_to_login(request.get_full_path())
        if last is None or now - last >= ACTIVITY_WRITE_EVERY:
            request.session[LAST_ACTIVITY] = now

        match = request.resolver_match
        if match is None or (match.url_name in EXEMPT_URL_NAMES and not match.namespace):
            return None
        return account_step(request, user)


def account_step(request, user):
    """Where the user must go first, if anywhere: verify the second factor, change
    the password, then set up a second factor."""
    state = request.session.get(STATE)
    if state is None:  # a session from before this check existed
        remember_account_state(request=request, user=user)
        state = request.session[STATE]
    next_url = request.get_full_path()
    if state["has_device"] and not is_verified(request):
        return redirect_with_next("otp_verify", next_url)
    # A forced password change comes before setting up a device, so the set-up never
    # happens under a password an admin knows.
    reason = policy.password_change_reason(
        must_change=state["must_change"],
        changed_at=datetime.fromtimestamp(state["changed_at"], tz=UTC),
        now=timezone.now(),
        max_age_days=settings.PASSWORD_MAX_AGE_DAYS,
        is_demo=is_demo(user),
        demo_mode=demo_mode(),
    )
    if reason:
        messages.warning(request, reason)
        return redirect_with_next("password_change", next_url)
    if state["otp_required"] and not is_verified(request):
        return redirect_with_next("otp_setup", next_url)
    return None


def redirect_with_next(url_name: str, next_url: str):
    return redirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")
