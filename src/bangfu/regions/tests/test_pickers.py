"""The region picker's search (issue 17): by name prefix or leading code digits, signed-in only."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _values(response) -> list[str]:
    return re.findall(r'data-value="(\d+)"', response.content.decode())


def test_region_search_by_name_and_code(client, users, regions):
    client.force_login(users["village_a"])
    assert _values(client.get("/regions/pick/", {"q": "大兴"})) == ["340102002000", "340102002001"]
    assert _values(client.get("/regions/pick/", {"q": "340102001"})) == ["340102001000", "340102001001", "340102001002"]
    assert _values(client.get("/regions/pick/", {"q": "无此地"})) == []
    body = client.get("/regions/pick/", {"q": ""}).content.decode()
    assert "data-value" not in body and "区划名称" in body


def test_region_search_needs_a_login(client, regions):
    assert client.get("/regions/pick/", {"q": "大兴"}).status_code == 302


def test_rescue_intake_asks_the_home_region_with_a_picker(client, regions):
    from bangfu.rescue.forms import IntakeForm

    html = str(IntakeForm()["home_region_code"])
    assert 'data-picker-url="/regions/pick/"' in html and 'name="home_region_code"' in html
    form = IntakeForm(data={"home_region_code": "340102001001"})
    form.is_valid()
    assert form.cleaned_data["home_region_code"] == "340102001001"
