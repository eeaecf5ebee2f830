"""Group robots against a real HTTP server on 127.0.0.1 started by the test: the
企业微信 and 钉钉 payloads as documented, the 钉钉 signature checked by the server, a
failing robot retried and logged as 发送失败 without touching the request that raised
the event, and the URL and secret never in the logs, the outbound log, the audit log
or the admin pages."""

import base64
import hashlib
import hmac
import json
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from org.audit_models import AuditEvent
from org.models import OutboundChannel, OutboundEvent, OutboundMessage, OutboundStatus
from supervision import push
from supervision.models import ChatHook, SupervisionOrder
from tests.reporting.conftest import world  # noqa: F401 (the fixture)

SECRET = "SECtest0123456789abcdefSECRETVALUE"
TOKEN = "access-token-3b8f2c9d1e"


class Robot:
    """A local robot: records each POST; answers as told; checks 钉钉's signature."""

    def __init__(self, status: int = 200, errcode: int = 0, secret: str = "") -> None:
        self.status, self.errcode, self.secret = status, errcode, secret
        self.received: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                robot.received.append({"path": self.path, "query": query, "body": body})
                errcode = robot.errcode
                if robot.secret and not robot.signed(query):
                    errcode = 310000  # 钉钉: sign not match
                answer = json.dumps({"errcode": errcode, "errmsg": "ok" if not errcode else "bad"})
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def signed(self, query: dict) -> bool:
        timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
        text = f"{timestamp}\n{self.secret}".encode()
        expected = base64.b64encode(hmac.new(self.secret.encode(), text, hashlib.sha256).digest())
        # parse_qs has already URL-decoded the sign once
        return bool(timestamp) and hmac.compare_digest(sign.encode(), expected)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token={TOKEN}"

    def __enter__(self) -> "Robot":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _hook(world, robot: Robot, kind: str, **extra) -> ChatHook:  # noqa: F811
    return ChatHook.objects.create(
        kind=kind,
        label=f"自有局{kind}群",
        department=world.own,
        url=robot.url,
        secret=robot.secret,
        events=[OutboundEvent.ORDER, OutboundEvent.INSTRUCTION],
        **extra,
    )


def _open_order(world, capture) -> None:  # noqa: F811
    with capture(execute=True):
        response = world.client("reviewer").post(
            reverse("supervision:open_target", args=[world.cumulative.pk]),
            {
                "order-requirement": "请于月底前补齐进度",
                "order-deadline": "2025-07-31",
                "order-colour": "red",
            },
        )
    assert response.status_code == 302  # the request never waits on, or fails with, a robot


def _secrets_absent(text: str) -> None:
    assert SECRET not in text
    assert TOKEN not in text


