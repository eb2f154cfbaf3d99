"""Writes of the outreach app (issue 6). Each takes the acting user, runs in one transaction,
locks the rows it changes and leaves history rows (django-simple-history) with the user as
author. Records outside the acting user's scope answer "not found" (accounts.access).

The follow-up worklists' sync with the policy engine lives in worklists.py; the campaign in
campaign.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import NotFound, access_by_id, in_scope
from bangfu.common.errors import DomainError
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry import services as registry_services
from bangfu.registry.choices import HouseholdStatus, PersonStatus
from bangfu.registry.models import Household, Person

from . import permissions
from . import access, attachments, rules
from . import choices as c
from .error_codes import OutreachErrorCode
from .models import (
    FollowUpItem, Helper, Meeting, MeetingHousehold, Pairing, PairingHelper, QuarterVisits, Referral,
    RegistryProposal, Visit, VisitAttachment, VillageGoal,
)


class OutreachError(DomainError):
    """A refused write; `errors` maps a field (or "__all__") to Chinese messages."""

    default_code = OutreachErrorCode.INVALID

    def __init__(self, errors: dict[str, list[str]] | str, *, code=None):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        super().__init__(errors, code=code, text="; ".join(" ".join(v) for v in errors.values()))


def _stamp(obj, user) -> None:
    obj._history_user = user


def _save(obj, user, **kwargs) -> None:
    _stamp(obj, user)
    obj.save(**kwargs)


def _region(user, region_id, *, levels: Iterable[int] | None = None, field: str = "region") -> Region:
    try:
        region = Region.objects.get(pk=region_id)
    except (Region.DoesNotExist, ValueError, TypeError):
        raise OutreachError({field: [_("请选择区划")]}) from None
    if not in_scope(user, region.code) or (levels is not None and region.level not in levels):
        raise OutreachError({field: [_("请选择本辖区内的区划")]})
    return region


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
        errors["measures"] = [_("未知的帮扶措施：%(measures)s") % {"measures": "、".join(unknown)}]
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


# ------------------------------------------------------------------------------------------- visits

PROPOSAL_PERSON_FIELDS = (
    "living_situation", "labor_capacity", "schooling_level", "enrolled", "dropped_out", "disability_suspected",
    "disability_cert_number", "disability_type", "disability_grade", "disability_issue_date", "disability_last_check",
    "has_mental_disorder", "phone", "status",
)
PROPOSAL_HOUSEHOLD_FIELDS = ("address", "housing_safety")


def _bump(pairing_id: int, day: dt.date, delta: int) -> None:
    quarter = rules.quarter_of(day)[0]
    counter, _created = QuarterVisits.objects.select_for_update().get_or_create(pairing_id=pairing_id, quarter=quarter)
    QuarterVisits.objects.filter(pk=counter.pk).update(visits=F("visits") + delta)


@transaction.atomic
def visit_create(*, acting_user, pairing_id: int, date: dt.date, way: str, findings: str, visitor_ids: Iterable[int] = (),
                 other_visitors: str = "", needs: str = "", follow_up: str = "", files: Iterable = (),
                 max_bytes: int | None = None) -> Visit:
    """Record a visit (R8) with its attachments. A helper records visits only for their own
    pairings. Every file is checked (type by content, size) before anything is written: one bad
    file refuses the whole visit."""
    check_perm(acting_user, permissions.RECORD_VISIT)
    pairing = access.get(acting_user, Pairing.objects.select_for_update(), pairing_id,
                         helper_path="links__helper__user")
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if date is None:
        errors["date"] = [_("请填写走访日期")]
    elif date > today:
        errors["date"] = [_("走访日期不能晚于今天")]
    elif date < pairing.start_date or (pairing.end_date and date > pairing.end_date):
        errors["date"] = [_("走访日期须在结对期间内（%(start)s 至 %(end)s）") % {"start": pairing.start_date, "end": pairing.end_date or _("今")}]
    if way not in c.VisitWay.values:
        errors["way"] = [_("请选择走访方式")]
    if not (findings or "").strip():
        errors["findings"] = [_("请填写了解到的情况")]
    visitor_ids = list(dict.fromkeys(int(v) for v in visitor_ids))
    visitors = list(pairing.helpers.filter(pk__in=visitor_ids))
    if len(visitors) != len(visitor_ids):
        errors["visitors"] = [_("走访人须是该结对的帮扶责任人")]
    own = access.helper_of(acting_user)
    if own is not None and own not in visitors:
        visitors.append(own)
    checked = []
    for upload in files:
        try:
            checked.append((upload, attachments.check(upload, limit=max_bytes)))
        except attachments.AttachmentRefused as exc:
            errors.setdefault("files", []).append(str(exc))
    if errors:
        raise OutreachError(errors)
    visit = Visit(pairing=pairing, region_code=pairing.region_code, date=date, way=way, findings=findings.strip(),
                  needs=needs.strip(), follow_up=follow_up.strip(), other_visitors=other_visitors.strip(), recorded_by=acting_user)
    _save(visit, acting_user)
    visit.visitors.set(visitors)
    _bump(pairing.pk, date, +1)
    _store_files(visit, checked, acting_user)
    return visit


def _store_files(visit: Visit, checked: list, acting_user) -> None:
    stored: list[str] = []
    try:
        for upload, data in checked:
            name = attachments.save(data)
            stored.append(name)
            VisitAttachment.objects.create(
                visit=visit, region_code=visit.region_code, stored_name=name, original_name=(getattr(upload, "name", "") or _("附件"))[:255],
                content_type=data.content_type, size=len(data.data), sha256=data.sha256, uploaded_by=acting_user)
    except Exception:
        for name in stored:
            attachments.delete(name)
        raise
    # Files are not transactional: they are written last, so only a rollback of an outer
    # transaction after this service returns could orphan them (a file without a row, never served).


@transaction.atomic
def attachment_add(*, acting_user, visit_id: int, files: Iterable, max_bytes: int | None = None) -> list[VisitAttachment]:
    check_perm(acting_user, permissions.RECORD_VISIT)
    visit = access.get(acting_user, Visit.objects.select_for_update(), visit_id, helper_path="pairing__links__helper__user")
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((upload, attachments.check(upload, limit=max_bytes)))
        except attachments.AttachmentRefused as exc:
            errors.append(str(exc))
    if errors or not checked:
        raise OutreachError({"files": errors or [_("请选择要上传的文件")]})
    before = set(visit.attachments.values_list("pk", flat=True))
    _store_files(visit, checked, acting_user)
    return list(visit.attachments.exclude(pk__in=before))


@transaction.atomic
def visit_delete(*, acting_user, visit_id: int) -> None:
    """Remove a visit recorded by mistake (the history keeps it); its quarter count goes down."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    visit = access.get(acting_user, Visit.objects.select_for_update(), visit_id)
    if visit.proposals.exists():
        raise OutreachError(_("该走访已提出档案更新建议，不能删除"))
    Pairing.objects.select_for_update().filter(pk=visit.pairing_id).first()
    names = list(visit.attachments.values_list("stored_name", flat=True))
    _bump(visit.pairing_id, visit.date, -1)
    _stamp(visit, acting_user)
    visit.delete()
    transaction.on_commit(lambda: [attachments.delete(n) for n in names])


