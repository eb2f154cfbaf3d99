import datetime as dt

import pytest


@pytest.fixture
def county(users):
    return users["county"]


@pytest.fixture
def dibao_a(county, household_a):
    """Household A on dibao: approved 2026-01-15 at 600.00 yuan a month, class A."""
    from bangfu.benefits import services
    from bangfu.benefits.choices import Programme

    return services.benefit_grant(acting_user=county, household=household_a, programme=Programme.DIBAO, monthly_amount_fen=60000,
                          approved_on=dt.date(2026, 1, 15), case_id=101, review_class="A")


@pytest.fixture
def dibao_b(county, household_b):
    from bangfu.benefits import services
    from bangfu.benefits.choices import Programme

    return services.benefit_grant(acting_user=county, household=household_b, programme=Programme.DIBAO, monthly_amount_fen=45000,
                          approved_on=dt.date(2026, 1, 10), case_id=102, review_class="B")
