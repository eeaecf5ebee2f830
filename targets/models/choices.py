"""Column sizes and the choices every part of the domain shares (codes in English,
labels in Chinese)."""

from django.db import models

from targets import completion

AMOUNT = {"max_digits": 16, "decimal_places": 4}
RATIO = {"max_digits": 9, "decimal_places": 4}


class Kind(models.TextChoices):
    CUMULATIVE = completion.CUMULATIVE, "累计型"
    LEVEL = completion.LEVEL, "水平型"
    CEILING = completion.CEILING, "控制型"
    MILESTONE = completion.MILESTONE, "节点型"
    ASSESSED = completion.ASSESSED, "定性型"
    REFERENCE = completion.REFERENCE, "规模型"


class Direction(models.TextChoices):
    INCREASE = completion.INCREASE, "越大越好(≥)"
    DECREASE = completion.DECREASE, "越小越好(≤)"


class Unit(models.TextChoices):
    YI_YUAN = "亿元", "亿元"
    WAN_SQM = "万平方米", "万平方米"
    GE = "个", "个"
    JIA = "家", "家"
    SUO = "所", "所"
    HU = "户", "户"
    PERCENT = "%", "%"
    NONE = "", "无"


class Status(models.TextChoices):
    COMPLETED = completion.COMPLETED, "已完成"
    COMPLETED_LATE = completion.COMPLETED_LATE, "逾期完成"
    OVERDUE = completion.OVERDUE, "逾期未完成"
    ON_TRACK = completion.ON_TRACK, "正常推进"
    LAGGING = completion.LAGGING, "进度滞后"
    BEHIND = completion.BEHIND, "严重滞后"
    NOT_REPORTED = completion.NOT_REPORTED, "未报送"
    NOT_STARTED = completion.NOT_STARTED, "未开始"
    # A reference target's (规模型) status: neutral, in no tally.
    REFERENCE = completion.REFERENCE, "规模指标"


class Assessment(models.TextChoices):
    ACHIEVED = completion.ACHIEVED, "已达成"
    ON_TRACK = completion.ON_TRACK, "正常推进"
    LAGGING = completion.LAGGING, "进度滞后"
    BEHIND = completion.BEHIND, "严重滞后"


class EntryState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = completion.SUBMITTED, "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = completion.APPROVED, "已通过"


MANUAL_SOURCE = "manual"
