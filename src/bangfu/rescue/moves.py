"""The source-prevention register follows a household that moves (issue 11; registry/moves.py).

An entry of the register (R23) linked to a registry person and filed under the village the
household leaves moves to the new village, with its follow-up visits, so that the office where the
person now lives keeps the follow-up schedule. An entry filed under another region (a county, or a
home region the person gave that is not the registry's village) is left as filed.

Stays are not moved: a stay's `region_code` is the station's region, and its `home_region_code` is
the home region established at the station (the person's statement or the identity check) and the
place they were returned to; it records that stay, not where the household lives today."""

from __future__ import annotations

from bangfu.registry.moves import restamp

from .models import FollowUp, PreventionEntry


def on_household_moved(sender, *, person_ids, old_region_code, new_region_code, acting_user, **kwargs) -> None:
    entries = PreventionEntry.objects.filter(person_id__in=person_ids, region_code=old_region_code)
    entry_ids = list(entries.values_list("pk", flat=True))
    restamp(PreventionEntry, PreventionEntry.objects.filter(pk__in=entry_ids), region_code=new_region_code, acting_user=acting_user)
    restamp(FollowUp, FollowUp.objects.filter(entry_id__in=entry_ids), region_code=new_region_code, acting_user=acting_user)
