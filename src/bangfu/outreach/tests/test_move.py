"""A household that moves takes its pairings, visits (with attachments), registry proposals,
follow-up items and referrals to the new village: its office sees them, the old one does not; a
pairing with a village stays (issue 11; outreach/moves.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.outreach import access, selectors, services
from bangfu.outreach.models import FollowUpItem, Pairing, Referral, RegistryProposal, Visit, VisitAttachment
from bangfu.registry.services import household_update

from .conftest import JPEG, upload

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def rows(users, regions, household_a, pairing, helper):
    worker = users["village_a"]
    head = household_a.members.get(relation="head")
    visit = services.visit_create(acting_user=worker, pairing_id=pairing.pk, date=dt.date(2025, 2, 1), way="home",
                                  findings="屋顶漏雨", files=[upload("屋顶.jpg", JPEG)])
    proposal = services.proposal_create(acting_user=worker, visit_id=visit.pk, changes={"housing_safety": "c_grade"})
    item = services.item_create(acting_user=worker, person_id=head.pk, kind="employment", note="希望参加电工培训")
    services.item_assign(acting_user=worker, item_id=item.pk, owner_id=worker.pk)
    referral = services.referral_add(acting_user=worker, item_id=item.pk, target="education", referred_on=dt.date(2025, 6, 2))
    village_pairing = services.pairing_create(acting_user=worker, target_kind="village", village_id=regions["village_a"].pk,
                                              helper_ids=[helper.pk], start_date=dt.date(2024, 1, 1))
    return {"pairing": pairing, "visit": visit, "proposal": proposal, "item": item, "referral": referral,
            "village_pairing": village_pairing}


def move(household, users, regions):
    household_update(acting_user=users["county"], household_id=household.pk, region_id=regions["village_b"].pk)


def test_outreach_rows_follow_the_household(rows, household_a, users, regions):
    move(household_a, users, regions)
    new, old = users["village_b"], users["village_a"]
    assert list(access.pairing_queryset(new)) == [rows["pairing"]]
    assert list(access.pairing_queryset(old)) == [rows["village_pairing"]]  # the village's own pairing stays
    assert Pairing.objects.get(pk=rows["pairing"].pk).village == regions["village_b"]
    assert list(access.visit_queryset(new)) == [rows["visit"]] and not access.visit_queryset(old).exists()
    assert list(selectors.items(new, selectors.ItemFilter(), today=TODAY)) == [rows["item"]]
    # its owner, a worker of village A, is cleared for village B's office to assign
    assert FollowUpItem.objects.get(pk=rows["item"].pk).owner is None
    assert not selectors.items(old, selectors.ItemFilter(), today=TODAY).exists()
    assert list(selectors.referral_rows(new, target="education")) == [rows["referral"]]
    assert not selectors.referral_rows(old, target="education").exists()
    assert list(access.scoped(new, RegistryProposal.objects.all())) == [rows["proposal"]]
    assert not access.scoped(old, RegistryProposal.objects.all()).exists()
    assert set(VisitAttachment.objects.values_list("region_code", flat=True)) == {regions["village_b"].code}


def test_moved_rows_have_history_by_the_mover(rows, household_a, users, regions):
    move(household_a, users, regions)
    for model, key in ((Pairing, "pairing"), (Visit, "visit"), (RegistryProposal, "proposal"), (FollowUpItem, "item"),
                       (Referral, "referral")):
        last = model.objects.get(pk=rows[key].pk).history.order_by("-history_id").first()
        assert (last.region_code, last.history_user) == (regions["village_b"].code, users["county"]), model
        assert last.prev_record.region_code == regions["village_a"].code, model
    assert not rows["village_pairing"].history.filter(history_user=users["county"]).exists()


def test_outreach_pages_follow_the_household(rows, household_a, users, regions, client):
    move(household_a, users, regions)
    urls = [reverse("outreach:pairing_detail", args=[rows["pairing"].pk]), reverse("outreach:visit_detail", args=[rows["visit"].pk]),
            reverse("outreach:item_detail", args=[rows["item"].pk])]
    client.force_login(users["village_b"])
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    client.force_login(users["village_a"])
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
