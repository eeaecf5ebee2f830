"""Writes to accounts: creating one with a first password that must be changed at
first login (bootstrap, bulk import)."""

import secrets

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from org.models import Department, Profile

# No look-alikes (0/O, 1/l/I), so a first password can be read out or written down.
_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=?")


def initial_password(length: int = 16) -> str:
    """A random first password with all four character classes."""
    chars = [secrets.choice(alphabet) for alphabet in _ALPHABETS]
    pool = "".join(_ALPHABETS)
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@transaction.atomic
def create_account(
    *,
    username: str,
    role: str,
    name: str = "",
    email: str = "",
    department: Department | None = None,
    password: str | None = None,
) -> tuple[User, str]:
    """A new account with its one role; the password (given, or made here) must be
    changed at first login. Returns the account and its first password. Raises
    ValidationError when a given password breaks the rules."""
    user = User(username=username, first_name=name, email=email)
    password = password or initial_password()
    validate_password(password, user)
    user.set_password(password)
    user.save()
    Profile.objects.create(user=user, role=role, department=department, must_change_password=True)
    return user, password
