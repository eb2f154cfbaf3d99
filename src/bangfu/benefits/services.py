"""Writes to benefits (issue 4 "Enrolment", "Periodic review"; R16; 办法 §21, §31, §33).

Each service takes the acting user, runs in one transaction, locks the rows it changes
(household first, then benefit: the same order everywhere) and leaves an audit trail: a
`BenefitAmount` row for every decision on the amount and a django-simple-history row for every
change of a `Benefit`. A household outside the actor's region answers `NotFound`, like a missing
one. Which role may take which decision is the case workflow's rule (the `cases` app calls these
services from its transitions); these services enforce the rules of the benefit itself.

Rules chosen here, with their source:
- Payment starts the month after approval (办法 §21).
- Raise / lower / unchanged take effect from the month after the decision, as a grant does
  (办法 §21 applied to a change; R16: the county raises, lowers or stops the benefit).
- Stop: paid through the month of the decision (or of `paid_through`), nothing from the month
  after. A death stops the benefit from the month after death (issue 5 错保): pass the date of
  death as `paid_through`. Same principle as §21: a decision takes effect from the next month.
- Gradual exit (渐退期, 办法 §33): the amount is kept for 1–6 months after the decision month,
  then the benefit ends; 7 or more is refused.
- Review interval: A class 12 months, B class 6 months (办法 §31, seed 篇三 (四)), read from the
  policy parameters `review_interval_a_months` / `review_interval_b_months` for the region.
- A member's death brings the household's review forward to at most 3 months after it (issue 4).

The registry's category rows (`registry.Classification`, kind "category", code "dibao"/"tekun",
with the monthly amount) follow every decision, dated by month, written through the registry's
service `classification_set`: the household list's category filter and the policy engine's
"current dibao" (reassessment, issue 3) read them.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.access import NotFound, in_scope
from bangfu.common.errors import DomainError
from bangfu.common.money import format_yuan
from bangfu.registry.choices import HouseholdStatus
from bangfu.registry.models import Household
from bangfu.registry.services import classification_set

from . import choices as c
from .error_codes import BenefitErrorCode
from .models import Benefit, BenefitAmount, JobOffer, OneOffPayment, Overpayment
from bangfu.common.months import add_months, month_of, next_month, previous_month

GRADUAL_EXIT_MAX_MONTHS = 6  # 办法 §33: 渐退期最长不超过6个月
DEATH_REVIEW_MONTHS = 3  # issue 4: a death of a member triggers review within 3 months
RECURRING = (c.Programme.DIBAO, c.Programme.TEKUN)


class BenefitError(DomainError):
    """A refused change; `message` is Chinese and says why."""

    default_code = BenefitErrorCode.INVALID


# ----------------------------------------------------------------------------- helpers


def _check_scope(acting_user, region_code: str) -> None:
    if acting_user is None or not in_scope(acting_user, region_code):
        raise NotFound()


def _stamp(obj, acting_user) -> None:
    obj._history_user = acting_user


def _amount(value, *, field: str | None = None) -> int:
    field = field or _("月待遇金额")
    if isinstance(value, bool) or not isinstance(value, int):
        raise BenefitError(_("%(field)s须为整数（分）") % {"field": field})
    if value <= 0:
        raise BenefitError(_("%(field)s必须大于零") % {"field": field})
    return value


def review_interval_months(review_class: str, region_code: str, on: dt.date) -> int:
    """12 for class A, 6 for class B (办法 §31; seed 篇三 (四)), from the policy parameters."""
    from bangfu.policy.current import current_parameter_set

    name = "review_interval_b_months" if review_class == c.ReviewClass.B else "review_interval_a_months"
    return int(current_parameter_set().value(name, region_code, on))


def next_review_date(review_class: str, region_code: str, since: dt.date) -> dt.date:
    return add_months(since, review_interval_months(review_class, region_code, since))


def _class_from_determination(household: Household) -> str:
    """The engine's review class for the household (policy.models.Determination), if it judged one."""
    from bangfu.policy.models import Determination

    value = Determination.objects.filter(household=household).order_by("-run_id").values_list("review_class", flat=True).first()
    return value if value in c.ReviewClass.values else ""


def _lock_household(household) -> Household:
    return Household.objects.select_for_update().get(pk=household.pk)


