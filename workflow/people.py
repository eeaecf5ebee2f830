"""How a person is named on every page, message and record: built once here."""

NOBODY = "—"


def display_name(user, *, nobody: str = NOBODY) -> str:
    """A user's full name, else the account name; ``nobody`` when there is none."""
    if user is None:
        return nobody
    return user.get_full_name() or user.username
