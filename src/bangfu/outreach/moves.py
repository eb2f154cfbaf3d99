"""Pairings, visits and follow-up items follow a household that moves (issue 11; registry/moves.py).

A pairing with a household or a person is kept by the village where they live: when the household
moves, the pairing takes the new village (its `village` and its code) and its visits, their
attachments, the registry proposals and the follow-up items with their referrals come along, so
the new village's office sees who is paired, what was found and what is still to do. The helpers
stay linked: the new office decides whether to keep or end the pairing.

Left where they are: pairings with a village (not about a household), and a meeting's reviewed
households (`MeetingHousehold`), which are part of the minutes of the office that held the meeting
and are read only through that meeting. A follow-up item's owner outside the new village's area is
cleared: the new office assigns its own."""

from __future__ import annotations

from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from bangfu.regions.models import Region
from bangfu.registry.moves import restamp

from .models import FollowUpItem, Pairing, Referral, RegistryProposal, Visit, VisitAttachment


def on_household_moved(sender, *, household_ids, person_ids, new_region_code, acting_user, **kwargs) -> None:
    about = Q(household_id__in=household_ids) | Q(person_id__in=person_ids)
    village = Region.objects.get(code=new_region_code)
    pairings = list(Pairing.objects.filter(about).exclude(region_code=new_region_code).select_for_update().order_by("pk"))
    for pairing in pairings:
        pairing.village, pairing.region_code = village, new_region_code
    if pairings:
        bulk_update_with_history(pairings, Pairing, ["village", "region_code"], default_user=acting_user)
    pairing_ids = list(Pairing.objects.filter(about).values_list("pk", flat=True))
    visits = Visit.objects.filter(pairing_id__in=pairing_ids)
    restamp(Visit, visits, region_code=new_region_code, acting_user=acting_user)
    restamp(VisitAttachment, VisitAttachment.objects.filter(visit__in=visits), region_code=new_region_code, acting_user=acting_user)
    restamp(RegistryProposal, RegistryProposal.objects.filter(about), region_code=new_region_code, acting_user=acting_user)
    # An item's owner must be a worker of the household's area (services.item_assign): an owner
    # whose region does not cover the new village is cleared, for the new office to assign.
    items = list(FollowUpItem.objects.filter(about).exclude(region_code=new_region_code).select_for_update(of=("self",))
                 .select_related("owner__region").order_by("pk"))
    for item in items:
        item.region_code = new_region_code
        if item.owner_id and (item.owner.region is None or not item.owner.region.contains(new_region_code)):
            item.owner = None
    if items:
        bulk_update_with_history(items, FollowUpItem, ["region_code", "owner"], default_user=acting_user)
    restamp(Referral, Referral.objects.filter(item__in=FollowUpItem.objects.filter(about)), region_code=new_region_code,
            acting_user=acting_user)
