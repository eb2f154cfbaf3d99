"""Rescue pages and API: scoping through every way in, access logs, exports (issue 7 "Done when")."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from bangfu.common.models import AccessLog
from bangfu_testing.factories import make_id_number
from bangfu.rescue import services
from bangfu.rescue.models import Stay

from .conftest import at

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def returnee(intake, staff):
    """A stay at station A, identified and returned home to village B (township B)."""
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30))
    services.identity_confirm(acting_user=staff["a"], stay_id=stay.pk, id_number=make_id_number(), name="王大山",
                              home_region_code="340102002001")
    services.stay_end(acting_user=staff["a"], stay_id=stay.pk, ended_at=at(2025, 3, 5, 10), reason="returned_home")
    return stay


def _ids(client) -> set[int]:
    response = client.get("/api/rescue/stays?status=all")
    assert response.status_code == 200
    return {row["id"] for row in response.json()}


def test_a_station_sees_its_own_stays_only(client, intake, staff):
    mine = intake()
    theirs = intake(user=staff["b"])
    _login(client, staff["a"])
    page = client.get(reverse("rescue:index") + "?status=all").content.decode()
    assert mine.station_number in page and theirs.station_number not in page
    assert _ids(client) == {mine.pk}
    assert client.get(reverse("rescue:stay_detail", args=[mine.pk])).status_code == 200
    missing = client.get(reverse("rescue:stay_detail", args=[987654]))
    other = client.get(reverse("rescue:stay_detail", args=[theirs.pk]))
    assert other.status_code == missing.status_code == 404 and other.content == missing.content
    assert client.get(f"/api/rescue/stays/{theirs.pk}").status_code == 404
    post = client.post(reverse("rescue:stay_action", args=[theirs.pk, "tracing"]),
                       {"kind": "notice", "done_at": "2025-03-01T12:00", "done_by": "x", "result": "pending"})
    assert post.status_code == 404 and not theirs.tracing_steps.exists()


def test_the_home_office_sees_only_its_returnees(client, intake, staff, returnee, township_b, users):
    still_here = intake()
    _login(client, township_b)
    assert _ids(client) == {returnee.pk}
    assert client.get(reverse("rescue:stay_detail", args=[returnee.pk])).status_code == 200
    assert client.get(reverse("rescue:stay_detail", args=[still_here.pk])).status_code == 404
    assert "王大山" in client.get(reverse("rescue:prevention")).content.decode()
    # another township is not this person's home office
    _login(client, users["township_a"])
    assert _ids(client) == set()
    assert client.get(reverse("rescue:stay_detail", args=[returnee.pk])).status_code == 404
    assert "王大山" not in client.get(reverse("rescue:prevention")).content.decode()


def test_county_officer_and_auditor_see_the_stations_of_their_region(client, intake, staff, users):
    a = intake()
    b = intake(user=staff["b"])  # 庐阳区 is outside 瑶海区
    for user in (users["county"], users["auditor"]):
        _login(client, user)
        assert _ids(client) == {a.pk}
    # the auditor reads but cannot record
    response = client.post(reverse("rescue:stay_action", args=[a.pk, "tracing"]),
                           {"kind": "notice", "done_at": "2025-03-01T12:00", "done_by": "x", "result": "pending"})
    assert response.status_code == 403
    _login(client, users["admin"])
    assert _ids(client) == {a.pk, b.pk}


@pytest.mark.parametrize("who", ["village_a", "partner"])
def test_roles_without_rescue_access_are_refused(client, intake, users, who):
    stay = intake()
    _login(client, users[who])
    assert client.get(reverse("rescue:index")).status_code == 403
    assert client.get(reverse("rescue:stay_detail", args=[stay.pk])).status_code == 403
    assert client.get("/api/rescue/stays").status_code == 403


def test_intake_page_shows_the_consent_rule_and_saves_nothing(client, staff):
    _login(client, staff["a"])
    response = client.post(reverse("rescue:stay_new"), {
        "arrival_at": "2025-03-01T09:30", "referral_source": "police", "sex": "M", "capable_adult": "on",
        "physical_description": "男，约40岁"})
    assert response.status_code == 200
    assert "护送完全民事行为能力人须征得本人同意" in response.content.decode()
    assert Stay.objects.count() == 0


def test_detail_view_and_photo_are_logged(client, intake, staff, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path
    stay = intake()
    _login(client, staff["a"])
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 200
    upload = io.BytesIO(jpeg)
    upload.name = "photo.jpg"
    response = client.post(reverse("rescue:stay_action", args=[stay.pk, "photo"]), {"photo-photo": upload})
    assert response.status_code == 302
    photo = stay.photos.get()
    before = AccessLog.objects.count()
    response = client.get(reverse("rescue:photo", args=[photo.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == jpeg
    assert response["Content-Type"] == "image/jpeg" and "no-store" in response["Cache-Control"]
    assert AccessLog.objects.count() == before + 1 and AccessLog.objects.latest("pk").object_type == "rescue_photo"
    client.get(reverse("rescue:stay_detail", args=[stay.pk]))
    assert AccessLog.objects.latest("pk").object_type == "rescue_stay"
    # another station's staff: the photo is as missing as a photo that does not exist
    _login(client, staff["b"])
    assert client.get(reverse("rescue:photo", args=[photo.pk])).status_code == 404


def test_statistics_page_and_xlsx_export(client, intake, staff, returnee):
    intake(arrival_at=at(2025, 4, 2, 10))
    services.service_add(acting_user=staff["a"], stay_id=returnee.pk, kind="return_travel", start_date=dt.date(2025, 3, 5), cost_fen=12550)
    _login(client, staff["a"])
    page = client.get(reverse("rescue:statistics") + "?year=2025")
    assert page.status_code == 200 and "125.50" in page.content.decode()
    export = client.get(reverse("rescue:statistics") + "?year=2025&format=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert AccessLog.objects.filter(action="export", object_type="rescue_statistics").count() == 1
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert [(int(r[0]), r[2]) for r in rows[1:]] == [(3, 1), (4, 1)]


def test_statement_page_and_export(client, intake, staff):
    user = staff["a"]
    stay = intake(arrival_at=at(2025, 5, 18, 10))
    inst = services.institution_create(acting_user=user, name="瑶海区社会福利院", kind="welfare")
    services.rate_set(acting_user=user, institution_id=inst.pk, valid_from=dt.date(2025, 1, 1), bed_fen=60000, care_self_fen=20000,
                      care_partial_fen=90000, care_full_fen=150000, rehab_fen=30000, other_fen=10000, margin_bp=1000)
    services.placement_start(acting_user=user, stay_id=stay.pk, kind="welfare", start_date=dt.date(2025, 5, 20), institution_id=inst.pk)
    services.assessment_record(acting_user=user, stay_id=stay.pk, effective_on=dt.date(2025, 5, 20), abilities={"can_bathe": False})
    services.assessment_record(acting_user=user, stay_id=stay.pk, effective_on=dt.date(2025, 6, 15),
                               abilities={"can_bathe": False, "can_walk_indoors": False, "can_dress": False, "can_toilet": False})
    _login(client, user)
    page = client.get(reverse("rescue:statement"), {"institution": inst.pk, "month": "2025-06"})
    assert "2,442.00" in page.content.decode()
    export = client.get(reverse("rescue:statement"), {"institution": inst.pk, "month": "2025-06", "format": "xlsx"})
    assert export.content[:2] == b"PK" and AccessLog.objects.filter(object_type="rescue_statement").count() == 1
    _login(client, staff["b"])  # another station's institution is not offered
    page = client.get(reverse("rescue:statement"), {"institution": inst.pk, "month": "2025-06"})
    assert "2,442.00" not in page.content.decode()


def test_pages_render_for_each_reader(client, intake, staff, users, township_b, returnee):
    for user in (staff["a"], users["county"], township_b, users["auditor"]):
        _login(client, user)
        for name in ("index", "worklists", "prevention", "patrols", "statistics", "statement"):
            assert client.get(reverse(f"rescue:{name}")).status_code == 200, (user, name)


def test_an_administrator_names_the_station_at_intake(client, stations, users):
    _login(client, users["admin"])
    assert "庐阳区救助管理站" in client.get(reverse("rescue:stay_new")).content.decode()
    response = client.post(reverse("rescue:stay_new"), {
        "arrival_at": "2025-03-01T09:30", "referral_source": "walk_in", "sex": "U", "physical_description": "女，约30岁",
        "station": stations["b"].pk})
    assert response.status_code == 302
    assert Stay.objects.get().station == stations["b"]
