"""Payments API (django-ninja, mounted at /api/ with session auth): payrolls and their lines, read
only and scoped as the pages are (a payroll outside the reader's reach answers 404 like a missing
one; a township reads its own lines). For the statistics and partner systems."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from bangfu.accounts.permissions import check_perm
from bangfu.common.api_errors import ErrorOut

from . import choices as c
from . import permissions, selectors
from .exports import mask_account

router = Router(tags=["payments"])


class PayrollOut(Schema):
    id: int
    region_code: str
    month: dt.date
    programme: str = Field(description="救助项目；为空表示全部项目")
    kind: c.PayrollKind
    state: c.PayrollState
    line_count: int
    total_fen: int
    held_count: int
    approved_at: dt.datetime | None


class LineOut(Schema):
    id: int
    benefit_id: int | None
    one_off_id: int | None
    household_id: int
    region_code: str
    programme: str
    month: dt.date
    kind: c.LineKind
    component: c.Component
    amount_fen: int
    deducted_fen: int = Field(description="从本笔扣减的追回金额（分）；银行实发 = amount_fen − deducted_fen")
    account: str = Field(description="账号后四位")
    status: c.LineStatus
    flags: list[c.Flag]


class PayrollQuery(Schema):
    month: dt.date | None = Field(None, description="发放月份（该月任一日）")
    limit: int = Field(100, ge=1, le=1000)


class LineQuery(Schema):
    status: c.LineStatus | None = None
    flag: c.Flag | None = None
    after: int = Field(0, ge=0, description="上一页最后一笔的编号")
    limit: int = Field(500, ge=1, le=5000)


def _payroll_out(p) -> PayrollOut:
    return PayrollOut(id=p.pk, region_code=p.region_code, month=p.month, programme=p.programme, kind=p.kind, state=p.state,
                      line_count=p.line_count, total_fen=p.total_fen, held_count=p.held_count, approved_at=p.approved_at)


@router.get("/payments/payrolls", response={200: list[PayrollOut], 403: ErrorOut, 422: ErrorOut}, summary="发放花名册（按辖区）")
def payrolls(request: HttpRequest, filters: Query[PayrollQuery]):
    check_perm(request.user, permissions.VIEW_PAYMENTS)
    qs = selectors.payrolls(request.user)
    if filters.month is not None:
        qs = qs.filter(month=filters.month.replace(day=1))
    return [_payroll_out(p) for p in qs[: filters.limit]]


@router.get("/payments/payrolls/{int:payroll_id}", response={200: PayrollOut, 403: ErrorOut, 404: ErrorOut}, summary="一份发放花名册")
def payroll_get(request: HttpRequest, payroll_id: int):
    check_perm(request.user, permissions.VIEW_PAYMENTS)
    return _payroll_out(selectors.payroll_for(request.user, payroll_id))


@router.get("/payments/payrolls/{int:payroll_id}/lines", response={200: list[LineOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="发放明细（按编号分页；乡镇只见本乡镇）")
def payroll_lines(request: HttpRequest, payroll_id: int, filters: Query[LineQuery]):
    check_perm(request.user, permissions.VIEW_PAYMENTS)
    payroll = selectors.payroll_for(request.user, payroll_id)
    qs = selectors.lines(request.user, payroll, status=filters.status or "", flag=filters.flag or "").order_by("id")
    rows = qs.filter(id__gt=filters.after)[: filters.limit]
    return [LineOut(id=x.pk, benefit_id=x.benefit_id, one_off_id=x.one_off_id, household_id=x.household_id, region_code=x.region_code,
                    programme=x.programme, month=x.month, kind=x.kind, component=x.component, amount_fen=x.amount_fen,
                    deducted_fen=x.deducted_fen,
                    account=mask_account(x.account_number), status=x.status, flags=[f for f in x.flags if f in c.Flag.values])
            for x in rows]
