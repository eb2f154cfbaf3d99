"""The one scoping mechanism (issue 2 §3): a user sees exactly its region's subtree."""

import pytest

from bangfu.accounts.access import NotFound, access_by_id, in_scope
from bangfu.accounts.permissions import has_perm
from bangfu.registry.permissions import EDIT, EXPORT_FULL_ID, IMPORT, VIEW_FULL_ID
from bangfu.registry.models import Household, Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "user_key, visible",
    [
        ("village_a", {"a"}),
        ("village_b", {"b"}),
        ("township_a", {"a"}),
        ("county", {"a", "b"}),
        ("partner", {"a", "b"}),
        ("admin", {"a", "b"}),
    ],
)
def test_scope_is_the_region_subtree(household_a, household_b, users, user_key, visible):
    names = {household_a.pk: "a", household_b.pk: "b"}
    seen = {names[pk] for pk in Household.objects.visible_to(users[user_key]).values_list("pk", flat=True)}
    assert seen == visible
    people = Person.objects.visible_to(users[user_key]).values_list("household_id", flat=True)
    assert {names[pk] for pk in people} == visible


def test_other_region_is_not_found_like_a_missing_record(household_b, users):
    with pytest.raises(NotFound) as other:
        access_by_id(users["village_a"], Household.objects.all(), household_b.pk)
    with pytest.raises(NotFound) as missing:
        access_by_id(users["village_a"], Household.objects.all(), 999_999)
    assert str(other.value) == str(missing.value)
    assert access_by_id(users["village_b"], Household.objects.all(), household_b.pk) == household_b


def test_sibling_village_with_shared_prefix_is_outside(users, regions):
    # 340102001001 and 340102001002 share eleven digits; the range must still separate them.
    assert in_scope(users["village_a"], regions["village_a"].code)
    assert not in_scope(users["village_a"], regions["village_a2"].code)
    assert in_scope(users["township_a"], regions["village_a2"].code)


def test_inactive_or_unbound_user_sees_nothing(household_a, users):
    user = users["village_a"]
    user.is_active = False
    assert not Household.objects.visible_to(user).exists()
    user.is_active, user.region = True, None
    assert not Household.objects.visible_to(user).exists()


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("village_a", {EDIT, IMPORT, VIEW_FULL_ID}),
        ("township_a", {EDIT, IMPORT, VIEW_FULL_ID}),
        ("county", {EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID}),
        ("partner", set()),
        ("auditor", {VIEW_FULL_ID}),
        ("admin", {EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID}),
    ],
)
def test_role_action_matrix(users, role, allowed):
    actions = {EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID}
    assert {a for a in actions if has_perm(users[role], a)} == allowed
