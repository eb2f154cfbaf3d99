"""Recovery (追回) of amounts paid that should not have been (issue 15 "Recovery"; issue 14 "Payments
made after a death become an amount to recover").

Rules, as docs/payments.md "追回多发资金" states them for county finance staff:
- what is to be recovered is what the bank actually paid for the months (lines with status paid),
  not what the amount history showed as due (a failed line reached nobody);
- a benefit is paid through the month of death and nothing after (办法 §21: a change takes effect
  from the next month; benefits.services.benefit_stop_on_death);
- a deduction is kept back from the household's later lines up to each line's amount, once decided;
  the bank is sent the rest, never a negative amount; it counts as recovered only when the bank
  paid the line;
- a write-off needs a reason and a second county officer.
Every expected figure below is worked out by hand in the test's docstring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from bangfu.payments import bank, funds, recovery, services
from bangfu.payments.choices import LineStatus, ReceivableState
from bangfu.payments.models import PayrollLine, Receivable, ReceivableEvent, RecoveryDeduction

from .conftest import approve, give_account
from .test_bank import _return_file

pytestmark = pytest.mark.django_db
D = dt.date
RCB = "rcb_gbk_pipe"
COUNTY = "340102"


def run_month(month, *, county, county2, checkers, failed=()):
    """Build the month, have it checked and approved, send it to the bank and read the return:
    every line paid except the lines of `failed` (benefit ids), which fail with E01."""
    payroll, _built = services.payroll_build(acting_user=county, county_code=COUNTY, month=month)
    payroll = approve(payroll, checkers=checkers, approver=county2)
    data, _n, _total = bank.payroll_bank_file(acting_user=county2, payroll=payroll, bank_code=RCB)
    refs = {str(x.pk): "1|E01|" for x in payroll.lines.all() if x.benefit_id in failed}
    if data.decode("gbk").count("\r\n") > 1:
        bank.payroll_return_import(acting_user=county2, payroll=payroll, data=_return_file(data, refs, default="0||"),
                                   filename=f"{month:%Y%m}.txt", bank_code=RCB)
    return payroll, data.decode("gbk")


def _receivable(user, household, amount_fen, **extra) -> Receivable:
    """A receivable as receivable_from_case leaves it (the case path has its own test)."""
    return Receivable.objects.create(region_code=household.region_code, household=household, person=household.head,
                                     programme="dibao", reason="fraud", months=["2025-10", "2025-11"], amount_fen=amount_fen,
                                     recorded_by=user, **extra)


def _line(benefit, month):
    return PayrollLine.objects.get(benefit=benefit, month=month, kind__in=["regular", "gradual_exit"])


# ----------------------------------------------------------------------------- death


def test_death_three_months_after_payments_receivable_is_what_the_bank_paid(county, county2, users, township_b, household_b):
    """王芳 (household B) on tekun 1,144.00 a month, approved 2026-01-20 → paid from February.
    February to May are paid through Bangfu; April's line fails at the bank (account closed) and is
    never paid again. She died on 2026-02-10; the death is recorded on 2026-05-20.
    Due after the month of death: March, April, May = 3 × 1,144.00 = 3,432.00 (the Overpayment).
    Paid by the bank: March 1,144.00 + May 1,144.00 = 2,288.00 → the receivable is 2,288.00."""
    from bangfu.benefits import services as benefits
    from bangfu.benefits.models import Overpayment

    person = household_b.head
    tekun = benefits.benefit_grant(acting_user=county, household=household_b, programme="tekun", monthly_amount_fen=114400,
                                   approved_on=D(2026, 1, 20), case_id=None, person=person)
    give_account(county, tekun)
    for m in (2, 3, 4, 5):
        run_month(D(2026, m, 1), county=county, county2=county2, checkers=[township_b], failed={tekun.pk} if m == 4 else ())
    assert _line(tekun, D(2026, 4, 1)).status == LineStatus.FAILED

    benefits.benefit_stop_on_death(person=person, died_on=D(2026, 2, 10), acting_user=county, today=D(2026, 5, 20))
    owed = Overpayment.objects.get()
    assert owed.months == ["2026-03", "2026-04", "2026-05"] and owed.amount_fen == 343200
    r = Receivable.objects.get()
    assert r.overpayment == owed and r.reason == "death" and r.benefit == tekun and r.programme == "tekun"
    assert r.months == ["2026-03", "2026-04", "2026-05"]
    assert (r.amount_fen, r.due_fen, r.recovered_fen, r.state) == (228800, 343200, 0, ReceivableState.OPEN)
    assert r.household_id == household_b.pk and r.person == person and r.region_code == household_b.region_code
    assert list(r.events.values_list("action", "amount_fen")) == [("recorded", 228800)]
    # recorded again (another death record for the same overpayment) makes nothing new
    assert recovery.receivable_from_overpayment(owed) == r and Receivable.objects.count() == 1


def test_death_before_any_payroll_counts_what_was_due(county, household_b):
    """Months the county paid outside Bangfu (no payroll of theirs, no line) count at the amount
    due: tekun 1,144.00 from 2025-02, died 2025-04-03, recorded 2025-06-12 → May and June,
    2 × 1,144.00 = 2,288.00 (the same figure as benefits' test of the death rule)."""
    from bangfu.benefits import services as benefits

    person = household_b.head
    benefits.benefit_grant(acting_user=county, household=household_b, programme="tekun", monthly_amount_fen=114400,
                           approved_on=D(2025, 1, 15), case_id=None, person=person)
    benefits.benefit_stop_on_death(person=person, died_on=D(2025, 4, 3), acting_user=county, today=D(2025, 6, 12))
    assert Receivable.objects.get().amount_fen == 228800


# ----------------------------------------------------------------------------- deduction


@pytest.fixture
def paying(county, users, dibao_a, dibao_b, township_b):
    """Household A: dibao 600.00 a month from February 2026; household B: 450.00 from February."""
    give_account(county, dibao_a)
    give_account(county, dibao_b, number="6222020200099998888")
    return [users["township_a"], township_b]


def test_monthly_deduction_across_two_months_with_a_remainder(county, county2, paying, dibao_a, household_a):
    """Household A owes 1,200.00; deduction decided at most 500.00 a month.
    February: line 600.00, 500.00 deducted, the bank is sent 100.00 → recovered 500.00 (partly).
    March: 500.00 deducted, 100.00 sent → recovered 1,000.00, 200.00 still open (partly).
    April: 200.00 deducted (the rest), 400.00 sent → recovered 1,200.00 (recovered).
    May: nothing deducted, 600.00 sent."""
    r = _receivable(county, household_a, 120000)
    with pytest.raises(services.PaymentError):  # a monthly deduction needs its limit and the decision's document
        recovery.deduction_set(acting_user=county, receivable=r, mode="monthly", monthly_fen=None, document="")
    recovery.deduction_set(acting_user=county, receivable=r, mode="monthly", monthly_fen=50000, document="追回决定书〔2026〕3号")

    feb, text = run_month(D(2026, 2, 1), county=county, county2=county2, checkers=paying)
    line = _line(dibao_a, D(2026, 2, 1))
    assert (line.amount_fen, line.deducted_fen, line.bank_fen, line.status) == (60000, 50000, 10000, LineStatus.PAID)
    assert text.split("\r\n")[0] == "2|550.00|"  # A 100.00 + B 450.00: the bank file carries what is sent
    # the payroll's Excel sheet shows the amount due, the deduction and what the bank is sent
    import io

    from openpyxl import load_workbook

    from bangfu.payments import selectors
    from bangfu.payments.exports import write_lines

    target = io.BytesIO()
    write_lines(target, selectors.lines(county, feb).order_by("id"), names={})
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][8:11] == ("金额（元）", "扣减追回（元）", "实发（元）")
    assert [r[8:11] for r in rows[1:]] == [(600, 500, 100), (450, 0, 450)]
    assert "|张伟|100.00|" in text
    r.refresh_from_db()
    assert (r.recovered_fen, r.outstanding_fen, r.state) == (50000, 70000, ReceivableState.PARTLY)

    # building February again changes nothing: the same lines, the same deduction
    again, built = services.payroll_build(acting_user=county, county_code=COUNTY, month=D(2026, 2, 1))
    assert (again.pk, built) == (feb.pk, False)
    assert list(RecoveryDeduction.objects.values_list("amount_fen", flat=True)) == [50000]

    run_month(D(2026, 3, 1), county=county, county2=county2, checkers=paying)
    r.refresh_from_db()
    assert _line(dibao_a, D(2026, 3, 1)).deducted_fen == 50000
    assert (r.recovered_fen, r.outstanding_fen, r.state) == (100000, 20000, ReceivableState.PARTLY)

    run_month(D(2026, 4, 1), county=county, county2=county2, checkers=paying)
    r.refresh_from_db()
    assert (_line(dibao_a, D(2026, 4, 1)).deducted_fen, _line(dibao_a, D(2026, 4, 1)).bank_fen) == (20000, 40000)
    assert (r.recovered_fen, r.outstanding_fen, r.state) == (120000, 0, ReceivableState.RECOVERED)

    run_month(D(2026, 5, 1), county=county, county2=county2, checkers=paying)
    assert _line(dibao_a, D(2026, 5, 1)).deducted_fen == 0
    assert sorted(RecoveryDeduction.objects.values_list("month", "amount_fen")) == [
        (D(2026, 2, 1), 50000), (D(2026, 3, 1), 50000), (D(2026, 4, 1), 20000)]
    assert [a for a in r.events.values_list("action", flat=True) if a.startswith("deduct")] == [
        "deduct_set", "deducted", "deduction_paid", "deducted", "deduction_paid", "deducted", "deduction_paid"]


