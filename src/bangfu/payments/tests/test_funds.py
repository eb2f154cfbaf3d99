"""The funds ledger (资金台账) and the monthly statement of fund use (资金使用月报).

Figures are defined in docs/payments.md "资金台账" and funds.py: budget and money received or
returned are typed in; paid, failed and in transit are read from payroll lines (status from the bank
return), by the payroll's month. The expected values below are worked out by hand from the rows
each test writes; the random test checks the identities against an oracle computed in Python from
the generated rows (seeded, so a failure repeats)."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from bangfu.accounts.access import NotFound
from bangfu.payments import funds
from bangfu.payments.choices import LineKind, LineStatus, PayrollKind, PayrollState
from bangfu.payments.models import FundBudget, FundEntry, Payroll, PayrollLine
from bangfu.payments.services import PaymentError
from bangfu.regions.codes import RegionCode

pytestmark = pytest.mark.django_db
D = dt.date
COUNTY = "340102"


def payroll(user, month, *, state=PayrollState.LOCKED, county=COUNTY, kind=PayrollKind.REGULAR):
    code = RegionCode.parse(county).code
    return Payroll.objects.create(region_code=code, month=month, kind=kind, state=state, built_by=user)


def line(pr, household, amount_fen, status, *, programme="dibao", person=None, month=None):
    component = {"dibao": "dibao", "tekun": "tekun_basic", "temporary_assistance": "temporary"}[programme]
    return PayrollLine.objects.create(payroll=pr, household=household, person=person or household.head,
                                      region_code=household.region_code, programme=programme, month=month or pr.month,
                                      kind=LineKind.REGULAR, component=component, amount_fen=amount_fen, status=status)


@pytest.fixture
def book(users, household_a, household_b, regions):
    """2026, 瑶海区, dibao (hand-made):
    budget central 100,000.00 + provincial 30,000.00 + county 20,000.00 = 150,000.00 yuan;
    received central 60,000.00 and provincial 10,000.00; returned 500.00; adjust +12.34, −2.00.
    February (locked): A 600.00 paid, B 450.00 paid, B 450.00 failed; tekun A 300.00 paid.
    March (approved, no return yet): A 600.00 pending (in transit), B 450.00 paid.
    December 2025: A 600.00 paid (another year). Another county: 999.00 paid (not ours)."""
    from bangfu_testing.factories import region

    county = users["county"]
    for source, yuan in (("central", 10_000_000), ("provincial", 3_000_000), ("county", 2_000_000)):
        funds.budget_set(acting_user=county, county_code=COUNTY, programme="dibao", year=2026, source=source, amount_fen=yuan,
                         document="财社〔2026〕1号")
    for kind, source, fen in (("received", "central", 6_000_000), ("received", "provincial", 1_000_000), ("returned", "", 50_000),
                              ("adjust_in", "", 1234), ("adjust_out", "", 200)):
        funds.entry_add(acting_user=county, county_code=COUNTY, programme="dibao", year=2026, date=D(2026, 3, 5), kind=kind,
                        amount_fen=fen, document="拨款通知", source=source)
    feb = payroll(county, D(2026, 2, 1))
    line(feb, household_a, 60000, LineStatus.PAID)
    line(feb, household_b, 45000, LineStatus.PAID)
    line(feb, household_b, 45000, LineStatus.FAILED, month=D(2026, 1, 1))
    line(feb, household_a, 30000, LineStatus.PAID, programme="tekun")
    mar = payroll(county, D(2026, 3, 1), state=PayrollState.APPROVED)
    line(mar, household_a, 60000, LineStatus.PENDING)
    line(mar, household_b, 45000, LineStatus.PAID)
    line(payroll(county, D(2025, 12, 1)), household_a, 60000, LineStatus.PAID)
    region("340103", "庐阳区", regions["city"])
    line(payroll(county, D(2026, 2, 1), county="340103"), household_a, 99900, LineStatus.PAID)
    return feb, mar


def test_ledger_figures_by_hand(users, book):
    """Each figure as docs/payments.md 资金台账 defines it, computed by hand in the fixture's docstring."""
    led = funds.ledger(users["county"], COUNTY, 2026, "dibao")
    assert led.budget == {"central": 10_000_000, "provincial": 3_000_000, "county": 2_000_000}
    assert led.budget_total == 15_000_000
    assert (led.received, led.returned, led.adjust_in, led.adjust_out) == (7_000_000, 50_000, 1234, 200)
    assert led.paid == 60000 + 45000 + 45000  # Feb A, Feb B, Mar B; not December 2025, not tekun, not 庐阳区
    assert led.failed == 45000
    assert led.in_transit == 60000
    assert led.recovered == 0
    assert led.balance == 7_000_000 - 50_000 + 1234 - 200 - 150_000 == 6_801_034
    assert led.available == 6_801_034 - 60000
    assert led.used_pct == Decimal("1.0")  # 150,000 fen of 15,000,000
    assert led.paid_lines == 3 and led.persons_paid == 2
    assert led.paid_by_month == [0, 105000, 45000] + [0] * 9
    everything = funds.ledger(users["county"], COUNTY, 2026)
    assert everything.paid == 150_000 + 30000 and everything.budget_total == 15_000_000
    assert funds.ledger(users["county"], COUNTY, 2025, "dibao").paid == 60000


