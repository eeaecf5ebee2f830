"""企业微信 / 钉钉 group robots (群机器人): where the outbound log's events are pushed.

The webhook URL and the signing secret are credentials: stored here, shown masked in
the admin, never written to history (this model keeps none), the audit log, the
outbound log (which names the hook by its label) or the application log.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from org.models import Department, OutboundChannel, OutboundEvent

__all__ = ["ChatHook", "HookKind", "mask"]


class HookKind(models.TextChoices):
    WECOM = OutboundChannel.WECOM.value, OutboundChannel.WECOM.label
    DINGTALK = OutboundChannel.DINGTALK.value, OutboundChannel.DINGTALK.label


def mask(text: str, keep: int = 4) -> str:
    """``https://oapi…(已隐藏)…ab12``: enough to tell two hooks apart, never the whole."""
    if not text:
        return "（未设置）"
    if len(text) <= keep * 3:
        return "•" * 8
    return f"{text[:12]}…（已隐藏）…{text[-keep:]}"


def validate_events(value) -> None:
    if not isinstance(value, list) or any(v not in OutboundEvent.values for v in value):
        raise ValidationError("推送事项须从列表中选择。")


class ChatHookQuerySet(models.QuerySet):
    def for_event(self, event: str, department_id: int | None):
        """Active hooks that asked for ``event``: the leaders' groups, and the
        department's own when the event concerns one."""
        where = Q(leaders_group=True)
        if department_id is not None:
            where |= Q(department_id=department_id)
        return [
            hook for hook in self.filter(active=True).filter(where) if event in (hook.events or [])
        ]


class ChatHook(models.Model):
    kind = models.CharField("类型", max_length=10, choices=HookKind.choices)
    label = models.CharField(
        "名称", max_length=100, unique=True, help_text="出现在发送记录中，例如“区发改委工作群”。"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属单位",
        help_text="该单位相关的事项推送到此群。",
    )
    leaders_group = models.BooleanField(
        "区领导群", default=False, help_text="所有选中的事项都推送到此群。"
    )
    url = models.CharField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True)
    events = models.JSONField("推送事项", default=list, validators=[validate_events])
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ChatHookQuerySet.as_manager()

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(leaders_group=True),
                name="chat_hook_has_audience",
                violation_error_message="请选择所属单位，或勾选“区领导群”。",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:  # never the URL or the secret
        return f"<ChatHook {self.pk} {self.label}>"

    @property
    def masked_url(self) -> str:
        return mask(self.url)

    @property
    def masked_secret(self) -> str:
        return mask(self.secret)

    def event_labels(self) -> str:
        labels = dict(OutboundEvent.choices)
        return "、".join(str(labels.get(e, e)) for e in self.events or [])
