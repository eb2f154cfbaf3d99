"""A household that moves takes its benefits, their amount history and its one-off payments to the
new village: its office sees them, the old one does not, and the monthly register counts them in
the new township (issue 11; benefits/moves.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.accounts.choices import Role
from bangfu.benefits import selectors, services
from bangfu.benefits.choices import Programme
from bangfu.benefits.models import Benefit, BenefitAmount, OneOffPayment
from bangfu_testing.factories import failing_receiver, make_user
from bangfu.registry import services as registry_services
from bangfu.registry.signals import household_moved

MONTH = dt.date(2026, 3, 1)
LATER = dt.date(2030, 1, 1)


@pytest.fixture
def paid(county, household_a, dibao_a):
    member = household_a.members.exclude(pk=household_a.head_id).get()
    tekun = services.benefit_grant(acting_user=county, household=household_a, person=member, programme=Programme.TEKUN, monthly_amount_fen=90000,
                           approved_on=dt.date(2026, 1, 20), case_id=103, review_class="A")
    once = services.one_off_payment_create(acting_user=county, household=household_a, amount_fen=150000, approved_on=dt.date(2026, 3, 18), case_id=104,
                             kind="emergency")
    return {"dibao": dibao_a, "tekun": tekun, "once": once}


def move(household, users, regions):
    registry_services.household_update(acting_user=users["county"], household_id=household.pk, region_id=regions["village_b"].pk)


def _townships(rows):
    return {(r["township"], r["programme"]): r["count"] for r in rows}


def test_benefits_follow_the_household_to_the_new_village(paid, household_a, users, regions):
    township_b = make_user("township_b", Role.TOWNSHIP_OFFICER, regions["township_b"])
    old_t, new_t = regions["township_a"].code, regions["township_b"].code
    assert _townships(selectors.register(users["county"], month=MONTH)) == {
        (old_t, Programme.DIBAO): 1, (old_t, Programme.TEKUN): 1, (old_t, Programme.TEMPORARY): 1}
    # when the household moves to village B, in the other township
    move(household_a, users, regions)
    # then village B's worker has its reviews and publication rows, village A's has none
    ids = {paid["dibao"].pk, paid["tekun"].pk}
    assert set(selectors.reviews_due(users["village_b"], as_of=LATER).values_list("pk", flat=True)) == ids
    assert not selectors.reviews_due(users["village_a"], as_of=LATER).exists()
    assert set(selectors.recipients(township_b, month=MONTH).values_list("pk", flat=True)) == ids
    assert not selectors.recipients(users["township_a"], month=MONTH).exists()
    # …and the monthly register counts every payment in the new township
    assert _townships(selectors.register(users["county"], month=MONTH)) == {
        (new_t, Programme.DIBAO): 1, (new_t, Programme.TEKUN): 1, (new_t, Programme.TEMPORARY): 1}
    assert selectors.register(users["township_a"], month=MONTH) == []
    code = regions["village_b"].code
    assert set(BenefitAmount.objects.filter(benefit_id__in=ids).values_list("region_code", flat=True)) == {code}


def test_the_pages_follow_the_household(paid, household_a, users, regions, client):
    move(household_a, users, regions)
    client.force_login(users["village_b"])
    rows = client.get(reverse("benefits:publication")).context["rows"]
    assert {b.pk for b in rows} == {paid["dibao"].pk, paid["tekun"].pk}
    client.force_login(users["village_a"])
    assert list(client.get(reverse("benefits:publication")).context["rows"]) == []


def test_moved_rows_have_history_by_the_mover(paid, household_a, users, regions):
    move(household_a, users, regions)
    for obj in (paid["dibao"], paid["tekun"], paid["once"]):
        last = obj.history.order_by("-history_id").first()
        assert (last.region_code, last.history_user) == (regions["village_b"].code, users["county"])
        assert last.prev_record.region_code == regions["village_a"].code


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_leaves_the_benefits_where_they_were(paid, household_a, users, regions):
    with failing_receiver(household_moved), pytest.raises(RuntimeError):
        move(household_a, users, regions)
    code = regions["village_a"].code
    for model in (Benefit, BenefitAmount, OneOffPayment):
        assert set(model.objects.values_list("region_code", flat=True)) == {code}
    assert paid["dibao"].history.count() == Benefit.objects.get(pk=paid["dibao"].pk).history.count()
    assert not Benefit.history.filter(region_code=regions["village_b"].code).exists()
