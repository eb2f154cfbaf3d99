"""Linking a helper to a login account: the look-up by username is a selector that answers
NotFound for a missing name and for an account outside the viewer's subtree alike (R7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.accounts.access import NotFound
from bangfu.outreach import selectors
from bangfu.outreach.models import Helper

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(regions):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    return {"own": make_user("helper_own", Role.HELPER, regions["village_a"]),
            "other": make_user("helper_other", Role.HELPER, regions["village_b"])}


def test_helper_account_finds_an_account_of_the_viewers_subtree(users, accounts):
    assert selectors.helper_account(users["village_a"], "helper_own") == accounts["own"]
    assert selectors.helper_account(users["county"], "helper_other") == accounts["other"]


@pytest.mark.parametrize("username", ["nobody", "helper_other"])
def test_helper_account_answers_not_found_for_missing_and_outside_alike(users, accounts, username):
    with pytest.raises(NotFound):
        selectors.helper_account(users["village_a"], username)


def _post(client, user, regions, username):
    client.force_login(user)
    return client.post(reverse("outreach:helper_list"), {"kind": "volunteer", "name": "赵志愿", "unit": "", "phone": "",
                                                         "username": username, "region": regions["village_a"].pk})


@pytest.mark.parametrize("username", ["nobody", "helper_other"])
def test_helper_page_refuses_an_unknown_or_outside_account_on_the_username_field(client, users, regions, accounts, username):
    # when village A's worker links a name that does not exist, or an account of village B
    response = _post(client, users["village_a"], regions, username)

    # then the form comes back with the error under the username, and no helper is registered
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not Helper.objects.filter(name="赵志愿").exists()


def test_helper_page_links_an_account_of_the_village(client, users, regions, accounts):
    response = _post(client, users["village_a"], regions, "helper_own")

    assert response.status_code == 302
    assert Helper.objects.get(name="赵志愿").user == accounts["own"]


def test_helper_page_registers_a_helper_without_an_account(client, users, regions, accounts):
    response = _post(client, users["village_a"], regions, "")

    assert response.status_code == 302
    assert Helper.objects.get(name="赵志愿").user is None