def test_ledger_paid_is_the_sum_of_paid_lines(users, book):
    """Ledger paid = Σ of the county's lines with status paid in the year's payrolls (no typed figure)."""
    from django.db.models import Sum

    expected = PayrollLine.objects.filter(payroll__region_code=RegionCode.parse(COUNTY).code, payroll__month__year=2026,
                                          status="paid").aggregate(t=Sum("amount_fen"))["t"]
    assert funds.ledger(users["county"], COUNTY, 2026).paid == expected == 180_000
    # a bank return turning the pending March line to paid moves it from in transit to paid
    PayrollLine.objects.filter(status="pending").update(status="paid")
    led = funds.ledger(users["county"], COUNTY, 2026, "dibao")
    assert (led.paid, led.in_transit, led.balance) == (210_000, 0, 6_801_034 - 60000)


def test_monthly_statement_by_hand(users, book):
    rows = {r.programme: r for r in funds.statement(users["county"], COUNTY, D(2026, 2, 1))}
    dibao, tekun, total = rows["dibao"], rows["tekun"], rows[""]
    assert (dibao.lines_paid, dibao.paid, dibao.lines_failed, dibao.failed, dibao.persons_paid) == (2, 105000, 1, 45000, 2)
    assert (dibao.paid_ytd, dibao.budget, dibao.used_pct) == (105000, 15_000_000, Decimal("0.7"))
    assert (tekun.lines_paid, tekun.paid, tekun.persons_paid, tekun.budget, tekun.used_pct) == (1, 30000, 1, 0, None)
    assert (total.lines_paid, total.paid, total.failed) == (3, 135000, 45000)
    assert total.persons_paid == 2  # 张伟 is paid dibao and tekun: counted once in the total
    march = {r.programme: r for r in funds.statement(users["county"], COUNTY, D(2026, 3, 15))}["dibao"]
    assert (march.lines_paid, march.paid, march.paid_ytd, march.used_pct) == (1, 45000, 150000, Decimal("1.0"))


