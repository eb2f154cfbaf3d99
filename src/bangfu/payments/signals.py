"""A death recorded after months were paid makes benefits write an Overpayment; payments turns it
into a receivable (应追回款) in the same transaction (recovery.receivable_from_overpayment): the
amount the bank actually paid for those months. Payments stands above benefits, so it listens."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from bangfu.benefits.models import Overpayment


@receiver(post_save, sender=Overpayment, dispatch_uid="payments.overpayment_receivable")
def _overpayment_receivable(sender, instance: Overpayment, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        from .recovery import receivable_from_overpayment

        receivable_from_overpayment(instance)
