"""Street patrols (R21) and the persons met on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import NotFound

from .. import permissions
from .. import choices as c
from .. import rules
from ..errors import RescueError
from ..models import Encounter, Patrol
from ._common import _station_for


# ----------------------------------------------------------------------------- patrols (R21)


@transaction.atomic
def patrol_create(*, acting_user, started_at: dt.datetime, area: str, team: str, station_id: int | None = None) -> Patrol:
    station = _station_for(acting_user, station_id)
    if not area.strip() or not team.strip():
        raise RescueError({"area": [_("请填写巡查区域和巡查人员")]})
    return Patrol.objects.create(station=station, region_code=station.region_code, started_at=started_at, area=area.strip(),
                                 team=team.strip(), recorded_by=acting_user)


@transaction.atomic
def encounter_add(*, acting_user, patrol_id: int, data: dict[str, Any]) -> Encounter:
    """A person met on patrol and what was done (R21): an escorted capable adult needs consent, a
    vulnerable person a written handover; a refusal needs the persuasion given and the contact left."""
    check_perm(acting_user, permissions.RESCUE_EDIT)
    from ..selectors import patrols

    patrol = patrols(acting_user).filter(pk=patrol_id).first()
    if patrol is None:
        raise NotFound()
    action = data.get("action")
    errors: dict[str, list[str]] = {}
    if action not in c.EncounterAction.values:
        errors["action"] = [_("请选择处置方式")]
    problems = rules.escort_problems(escorted=action == c.EncounterAction.ESCORTED, capable_adult=bool(data.get("capable_adult", True)),
                                     vulnerable=bool(data.get("vulnerable")), consent=bool(data.get("consent_given")),
                                     handover=bool((data.get("handover_document") or "").strip()))
    errors.update({k: [v] for k, v in problems.items()})
    if action == c.EncounterAction.REFUSED:
        if not (data.get("persuasion") or "").strip():
            errors["persuasion"] = [_("拒绝救助的，须记录劝导情况")]
        if not data.get("contact_left"):
            errors["contact_left"] = [_("拒绝救助的，须告知救助站联系方式和求助方式")]
    for field in ("place", "description"):
        if not (data.get(field) or "").strip():
            errors[field] = [_("请填写此项")]
    if not data.get("met_at"):
        errors["met_at"] = [_("请填写时间")]
    if errors:
        raise RescueError(errors)
    fields = ("met_at", "place", "description", "action", "capable_adult", "vulnerable", "consent_given", "handover_document",
              "persuasion", "contact_left")
    return Encounter.objects.create(patrol=patrol, region_code=patrol.region_code, **{k: data[k] for k in fields if k in data})
