"""结对帮扶 API (django-ninja, mounted at /api/ with session auth): the overdue-visit list and a
helper's own to-do list, read-only and scoped like the pages (outreach.access)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from bangfu.common.api_errors import ErrorOut
from bangfu.common.dates import day_problem
from bangfu.accounts.permissions import check_perm

from . import permissions
from . import selectors
from .services import OutreachError

router = Router(tags=["outreach"])

BIGINT_MAX = 2**63 - 1  # an id beyond the database's integer is no id (a 422, not an overflow)


class PairingRow(Schema):
    id: int
    target: str
    target_kind: str
    region_code: str
    visits: int
    required: int
    helpers: list[str]


class OverduePage(Schema):
    quarter_start: dt.date
    quarter_end: dt.date
    rows: list[PairingRow]
    next_after: str | None


def _row(p) -> PairingRow:
    return PairingRow(id=p.pk, target=p.target_label, target_kind=p.target_kind, region_code=p.region_code, visits=p.visit_count,
                      required=p.required, helpers=[h.name for h in getattr(p, "helper_list", [])])


@router.get("/outreach/overdue", response={200: OverduePage, 400: ErrorOut, 403: ErrorOut}, summary="走访未达标的结对（按季度，键集分页）")
def overdue(request, quarter: dt.date | None = None, village: str = "", unit: str = "",
            helper: int | None = Query(None, ge=1, le=BIGINT_MAX), after: str = ""):
    check_perm(request.user, permissions.VIEW_OUTREACH)
    if day_problem(quarter):  # year 1 or 9999: the quarter's bounds would overflow
        raise OutreachError({"quarter": [day_problem(quarter)]})
    q = selectors.Quarter.of(quarter or timezone.localdate())
    if not selectors.quarter_has_rule(request.user, q):
        raise OutreachError({"quarter": [_("%(quarter)s还没有走访次数的规定，无法统计是否达标") % {"quarter": q.label}]})
    cursor = None
    if "-" in after:
        code, _sep, pk = after.partition("-")
        if code.isdigit() and pk.isdigit() and int(pk) <= BIGINT_MAX:
            cursor = (code, int(pk))
    rows, next_after = selectors.overdue_page(request.user, q, selectors.OverdueFilter(helper=helper, unit=unit, village=village), after=cursor)
    return OverduePage(quarter_start=q.start, quarter_end=q.end, rows=[_row(p) for p in rows],
                       next_after=f"{next_after[0]}-{next_after[1]}" if next_after else None)


@router.get("/outreach/mine", response={200: list[PairingRow], 403: ErrorOut}, summary="帮扶责任人本人的本季度走访任务")
def mine(request):
    check_perm(request.user, permissions.RECORD_VISIT)
    return [_row(p) for p in selectors.helper_todo(request.user, selectors.Quarter.of(timezone.localdate()))]
