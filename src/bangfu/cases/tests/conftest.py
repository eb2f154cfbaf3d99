import datetime as dt

import pytest

# A Monday with no holiday near: acceptance + 3 working days is the Thursday.
DAY = dt.date(2025, 6, 9)


@pytest.fixture
def staff(users, regions):
    """The shared users plus a second officer at each level (separation of duties needs two)."""
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    more = {
        "township_a2": make_user("township_a2", Role.TOWNSHIP_OFFICER, regions["township_a"]),
        "township_b": make_user("township_b", Role.TOWNSHIP_OFFICER, regions["township_b"]),
        "county2": make_user("county2", Role.COUNTY_OFFICER, regions["county"]),
        "village_a2": make_user("worker_a2", Role.VILLAGE_WORKER, regions["village_a2"]),
    }
    return {**users, **more}


@pytest.fixture
def flow(staff):
    from bangfu.cases.tests.helpers import Flow

    return Flow(staff)