@pytest.mark.parametrize("seed", range(4))
def test_identities_on_random_months(users, household_a, household_b, seed):
    """Random lines over fourteen months (two years), statuses and programmes: for every programme,
    ledger paid = Σ months' statement paid = December's year-to-date = oracle; failed likewise;
    recovered = repayments of the year + deductions in lines the bank paid in the year's payrolls
    (a deduction in a failed or pending line is not recovered), per the receivable's programme;
    balance = received − returned − paid + recovered (no adjustments here)."""
    from bangfu.payments.models import Receivable, RecoveryDeduction, Repayment

    rnd = random.Random(seed)
    county = users["county"]
    months = [D(2025, 11, 1), D(2025, 12, 1)] + [D(2026, m, 1) for m in range(1, 13)]
    oracle = {}
    households = [household_a, household_b]
    owed = {(h.pk, prog): Receivable.objects.create(region_code=h.region_code, household=h, programme=prog, reason="fraud",
                                                    months=["2025-01"], amount_fen=10**9, recorded_by=county)
            for h in households for prog in ("dibao", "tekun")}
    for month in months:
        pr = payroll(county, month, state=rnd.choice([PayrollState.DRAFT, PayrollState.APPROVED, PayrollState.LOCKED]))
        for _ in range(rnd.randint(0, 6)):
            prog = rnd.choice(["dibao", "tekun", "temporary_assistance"])
            status = rnd.choice(list(LineStatus.values))
            fen = rnd.randint(1, 200_000)
            household = rnd.choice(households)
            made = line(pr, household, fen, status, programme=prog)
            key = (month.year, prog, status)
            oracle[key] = oracle.get(key, 0) + fen
            if prog != "temporary_assistance" and rnd.random() < 0.5:  # a deduction for a receivable of either programme
                owing = owed[(household.pk, rnd.choice(["dibao", "tekun"]))]
                cut = rnd.randint(1, fen)
                PayrollLine.objects.filter(pk=made.pk).update(deducted_fen=cut)
                RecoveryDeduction.objects.create(receivable=owing, line=made, region_code=made.region_code, month=month, amount_fen=cut)
                if status == LineStatus.PAID:
                    oracle[(month.year, owing.programme, "recovered")] = oracle.get((month.year, owing.programme, "recovered"), 0) + cut
        if rnd.random() < 0.5:
            owing = rnd.choice(list(owed.values()))
            fen = rnd.randint(1, 50_000)
            Repayment.objects.create(receivable=owing, region_code=owing.region_code, date=month + dt.timedelta(days=rnd.randint(0, 27)),
                                     amount_fen=fen, receipt_number=f"R{month:%Y%m}", recorded_by=county)
            oracle[(month.year, owing.programme, "recovered")] = oracle.get((month.year, owing.programme, "recovered"), 0) + fen
    received = rnd.randint(0, 5_000_000)
    if received:
        funds.entry_add(acting_user=county, county_code=COUNTY, programme="dibao", year=2026, date=D(2026, 1, 10),
                        kind="received", amount_fen=received, document="拨款", source="central")
    for prog in ("dibao", "tekun", "temporary_assistance"):
        led = funds.ledger(county, COUNTY, 2026, prog)
        assert led.paid == oracle.get((2026, prog, "paid"), 0)
        assert led.failed == oracle.get((2026, prog, "failed"), 0)
        assert sum(led.paid_by_month) == led.paid
        statements = [{r.programme: r for r in funds.statement(county, COUNTY, m)}[prog] for m in months if m.year == 2026]
        assert sum(s.paid for s in statements) == led.paid
        assert sum(s.failed for s in statements) == led.failed
        assert statements[-1].paid_ytd == led.paid
        assert [s.paid for s in statements] == led.paid_by_month
        assert led.recovered == oracle.get((2026, prog, "recovered"), 0)
        assert led.balance == (received if prog == "dibao" else 0) - led.paid + led.recovered
        assert funds.ledger(county, COUNTY, 2025, prog).paid == oracle.get((2025, prog, "paid"), 0)
        assert funds.ledger(county, COUNTY, 2025, prog).recovered == oracle.get((2025, prog, "recovered"), 0)
    every = funds.ledger(county, COUNTY, 2026, "")
    assert every.recovered == sum(oracle.get((2026, prog, "recovered"), 0) for prog in ("dibao", "tekun"))


def test_money_and_fields_are_checked(users):
    county = users["county"]
    base = dict(acting_user=county, county_code=COUNTY, programme="dibao", year=2026, date=D(2026, 2, 1), document="凭证1")
    with pytest.raises(PaymentError) as err:
        funds.entry_add(**base, kind="received", amount_fen=100)
    assert "source" in err.value.errors  # money received names its source
    with pytest.raises(PaymentError) as err:
        funds.entry_add(**base, kind="returned", amount_fen=0)
    assert "amount" in err.value.errors
    with pytest.raises(PaymentError) as err:
        funds.entry_add(**{**base, "date": D(2028, 1, 1)}, kind="returned", amount_fen=10)
    assert "date" in err.value.errors
    with pytest.raises(PaymentError) as err:
        funds.budget_set(acting_user=county, county_code=COUNTY, programme="x", year=1990, source="central", amount_fen=-1,
                         document="")
    assert set(err.value.errors) == {"programme", "year", "amount", "document"}
    assert not FundEntry.objects.exists() and not FundBudget.objects.exists()
    with pytest.raises(NotFound):
        funds.ledger(county, "340102001", 2026)  # a township is no county
    with pytest.raises(NotFound):
        funds.ledger(county, "bad", 2026)


