"""The benefits app's role × action × region matrix, generated from benefits/permissions.py
(accounts/tests/matrix.py): every Role × every action, inside and outside the household's region."""

from __future__ import annotations

import pytest

from bangfu.accounts.tests import matrix
from bangfu.benefits import permissions as p

pytestmark = pytest.mark.django_db

ENTRIES = {
    # a household's benefits (the API): 404 outside the region
    p.VIEW_BENEFITS: matrix.page(lambda w: f"/api/benefits/households/{w['household'].pk}"),
}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("benefits", ENTRIES)


@pytest.mark.parametrize(("action", "role"), matrix.cases("benefits"))
def test_role_action_region(action, role, regions, dibao_a, household_a):
    inside, outside = matrix.actors(regions, role)
    matrix.check("benefits", action, role, ENTRIES, {"household": household_a}, inside, outside)
