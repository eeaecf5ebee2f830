"""Pushing the outbound log's events to 企业微信 and 钉钉 group robots.

``dispatch`` (registered with org.outbound in SupervisionConfig.ready) writes one
OutboundMessage per matching hook — its address the hook's label, never the URL — and
queues the send once the transaction commits; org.outbound.deliver (through the
org.send_outbound task: retries, backoff, 发送失败 after the last attempt) calls the
senders below, which POST the robots' documented JSON with a timeout and check the
answer's errcode. Nothing here raises into the request that caused the event, and no
error text carries the URL or the secret.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from functools import partial

from django.conf import settings
from django.db import transaction

from org import outbound
from org.models import OutboundChannel, OutboundMessage
from supervision.models import ChatHook

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# Where the robots' "link" points: the site's own address, when configured.
MARKDOWN_LIMIT = 4000  # 企业微信 caps markdown content at 4096 bytes


class PushError(Exception):
    """A robot refused or could not be reached (the text names no URL or secret)."""


def dispatch(event: outbound.Event) -> None:
    """One row per active hook that asked for the event (the department's and the
    leaders' groups), each sent after the commit."""
    hooks = ChatHook.objects.for_event(event.event, event.department_id)
    if not hooks:
        return
    rows = OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                event=event.event,
                channel=hook.kind,
                address=hook.label[:254],
                subject=event.subject[:200],
                body=event.body,
                link=event.link[:300],
                department_id=event.department_id,
                actor_id=event.actor_id,
            )
            for hook in hooks
        ]
    )
    transaction.on_commit(partial(outbound.enqueue_sends, [row.pk for row in rows]))


# --- the payloads, as the robots document them ------------------------------------------


def _absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "") or ""
    return f"{base.rstrip('/')}{link}" if base and link.startswith("/") else link


def markdown_text(message: OutboundMessage) -> str:
    lines = [f"### {message.get_event_display()}：{message.subject}"]
    if message.body:
        lines.append(message.body)
    if message.link:
        lines.append(f"[查看详情]({_absolute(message.link)})")
    return "\n\n".join(lines)[:MARKDOWN_LIMIT]


def wecom_payload(message: OutboundMessage) -> dict:
    """企业微信群机器人: {"msgtype": "markdown", "markdown": {"content": …}}."""
    return {"msgtype": "markdown", "markdown": {"content": markdown_text(message)}}


def dingtalk_payload(message: OutboundMessage) -> dict:
    """钉钉自定义机器人: {"msgtype": "markdown", "markdown": {"title": …, "text": …}}."""
    return {
        "msgtype": "markdown",
        "markdown": {"title": message.subject[:60], "text": markdown_text(message)},
    }


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉加签: HMAC-SHA256 over ``timestamp + "\\n" + secret`` keyed by the secret,
    base64, then URL-encoded."""
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    if not secret:
        return url
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def post_json(url: str, payload: dict) -> dict:
    """POST ``payload``; the robot's answer must be JSON with errcode 0. Raises
    PushError with a text that never holds the URL (it may carry a key or a sign)."""
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(65536)
    except urllib.error.HTTPError as error:
        raise PushError(f"HTTP {error.code}") from None
    except urllib.error.URLError as error:
        raise PushError(f"无法连接：{type(error.reason).__name__}") from None
    except (TimeoutError, OSError) as error:
        raise PushError(f"无法连接：{type(error).__name__}") from None
    except ValueError:
        raise PushError("Webhook 地址格式不正确") from None
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PushError("返回内容不是 JSON") from None
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else None
        text = str(answer.get("errmsg", ""))[:200] if isinstance(answer, dict) else ""
        raise PushError(f"errcode={code} {text}".strip())
    return answer


def _hook_of(message: OutboundMessage) -> ChatHook:
    hook = ChatHook.objects.filter(label=message.address, kind=message.channel).first()
    if hook is None:
        raise PushError("群机器人已删除")
    if not hook.active:
        raise PushError("群机器人已停用")
    return hook


def send_wecom(message: OutboundMessage) -> None:
    hook = _hook_of(message)
    post_json(hook.url, wecom_payload(message))


def send_dingtalk(message: OutboundMessage) -> None:
    hook = _hook_of(message)
    url = signed_url(hook.url, hook.secret, int(time.time() * 1000))
    post_json(url, dingtalk_payload(message))


def register() -> None:
    outbound.register_dispatcher(dispatch)
    outbound.register_sender(OutboundChannel.WECOM, send_wecom)
    outbound.register_sender(OutboundChannel.DINGTALK, send_dingtalk)
