"""Rescue station staff and outreach helpers have an account with a region for their own app's
work (issues 6, 7); that region must not open the household registry to them (private data is
private: every read is scoped to what the role needs). Partners keep their masked read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.accounts.choices import Role
from bangfu_testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_only(regions):
    return {
        "station": make_user("station", Role.STATION_STAFF, regions["county"]),
        "helper": make_user("helper", Role.HELPER, regions["village_a"]),
    }


@pytest.mark.parametrize("who, home", [("station", "rescue:index"), ("helper", "outreach:my_todo")])
def test_app_only_roles_start_in_their_app(client, app_only, who, home):
    client.force_login(app_only[who])
    assert client.get("/")["Location"] == reverse(home)


@pytest.mark.parametrize("who", ["station", "helper"])
def test_app_only_roles_read_no_households(client, app_only, household_a, who):
    client.force_login(app_only[who])
    assert client.get(reverse("registry:household_list")).status_code == 403
    assert client.get(household_a.get_absolute_url()).status_code == 403  # for any id: says nothing of the record
    assert client.get("/api/households").status_code == 403
    assert client.get(f"/api/households/{household_a.pk}").status_code in (403, 404)
    assert client.get(f"/api/benefits/households/{household_a.pk}").status_code == 404
    assert client.get(reverse("benefits:index")).status_code == 403
    assert client.get(reverse("benefits:publication")).status_code == 403


def test_selectors_give_app_only_roles_nothing(app_only, household_a):
    from bangfu.accounts.access import NotFound
    from bangfu.registry import selectors

    for user in app_only.values():
        assert not selectors.household_queryset(user).exists()
        with pytest.raises(NotFound):
            selectors.household_get(user, household_a.pk)


def test_partner_and_village_worker_still_read_their_households(client, users, household_a):
    for who in ("partner", "village_a"):
        client.force_login(users[who])
        assert client.get(reverse("registry:household_list")).status_code == 200
        assert client.get(household_a.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who, shown, hidden", [
    ("station", ["rescue:index"], ["registry:household_list", "cases:index", "benefits:index", "outreach:index"]),
    ("helper", ["outreach:index"], ["registry:household_list", "cases:index", "benefits:index", "rescue:index"]),
])
def test_navigation_offers_only_what_the_role_may_open(client, app_only, who, shown, hidden):
    client.force_login(app_only[who])
    nav = client.get(reverse("accounts:login"), follow=True).content.decode()
    nav = nav[nav.index('class="mainnav"'):nav.index("</nav>")]
    for name in shown:
        assert f'href="{reverse(name)}"' in nav
    for name in hidden:
        assert f'href="{reverse(name)}"' not in nav
