"""Pages are sent gzip-compressed to a browser that accepts it (Django's
GZipMiddleware, which pads the body against BREACH), with the same headers (the
Content-Security-Policy included) as uncompressed; static files stay WhiteNoise's
(compressed ahead of time), never compressed twice."""

import gzip

import pytest
from django.conf import settings

from org.models import Role
from tests import factories as f

GZIP = "django.middleware.gzip.GZipMiddleware"


def test_compression_sits_below_whitenoise_and_above_what_writes_the_body():
    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(GZIP)
    # Everything below it may write or read the body; nothing above it does.
    assert order.index(GZIP) < order.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert order.index(GZIP) < order.index("django.middleware.common.CommonMiddleware")


@pytest.mark.django_db
def test_the_overview_is_sent_compressed_with_its_policy(demo, client):
    client.force_login(f.user("leader-1", Role.LEADER))
    plain = client.get("/")
    sent = client.get("/", headers={"accept-encoding": "gzip"})
    assert plain.status_code == sent.status_code == 200
    assert "Content-Encoding" not in plain
    assert sent["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in sent["Vary"]
    html = gzip.decompress(sent.content).decode()
    assert 'data-testid="attention"' in html
    assert len(sent.content) < len(plain.content) / 3
    assert sent["Content-Security-Policy"] == plain["Content-Security-Policy"]
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert sent.get(header) == plain.get(header), header
