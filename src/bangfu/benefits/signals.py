"""The registry records a death by setting a Person's status to "deceased" (registry.choices.
PersonStatus; person_update / the person form). When that happens, the household's open benefits
come due for review within 3 months (issue 4; services.member_died).

The registry keeps no date of death, so the date the death is recorded stands for it; a caller that
knows the date (a death-list match, issue 5) calls services.member_died(person=…, died_on=…) itself.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from bangfu.registry.choices import PersonStatus
from bangfu.registry.models import Person


@receiver(pre_save, sender=Person, dispatch_uid="benefits.person_death_pre")
def _note_death(sender, instance: Person, raw=False, **kwargs) -> None:
    # Only a save that makes the status "deceased" costs a query; every other save costs nothing.
    instance._benefits_newly_deceased = False
    if raw or instance.status != PersonStatus.DECEASED or instance.pk is None:
        return
    before = Person.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    instance._benefits_newly_deceased = before is not None and before != PersonStatus.DECEASED


@receiver(post_save, sender=Person, dispatch_uid="benefits.person_death_post")
def _review_after_death(sender, instance: Person, created=False, raw=False, **kwargs) -> None:
    if raw or not getattr(instance, "_benefits_newly_deceased", False):
        return
    instance._benefits_newly_deceased = False
    from .services import member_died

    member_died(person=instance, died_on=timezone.localdate(), actor=getattr(instance, "_history_user", None))
