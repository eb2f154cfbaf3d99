"""English mode (issue 11): with households in two villages and lists imported by an officer using
English, the matching pages (upload, mapping, job, batch, review, findings), refused files and
actions, the exports and the API show no Chinese outside data (names, addresses, region names, and
what the imported file itself says: its column headers, source and cells)."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from bangfu_testing import english
from bangfu_testing.english import EN, api_text, assert_no_cjk, read_xlsx
from bangfu.common.errors import DomainError
from bangfu.matching import services
from bangfu.matching.choices import FindingKind, LinkStatus
from bangfu.matching.models import Finding, ImportBatch, ListRow
from bangfu.matching.reader import ListFileError, parse, read_table

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db
DEATH_HEADER = ["身份证号", "姓名", "死亡日期"]  # the columns of the police's file (data: the file's own words)
DISABILITY_HEADER = ["身份证号", "姓名", "残疾类别", "残疾等级"]
SOURCE = "区公安分局"
CELLS = ["张伟", "刘德华", "孙大圣", "昨天", "陌生人", "视力", "地址", "胜利路1号"]  # what the test's files hold


def data_strings() -> set[str]:
    """The data of the test database, and what the imported files say: the rows' names and cells,
    the batches' sources, the files' column headers and what the test's files hold."""
    data = set(DEATH_HEADER) | set(DISABILITY_HEADER) | {SOURCE} | set(CELLS)
    data |= set(ListRow.objects.values_list("name", flat=True))
    for row in ListRow.objects.values_list("data", flat=True):
        data |= {str(v) for v in (row or {}).values()}
    data |= set(ImportBatch.objects.values_list("source", flat=True))
    return english.data_strings(data)


def import_list(client, kind: str, header: list[str], rows: list[list], mapping: dict[str, str]) -> str:
    """Upload and confirm a list as a user of the English interface; returns the job page's url."""
    data = csv_bytes(header, rows)
    data.name = f"{kind}.csv"
    response = client.post("/matching/import/", {"kind": kind, "source": SOURCE, "source_date": "2025-06-01", "complete": "partial", "file": data}, **EN)
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping_page = client.get(response["Location"], **EN)
    assert mapping_page.status_code == 200
    response = client.post(response["Location"], mapping, **EN)
    assert response.status_code == 302
    return response["Location"], mapping_page.content.decode()


@pytest.fixture
def imported(client, users, people):
    """A death list (a recipient died; a stranger needs review; a bad ID number and date) and a
    disability list (a stranger not covered), imported by the county officer in English."""
    ids = people["ids"]
    client.force_login(users["county"])
    death_job, mapping_page = import_list(client, "death", DEATH_HEADER,
                                          [[ids["zhang"], "张伟", "2025-05-20"], [ids["li"], "刘德华", "2025-05-20"],
                                           ["1.2345E+17", "孙大圣", "昨天"], ["", "", ""]],
                                          {"id_number": "身份证号", "name": "姓名", "death_date": "死亡日期"})
    disability_job, _page = import_list(client, "disability", DISABILITY_HEADER, [["340102198803030036", "陌生人", "视力", "1"]],
                                        {"id_number": "身份证号", "name": "姓名", "disability_type": "残疾类别",
                                         "disability_grade": "残疾等级"})
    return {"death_job": death_job, "disability_job": disability_job, "mapping_page": mapping_page}


def test_matching_pages_in_english(client, users, people, imported):
    data = data_strings()
    assert_no_cjk(imported["mapping_page"], data)
    client.force_login(users["county"])
    batch = ImportBatch.objects.get(kind="death")
    finding_pages = [f"/matching/findings/{f.pk}/" for f in Finding.objects.all()]
    for url in ("/matching/", "/matching/import/", imported["death_job"], imported["disability_job"],
                imported["death_job"] + "progress/", f"/matching/batches/{batch.pk}/", "/matching/review/",
                "/matching/findings/", "/matching/findings/?kind=deceased_recipient", *finding_pages):
        response = client.get(url, **EN)
        assert response.status_code == 200, url
        assert_no_cjk(response.content.decode(), data)
    assert Finding.objects.filter(kind=FindingKind.DECEASED_RECIPIENT).exists()
    assert Finding.objects.filter(kind=FindingKind.NOT_COVERED).exists()