def _lock_benefit(acting_user, benefit) -> Benefit:
    # Household first, then the benefit: the order benefit_grant() uses, so the two cannot deadlock.
    _check_scope(acting_user, benefit.region_code)
    Household.objects.select_for_update().filter(pk=benefit.household_id).first()
    return Benefit.objects.select_for_update().get(pk=benefit.pk)


def _close_finished_exits(household_id: int, before: dt.date) -> None:
    """A gradual exit whose last month is before `before` has ended: mark it stopped."""
    for b in Benefit.objects.select_for_update().filter(household_id=household_id, status=c.BenefitStatus.GRADUAL_EXIT, end_month__lt=before):
        b.status = c.BenefitStatus.STOPPED
        b.save(update_fields=["status", "updated_at"])


def _open_conflict(household: Household, programme: str, person) -> Benefit | None:
    """An open benefit of `programme` that a new one for (household, person) would duplicate.

    A household-wide benefit (person None) covers every member, so it conflicts with any other of
    the same programme in the household; two members' own benefits do not conflict."""
    qs = Benefit.objects.filter(household=household, programme=programme, status__in=c.OPEN_STATUSES)
    if person is not None:
        from django.db.models import Q

        qs = qs.filter(Q(person__isnull=True) | Q(person=person))
    return qs.select_related("person").first()


def _last_decision(benefit: Benefit) -> BenefitAmount | None:
    return benefit.amounts.order_by("-decided_on", "-id").first()


def _end_history(benefit: Benefit, last_month: dt.date) -> None:
    """Rows still applying after `last_month` end with it; rows starting after it never applied
    (their to_month becomes the month before their from_month)."""
    for row in BenefitAmount.objects.filter(benefit=benefit).exclude(to_month__lte=last_month).order_by("id"):
        row.to_month = last_month if row.from_month <= last_month else previous_month(row.from_month)
        row.save(update_fields=["to_month"])


def _record(benefit: Benefit, *, acting_user, kind: str, amount_fen: int, from_month: dt.date, to_month: dt.date | None,
            case_id: int | None, decided_on: dt.date, note: str = "", parts: tuple[int, int] | None = None) -> BenefitAmount:
    basic, care = parts if parts is not None else (None, None)
    return BenefitAmount.objects.create(
        benefit=benefit, region_code=benefit.region_code, programme=benefit.programme, kind=kind, amount_fen=amount_fen, from_month=from_month,
        to_month=to_month, case_id=case_id, decided_by=acting_user, decided_on=decided_on, note=note[:255],
        basic_fen=basic, care_fen=care,
    )


def _tekun_parts(programme: str, amount: int, parts, support_mode: str) -> tuple[tuple[int, int] | None, str]:
    """A tekun amount's two parts (basic living, care: 国发〔2016〕14号 二、（三）) and support mode,
    checked: both whole fen, adding up to the monthly amount; only for tekun."""
    if programme != c.Programme.TEKUN:
        if parts is not None or support_mode:
            raise BenefitError(_("基本生活、照料护理分项和供养方式只适用于特困供养"))
        return None, ""
    if support_mode and support_mode not in c.SupportMode.values:
        raise BenefitError(_("供养方式须为分散供养或集中供养"))
    if parts is None:
        return None, support_mode
    basic, care = parts.get("basic_fen"), parts.get("care_fen")
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in (basic, care)):
        raise BenefitError(_("基本生活、照料护理分项须为非负整数（分）"))
    if basic + care != amount:
        raise BenefitError(_("基本生活 %(basic)s 元与照料护理 %(care)s 元之和不等于月待遇 %(amount)s 元")
                           % {"basic": format_yuan(basic), "care": format_yuan(care), "amount": format_yuan(amount)})
    return (basic, care), support_mode


def _sync_category(b: Benefit, acting_user, *, from_month: dt.date, amount_fen: int | None) -> None:
    """Registry category rows of this benefit, through the registry's service: those still in
    force on `from_month` end there; with `amount_fen`, a new row starts on `from_month`."""
    classification_set(acting_user=acting_user, household=b.household, person_id=b.person_id, code=b.programme,
                       start_date=from_month, monthly_amount_fen=amount_fen)


# ----------------------------------------------------------------------------- services


