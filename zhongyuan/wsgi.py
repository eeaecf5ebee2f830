import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongyuan.settings")

application = get_wsgi_application()

# After setup, before the first request: a server refuses what it must not serve with.
from zhongyuan.deploy import check_serving  # noqa: E402

check_serving()
