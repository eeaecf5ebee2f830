"""Static files as production serves them, and as `make run` serves them too.

plotly.js is our own partial bundle (static/vendor/plotly-zhongyuan.min.js, built by
static/vendor/build/build.mjs); the files are hashed and stored with gzip and Brotli
variants by collectstatic, and whitenoise serves the hashed names with
``Cache-Control: max-age=315360000, public, immutable``: a repeat visit downloads
no static file again.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesConfig(BaseStaticFilesConfig):
    # The bundle's build script, its lock file and a stray node_modules are sources
    # for rebuilding plotly.js, not files the pages load.
    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "vendor/build/*", "node_modules"]


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    """Hands out hashed names even with DEBUG on.

    Django's manifest storage gives the plain names while DEBUG is on, so that an
    edited file shows without collectstatic. `make run` is a DEBUG demo that serves
    collected files (STATIC_MANIFEST=1), and should download what production does:
    the hashed, compressed, cached-for-good names.
    """

    def url(self, name, force=False):
        return super().url(name, force=True)