@transaction.atomic
def benefit_grant(*, acting_user, household, programme: str, monthly_amount_fen: int, approved_on: dt.date, case_id: int | None,
                  review_class: str = "", person=None, parts: dict | None = None, support_mode: str = "") -> Benefit:
    """Enrol a household (or one member: R12 individual application, a tekun person) in a programme.

    For tekun, `parts` ({"basic_fen", "care_fen"}, adding up to the amount) are stored on the
    amount row and `support_mode` (dispersed / institutional) on the benefit (issue 14).

    Payment starts the month after `approved_on` (办法 §21). A second open benefit of the same
    programme for the same household — or the same person — is refused. The review class is the
    one given, else the engine's (policy Determination, dibao only), else A; the next review date is
    `approved_on` plus the class's interval (办法 §31)."""
    _check_scope(acting_user, household.region_code)
    if programme not in RECURRING:
        if programme == c.Programme.TEMPORARY:
            raise BenefitError(_("临时救助为一次性发放，不建立按月待遇"))
        raise BenefitError(_("未知的救助项目"))
    amount = _amount(monthly_amount_fen)
    parts, support_mode = _tekun_parts(programme, amount, parts, support_mode)
    household = _lock_household(household)
    if household.status != HouseholdStatus.ACTIVE:
        raise BenefitError(_("该家庭已不在册，不能批准享受待遇"))
    if person is not None and person.household_id != household.pk:
        raise BenefitError(_("享受人员须是本家庭成员"))
    start = next_month(approved_on)
    _close_finished_exits(household.pk, start)
    existing = _open_conflict(household, programme, person)
    if existing is not None:
        who = f"（{existing.person.name}）" if existing.person_id else ""
        raise BenefitError(_("该家庭已在享受%(programme)s%(who)s，不能重复批准") % {"programme": c.Programme(programme).label, "who": who})
    # The engine classifies dibao households only; a tekun person is reviewed yearly (class A).
    review_class = review_class or (_class_from_determination(household) if programme == c.Programme.DIBAO else "") or c.ReviewClass.A
    if review_class not in c.ReviewClass.values:
        raise BenefitError(_("核查分类须为A类或B类"))
    benefit = Benefit(
        household=household, person=person, region_code=household.region_code, programme=programme,
        status=c.BenefitStatus.ACTIVE, monthly_amount_fen=amount, start_month=start, review_class=review_class, support_mode=support_mode,
        next_review_date=next_review_date(review_class, household.region_code, approved_on), granted_case_id=case_id,
    )
    _stamp(benefit, acting_user)
    try:
        with transaction.atomic():
            benefit.save()
    except IntegrityError:
        raise BenefitError(_("该家庭已在享受%(programme)s，不能重复批准") % {"programme": c.Programme(programme).label}) from None
    _record(benefit, acting_user=acting_user, kind=c.ChangeKind.GRANT, amount_fen=amount, from_month=start, to_month=None,
            case_id=case_id, decided_on=approved_on, parts=parts)
    _sync_category(benefit, acting_user, from_month=start, amount_fen=amount)
    return benefit


