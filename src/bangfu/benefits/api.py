"""救助待遇 API (django-ninja, mounted at /api/ with session auth).

Same rules as the pages: every read is scoped (a household outside the user's region answers 404
like a missing one), names in the due list are masked."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from bangfu.accounts.access import household_by_id
from bangfu.registry.models import Household

from . import choices as c
from . import selectors
from .exports import holder_name
from .masking import mask_name

router = Router(tags=["benefits"])


class AmountOut(Schema):
    kind: c.ChangeKind
    amount_fen: int
    from_month: dt.date
    to_month: dt.date | None = Field(description="最后执行月（含）；为空表示仍在执行；早于起始月表示未执行")
    decided_on: dt.date
    case_id: int | None
    note: str


class BenefitOut(Schema):
    id: int
    household_id: int
    person_id: int | None = Field(description="单独享受的成员；整户享受为空")
    programme: c.Programme
    status: c.BenefitStatus
    monthly_amount_fen: int
    start_month: dt.date
    end_month: dt.date | None
    review_class: str
    next_review_date: dt.date | None
    last_reviewed_on: dt.date | None
    review_reason: str
    granted_case_id: int | None
    amounts: list[AmountOut]


class DueOut(Schema):
    id: int
    household_id: int
    region_code: str
    holder: str = Field(description="享受人姓名（脱敏）")
    programme: c.Programme
    review_class: str
    monthly_amount_fen: int
    next_review_date: dt.date
    last_reviewed_on: dt.date | None
    review_reason: str


class DueQuery(Schema):
    as_of: dt.date | None = Field(None, description="截至日期，默认今天")
    within_days: int = Field(30, ge=0, le=366, description="包括此天数内到期的")
    limit: int = Field(200, ge=1, le=5000)


@router.get("/benefits/households/{int:household_id}", response=list[BenefitOut], summary="家庭的救助待遇及金额变动记录")
def household_benefits(request: HttpRequest, household_id: int):
    household = household_by_id(request.user, Household.objects.all(), household_id)
    benefits = list(selectors.household_benefits(household).prefetch_related("amounts"))
    return [
        BenefitOut(id=b.pk, household_id=b.household_id, person_id=b.person_id, programme=b.programme, status=b.status,
                   monthly_amount_fen=b.monthly_amount_fen, start_month=b.start_month, end_month=b.end_month,
                   review_class=b.review_class, next_review_date=b.next_review_date, last_reviewed_on=b.last_reviewed_on,
                   review_reason=b.review_reason, granted_case_id=b.granted_case_id,
                   amounts=[AmountOut(kind=a.kind, amount_fen=a.amount_fen, from_month=a.from_month, to_month=a.to_month,
                                      decided_on=a.decided_on, case_id=a.case_id, note=a.note)
                            for a in sorted(b.amounts.all(), key=lambda a: (a.decided_on, a.id))])
        for b in benefits
    ]


@router.get("/benefits/due", response=list[DueOut], summary="到期及逾期复核（按辖区，最早到期在前）")
def due(request: HttpRequest, filters: Query[DueQuery]):
    as_of = filters.as_of or timezone.localdate()
    rows = selectors.reviews_due(request.user, as_of=as_of, within_days=filters.within_days)[: filters.limit]
    return [DueOut(id=b.pk, household_id=b.household_id, region_code=b.region_code, holder=mask_name(holder_name(b)),
                   programme=b.programme, review_class=b.review_class, monthly_amount_fen=b.monthly_amount_fen,
                   next_review_date=b.next_review_date, last_reviewed_on=b.last_reviewed_on, review_reason=b.review_reason)
            for b in rows]
