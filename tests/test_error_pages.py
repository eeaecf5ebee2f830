"""The demo (``make run``: DEBUG=0, DEMO_MODE=1) answers a missing page and a server
error with the product's Chinese pages, never Django's debug or English ones."""

import pytest
from django.test import Client
from django.urls import include, path

from tests import factories as f

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("演示用的故障")


urlpatterns = [path("boom/", _boom), path("", include("zhongyuan.urls"))]

DJANGO_WORDS = ["Page not found", "Not Found", "Server Error", "Traceback", "URLconf"]


@pytest.fixture
def demo_switches(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = True


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_missing_page_is_the_chinese_404_with_debug_off(client, demo_switches, signed_in):
    if signed_in:
        client.force_login(f.user("reader"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.text
    assert '<html lang="zh-Hans"' in response.text
    assert [w for w in DJANGO_WORDS if w in response.text] == []


def test_a_server_error_is_the_chinese_500_with_debug_off(demo_switches, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "系统出错" in response.text
    assert [w for w in DJANGO_WORDS if w in response.text] == []
