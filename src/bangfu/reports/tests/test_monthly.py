"""The monthly statistics by hand (issue 16; R3, R10): each figure of the fixture in conftest.py, the
sums (villages → township → county), money paid = the payments app's paid lines, the list behind
each figure, and a past month's figures after a later change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from bangfu.payments.models import PayrollLine
from bangfu.regions.codes import RegionCode
from bangfu.reports import monthly

pytestmark = pytest.mark.django_db
D = dt.date
MARCH = D(2026, 3, 1)
COUNTY = RegionCode.parse("340102")
TOWN_A = RegionCode.parse("340102001")
TOWN_B = RegionCode.parse("340102002")


def report(area=COUNTY, month=MARCH):
    return monthly.monthly_report(area, month)


def test_dibao_figures_by_hand(book):
    total = report().total
    # urban: H1 (2 persons: the head 76 → elderly, the spouse 45 with a certificate → disabled)
    assert [total.value(f"dibao_urban_{k}") for k in ("households", "persons", "elderly", "minors", "disabled", "others")] == [1, 2, 1, 0, 1, 0]
    # rural: H2 (head 41 → other, child 10 → minor, member 35 with a certificate → disabled); H3 left after February
    assert [total.value(f"dibao_rural_{k}") for k in ("households", "persons", "elderly", "minors", "disabled", "others")] == [1, 3, 0, 1, 1, 1]
    assert (total.value("dibao_urban_new"), total.value("dibao_rural_new")) == (0, 1)  # H2 first paid in March
    assert (total.value("dibao_urban_exited"), total.value("dibao_rural_exited")) == (0, 1)  # H3 last paid in February
    # average per person = amount in force ÷ persons: 600.00 / 2, 750.00 / 3 (H1's raise applies from April)
    assert total.value("dibao_urban_average") == Decimal("300.00")
    assert total.value("dibao_rural_average") == Decimal("250.00")
    # money paid: H1's 600.00 reached the bank account; H2's 750.00 failed, so nothing rural was paid
    assert total.value("dibao_urban_paid") == Decimal("600.00")
    assert total.value("dibao_rural_paid") == Decimal("0.00")


def test_dibao_standard_is_the_dated_parameter(book):
    from bangfu.policy.selectors import parameter_set

    params = parameter_set()
    total = report().total
    for h in ("urban", "rural"):
        fen = params.resolve(f"dibao_standard_{h}", COUNTY.code, MARCH).value
        assert total.value(f"dibao_{h}_standard") == (Decimal(fen) / 100, Decimal(fen) / 100)


def test_tekun_and_temporary_by_hand(book):
    total = report().total
    assert total.value("tekun_urban_dispersed") == 1  # H5
    assert total.value("tekun_rural_institutional") == 1  # H4
    assert (total.value("tekun_urban_institutional"), total.value("tekun_rural_dispersed")) == (0, 0)
    assert total.value("tekun_persons") == 2
    assert total.value("tekun_basic_paid") == Decimal("1500.00")  # 700.00 + 800.00
    assert total.value("tekun_care_paid") == Decimal("300.00")  # H5's care is 0 and has no line
    assert (total.value("temp_emergency_households"), total.value("temp_expenditure_households")) == (1, 1)
    assert (total.value("temp_emergency_persons"), total.value("temp_expenditure_persons")) == (3, 1)
    assert total.value("temp_paid") == Decimal("1700.00")


def test_cases_by_hand(book):
    total = report().total
    assert [total.value(f"cases_{m}") for m in ("received", "approved", "refused", "pending", "overdue")] == [4, 1, 1, 3, 1]
    assert total.value("cases_average_days") == Decimal("8.5")  # (13 + 4) / 2 working days
    dibao = total.cases["dibao"]
    assert (dibao["cases_received"], dibao["cases_approved"], dibao["cases_refused"], dibao["cases_pending"]) == (3, 1, 1, 1)
    assert total.cases["tekun"]["cases_overdue"] == 1


def test_the_total_is_the_area_counted_on_its_own(book):
    for area in (COUNTY, TOWN_A, TOWN_B, RegionCode.parse("340102001001")):
        rep = report(area)
        values, cases = monthly.area_counts(area, MARCH)
        assert {k: v for k, v in rep.total.values.items() if v} == {k: v for k, v in values.items() if v}, area
        assert rep.total.cases == cases, area
    assert monthly.area_counts(COUNTY, MARCH)[0]["dibao_rural_persons"] == 3


def test_villages_sum_to_townships_and_townships_to_the_county(book):
    county = report(COUNTY)
    assert [r.code for r in county.rows] == [TOWN_A.code, TOWN_B.code]
    keys = [k for k in county.total.values] + ["cases_received", "cases_pending", "cases_overdue", "cases_approved"]
    assert {k for k in county.total.values if county.total.values[k]}  # the fixture is not empty
    for key in keys:
        assert sum(r.value(key) or 0 for r in county.rows) == (county.total.value(key) or 0), key
    for town in (TOWN_A, TOWN_B):
        t = report(town)
        row = next(r for r in county.rows if r.code == town.code)
        for key in keys:
            assert sum(r.value(key) or 0 for r in t.rows) == (t.total.value(key) or 0) == (row.value(key) or 0), (town, key)
    a = report(TOWN_A)
    assert [r.code for r in a.rows] == ["340102001001", "340102001002"]
    assert a.total.value("dibao_urban_households") == 1 and a.total.value("dibao_rural_persons") == 3


def test_money_paid_equals_the_paid_payroll_lines(book):
    paid = PayrollLine.objects.filter(payroll__month=MARCH, payroll__region_code=COUNTY.code, status="paid").aggregate(t=Sum("amount_fen"))["t"]
    total = report().total
    shown = sum(total.value(k) for k in monthly.MONEY)
    assert shown * 100 == paid == 60000 + 80000 + 70000 + 30000 + 50000 + 120000
    from bangfu.payments import funds

    statement = funds.statement(book["payroll"].built_by, COUNTY.code, MARCH)
    assert sum(r.paid for r in statement if r.programme) == paid


def test_no_payroll_is_said_not_invented(book):
    feb = report(month=D(2026, 2, 1))
    assert feb.total.no_payroll
    assert feb.total.value("dibao_urban_paid") is None and feb.total.value("tekun_basic_paid") is None
    # the people are counted all the same: February had H1 (urban) and H3 (rural, elderly)
    assert (feb.total.value("dibao_urban_households"), feb.total.value("dibao_rural_households")) == (1, 1)
    assert feb.total.value("dibao_rural_elderly") == 1
    assert feb.total.value("dibao_urban_new") == 1


def test_a_past_month_keeps_its_figures_after_a_later_change(book, users):
    from bangfu.benefits import services as b
    from bangfu.registry.services import person_add
    from bangfu_testing.factories import person_data

    before = report().total
    # April: H1 raised (already), a member born into H2 in April, H2 stopped in April
    person_add(acting_user=users["county"], household_id=book["h2"].pk, data=person_data("王小红", "child", birth=D(2026, 4, 3)),
               start_date=D(2026, 4, 3))
    dibao2 = book["h2"].benefits.get(programme="dibao")
    b.benefit_change(acting_user=users["county"], benefit=dibao2, kind="stop", decided_on=D(2026, 4, 20), case_id=None)
    after = report().total
    assert after.values == before.values
    april = report(month=D(2026, 4, 1)).total
    assert april.value("dibao_urban_average") == Decimal("350.00")  # 700.00 / 2 from April
    assert april.value("dibao_rural_persons") == 4  # the child born in April counts at the end of April
    assert report(month=D(2026, 5, 1)).total.value("dibao_rural_exited") == 1  # H2 last paid in April


def test_a_backdated_stop_shows_in_the_past_month(book, users):
    from bangfu.benefits import services as b

    assert report().total.value("dibao_urban_households") == 1
    # H1's holder died in February: recorded in March, the benefit stops after February
    b.benefit_change(acting_user=users["county"], benefit=book["d1"], kind="stop", decided_on=D(2026, 3, 25), case_id=None,
                     paid_through=D(2026, 2, 10))
    assert report().total.value("dibao_urban_households") == 0
    assert report().total.value("dibao_urban_exited") == 1


@pytest.mark.parametrize("area", [COUNTY, TOWN_A, TOWN_B])
def test_each_list_has_as_many_entries_as_its_figure(book, area):
    rep = report(area)
    for figure in rep.figures + rep.case_figures:
        if not figure.listing:
            continue
        listing = monthly.figure_list(area, MARCH, figure.key)
        n = listing.queryset.count()
        value = rep.total.value(figure.key)
        if figure.key in monthly.MONEY:
            assert sum(o.amount_fen for o in listing.queryset) == value * 100, figure.key
        elif figure.key.endswith("_average"):
            assert n == rep.total.value(figure.key.replace("average", "households"))
        elif figure.key == "cases_average_days":
            assert n == rep.total.value("cases_approved") + rep.total.value("cases_refused")
        else:
            assert n == value, figure.key


def test_case_type_lists(book):
    listing = monthly.figure_list(COUNTY, MARCH, "cases_received", "dibao")
    assert listing.queryset.count() == 3
    assert monthly.figure_list(COUNTY, MARCH, "cases_received", "nonsense") is None
    assert monthly.figure_list(COUNTY, MARCH, "dibao_urban_nonsense") is None


def test_workday_counter_agrees_with_workdays_between(db):
    from bangfu.cases.workdays import workday_counter, workdays_between

    count = workday_counter(D(2026, 1, 1), D(2026, 12, 31))
    for start, end in ((D(2026, 3, 3), D(2026, 3, 20)), (D(2026, 2, 10), D(2026, 3, 5)), (D(2026, 9, 28), D(2026, 10, 12)),
                       (D(2026, 5, 5), D(2026, 5, 1))):
        assert count(start, end) == workdays_between(start, end)
    assert count(D(2026, 3, 3), D(2026, 3, 20)) == 13
