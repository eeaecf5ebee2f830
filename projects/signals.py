"""A key project's record feeds the derived targets of its year: recompute them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from projects.models import KeyProject
from targets.models import Target
from targets.snapshots import request_recompute


def recompute_derived_targets(plan_year_id: int, reason: str) -> None:
    request_recompute(
        target_ids=Target.objects.derived()
        .filter(programme__plan_year_id=plan_year_id)
        .values_list("pk", flat=True),
        reason=reason,
    )


@receiver(post_save, sender=KeyProject, dispatch_uid="project_saved_recompute")
def project_saved(sender, instance: KeyProject, raw: bool = False, **kwargs) -> None:
    if not raw:
        recompute_derived_targets(instance.plan_year_id, "重点项目修改")


@receiver(post_delete, sender=KeyProject, dispatch_uid="project_deleted_recompute")
def project_deleted(sender, instance: KeyProject, **kwargs) -> None:
    recompute_derived_targets(instance.plan_year_id, "重点项目删除")
