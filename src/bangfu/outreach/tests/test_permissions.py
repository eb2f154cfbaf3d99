"""The outreach app's role × action × region matrix, generated from outreach/permissions.py
(bangfu_testing/matrix.py): every Role × every action, inside and outside village A, where helper
李党员 (login helper_li) is paired with household A. A helper's "region" is their own pairings:
the inside helper is the pairing's, the outside one a helper of village B."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.accounts.choices import Role
from bangfu_testing import matrix
from bangfu.outreach import permissions as p
from bangfu.outreach import services

pytestmark = pytest.mark.django_db

ENTRIES = {
    p.MANAGE_OUTREACH: lambda user, w: services.pairing_end(acting_user=user, pairing_id=w["pairing"].pk,
                                                            end_date=dt.date(2025, 6, 30), reason="测试终止"),
    p.RECORD_VISIT: lambda user, w: services.visit_create(acting_user=user, pairing_id=w["pairing"].pk,
                                                          date=dt.date(2025, 2, 1), way="home", findings="家中情况稳定"),
    p.VIEW_OUTREACH: matrix.page(lambda w: f"/outreach/pairings/{w['pairing'].pk}/"),
}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("outreach", ENTRIES)


@pytest.mark.parametrize(("action", "role"), matrix.cases("outreach"))
def test_role_action_region(action, role, regions, pairing, helper_user):
    inside, outside = matrix.actors(regions, role)
    if role == Role.HELPER:
        inside = helper_user
    matrix.check("outreach", action, role, ENTRIES, {"pairing": pairing}, inside, outside)
