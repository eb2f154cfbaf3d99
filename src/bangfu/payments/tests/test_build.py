"""Building the month's payroll (issue 15 "What is paid"): one line per benefit per month from the
amount in force that month, computed by hand from the benefits rules:
- 《最低生活保障审核确认办法》第二十一条: payment starts the month after approval;
- a change (增发/减发) takes effect from the month after the decision (the same article applied to a change);
- 第三十三条: a gradual exit keeps the amount for the exit months, then stops;
- a stop pays through the month of the decision and nothing after;
- back pay (补发) for a month the county had already paid without the benefit."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.benefits import services as benefits
from bangfu.benefits.choices import ChangeKind, OneOffKind, Programme
from bangfu.payments import services
from bangfu.payments.choices import Component, LineKind, PayrollState
from bangfu.payments.models import PayrollLine

from .conftest import approve, give_account, lines_of

D = dt.date
pytestmark = pytest.mark.django_db
COUNTY = "340102"


def build(user, month, programme=""):
    payroll, _built = services.payroll_build(acting_user=user, county_code=COUNTY, month=month, programme=programme)
    return payroll


def test_payment_starts_the_month_after_approval(county, dibao_a):
    """办法 §21: approved 2026-01-15 → nothing in January, 600.00 in February."""
    assert lines_of(build(county, D(2026, 1, 1))) == []
    assert lines_of(build(county, D(2026, 2, 1))) == [(dibao_a.pk, "2026-02", LineKind.REGULAR, Component.DIBAO, 60000)]


def test_raise_mid_year_takes_effect_the_next_month(county, dibao_a):
    """A raise decided 2026-04-10 to 700.00: April still 600.00, May 700.00."""
    benefits.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.RAISE, decided_on=D(2026, 4, 10), case_id=None,
                            monthly_amount_fen=70000)
    assert [x[4] for x in lines_of(build(county, D(2026, 4, 1)))] == [60000]
    assert [x[4] for x in lines_of(build(county, D(2026, 5, 1)))] == [70000]


def test_gradual_exit_pays_its_months_then_nothing(county, dibao_a):
    """办法 §33: a gradual exit decided 2026-06-10 with 2 months pays July and August as exit months,
    June as usual, September nothing."""
    benefits.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.GRADUAL_EXIT, decided_on=D(2026, 6, 10),
                            case_id=None, exit_months=2)
    assert lines_of(build(county, D(2026, 6, 1))) == [(dibao_a.pk, "2026-06", LineKind.REGULAR, Component.DIBAO, 60000)]
    assert lines_of(build(county, D(2026, 7, 1))) == [(dibao_a.pk, "2026-07", LineKind.GRADUAL_EXIT, Component.DIBAO, 60000)]
    assert lines_of(build(county, D(2026, 8, 1))) == [(dibao_a.pk, "2026-08", LineKind.GRADUAL_EXIT, Component.DIBAO, 60000)]
    assert lines_of(build(county, D(2026, 9, 1))) == []


def test_stop_pays_through_the_decision_month(county, dibao_a):
    """A stop decided 2026-03-20: March paid, April not."""
    benefits.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.STOP, decided_on=D(2026, 3, 20), case_id=None)
    assert [x[4] for x in lines_of(build(county, D(2026, 3, 1)))] == [60000]
    assert lines_of(build(county, D(2026, 4, 1))) == []


def test_back_pay_across_a_year_end(county, county2, users, household_a):
    """December 2025's payroll is approved and locked; then a grant approved on 2025-11-20 (paid from
    December, 办法 §21) is recorded. January 2026's payroll pays January and, as back pay, December."""
    december = build(county, D(2025, 12, 1))
    # a payroll without lines has no township to check it: the county approves the empty list directly
    december = approve(december, checkers=[], approver=county2)
    assert december.state == PayrollState.LOCKED
    late = benefits.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=52000,
                                  approved_on=D(2025, 11, 20), case_id=None)
    january = build(county, D(2026, 1, 1))
    assert lines_of(january) == [(late.pk, "2025-12", LineKind.BACK_PAY, Component.DIBAO, 52000),
                                 (late.pk, "2026-01", LineKind.REGULAR, Component.DIBAO, 52000)]
    assert lines_of(december) == []  # a locked payroll is never edited


def test_back_pay_only_for_months_the_county_paid(county, household_a):
    """A grant from December with no December payroll at all: January pays January only (December is
    paid by December's own payroll when it is built)."""
    late = benefits.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=52000,
                                  approved_on=D(2025, 11, 20), case_id=None)
    assert lines_of(build(county, D(2026, 1, 1))) == [(late.pk, "2026-01", LineKind.REGULAR, Component.DIBAO, 52000)]
    assert lines_of(build(county, D(2025, 12, 1))) == [(late.pk, "2025-12", LineKind.REGULAR, Component.DIBAO, 52000)]


def test_change_after_locking_is_an_adjustment_next_month(county, county2, users, dibao_a):
    """February is paid 600.00 and locked. A raise decided 2026-01-20 (effective February) is recorded
    afterwards: March pays 700.00 and an adjustment of 100.00 for February; February's payroll stays."""
    give_account(county, dibao_a)
    february = build(county, D(2026, 2, 1))
    approve(february, checkers=[users["township_a"]], approver=county2)
    benefits.benefit_change(acting_user=county, benefit=dibao_a, kind=ChangeKind.RAISE, decided_on=D(2026, 1, 20), case_id=None,
                            monthly_amount_fen=70000)
    march = build(county, D(2026, 3, 1))
    assert lines_of(march) == [(dibao_a.pk, "2026-02", LineKind.ADJUSTMENT, Component.DIBAO, 10000),
                               (dibao_a.pk, "2026-03", LineKind.REGULAR, Component.DIBAO, 70000)]
    assert lines_of(february) == [(dibao_a.pk, "2026-02", LineKind.REGULAR, Component.DIBAO, 60000)]
    # April: February is settled (600 + 100 = 700), nothing more for it
    assert lines_of(build(county, D(2026, 4, 1))) == [(dibao_a.pk, "2026-04", LineKind.REGULAR, Component.DIBAO, 70000)]


