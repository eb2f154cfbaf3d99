"""Writes of the case workflow (issue 4). Every transition goes through `case_perform`: one transaction
that locks the case (`select_for_update`), checks the version the form carried, checks the
transition table (state, role level, region, staff relatives, separation of duties), applies the
step (steps.py), recomputes the deadlines (rules.py) and writes a `CaseEvent`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.access import NotFound, in_scope
from bangfu.accounts.permissions import check_perm
from bangfu.accounts.choices import Role
from bangfu.common.errors import DomainError  # noqa: F401  (the pages catch it: a step may refuse with policy's or benefits' error)
from bangfu.benefits.choices import BenefitStatus, Programme
from bangfu.benefits.models import Benefit
from bangfu.policy import services as policy_services
from bangfu.policy.models import BenefitChange
from bangfu.registry.choices import HouseholdStatus
from bangfu.registry.models import Household, Person

from . import permissions
from . import transitions as tt
from .choices import BENEFIT_TYPES, FINAL_STATES, CaseState as S, CaseType as T, Origin, Proposal
from .models import NO_DEADLINE, Case, CaseEvent, Investigation, Level, OnlineAttempt
from .rules import (  # noqa: F401  (re-exported: the pages, tests and other apps use services.*)
    DECISION_DAYS,
    GRADUAL_EXIT_MAX_MONTHS,
    INVESTIGATION_START_DAYS,
    NOTICE_DAYS,
    ONLINE_LIMIT_PER_HOUR,
    REJECTION_NOTICE_DAYS,
    TOTAL_DAYS,
    TOTAL_DAYS_DELEGATED,
    TOTAL_DAYS_EXTENDED,
    CaseError,
    _deadlines_on_entry,
    _set_due,
    _today,
    county_code_of,
    is_delegated,
    township_limit_fen,
)
from .steps import HANDLERS

# ----------------------------------------------------------------------------- creating cases


def _new_receipt() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
    return "BF" + "".join(secrets.choice(alphabet) for _ in range(10))


def _event(case: Case, *, acting_user, action: str, from_state: str, comment: str = "") -> CaseEvent:
    return CaseEvent.objects.create(case=case, region_code=case.region_code, actor=acting_user, action=action,
                                    from_state=from_state, to_state=case.state, comment=comment)


@transaction.atomic
def case_create(*, acting_user, case_type: str, household: Household, person: Person | None = None,
                origin: str = Origin.WORKER, origin_note: str = "", statement: str = "",
                applied_on: dt.date | None = None, emergency_event: str = "", emergency_date: dt.date | None = None,
                emergency_loss_fen: int | None = None, related_staff=None, related_staff_name: str = "",
                related_staff_relation: str = "", today: dt.date | None = None) -> Case:
    """Register an application entered by a worker (R15: "in writing or online"; 办法 §4–9).

    The village worker (or the township) enters it for a household of their region; an individual
    application (R12, 办法 §8) or a tekun case names the member. A staff relative (办法 §11) may
    be recorded at once."""
    today = _today(today)
    check_perm(acting_user, permissions.CREATE_CASE, _("只有村（社区）工作人员或乡镇（街道）经办人员可以登记申请"))
    if case_type not in T.values or case_type in BENEFIT_TYPES:
        raise CaseError(_("请选择申请类型"))
    if household is None or not in_scope(acting_user, household.region_code):
        raise NotFound()
    if household.status != HouseholdStatus.ACTIVE:
        raise CaseError(_("该家庭已不在册，不能登记申请"))
    if case_type in (T.DIBAO_INDIVIDUAL, T.TEKUN):
        if person is None or person.household_id != household.pk:
            raise CaseError(_("单独申请和特困人员认定须选择本家庭的一名成员"))
    else:
        person = None
    if case_type == T.TEMPORARY_EMERGENCY and not (emergency_event and emergency_date):
        raise CaseError(_("急难型临时救助须填写急难事件及发生日期"))
    open_same = Case.objects.filter(household=household, case_type=case_type, person=person).exclude(
        state__in=FINAL_STATES).exists()
    if open_same:
        raise CaseError(_("该家庭已有同类在办案件，请勿重复登记"))
    head = household.head
    applicant = person or head
    case = Case(
        case_type=case_type, state=S.SUBMITTED, region_code=household.region_code, household=household, person=person,
        origin=origin if origin in Origin.values else Origin.WORKER, origin_note=origin_note[:255], statement=statement,
        applicant_name=applicant.name if applicant else "", applicant_id_number=applicant.id_number if applicant else "",
        applicant_phone=applicant.phone if applicant else "", address=household.address, entered_by=acting_user,
        applied_on=applied_on or today, emergency_event=emergency_event, emergency_date=emergency_date,
        emergency_loss_fen=emergency_loss_fen, related_staff=related_staff,
        related_staff_name=related_staff_name or (related_staff.get_full_name() if related_staff else ""),
        related_staff_relation=related_staff_relation,
    )
    _set_due(case)
    case.save()
    comment = origin_note
    if case.related_staff_name:
        comment = (comment + "；" if comment else "") + _("登记近亲属关系：%(name)s（%(rel)s）") % {
            "name": case.related_staff_name, "rel": related_staff_relation}
    _event(case, acting_user=acting_user, action="create", from_state="", comment=comment)
    return case


def online_rate_limited(ip: str, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return OnlineAttempt.objects.filter(ip_address=ip, at__gte=now - dt.timedelta(hours=1)).count() >= ONLINE_LIMIT_PER_HOUR


@transaction.atomic
def online_application_create(*, ip: str, case_type: str, region, applicant_name: str, applicant_id_number: str,
                              applicant_phone: str, address: str, statement: str,
                              today: dt.date | None = None) -> Case:
    """A resident's application on the public form (R15 "or online"; no login). Rate-limited per
    address; answers a receipt number to look the case up with the ID number. When the ID number
    belongs to a registered member of a household of that village, the case is linked to it but
    marked "identity not verified": anyone can type a neighbour's ID number, so the township sees
    the applicant in person (`case_verify_identity`) before it accepts. Otherwise the township
    links it before accepting. Writes the case only: what the applicant typed (name, phone,
    address) never changes the registry."""
    today = _today(today)
    if online_rate_limited(ip):
        raise CaseError(_("提交过于频繁，请一小时后再试"), "rate_limited")
    OnlineAttempt.objects.create(ip_address=ip)
    if case_type not in (T.DIBAO, T.DIBAO_INDIVIDUAL, T.TEKUN, T.TEMPORARY_EXPENDITURE):
        raise CaseError(_("请选择申请类型"))
    member = Person.objects.select_related("household").filter(id_number=applicant_id_number).first()
    household = None
    if member is not None and member.household_id and member.household.region_code == region.code \
            and member.household.status == HouseholdStatus.ACTIVE:
        household = member.household
    person = member if household is not None and case_type in (T.DIBAO_INDIVIDUAL, T.TEKUN) else None
    case = Case(
        case_type=case_type, state=S.SUBMITTED, region_code=region.code, household=household, person=person,
        origin=Origin.ONLINE, applicant_name=applicant_name, applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone, address=address, statement=statement, applied_on=today,
        identity_unverified=household is not None,
    )
    for _attempt in range(5):
        case.receipt_number = _new_receipt()
        if not Case.objects.filter(receipt_number=case.receipt_number).exists():
            break
    _set_due(case)
    case.save()
    _event(case, acting_user=None, action="create", from_state="", comment=_("居民网上申请，回执号 %(r)s") % {"r": case.receipt_number})
    return case


def receipt_issue(*, acting_user, case_id: int) -> Case:
    """The receipt number of an application (申请回执): an online application has had one since it
    was filed; a case entered by staff gets one the first time its receipt is printed, so every
    applicant can look the case up (receipt + ID number) and the receipt carries a number. Kept
    once given: printing the receipt again shows the same number. Locks the case row."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.receipt_number:
            return case
        for _attempt in range(5):
            case.receipt_number = _new_receipt()
            if not Case.objects.filter(receipt_number=case.receipt_number).exists():
                break
        case.save(update_fields=["receipt_number", "updated_at"])
        _event(case, acting_user=acting_user, action="receipt_issued", from_state=case.state,
               comment=_("回执号 %(r)s") % {"r": case.receipt_number})
    return case


