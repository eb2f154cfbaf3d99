"""Follow-up worklist items and their referrals to other departments."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import NotFound, access_by_id
from bangfu.registry.models import Person

from .. import permissions
from .. import access, rules
from .. import choices as c
from ..models import FollowUpItem, Referral, Visit
from ._common import OutreachError, _save


# ---------------------------------------------------------------------------------------- worklists


@transaction.atomic
def item_create(*, acting_user, person_id: int, kind: str, note: str = "", visit_id: int | None = None,
                due_date: dt.date | None = None) -> FollowUpItem:
    """Open an item by hand — employment and training needs (R9) raised on a visit, or an R4
    situation seen before the next reassessment. One open item per person and kind."""
    check_perm(acting_user, permissions.RECORD_VISIT)
    if kind not in c.ItemKind.values:
        raise OutreachError({"kind": [_("请选择跟进事项类型")]})
    visit = None
    if visit_id is not None:
        visit = access.get(acting_user, Visit.objects.select_related("pairing"), visit_id, helper_path="pairing__links__helper__user")
    else:
        check_perm(acting_user, permissions.MANAGE_OUTREACH)
    try:
        person = access_by_id(acting_user, Person.objects.select_for_update(), person_id)
    except NotFound:
        raise OutreachError({"person": [_("请选择本辖区的在册人员")]}) from None
    if person.household_id is None or (visit and visit.pairing.household_id != person.household_id):
        raise OutreachError({"person": [_("该人员不属于所走访的家庭")]})
    if FollowUpItem.objects.filter(person=person, kind=kind, closed_on__isnull=True).exists():
        raise OutreachError({"kind": [_("该人员已有同类未办结的跟进事项")]})
    today = timezone.localdate()
    due = due_date or today + dt.timedelta(days=rules.parameter_value("followup_due_days", person.region_code, today))
    item = FollowUpItem(kind=kind, person=person, household_id=person.household_id, region_code=person.region_code,
                        opened_on=today, due_date=due, source="visit" if visit else "manual", visit=visit, note=note.strip())
    _save(item, acting_user)
    return item


@transaction.atomic
def item_assign(*, acting_user, item_id: int, owner_id: int | None, due_date: dt.date | None = None) -> FollowUpItem:
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    item = access.get(acting_user, FollowUpItem.objects.select_for_update(), item_id)
    if item.closed_on:
        raise OutreachError(_("该事项已办结"))
    if owner_id is not None:
        from bangfu.accounts.models import User

        owner = User.objects.filter(pk=owner_id, is_active=True).select_related("region").first()
        if owner is None or owner.region is None or not owner.region.contains(item.region_code):
            raise OutreachError({"owner": [_("责任人须是该户所在辖区的工作人员")]})
    item.owner_id = owner_id
    if due_date is not None:
        item.due_date = due_date
    _save(item, acting_user)
    return item


@transaction.atomic
def referral_add(*, acting_user, item_id: int, target: str, referred_on: dt.date, target_name: str = "") -> Referral:
    """Refer an item to a department (R4: education, disability federation, village committee and
    housing; R9: human resources)."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    item = access.get(acting_user, FollowUpItem.objects.select_for_update(), item_id)
    if item.closed_on:
        raise OutreachError(_("该事项已办结"))
    if target not in c.ReferralTarget.values:
        raise OutreachError({"target": [_("请选择转介部门")]})
    if referred_on is None or referred_on > timezone.localdate():
        raise OutreachError({"referred_on": [_("转介日期不能晚于今天")]})
    referral = Referral(item=item, region_code=item.region_code, target=target, target_name=target_name.strip(),
                        referred_on=referred_on, recorded_by=acting_user)
    _save(referral, acting_user)
    item.status = c.ItemStatus.REFERRED
    _save(item, acting_user)
    return referral


@transaction.atomic
def referral_answer(*, acting_user, referral_id: int, answer: str, answered_on: dt.date) -> Referral:
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    referral = access.get(acting_user, Referral.objects.select_for_update(), referral_id)
    if not (answer or "").strip():
        raise OutreachError({"answer": [_("请填写答复内容")]})
    if answered_on is None or answered_on < referral.referred_on:
        raise OutreachError({"answered_on": [_("答复日期不能早于转介日期")]})
    referral.answer, referral.answered_on = answer.strip(), answered_on
    _save(referral, acting_user)
    return referral


@transaction.atomic
def item_close(*, acting_user, item_id: int, reason: str, note: str = "", day: dt.date | None = None) -> FollowUpItem:
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    item = access.get(acting_user, FollowUpItem.objects.select_for_update(), item_id)
    if item.closed_on:
        raise OutreachError(_("该事项已办结"))
    if reason not in c.CloseReason.values:
        raise OutreachError({"close_reason": [_("请选择办结原因")]})
    item.status, item.close_reason, item.closed_on = c.ItemStatus.CLOSED, reason, day or timezone.localdate()
    if note:
        item.note = (item.note + "\n" + note.strip()).strip()
    _save(item, acting_user)
    return item
