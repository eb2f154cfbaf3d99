"""Helpers (R7) and their pairings with the people they help."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import NotFound, access_by_id, in_scope
from bangfu.regions.choices import Level
from bangfu.registry.choices import HouseholdStatus, PersonStatus
from bangfu.registry.models import Household, Person

from .. import permissions
from .. import access
from .. import choices as c
from ..models import Helper, Pairing, PairingHelper
from ._common import OutreachError, _region, _save


# ------------------------------------------------------------------------------------------ helpers


@transaction.atomic
def helper_create(*, acting_user, kind: str, name: str, region_id: int, unit: str = "", phone: str = "",
                  user_id: int | None = None) -> Helper:
    """Register a helper (R7) in a region of the acting user's subtree; `user_id` links a login."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    errors: dict[str, list[str]] = {}
    if kind not in c.HelperKind.values:
        errors["kind"] = [_("请选择帮扶责任人类型")]
    if not (name or "").strip():
        errors["name"] = [_("请填写姓名或名称")]
    if errors:
        raise OutreachError(errors)
    region = _region(acting_user, region_id)
    helper = Helper(kind=kind, name=name.strip(), unit=unit.strip(), phone=phone.strip(), region=region)
    if user_id is not None:
        from bangfu.accounts.models import User

        account = User.objects.filter(pk=user_id).first()
        if account is None or account.region is None or not in_scope(acting_user, account.region.code):
            raise OutreachError({"user": [_("请选择本辖区的登录账号")]})
        if Helper.objects.filter(user=account).exists():
            raise OutreachError({"user": [_("该账号已关联其他帮扶责任人")]})
        helper.user = account
    _save(helper, acting_user)
    return helper


# ----------------------------------------------------------------------------------------- pairings


@transaction.atomic
def pairing_create(*, acting_user, target_kind: str, helper_ids: list[int], start_date: dt.date,
                   household_id: int | None = None, person_id: int | None = None, village_id: int | None = None,
                   lead_helper_id: int | None = None, end_date: dt.date | None = None,
                   measures: Iterable[str] = (), measures_note: str = "") -> Pairing:
    """Pair one or more helpers with a household, a person or a village (R7: "一帮一" or "多帮一")."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    errors: dict[str, list[str]] = {}
    household = person = village = None
    if target_kind == c.TargetKind.HOUSEHOLD:
        try:
            household = access_by_id(acting_user, Household.objects.select_related("region"), household_id)
        except NotFound:
            errors["household"] = [_("请选择本辖区的在册家庭")]
        else:
            if household.status != HouseholdStatus.ACTIVE:
                errors["household"] = [_("请选择本辖区的在册家庭")]
            village = household.region
    elif target_kind == c.TargetKind.PERSON:
        try:
            person = access_by_id(acting_user, Person.objects.select_related("household__region"), person_id)
        except NotFound:
            errors["person"] = [_("请选择本辖区的在册人员")]
        else:
            if person.household is None or person.status != PersonStatus.ACTIVE:
                errors["person"] = [_("请选择本辖区的在册人员")]
            else:
                household, village = person.household, person.household.region
    elif target_kind == c.TargetKind.VILLAGE:
        try:
            village = _region(acting_user, village_id, levels=[Level.VILLAGE], field="village")
        except OutreachError as exc:
            errors.update(exc.errors)
    else:
        errors["target_kind"] = [_("请选择帮扶对象类型")]
    helper_ids = list(dict.fromkeys(int(h) for h in helper_ids or []))
    helpers = list(access.helper_queryset(acting_user).filter(pk__in=helper_ids, active=True))
    if not helper_ids or len(helpers) != len(helper_ids):
        errors["helpers"] = [_("请选择至少一名在岗的帮扶责任人")]
    if end_date is not None and start_date is not None and end_date < start_date:
        errors["end_date"] = [_("终止日期不能早于起始日期")]
    unknown = [m for m in measures if m not in c.Measure.values]
    if unknown:
        errors["measures"] = [_("未知的帮扶措施：%(measures)s") % {"measures": _("、").join(unknown)}]
    if errors:
        raise OutreachError(errors)
    pairing = Pairing(target_kind=target_kind, household=household if target_kind != c.TargetKind.VILLAGE else None,
                      person=person, village=village, region_code=village.code, start_date=start_date, end_date=end_date,
                      measures=list(measures), measures_note=measures_note, created_by=acting_user)
    _save(pairing, acting_user)
    lead = lead_helper_id if lead_helper_id in helper_ids else helper_ids[0]
    for helper in sorted(helpers, key=lambda h: h.pk):
        _save(PairingHelper(pairing=pairing, helper=helper, lead=helper.pk == lead), acting_user)
    return pairing


@transaction.atomic
def pairing_end(*, acting_user, pairing_id: int, end_date: dt.date, reason: str = "") -> Pairing:
    """End a pairing (inclusive end date). Visits after it are refused; the frequency rule counts
    the part of the quarter it was in force (rules.required_visits)."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    pairing = access.get(acting_user, Pairing.objects.select_for_update(), pairing_id)
    if end_date < pairing.start_date:
        raise OutreachError({"end_date": [_("终止日期不能早于起始日期")]})
    if pairing.visits.filter(date__gt=end_date).exists():
        raise OutreachError({"end_date": [_("终止日期之后已有走访记录，请核对日期")]})
    pairing.end_date, pairing.end_reason = end_date, reason.strip()
    _save(pairing, acting_user)
    return pairing