def test_deduct_all_never_goes_below_zero(county, county2, paying, dibao_a, household_a):
    """Household A owes 700.00, deduct all. February: the whole 600.00 line is deducted; the bank
    is sent nothing for it (the file holds B's 450.00 only) and the line is settled at locking.
    March: the remaining 100.00; 500.00 sent. A line can never be deducted beyond its amount."""
    r = _receivable(county, household_a, 70000)
    recovery.deduction_set(acting_user=county, receivable=r, mode="all", document="追回决定书〔2026〕4号")
    _feb, text = run_month(D(2026, 2, 1), county=county, county2=county2, checkers=paying)
    line = _line(dibao_a, D(2026, 2, 1))
    assert (line.deducted_fen, line.bank_fen, line.status) == (60000, 0, LineStatus.PAID)
    assert text.split("\r\n")[0] == "1|450.00|" and "张伟" not in text
    run_month(D(2026, 3, 1), county=county, county2=county2, checkers=paying)
    march = _line(dibao_a, D(2026, 3, 1))
    assert (march.deducted_fen, march.bank_fen) == (10000, 50000)
    r.refresh_from_db()
    assert (r.recovered_fen, r.state) == (70000, ReceivableState.RECOVERED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollLine.objects.filter(pk=march.pk).update(deducted_fen=60001)


def test_a_deduction_whose_line_fails_at_the_bank_did_not_happen(county, county2, paying, dibao_a, household_a):
    """Household A owes 300.00, deduct all. February's line (600.00, 300.00 deducted, 300.00 sent)
    fails at the bank: nothing reached the household and nothing was recovered — recovered 0.00,
    the receivable stays open. The supplementary batch pays the failed line in full (600.00, no
    deduction). March deducts the 300.00 again, paid → recovered."""
    from bangfu.payments import supplementary

    r = _receivable(county, household_a, 30000)
    recovery.deduction_set(acting_user=county, receivable=r, mode="all", document="追回决定书〔2026〕5号")
    run_month(D(2026, 2, 1), county=county, county2=county2, checkers=paying, failed={dibao_a.pk})
    failed = _line(dibao_a, D(2026, 2, 1))
    assert (failed.status, failed.deducted_fen) == (LineStatus.FAILED, 30000)
    r.refresh_from_db()
    assert (r.recovered_fen, r.state) == (0, ReceivableState.OPEN)
    assert r.events.filter(action="deduction_failed", amount_fen=30000).exists()
    assert funds.ledger(county, COUNTY, 2026, "dibao").recovered == 0

    give_account(county, dibao_a, number="6222020200055554444")  # the account corrected
    batch, n = supplementary.supplementary_build(acting_user=county, county_code=COUNTY, month=D(2026, 2, 1))
    resend = batch.lines.get()
    assert (n, resend.amount_fen, resend.deducted_fen, resend.bank_fen) == (1, 60000, 0, 60000)

    run_month(D(2026, 3, 1), county=county, county2=county2, checkers=paying)
    assert _line(dibao_a, D(2026, 3, 1)).deducted_fen == 30000
    r.refresh_from_db()
    assert (r.recovered_fen, r.state) == (30000, ReceivableState.RECOVERED)


def test_no_deduction_without_a_decision(county, county2, paying, dibao_a, household_a):
    """A receivable whose deduction is not decided (the default) takes nothing from the lines."""
    _receivable(county, household_a, 30000)
    run_month(D(2026, 2, 1), county=county, county2=county2, checkers=paying)
    assert _line(dibao_a, D(2026, 2, 1)).deducted_fen == 0 and not RecoveryDeduction.objects.exists()


# ----------------------------------------------------------------------------- repayment, write-off


def test_repayment(county, users, household_a):
    """Owes 1,000.00. Repays 400.00 (receipt 0001) → partly, 600.00 open. The same receipt again
    is refused; 700.00 is more than is open, refused; 600.00 (receipt 0002) → recovered; nothing
    more can be repaid. The auditor reads but records nothing."""
    r = _receivable(county, household_a, 100000)
    recovery.repayment_record(acting_user=county, receivable=r, date=D(2026, 3, 2), amount_fen=40000, receipt_number="0001")
    r.refresh_from_db()
    assert (r.recovered_fen, r.outstanding_fen, r.state) == (40000, 60000, ReceivableState.PARTLY)
    with pytest.raises(services.PaymentError):
        recovery.repayment_record(acting_user=county, receivable=r, date=D(2026, 3, 2), amount_fen=100, receipt_number="0001")
    with pytest.raises(services.PaymentError):
        recovery.repayment_record(acting_user=county, receivable=r, date=D(2026, 3, 3), amount_fen=70000, receipt_number="0002")
    with pytest.raises(PermissionDenied):
        recovery.repayment_record(acting_user=users["auditor"], receivable=r, date=D(2026, 3, 3), amount_fen=100,
                                  receipt_number="0003")
    assert recovery.receivable_for(users["auditor"], r.pk) == r
    recovery.repayment_record(acting_user=county, receivable=r, date=D(2026, 3, 3), amount_fen=60000, receipt_number="0002")
    r.refresh_from_db()
    assert (r.recovered_fen, r.outstanding_fen, r.state) == (100000, 0, ReceivableState.RECOVERED)
    with pytest.raises(services.PaymentError):
        recovery.repayment_record(acting_user=county, receivable=r, date=D(2026, 3, 4), amount_fen=1, receipt_number="0004")
    assert list(r.events.values_list("action", "amount_fen")) == [("repaid", 40000), ("repaid", 60000)]


def test_write_off_needs_a_reason_and_a_second_county_officer(county, county2, users, household_a):
    """Owes 500.00, 120.00 repaid. A write-off asked by `county` with its reason cannot be approved
    by `county` (four eyes) nor by the auditor; `county2` approves: 380.00 written off, state
    written off, logged; nothing more is deducted or repaid."""
    r = _receivable(county, household_a, 50000)
    recovery.repayment_record(acting_user=county, receivable=r, date=D(2026, 3, 2), amount_fen=12000, receipt_number="A1")
    with pytest.raises(services.PaymentError):
        recovery.write_off_request(acting_user=county, receivable=r, reason="  ")
    with pytest.raises(services.PaymentError):  # nothing asked yet
        recovery.write_off_approve(acting_user=county2, receivable=r)
    recovery.write_off_request(acting_user=county, receivable=r, reason="户内无人，无可追回财产")
    with pytest.raises(services.PaymentError) as same:
        recovery.write_off_approve(acting_user=county, receivable=r)
    assert same.value.code == "same_person"
    with pytest.raises(PermissionDenied):
        recovery.write_off_approve(acting_user=users["auditor"], receivable=r)
    recovery.write_off_approve(acting_user=county2, receivable=r)
    r.refresh_from_db()
    assert (r.state, r.recovered_fen, r.written_off_fen, r.outstanding_fen) == (ReceivableState.WRITTEN_OFF, 12000, 38000, 0)
    assert r.written_off_by == county2 and r.write_off_requested_by == county
    assert r.events.filter(action=ReceivableEvent.Action.WRITTEN_OFF, by=county2, amount_fen=38000).exists()
    with pytest.raises(services.PaymentError):
        recovery.repayment_record(acting_user=county, receivable=r, date=D(2026, 3, 4), amount_fen=1, receipt_number="A2")
    with pytest.raises(services.PaymentError):
        recovery.deduction_set(acting_user=county, receivable=r, mode="all", document="x")


# ----------------------------------------------------------------------------- a decided case (冒领、错保)


def test_fraud_recorded_from_a_decided_stop(county, county2, paying, dibao_a, household_a):
    """Household A's dibao (600.00) is stopped by a termination decided after a finding (冒领). The
    officer records February and March as wrongly paid: paid by the bank 2 × 600.00 = 1,200.00
    (the default); 1,300.00 is refused (more than was paid); 800.00 is accepted as typed. A case
    still open is refused."""
    from bangfu.cases.models import Case

    run_month(D(2026, 2, 1), county=county, county2=county2, checkers=paying)
    run_month(D(2026, 3, 1), county=county, county2=county2, checkers=paying)
    case = Case.objects.create(case_type="termination", state="review_open", region_code=household_a.region_code,
                               household=household_a, benefit=dibao_a, entered_by=county, applied_on=D(2026, 4, 1))
    months = [D(2026, 2, 1), D(2026, 3, 1)]
    with pytest.raises(services.PaymentError):
        recovery.receivable_from_case(acting_user=county, case=case, reason="fraud", months=months)
    Case.objects.filter(pk=case.pk).update(state="decided")
    case.refresh_from_db()
    r = recovery.receivable_from_case(acting_user=county, case=case, reason="fraud", months=months, note="查实冒领")
    assert (r.amount_fen, r.due_fen, r.case, r.reason, r.months) == (120000, 120000, case, "fraud", ["2026-02", "2026-03"])
    with pytest.raises(services.PaymentError):
        recovery.receivable_from_case(acting_user=county, case=case, reason="fraud", months=months, amount_fen=130000)
    r2 = recovery.receivable_from_case(acting_user=county, case=case, reason="wrong_coverage", months=months, amount_fen=80000)
    assert r2.amount_fen == 80000


# ----------------------------------------------------------------------------- the ledger


def test_ledger_recovered_figure(county, county2, paying, dibao_a, household_a):
    """Household A owes 900.00 (dibao), deduct all; 100.00 repaid on 2026-03-10 first (receipt R1).
    February: 600.00 deducted, paid. March: the remaining 200.00 deducted, but the line fails at the
    bank → not recovered. Ledger 2026 dibao: paid = A Feb 600.00 + B Feb 450.00 + B Mar 450.00 =
    1,500.00 (A's March failed); recovered = 100.00 + 600.00 = 700.00; with 5,000.00 received the
    balance is 5,000.00 − 1,500.00 + 700.00 = 4,200.00 = received − what the bank actually sent
    (1,500.00 − 600.00 = 900.00) + the repayment (100.00)."""
    r = _receivable(county, household_a, 90000)
    recovery.repayment_record(acting_user=county, receivable=r, date=D(2026, 3, 10), amount_fen=10000, receipt_number="R1")
    recovery.deduction_set(acting_user=county, receivable=r, mode="all", document="追回决定书〔2026〕6号")
    run_month(D(2026, 2, 1), county=county, county2=county2, checkers=paying)
    run_month(D(2026, 3, 1), county=county, county2=county2, checkers=paying, failed={dibao_a.pk})
    assert _line(dibao_a, D(2026, 3, 1)).deducted_fen == 20000
    funds.entry_add(acting_user=county, county_code=COUNTY, programme="dibao", year=2026, date=D(2026, 1, 5), kind="received",
                    amount_fen=500000, document="拨款", source="central")
    led = funds.ledger(county, COUNTY, 2026, "dibao")
    assert (led.paid, led.recovered, led.balance) == (150000, 70000, 420000)
    assert led.balance == 500000 - (150000 - 60000) + 10000
    assert funds.ledger(county, COUNTY, 2026, "tekun").recovered == 0
    assert funds.ledger(county, COUNTY, 2025, "dibao").recovered == 0
    r.refresh_from_db()
    assert (r.recovered_fen, r.state) == (70000, ReceivableState.PARTLY)


# ----------------------------------------------------------------------------- two builds at once (PostgreSQL)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "postgresql",
                    reason="row locks need PostgreSQL (SQLite serialises writers)")
