"""The append-only audit log's tables (imported at the end of org/models.py).

Rows are written only by ``org.audit.record`` and removed only by the archive
(``org.audit.archive_events``, raw SQL inside a transaction the PostgreSQL trigger
allows). Everything else the ORM offers for changing a row refuses here, so no code
path in the app can edit history by accident.
"""

from django.db import models


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit row."""


APPEND_ONLY = "审计日志只能追加，不能修改或删除。"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly(APPEND_ONLY)

    def delete(self):
        raise AuditLogIsAppendOnly(APPEND_ONLY)

    def bulk_create(self, *args, **kwargs):
        # Each row must be chained under the head lock, one at a time.
        raise AuditLogIsAppendOnly("审计日志只能通过 org.audit.record 逐条写入。")

    def bulk_update(self, *args, **kwargs):
        raise AuditLogIsAppendOnly(APPEND_ONLY)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly(APPEND_ONLY)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly(APPEND_ONLY)


class AuditResult(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"


class AuditEvent(AppendOnlyModel):
    """One thing that happened: who, when, from where, what, and whether it worked.

    ``hash`` is SHA-256 over the canonical form of the row including ``prev_hash``
    (see ``org.audit.canonical``), so changing, removing or inserting a row breaks the
    chain from that row on."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间", db_index=True)
    # No foreign key: deleting an account must neither cascade into nor update history.
    actor_id = models.BigIntegerField("用户ID", null=True, blank=True)
    actor_username = models.CharField("用户名", max_length=150, blank=True)
    actor_role = models.CharField("角色", max_length=20, blank=True)
    address = models.CharField("来源地址", max_length=45, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    target_model = models.CharField("对象类型", max_length=100, blank=True)
    target_pk = models.CharField("对象ID", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    result = models.CharField("结果", max_length=10, choices=AuditResult.choices)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["actor_username", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.actor_username or '—'}"


class AuditChainHead(models.Model):
    """The single row (pk 1) holding the chain's last sequence number and hash.

    Writers lock it with SELECT ... FOR UPDATE, so concurrent events are chained one
    after another; it also lets verify_audit notice rows cut off the chain's end."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


class AuditArchive(AppendOnlyModel):
    """One run of archive_audit: which rows left the table, the file they went to, and
    the last hash, from which the chain in the table continues."""

    created_at = models.DateTimeField("归档时间")
    actor_username = models.CharField("归档人", max_length=150)
    before = models.DateField("归档截止日期（不含）")
    first_seq = models.PositiveBigIntegerField("首条序号")
    last_seq = models.PositiveBigIntegerField("末条序号", unique=True)
    count = models.PositiveIntegerField("条数")
    first_prev_hash = models.CharField("首条的前一条哈希", max_length=64)
    last_hash = models.CharField("末条哈希", max_length=64)
    file_name = models.CharField("归档文件", max_length=255)
    file_sha256 = models.CharField("文件SHA-256", max_length=64)

    class Meta:
        verbose_name = "审计归档"
        verbose_name_plural = "审计归档"
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.first_seq}–{self.last_seq})"
