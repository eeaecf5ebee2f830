from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareModelBackend(ModelBackend):
    """The usual backend, except that demo accounts (their password is in the README)
    can log in only under the demo switch (DEMO_MODE)."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        profile = getattr(user, "profile", None)
        return settings.DEMO_MODE or profile is None or not profile.is_demo