def case_verify_identity(*, acting_user, case_id: int, version: int, note: str, today: dt.date | None = None) -> Case:
    """The township records that it checked the applicant of an online application in person
    (`note`: how, e.g. the ID card seen at the office) and clears "identity not verified". A step
    of the transition table ("verify_identity"), so it locks, checks the version, role and region,
    and writes an event like every other step."""
    return case_perform(acting_user=acting_user, case_id=case_id, action="verify_identity", version=version,
                        data={"comment": note}, today=today)


def online_lookup(receipt_number: str, id_number: str) -> Case | None:
    """The case of a receipt number, only together with the applicant's ID number."""
    receipt_number = (receipt_number or "").strip().upper()
    id_number = (id_number or "").strip().upper()
    if not receipt_number or not id_number:
        return None
    return Case.objects.filter(receipt_number=receipt_number, applicant_id_number=id_number).first()


# ----------------------------------------------------------------------------- the transition


def case_authorize(*, acting_user, case: Case, transition: tt.Transition) -> None:
    """Role level, region, staff relative and separation of duties; raises CaseError('forbidden')."""
    if acting_user is None or not getattr(acting_user, "is_authenticated", False) or not acting_user.is_active:
        raise CaseError(_("请先登录"), "forbidden")
    if not in_scope(acting_user, case.region_code):
        raise NotFound()
    roles = tt.roles_for(transition, case.decider_level)
    if acting_user.role not in roles:
        who = _("、").join(str(Role(r).label) for r in sorted(roles))
        raise CaseError(_("“%(action)s”须由%(who)s办理，您的角色不能执行此操作") % {"action": transition.label, "who": who},
                        "forbidden")
    if case.related_staff_id is not None and case.related_staff_id == acting_user.pk:
        raise CaseError(_("您与申请人存在近亲属关系，不能办理此案件（《最低生活保障审核确认办法》第十一条）"), "forbidden")
    if tt.SEPARATION in transition.checks:
        if case.entered_by_id == acting_user.pk:
            raise CaseError(_("您录入了此案件，不能作出审批决定（审批分离）"), "forbidden")
        if Investigation.objects.filter(case=case, investigators=acting_user).exists():
            raise CaseError(_("您参与了此案件的入户调查，不能作出审批决定（审批分离）"), "forbidden")