@transaction.atomic
def benefit_change(*, acting_user, benefit, kind: str, decided_on: dt.date, case_id: int | None, monthly_amount_fen: int | None = None,
                   exit_months: int = 0, paid_through: dt.date | None = None, review_class: str = "", note: str = "") -> Benefit:
    """Decide on an enrolled benefit (R16; 办法 §21, §31, §33). Every decision writes a BenefitAmount row.

    - raise / lower: the new amount applies from the month after `decided_on`;
    - unchanged: the amount is kept (办法 §31: an unchanged review keeps the amount) and the review
      is recorded;
    - stop: paid through the month of `decided_on` — or of `paid_through` when given (for a death,
      the date of death: the benefit stops from the month after death); status STOPPED;
    - gradual_exit (办法 §33): the amount is kept for `exit_months` (1–6) months after the
      decision month, then the benefit ends; status GRADUAL_EXIT until then.
    """
    b = _lock_benefit(acting_user, benefit)
    if kind not in c.ChangeKind.values or kind == c.ChangeKind.GRANT:
        raise BenefitError(_("未知的变动类型"))
    if b.status == c.BenefitStatus.STOPPED:
        raise BenefitError(_("该待遇已停发，不能再作变更"))
    if b.status == c.BenefitStatus.GRADUAL_EXIT and kind != c.ChangeKind.STOP:
        raise BenefitError(_("渐退期内的待遇只能停发"))
    last = _last_decision(b)
    if last is not None and decided_on < last.decided_on:
        raise BenefitError(_("决定日期不能早于上一次决定日期（%(date)s）") % {"date": f"{last.decided_on:%Y-%m-%d}"})
    decision_month = month_of(decided_on)
    from_month = next_month(decided_on)
    current = b.monthly_amount_fen

    if kind in (c.ChangeKind.RAISE, c.ChangeKind.LOWER):
        if monthly_amount_fen is None:
            raise BenefitError(_("请填写变更后的月待遇金额"))
        amount = _amount(monthly_amount_fen, field=_("变更后的月待遇金额"))
        if kind == c.ChangeKind.RAISE and amount <= current:
            raise BenefitError(_("增发后的金额须高于现金额（%(amount)s元）") % {"amount": format_yuan(current)})
        if kind == c.ChangeKind.LOWER and amount >= current:
            raise BenefitError(_("减发后的金额须低于现金额（%(amount)s元）；减至零请选择停发") % {"amount": format_yuan(current)})
        _end_history(b, decision_month)
        _record(b, acting_user=acting_user, kind=kind, amount_fen=amount, from_month=from_month, to_month=None, case_id=case_id,
                decided_on=decided_on, note=note)
        _sync_category(b, acting_user, from_month=from_month, amount_fen=amount)
        b.monthly_amount_fen = amount
    elif kind == c.ChangeKind.UNCHANGED:
        if monthly_amount_fen is not None and monthly_amount_fen != current:
            raise BenefitError(_("维持不变时金额不能改变；请选择增发或减发"))
        _end_history(b, decision_month)
        _record(b, acting_user=acting_user, kind=kind, amount_fen=current, from_month=from_month, to_month=None, case_id=case_id,
                decided_on=decided_on, note=note)
        _apply_review(b, reviewed_on=decided_on, case_id=case_id, review_class=review_class)
    elif kind == c.ChangeKind.STOP:
        last_paid = month_of(paid_through) if paid_through is not None else decision_month
        if last_paid > decision_month:
            raise BenefitError(_("停发的最后发放月不能晚于决定当月"))
        if b.end_month is not None and last_paid > b.end_month:
            last_paid = b.end_month  # stopping during a gradual exit never pays beyond it
        if last_paid < b.start_month:
            last_paid = previous_month(b.start_month)  # stopped before the first payment: never paid
        _end_history(b, last_paid)
        _record(b, acting_user=acting_user, kind=kind, amount_fen=0, from_month=next_month(last_paid), to_month=None, case_id=case_id,
                decided_on=decided_on, note=note)
        _sync_category(b, acting_user, from_month=next_month(last_paid), amount_fen=None)
        b.status = c.BenefitStatus.STOPPED
        b.end_month = last_paid
        b.next_review_date = None
        b.review_reason = ""
    else:  # gradual exit
        if isinstance(exit_months, bool) or not isinstance(exit_months, int) or not 1 <= exit_months <= GRADUAL_EXIT_MAX_MONTHS:
            raise BenefitError(_("渐退期为1至%(max)s个月（《最低生活保障审核确认办法》第三十三条），不能为%(months)s个月")
                               % {"max": GRADUAL_EXIT_MAX_MONTHS, "months": exit_months})
        last_paid = add_months(decision_month, exit_months)
        _end_history(b, decision_month)
        _record(b, acting_user=acting_user, kind=kind, amount_fen=current, from_month=from_month, to_month=last_paid, case_id=case_id,
                decided_on=decided_on, note=note or _("渐退期%(months)s个月") % {"months": exit_months})
        _record(b, acting_user=acting_user, kind=c.ChangeKind.STOP, amount_fen=0, from_month=next_month(last_paid), to_month=None,
                case_id=case_id, decided_on=decided_on, note=_("渐退期满停发"))
        _sync_category(b, acting_user, from_month=next_month(last_paid), amount_fen=None)
        b.status = c.BenefitStatus.GRADUAL_EXIT
        b.end_month = last_paid
        b.next_review_date = None
        b.review_reason = ""
    _stamp(b, acting_user)
    b.save()
    return b


