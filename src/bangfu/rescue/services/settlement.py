"""Settlement of unidentified long-stay persons (R24): apply, plan, approve, register."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import NotFound

from .. import permissions
from .. import choices as c
from .. import rules
from ..errors import RescueError
from ..models import Placement, SettlementCase, Stay
from ..selectors import stay_for_edit
from ._common import _stamp


# ----------------------------------------------------------------------------- settlement (R24)


def _settlement_for_update(acting_user, case_id: int, version: int) -> SettlementCase:
    from ..selectors import stays

    case = SettlementCase.objects.select_for_update().filter(pk=case_id, stay__in=stays(acting_user)).select_related("stay").first()
    if case is None:
        raise NotFound()
    if case.version != version:
        raise RescueError(_("该案件已被他人修改，请刷新后重试"))
    return case


@transaction.atomic
def settlement_apply(*, acting_user, stay_id: int, applied_on: dt.date) -> SettlementCase:
    """The station applies for settlement of an unidentified person staying over 3 months (R24)."""
    stay = stay_for_edit(acting_user, stay_id, lock=True)
    if stay.status != c.StayStatus.OPEN or stay.identity_status != c.IdentityStatus.UNIDENTIFIED:
        raise RescueError(_("只有在站的身份不明人员可以申请落户安置"))
    if not rules.settlement_due(timezone.localtime(stay.arrival_at), applied_on):
        due = rules.tracing_deadlines(timezone.localtime(stay.arrival_at)).settlement_after
        raise RescueError({"applied_on": [_("在站未满3个月（%(date)s后方可申请）") % {"date": f"{due:%Y-%m-%d}"}]})
    if SettlementCase.objects.filter(stay=stay).exists():
        raise RescueError(_("该人员已有落户安置案件"))
    case = SettlementCase(stay=stay, region_code=stay.region_code, applied_on=applied_on)
    _stamp(case, acting_user).save()
    return case


@transaction.atomic
def settlement_plan(*, acting_user, case_id: int, version: int, planned_on: dt.date, outcome: str, orphan_benefit: bool = False,
                    institution_name: str = "", note: str = "") -> SettlementCase:
    """Civil affairs proposes the plan: a minor → children's welfare institution and orphan benefit;
    a tekun-eligible adult → tekun institution (seed 篇四 二（五）)."""
    check_perm(acting_user, permissions.RESCUE_SETTLE)
    case = _settlement_for_update(acting_user, case_id, version)
    if case.status != c.SettlementStatus.APPLIED:
        raise RescueError(_("该案件不在待提出方案阶段"))
    stay = case.stay
    minor = rules.is_minor(stay.birth_date, planned_on, flagged=stay.is_minor)
    problems = rules.settlement_outcome_problems(minor=minor, outcome=outcome, orphan_benefit=orphan_benefit,
                                                 tekun_eligible=stay.tekun_eligible)
    if outcome not in c.SettlementOutcome.values:
        problems["outcome"] = _("请选择安置去向")
    if outcome == c.SettlementOutcome.OTHER and not note.strip():
        problems["note"] = _("其他安置须写明方案")
    if planned_on < case.applied_on:
        problems["planned_on"] = _("方案日期不能早于申请日期")
    if problems:
        raise RescueError({k: [v] for k, v in problems.items()})
    case.status, case.planned_on, case.outcome = c.SettlementStatus.PLANNED, planned_on, outcome
    case.orphan_benefit, case.institution_name, case.note = orphan_benefit, institution_name.strip(), note.strip()
    case.version += 1
    _stamp(case, acting_user).save()
    return case


@transaction.atomic
def settlement_advance(*, acting_user, case_id: int, version: int, day: dt.date) -> SettlementCase:
    """Government approval (approved), then household registration and transfer (registered), which
    ends the stay as settled."""
    check_perm(acting_user, permissions.RESCUE_SETTLE)
    case = _settlement_for_update(acting_user, case_id, version)
    if case.status == c.SettlementStatus.PLANNED:
        if day < case.planned_on:
            raise RescueError({"day": [_("批准日期不能早于方案日期")]})
        case.status, case.approved_on = c.SettlementStatus.APPROVED, day
    elif case.status == c.SettlementStatus.APPROVED:
        if day < case.approved_on:
            raise RescueError({"day": [_("户口登记日期不能早于批准日期")]})
        case.status, case.registered_on = c.SettlementStatus.REGISTERED, day
    else:
        raise RescueError(_("该案件不在待批准或待登记阶段"))
    case.version += 1
    _stamp(case, acting_user).save()
    if case.status == c.SettlementStatus.REGISTERED:
        stay = Stay.objects.select_for_update().get(pk=case.stay_id)
        stay.status, stay.end_reason, stay.end_destination = c.StayStatus.ENDED, c.EndReason.SETTLED, case.institution_name
        stay.ended_at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        _stamp(stay, acting_user).save()
        Placement.objects.filter(stay=stay, end_date__isnull=True).update(end_date=day)
    return case
