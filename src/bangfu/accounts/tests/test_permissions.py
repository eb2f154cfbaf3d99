"""The collector of the apps' permission tables (accounts.permissions): every installed app's
table is collected, an unknown action name is an error, two apps may not declare one action, a
table may name only real roles, and the view decorator and service check refuse alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from bangfu.accounts import permissions as perms
from bangfu.accounts.choices import Role

APPS_WITH_TABLES = ("accounts", "registry", "policy", "cases", "benefits", "matching", "outreach", "rescue", "payments", "reports")


@pytest.fixture
def fresh_collector(monkeypatch):
    """Run collect() again on a private table, restoring the real one afterwards."""
    monkeypatch.setattr(perms, "_TABLE", {})
    monkeypatch.setattr(perms, "_OWNER", {})
    monkeypatch.setattr(perms, "_pending", set())
    monkeypatch.setattr(perms, "_collected", False)
    return perms


def test_every_app_declares_a_table_and_the_union_is_collected():
    import importlib

    table = perms.table()
    for label in APPS_WITH_TABLES:
        module = importlib.import_module(f"bangfu.{label}.permissions")
        assert module.ACTIONS, label
        assert perms.app_actions(label) == {a: frozenset(r) for a, r in module.ACTIONS.items()}
    assert set(table) == {a for label in APPS_WITH_TABLES for a in perms.app_actions(label)}


def test_an_unknown_action_is_an_error_not_a_refusal(users):
    with pytest.raises(perms.UnknownAction):
        perms.has_perm(users["admin"], "edti")
    with pytest.raises(perms.UnknownAction):
        perms.check_perm(users["admin"], "edti")
    with pytest.raises(perms.UnknownAction):
        perms.require_perm("edti")


def test_a_decorator_named_before_collection_is_checked_at_collection(fresh_collector):
    fresh_collector.require_perm("match_imprt")
    with pytest.raises(perms.UnknownAction, match="match_imprt"):
        fresh_collector.collect()


def test_two_apps_may_not_declare_the_same_action(fresh_collector):
    fresh_collector.register("registry", {"edit": {Role.ADMIN}})
    with pytest.raises(perms.UnknownAction, match="both registry and rescue"):
        fresh_collector.register("rescue", {"edit": {Role.ADMIN}})


def test_a_table_names_only_real_roles(fresh_collector):
    with pytest.raises(perms.UnknownAction, match="unknown roles"):
        fresh_collector.register("registry", {"edit": {"village_chief"}})


def test_check_and_decorator_refuse_with_permission_denied(rf, users):
    with pytest.raises(PermissionDenied):
        perms.check_perm(users["partner"], "edit")
    perms.check_perm(users["village_a"], "edit")

    @perms.require_perm("edit")
    def view(request):
        return "ok"

    request = rf.get("/")
    request.user = users["partner"]
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = users["village_a"]
    assert view(request) == "ok"


def test_inactive_and_anonymous_users_hold_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    assert not perms.has_perm(AnonymousUser(), "view_households")
    admin = users["admin"]
    admin.is_active = False
    assert not perms.has_perm(admin, "manage_regions")


def test_the_api_answers_a_refusal_403_with_its_message(client, users):
    client.force_login(users["partner"])
    response = client.get("/api/rescue/stays")
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您没有执行此操作的权限", "field": None, "errors": {}}