@transaction.atomic
def case_perform(*, acting_user, case_id: int, action: str, version: int, data: dict[str, Any] | None = None,
                 today: dt.date | None = None) -> Case:
    """Take `action` on the case (issue 4 "Reliability"): lock, check version and table, apply,
    write the event. Raises CaseError or NotFound (outside the acting user's region, as missing)."""
    data = dict(data or {})
    today = _today(today)
    try:
        case = Case.objects.select_for_update().get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if acting_user is None or not in_scope(acting_user, case.region_code):
        raise NotFound()
    if int(version) != case.version:
        raise CaseError(_("案件已被他人更新，请刷新后重试"), "stale")
    transition = tt.lookup(case.case_type, case.state, action)
    if transition is None:
        raise CaseError(_("案件当前状态为“%(state)s”，不能执行此操作") % {"state": case.get_state_display()})
    case_authorize(acting_user=acting_user, case=case, transition=transition)
    from_state = case.state
    handler = HANDLERS.get(action)
    comment = handler(case, acting_user=acting_user, data=data, today=today, transition=transition) if handler else ""
    if transition.target is not None:
        case.state = transition.target
        _deadlines_on_entry(case, today)
    else:
        _set_due(case)
    case.version += 1
    case.save()
    _event(case, acting_user=acting_user, action=action, from_state=from_state, comment=comment or data.get("comment", ""))
    return case



# ----------------------------------------------------------------------------- reviews and changes


def _benefit_case(benefit: Benefit, *, case_type: str, acting_user, today: dt.date, origin: str, note: str = "",
                  benefit_change: BenefitChange | None = None) -> Case:
    due = benefit.next_review_date if case_type == T.REVIEW and benefit.next_review_date else None
    case = Case(
        case_type=case_type, state=S.REVIEW_OPEN, region_code=benefit.region_code, household_id=benefit.household_id,
        person_id=benefit.person_id, benefit=benefit, benefit_change=benefit_change, origin=origin, origin_note=note[:255],
        entered_by=acting_user, applied_on=today, accepted_on=today, accepted_by=acting_user, overall_deadline=due,
    )
    programme = benefit.programme
    case.delegated = programme in ("dibao", "tekun") and is_delegated(benefit.region_code, programme, today)
    case.decider_level = Level.TOWNSHIP if case.delegated else Level.COUNTY
    _set_due(case)
    return case


def _check_opener(acting_user) -> None:
    check_perm(acting_user, permissions.OPEN_REVIEW, _("只有乡镇（街道）或县级民政部门可以发起核查"))


