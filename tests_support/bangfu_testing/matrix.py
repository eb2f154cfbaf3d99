"""The role × action × region matrix every app's tests/test_permissions.py generates from its
ACTIONS table (issue 11): every Role × every action of the app × inside/outside the region.

An app's test gives, for each of its actions, an entry point (a service call or a view URL) as
`entry(user, world) -> result`, where `world` holds the app's rows in village A. The outcome is
- "denied": PermissionDenied raised, or a 403 answer;
- "hidden": NotFound / Http404 raised, a 404 answer, or `False` (a row-wise refusal, e.g. an
  import whose village lies outside the user's region);
- "allowed": anything else.
A role that lacks the action must be denied (inside its region); a role that holds it must be
hidden outside its region and allowed inside.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from bangfu.accounts.choices import Role
from bangfu.accounts.permissions import app_actions

# The level at which each role's account is bound (the object lives in village A).
INSIDE = {
    Role.VILLAGE_WORKER: "village_a", Role.HELPER: "village_a", Role.TOWNSHIP_OFFICER: "township_a",
    Role.COUNTY_OFFICER: "county", Role.PARTNER_VIEWER: "county", Role.AUDITOR: "county",
    Role.STATION_STAFF: "county", Role.ADMIN: "province",
}
OUTSIDE = {
    Role.VILLAGE_WORKER: "village_b", Role.HELPER: "village_b", Role.TOWNSHIP_OFFICER: "township_b",
    Role.COUNTY_OFFICER: "other_county", Role.PARTNER_VIEWER: "other_county", Role.AUDITOR: "other_county",
    Role.STATION_STAFF: "other_county", Role.ADMIN: "other_province",
}


def cases(app_label: str) -> list:
    """One pytest param per (action, role) of the app's table, every Role included."""
    return [pytest.param(action, role, id=f"{action}-{role}")
            for action in sorted(app_actions(app_label)) for role in Role.values]


def actors(regions, role: str):
    """(inside, outside): one user of `role` whose region holds village A, one whose region does not."""
    from bangfu_testing.factories import make_user, region

    places = dict(regions)
    places["other_county"] = region("340103", "庐阳区", regions["city"])
    places["other_province"] = region("350000", "福建省")
    return (make_user(f"in_{role}", role, places[INSIDE[role]]),
            make_user(f"out_{role}", role, places[OUTSIDE[role]]))


def outcome(call) -> str:
    try:
        result = call()
    except PermissionDenied:
        return "denied"
    except Http404:
        return "hidden"
    if isinstance(result, HttpResponse):
        if result.status_code == 403:
            return "denied"
        if result.status_code == 404:
            return "hidden"
        assert result.status_code < 400, (result.status_code, result.content[:500])
        return "allowed"
    return "hidden" if result is False else "allowed"


def check(app_label: str, action: str, role: str, entries: dict, world, inside, outside) -> None:
    """Assert the matrix cell (action, role) through the action's entry point."""
    entry = entries[action]
    holders = app_actions(app_label)[action]
    if role not in holders:
        assert outcome(lambda: entry(inside, world)) == "denied", f"{role} lacks {action} but was not refused"
        return
    assert outcome(lambda: entry(outside, world)) == "hidden", f"{role} holds {action}: outside its region must be NotFound"
    assert outcome(lambda: entry(inside, world)) == "allowed", f"{role} holds {action}: inside its region must be allowed"


def check_entries_cover_table(app_label: str, entries: dict) -> None:
    """A new action in the app's table cannot skip the matrix: it needs an entry point here."""
    assert set(entries) == set(app_actions(app_label))


def page(url, method: str = "get", data=None):
    """An entry point that is a view: `url(world)` requested by the user (logged in)."""
    def entry(user, world):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return getattr(client, method)(url(world), data(world) if callable(data) else (data or {}))

    return entry
