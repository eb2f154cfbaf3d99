"""Checks before approval (R17; issue 15): each finding holds the line, each is computed here by hand
from the rows the test makes. A line with no finding stays pending."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.benefits import services as benefits
from bangfu.benefits.choices import ChangeKind, Programme
from bangfu.payments import services
from bangfu.payments.choices import Flag, LineStatus

from .conftest import approve, give_account

D = dt.date
pytestmark = pytest.mark.django_db
COUNTY = "340102"


def build(user, month):
    return services.payroll_build(acting_user=user, county_code=COUNTY, month=month)[0]


def flags_of(payroll) -> dict[int, set[str]]:
    return {line.benefit_id or line.one_off_id: set(line.flags) for line in payroll.lines.all()}


def test_a_clean_line_is_not_held(county, dibao_a):
    give_account(county, dibao_a)
    payroll = build(county, D(2026, 2, 1))
    line = payroll.lines.get()
    assert line.flags == [] and line.status == LineStatus.PENDING and payroll.held_count == 0


def test_no_account_is_held(county, dibao_a):
    line = build(county, D(2026, 2, 1)).lines.get()
    assert line.flags == [Flag.NO_ACCOUNT] and line.status == LineStatus.HELD


def test_dead_recipient_from_the_month_after_death(county, users, dibao_a):
    """The head 张伟 is recorded dead on 2026-03-10 (registry): March is still paid (the benefit runs
    through the month of death), April's line is flagged."""
    from bangfu.registry import services as registry
    from bangfu.registry.models import Person

    give_account(county, dibao_a)
    head = dibao_a.household.head
    registry.person_update(acting_user=users["village_a"], person_id=head.pk, data={"status": "deceased"})
    Person.history.filter(id=head.pk, status="deceased").update(history_date=dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc))
    assert flags_of(build(county, D(2026, 3, 1))) == {dibao_a.pk: set()}
    assert flags_of(build(county, D(2026, 4, 1))) == {dibao_a.pk: {Flag.DEAD}}


def test_one_account_for_two_households(county, dibao_a, dibao_b):
    give_account(county, dibao_a, number="6222020200012345670")
    give_account(county, dibao_b, number="6222020200012345670")
    assert flags_of(build(county, D(2026, 2, 1))) == {dibao_a.pk: {Flag.SHARED_ACCOUNT}, dibao_b.pk: {Flag.SHARED_ACCOUNT}}


def test_one_account_in_two_counties(county, dibao_a, regions):
    """The same number registered for a household of another county (庐阳区) is flagged here too."""
    from bangfu.accounts.choices import Role
    from bangfu.registry.services import household_create
    from bangfu_testing.factories import make_user, person_data, region

    other = region("340103", "庐阳区", regions["city"])
    village = region("340103001001", "杏花村", region("340103001", "杏花镇", other))
    officer = make_user("other_county", Role.COUNTY_OFFICER, other)
    elsewhere = household_create(acting_user=make_user("other_village", Role.VILLAGE_WORKER, village), region_id=village.pk,
                                 address="杏花村1号", members=[person_data("赵强", "head")])
    give_account(officer, household=elsewhere, number="6222020200012345670", holder="张伟")
    give_account(county, dibao_a, number="6222020200012345670")
    assert flags_of(build(county, D(2026, 2, 1))) == {dibao_a.pk: {Flag.SHARED_ACCOUNT}}


def test_holder_not_the_recipient_without_an_agent(county, dibao_a, dibao_b):
    """A's account is in the spouse's name with no agent recorded (a row as an import would leave it);
    B's in the daughter's name with the agent and the reason: only A is flagged."""
    from bangfu.payments.models import PaymentAccount

    account = give_account(county, dibao_a)
    PaymentAccount.objects.filter(pk=account.pk).update(holder_name="李娜", holder_relation="spouse")
    give_account(county, dibao_b, number="6222020200099998888", holder="王小丽", holder_relation="child",
                 agent_name="王小丽", agent_reason="本人行动不便，委托女儿代领")
    assert flags_of(build(county, D(2026, 2, 1))) == {dibao_a.pk: {Flag.HOLDER_NOT_RECIPIENT}, dibao_b.pk: set()}