# -------------------------------------------------------------------------------- registry proposals


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def proposal_create(*, acting_user, visit_id: int, changes: dict[str, Any], person_id: int | None = None) -> RegistryProposal:
    """Propose, from a visit's findings, a change of the household's or a member's facts; a
    worker confirms it (`proposal_apply`). Only facts a visit can see are accepted."""
    check_perm(acting_user, permissions.RECORD_VISIT)
    visit = access.get(acting_user, Visit.objects.select_related("pairing"), visit_id, helper_path="pairing__links__helper__user")
    household_id = visit.pairing.household_id
    if household_id is None:
        raise OutreachError(_("该结对不是家庭或个人结对，没有可更新的家庭档案"))
    household = Household.objects.get(pk=household_id)
    allowed = PROPOSAL_PERSON_FIELDS if person_id else PROPOSAL_HOUSEHOLD_FIELDS
    unknown = [k for k in changes if k not in allowed]
    if unknown or not changes:
        raise OutreachError({"changes": [_("不能通过走访更新的项目：%(fields)s") % {"fields": "、".join(unknown)} if unknown else _("请填写拟更新的内容")]})
    target: Any = household
    person = None
    if person_id:
        person = Person.objects.filter(pk=person_id, household_id=household_id).first()
        if person is None:
            raise OutreachError({"person": [_("该人员不是本家庭成员")]})
        target = person
    old = {k: _plain(getattr(target, k)) for k in changes}
    proposal = RegistryProposal(visit=visit, household=household, person=person, region_code=household.region_code,
                                changes={k: _plain(v) for k, v in changes.items()}, old_values=old, proposed_by=acting_user)
    _save(proposal, acting_user)
    return proposal


def _parse_change(field: str, value: Any) -> Any:
    if field in ("disability_issue_date", "disability_last_check") and isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    if value == "" and field in ("disability_grade", "disability_issue_date", "disability_last_check"):
        return None
    return value


@transaction.atomic
def proposal_apply(*, acting_user, proposal_id: int) -> RegistryProposal:
    """A worker confirms the proposal: the change goes through bangfu.registry.services (which
    checks the worker's permission and scope again and writes the registry's own history)."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    proposal = access.get(acting_user, RegistryProposal.objects.select_for_update(), proposal_id)
    if proposal.status != c.ProposalStatus.PENDING:
        raise OutreachError(_("该建议已处理"))
    data = {k: _parse_change(k, v) for k, v in proposal.changes.items()}
    # a refusal of the registry (RegistryError, a DomainError) reaches the caller as it is
    if proposal.person_id:
        registry_services.person_update(acting_user=acting_user, person_id=proposal.person_id, data=data)
    else:
        registry_services.household_update(acting_user=acting_user, household_id=proposal.household_id, **data)
    proposal.status, proposal.decided_by, proposal.decided_at = c.ProposalStatus.APPLIED, acting_user, timezone.now()
    _save(proposal, acting_user)
    return proposal


@transaction.atomic
def proposal_reject(*, acting_user, proposal_id: int, note: str) -> RegistryProposal:
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    proposal = access.get(acting_user, RegistryProposal.objects.select_for_update(), proposal_id)
    if proposal.status != c.ProposalStatus.PENDING:
        raise OutreachError(_("该建议已处理"))
    if not (note or "").strip():
        raise OutreachError({"decision_note": [_("请说明不采纳的理由")]})
    proposal.status, proposal.decided_by, proposal.decided_at = c.ProposalStatus.REJECTED, acting_user, timezone.now()
    proposal.decision_note = note.strip()[:255]
    _save(proposal, acting_user)
    return proposal


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
