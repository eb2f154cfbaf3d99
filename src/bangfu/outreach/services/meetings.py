"""Village meetings and village goals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import NotFound, access_by_id
from bangfu.regions.choices import Level
from bangfu.registry.models import Household

from .. import permissions
from .. import choices as c
from ..models import Meeting, MeetingHousehold, VillageGoal
from ._common import OutreachError, _region, _save


# ----------------------------------------------------------------------------------------- meetings


@transaction.atomic
def meeting_create(*, acting_user, region_id: int, date: dt.date, title: str, attendees: str, decisions: str,
                   kind: str = c.MeetingKind.REGULAR, households: Iterable[dict[str, Any]] = ()) -> Meeting:
    """Record a half-yearly or urgent meeting (R8) with the households it reviewed and the aid
    amounts (fen) it approved."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    region = _region(acting_user, region_id)
    errors: dict[str, list[str]] = {}
    if kind not in c.MeetingKind.values:
        errors["kind"] = [_("请选择会议类型")]
    for field, value, message in (("title", title, _("请填写会议名称")), ("attendees", attendees, _("请填写参会人员")),
                                  ("decisions", decisions, _("请填写会议决定"))):
        if not (value or "").strip():
            errors[field] = [message]
    if date is None or date > timezone.localdate():
        errors["date"] = [_("会议日期不能晚于今天")]
    rows = []
    for row in households:
        try:
            household = access_by_id(acting_user, Household.objects.all(), row.get("household_id"))
        except NotFound:
            errors.setdefault("households", []).append(_("家庭编号 %(id)s 不存在或不在本辖区") % {"id": row.get("household_id")})
            continue
        amount = row.get("amount_fen")
        if amount is not None and amount < 0:
            errors.setdefault("households", []).append(_("家庭编号 %(id)s 的金额不能为负数") % {"id": household.pk})
        rows.append((household, amount, row.get("note", "")))
    if errors:
        raise OutreachError(errors)
    meeting = Meeting(region=region, region_code=region.code, kind=kind, date=date, title=title.strip(), attendees=attendees.strip(),
                      decisions=decisions.strip(), recorded_by=acting_user)
    _save(meeting, acting_user)
    seen = set()
    for household, amount, note in rows:
        if household.pk in seen:
            continue
        seen.add(household.pk)
        _save(MeetingHousehold(meeting=meeting, household=household, region_code=household.region_code, amount_fen=amount,
                               note=(note or "")[:255]), acting_user)
    return meeting


# ------------------------------------------------------------------------------------- village goals


@transaction.atomic
def village_goal_set(*, acting_user, village_id: int, year: int, collective_income_fen: int, per_capita_income_fen: int,
                     note: str = "") -> VillageGoal:
    """Enter (or correct) a village's collective and per-capita income for a year (R7)."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    village = _region(acting_user, village_id, levels=[Level.VILLAGE], field="village")
    if collective_income_fen is None or per_capita_income_fen is None or collective_income_fen < 0 or per_capita_income_fen < 0:
        raise OutreachError(_("收入不能为空或负数"))
    goal = VillageGoal.objects.select_for_update().filter(village=village, year=year).first()
    if goal is None:
        goal = VillageGoal(village=village, region_code=village.code, year=year, entered_by=acting_user,
                           collective_income_fen=collective_income_fen, per_capita_income_fen=per_capita_income_fen)
    goal.collective_income_fen, goal.per_capita_income_fen, goal.note = collective_income_fen, per_capita_income_fen, note.strip()
    goal.entered_by = acting_user
    _save(goal, acting_user)
    return goal
