"""English mode (issue 11): with pairings in two villages, the outreach pages (lists, details, forms
submitted with errors, refused actions), the exports and the API show no Chinese outside data
(names, addresses, region names, helpers' units, what the workers wrote)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from bangfu_testing import english
from bangfu_testing.english import EN, IDEOGRAPHS, api_text, assert_no_cjk, read_xlsx
from bangfu.outreach import services
from bangfu.outreach.worklists import sync_worklists

from .conftest import JPEG, upload

pytestmark = pytest.mark.django_db


def data_strings() -> set[str]:
    """The data of the test database, and the helpers' names and units."""
    from bangfu.outreach.models import Helper

    return english.data_strings(*Helper.objects.values_list("name", "unit"))


@pytest.fixture
def outreach(users, regions, household_a, pairing, pairing_b):
    """Recorded by workers using English: a visit with a photo, follow-up items with a referral,
    the pilot campaign of township A."""
    from bangfu_testing.factories import person_data
    from bangfu.outreach.campaign import campaign_create
    from bangfu.outreach.models import FollowUpItem
    from bangfu.registry.services import person_add

    with translation.override("en"):
        visit = services.visit_create(acting_user=users["village_a"], pairing_id=pairing.pk, date=dt.date(2025, 2, 1), way="home",
                                      findings="The roof leaks", files=[upload("roof.jpg", JPEG)])
        person_add(acting_user=users["village_a"], household_id=household_a.pk,
                   data=person_data("张小明", "child", birth=dt.date(2015, 1, 1)))
        sync_worklists(region_code="340102", on_date=dt.date(2025, 6, 1))
        item = FollowUpItem.objects.filter(region_code__startswith="340102001").first()
        services.referral_add(acting_user=users["village_a"], item_id=item.pk, target="education", referred_on=dt.date(2025, 6, 2))
        campaign = campaign_create(acting_user=users["township_a"], region_id=regions["township_a"].pk, year=2025)
    return {"visit": visit, "item": item, "campaign": campaign}


def test_outreach_pages_in_english(client, users, pairing, pairing_b, outreach):
    data = data_strings()
    client.force_login(users["village_a"])
    for name, args, query in [
            ("index", [], {}), ("helper_list", [], {}), ("pairing_list", [], {}), ("pairing_create", [], {}),
            ("pairing_detail", [pairing.pk], {}), ("visit_create", [pairing.pk], {}), ("visit_detail", [outreach["visit"].pk], {}),
            ("overdue", [], {"q": "2025-01-01"}), ("overdue", [], {"q": "2025-01-01", "by": "unit", "part": "summary"}),
            ("overdue", [], {"q": "2025-01-01", "by": "helper", "part": "summary"}), ("worklist", [], {}),
            ("item_detail", [outreach["item"].pk], {}), ("proposal_list", [], {}), ("meeting_list", [], {}),
            ("meeting_create", [], {}), ("campaign_list", [], {}), ("goal_list", [], {})]:
        response = client.get(reverse(f"outreach:{name}", args=args), query, **EN)
        assert response.status_code == 200, name
        assert_no_cjk(response.content.decode(), data)
    client.force_login(users["county"])
    for url in (outreach["campaign"].get_absolute_url(), reverse("outreach:overdue") + "?q=2025-01-01&by=village&part=summary"):
        response = client.get(url, **EN)
        assert response.status_code == 200, url
        assert_no_cjk(response.content.decode(), data)


def test_outreach_exports_in_english(client, users, outreach):
    data = data_strings()
    client.force_login(users["village_a"])
    response = client.get(reverse("outreach:referral_export"), {"target": "education"}, **EN)
    assert response.status_code == 200
    assert_no_cjk(read_xlsx(response.content), data)
    client.force_login(users["county"])
    response = client.get(outreach["campaign"].get_absolute_url(), {"format": "xlsx"}, **EN)
    assert response.status_code == 200
    assert_no_cjk(response["Content-Disposition"] + "\n" + read_xlsx(response.content), data)


def test_outreach_forms_with_errors_in_english(client, users, helper_user, pairing, outreach):
    data = data_strings()
    client.force_login(users["village_a"])
    for name, args, post in [
            ("helper_list", [], {"kind": ""}),
            ("pairing_create", [], {"target_kind": "household", "start_date": "2025-02-01", "end_date": "2024-01-01"}),
            ("visit_create", [pairing.pk], {"date": "2030-01-01", "way": ""}),
            ("visit_create", [pairing.pk], {"date": "2025-02-04", "way": "home", "findings": "Again",
                                            "files": [upload("a.gif", b"GIF89a....")]}),
            ("meeting_create", [], {"date": "2030-01-01"}),
            ("item_detail", [outreach["item"].pk], {"action": "refer", "target": "", "referred_on": "2030-01-01"}),
            ("item_detail", [outreach["item"].pk], {"action": "close", "close_reason": ""}),
            ("campaign_list", [], {"region": "", "year": "25"})]:
        response = client.post(reverse(f"outreach:{name}", args=args), post, **EN)
        assert response.status_code in (200, 400), name
        assert_no_cjk(response.content.decode(), data)
    # a refused action: a helper may not manage the follow-up list
    client.force_login(helper_user)
    response = client.get(reverse("outreach:worklist"), **EN)
    assert response.status_code == 403
    assert_no_cjk(response.content.decode(), data)


def test_refused_writes_are_explained_in_english(users, pairing, outreach):
    from bangfu.outreach.attachments import AttachmentRefused, check

    with translation.override("en"):
        for call in (lambda: services.visit_create(acting_user=users["village_a"], pairing_id=pairing.pk, date=dt.date(2020, 1, 1),
                                                   way="home", findings="x"),
                     lambda: services.pairing_end(acting_user=users["village_a"], pairing_id=pairing.pk, end_date=dt.date(2020, 1, 1)),
                     lambda: services.meeting_create(acting_user=users["village_a"], region_id=None, date=dt.date(2025, 1, 1),
                                                     title="", attendees="", decisions="", kind="x",
                                                     households=[{"household_id": 999999}]),
                     lambda: services.proposal_create(acting_user=users["village_a"], visit_id=outreach["visit"].pk,
                                                      changes={"nonsense": 1})):
            with pytest.raises(services.OutreachError) as refused:
                call()
            assert not IDEOGRAPHS.search(str(refused.value)), str(refused.value)
        with pytest.raises(AttachmentRefused) as refused:
            check(upload("empty.pdf", b""))
        assert not IDEOGRAPHS.search(str(refused.value)), str(refused.value)


def test_outreach_api_in_english(client, users, helper_user, pairing, pairing_b):
    data = data_strings()
    for user, url in ((users["village_a"], "/api/outreach/overdue?quarter=2025-02-01"), (helper_user, "/api/outreach/mine"),
                      (users["village_a"], "/api/outreach/mine"), (users["partner"], "/api/outreach/overdue")):
        assert_no_cjk(api_text(client, user, url), data)
