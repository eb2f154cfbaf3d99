"""policy.assessment.household_assess: one household, load → assess → documents, and the errors
it names (issue 11 "One household assessment"). household_a (conftest): 合肥 rural, two members;
the head earns 600.00 a month from 2024-01-01; the standard is 880.00 from 2024-07-01 (see
test_household_determination.py for the hand computation of 1,160.00)."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.common.errors import DomainError
from bangfu.policy.assessment import (
    AssessmentError, HouseholdIncomplete, HouseholdMissing, HouseholdNotActive, ParametersNotSet, household_assess,
    households_assess,
)
from bangfu.policy.engine import SchemaError
from bangfu.policy.error_codes import PolicyErrorCode
from bangfu.registry.models import Household, Person

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 8, 1)


def test_judges_the_household_by_object_or_id(earning):
    # when
    by_object = household_assess(household=earning, on=DAY)
    by_id = household_assess(household_id=earning.pk, on=DAY)
    # then: 880.00 × 2 − 600.00 = 1,160.00, the same either way
    assert by_object.household["dibao_eligible"] is True
    assert by_object.household["dibao_amount_fen"] == 116000
    assert by_object.on == DAY and "members" not in by_object.household
    assert sorted(m["id"] for m in by_object.members) == sorted(Person.objects.filter(household=earning).values_list("pk", flat=True))
    assert by_id.household == by_object.household


def test_an_event_reaches_the_engine(earning):
    # given: an emergency recorded on a case (the registry keeps no events)
    event = {"emergency_event": "fire", "emergency_date": dt.date(2025, 7, 20), "emergency_loss_fen": 5_000_000}
    # when
    judged = household_assess(household_id=earning.pk, on=DAY, event=event)
    # then: the engine judges temporary assistance from it; without the event it does not
    assert judged.household["ta_type"] and judged.household["ta_amount_fen"] > 0
    assert not household_assess(household_id=earning.pk, on=DAY).household["ta_amount_fen"]


def test_no_household_is_household_missing():
    with pytest.raises(HouseholdMissing) as caught:
        household_assess(household_id=None, on=DAY)
    assert caught.value.code == PolicyErrorCode.HOUSEHOLD_MISSING.value == "household_missing"
    assert caught.value.message == "案件尚未关联家庭，无法测评"


def test_a_household_off_the_register_is_not_judged(earning):
    # given
    Household.objects.filter(pk=earning.pk).update(status="cancelled")
    earning.refresh_from_db()
    # when / then: by object, the message names the status
    with pytest.raises(HouseholdNotActive) as caught:
        household_assess(household=earning, on=DAY)
    assert caught.value.code == "household_not_active"
    assert "该户不是在册家庭（" in caught.value.message
    # and by id the loader finds nothing on the register
    with pytest.raises(HouseholdNotActive, match="该户不是在册家庭，无法测评"):
        household_assess(household_id=earning.pk, on=DAY)


def test_data_the_engine_rejects_is_household_incomplete(earning, monkeypatch):
    def refused(*args, **kwargs):
        raise SchemaError("persons.birth_date 缺失")

    monkeypatch.setattr("bangfu.policy.assessment.assess", refused)
    with pytest.raises(HouseholdIncomplete) as caught:
        household_assess(household=earning, on=DAY)
    assert caught.value.code == "household_incomplete"
    assert caught.value.message == "无法测评：persons.birth_date 缺失"
    assert caught.value.params == {"reason": "persons.birth_date 缺失"}


def test_no_documents_is_household_incomplete(earning, monkeypatch):
    monkeypatch.setattr("bangfu.policy.assessment.result_documents", lambda result: [])
    with pytest.raises(HouseholdIncomplete, match="该户没有可测评的数据"):
        household_assess(household=earning, on=DAY)


def test_no_parameter_in_force_is_parameters_not_set(earning):
    # the standards start in 2024
    with pytest.raises(ParametersNotSet) as caught:
        household_assess(household=earning, on=dt.date(2023, 6, 1))
    assert caught.value.code == "parameters_not_set"
    assert caught.value.message.startswith("无法测评：参数") and "没有有效取值" in caught.value.message


def test_every_named_error_is_an_assessment_error_and_a_domain_error():
    for kind in (HouseholdMissing, HouseholdNotActive, HouseholdIncomplete, ParametersNotSet):
        error = kind("x")
        assert isinstance(error, AssessmentError) and isinstance(error, DomainError)
        assert error.http_status == 400


def test_anything_else_is_not_caught(earning, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr("bangfu.policy.assessment.assess", broken)
    with pytest.raises(ZeroDivisionError):
        household_assess(household=earning, on=DAY)


def test_households_assess_gives_the_engine_tables(earning, household_b):
    # when
    result = households_assess(household_ids=[earning.pk, household_b.pk], on=DAY, explain=False)
    # then: both households, the same verdict for household_a as alone
    assert sorted(result.households["household_id"].to_list()) == sorted([earning.pk, household_b.pk])
    row = result.households.filter(household_id=earning.pk).row(0, named=True)
    assert row["dibao_amount_fen"] == household_assess(household=earning, on=DAY).household["dibao_amount_fen"]
    # none on the register: None; no parameter in force: the named error
    assert households_assess(household_ids=[999999], on=DAY) is None
    with pytest.raises(ParametersNotSet):
        households_assess(household_ids=[earning.pk], on=dt.date(2023, 6, 1))
