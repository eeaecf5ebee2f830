"""Site-wide plumbing: health check, login, demo banner."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.text


def test_login_redirects_to_the_overview(client):
    f.user("reader")
    response = client.post(reverse("login"), {"username": "reader", "password": "pw-Zhongyuan-1"})
    assert (response.status_code, response["Location"]) == (302, reverse("targets:overview"))


def test_wrong_password_is_refused_with_a_message(client):
    f.user("reader")
    response = client.post(reverse("login"), {"username": "reader", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text


def test_demo_banner_shows_only_with_demo_data(client, demo):
    client.force_login(f.user("reader"))
    assert "演示数据" in client.get(reverse("login"), follow=True).text
    demo.has_demo_data = False
    demo.save(update_fields=["has_demo_data"])
    assert "演示数据" not in client.get(reverse("login"), follow=True).text


def test_logout_needs_post_and_ends_the_session(client):
    client.force_login(f.user("reader"))
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("targets:overview")).status_code == 302


def test_permission_denied_page_is_in_chinese(client, rf):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = f.user("reader")
    response = permission_denied(request, PermissionDenied("只能查看本单位的数据。"))
    assert response.status_code == 403
    assert "只能查看本单位的数据。" in response.content.decode()


def test_unknown_page_is_a_chinese_404(client):
    client.force_login(f.user("reader"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.text


def test_server_error_page_needs_no_database(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "args", "section"),
    [
        ("targets:overview", [], "总览"),
        ("targets:programme", [1], "总览"),
        ("projects:list", [], "重点项目"),
        ("reporting:my_month", [], "月度填报"),
        ("reporting:review", [], "审核"),
        ("reporting:missing", [], "未报送"),
    ],
)
def test_navigation_marks_the_current_section(client, demo, url_name, args, section):
    f.login(client, f.user("boss", "admin"))
    response = client.get(reverse(url_name, args=args), {"department": "fgw"})
    assert response.status_code == 200
    nav = response.text.split('<nav class="site-nav"')[1].split("</nav>")[0]
    marked = nav.split('aria-current="page">')[1:]
    assert [m.split("<")[0] for m in marked] == [section]


def test_password_guessing_locks_the_account_from_that_address(client, settings):
    f.user("reader")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "reader", "password": "guess"})
    # Even the right password is refused now, with a message in Chinese.
    response = client.post(reverse("login"), {"username": "reader", "password": "pw-Zhongyuan-1"})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.text
    assert "请 15 分钟后再试" in response.text
    # Another address is not locked out.
    other = client.post(
        reverse("login"),
        {"username": "reader", "password": "pw-Zhongyuan-1"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_a_successful_login_resets_the_count(client, settings):
    f.user("reader")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "reader", "password": "guess"})
    assert (
        client.post(
            reverse("login"), {"username": "reader", "password": "pw-Zhongyuan-1"}
        ).status_code
        == 302
    )
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "reader", "password": "guess"})
    assert (
        client.post(
            reverse("login"), {"username": "reader", "password": "pw-Zhongyuan-1"}
        ).status_code
        == 302
    )


def test_an_oversized_request_is_refused_before_it_is_read(client, settings):
    client.force_login(f.user("reader"))
    response = client.post(
        reverse("targets:overview"),
        data=b"x",
        content_type="text/plain",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()
