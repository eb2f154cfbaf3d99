"""The monthly statistics pages (issue 16): the role × region matrix from reports/permissions.py,
the table with its drill-down, the lists (scoped, masked), the Excel exports (filed layout, logged),
the command, and English mode."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bangfu.common.models import AccessLog
from bangfu.reports import permissions as p
from bangfu_testing import english, matrix
from bangfu_testing.english import EN, assert_no_cjk

pytestmark = pytest.mark.django_db
D = dt.date
VILLAGE_A = "340102001001"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _list_entry(user, world):
    """The list behind village A's urban dibao persons (张伟's household): outside the region 404."""
    return _client(user).get(reverse("reports:figure_list"), {"region": VILLAGE_A, "month": "2026-03", "figure": "dibao_urban_persons"})


ENTRIES = {p.VIEW_REPORTS: _list_entry}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("reports", ENTRIES)


@pytest.mark.parametrize("action, role", matrix.cases("reports"))
def test_matrix(action, role, regions, book):
    inside, outside = matrix.actors(regions, role)
    matrix.check("reports", action, role, ENTRIES, book, inside, outside)


def test_monthly_page_drills_down_and_links_each_figure(users, book):
    client = _client(users["county"])
    page = client.get(reverse("reports:monthly"), {"month": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "明光路街道" in html and "大兴镇" in html  # the townships are the rows
    assert "?region=340102001000&amp;month=2026-03" in html  # a row drills down one level
    assert "figure=dibao_rural_persons" in html and "figure=cases_overdue" in html
    town = client.get(reverse("reports:monthly"), {"month": "2026-03", "region": "340102001"}).content.decode()
    assert "胜利社区" in town and "长淮社区" in town and "大兴村" not in town


def test_february_says_there_was_no_payroll(users, book):
    html = _client(users["county"]).get(reverse("reports:monthly"), {"month": "2026-02"}).content.decode()
    assert "无花名册" in html


def test_a_township_sees_only_its_own(users, book):
    client = _client(users["township_a"])
    assert client.get(reverse("reports:monthly"), {"region": "340102002"}).status_code == 404
    assert client.get(reverse("reports:monthly"), {"region": "340102"}).status_code == 404
    own = client.get(reverse("reports:monthly"), {"month": "2026-03"})
    assert own.status_code == 200 and "胜利社区" in own.content.decode()
    assert client.get(reverse("reports:figure_list"), {"region": "340102002001", "month": "2026-03",
                                                        "figure": "dibao_rural_exited"}).status_code == 404
    assert client.get(reverse("reports:figure_list"), {"month": "2026-03", "figure": "no_such"}).status_code == 404


def test_list_is_masked(users, book):
    page = _client(users["county"]).get(reverse("reports:figure_list"), {"month": "2026-03", "figure": "dibao_urban_persons"})
    html = page.content.decode()
    h1 = book["h1"]
    assert "张*" in html and "李*" in html and "张伟" not in html
    for person in h1.members.all():
        assert person.id_number not in html
        assert person.id_number[-4:] in html


def test_table_export_in_filing_layout(users, book):
    response = _client(users["county"]).get(reverse("reports:monthly_export"), {"month": "2026-03"})
    assert response.status_code == 200
    book_ = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book_.worksheets[0]
    assert sheet["A1"].value == "瑶海区社会救助统计月报（2026-03）"
    assert sheet["B3"].value == "城市低保" and sheet["A3"].value == "区划"
    assert sheet["B4"].value == "户数\n户"
    headers = [c.value for c in sheet[4]]
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=5) if r[0].value}
    assert rows["合计"][headers.index("人数\n人")] == 2  # urban persons (the first 人数 column)
    assert rows["明光路街道"][headers.index("户数\n户")] == 1
    assert rows["合计"][headers.index("基本生活费支出\n元")] == 1500
    cases = book_.worksheets[1]
    assert [c.value for c in cases[5]][:2] == ["明光路街道", 2]  # C1 and C5 received in township A
    assert AccessLog.objects.filter(object_type="monthly_report", action="export").count() == 1


def test_list_export(users, book):
    response = _client(users["county"]).get(reverse("reports:figure_list_export"),
                                            {"month": "2026-03", "figure": "temp_emergency_persons"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(values) == 3 and all(v[0] == "长淮社区" for v in values)
    assert all("*" in v[3] for v in values)
    assert AccessLog.objects.filter(object_type="monthly_report_list").count() == 1


def test_command_writes_the_same_table(users, book, tmp_path):
    target = tmp_path / "report.xlsx"
    call_command("monthly_report", "--region", "340102", "--month", "2026-03", str(target), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet["A1"].value == "瑶海区社会救助统计月报（2026-03）"
    with pytest.raises(Exception):
        call_command("monthly_report", "--region", "340102", "--month", "2026-13", str(target), stdout=io.StringIO())


def test_menu_entry_only_for_allowed_roles(users, book):
    assert "统计月报" in _client(users["county"]).get("/", follow=True).content.decode()
    assert "统计月报" not in _client(users["partner"]).get("/", follow=True).content.decode()


def test_pages_in_english(users, book):
    from bangfu.benefits.masking import mask_name
    from bangfu.registry.models import Person

    data = english.data_strings([mask_name(n) for n in Person.objects.values_list("name", flat=True)])
    client = _client(users["county"])
    for url, params in ((reverse("reports:monthly"), {"month": "2026-03"}), (reverse("reports:monthly"), {"month": "2026-02"}),
                        (reverse("reports:figure_list"), {"month": "2026-03", "figure": "cases_received", "case_type": "dibao"}),
                        (reverse("reports:figure_list"), {"month": "2026-03", "figure": "dibao_urban_households"})):
        response = client.get(url, params, **EN)
        assert response.status_code == 200
        assert_no_cjk(response.content.decode(), data, url)
    export = client.get(reverse("reports:monthly_export"), {"month": "2026-03"}, **EN)
    assert_no_cjk(english.read_xlsx(export.content), data, "monthly export")