def test_matching_exports_in_english(client, users, people, imported):
    data = data_strings()
    client.force_login(users["county"])
    response = client.get("/matching/findings/export/", **EN)
    assert response.status_code == 200
    assert_no_cjk(response["Content-Disposition"] + "\n" + read_xlsx(response.content), data)
    response = client.get("/matching/template/disability/", **EN)
    assert response.status_code == 200
    assert_no_cjk(response["Content-Disposition"], data)
    # the list back to the department (issue 12): outcome words, methods, refusal reasons
    batch = ImportBatch.objects.get(kind="death")
    assert ListRow.objects.filter(batch=batch, link_status=LinkStatus.REFUSED).exists()
    response = client.get(f"/matching/batches/{batch.pk}/export/", **EN)
    assert response.status_code == 200
    assert_no_cjk(response["Content-Disposition"] + "\n" + read_xlsx(response.content), data)


def test_refused_files_and_actions_in_english(client, users, people, imported):
    data = data_strings()
    client.force_login(users["county"])
    # files the upload page refuses
    for name, content in (("list.doc", b"x"), ("list.csv", b""), ("list.csv", b"\x00\x01\x02binary"), ("list.xlsx", b"not a zip"),
                          ("list.csv", "地址\n胜利路1号\n".encode())):
        upload = io.BytesIO(content)
        upload.name = name
        response = client.post("/matching/import/", {"kind": "death", "source": "", "source_date": "2099-01-01", "file": upload}, **EN)
        assert response.status_code in (200, 400), name
        assert_no_cjk(response.content.decode(), data)
    # a mapping that leaves out a required column
    upload = csv_bytes(DEATH_HEADER, [["", "刘德华", "2025-05-20"]])
    upload.name = "death.csv"
    location = client.post("/matching/import/", {"kind": "death", "source": SOURCE, "source_date": "2025-06-01", "complete": "partial", "file": upload}, **EN)["Location"]
    response = client.post(location, {"id_number": "身份证号", "name": "姓名"}, **EN)
    assert response.status_code in (200, 400)
    assert_no_cjk(response.content.decode(), data)
    # actions refused: a finding excluded without a reason, a match decided twice, a batch withdrawn without a reason
    finding = Finding.objects.filter(kind=FindingKind.DECEASED_RECIPIENT).first()
    row = ListRow.objects.filter(link_status=LinkStatus.REVIEW).first()
    batch = ImportBatch.objects.get(kind="death")
    for url, post in ((f"/matching/findings/{finding.pk}/status/", {"status": "excluded", "reason": ""}),
                      (f"/matching/review/{row.pk}/", {"decision": "accept"}), (f"/matching/review/{row.pk}/", {"decision": "accept"}),
                      (f"/matching/batches/{batch.pk}/withdraw/", {"reason": ""})):
        response = client.post(url, post, **EN)
        assert response.status_code in (200, 302, 400, 409), url
        assert_no_cjk(response.content.decode(), data)


def test_reader_and_service_refusals_in_english(users, people):
    from bangfu.matching.models import kind_by_code

    data = data_strings()
    with translation.override("en"):
        table = read_table(csv_bytes(["身份证号", "姓名", "死亡日期"], [["1.2345E+17", "", "昨天"], ["", "", ""]]), filename="d.csv")
        parsed = parse(table, kind_by_code("death"))
        assert parsed.bad_rows
        for bad in parsed.bad_rows:
            assert_no_cjk(bad["reason"], data)
        for rows in ([["身份证号"]], [["地址"], ["x"]], []):
            with pytest.raises(ListFileError) as refused:
                parse(rows, kind_by_code("death"))
            assert_no_cjk(str(refused.value), data)
        for call in (lambda: services.list_import(acting_user=users["county"], kind="nonsense", source="x", source_date=None, parsed=parsed),
                     lambda: services.list_import(acting_user=users["village_a"], kind="death", source="x", source_date=None, parsed=parsed)):
            with pytest.raises(DomainError) as refused:  # MatchingError, or NotPermitted for the village worker
                call()
            assert_no_cjk(str(refused.value), data)


def test_matching_api_in_english(client, users, people, imported):
    data = data_strings()
    row = ListRow.objects.filter(link_status=LinkStatus.REVIEW).first()
    for user, method, url, body in ((users["county"], "get", "/api/matching/findings", None),
                                    (users["partner"], "get", "/api/matching/findings", None),
                                    (users["village_a"], "post", f"/api/matching/rows/{row.pk}/decision", {"decision": "accept"}),
                                    (users["county"], "post", f"/api/matching/rows/{row.pk}/decision", {"decision": "accept"}),
                                    (users["county"], "post", f"/api/matching/rows/{row.pk}/decision", {"decision": "accept"})):
        assert_no_cjk(api_text(client, user, url, method, body), data)
