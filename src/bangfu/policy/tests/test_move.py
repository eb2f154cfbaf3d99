"""A household that moves takes its determination and its benefit changes to the new village, so
that the new village's office (and its next reassessment) owns them and the old one does not
(issue 11; policy/moves.py). Both tables are derived and kept without history rows; the household's
history records the move."""

from __future__ import annotations

import datetime as dt

import pytest


from bangfu.common.money import yuan_to_fen
from bangfu.policy.models import BenefitChange, Determination
from bangfu.policy.reassessment import reassess
from bangfu.policy.services import parameter_value_create
from bangfu.registry.models import IncomeItem
from bangfu.registry.services import household_update

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 8, 1)


@pytest.fixture
def judged(users, household_a):
    parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="340102",
                           valid_from=dt.date(2025, 1, 1), valid_to=None, value="700.00",
                           citation_document="瑶海区民政局测试文件", citation_article="第一条")
    head = household_a.members.get(relation="head")
    IncomeItem.objects.create(household=household_a, person=head, kind="wage", monthly_amount_fen=yuan_to_fen("800.00"),
                              valid_from=dt.date(2025, 1, 1))
    run = reassess(acting_user=users["county"], on=ON)
    return {"run": run, "determination": Determination.objects.get(household=household_a),
            "change": BenefitChange.objects.get(household=household_a)}


def test_determination_and_changes_follow_the_household(judged, household_a, users, regions):
    # when the county moves household A to village B (another township)
    household_update(acting_user=users["county"], household_id=household_a.pk, region_id=regions["village_b"].pk)
    # then village B's offices see its determination and its open change, village A's do not
    for model in (Determination, BenefitChange):
        assert list(model.objects.filter(household=household_a).visible_to(users["village_b"])) != [], model
        assert not model.objects.filter(household=household_a).visible_to(users["village_a"]).exists(), model
        assert not model.objects.filter(household=household_a).visible_to(users["township_a"]).exists(), model
    # the household's history records who moved it from where to where
    last = household_a.history.order_by("-history_id").first()
    assert (last.region_code, last.prev_record.region_code, last.history_user) == (
        regions["village_b"].code, regions["village_a"].code, users["county"])


def test_the_new_village_reassessment_replaces_the_moved_rows(judged, household_a, users, regions):
    household_update(acting_user=users["county"], household_id=household_a.pk, region_id=regions["village_b"].pk)
    # the old village's run no longer touches the household…
    reassess(acting_user=users["village_a"], on=ON)
    assert Determination.objects.get(household=household_a).pk == judged["determination"].pk
    assert BenefitChange.objects.get(pk=judged["change"].pk).status == BenefitChange.Status.OPEN
    # …the new village's run judges it again: one determination, the earlier change superseded
    run = reassess(acting_user=users["village_b"], on=ON)
    assert list(Determination.objects.filter(household=household_a).values_list("run_id", flat=True)) == [run.pk]
    assert BenefitChange.objects.get(pk=judged["change"].pk).status == BenefitChange.Status.SUPERSEDED