@transaction.atomic
def review_cases_open(*, acting_user, benefit_ids: Iterable[int], today: dt.date | None = None) -> list[Case]:
    """Open periodic-review cases (R16, 办法 §31) for the given benefits of the acting user's region;
    a benefit that already has an open review case is skipped."""
    _check_opener(acting_user)
    today = _today(today)
    ids = sorted({int(i) for i in benefit_ids})
    benefits = [b for b in Benefit.objects.filter(pk__in=ids, status=BenefitStatus.ACTIVE).order_by("pk")
                if in_scope(acting_user, b.region_code)]
    if len(benefits) != len(ids):
        raise CaseError(_("所选待遇不存在、已停发或不在您的辖区"))
    return _bulk_open(benefits, acting_user=acting_user, today=today)


def _bulk_open_sql(benefit_ids: list[int], *, acting_user, today: dt.date) -> int:
    """PostgreSQL: the cases and their events of one batch in one INSERT … SELECT statement, the
    database reading the benefits itself (no Python row objects). Same rows as `_bulk_open`:
    every column not set here gets the model field's default. Returns the number opened."""
    from django.db import connection

    case_table = connection.ops.quote_name(Case._meta.db_table)
    event_table = connection.ops.quote_name(CaseEvent._meta.db_table)
    benefit_table = connection.ops.quote_name(Benefit._meta.db_table)
    now = timezone.now()
    exprs = {  # column → SQL over the benefit row "b" (parameters in %s)
        "case_type": ("%s", [T.REVIEW]), "state": ("%s", [S.REVIEW_OPEN]), "region_code": ("b.region_code", []),
        "household_id": ("b.household_id", []), "person_id": ("b.person_id", []), "benefit_id": ("b.id", []),
        "origin": ("%s", [Origin.REVIEW]), "entered_by_id": ("%s", [acting_user.pk]), "accepted_by_id": ("%s", [acting_user.pk]),
        "applied_on": ("%s", [today]), "accepted_on": ("%s", [today]), "created_at": ("%s", [now]),
        "updated_at": ("%s", [now]), "overall_deadline": ("b.next_review_date", []),
        "waits_for": ("%s", [tt.waiting_level(T.REVIEW, S.REVIEW_OPEN, Level.COUNTY)]),
        "due_date": ("COALESCE(b.next_review_date, %s)", [NO_DEADLINE]),
        "delegated": ("EXISTS (SELECT 1 FROM cases_approvaldelegation d WHERE d.county_code = RPAD(LEFT(b.region_code, 6), 12, '0') "
                      "AND d.programme = b.programme AND d.valid_from <= %s AND (d.valid_to IS NULL OR d.valid_to > %s))",
                      [today, today]),
    }
    exprs["decider_level"] = (f"CASE WHEN {exprs['delegated'][0]} THEN %s ELSE %s END",
                              exprs["delegated"][1] + [Level.TOWNSHIP, Level.COUNTY])
    columns, selects, params = [], [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in exprs:
            sql, p = exprs[field.column]
        else:
            sql, p = "%s", [field.get_db_prep_save(field.get_default(), connection)]
        selects.append(sql)
        params += p
    query = (
        f"WITH new AS (INSERT INTO {case_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(selects)} FROM {benefit_table} b WHERE b.id = ANY(%s) AND NOT EXISTS ("
        f"SELECT 1 FROM {case_table} c WHERE c.benefit_id = b.id AND c.case_type = %s AND NOT (c.state = ANY(%s))) "
        f"ORDER BY b.id RETURNING id, region_code) "
        f"INSERT INTO {event_table} (case_id, region_code, actor_id, at, action, from_state, to_state, comment) "
        f"SELECT id, region_code, %s, %s, 'open_review', '', %s, '' FROM new"
    )
    params += [benefit_ids, T.REVIEW, [str(x) for x in FINAL_STATES], acting_user.pk, now, S.REVIEW_OPEN]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.rowcount


def _bulk_open(benefits: list[Benefit], *, acting_user, today: dt.date) -> list[Case]:
    if not benefits:
        return []
    busy = set(Case.objects.filter(benefit_id__in=[b.pk for b in benefits], case_type=T.REVIEW)
               .exclude(state__in=FINAL_STATES).values_list("benefit_id", flat=True))
    delegated_cache: dict[tuple[str, str], bool] = {}
    cases = []
    for b in benefits:
        if b.pk in busy:
            continue
        key = (county_code_of(b.region_code), b.programme)
        if key not in delegated_cache:
            delegated_cache[key] = is_delegated(b.region_code, b.programme, today)
        case = Case(
            case_type=T.REVIEW, state=S.REVIEW_OPEN, region_code=b.region_code, household_id=b.household_id,
            person_id=b.person_id, benefit_id=b.pk, origin=Origin.REVIEW, entered_by=acting_user, applied_on=today,
            accepted_on=today, accepted_by=acting_user, overall_deadline=b.next_review_date,
            delegated=delegated_cache[key], decider_level=Level.TOWNSHIP if delegated_cache[key] else Level.COUNTY,
        )
        _set_due(case)
        cases.append(case)
    Case.objects.bulk_create(cases, batch_size=2000)  # ids returned on PostgreSQL and SQLite ≥ 3.35
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=c, region_code=c.region_code, actor=acting_user, action="open_review", from_state="",
                   to_state=c.state) for c in cases], batch_size=2000)
    return cases