def _apply_review(b: Benefit, *, reviewed_on: dt.date, case_id: int | None, review_class: str = "") -> None:
    if review_class:
        if review_class not in c.ReviewClass.values:
            raise BenefitError(_("核查分类须为A类或B类"))
        b.review_class = review_class
    b.last_reviewed_on = reviewed_on
    b.last_review_case_id = case_id
    b.review_reason = ""
    if b.status == c.BenefitStatus.ACTIVE:
        b.next_review_date = next_review_date(b.review_class or c.ReviewClass.A, b.region_code, reviewed_on)
    else:
        b.next_review_date = None


@transaction.atomic
def benefit_review_record(*, acting_user, benefit, reviewed_on: dt.date, case_id: int | None, review_class: str = "") -> Benefit:
    """A periodic review was done (R16, 办法 §31): next review = `reviewed_on` + 12 months (A) or
    6 months (B). A benefit no longer paid (stopped, gradual exit) has no next review."""
    b = _lock_benefit(acting_user, benefit)
    _apply_review(b, reviewed_on=reviewed_on, case_id=case_id, review_class=review_class)
    _stamp(b, acting_user)
    b.save()
    return b


@transaction.atomic
def one_off_payment_create(*, acting_user, household, amount_fen: int, approved_on: dt.date, case_id: int | None, kind: str) -> OneOffPayment:
    """Record a one-off temporary assistance payment (临时救助), paid in the month of approval.
    Which office may approve how much (先行救助 within the township's limit) is the case workflow's rule."""
    _check_scope(acting_user, household.region_code)
    if kind not in c.OneOffKind.values:
        raise BenefitError(_("临时救助类型须为急难型或支出型"))
    amount = _amount(amount_fen, field=_("救助金额"))
    household = _lock_household(household)
    if household.status != HouseholdStatus.ACTIVE:
        raise BenefitError(_("该家庭已不在册，不能发放临时救助"))
    payment = OneOffPayment(household=household, region_code=household.region_code, kind=kind, amount_fen=amount,
                            approved_on=approved_on, month=month_of(approved_on), case_id=case_id, created_by=acting_user)
    _stamp(payment, acting_user)
    payment.save()
    return payment


@transaction.atomic
def death_review_schedule(*, person, died_on: dt.date, acting_user=None) -> list[Benefit]:
    """A member of a household with an open benefit died: its review is due within 3 months
    (issue 4 "a death of a member triggers review within 3 months"): next review date =
    min(current, date of death + 3 months). Called by the registry's death path (the person_died
    receiver in signals.py) and usable by a death-list match (issue 5) with the date of death."""
    if not person.household_id:
        return []
    due = add_months(died_on, DEATH_REVIEW_MONTHS)
    changed = []
    Household.objects.select_for_update().filter(pk=person.household_id).first()
    for b in Benefit.objects.select_for_update().filter(household_id=person.household_id, status=c.BenefitStatus.ACTIVE).order_by("pk"):
        if b.next_review_date is None or due < b.next_review_date:
            b.next_review_date = due
            b.review_reason = (_("家庭成员于%(date)s死亡，须在3个月内核查") % {"date": f"{died_on:%Y-%m-%d}"})[:128]
            _stamp(b, acting_user)
            b.save(update_fields=["next_review_date", "review_reason", "updated_at"])
            changed.append(b)
    return changed


# ----------------------------------------------------------------------------- death of a holder


def months_paid_after(benefit: Benefit, *, after: dt.date, through: dt.date) -> list[tuple[dt.date, int]]:
    """(month, amount) for each month after the month of `after` up to the month of `through` that
    the benefit's amount history shows as due: the amount row in force in that month (the latest
    decision of the rows covering it), within the benefit's paid range, with an amount above zero."""
    rows = list(BenefitAmount.objects.filter(benefit=benefit).order_by("id"))
    out = []
    month, last = next_month(after), month_of(through)
    while month <= last:
        if benefit.pays_in(month):
            covering = [r for r in rows if r.from_month <= month and (r.to_month is None or month <= r.to_month)]
            amount = covering[-1].amount_fen if covering else 0
            if amount > 0:
                out.append((month, amount))
        month = next_month(month)
    return out


