"""Password validators for GB/T 22239-2019 §8.1.4.1 (complexity and rotation).

The length, similarity and common-password checks are Django's, configured in
settings; these add the character classes, a local list and the history.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from org.policy import character_classes


class CharacterClassesValidator:
    """At least `min_classes` of: lower case, upper case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_character_classes")

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、其他符号中的至少 {self.min_classes} 类。"


class LocalCommonPasswordValidator:
    """Refuses the passwords in org/common_passwords.txt (the demo's among them)."""

    path = Path(__file__).resolve().parent / "common_passwords.txt"

    def __init__(self) -> None:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        self.passwords = {
            line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
        }

    def validate(self, password: str, user=None) -> None:
        if password.strip().lower() in self.passwords:
            raise ValidationError(
                "该密码过于常见（或是公开的演示密码），请换一个。", code="password_too_common"
            )

    def get_help_text(self) -> str:
        return "不能使用常见密码或公开的演示密码。"


class PasswordHistoryValidator:
    """A new password may not be the current one or any of the last
    PASSWORD_HISTORY_COUNT; each change is recorded (Django calls password_changed
    when a user with a newly set password is saved)."""

    def count(self) -> int:
        return settings.PASSWORD_HISTORY_COUNT

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from org.models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.count()
            ]
        )
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from org.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            self.count() :
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count()} 次使用过的密码相同。"
