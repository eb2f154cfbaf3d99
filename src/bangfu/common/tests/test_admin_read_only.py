"""People's data is read-only in the admin (issue 13 "Admin"): a superuser could edit and delete
visits, pairings, follow-ups, helpers and meetings there, bypassing the services. The test walks
the admin registry, so a new ModelAdmin is either read-only or named here as configuration."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from bangfu.accounts.choices import Role

# Configuration a deployment sets up in the admin; everything else of Bangfu's is people's data
# (or its audit trail) and changes only through the app's services.
CONFIGURATION = {
    "accounts.User",
    "regions.Region",
    "cases.WorkdayOverride",
    "cases.HolidayCalendar",
    "cases.ApprovalDelegation",
    "matching.ListKind",
    "matching.ColumnMapping",
    "outreach.OutreachParameter",
    "rescue.RescueStation",
    "rescue.StationStaff",
    "rescue.Institution",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _ours():
    return [(m, ma) for m, ma in admin.site._registry.items() if m.__module__.startswith("bangfu.")]


@pytest.fixture
def superuser_request(db):
    from bangfu.accounts.models import User

    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", password="x-long-enough-pw", role=Role.ADMIN)
    return request


def test_the_configuration_list_names_registered_models():
    assert CONFIGURATION <= {_label(m) for m, _ma in _ours()}


def test_people_data_is_view_only_for_a_superuser(superuser_request):
    checked = []
    for model, model_admin in _ours():
        if _label(model) in CONFIGURATION:
            continue
        checked.append(_label(model))
        assert model_admin.has_view_permission(superuser_request), _label(model)
        assert not model_admin.has_add_permission(superuser_request), _label(model)
        assert not model_admin.has_change_permission(superuser_request), _label(model)
        assert not model_admin.has_delete_permission(superuser_request), _label(model)
        assert not model_admin.get_actions(superuser_request), _label(model)
        for inline in model_admin.get_inline_instances(superuser_request):
            assert not inline.has_add_permission(superuser_request, None), (_label(model), inline)
            assert not inline.has_change_permission(superuser_request), (_label(model), inline)
            assert not inline.has_delete_permission(superuser_request), (_label(model), inline)
    # the rows the probe could edit are among them
    assert {"outreach.Visit", "outreach.Pairing", "outreach.FollowUpItem", "outreach.Helper",
            "outreach.Meeting", "cases.Case", "benefits.Benefit"} <= set(checked)


def test_a_history_version_cannot_be_reverted_through_the_admin(client, superuser_request, regions):
    # django-simple-history's revert form saves on POST after checking only the view permission.
    from bangfu.outreach.models import Helper

    helper = Helper.objects.create(name="王帮扶", kind="cadre", unit="县民政局", region=regions["village_a"])
    helper.name = "李帮扶"
    helper.save()
    first = helper.history.order_by("history_id").first()
    client.force_login(superuser_request.user)
    url = reverse("admin:outreach_helper_simple_history", args=[helper.pk, first.history_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "王帮扶", "kind": "cadre", "unit": "县民政局", "region": regions["village_a"].pk})
    assert response.status_code == 403
    helper.refresh_from_db()
    assert helper.name == "李帮扶"


def test_admin_change_page_of_a_visit_has_no_save_button(client, superuser_request):
    client.force_login(superuser_request.user)
    assert client.get(reverse("admin:outreach_visit_add")).status_code == 403
    assert client.get(reverse("admin:outreach_visit_changelist")).status_code == 200