@transaction.atomic
def benefit_stop_on_death(*, person, died_on: dt.date, acting_user, today: dt.date | None = None) -> list[Benefit]:
    """The holder of a personal benefit (tekun, an individual dibao, R12) died: the benefit stops on
    its own, paid through the month of death, nothing from the next month (the rule of
    `benefit_change` "stop" with the date of death; no decision is needed: the person no longer
    exists to be helped). So does a household benefit when no member of the household is left alive.

    Months the ledger already showed as due after the month of death, up to the month the death is
    recorded, were paid in error: they become an `Overpayment` to recover (sum of those months'
    amounts). Returns the stopped benefits."""

    from bangfu.registry.choices import PersonStatus
    from bangfu.registry.models import Person

    if acting_user is None or not person.household_id:
        return []
    today = today or timezone.localdate()
    if died_on > today:
        raise BenefitError(_("死亡日期不能晚于登记日期"))
    Household.objects.select_for_update().filter(pk=person.household_id).first()
    targets = list(Benefit.objects.filter(person=person, status__in=c.OPEN_STATUSES).order_by("pk"))
    alive = Person.objects.filter(household_id=person.household_id, status=PersonStatus.ACTIVE).exclude(pk=person.pk).exists()
    if not alive:
        targets += list(Benefit.objects.filter(household_id=person.household_id, person__isnull=True,
                                               status__in=c.OPEN_STATUSES).order_by("pk"))
    stopped = []
    for b in targets:
        paid = months_paid_after(b, after=died_on, through=today)
        b = benefit_change(acting_user=acting_user, benefit=b, kind=c.ChangeKind.STOP, decided_on=today, case_id=None,
                           paid_through=died_on, note=_("享受人员于%(date)s死亡，次月起停发") % {"date": f"{died_on:%Y-%m-%d}"})
        if paid:
            record = Overpayment(benefit=b, person=person, household_id=b.household_id, region_code=b.region_code,
                                 reason=c.OverpaymentReason.DEATH, event_date=died_on,
                                 months=[f"{m:%Y-%m}" for m, _a in paid], amount_fen=sum(a for _m, a in paid),
                                 recorded_on=today, recorded_by=acting_user)
            _stamp(record, acting_user)
            record.save()
        stopped.append(b)
    return stopped


# ----------------------------------------------------------------------------- refusing work (暂行办法 §45)

WORK_REFUSALS = 3  # 暂行办法 §45: 连续3次拒绝接受介绍的与其健康状况、劳动能力等相适应的工作


@transaction.atomic
def job_offer_record(*, acting_user, person, offered_by: str, offered_on: dt.date, job: str, outcome: str,
                     good_reason: bool = False, reason_note: str = "") -> JobOffer:
    """Record a job offered to a member of a household (暂行办法 §45): who offered it, when, which
    job, accepted or refused, and for a refusal whether the reason is a good one."""
    if person.household_id is None:
        raise BenefitError(_("该人员不属于任何在册家庭"))
    _check_scope(acting_user, person.region_code)
    offered_by, job, reason_note = (offered_by or "").strip(), (job or "").strip(), (reason_note or "").strip()
    if not offered_by or not job:
        raise BenefitError(_("请填写介绍单位和介绍的工作"))
    if outcome not in c.JobOfferOutcome.values:
        raise BenefitError(_("请选择接受或拒绝"))
    if outcome == c.JobOfferOutcome.REFUSED and good_reason and not reason_note:
        raise BenefitError(_("有正当理由拒绝的，请写明理由"))
    if outcome == c.JobOfferOutcome.ACCEPTED:
        good_reason, reason_note = False, ""
    offer = JobOffer(person=person, household_id=person.household_id, region_code=person.region_code,
                     offered_by=offered_by[:128], offered_on=offered_on, job=job[:255], outcome=outcome,
                     good_reason=bool(good_reason), reason_note=reason_note[:255], recorded_by=acting_user)
    _stamp(offer, acting_user)
    offer.save()
    return offer


def work_refusal_run(person) -> list[JobOffer]:
    """The last three offers to `person` not yet acted on, oldest first, when all three were refused
    without good reason (an accepted offer or a refusal with good reason breaks the run); else []."""
    last = list(JobOffer.objects.filter(person=person, proposal_case_id__isnull=True).order_by("-offered_on", "-id")[:WORK_REFUSALS])
    if len(last) < WORK_REFUSALS or not all(o.refused_without_reason for o in last):
        return []
    return last[::-1]


def own_share_fen(benefit: Benefit, members: int) -> int:
    """A member's own share of a household dibao (暂行办法 §45 "其本人的最低生活保障金"): the
    household's monthly amount divided equally among the members it is paid for, rounded down to
    the fen (the household keeps the odd fen). The whole amount for a personal benefit."""
    if benefit.person_id is not None or members <= 1:
        return benefit.monthly_amount_fen
    return benefit.monthly_amount_fen // members


