"""Reassessment and simulation show the tekun split (issue 14), on SQLite and PostgreSQL alike.

Hand computation (瑶海区 rural standard 700.00, fixture `standard`; 《社会救助暂行办法》第十四条,
国发〔2016〕14号 二、（五）: a tekun person is not also paid dibao): a household of three on
2025-08-01 — the head of 75 without income and without an able supporter in the household is tekun;
the spouse of 65 (no labour capacity, own pension 900.00, not below 700.00: has a living) and the
grandchild of 16 (able to work, under 18: not a supporter) are not. Dibao of the two others:
2 × 700.00 − 900.00 = 500.00; the spouse (≥ 60) is class B: own level 250.00 × 20 % = 50.00;
household 550.00. Raising the standard 10 % (770.00; the pension still not below it): 2 × 770.00 −
900.00 = 640.00, level 320.00, B 64.00 → 704.00.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.policy.models import Determination
from bangfu.policy.reassessment import reassess
from bangfu.policy.simulation import simulate
from bangfu.registry.models import IncomeItem

from .test_reassessment import ON, standard  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_tekun(users, regions, standard):
    from bangfu.registry.services import household_create
    from bangfu_testing.factories import person_data

    household = household_create(acting_user=users["village_a"], region_id=regions["village_a"].pk, address="胜利路7号", members=[
        person_data("周大爷", "head", birth=dt.date(1950, 1, 1), supporters_checked="none"),
        person_data("吴大妈", "spouse", sex="F", birth=dt.date(1960, 1, 1), labor_capacity="none"),
        person_data("周小明", "grandchild", birth=dt.date(2009, 1, 1)),
    ])
    spouse = household.members.get(relation="spouse")
    IncomeItem.objects.create(household=household, person=spouse, kind="pension", monthly_amount_fen=90000, valid_from=dt.date(2025, 1, 1))
    return household


def test_reassessment_judges_dibao_without_the_tekun_member(users, with_tekun):
    reassess(acting_user=users["county"], on=ON)
    d = Determination.objects.get(household=with_tekun)
    assert (d.members, d.tekun_persons) == (3, 1)
    assert (d.dibao_eligible, d.per_capita_income_fen, d.dibao_total_fen) == (True, 45000, 55000)
    assert d.dibao_change == "newly_eligible"


def test_simulation_judges_dibao_without_the_tekun_member(users, with_tekun):
    result = simulate(acting_user=users["county"], settings={"dibao_standard_rural": "+10%"}, on=ON)
    details = {r["household_id"]: r for r in result.details.iter_rows(named=True)}
    assert (details[with_tekun.pk]["amount_before_fen"], details[with_tekun.pk]["amount_after_fen"]) == (55000, 70400)