def test_two_builds_at_once_never_deduct_the_same_fen_twice(county, dibao_a, household_a):
    """Household A: dibao 600.00 (household) and 李娜's tekun 1,144.00, both from February 2026;
    it owes 700.00, deduct all. February's dibao and tekun payrolls are built at the same moment:
    together they deduct exactly 700.00 (600.00 + 100.00 or 0.00 + 700.00), never 600.00 + 700.00."""
    from bangfu.benefits import services as benefits

    from .test_concurrency import _together

    spouse = household_a.members.get(name="李娜")
    benefits.benefit_grant(acting_user=county, household=household_a, programme="tekun", monthly_amount_fen=114400,
                           approved_on=D(2026, 1, 20), case_id=None, person=spouse)
    r = _receivable(county, household_a, 70000)
    recovery.deduction_set(acting_user=county, receivable=r, mode="all", document="追回决定书〔2026〕7号")
    results = _together(*(lambda prog=prog: services.payroll_build(acting_user=county, county_code=COUNTY, month=D(2026, 2, 1),
                                                                    programme=prog) for prog in ("dibao", "tekun")))
    assert all(isinstance(x, tuple) and x[1] for x in results), results
    assert sum(RecoveryDeduction.objects.values_list("amount_fen", flat=True)) == 70000
    assert sum(PayrollLine.objects.values_list("deducted_fen", flat=True)) == 70000
