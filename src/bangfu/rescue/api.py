"""流浪乞讨人员救助管理 API (django-ninja, mounted at /api/). Reads go through selectors (scoped);
a stay out of reach answers 404 like a missing one."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from bangfu.common.api_errors import ErrorOut
from bangfu.accounts.permissions import check_perm
from bangfu.common.idnumber import mask_id_number
from bangfu.common.models import AccessLog, log_access

from . import permissions
from . import rules, selectors

router = Router(tags=["rescue"])


class StayOut(Schema):
    id: int
    station_number: str
    station: str
    name: str
    id_number_masked: str
    identity_status: str
    status: str
    arrival_at: dt.datetime
    end_reason: str
    home_region_code: str


class StayDetailOut(StayOut):
    notice_by: dt.datetime
    dna_by: dt.date
    settlement_after: dt.date
    tracing_steps: list[dict]


def _out(stay) -> dict:
    return {"id": stay.pk, "station_number": stay.station_number, "station": stay.station.name, "name": stay.name,
            "id_number_masked": mask_id_number(stay.id_number), "identity_status": stay.identity_status, "status": stay.status,
            "arrival_at": stay.arrival_at, "end_reason": stay.end_reason, "home_region_code": stay.home_region_code}


@router.get("/rescue/stays", response={200: list[StayOut], 403: ErrorOut})
def list_stays(request, status: str = "open", limit: int = 100, before: int | None = None):
    """Stays the caller may see, newest first (keyset paging with `before`)."""
    check_perm(request.user, permissions.RESCUE_VIEW)
    qs = selectors.stays(request.user).select_related("station")
    if status in ("open", "ended"):
        qs = qs.filter(status=status)
    if before:
        qs = qs.filter(pk__lt=before)
    return [_out(s) for s in qs.order_by("-pk")[: max(1, min(limit, 500))]]


@router.get("/rescue/stays/{stay_id}", response={200: StayDetailOut, 403: ErrorOut, 404: ErrorOut})
def get_stay(request, stay_id: int):
    check_perm(request.user, permissions.RESCUE_VIEW)
    stay = selectors.stay_get(request.user, stay_id)
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="rescue_stay", object_id=stay.pk,
               region_code=stay.region_code, detail="API", request=request)
    deadlines = rules.tracing_deadlines(stay.arrival_at)
    steps = [{"kind": s.kind, "done_at": s.done_at.isoformat(), "done_by": s.done_by, "result": s.result}
             for s in stay.tracing_steps.order_by("done_at")]
    return _out(stay) | {"notice_by": deadlines.notice_by, "dna_by": deadlines.dna_by,
                         "settlement_after": deadlines.settlement_after, "tracing_steps": steps}
