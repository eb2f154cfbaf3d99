"""数据比对 API (django-ninja, mounted at /api/): scoped findings (ID numbers masked) and the
one-click review decision. Same services and selectors as the pages."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from bangfu.common import api_errors
from bangfu.common.errors import error_body
from bangfu.accounts.permissions import check_perm
from bangfu.common.idnumber import mask_id_number

from . import permissions
from . import selectors, services
from .choices import FindingKind, FindingStatus
from .error_codes import MatchingErrorCode

router = Router(tags=["matching"])


ErrorOut = api_errors.ErrorOut  # the project's one error schema


class FindingOut(Schema):
    id: int
    kind: FindingKind
    status: FindingStatus
    name: str
    id_number: str  # masked
    region_code: str
    summary: str
    household_id: int | None
    case_opened: bool


class FindingPageOut(Schema):
    items: list[FindingOut]
    next_before: int | None


class FindingQuery(Schema):
    kind: FindingKind | None = None
    status: FindingStatus | None = None
    before: int | None = None


class DecisionIn(Schema):
    decision: Literal["accept", "reject"]


class RowOut(Schema):
    id: int
    link_status: str


def _out(f) -> dict[str, Any]:
    return {"id": f.pk, "kind": f.kind, "status": f.status, "name": f.name, "id_number": mask_id_number(f.id_number),
            "region_code": f.region_code, "summary": f.summary, "household_id": f.household_id, "case_opened": f.case_opened_at is not None}


@router.get("/matching/findings", response={200: FindingPageOut, 403: ErrorOut}, summary="比对发现（按辖区，脱敏，分页）")
def finding_list(request: HttpRequest, filters: Query[FindingQuery]):
    check_perm(request.user, permissions.MATCH_VIEW)
    qs = selectors.findings(request.user, kind=filters.kind or "", status=filters.status or "")
    if filters.before:
        qs = qs.filter(id__lt=filters.before)
    items = list(qs[:100])
    return {"items": [_out(f) for f in items], "next_before": items[-1].pk if len(items) == 100 else None}


@router.post("/matching/rows/{int:row_id}/decision", response={200: RowOut, 403: ErrorOut, 409: ErrorOut}, summary="确认或否决待确认的匹配")
def row_decision(request: HttpRequest, row_id: int, payload: DecisionIn):
    check_perm(request.user, permissions.MATCH_REVIEW)
    try:
        row = services.link_decide(acting_user=request.user, row_id=row_id, accept=payload.decision == "accept")
    except services.MatchingError as exc:  # the row was decided meanwhile
        return Status(409, error_body(code=MatchingErrorCode.CONFLICT, message=exc.message))
    return {"id": row.pk, "link_status": row.link_status}
