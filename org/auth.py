"""The login backend: a right password is not enough without a role, and demo
accounts log in only in demo mode. Permissions in the admin come from the role
(org.policy.ROLE_PERMISSIONS), never from is_superuser or per-user grants."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from org import policy
from org.roles import role_of

USERNAME_MAX = 150


def demo_mode() -> bool:
    # The demo switch, separate from DEBUG (zhongyuan/settings.py).
    return bool(settings.DEMO_MODE)


def is_demo(user) -> bool:
    profile = getattr(user, "profile", None)
    return bool(profile and profile.is_demo)


def refusal_for(user) -> str | None:
    return policy.login_refusal(
        role=role_of(user),
        is_demo=is_demo(user),
        demo_mode=demo_mode(),
        is_superuser=user.is_superuser,
    )


def axes_username(request, credentials: dict | None) -> str | None:
    """The username django-axes records, cut to what an account can have: its column
    holds 255 characters and a longer one would fail the login with a 500."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD) if source else None
    return username[:USERNAME_MAX] if isinstance(username, str) else username


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            # As ModelBackend does: hash anyway, so timing does not tell who exists.
            user_model().set_password(password)
            return None
        if not user.check_password(password) or not super().user_can_authenticate(user):
            return None
        refusal = refusal_for(user)
        if refusal:
            # Said only after the right password, so it tells a guesser nothing; the
            # login form shows it (request.login_refusal).
            if request is not None:
                request.login_refusal = refusal
            raise PermissionDenied(refusal)
        return user

    def user_can_authenticate(self, user) -> bool:
        # Also checked on every request (get_user): losing the role ends the session.
        return super().user_can_authenticate(user) and refusal_for(user) is None

    def get_all_permissions(self, user_obj, obj=None) -> set:
        return set()

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        return user_obj.is_active and policy.role_grants(role_of(user_obj), perm)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return user_obj.is_active and policy.role_has_module(role_of(user_obj), app_label)
