"""案件办理 API (django-ninja, mounted at /api/; session auth). Same rules as the pages: reads
scoped, ID numbers masked, every transition through services.case_perform; a refused role answers 403,
a refused step 400, a stale version 409, a case outside the region 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from bangfu.common import api_errors
from bangfu.accounts.permissions import check_perm
from bangfu.common.idnumber import mask_id_number

from . import permissions, selectors, services
from .models import NO_DEADLINE, Case

router = Router(tags=["cases"])


ErrorOut = api_errors.ErrorOut  # the project's one error schema


class CaseOut(Schema):
    id: int
    case_type: str
    state: str
    state_label: str
    version: int
    region_code: str
    household_id: int | None
    applicant_name: str
    applicant_id_number: str = Field(description="脱敏身份证号")
    step_deadline: dt.date | None
    overall_deadline: dt.date | None
    due_date: dt.date | None
    amount_fen: int | None
    decider_level: str
    identity_unverified: bool = Field(description="网上申请所填身份证号属于在册成员，尚未当面核实申请人身份（核实前不能受理）")


class InboxOut(Schema):
    items: list[CaseOut]
    next_after: str | None = Field(description="下一页：以此值作为 after 参数再次请求")


class ActionIn(Schema):
    action: str = Field(max_length=64)
    version: int = Field(ge=0, le=2**31 - 1)
    data: dict[str, Any] = Field(default_factory=dict)


def _out(case: Case) -> dict:
    return {
        "id": case.pk, "case_type": case.case_type, "state": case.state, "state_label": str(case.get_state_display()),
        "version": case.version, "region_code": case.region_code, "household_id": case.household_id,
        "applicant_name": case.applicant_name, "applicant_id_number": mask_id_number(case.applicant_id_number),
        "step_deadline": case.step_deadline, "overall_deadline": case.overall_deadline,
        "due_date": None if case.due_date == NO_DEADLINE else case.due_date, "amount_fen": case.amount_fen,
        "decider_level": case.decider_level, "identity_unverified": case.identity_unverified,
    }


@router.get("/cases/inbox", response={200: InboxOut, 403: ErrorOut}, summary="待办案件（按时限先后，游标分页）")
def inbox(request: HttpRequest, after: str = ""):
    check_perm(request.user, permissions.VIEW_CASES, _("您没有查看救助案件的权限"))
    key = None
    if after:
        try:
            due, pk = after.split("_", 1)
            key = (dt.date.fromisoformat(due), int(pk))
        except ValueError:
            key = None
    rows, nxt = selectors.inbox(request.user, after=key)
    return {"items": [_out(c) for c in rows], "next_after": f"{nxt[0].isoformat()}_{nxt[1]}" if nxt else None}


@router.get("/cases/{int:case_id}", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut}, summary="案件（身份证号脱敏）")
def case_get(request: HttpRequest, case_id: int):
    check_perm(request.user, permissions.VIEW_CASES, _("您没有查看救助案件的权限"))
    return _out(selectors.case_get(request.user, case_id))


@router.post("/cases/{int:case_id}/actions", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
             summary="办理一步（带版本号；并发冲突 409）")
def case_action(request: HttpRequest, case_id: int, payload: ActionIn):
    # a refusal (CaseError, or the engine's or benefits' DomainError) answers by its code through
    # the project's handler (common.api_errors): forbidden 403, stale 409, otherwise 400
    case = services.case_perform(acting_user=request.user, case_id=case_id, action=payload.action, version=payload.version,
                            data=payload.data, today=timezone.localdate())
    return _out(case)
