"""The policy app's role × action × region matrix, generated from policy/permissions.py
(bangfu_testing/matrix.py): every Role × every action, inside and outside 瑶海区 (the county of the
households). Parameters are public policy data: "outside" is a region the user may not pick."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from bangfu_testing import matrix
from bangfu.policy import permissions as p
from bangfu.policy.reassessment import ReassessmentError
from bangfu.policy.simulation import simulate

pytestmark = pytest.mark.django_db

COUNTY = "340102000000"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Village A and the regions above it up to the county: the values in force there.
VILLAGE_A_LINE = ("胜利社区", "明光路街道", "瑶海区")


def _view(user, world):
    """The parameter list asked for 瑶海区 (a user below the county gets their own region): the
    values shown must be those of village A's line; a user outside it is shown their own (False)."""
    response = _client(user).get("/policy/parameters/", {"region": COUNTY})
    if response.status_code != 200:
        return response
    return str(response.context["region_label"]).split("（")[0] in VILLAGE_A_LINE or False


def _set(user, world):
    """Set 瑶海区's rural standard: outside the region the form refuses the region (False)."""
    response = _client(user).post("/policy/parameters/dibao_standard_rural/new/", {
        "region": COUNTY, "valid_from": "2026-07-01", "valid_to": "", "value": "920.00",
        "citation_document": "瑶海区关于提高城乡低保标准的通知", "citation_article": "第一条", "note": ""})
    if response.status_code == 200:
        assert "region" in response.context["form"].errors, response.context["form"].errors
        return False
    return response


def _simulate(user, world):
    try:
        return simulate(acting_user=user, settings={"dibao_standard_rural": "+10%"}, region_code="340102",
                        on=dt.date(2025, 8, 1))
    except ReassessmentError as exc:
        assert "管辖范围" in str(exc), str(exc)
        return False


ENTRIES = {p.VIEW_PARAMETERS: _view, p.SET_PARAMETERS: _set, p.SIMULATE: _simulate}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("policy", ENTRIES)


@pytest.mark.parametrize(("action", "role"), matrix.cases("policy"))
def test_role_action_region(action, role, regions, household_a):
    inside, outside = matrix.actors(regions, role)
    matrix.check("policy", action, role, ENTRIES, {"household": household_a}, inside, outside)
