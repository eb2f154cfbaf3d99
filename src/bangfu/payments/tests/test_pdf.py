"""The month's payroll sheet as a PDF (issue 17): the county bureau's name, a number from its
counter kept on re-download, each recipient with the amount, the total, the seal place; a township
reads its own lines only. Skipped, with the reason, on a machine without Debian's Chinese fonts
(CI installs them through scripts/ensure-fonts)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.common.pdf import unavailable_reason

from .conftest import give_account

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(bool(unavailable_reason()), reason="未安装中文字体或 WeasyPrint：运行 scripts/ensure-fonts")]

pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra: pip install -e '.[test]'")
D = dt.date


def _text(user, payroll) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("payments:payroll_pdf", args=[payroll.pk]))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox  # A4 across: 842 × 595 points
    assert sorted((round(float(box.width)), round(float(box.height)))) == [595, 842]
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_payroll_sheet_pdf(county, users, dibao_a, dibao_b):
    """February 2026: A 600.00 + B 450.00 = 1,050.00 元 in 2 lines; the first number of 瑶海区民政局."""
    from bangfu.cases.models import IssuedDocument
    from bangfu.payments import services

    # given
    give_account(county, dibao_a)
    give_account(county, dibao_b)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    # when
    text = _text(county, payroll)
    # then
    document = IssuedDocument.objects.get(kind="payroll")
    number = f"瑶海民救〔{document.issued_on.year}〕1号"
    assert document.document_number == number and number in text
    assert "瑶海区民政局（盖章）" in text and "盖章处" in text and "2026年2月" in text
    assert "张伟" in text and "王芳" in text and "600.00" in text and "450.00" in text
    assert "合计2笔" in text and "1,050.00" in text and "****5670" in text
    assert "6222020200012345670" not in text
    # downloaded again: the same number, no new one
    assert number in _text(county, payroll) and IssuedDocument.objects.count() == 1


def test_township_sheet_has_its_own_lines_only(county, users, dibao_a, dibao_b):
    from bangfu.payments import services

    give_account(county, dibao_a)
    give_account(county, dibao_b)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    text = _text(users["township_a"], payroll)
    assert "张伟" in text and "王芳" not in text and "合计1笔" in text and "600.00" in text


def test_payroll_page_links_the_pdf(county, dibao_a):
    from bangfu.payments import services

    give_account(county, dibao_a)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    client = Client()
    client.force_login(county)
    html = client.get(reverse("payments:payroll", args=[payroll.pk])).content.decode()
    assert reverse("payments:payroll_pdf", args=[payroll.pk]) in html and "下载 PDF" in html


def test_county_sheet_by_township_and_the_size_limit(county, users, dibao_a, dibao_b, monkeypatch):
    from bangfu.payments import pdf, services

    give_account(county, dibao_a)
    give_account(county, dibao_b)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    client = Client()
    client.force_login(county)
    url = reverse("payments:payroll_pdf", args=[payroll.pk])
    # one township of the county: its lines only (王芳 lives in the other township)
    town = next(iter(pdf.sheet_lines(county, payroll).filter(person__name="张伟").values_list("township", flat=True)))
    response = client.get(url, {"township": town})
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages))
    assert "张伟" in text and "王芳" not in text and "合计1笔" in text
    assert client.get(url, {"township": "340102999000"}).status_code == 404
    # a sheet above the limit is refused, saying how to get it
    monkeypatch.setattr(pdf, "MAX_LINES", 1)
    response = client.get(url)
    assert response.status_code == 413 and "请在花名册页面按乡镇（街道）下载 PDF" in response.content.decode()
