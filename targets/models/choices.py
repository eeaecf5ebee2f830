"""Column sizes and the choices every part of the domain shares (codes in English,
labels in Chinese)."""

from django.db import models

from org import glossary
from targets import completion
from workflow.states import EntryState  # noqa: F401  (re-exported: targets.models.EntryState)

AMOUNT = {"max_digits": 16, "decimal_places": 4}
RATIO = {"max_digits": 9, "decimal_places": 4}


class Kind(models.TextChoices):
    CUMULATIVE = completion.CUMULATIVE, glossary.KIND[completion.CUMULATIVE]
    LEVEL = completion.LEVEL, glossary.KIND[completion.LEVEL]
    CEILING = completion.CEILING, glossary.KIND[completion.CEILING]
    MILESTONE = completion.MILESTONE, glossary.KIND[completion.MILESTONE]
    ASSESSED = completion.ASSESSED, glossary.KIND[completion.ASSESSED]
    REFERENCE = completion.REFERENCE, glossary.KIND[completion.REFERENCE]


class Direction(models.TextChoices):
    INCREASE = completion.INCREASE, glossary.DIRECTION[completion.INCREASE]
    DECREASE = completion.DECREASE, glossary.DIRECTION[completion.DECREASE]


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
    COMPLETED = completion.COMPLETED, glossary.STATUS[completion.COMPLETED]
    COMPLETED_LATE = completion.COMPLETED_LATE, glossary.STATUS[completion.COMPLETED_LATE]
    OVERDUE = completion.OVERDUE, glossary.STATUS[completion.OVERDUE]
    ON_TRACK = completion.ON_TRACK, glossary.STATUS[completion.ON_TRACK]
    LAGGING = completion.LAGGING, glossary.STATUS[completion.LAGGING]
    BEHIND = completion.BEHIND, glossary.STATUS[completion.BEHIND]
    NOT_REPORTED = completion.NOT_REPORTED, glossary.STATUS[completion.NOT_REPORTED]
    NOT_STARTED = completion.NOT_STARTED, glossary.STATUS[completion.NOT_STARTED]
    # A reference target's（规模型） status: neutral, in no tally.
    REFERENCE = completion.REFERENCE, glossary.STATUS[completion.REFERENCE]


class Assessment(models.TextChoices):
    ACHIEVED = completion.ACHIEVED, glossary.ASSESSMENT[completion.ACHIEVED]
    ON_TRACK = completion.ON_TRACK, glossary.ASSESSMENT[completion.ON_TRACK]
    LAGGING = completion.LAGGING, glossary.ASSESSMENT[completion.LAGGING]
    BEHIND = completion.BEHIND, glossary.ASSESSMENT[completion.BEHIND]


class Counting(models.TextChoices):
    """A plan year's 计入口径: which reports' figures count."""

    SUBMITTED = completion.COUNT_SUBMITTED, glossary.COUNTING[completion.COUNT_SUBMITTED]
    APPROVED = completion.COUNT_APPROVED, glossary.COUNTING[completion.COUNT_APPROVED]


MANUAL_SOURCE = "manual"
