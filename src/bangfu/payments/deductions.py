"""Recovery deductions and the receivables' figures (the part of recovery.py the payroll builder and
the bank return call; kept apart so that services.py does not import recovery.py, which uses its
errors). See recovery.py for the rules."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Sum

from bangfu.benefits.choices import OverpaymentState
from bangfu.benefits.models import Overpayment

from . import choices as c
from .models import Payroll, PayrollLine, Receivable, ReceivableEvent, RecoveryDeduction

OPEN_STATES = (c.ReceivableState.OPEN, c.ReceivableState.PARTLY)
AT_BANK = (c.LineStatus.PENDING, c.LineStatus.HELD, c.LineStatus.RELEASED)


def _event(receivable, action, by=None, amount=None, note="") -> None:
    ReceivableEvent.objects.create(receivable=receivable, action=action, by=by, amount_fen=amount, note=(note or "")[:255])


def _pending_deductions(receivable_ids) -> dict[int, int]:
    """Deductions in lines not yet returned by the bank, per receivable: reserved, not recovered."""
    return dict(RecoveryDeduction.objects.filter(receivable_id__in=list(receivable_ids), line__status__in=AT_BANK)
                .values("receivable_id").annotate(t=Sum("amount_fen")).values_list("receivable_id", "t"))


def _refresh(r: Receivable) -> Receivable:
    """Recovered = repayments + deductions in lines the bank paid; the state follows."""
    repaid = r.repayments.aggregate(t=Sum("amount_fen"))["t"] or 0
    deducted = r.deductions.filter(line__status=c.LineStatus.PAID).aggregate(t=Sum("amount_fen"))["t"] or 0
    r.recovered_fen = repaid + deducted
    if r.state != c.ReceivableState.WRITTEN_OFF:
        if r.recovered_fen >= r.amount_fen:
            r.state = c.ReceivableState.RECOVERED
        elif r.recovered_fen > 0:
            r.state = c.ReceivableState.PARTLY
        else:
            r.state = c.ReceivableState.OPEN
    r.save(update_fields=["recovered_fen", "state"])
    if r.overpayment_id:
        state = {c.ReceivableState.RECOVERED: OverpaymentState.RECOVERED,
                 c.ReceivableState.WRITTEN_OFF: OverpaymentState.WAIVED}.get(r.state, OverpaymentState.OPEN)
        Overpayment.objects.filter(pk=r.overpayment_id).exclude(state=state).update(state=state)
    return r


# ----------------------------------------------------------------------------- the payroll builder


def plan_deductions(payroll: Payroll) -> list[tuple[Receivable, PayrollLine, int]]:
    """Deduct, on the payroll's lines just written, for the county's receivables whose deduction is
    decided: set and save `deducted_fen` on those lines and return (receivable, line, fen) for each.
    Locks those receivables (FOR UPDATE, in id order) so that two builds at once plan one after the
    other and the second sees the first's."""
    # the county's receivables with a deduction decided are few: read them all, then only their
    # households' lines (a county's payroll has up to 300,000 lines, written without model objects)
    wanted = Receivable.objects.within(payroll.region_code).filter(state__in=OPEN_STATES).exclude(deduct_mode=c.DeductMode.NONE)
    if not wanted.exists():
        return []
    locked = list(wanted.select_for_update().order_by("id"))
    lines = list(PayrollLine.objects.filter(payroll=payroll, kind__in=c.DEDUCTIBLE_KINDS,
                                            household_id__in={r.household_id for r in locked}))
    households = {x.household_id for x in lines}
    receivables = [r for r in locked if r.household_id in households]
    if not receivables:
        return []
    ids = [r.pk for r in receivables]
    pending = _pending_deductions(ids)
    this_month = dict(RecoveryDeduction.objects.filter(receivable_id__in=ids, month=payroll.month)
                      .exclude(line__status=c.LineStatus.FAILED)
                      .values("receivable_id").annotate(t=Sum("amount_fen")).values_list("receivable_id", "t"))
    by_household: dict[int, list[PayrollLine]] = defaultdict(list)
    for line in lines:
        if line.kind in c.DEDUCTIBLE_KINDS:
            by_household[line.household_id].append(line)
    plan = []
    for r in receivables:
        left = r.outstanding_fen - pending.get(r.pk, 0)
        if r.deduct_mode == c.DeductMode.MONTHLY:
            left = min(left, (r.deduct_monthly_fen or 0) - this_month.get(r.pk, 0))
        for line in sorted(by_household.get(r.household_id, []), key=lambda x: (x.month, x.component)):
            if left <= 0:
                break
            take = min(left, line.amount_fen - line.deducted_fen)
            if take <= 0:
                continue
            line.deducted_fen += take
            left -= take
            plan.append((r, line, take))
    if plan:
        PayrollLine.objects.bulk_update(list({line.pk: line for _r, line, _f in plan}.values()), ["deducted_fen"])
    return plan


def save_deductions(payroll: Payroll, plan, acting_user) -> None:
    """Write the planned deductions after their lines (same transaction: they follow the lines)."""
    if not plan:
        return
    RecoveryDeduction.objects.bulk_create([
        RecoveryDeduction(receivable=r, line_id=line.pk, region_code=line.region_code, month=payroll.month, amount_fen=fen)
        for r, line, fen in plan])
    totals: dict[int, tuple[Receivable, int]] = {}
    for r, _line, fen in plan:
        totals[r.pk] = (r, totals.get(r.pk, (r, 0))[1] + fen)
    for r, fen in totals.values():
        _event(r, ReceivableEvent.Action.DEDUCTED, by=acting_user, amount=fen, note=f"{payroll.month:%Y-%m} #{payroll.pk}")


def settle_fully_deducted(payroll: Payroll) -> int:
    """At locking: a line whose whole amount is deducted sends nothing to the bank; it is settled
    (paid) now, and its deductions count as recovered."""
    ids = list(PayrollLine.objects.filter(payroll=payroll, status__in=c.PAYABLE, deducted_fen__gt=0)
               .filter(deducted_fen=F("amount_fen")).values_list("pk", flat=True))
    if ids:
        PayrollLine.objects.filter(pk__in=ids).update(status=c.LineStatus.PAID)
        after_bank_return(payroll, ids, None)
    return len(ids)


def after_bank_return(payroll: Payroll, line_ids, acting_user) -> None:
    """Lines of `payroll` whose bank outcome is now known: their deductions become recovered (paid)
    or did not happen (failed); the receivables' figures and states follow, each outcome logged.
    (The payroll's deductions are few: read them all and keep those of the lines given.)"""
    changed = set(line_ids)
    touched: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rid, line_id, status, fen in (RecoveryDeduction.objects.filter(line__payroll=payroll)
                                      .values_list("receivable_id", "line_id", "line__status", "amount_fen")):
        if line_id in changed:
            touched[rid][status] += fen
    if not touched:
        return
    for r in Receivable.objects.select_for_update().filter(pk__in=list(touched)).order_by("id"):
        paid, failed = touched[r.pk].get(c.LineStatus.PAID, 0), touched[r.pk].get(c.LineStatus.FAILED, 0)
        if paid:
            _event(r, ReceivableEvent.Action.DEDUCTION_PAID, by=acting_user, amount=paid)
        if failed:
            _event(r, ReceivableEvent.Action.DEDUCTION_FAILED, by=acting_user, amount=failed)
        _refresh(r)