def test_budget_change_keeps_its_history(users):
    county = users["county"]
    for fen, doc in ((1_000_000, "财社〔2026〕1号"), (1_500_000, "财社〔2026〕9号 追加")):
        funds.budget_set(acting_user=county, county_code=COUNTY, programme="dibao", year=2026, source="central",
                         amount_fen=fen, document=doc)
    row = FundBudget.objects.get()
    assert row.amount_fen == 1_500_000
    assert [(h.amount_fen, h.history_user_id) for h in row.history.order_by("history_id")] == [
        (1_000_000, county.pk), (1_500_000, county.pk)]


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_county_records_and_auditor_only_reads(users, book):
    county, auditor = users["county"], users["auditor"]
    page = client_for(county).get(reverse("payments:funds"), {"year": 2026, "programme": "dibao"}).content.decode()
    assert '<div class="table-wrap">' in page and "68,010.34" in page and "登记预算" in page  # the balance, yuan
    response = client_for(county).post(reverse("payments:funds_entry"), {
        "county": COUNTY, "year": 2026, "programme": "dibao", "kind": "received", "source": "county", "date": "2026-04-01",
        "amount": "1,000.50", "document": "县财政拨款4号"})
    assert response.status_code == 302
    assert FundEntry.objects.get(document="县财政拨款4号").amount_fen == 100050
    client_for(county).post(reverse("payments:funds_entry"), {
        "county": COUNTY, "year": 2026, "programme": "dibao", "kind": "received", "source": "county", "date": "2026-04-01",
        "amount": "10.005", "document": "三位小数"})
    assert not FundEntry.objects.filter(document="三位小数").exists()
    page = client_for(auditor).get(reverse("payments:funds"), {"year": 2026}).content.decode()
    assert "68,010.34" not in page and "登记预算" not in page  # all programmes; no forms for the auditor
    assert client_for(auditor).post(reverse("payments:funds_budget"), {
        "county": COUNTY, "year": 2026, "programme": "dibao", "source": "central", "amount": "1", "document": "x"}).status_code == 403
    assert client_for(users["township_a"]).get(reverse("payments:funds")).status_code == 403
    # a county outside the reader's region answers 404
    assert client_for(county).get(reverse("payments:funds"), {"county": "340103000000"}).status_code == 404
    statement = client_for(auditor).get(reverse("payments:funds_statement"), {"month": "2026-02"}).content.decode()
    assert "1,050.00" in statement and '<div class="table-wrap">' in statement


def test_statement_export_numbers_in_yuan(users, book):
    from openpyxl import load_workbook

    from bangfu.common.models import AccessLog

    response = client_for(users["auditor"]).get(reverse("payments:funds_statement_export"), {"month": "2026-02"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["低保"][1:9] == (2, 1050.0, 1, 450.0, 2, 1050.0, 150000.0, 0.7)
    assert rows["特困供养"][8] is None and rows["合计"][5] == 2
    assert sheet.cell(row=5, column=3).number_format == "#,##0.00"
    assert AccessLog.objects.filter(object_type="funds_statement", user=users["auditor"]).count() == 1


def test_refusals_are_permission_denied(users):
    with pytest.raises(PermissionDenied):
        funds.budget_set(acting_user=users["auditor"], county_code=COUNTY, programme="dibao", year=2026, source="central",
                         amount_fen=1, document="x")


def test_funds_pages_in_english(users, book):
    from bangfu_testing import english
    from bangfu_testing.english import EN, assert_no_cjk, read_xlsx

    data = english.data_strings(["财社〔2026〕1号", "拨款通知"])
    client = client_for(users["county"])
    for url, query in ((reverse("payments:funds"), {"year": 2026}), (reverse("payments:funds_statement"), {"month": "2026-02"})):
        response = client.get(url, query, **EN)
        assert response.status_code == 200
        assert_no_cjk(response.content.decode(), data, url)
    export = client.get(reverse("payments:funds_statement_export"), {"month": "2026-02"}, **EN)
    assert_no_cjk(read_xlsx(export.content), data, "statement export")
    response = client.post(reverse("payments:funds_entry"), {
        "county": COUNTY, "year": 2026, "programme": "dibao", "kind": "received", "date": "2026-04-01", "amount": "1",
        "document": "x"}, follow=True, **EN)
    assert_no_cjk(response.content.decode(), data, "entry refusal")


def test_statement_command(users, book, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from openpyxl import load_workbook

    out = io.StringIO()
    target = tmp_path / "statement.xlsx"
    call_command("funds", "statement", str(target), "--county", COUNTY, "--month", "2026-02", "--user", "auditor", stdout=out)
    rows = {r[0]: r for r in load_workbook(target).active.iter_rows(min_row=4, values_only=True)}
    assert rows["低保"][2] == 1050.0 and "135000" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("funds", "statement", str(target), "--county", "340103", "--month", "2026-02", "--user", "county")
    with pytest.raises(CommandError):
        call_command("funds", "statement", str(target), "--county", COUNTY, "--month", "2026-02", "--user", "township_a")
