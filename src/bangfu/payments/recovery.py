"""Recovery (追回) of amounts paid that should not have been (issue 15 "Recovery", issue 14 "Payments
made after a death become an amount to recover").

Where a receivable (应追回款, `Receivable`) comes from:
- a death recorded after months were paid: benefits records an `Overpayment` (the months after the
  month of death that the amount history showed as due); a receiver here turns it into a receivable
  in the same transaction (`receivable_from_overpayment`);
- a decided case that stopped a benefit (a termination, or a review or change decided "stop"),
  e.g. opened from a matching finding (错保) or a report of 冒领: the officer records the months
  wrongly paid, the reason and, if less than everything paid, the amount (`receivable_from_case`).

The amount is what was actually paid, not what was due: for each month, the benefit's lines with
status "paid" (到账, from the bank's return; a supplementary line that re-paid a failed one counts,
the failed one does not). A month the county paid outside Bangfu (no payroll of that month and no
line) counts at the amount the benefit's history showed as due. Lines still at the bank are not
yet paid: after each return file, receivables from deaths are brought up to what the bank paid
(`refresh_after_return`).

How it is recovered:
- **by deduction** (扣减), only once an officer has decided it on the receivable (`deduction_set`:
  every month up to a limit, or all): the payroll builder keeps back part of the household's later
  lines (its recurring benefits: month, back pay, adjustment, gradual exit; never temporary
  assistance nor a resend) up to each line's amount, shown as `PayrollLine.deducted_fen`; the bank
  is sent amount − deduction, never less than 0; what is left stays open for the next month. The
  deduction rows (`RecoveryDeduction`) are written with their lines in the builder's transaction
  (a payroll's lines exist once, so its deductions do too), the receivables locked while planned
  (two builds at once never deduct the same fen twice).
- A deduction counts as recovered only when the bank paid its line. If the line fails at the bank,
  the deduction did not happen: the receivable stays open for that amount, and the supplementary
  batch pays the failed line in full (the next regular payroll deducts again). A line whose whole
  amount is deducted is not sent to the bank: it is settled (paid) when the payroll is locked.
- **by repayment** (退回): date, amount, receipt number.
- **written off** (核销): requested with a reason, approved by another county officer.

Every change is logged (ReceivableEvent and simple-history); reads and writes are scoped to the
user's region and checked against payments.permissions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.access import NotFound, in_scope
from bangfu.accounts.permissions import check_perm
from bangfu.benefits.choices import ChangeKind
from bangfu.benefits.models import BenefitAmount, Overpayment
from bangfu.common.months import month_of

from . import choices as c
from . import permissions as p
from .error_codes import PaymentErrorCode
from .models import Payroll, PayrollLine, Receivable, ReceivableEvent, RecoveryDeduction, Repayment
from .services import PaymentError

from .deductions import (  # noqa: F401  (the builder's side, re-exported for the pages and tests)
    AT_BANK, OPEN_STATES, _event, _pending_deductions, _refresh, after_bank_return, plan_deductions, save_deductions,
    settle_fully_deducted)
SENT_STATES = (c.PayrollState.APPROVED, c.PayrollState.LOCKED)


def _month_text(m: dt.date) -> str:
    return f"{m:%Y-%m}"


def _parse_months(months) -> list[dt.date]:
    out = set()
    for m in months:
        if isinstance(m, str):
            year, mon = m.split("-")[:2]
            m = dt.date(int(year), int(mon), 1)
        out.add(month_of(m))
    return sorted(out)


# ----------------------------------------------------------------------------- what was paid


@dataclass
class MonthPaid:
    month: dt.date
    paid_fen: int  # lines the bank paid
    at_bank_fen: int  # lines sent or to be sent, no return yet
    outside: bool  # no payroll and no line for the month: paid outside Bangfu, counted as due
    due_fen: int  # what the amount history showed as due


def _due_by_month(benefit_id: int, months: list[dt.date]) -> dict[dt.date, int]:
    """The amount the benefit's history showed as due in each month before the stop: the latest
    decision other than the stop that starts on or before the month (the stop closes the row in
    force at the last month paid, so its end is not read)."""
    rows = list(BenefitAmount.objects.filter(benefit_id=benefit_id).exclude(kind=ChangeKind.STOP).order_by("id"))
    out = {}
    for m in months:
        covering = [r for r in rows if r.from_month <= m]
        out[m] = covering[-1].amount_fen if covering else 0
    return out


def paid_by_month(benefit, months: list[dt.date]) -> list[MonthPaid]:
    """What the benefit was actually paid for each month (see the module's note)."""
    months = _parse_months(months)
    paid: dict[dt.date, int] = defaultdict(int)
    at_bank: dict[dt.date, int] = defaultdict(int)
    seen: set[dt.date] = set()
    for m, status, amount in (PayrollLine.objects.filter(benefit_id=benefit.pk, month__in=months)
                              .values_list("month", "status", "amount_fen")):
        seen.add(m)
        if status == c.LineStatus.PAID:
            paid[m] += amount
        elif status in AT_BANK:
            at_bank[m] += amount
    county = _county_code(benefit.region_code)
    with_payroll = set(Payroll.objects.filter(region_code=county, kind=c.PayrollKind.REGULAR, month__in=months)
                       .filter(Q(programme="") | Q(programme=benefit.programme)).values_list("month", flat=True))
    due = _due_by_month(benefit.pk, months)
    return [MonthPaid(m, paid[m], at_bank[m], m not in seen and m not in with_payroll, due[m]) for m in months]


def _county_code(region_code: str) -> str:
    from bangfu.regions.codes import RegionCode

    return RegionCode.parse(region_code).county.code


def amount_paid(rows: list[MonthPaid]) -> int:
    return sum(r.due_fen if r.outside else r.paid_fen for r in rows)


# ----------------------------------------------------------------------------- recording


def receivable_from_overpayment(overpayment: Overpayment) -> Receivable | None:
    """The receivable of a death overpayment, made once (the one-to-one link); None while nothing
    the overpayment names has reached the bank's "paid" yet (refresh_after_return makes it then)."""
    existing = Receivable.objects.filter(overpayment=overpayment).first()
    if existing is not None:
        return existing
    benefit = overpayment.benefit
    rows = paid_by_month(benefit, overpayment.months)
    # none of the months in a payroll of Bangfu: paid outside it, as the overpayment says was due
    amount = overpayment.amount_fen if all(r.outside for r in rows) else amount_paid(rows)
    if amount <= 0:
        return None
    try:
        with transaction.atomic():
            r = Receivable.objects.create(
                region_code=overpayment.region_code, household_id=overpayment.household_id, person_id=overpayment.person_id,
                benefit=benefit, programme=benefit.programme, overpayment=overpayment, reason=c.ReceivableReason.DEATH,
                reason_note=(_("享受人员于%(date)s死亡") % {"date": f"{overpayment.event_date:%Y-%m-%d}"})[:255],
                months=[_month_text(x.month) for x in rows], amount_fen=amount, due_fen=overpayment.amount_fen,
                recorded_by_id=overpayment.recorded_by_id)
    except IntegrityError:
        return Receivable.objects.filter(overpayment=overpayment).first()
    _event(r, ReceivableEvent.Action.RECORDED, by=overpayment.recorded_by, amount=amount, note=_months_note(rows))
    return r


def _months_note(rows: list[MonthPaid]) -> str:
    parts = []
    for r in rows:
        fen = r.due_fen if r.outside else r.paid_fen
        parts.append(f"{r.month:%Y-%m}:{fen / 100:.2f}")
    return " ".join(parts)


STOP_PROPOSALS = ("stop",)


def receivable_from_case(*, acting_user, case, reason: str, months, amount_fen: int | None = None, note: str = "") -> Receivable:
    """Record what a benefit stopped by a decided case (termination, or a review or change decided
    "stop") paid wrongly: the months, the reason (冒领、错保 …) and the amount — by default all the
    bank paid for those months; never more."""
    from bangfu.cases.choices import CaseType, FINAL_STATES

    check_perm(acting_user, p.MANAGE_RECOVERY)
    if case is None or not in_scope(acting_user, case.region_code):
        raise NotFound()
    errors: dict[str, list] = {}
    if case.benefit_id is None or case.state not in FINAL_STATES or not (
            case.case_type == CaseType.TERMINATION or case.proposal in STOP_PROPOSALS):
        raise PaymentError(_("只有已决定停发待遇的案件才能登记多发款项"), code=PaymentErrorCode.WRONG_STATE)
    if reason not in c.ReceivableReason.values or reason == c.ReceivableReason.DEATH:
        errors["reason"] = [_("请选择原因")]
    try:
        months = _parse_months(months or [])
    except (ValueError, TypeError, IndexError):
        months = []
    if not months:
        errors["months"] = [_("请填写多发的月份")]
    if errors:
        raise PaymentError(errors)
    benefit = case.benefit
    rows = paid_by_month(benefit, months)
    paid = amount_paid(rows)
    if amount_fen is None:
        amount_fen = paid
    if paid <= 0:
        raise PaymentError({"months": [_("这些月份没有到账的发放，无需追回")]})
    if not isinstance(amount_fen, int) or amount_fen <= 0 or amount_fen > paid:
        raise PaymentError({"amount": [_("追回金额须大于0，且不超过这些月份实际到账的%(yuan).2f元") % {"yuan": paid / 100}]})
    with transaction.atomic():
        r = Receivable.objects.create(
            region_code=benefit.region_code, household_id=benefit.household_id, person_id=benefit.person_id or case.person_id,
            benefit=benefit, programme=benefit.programme, case=case, reason=reason, reason_note=(note or "").strip()[:255],
            months=[_month_text(m) for m in months], amount_fen=amount_fen, due_fen=sum(x.due_fen for x in rows),
            recorded_by=acting_user)
        _event(r, ReceivableEvent.Action.RECORDED, by=acting_user, amount=amount_fen, note=_months_note(rows))
    return r


# ----------------------------------------------------------------------------- state


def _lock(acting_user, receivable) -> Receivable:
    pk = receivable.pk if isinstance(receivable, Receivable) else receivable
    r = Receivable.objects.select_for_update().filter(pk=pk).first()
    if r is None or not in_scope(acting_user, r.region_code):
        raise NotFound()
    return r


# ----------------------------------------------------------------------------- officer's actions


@transaction.atomic
def deduction_set(*, acting_user, receivable, mode: str, monthly_fen: int | None = None, document: str = "") -> Receivable:
    """Decide how the receivable is deducted from the household's later payments: not at all, every
    month up to `monthly_fen`, or all of it; with the decision's document."""
    check_perm(acting_user, p.MANAGE_RECOVERY)
    r = _lock(acting_user, receivable)
    if r.state not in OPEN_STATES:
        raise PaymentError(_("该款项已追回或已核销"), code=PaymentErrorCode.WRONG_STATE)
    errors: dict[str, list] = {}
    if mode not in c.DeductMode.values:
        errors["mode"] = [_("请选择扣减方式")]
    if mode == c.DeductMode.MONTHLY and (not isinstance(monthly_fen, int) or monthly_fen <= 0):
        errors["monthly"] = [_("按月扣减须填写每月扣减上限")]
    document = (document or "").strip()
    if mode != c.DeductMode.NONE and not document:
        errors["document"] = [_("请填写扣减决定的文书或依据")]
    if errors:
        raise PaymentError(errors)
    r.deduct_mode = mode
    r.deduct_monthly_fen = monthly_fen if mode == c.DeductMode.MONTHLY else None
    r.deduct_decided_by = acting_user if mode != c.DeductMode.NONE else None
    r.deduct_document = document[:128]
    r._history_user = acting_user
    r.save(update_fields=["deduct_mode", "deduct_monthly_fen", "deduct_decided_by", "deduct_document"])
    note = str(c.DeductMode(mode).label)
    if mode == c.DeductMode.MONTHLY:
        note += f" {monthly_fen / 100:.2f}"
    _event(r, ReceivableEvent.Action.DEDUCT_SET, by=acting_user, amount=r.deduct_monthly_fen, note=f"{note} {document}")
    return r


@transaction.atomic
def repayment_record(*, acting_user, receivable, date: dt.date, amount_fen: int, receipt_number: str) -> Repayment:
    """Money paid back: at most what is still open (deductions already at the bank reserved)."""
    from bangfu.common.money import too_large

    check_perm(acting_user, p.MANAGE_RECOVERY)
    r = _lock(acting_user, receivable)
    if r.state not in OPEN_STATES:
        raise PaymentError(_("该款项已追回或已核销"), code=PaymentErrorCode.WRONG_STATE)
    receipt_number = (receipt_number or "").strip()
    errors: dict[str, list] = {}
    open_fen = r.outstanding_fen - _pending_deductions([r.pk]).get(r.pk, 0)
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0 or too_large(amount_fen):
        errors["amount"] = [_("金额须大于0")]
    elif amount_fen > open_fen:
        errors["amount"] = [_("退回金额超过尚未追回的%(yuan).2f元") % {"yuan": open_fen / 100}]
    if not receipt_number:
        errors["receipt_number"] = [_("请填写收据号")]
    if not isinstance(date, dt.date):
        errors["date"] = [_("请填写日期")]
    elif date > timezone.localdate():
        errors["date"] = [_("日期不能晚于今天")]
    if errors:
        raise PaymentError(errors)
    try:
        with transaction.atomic():
            rep = Repayment.objects.create(receivable=r, region_code=r.region_code, date=date, amount_fen=amount_fen,
                                           receipt_number=receipt_number[:64], recorded_by=acting_user)
    except IntegrityError:
        raise PaymentError({"receipt_number": [_("这张收据已经登记过")]}, code=PaymentErrorCode.CONFLICT) from None
    _event(r, ReceivableEvent.Action.REPAID, by=acting_user, amount=amount_fen, note=f"{date:%Y-%m-%d} {receipt_number}")
    r._history_user = acting_user
    _refresh(r)
    return rep


@transaction.atomic
def write_off_request(*, acting_user, receivable, reason: str) -> Receivable:
    """Ask for the rest to be written off (e.g. nobody left to recover from), with the reason."""
    check_perm(acting_user, p.MANAGE_RECOVERY)
    r = _lock(acting_user, receivable)
    if r.state not in OPEN_STATES:
        raise PaymentError(_("该款项已追回或已核销"), code=PaymentErrorCode.WRONG_STATE)
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError({"reason": [_("请填写核销理由")]})
    r.write_off_reason = reason[:255]
    r.write_off_requested_by = acting_user
    r._history_user = acting_user
    r.save(update_fields=["write_off_reason", "write_off_requested_by"])
    _event(r, ReceivableEvent.Action.WRITE_OFF_REQUESTED, by=acting_user, amount=r.outstanding_fen, note=reason)
    return r


@transaction.atomic
def write_off_approve(*, acting_user, receivable) -> Receivable:
    """A county officer other than the one who asked approves the write-off of what is still open.
    Not while a deduction is at the bank (its outcome is not known yet)."""
    check_perm(acting_user, p.APPROVE_WRITE_OFF)
    r = _lock(acting_user, receivable)
    if r.state not in OPEN_STATES or r.write_off_requested_by_id is None:
        raise PaymentError(_("没有待审批的核销申请"), code=PaymentErrorCode.WRONG_STATE)
    if r.write_off_requested_by_id == acting_user.pk:
        raise PaymentError(_("核销须由申请人以外的县级工作人员审批"), code=PaymentErrorCode.SAME_PERSON)
    if _pending_deductions([r.pk]).get(r.pk, 0):
        raise PaymentError(_("还有扣减在银行处理中，待回盘后再核销"), code=PaymentErrorCode.WRONG_STATE)
    r = _refresh(r)
    r.written_off_fen = r.amount_fen - r.recovered_fen
    r.state = c.ReceivableState.WRITTEN_OFF
    r.written_off_by = acting_user
    r.written_off_at = timezone.now()
    r.deduct_mode = c.DeductMode.NONE
    r._history_user = acting_user
    r.save(update_fields=["written_off_fen", "state", "written_off_by", "written_off_at", "deduct_mode"])
    _refresh(r)
    _event(r, ReceivableEvent.Action.WRITTEN_OFF, by=acting_user, amount=r.written_off_fen, note=r.write_off_reason)
    return r


def refresh_after_return(payroll: Payroll, line_ids, acting_user) -> None:
    """After a bank return: deductions settle (after_bank_return), and receivables from deaths are
    brought up to what the bank has now paid for their months (made if there was none yet)."""
    after_bank_return(payroll, line_ids, acting_user)
    paid_here = PayrollLine.objects.filter(payroll=payroll, benefit__isnull=False, status=c.LineStatus.PAID).values("benefit_id")
    for op in (Overpayment.objects.within(payroll.region_code).filter(benefit_id__in=paid_here)
               .select_related("benefit").order_by("id")):
        r = Receivable.objects.select_for_update().filter(overpayment=op).first()
        if r is None:
            receivable_from_overpayment(op)
            continue
        if r.state == c.ReceivableState.WRITTEN_OFF:
            continue
        amount = amount_paid(paid_by_month(op.benefit, op.months))
        if amount > r.amount_fen:
            _event(r, ReceivableEvent.Action.AMOUNT, by=acting_user, amount=amount, note=f"{r.amount_fen / 100:.2f}→{amount / 100:.2f}")
            r.amount_fen = amount
            r.save(update_fields=["amount_fen"])
            _refresh(r)


# ----------------------------------------------------------------------------- reads


def receivables_for(viewer, county_code: str, *, state: str = "", reason: str = ""):
    """The county's receivables the viewer may read, newest first (filters by state and reason)."""
    from bangfu.regions.codes import COUNTY, RegionCode

    check_perm(viewer, p.VIEW_RECOVERY)
    try:
        county = RegionCode.parse(county_code)
    except (ValueError, TypeError):
        raise NotFound() from None
    if county.level != COUNTY or not in_scope(viewer, county.code):
        raise NotFound()
    qs = Receivable.objects.visible_to(viewer).within(county.code).select_related("household", "person", "household__head")
    if state in c.ReceivableState.values:
        qs = qs.filter(state=state)
    if reason in c.ReceivableReason.values:
        qs = qs.filter(reason=reason)
    return qs.order_by("-recorded_at", "-id")


def receivable_for(viewer, pk) -> Receivable:
    check_perm(viewer, p.VIEW_RECOVERY)
    from bangfu.accounts.access import access_by_id

    return access_by_id(viewer, Receivable.objects.select_related("household", "person", "benefit", "case"), pk)


def pending_fen(receivable: Receivable) -> int:
    return _pending_deductions([receivable.pk]).get(receivable.pk, 0)


def recovered_between(county_code: str, programmes: list[str], start: dt.date, end: dt.date) -> int:
    """Money recovered for the county's programmes between two dates (inclusive): repayments by
    their date, deductions in lines the bank paid by their payroll's month (as funds counts paid),
    credited to the programme that overpaid (the receivable's)."""
    repaid_fen = (Repayment.objects.within(county_code).filter(receivable__programme__in=programmes, date__gte=start, date__lte=end)
                  .aggregate(t=Sum("amount_fen"))["t"] or 0)
    deducted = (RecoveryDeduction.objects.filter(line__payroll__region_code=county_code, line__status=c.LineStatus.PAID,
                                                 receivable__programme__in=programmes,
                                                 line__payroll__month__gte=month_of(start), line__payroll__month__lte=end)
                .aggregate(t=Sum("amount_fen"))["t"] or 0)
    return repaid_fen + deducted
