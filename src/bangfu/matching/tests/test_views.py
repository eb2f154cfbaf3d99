"""Pages and API of the matching app: the upload → mapping → job flow, review with one click,
findings with their case link and export, and region scoping through every page (issue 5)."""

import io

import pytest
from python_calamine import CalamineWorkbook

from bangfu.common.models import AccessLog
from bangfu.matching.choices import FindingKind, LinkStatus
from bangfu.matching.models import ColumnMapping, Finding, ImportBatch, ListRow

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def upload_death_list(client, people, rows=None, header=("身份证号", "姓名", "死亡日期")):
    ids = people["ids"]
    rows = rows or [[ids["zhang"], "张伟", "2025-05-20"], [ids["li"], "刘德华", "2025-05-20"]]
    data = csv_bytes(list(header), rows)
    data.name = "death.csv"
    response = client.post("/matching/import/", {"kind": "death", "source": "区公安分局", "source_date": "2025-06-01", "complete": "partial", "file": data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_upload_mapping_and_job_create_a_batch(client, users, people):
    login(client, users["county"])
    mapping_url = upload_death_list(client, people)
    page = client.get(mapping_url)
    assert page.status_code == 200 and "确认列对应" in page.content.decode()
    response = client.post(mapping_url, {"id_number": "身份证号", "name": "姓名", "death_date": "死亡日期"})
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    assert "比对完成" in job_page
    batch = ImportBatch.objects.get()
    assert batch.counts["rows"] == 2 and ColumnMapping.objects.filter(kind="death").exists()
    assert client.get(f"/matching/batches/{batch.pk}/").status_code == 200


def test_a_wrong_file_is_refused_on_the_upload_page(client, users):
    login(client, users["county"])
    bad = io.BytesIO(b"\x00\x01garbage")
    bad.name = "x.xlsx"
    response = client.post("/matching/import/", {"kind": "death", "source": "x", "source_date": "2025-06-01", "complete": "partial", "file": bad})
    assert response.status_code == 200 and "无法读取该文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_review_accepts_with_one_click_and_scoping_hides_other_villages(client, users, people):
    login(client, users["county"])
    mapping_url = upload_death_list(client, people)
    client.post(mapping_url, {"id_number": "身份证号", "name": "姓名", "death_date": "死亡日期"})
    row = ListRow.objects.get(link_status=LinkStatus.REVIEW)
    client.force_login(users["village_b"])
    assert "刘德华" not in client.get("/matching/review/").content.decode()
    assert client.post(f"/matching/review/{row.pk}/", {"decision": "accept"}).status_code == 404
    client.force_login(users["village_a"])
    assert "刘德华" in client.get("/matching/review/").content.decode()
    response = client.post(f"/matching/review/{row.pk}/", {"decision": "accept"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已匹配" in response.content.decode()
    assert Finding.objects.filter(kind=FindingKind.DECEASED_RECIPIENT, person=people["persons"]["li"]).exists()


def test_findings_pages_case_link_and_masked_export(client, users, people):
    login(client, users["county"])
    client.post(upload_death_list(client, people), {"id_number": "身份证号", "name": "姓名", "death_date": "死亡日期"})
    finding = Finding.objects.get(kind=FindingKind.DECEASED_RECIPIENT)
    client.force_login(users["village_b"])
    assert client.get(f"/matching/findings/{finding.pk}/").status_code == 404
    assert "张伟" not in client.get("/matching/findings/").content.decode()
    client.force_login(users["village_a"])
    assert "张伟" in client.get("/matching/findings/").content.decode()
    assert client.get(f"/matching/findings/{finding.pk}/").status_code == 200
    response = client.post(f"/matching/findings/{finding.pk}/case/")
    assert response.status_code == 302 and f"origin=matching:{finding.pk}" in response["Location"]
    client.force_login(users["township_a"])
    export = client.get("/matching/findings/export/?kind=deceased_recipient")
    assert export.status_code == 200
    rows = CalamineWorkbook.from_object(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[1][2] == "张伟" and "*" in rows[1][3]  # township officers export masked numbers
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, user=users["township_a"]).exists()


def test_not_covered_shows_the_engine_judgement(client, users, people):
    login(client, users["county"])
    stranger = "340102198803030036"
    data = csv_bytes(["身份证号", "姓名", "残疾类别", "残疾等级"], [[stranger, "陌生人", "视力", "1"]])
    data.name = "d.csv"
    location = client.post("/matching/import/", {"kind": "disability", "source": "区残联", "source_date": "2025-06-01", "complete": "partial", "file": data})["Location"]
    client.post(location, {"id_number": "身份证号", "name": "姓名", "disability_type": "残疾类别", "disability_grade": "残疾等级"})
    finding = Finding.objects.get(kind=FindingKind.NOT_COVERED, name="陌生人")
    page = client.get(f"/matching/findings/{finding.pk}/").content.decode()
    assert "政策测评的初步判断" in page
    finding.refresh_from_db()
    assert "judgement" in finding.detail


def test_permissions(client, users):
    client.force_login(users["village_a"])
    assert client.get("/matching/import/").status_code == 403
    assert client.get("/matching/").status_code == 200
    client.force_login(users["partner"])
    assert client.get("/matching/import/").status_code == 403
    assert client.get("/matching/template/disability/").status_code == 200


def test_api_lists_scoped_findings(client, users, people):
    login(client, users["county"])
    client.post(upload_death_list(client, people), {"id_number": "身份证号", "name": "姓名", "death_date": "死亡日期"})
    data = client.get("/api/matching/findings").json()
    assert [i["name"] for i in data["items"]] == ["张伟"] and "*" in data["items"][0]["id_number"]
    client.force_login(users["village_b"])
    assert client.get("/api/matching/findings").json()["items"] == []