REVIEW_EXTENSION_MAX_MONTHS = 12  # "适当延长": at most one yearly cycle; a longer delay is a new document


@transaction.atomic
def review_extension_create(*, acting_user, county, document_name: str, document_number: str, document_date: dt.date,
                            event: str, months: int, due_from: dt.date, due_to: dt.date):
    """A county extends due reviews in a major emergency (seed 篇三（四）"发生重大突发事件时，核查期限
    可以适当延长"; R16).

    Only county officers (permission `extend_reviews`), for their own county (a county outside
    their region answers NotFound). Every open, active benefit of the county whose periodic review
    falls due in `due_from` … `due_to` (inclusive) is moved `months` months later
    (1–REVIEW_EXTENSION_MAX_MONTHS); a review brought forward for an event (a member's death:
    `review_reason` set) is not a periodic one and keeps its date. Each moved benefit gets a
    `ReviewExtensionItem` (date before and after) and a history row by the acting user with the
    document as its reason; the extension itself is kept with its history."""
    from bangfu.accounts.permissions import check_perm
    from bangfu.regions.codes import COUNTY, RegionCode

    from .models import ReviewExtension, ReviewExtensionItem
    from .permissions import EXTEND_REVIEWS

    check_perm(acting_user, EXTEND_REVIEWS, _("只有县级民政部门可以延长核查期限"))
    try:
        region = RegionCode.parse(county)
    except (ValueError, TypeError):
        raise BenefitError(_("请选择县（市、区）")) from None
    if region.level != COUNTY:
        raise BenefitError(_("核查期限按县（市、区）延长，请选择县（市、区）"))
    _check_scope(acting_user, region.code)
    document_name, document_number, event = (document_name or "").strip(), (document_number or "").strip(), (event or "").strip()
    if not document_name:
        raise BenefitError(_("请填写延长核查期限所依据的文件名称"))
    if not event:
        raise BenefitError(_("请填写发生的重大突发事件"))
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= REVIEW_EXTENSION_MAX_MONTHS:
        raise BenefitError(_("延长月数须为1至%(max)s个月") % {"max": REVIEW_EXTENSION_MAX_MONTHS})
    if due_to < due_from:
        raise BenefitError(_("应核查日期范围的截止日期不能早于起始日期"))
    if document_date > timezone.localdate():
        raise BenefitError(_("发文日期不能晚于今天"))
    extension = ReviewExtension(region_code=region.code, document_name=document_name[:200], document_number=document_number[:100],
                                document_date=document_date, event=event[:200], months=months, due_from=due_from, due_to=due_to,
                                created_by=acting_user)
    _stamp(extension, acting_user)
    extension.save()
    due = Benefit.objects.within(region).filter(status=c.BenefitStatus.ACTIVE, review_reason="",
                                                next_review_date__gte=due_from, next_review_date__lte=due_to)
    # households first, then benefits: the lock order of every other service
    list(Household.objects.select_for_update().filter(pk__in=due.values("household_id")).order_by("pk").values_list("pk", flat=True))
    reason = (_("重大突发事件延长核查期限：%(document)s") % {"document": f"{document_name} {document_number}".strip()})[:100]
    items = []
    for b in due.select_for_update().order_by("pk"):
        before = b.next_review_date
        b.next_review_date = add_months(before, months)
        _stamp(b, acting_user)
        b._change_reason = reason
        b.save(update_fields=["next_review_date", "updated_at"])
        items.append(ReviewExtensionItem(extension=extension, benefit=b, region_code=b.region_code, due_before=before,
                                         due_after=b.next_review_date))
    ReviewExtensionItem.objects.bulk_create(items, batch_size=1000)
    extension.benefits_extended = len(items)
    extension.save(update_fields=["benefits_extended"])
    return extension


__all__ = ["benefit_stop_on_death", "months_paid_after", "job_offer_record", "work_refusal_run", "own_share_fen", "BenefitError", "benefit_grant", "benefit_change", "benefit_review_record", "one_off_payment_create", "death_review_schedule", "review_interval_months",
           "next_review_date", "GRADUAL_EXIT_MAX_MONTHS", "review_extension_create", "REVIEW_EXTENSION_MAX_MONTHS"]
