"""Which household and member a new case names: selectors used by the application form."""

from __future__ import annotations

import pytest

from bangfu.accounts.access import NotFound
from bangfu.cases import selectors

pytestmark = pytest.mark.django_db


def test_case_household_is_the_viewers_own_and_not_found_otherwise(users, household_a, household_b):
    assert selectors.case_household(users["village_a"], household_a.pk) == household_a
    with pytest.raises(NotFound):
        selectors.case_household(users["village_a"], household_b.pk)  # another village's
    with pytest.raises(NotFound):
        selectors.case_household(users["village_a"], household_b.pk + 999)  # none at all


def test_case_person_is_a_member_of_that_household_only(household_a, household_b):
    member = household_a.members.order_by("pk").last()
    assert selectors.case_person(household_a, member.pk) == member
    with pytest.raises(NotFound):
        selectors.case_person(household_a, household_b.head_id)


@pytest.mark.parametrize("raw", [None, "", "abc", "-3"])
def test_case_form_household_ignores_values_that_are_no_id(users, raw):
    assert selectors.case_form_household(users["village_a"], raw) == (None, [])


def test_case_form_household_gives_the_members_of_a_visible_household_only(users, household_a, household_b):
    household, members = selectors.case_form_household(users["village_a"], str(household_a.pk))
    assert household == household_a
    assert members == list(household_a.members.order_by("pk"))
    assert len(members) == 2
    assert selectors.case_form_household(users["village_a"], household_b.pk) == (None, [])