def test_wecom_gets_the_documented_markdown(world, django_capture_on_commit_callbacks, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    with Robot() as robot:
        _hook(world, robot, "wecom")
        _open_order(world, django_capture_on_commit_callbacks)
    [request] = robot.received
    body = request["body"]
    assert sorted(body) == ["markdown", "msgtype"]
    assert body["msgtype"] == "markdown"
    assert sorted(body["markdown"]) == ["content"]
    assert "红色督办" in body["markdown"]["content"]
    assert "请于月底前补齐进度" in body["markdown"]["content"]
    row = OutboundMessage.objects.get(channel=OutboundChannel.WECOM)
    assert (row.status, row.attempts, row.address, row.event) == (
        OutboundStatus.SENT,
        1,
        "自有局wecom群",
        OutboundEvent.ORDER,
    )
    _secrets_absent(caplog.text)


def test_dingtalk_is_signed_and_the_server_checks_the_signature(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    with Robot(secret=SECRET) as robot:
        _hook(world, robot, "dingtalk")
        _open_order(world, django_capture_on_commit_callbacks)
    [request] = robot.received
    assert request["query"]["access_token"] == [TOKEN]
    assert robot.signed(request["query"])
    body = request["body"]
    assert body["msgtype"] == "markdown"
    assert sorted(body["markdown"]) == ["text", "title"]
    assert "请于月底前补齐进度" in body["markdown"]["text"]
    row = OutboundMessage.objects.get(channel=OutboundChannel.DINGTALK)
    assert row.status == OutboundStatus.SENT
    _secrets_absent(caplog.text)


def test_a_wrong_dingtalk_secret_is_refused_retried_and_logged(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    with Robot(secret=SECRET) as robot:
        hook = _hook(world, robot, "dingtalk")
        ChatHook.objects.filter(pk=hook.pk).update(secret="SECwrong")
        _open_order(world, django_capture_on_commit_callbacks)
    row = OutboundMessage.objects.get(channel=OutboundChannel.DINGTALK)
    assert row.status == OutboundStatus.FAILED
    assert "310000" in row.error
    assert len(robot.received) == row.attempts == 4
    _secrets_absent(caplog.text)
    assert "SECwrong" not in caplog.text and "SECwrong" not in row.error


@pytest.mark.parametrize(
    ("status", "errcode", "error"), [(500, 0, "HTTP 500"), (200, 93000, "93000")]
)
def test_a_failing_robot_is_retried_and_logged_without_blocking(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
    caplog,
    status,
    errcode,
    error,
):
    caplog.set_level(logging.DEBUG)
    with Robot(status=status, errcode=errcode) as bad, Robot() as good:
        _hook(world, bad, "wecom")
        ChatHook.objects.create(
            kind="wecom",
            label="区领导群",
            leaders_group=True,
            url=good.url,
            events=[OutboundEvent.ORDER],
        )
        _open_order(world, django_capture_on_commit_callbacks)
    assert SupervisionOrder.objects.count() == 1  # the change itself went through
    failed = OutboundMessage.objects.get(address="自有局wecom群")
    assert failed.status == OutboundStatus.FAILED
    assert failed.attempts == len(bad.received) == 4
    assert error in failed.error
    # The other hook, and the e-mail, are not held up by the failing one.
    assert OutboundMessage.objects.get(address="区领导群").status == OutboundStatus.SENT
    assert len(good.received) == 1
    assert "failed" in caplog.text
    _secrets_absent(caplog.text)
    for row in OutboundMessage.objects.all():
        _secrets_absent(f"{row.address} {row.error} {row.body} {row.link}")


def test_an_unreachable_robot_fails_without_the_url_in_the_error(world, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    with pytest.raises(push.PushError) as raised:
        push.post_json(f"http://127.0.0.1:9/robot/send?access_token={TOKEN}", {"msgtype": "text"})
    _secrets_absent(str(raised.value))


def test_the_signature_matches_the_documented_recipe():
    # 钉钉's own example: HmacSHA256 over "timestamp\nsecret", base64, URL-encoded.
    secret, timestamp = "SEC000", 1577262236757
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    expected = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    assert push.dingtalk_sign(secret, timestamp) == expected
    url = push.signed_url("https://oapi.dingtalk.com/robot/send?access_token=x", secret, timestamp)
    assert url.endswith(f"&timestamp={timestamp}&sign={expected}")


def test_admin_never_shows_the_url_or_secret_and_audits_changes(world, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    client = world.client("admin")
    response = client.post(
        reverse("admin:supervision_chathook_add"),
        {
            "kind": "dingtalk",
            "label": "自有局钉钉群",
            "department": world.own.pk,
            "url": f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}",
            "secret": SECRET,
            "events": [OutboundEvent.ORDER, OutboundEvent.BULLETIN],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hook = ChatHook.objects.get()
    assert (hook.secret, hook.events) == (SECRET, ["order", "bulletin"])
    for url in (
        reverse("admin:supervision_chathook_changelist"),
        reverse("admin:supervision_chathook_change", args=[hook.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        _secrets_absent(page.content.decode())
    # Saving again with the write-only fields blank keeps them.
    response = client.post(
        reverse("admin:supervision_chathook_change", args=[hook.pk]),
        {
            "kind": "dingtalk",
            "label": "自有局钉钉群",
            "department": world.own.pk,
            "url": "",
            "secret": "",
            "events": [OutboundEvent.ORDER],
            "active": "on",
        },
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.secret == SECRET and TOKEN in hook.url and hook.events == ["order"]
    audited = AuditEvent.objects.filter(target_model="supervision.chathook")
    assert {e.action for e in audited} == {"admin.add", "admin.change"}
    for event in audited:
        _secrets_absent(json.dumps(event.detail, ensure_ascii=False) + event.target_repr)
    _secrets_absent(caplog.text)
