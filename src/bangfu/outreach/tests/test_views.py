"""Pages and the API: every page opens for the roles that may use it; another village's records
answer 404 as missing ones; attachments are served only within scope and each access is logged."""

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.common.models import AccessLog
from bangfu.outreach import services
from bangfu.outreach.worklists import sync_worklists

from .conftest import JPEG, upload


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def visit_with_photo(users, pairing):
    return services.visit_create(acting_user=users["village_a"], pairing_id=pairing.pk, date=dt.date(2025, 2, 1), way="home",
                                 findings="屋顶漏雨", files=[upload("屋顶.jpg", JPEG)])


def test_pages_open_for_a_village_worker(client, users, pairing, visit_with_photo, regions):
    c = client_for(client, users["village_a"])
    sync_worklists(region_code="340102", on_date=dt.date(2025, 6, 1))
    for name, args in [("index", []), ("helper_list", []), ("pairing_list", []), ("pairing_create", []), ("pairing_detail", [pairing.pk]),
                       ("visit_create", [pairing.pk]), ("visit_detail", [visit_with_photo.pk]), ("overdue", []), ("worklist", []),
                       ("proposal_list", []), ("meeting_list", []), ("meeting_create", []), ("campaign_list", []), ("goal_list", [])]:
        response = c.get(reverse(f"outreach:{name}", args=args))
        assert response.status_code == 200, name
    for by, expected in (("village", "胜利社区"), ("unit", "胜利社区党支部"), ("helper", "李党员")):
        response = c.get(reverse("outreach:overdue"), {"by": by, "q": "2025-01-01", "part": "summary"})
        assert response.status_code == 200 and expected in response.content.decode(), by


def test_visit_page_links_to_opening_a_case(client, users, visit_with_photo):
    page = client_for(client, users["village_a"]).get(reverse("outreach:visit_detail", args=[visit_with_photo.pk])).content.decode()
    household = visit_with_photo.pairing.household_id
    assert f"/cases/new/?household={household}&type=dibao&origin=outreach:{visit_with_photo.pk}" in page


