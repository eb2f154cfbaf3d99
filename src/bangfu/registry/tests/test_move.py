"""A household that moves to another village takes the registry's rows along, with history, and
tells the other apps in the same transaction (issue 11; registry/moves.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.accounts.access import NotFound
from bangfu.registry import selectors, services
from bangfu.registry.models import Asset, Classification, Household, IncomeItem, Membership, Person, RigidExpense
from bangfu_testing.factories import failing_receiver
from bangfu.registry.signals import household_moved

ITEMS = {
    "income": {"kind": "wage", "monthly_amount_fen": 150000, "valid_from": dt.date(2026, 1, 1)},
    "asset": {"kind": "deposit", "value_fen": 800000},
    "expense": {"kind": "medical", "monthly_amount_fen": 30000, "valid_from": dt.date(2026, 1, 1)},
    "classification": {"kind": "category", "code": "dibao", "start_date": dt.date(2026, 1, 1)},
}
ITEM_MODELS = (IncomeItem, Asset, RigidExpense, Classification)


@pytest.fixture
def household(household_a, users):
    for kind, data in ITEMS.items():
        services.item_add(acting_user=users["village_a"], household_id=household_a.pk, kind=kind, data=dict(data))
    return household_a


def move(household, users, regions, village="village_b"):
    return services.household_update(acting_user=users["county"], household_id=household.pk, region_id=regions[village].pk)


def test_moved_household_and_its_rows_are_seen_by_the_new_village_only(household, users, regions, client):
    # given a household of village A with members and an item of each kind
    member_ids = [p.pk for p in household.members.all()]
    # when the county moves it to village B (another township)
    move(household, users, regions)
    # then village B's worker finds it, its members and its items; village A's worker finds none of them
    new, old = users["village_b"], users["village_a"]
    assert selectors.household_get(new, household.pk).region_code == regions["village_b"].code
    with pytest.raises(NotFound):
        selectors.household_get(old, household.pk)
    for pk in member_ids:
        assert selectors.person_get(new, pk).region_code == regions["village_b"].code
        with pytest.raises(NotFound):
            selectors.person_get(old, pk)
    for model in ITEM_MODELS:
        assert model.objects.filter(household=household).visible_to(new).count() == 1, model
        assert not model.objects.filter(household=household).visible_to(old).exists(), model
    assert set(Membership.objects.filter(household=household).values_list("region_code", flat=True)) == {regions["village_b"].code}
    client.force_login(new)
    assert client.get(reverse("registry:household_detail", args=[household.pk])).status_code == 200
    client.force_login(old)
    assert client.get(reverse("registry:household_detail", args=[household.pk])).status_code == 404


def test_move_leaves_a_history_row_per_changed_row_authored_by_the_mover(household, users, regions):
    move(household, users, regions)
    code = regions["village_b"].code
    for obj in [household, *Person.objects.filter(household=household)] + [m.objects.get(household=household) for m in ITEM_MODELS]:
        last = obj.history.order_by("-history_id").first()
        assert (last.region_code, last.history_type, last.history_user) == (code, "~", users["county"]), type(obj)
        assert last.prev_record.region_code == regions["village_a"].code


def test_signal_carries_households_members_codes_and_user(household, users, regions):
    seen = []

    def record(sender, **kwargs):
        seen.append(kwargs)

    household_moved.connect(record, dispatch_uid="test.record")
    try:
        services.household_update(acting_user=users["county"], household_id=household.pk, address="新地址")  # no move
        assert seen == []
        move(household, users, regions, village="village_a2")  # same township, another village
    finally:
        household_moved.disconnect(dispatch_uid="test.record")
    assert len(seen) == 1
    sent = seen[0]
    assert sent["household_ids"] == [household.pk]
    assert sorted(sent["person_ids"]) == sorted(household.members.values_list("pk", flat=True))
    assert (sent["old_region_code"], sent["new_region_code"]) == (regions["village_a"].code, regions["village_a2"].code)
    assert sent["acting_user"] == users["county"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_moves_nothing(household, users, regions):
    # given a receiver (after every app's own) that fails
    history_before = Person.history.count()
    with failing_receiver(household_moved), pytest.raises(RuntimeError):
        move(household, users, regions)
    # then the household, its members, its items and their history are as before
    code = regions["village_a"].code
    assert Household.objects.get(pk=household.pk).region_code == code
    assert set(Person.objects.filter(household=household).values_list("region_code", flat=True)) == {code}
    for model in (Membership, *ITEM_MODELS):
        assert set(model.objects.filter(household=household).values_list("region_code", flat=True)) == {code}
    assert Person.history.count() == history_before


def test_split_and_merge_stay_in_the_village(household, users):
    # split and merge keep the village (the services refuse anything else), so they move no rows
    seen = []
    household_moved.connect(lambda sender, **kw: seen.append(kw), dispatch_uid="test.split", weak=False)
    try:
        first, second = household.members.order_by("pk")
        new = services.household_split(acting_user=users["village_a"], household_id=household.pk, person_ids=[second.pk],
                                       new_head_id=second.pk)
        merged = services.household_merge(acting_user=users["village_a"], target_id=household.pk, source_id=new.pk)
    finally:
        household_moved.disconnect(dispatch_uid="test.split")
    assert seen == []
    assert new.region_code == merged.region_code == household.region_code


def test_a_move_costs_the_same_queries_for_more_rows(household_a, household_b, users, regions):
    # given household A with one item of each kind and household B with three (every app's receiver runs too)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for kind, data in ITEMS.items():
        services.item_add(acting_user=users["village_a"], household_id=household_a.pk, kind=kind, data=dict(data))
        for _ in range(3):
            services.item_add(acting_user=users["village_b"], household_id=household_b.pk, kind=kind, data=dict(data))
    counts = []
    for household, village in ((household_a, "village_a2"), (household_b, "village_a")):
        with CaptureQueriesContext(connection) as queries:
            services.household_update(acting_user=users["county"], household_id=household.pk, region_id=regions[village].pk)
        counts.append(len(queries))
    # then the number of statements does not grow with the rows moved
    assert counts[0] == counts[1]
