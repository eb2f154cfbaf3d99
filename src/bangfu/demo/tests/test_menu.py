"""The menu shows only what the role may open (issue 17: a disability-federation user clicked
待办案件 and got 403; the registry's export button was shown to roles that cannot export)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.accounts.choices import Role
from bangfu.accounts.permissions import has_perm
from bangfu_testing import matrix

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav">(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


@pytest.mark.parametrize("role", Role.values)
def test_every_menu_entry_opens_for_the_role(role, regions, household_a):
    user, _outside = matrix.actors(regions, role)
    client = Client()
    client.force_login(user)
    landing = client.get("/", follow=True)
    assert landing.status_code == 200, role
    links = _menu(landing.content.decode())
    assert links, f"{role} sees no menu"
    for href in links:
        assert client.get(href, follow=True).status_code == 200, f"{role}: the menu offers {href}, which refuses"


@pytest.mark.parametrize("role", Role.values)
def test_export_button_only_for_roles_that_export(role, regions, household_a):
    user, _outside = matrix.actors(regions, role)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("registry:household_list"))
    if not has_perm(user, "view_households"):
        assert page.status_code == 403, role
        return
    assert page.status_code == 200 and "户号" in page.content.decode(), role
    shown = "导出当前列表（Excel）" in page.content.decode()
    assert shown == has_perm(user, "export"), role