def test_attachment_served_in_scope_and_logged(client, users, visit_with_photo):
    attachment = visit_with_photo.attachments.get()
    url = reverse("outreach:attachment_download", args=[attachment.pk])
    response = client_for(client, users["township_a"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg" and "no-store" in response["Cache-Control"]
    assert AccessLog.objects.filter(object_type="outreach.attachment", object_id=str(attachment.pk), user=users["township_a"]).exists()


def test_attachment_refused_to_a_user_of_another_village(client, users, visit_with_photo):
    attachment = visit_with_photo.attachments.get()
    response = client_for(client, users["village_b"]).get(reverse("outreach:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404
    missing = client.get(reverse("outreach:attachment_download", args=[attachment.pk + 999]))
    assert missing.status_code == 404
    assert not AccessLog.objects.filter(object_type="outreach.attachment").exists()


def test_attachment_refused_to_a_helper_of_another_pairing(client, users, regions, visit_with_photo):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    other = make_user("helper_other", Role.HELPER, regions["village_a"])
    services.helper_create(acting_user=users["village_a"], kind="volunteer", name="另一位", region_id=regions["village_a"].pk, user_id=other.pk)
    attachment = visit_with_photo.attachments.get()
    assert client_for(client, other).get(reverse("outreach:attachment_download", args=[attachment.pk])).status_code == 404


def test_other_village_records_answer_404(client, users, pairing, visit_with_photo):
    c = client_for(client, users["village_b"])
    for name, pk in [("pairing_detail", pairing.pk), ("visit_create", pairing.pk), ("visit_detail", visit_with_photo.pk)]:
        assert c.get(reverse(f"outreach:{name}", args=[pk])).status_code == 404, name


def test_partner_viewer_is_refused(client, users):
    assert client_for(client, users["partner"]).get(reverse("outreach:index")).status_code == 403


def test_helper_records_a_visit_through_the_form(client, helper_user, pairing):
    c = client_for(client, helper_user)
    assert c.get(reverse("outreach:index")).status_code == 302
    response = c.post(reverse("outreach:visit_create", args=[pairing.pk]), {
        "date": "2025-02-03", "way": "home", "findings": "老人身体尚可", "files": [upload("合影.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)]})
    assert response.status_code == 302
    assert pairing.visits.get().attachments.get().content_type == "image/png"
    # a wrong file comes back on the form with the message, nothing saved
    response = c.post(reverse("outreach:visit_create", args=[pairing.pk]), {
        "date": "2025-02-04", "way": "home", "findings": "再次走访", "files": [upload("合影.png", b"GIF89a....")]})
    assert response.status_code == 200 and "不是 JPEG、PNG 图片或 PDF 文件" in response.content.decode()
    assert pairing.visits.count() == 1
    # helpers may not manage
    assert c.get(reverse("outreach:worklist")).status_code == 403


def test_visit_form_takes_a_photo_from_the_camera_beside_the_file_picker(client, helper_user, pairing):
    """Issue 17 (phones): the helper at the door photographs with the phone's back camera; saved
    photos and PDF scans still come through the ordinary picker. Both are stored with the visit."""
    c = client_for(client, helper_user)
    page = c.get(reverse("outreach:visit_create", args=[pairing.pk])).content.decode()
    assert 'name="photos" accept="image/*" capture="environment"' in page
    assert 'name="files" accept="image/jpeg,image/png,application/pdf"' in page
    response = c.post(reverse("outreach:visit_create", args=[pairing.pk]), {
        "date": "2025-02-03", "way": "home", "findings": "门口合影",
        "photos": [upload("相机.jpg", JPEG)], "files": [upload("低保证.pdf", b"%PDF-1.4\n" + b"0" * 20, "application/pdf")]})
    assert response.status_code == 302
    kinds = sorted(pairing.visits.get().attachments.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/jpeg"]
    # a camera file of another kind comes back on the form, nothing saved
    response = c.post(reverse("outreach:visit_create", args=[pairing.pk]), {
        "date": "2025-02-04", "way": "home", "findings": "再次走访", "photos": [upload("相机.gif", b"GIF89a....", "image/gif")]})
    assert response.status_code == 200 and "不是 JPEG、PNG 图片或 PDF 文件" in response.content.decode()
    assert pairing.visits.count() == 1


def test_referral_export_masks_numbers_and_is_logged(client, users, household_a):
    from bangfu_testing.factories import person_data
    from bangfu.registry.services import person_add

    child = person_add(acting_user=users["village_a"], household_id=household_a.pk,
                       data=person_data("张小明", "child", birth=dt.date(2015, 1, 1)))
    sync_worklists(household_ids=[household_a.pk], on_date=dt.date(2025, 6, 1))
    from bangfu.outreach.models import FollowUpItem

    item = FollowUpItem.objects.get(person=child)
    services.referral_add(acting_user=users["village_a"], item_id=item.pk, target="education", referred_on=dt.date(2025, 6, 2))
    response = client_for(client, users["village_a"]).get(reverse("outreach:referral_export"), {"target": "education"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    import io

    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[2][3] == "张小明" and rows[2][4] != child.id_number and rows[2][4][-4:] == child.id_number[-4:]
    assert AccessLog.objects.filter(action="export", object_type="outreach.referral").count() == 1


def test_campaign_page_and_export(client, users, regions):
    from bangfu.outreach.campaign import campaign_create

    campaign = campaign_create(acting_user=users["township_a"], region_id=regions["township_a"].pk, year=2025)
    c = client_for(client, users["county"])
    assert "胜利社区" in c.get(campaign.get_absolute_url()).content.decode()
    response = c.get(campaign.get_absolute_url(), {"format": "xlsx"})
    assert response.content[:2] == b"PK"
    assert client_for(client, users["village_b"]).get(campaign.get_absolute_url()).status_code == 404


def test_api_overdue_is_scoped(client, users, pairing, pairing_b):
    data = client_for(client, users["village_a"]).get("/api/outreach/overdue", {"quarter": "2025-02-01"}).json()
    assert [r["id"] for r in data["rows"]] == [pairing.pk] and data["rows"][0]["required"] == 2


def test_overdue_page_and_summaries_queries_do_not_grow_with_rows(client, users, regions, pairing, pairing_b, helper):
    """The overdue page reads its page of pairings, then their helpers, in a fixed number of
    queries (no query per row or per helper in the template); so do the three summaries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(client, users["county"])
    variants = [{}, {"unit": "胜利社区党支部", "by": "unit"}, {"helper": str(helper.pk), "by": "helper"}, {"village": "340102001001"},
                *({"part": "summary", "by": by} for by in ("village", "unit", "helper"))]

    def counts():
        out = []
        for params in variants:
            with CaptureQueriesContext(connection) as ctx:
                response = c.get(reverse("outreach:overdue"), {"q": "2025-01-01", **params})
            assert response.status_code == 200, params
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    extra = services.helper_create(acting_user=users["village_a"], kind="volunteer", name="赵志愿", unit="胜利社区党支部",
                                   region_id=regions["village_a"].pk)
    added = [services.pairing_create(acting_user=users["village_a"], target_kind="village", village_id=regions["village_a"].pk,
                                     helper_ids=[helper.pk, extra.pk], start_date=dt.date(2024, 1, 1)) for _ in range(4)]
    assert counts() == before
    page = c.get(reverse("outreach:overdue"), {"q": "2025-01-01", "unit": "胜利社区党支部"}).content.decode()
    assert all(f'id="overdue-{p.pk}"' in page for p in [pairing, *added]) and "赵志愿" in page
