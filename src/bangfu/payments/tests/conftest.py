import datetime as dt

import pytest

D = dt.date


@pytest.fixture
def county(users):
    return users["county"]


@pytest.fixture
def county2(regions):
    """A second county officer: approves and releases what `county` built."""
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    return make_user("county2", Role.COUNTY_OFFICER, regions["county"])


@pytest.fixture
def township_b(regions):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    return make_user("township_b", Role.TOWNSHIP_OFFICER, regions["township_b"])


@pytest.fixture
def dibao_a(county, household_a):
    """Household A (village A) on dibao: approved 2026-01-15 at 600.00 yuan a month → paid from February."""
    from bangfu.benefits import services
    from bangfu.benefits.choices import Programme

    return services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=60000,
                                  approved_on=D(2026, 1, 15), case_id=None, review_class="A")


@pytest.fixture
def dibao_b(county, household_b):
    """Household B (village B, another township) on dibao: approved 2026-01-10 at 450.00 → from February."""
    from bangfu.benefits import services
    from bangfu.benefits.choices import Programme

    return services.benefit_grant(acting_user=county, household=household_b, programme=Programme.DIBAO, monthly_amount_fen=45000,
                                  approved_on=D(2026, 1, 10), case_id=None, review_class="B")


def give_account(user, benefit=None, *, household=None, number="6222020200012345670", holder=None, **extra):
    """The recipient's own account (the head of the household, or the benefit's member)."""
    from bangfu.payments import services

    if holder is None:
        b_household = benefit.household if benefit is not None else household
        holder = benefit.person.name if benefit is not None and benefit.person_id else b_household.head.name
    return services.account_set(acting_user=user, benefit=benefit, household=household, holder_name=holder,
                                holder_relation=extra.pop("holder_relation", "self"), bank_name="农村商业银行",
                                account_number=number, **extra)


def approve(payroll, *, checkers, approver):
    """Every township with lines checks, then `approver` approves and locks."""
    from django.http import Http404

    from bangfu.payments import services

    for user in checkers:
        try:
            services.payroll_check(acting_user=user, payroll=payroll)
        except Http404:
            pass  # that township has no lines
    payroll = services.payroll_approve(acting_user=approver, payroll=payroll)
    return services.payroll_lock(acting_user=approver, payroll=payroll)


def lines_of(payroll):
    return sorted((line.benefit_id or line.one_off_id, f"{line.month:%Y-%m}", line.kind, line.component, line.amount_fen)
                  for line in payroll.lines.all())
