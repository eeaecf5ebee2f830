"""Definition changes (admin edits, load_workreport) ask for a recompute of what they affect.

Entries do not come through here: their services request the recompute explicitly.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from targets.models import PlanYear, Target
from targets.snapshots import request_recompute


@receiver(post_save, sender=Target, dispatch_uid="target_saved_recompute")
def target_saved(sender, instance: Target, raw: bool = False, **kwargs) -> None:
    if not raw:
        request_recompute(target_ids=[instance.pk], reason="指标定义修改")


@receiver(post_delete, sender=Target, dispatch_uid="target_deleted_recompute")
def target_deleted(sender, instance: Target, **kwargs) -> None:
    # The programme's aggregate no longer includes it: recompute a sibling.
    siblings = Target.objects.filter(programme_id=instance.programme_id).values_list(
        "pk", flat=True
    )[:1]
    request_recompute(target_ids=list(siblings), reason="指标删除")


@receiver(post_save, sender=PlanYear, dispatch_uid="plan_year_saved_recompute")
def plan_year_saved(
    sender, instance: PlanYear, raw: bool = False, created: bool = False, **kwargs
) -> None:
    # Tolerance and due day change every status of the year.
    if not raw and not created:
        request_recompute(
            target_ids=Target.objects.for_plan_year(instance).values_list("pk", flat=True),
            reason="年度设置修改",
        )
