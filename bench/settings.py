"""The benchmark's gunicorn: the product's settings, with the benchmark's URLconf (the
product's URLs plus the reference view, which the product never serves)."""

from zhongyuan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
