"""Cases follow a household that moves (issue 11; registry/moves.py).

A case carries its household's village code: the office that acts on it is the one of the village
where the household now lives. Cases have no history table; their audit trail is the event list,
so each case that moves gets a `household_moved` event (who, when, from which village to which)
and its version goes up, as after any change, so that a form opened before the move is refused.
A case about a member (individual application, tekun) moves with the member; an online application
not yet tied to a household or person stays where it was filed."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from bangfu.regions.models import Region
from bangfu.registry.moves import restamp

from .models import Case, CaseEvent, Investigation, Objection

MOVED = "household_moved"


def on_household_moved(sender, *, household_ids, person_ids, old_region_code, new_region_code, acting_user, **kwargs) -> None:
    cases = list(Case.objects.filter(Q(household_id__in=household_ids) | Q(person_id__in=person_ids))
                 .exclude(region_code=new_region_code).select_for_update().order_by("pk"))
    if not cases:
        return
    names = dict(Region.objects.filter(code__in=[old_region_code, new_region_code]).values_list("code", "name"))
    comment = f"{names.get(old_region_code, old_region_code)} → {names.get(new_region_code, new_region_code)}"
    now = timezone.now()
    for case in cases:
        case.region_code = new_region_code
        case.version += 1
        case.updated_at = now
    Case.objects.bulk_update(cases, ["region_code", "version", "updated_at"])
    case_ids = [case.pk for case in cases]
    for model in (Investigation, Objection, CaseEvent):
        restamp(model, model.objects.filter(case_id__in=case_ids), region_code=new_region_code, acting_user=acting_user)
    CaseEvent.objects.bulk_create([
        CaseEvent(case=case, region_code=new_region_code, actor=acting_user, action=MOVED, from_state=case.state,
                  to_state=case.state, comment=comment)
        for case in cases])
