"""What the site refuses to serve with, checked when a server loads the WSGI application
(gunicorn, runserver), never for management commands (migrate, collectstatic, backup
must run on any configuration)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def check_serving() -> None:
    """SQLite with DEBUG off is a production site on a single file, one writer at a
    time and no server backups: refused unless asked for (ALLOW_SQLITE_IN_PRODUCTION=1),
    or the demo (DEMO_MODE=1, `make run`), which is meant to be small and local."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if (
        engine == "django.db.backends.sqlite3"
        and not settings.DEBUG
        and not settings.DEMO_MODE
        and not settings.ALLOW_SQLITE_IN_PRODUCTION
    ):
        raise ImproperlyConfigured(
            "Refusing to serve with SQLite and DEBUG off. Set DATABASE_URL to PostgreSQL "
            "for production, DEMO_MODE=1 for the demo, or ALLOW_SQLITE_IN_PRODUCTION=1 "
            "if a single SQLite file is really meant. Management commands still run."
        )
