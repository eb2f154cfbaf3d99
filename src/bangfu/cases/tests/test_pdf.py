"""Printed documents of cases as PDFs (issue 17): the text read back out of the PDF carries the
office's real name, the document number, the person's name, the amount and the seal place; the
number does not move when the same document is downloaded again; a new document of the same office
takes the next number. Skipped, with the reason, on a machine without Debian's Chinese fonts (CI
installs them through scripts/ensure-fonts)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from bangfu.cases.models import Case, IssuedDocument
from bangfu.common.pdf import unavailable_reason

from .conftest import DAY

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(bool(unavailable_reason()), reason="未安装中文字体或 WeasyPrint：运行 scripts/ensure-fonts")]

pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra: pip install -e '.[test]'")


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox  # A4: 595 × 842 points
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_approval_pdf_carries_office_number_name_amount_and_seal(client, flow, household_a, staff):
    """办法 §21: approved 17 June 2025, 2 × 880 = 1,760 元 a month; the county bureau's first number
    of 2025 (瑶海民救〔2025〕1号)."""
    # given
    case = flow.create(household_a, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    case = flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    # when
    text = _pdf_text(_get(client, staff["county"], "cases:decision_pdf", case.pk))
    # then
    assert "审批决定通知书" in text and "瑶海区民政局（盖章）" in text and "瑶海民救〔2025〕1号" in text
    assert household_a.head.name in text and "1,760.00" in text
    assert "盖章处" in text and "2025年6月17日" in text
    assert household_a.head.id_number not in text
    # a second download: the same number, and the counter did not move
    again = _pdf_text(_get(client, staff["county"], "cases:decision_pdf", case.pk))
    assert "瑶海民救〔2025〕1号" in again and "瑶海民救〔2025〕2号" not in again


def test_refusal_reduction_and_stop_pdfs(client, flow, household_a, staff):
    from bangfu.benefits import services as benefit_services
    from bangfu.cases import services

    refused = flow.create(household_a, today=DAY)
    flow.to_investigated(refused, DAY)
    flow.do(refused, "propose_rejection", "township_a", DAY, comment="存款超标")
    refused = flow.do(refused, "reject", "county", DAY, comment="家庭存款超过当地规定")
    text = _pdf_text(_get(client, staff["county"], "cases:decision_pdf", refused.pk))
    assert "不予批准通知书" in text and "家庭存款超过当地规定" in text and "瑶海民救〔2025〕1号" in text

    benefit = benefit_services.benefit_grant(acting_user=staff["county"], household=household_a, programme="dibao",
                                             monthly_amount_fen=100000, approved_on=dt.date(2025, 5, 20), case_id=None,
                                             review_class="A")

    def change(proposal, **data):
        case = services.benefit_case_open(acting_user=staff["township_a"], benefit=benefit, case_type="benefit_change",
                                          today=dt.date(2025, 6, 16))
        flow.do(case, "record_findings", "township_a", dt.date(2025, 6, 16), proposal=proposal, **data)
        return flow.do(case, "decide", "county", dt.date(2025, 6, 20), comment="经县级审核")

    lowered = change("lower", amount_fen=60000, comment="务工收入增加")
    text = _pdf_text(_get(client, staff["county"], "cases:decision_pdf", lowered.pk))
    # 1,000 → 600 元 from July (decided 20 June, 办法 §21 applied to a change); the next number
    assert "减发通知书" in text and "1,000.00" in text and "600.00" in text and "瑶海民救〔2025〕2号" in text
    stopped = change("stop", comment="家庭人均收入高于当地低保标准")
    text = _pdf_text(_get(client, staff["county"], "cases:decision_pdf", stopped.pk))
    assert "停发通知书" in text and "瑶海民救〔2025〕3号" in text and household_a.head.name in text


def test_receipt_pdf_numbers_a_staff_case_once(client, flow, household_a, staff):
    # given a case entered by the village worker: no receipt number yet
    case = flow.create(household_a, today=DAY)
    assert not Case.objects.get(pk=case.pk).receipt_number
    # when its receipt is downloaded twice
    first = _pdf_text(_get(client, staff["township_a"], "cases:receipt_pdf", case.pk))
    number = Case.objects.get(pk=case.pk).receipt_number
    second = _pdf_text(_get(client, staff["township_a"], "cases:receipt_pdf", case.pk))
    # then it carries the township's name, the applicant, the receipt number, kept between downloads
    assert number and number in first and number in second
    assert "社会救助申请回执" in first and "明光路街道办事处" in first and "盖章处" in first
    assert household_a.head.name in first and "2025年6月9日" in first
    assert case.events.filter(action="receipt_issued").count() == 1


def test_village_notice_is_one_list_with_one_number(client, flow, household_a, staff, regions):
    from bangfu.registry.services import household_create
    from bangfu_testing.factories import person_data

    # given applications of two households of village A on notice
    neighbour = household_create(acting_user=staff["village_a"], region_id=regions["village_a"].pk, address="胜利路2号",
                                 members=[person_data("欧阳晓燕", "head", sex="F")])
    cases = []
    for household in (household_a, neighbour):
        case = flow.create(household, today=DAY)
        flow.to_investigated(case, DAY)
        cases.append(flow.do(case, "propose_approval", "township_a", DAY))
    code = household_a.region_code
    # when the township downloads the village's list, twice
    first = _pdf_text(_get(client, staff["township_a"], "cases:village_notice_pdf", code))
    second = _pdf_text(_get(client, staff["township_a"], "cases:village_notice_pdf", code))
    # then one list, both rows, the township's office and its first number, unchanged the second time
    document = IssuedDocument.objects.get(kind="village_notice")
    assert document.issuing_office == "明光路街道办事处" and document.document_number == f"明光路民救〔{document.issued_on.year}〕1号"
    assert document.document_number in first and document.document_number in second
    assert household_a.head.name in first and "欧阳晓燕" in first and "盖章处" in first and "明光路街道办事处" in first
    assert household_a.head.id_number not in first
    # a list with another set of applications is a new document: the next number
    flow.do(cases[0], "end_notice", "township_a", DAY + dt.timedelta(days=7))
    third = _pdf_text(_get(client, staff["township_a"], "cases:village_notice_pdf", code))
    assert f"明光路民救〔{document.issued_on.year}〕2号" in third and IssuedDocument.objects.count() == 2
    assert "欧阳晓燕" in third and household_a.head.name not in third


def test_village_notice_of_another_township_is_not_found(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    flow.do(case, "propose_approval", "township_a", DAY)
    assert _get(client, staff["township_b"], "cases:village_notice_pdf", household_a.region_code).status_code == 404
    assert _get(client, staff["township_b"], "cases:village_notice", household_a.region_code).status_code == 404
    assert _get(client, staff["township_b"], "cases:village_notice", "not-a-code").status_code == 404
    assert not IssuedDocument.objects.exists()


def test_print_views_link_their_pdf(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    html = _get(client, staff["township_a"], "cases:receipt_print", case.pk).content.decode()
    assert reverse("cases:receipt_pdf", args=[case.pk]) in html and "下载 PDF" in html
    page = _get(client, staff["township_a"], "cases:case_detail", case.pk).content.decode()
    assert reverse("cases:receipt_pdf", args=[case.pk]) in page


def test_missing_font_answers_a_clear_message(client, flow, household_a, staff, monkeypatch):
    from bangfu.common import pdf

    monkeypatch.setattr(pdf, "KNOWN_FONTS", ())
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    case = flow.create(household_a, today=DAY)
    response = _get(client, staff["township_a"], "cases:receipt_pdf", case.pk)
    assert response.status_code == 503 and "未安装中文字体" in response.content.decode()