def test_individual_dibao_beside_a_household_benefit(county, dibao_b, household_a):
    """An individual application (R12) for 李娜 in household A, beside household B's whole-household
    dibao: each its own line, the individual's paid to her, the household's to the head."""
    li_na = household_a.members.get(name="李娜")
    own = benefits.benefit_grant(acting_user=county, household=household_a, person=li_na, programme=Programme.DIBAO,
                                 monthly_amount_fen=30000, approved_on=D(2026, 1, 20), case_id=None)
    payroll = build(county, D(2026, 2, 1))
    rows = {line.benefit_id: (line.person.name, line.amount_fen) for line in payroll.lines.select_related("person")}
    assert rows == {own.pk: ("李娜", 30000), dibao_b.pk: ("王芳", 45000)}
    assert payroll.total_fen == 75000 and payroll.line_count == 2


def test_tekun_recorded_without_parts_is_paid_as_basic_living(county, household_b):
    """A tekun amount recorded without its parts (1,100.00, granted before the engine gave them):
    February's line is the whole amount as the basic-living component."""
    wang = household_b.members.get(name="王芳")
    tekun = benefits.benefit_grant(acting_user=county, household=household_b, person=wang, programme=Programme.TEKUN,
                                   monthly_amount_fen=110000, approved_on=D(2026, 1, 10), case_id=None)
    assert lines_of(build(county, D(2026, 2, 1))) == [(tekun.pk, "2026-02", LineKind.REGULAR, Component.TEKUN_BASIC, 110000)]
    assert lines_of(build(county, D(2026, 2, 1), Programme.DIBAO)) == []


def test_tekun_basic_living_and_care_are_separate_lines(county, household_b):
    """国发〔2016〕14号 二、（三）: the basic living standard and the care standard. A dispersed, partly
    dependent tekun person approved 2026-01-10 at 1,300.00 = basic 1,014.00 + care 286.00: February
    has two lines, 101,400 and 28,600 fen, adding up to the amount; built again, nothing more."""
    wang = household_b.members.get(name="王芳")
    tekun = benefits.benefit_grant(acting_user=county, household=household_b, person=wang, programme=Programme.TEKUN,
                                   monthly_amount_fen=130000, approved_on=D(2026, 1, 10), case_id=None,
                                   parts={"basic_fen": 101400, "care_fen": 28600}, support_mode="dispersed")
    assert sorted(lines_of(build(county, D(2026, 2, 1)))) == sorted([
        (tekun.pk, "2026-02", LineKind.REGULAR, Component.TEKUN_BASIC, 101400),
        (tekun.pk, "2026-02", LineKind.REGULAR, Component.TEKUN_CARE, 28600),
    ])
    assert sum(line[4] for line in lines_of(build(county, D(2026, 2, 1)))) == 130000


def test_one_off_temporary_assistance_is_paid_once(county, household_a):
    """Temporary assistance (临时救助) of 2,000.00 approved 2026-02-08: a one-off line in February, none in March."""
    once = benefits.one_off_payment_create(acting_user=county, household=household_a, amount_fen=200000, approved_on=D(2026, 2, 8),
                                           case_id=None, kind=OneOffKind.EMERGENCY)
    assert lines_of(build(county, D(2026, 2, 1))) == [(once.pk, "2026-02", LineKind.ONE_OFF, Component.TEMPORARY, 200000)]
    assert lines_of(build(county, D(2026, 3, 1))) == []


def test_building_twice_gives_the_same_lines(county, dibao_a, dibao_b):
    first, built = services.payroll_build(acting_user=county, county_code=COUNTY, month=D(2026, 2, 1))
    again, built_again = services.payroll_build(acting_user=county, county_code=COUNTY, month=D(2026, 2, 1))
    assert built and not built_again and first.pk == again.pk
    assert lines_of(again) == [(dibao_a.pk, "2026-02", LineKind.REGULAR, Component.DIBAO, 60000),
                               (dibao_b.pk, "2026-02", LineKind.REGULAR, Component.DIBAO, 45000)]


def test_a_programme_payroll_beside_the_all_programme_payroll_never_pays_twice(county, dibao_a):
    """A dibao-only payroll then an all-programme payroll of the same month: the line exists once."""
    assert len(lines_of(build(county, D(2026, 2, 1), Programme.DIBAO))) == 1
    assert lines_of(build(county, D(2026, 2, 1))) == []


def test_the_database_refuses_a_second_line_for_the_same_month(county, dibao_a):
    from django.db import IntegrityError, transaction

    payroll = build(county, D(2026, 2, 1))
    line = payroll.lines.get()
    line.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()


def test_only_a_county_code_and_a_county_officer(county, users, dibao_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(services.PaymentError):
        services.payroll_build(acting_user=county, county_code="340102001", month=D(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        services.payroll_build(acting_user=users["township_a"], county_code=COUNTY, month=D(2026, 2, 1))
