"""A NUL byte in the query or a posted form is refused once, by a middleware, with the
Chinese 400 page (on PostgreSQL it used to reach a filter and fail as a 500)."""

import pytest

from org.models import Role
from tests import factories as f

NUL_PAGES = [
    ("get", "/report/?department=%00"),
    ("get", "/report/?department=1%00"),
    ("get", "/report/excel/?department=%00"),
    ("get", "/report/excel/template/?department=%00"),
    ("get", "/review/missing/?department=%00"),
    ("post", "/review/missing/remind/"),
    ("form", "/review/missing/remind/"),
    ("get", "/?month=2025-10%00"),
    ("get", "/projects/?q=%00"),
]


@pytest.mark.parametrize(("method", "url"), NUL_PAGES)
def test_a_nul_byte_is_a_chinese_400_not_a_500(client, db, method, url):
    client.force_login(f.user("admin-nul", Role.ADMIN))
    if method == "post":
        response = client.post(url, {"department": "1\x00", "month": "2025-10"})
    elif method == "form":  # as a browser posts a form without files
        response = client.post(
            url, "department=1%00&month=2025-10", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.get(url)
    assert response.status_code == 400
    text = response.content.decode()
    assert "请求无法处理" in text
    assert "控制字符（NUL）" in text
    assert "Bad Request" not in text


def test_a_nul_byte_in_a_key_is_refused_too(client, db):
    response = client.get("/login/?a%00b=1")
    assert response.status_code == 400


def test_djangos_own_400_is_the_chinese_page(client, db, settings):
    # A host not allowed: Django's SuspiciousOperation handling renders 400.html.
    settings.ALLOWED_HOSTS = ["dashboard.example"]
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()