def due_review_cases_open(*, acting_user, as_of: dt.date, today: dt.date | None = None, batch: int = 5000) -> int:
    """Open review cases for every benefit due by `as_of` in the acting user's region, in batches (one
    transaction per batch, so the work can be re-run: benefits with an open review are skipped).
    Returns the number of cases opened."""
    from bangfu.benefits.selectors import reviews_due_within

    _check_opener(acting_user)
    today = _today(today)
    ids = list(reviews_due_within(acting_user.region, as_of=as_of).values_list("pk", flat=True))
    opened = 0
    from django.db import connection

    for start in range(0, len(ids), batch):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                opened += _bulk_open_sql(ids[start:start + batch], acting_user=acting_user, today=today)
            else:
                chunk = list(Benefit.objects.filter(pk__in=ids[start:start + batch]).order_by("pk"))
                opened += len(_bulk_open(chunk, acting_user=acting_user, today=today))
    return opened


@transaction.atomic
def reassessment_change_open(*, acting_user, change_id: int, today: dt.date | None = None) -> Case:
    """One click on a change found by `bangfu reassess` (policy.BenefitChange): opens a
    benefit-change case (or, for a newly eligible household, a dibao application) and marks the
    row handled."""
    _check_opener(acting_user)
    today = _today(today)
    try:
        row = BenefitChange.objects.select_for_update().get(pk=change_id)
    except (BenefitChange.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not in_scope(acting_user, row.region_code):
        raise NotFound()
    if row.status != BenefitChange.Status.OPEN:
        raise CaseError(_("该变化已处理或已被新的核算取代"))
    from bangfu.common.money import format_yuan

    note = _("重新核算：%(kind)s，%(old)s → %(new)s 元") % {
        "kind": row.get_kind_display(), "old": format_yuan(row.old_amount_fen) if row.old_amount_fen is not None else "—",
        "new": format_yuan(row.new_amount_fen)}
    if row.kind == BenefitChange.Kind.NEWLY_ELIGIBLE:
        check_perm(acting_user, permissions.CREATE_CASE, _("新增对象须由乡镇（街道）登记低保申请"))
        case = case_create(acting_user=acting_user, case_type=T.DIBAO, household=row.household, origin=Origin.REASSESSMENT,
                           origin_note=note, today=today)
    else:
        benefit = Benefit.objects.filter(household_id=row.household_id, programme=Programme.DIBAO, person__isnull=True,
                                         status=BenefitStatus.ACTIVE).first()
        if benefit is None:
            raise CaseError(_("该家庭没有在享受的低保待遇，无法发起待遇变更"))
        case_type = T.TERMINATION if row.kind == BenefitChange.Kind.NO_LONGER_ELIGIBLE else T.BENEFIT_CHANGE
        case = _benefit_case(benefit, case_type=case_type, acting_user=acting_user, today=today, origin=Origin.REASSESSMENT,
                             note=note, benefit_change=row)
        case.proposal = {BenefitChange.Kind.AMOUNT_UP: Proposal.RAISE, BenefitChange.Kind.AMOUNT_DOWN: Proposal.LOWER}.get(
            row.kind, Proposal.STOP)
        case.amount_fen = row.new_amount_fen
        case.save()
        _event(case, acting_user=acting_user, action="open_change", from_state="", comment=note)
    policy_services.benefit_change_mark_handled(change_id=row.pk)
    return case


@transaction.atomic
def benefit_case_open(*, acting_user, benefit: Benefit, case_type: str, note: str = "", today: dt.date | None = None) -> Case:
    """A benefit-change or termination case opened by hand from a benefit (R16)."""
    _check_opener(acting_user)
    if case_type not in BENEFIT_TYPES:
        raise CaseError(_("请选择案件类型"))
    if not in_scope(acting_user, benefit.region_code):
        raise NotFound()
    today = _today(today)
    if benefit.status == BenefitStatus.STOPPED:
        raise CaseError(_("该待遇已停发"))
    if Case.objects.filter(benefit=benefit).exclude(state__in=FINAL_STATES).exists():
        raise CaseError(_("该待遇已有在办案件"))
    case = _benefit_case(benefit, case_type=case_type, acting_user=acting_user, today=today, origin=Origin.WORKER, note=note)
    case.save()
    _event(case, acting_user=acting_user, action="open_review" if case_type == T.REVIEW else "open_change", from_state="", comment=note)
    return case



# ----------------------------------------------------------------------------- refusing work (暂行办法 §45)


@transaction.atomic
def job_offer_record(*, acting_user, person: Person, offered_by: str, offered_on: dt.date, job: str, outcome: str,
                     good_reason: bool = False, reason_note: str = "", today: dt.date | None = None):
    """Record a job offered to a member (benefits.services.job_offer_record) and, when the member
    is able to work and has now refused three offers in a row without good reason (暂行办法 §45;
    《最低生活保障审核确认办法》 on dynamic management), propose the change: a benefit-change case on
    the dibao that covers them, proposing to lower the household's amount by the member's own share
    (`own_share_fen`: the amount divided equally among the members), or to stop it when that share
    is the whole amount (a personal benefit, a one-person household). The township then records its
    findings and the decider decides, as for any change: never an automatic cut.

    Returns (offer, case or None)."""
    from bangfu.benefits import services as benefit_services
    from bangfu.common.money import format_yuan
    from bangfu.registry.choices import LaborCapacity, PersonStatus

    check_perm(acting_user, permissions.CREATE_CASE, _("只有村（社区）工作人员或乡镇（街道）经办人员可以登记就业介绍"))
    today = _today(today)
    offer = benefit_services.job_offer_record(acting_user=acting_user, person=person, offered_by=offered_by, offered_on=offered_on,
                                              job=job, outcome=outcome, good_reason=good_reason, reason_note=reason_note)
    if person.labor_capacity == LaborCapacity.NONE:
        return offer, None
    run = benefit_services.work_refusal_run(person)
    if not run:
        return offer, None
    from django.db.models import Q

    benefit = (Benefit.objects.filter(household_id=person.household_id, programme=Programme.DIBAO, status=BenefitStatus.ACTIVE)
               .filter(Q(person__isnull=True) | Q(person=person)).order_by("person_id").first())
    if benefit is None or Case.objects.filter(benefit=benefit).exclude(state__in=FINAL_STATES).exists():
        return offer, None  # nothing paid to reduce, or a case on the benefit is already open: the officer sees the offers there
    members = 1 if benefit.person_id else Person.objects.filter(household_id=benefit.household_id, status=PersonStatus.ACTIVE).count()
    share = benefit_services.own_share_fen(benefit, members)
    offers = _("；").join(f"{o.offered_on:%Y-%m-%d} {o.offered_by}：{o.job}" for o in run)
    note = _("%(name)s有劳动能力，无正当理由连续3次拒绝介绍的工作（%(offers)s）；本人份额 %(share)s 元"
             "（月待遇 %(amount)s 元 ÷ %(members)s 人）（《社会救助暂行办法》第四十五条）") % {
        "name": person.name, "offers": offers, "share": format_yuan(share), "amount": format_yuan(benefit.monthly_amount_fen),
        "members": members}
    case = _benefit_case(benefit, case_type=T.BENEFIT_CHANGE, acting_user=acting_user, today=today, origin=Origin.WORK_REFUSAL,
                         note=note)
    case.person_id = person.pk
    if share >= benefit.monthly_amount_fen:
        case.proposal, case.amount_fen = Proposal.STOP, None
    else:
        case.proposal, case.amount_fen = Proposal.LOWER, benefit.monthly_amount_fen - share
    case.save()
    _event(case, acting_user=acting_user, action="open_change", from_state="", comment=note)
    from bangfu.benefits.models import JobOffer

    JobOffer.objects.filter(pk__in=[o.pk for o in run]).update(proposal_case_id=case.pk)
    return offer, case