def test_account_rules_refuse_a_bad_number_and_a_missing_agent(county, dibao_a):
    with pytest.raises(services.PaymentError) as err:
        give_account(county, dibao_a, number="62220202")
    assert "account_number" in err.value.errors
    with pytest.raises(services.PaymentError) as err:
        give_account(county, dibao_a, number="6222020200012345678")  # one digit typed wrong: the Luhn check digit fails
    assert "校验位" in err.value.errors["account_number"][0]
    # a passbook has no check digit and another length
    assert give_account(county, dibao_a, number="88012345678901", account_scheme="passbook").account_scheme == "passbook"
    with pytest.raises(services.PaymentError) as err:
        give_account(county, dibao_a, holder="李娜", holder_relation="spouse")
    assert set(err.value.errors) == {"agent_name", "agent_reason"}


def test_account_changes_keep_history(county, dibao_a):
    give_account(county, dibao_a, number="6222020200012345670")
    account = give_account(county, dibao_a, number="6222020200087654329")
    assert [h.account_number for h in account.history.order_by("history_id")] == ["6222020200012345670", "6222020200087654329"]
    assert account.history.first().history_user == county


def test_tekun_person_in_a_dibao_household(county, dibao_b):
    """王芳 is granted tekun while her household is on dibao: both lines are flagged (特困 and 低保
    exclude each other)."""
    wang = dibao_b.household.members.get(name="王芳")
    tekun = benefits.benefit_grant(acting_user=county, household=dibao_b.household, person=wang, programme=Programme.TEKUN,
                                   monthly_amount_fen=110000, approved_on=D(2026, 1, 10), case_id=None)
    give_account(county, dibao_b)
    give_account(county, tekun, number="6222020200099998888")
    assert flags_of(build(county, D(2026, 2, 1))) == {dibao_b.pk: {Flag.DOUBLE_BENEFIT}, tekun.pk: {Flag.DOUBLE_BENEFIT}}


def test_staff_relative_without_the_county_visit(county, dibao_a, household_a):
    """The case that granted A's benefit records a relative of a worker and no county visit."""
    from bangfu.benefits.models import Benefit
    from bangfu.cases.models import Case

    case = Case.objects.create(household=household_a, region_code=household_a.region_code, related_staff_name="张强",
                               related_staff_relation="兄弟", **_case_fields(county))
    Benefit.objects.filter(pk=dibao_a.pk).update(granted_case_id=case.pk)
    give_account(county, dibao_a)
    assert flags_of(build(county, D(2026, 2, 1))) == {dibao_a.pk: {Flag.STAFF_RELATIVE}}
    Case.objects.filter(pk=case.pk).update(county_visit_on=D(2026, 1, 12))
    assert flags_of(build(county, D(2026, 3, 1))) == {dibao_a.pk: set()}


def _case_fields(user) -> dict:
    from bangfu.cases.models import Case

    fields = {}
    for f in Case._meta.concrete_fields:
        if f.name in ("id", "household", "region_code") or f.null or f.has_default() or getattr(f, "auto_now_add", False) \
                or getattr(f, "auto_now", False) or f.blank:
            continue
        if f.is_relation:
            fields[f.name] = user
        elif f.get_internal_type() == "DateField":
            fields[f.name] = D(2026, 1, 5)
        elif f.choices:
            fields[f.name] = f.choices[0][0]
        else:
            fields[f.name] = "x"
    return fields


def test_amount_above_the_engines_result(county, dibao_a, dibao_b):
    """The engine's latest result for A is 550.00 a month, A is paid 600.00: flagged; B's result is
    450.00 and B is paid 450.00: not flagged."""
    from bangfu.policy.models import AssessmentRun, Determination

    run = AssessmentRun.objects.create(started_by=county, region_code="340102000000", on_date=D(2026, 1, 31),
                                       status=AssessmentRun.Status.DONE)
    Determination.objects.create(run=run, household=dibao_a.household, region_code=dibao_a.region_code, dibao_eligible=True,
                                 dibao_total_fen=55000)
    Determination.objects.create(run=run, household=dibao_b.household, region_code=dibao_b.region_code, dibao_eligible=True,
                                 dibao_total_fen=45000)
    give_account(county, dibao_a)
    give_account(county, dibao_b, number="6222020200099998888")
    assert flags_of(build(county, D(2026, 2, 1))) == {dibao_a.pk: {Flag.ABOVE_RULE}, dibao_b.pk: set()}


