"""The Celery application (worker: `celery -A zhongyuan worker`, beat: `celery -A zhongyuan beat`).

Configuration comes from Django settings under the CELERY_ prefix. With no REDIS_URL
tasks run eagerly in process, so the embedded default needs no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongyuan.settings")

app = Celery("zhongyuan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
