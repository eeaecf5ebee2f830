"""Static files as production serves them, and as `make run` serves them too.

plotly.js is our own partial bundle (static/vendor/plotly-zhongyuan.min.js, built by
static/vendor/build/build.mjs); the files are hashed and stored with gzip and Brotli
variants by collectstatic, and whitenoise serves the hashed names with
``Cache-Control: max-age=315360000, public, immutable``: a repeat visit downloads
no static file again.
"""

from django.contrib.staticfiles.finders import FileSystemFinder
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The bundle's build script, its lock file and a stray node_modules are for rebuilding
# plotly.js, not files the pages load.
NOT_COLLECTED = ["vendor/build/*", "node_modules"]


class SourceFinder(FileSystemFinder):
    """STATICFILES_DIRS, less the plotly.js build folder.

    (Not a StaticFilesConfig with more ignore_patterns: pytest-django's live server
    serves static files only when "django.contrib.staticfiles" is installed by that
    name.)
    """

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *NOT_COLLECTED])


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    """Hands out hashed names even with DEBUG on.

    Django's manifest storage gives the plain names while DEBUG is on, so that an
    edited file shows without collectstatic. `make run` is a DEBUG demo that serves
    collected files (STATIC_MANIFEST=1), and should download what production does:
    the hashed, compressed, cached-for-good names.
    """

    def url(self, name, force=False):
        return super().url(name, force=True)