def test_jump_from_last_month_without_a_decision(county, dibao_a, dibao_b):
    """February pays A 600.00 and B 450.00. A's amount row is then edited to 800.00 with no decision
    (no row starting in March); B is raised to 500.00 by a decision of 2026-02-10 (from March).
    March: A's line jumps without a decision (flagged), B's follows its decision."""
    from bangfu.benefits.models import BenefitAmount

    give_account(county, dibao_a)
    give_account(county, dibao_b, number="6222020200099998888")
    build(county, D(2026, 2, 1))
    BenefitAmount.objects.filter(benefit=dibao_a).update(amount_fen=80000)
    benefits.benefit_change(acting_user=county, benefit=dibao_b, kind=ChangeKind.RAISE, decided_on=D(2026, 2, 10), case_id=None,
                            monthly_amount_fen=50000)
    assert flags_of(build(county, D(2026, 3, 1))) == {dibao_a.pk: {Flag.JUMP}, dibao_b.pk: set()}


def test_review_overdue_by_more_than_the_configured_months(county, dibao_a, settings):
    """Next review due 2026-01-31; with 3 months' grace, April (ends of grace 2026-04-30 ≥ 2026-04-01)
    is not flagged, May is (2026-04-30 < 2026-05-01)."""
    from bangfu.benefits.models import Benefit

    settings.PAYMENT_REVIEW_GRACE_MONTHS = 3
    Benefit.objects.filter(pk=dibao_a.pk).update(next_review_date=D(2026, 1, 31))
    give_account(county, dibao_a)
    assert flags_of(build(county, D(2026, 4, 1))) == {dibao_a.pk: set()}
    assert flags_of(build(county, D(2026, 5, 1))) == {dibao_a.pk: {Flag.REVIEW_OVERDUE}}


# ----------------------------------------------------------------------------- release and approval


def test_release_needs_a_reason_and_someone_other_than_the_builder(county, county2, dibao_a):
    payroll = build(county, D(2026, 2, 1))
    line = payroll.lines.get()
    with pytest.raises(services.PaymentError) as err:
        services.line_release(acting_user=county, line=line, reason="已核实")
    assert err.value.code == "same_person"
    with pytest.raises(services.PaymentError):
        services.line_release(acting_user=county2, line=line, reason=" ")
    services.line_release(acting_user=county2, line=line, reason="已核实，现场发放存折")
    line.refresh_from_db()
    assert line.status == LineStatus.RELEASED and line.released_by == county2
    event = payroll.events.get(action="released")
    assert event.by == county2 and event.line == line and event.note == "已核实，现场发放存折"


def test_approval_refused_while_a_flag_is_held_and_for_the_builder(county, county2, users, township_b, dibao_a, dibao_b):
    give_account(county, dibao_a)
    payroll = build(county, D(2026, 2, 1))  # B has no account: held
    services.payroll_check(acting_user=users["township_a"], payroll=payroll)
    payroll.refresh_from_db()
    assert payroll.state == "draft"  # township B has not checked yet
    with pytest.raises(services.PaymentError):
        services.payroll_approve(acting_user=county2, payroll=payroll)
    services.payroll_check(acting_user=township_b, payroll=payroll)
    payroll.refresh_from_db()
    assert payroll.state == "checked"
    with pytest.raises(services.PaymentError) as err:
        services.payroll_approve(acting_user=county2, payroll=payroll)
    assert err.value.code == "flags_open"
    held = payroll.lines.get(status=LineStatus.HELD)
    services.line_release(acting_user=township_b, line=held, reason="账户已在办理，先行发放现金")
    with pytest.raises(services.PaymentError) as err:
        services.payroll_approve(acting_user=county, payroll=payroll)
    assert err.value.code == "same_person"
    payroll = services.payroll_approve(acting_user=county2, payroll=payroll)
    assert payroll.state == "approved" and payroll.approved_by == county2


def test_a_township_cannot_release_another_townships_line(county, users, dibao_b):
    from django.http import Http404

    payroll = build(county, D(2026, 2, 1))
    with pytest.raises(Http404):
        services.line_release(acting_user=users["township_a"], line=payroll.lines.get(), reason="核实")


def test_locked_payroll_cannot_be_checked_or_released_again(county, county2, users, dibao_a):
    give_account(county, dibao_a)
    payroll = approve(build(county, D(2026, 2, 1)), checkers=[users["township_a"]], approver=county2)
    assert payroll.state == "locked"
    with pytest.raises(services.PaymentError):
        services.payroll_check(acting_user=users["township_a"], payroll=payroll)
    with pytest.raises(services.PaymentError):
        services.payroll_approve(acting_user=county2, payroll=payroll)
