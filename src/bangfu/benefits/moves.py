"""Benefits follow a household that moves (issue 11; registry/moves.py).

A benefit, its amount history and its one-off payments carry the household's village code; when
the household's village changes they take the new one, so the new village's office sees what the
household is paid and the monthly register counts it there. Benefits paid to a member (R12, tekun)
move with the member."""

from __future__ import annotations

from django.db.models import Q

from bangfu.registry.moves import restamp

from .models import Benefit, BenefitAmount, JobOffer, OneOffPayment, Overpayment


def on_household_moved(sender, *, household_ids, person_ids, new_region_code, acting_user, **kwargs) -> None:
    benefits = Benefit.objects.filter(Q(household_id__in=household_ids) | Q(person_id__in=person_ids))
    restamp(Benefit, benefits, region_code=new_region_code, acting_user=acting_user)
    restamp(BenefitAmount, BenefitAmount.objects.filter(benefit__in=benefits), region_code=new_region_code, acting_user=acting_user)
    restamp(OneOffPayment, OneOffPayment.objects.filter(household_id__in=household_ids), region_code=new_region_code,
            acting_user=acting_user)
    restamp(Overpayment, Overpayment.objects.filter(benefit__in=benefits), region_code=new_region_code, acting_user=acting_user)
    restamp(JobOffer, JobOffer.objects.filter(Q(household_id__in=household_ids) | Q(person_id__in=person_ids)),
            region_code=new_region_code, acting_user=acting_user)
