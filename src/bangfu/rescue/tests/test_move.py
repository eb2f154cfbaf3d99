"""A household that moves takes its members' entries of the source-prevention register (R23) filed
under its village, with their follow-ups, to the new village's office; stays do not move: a stay
belongs to its station, and its home region records where that stay returned the person to
(issue 11; rescue/moves.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.registry.services import household_update
from bangfu.rescue import selectors, services
from bangfu.rescue.models import FollowUp, PreventionEntry, Stay

from .conftest import at


@pytest.fixture
def returned(intake, staff, users, regions, household_a):
    """张伟 of household A (village A) came to station A and was returned home; village A's township
    followed him up once. The county also filed him under the county in the register."""
    head = household_a.members.get(relation="head")
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30))
    services.identity_confirm(acting_user=staff["a"], stay_id=stay.pk, id_number=head.id_number, name=head.name,
                              home_region_code=regions["village_a"].code)
    services.stay_end(acting_user=staff["a"], stay_id=stay.pk, ended_at=at(2025, 3, 5, 10), reason="returned_home",
                      destination="胜利路1号")
    entry = PreventionEntry.objects.get(stay=stay)
    follow_up = services.follow_up_record(acting_user=users["township_a"], entry_id=entry.pk, kind="visit",
                                          done_on=dt.date(2025, 4, 3), note="已返家")
    county_entry = services.prevention_entry_create(acting_user=users["county"], region_code="340102", category="returned",
                                                    name=head.name, id_number=head.id_number)
    return {"stay": Stay.objects.get(pk=stay.pk), "entry": entry, "follow_up": follow_up, "county_entry": county_entry, "head": head}


def move(household, users, regions):
    household_update(acting_user=users["county"], household_id=household.pk, region_id=regions["village_b"].pk)


def test_register_entry_follows_the_household_and_the_stay_stays(returned, household_a, users, regions, staff, township_b):
    entry = returned["entry"]
    assert (entry.person_id, entry.region_code) == (returned["head"].pk, regions["village_a"].code)
    move(household_a, users, regions)
    # the new village's township keeps the follow-up schedule, the old one no longer sees it
    assert list(selectors.prevention_entries(township_b)) == [entry]
    assert list(selectors.prevention_entries(users["township_a"])) == []
    assert FollowUp.objects.get(pk=returned["follow_up"].pk).region_code == regions["village_b"].code
    # the county's own entry was filed under the county and stays as filed
    assert PreventionEntry.objects.get(pk=returned["county_entry"].pk).region_code == "340102000000"
    # the stay is the station's record: same station range, same home region, still the old township's returnee
    stay = Stay.objects.get(pk=returned["stay"].pk)
    assert (stay.region_code, stay.home_region_code) == (returned["stay"].region_code, regions["village_a"].code)
    assert stay in selectors.stays(users["township_a"]) and stay in selectors.stays(staff["a"])
    assert stay not in selectors.stays(township_b)
    # the moved entry has a history row by the mover
    last = PreventionEntry.objects.get(pk=entry.pk).history.order_by("-history_id").first()
    assert (last.region_code, last.history_user, last.prev_record.region_code) == (
        regions["village_b"].code, users["county"], regions["village_a"].code)


def test_prevention_page_follows_the_household(returned, household_a, users, regions, township_b, client):
    move(household_a, users, regions)
    client.force_login(township_b)
    assert [e.pk for e in client.get(reverse("rescue:prevention")).context["entries"]] == [returned["entry"].pk]
    client.force_login(users["township_a"])
    assert list(client.get(reverse("rescue:prevention")).context["entries"]) == []
