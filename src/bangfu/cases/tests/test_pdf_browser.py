"""Browser test of issue 17 "Done when … a PDF (its text extracted and checked)": the county officer
opens a decided case, clicks "下载 PDF" beside the decision, and the downloaded file is a PDF whose
text carries the bureau's name, the document number, the applicant and the amount."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from bangfu.common.pdf import unavailable_reason
from bangfu_testing.browser import log_in

from .conftest import DAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(bool(unavailable_reason()), reason="未安装中文字体或 WeasyPrint：运行 scripts/ensure-fonts")]

pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra: pip install -e '.[test]'")


def test_decision_pdf_downloads_from_the_case_page(new_page, flow, staff, household_a):
    # given an approved case: 2 × 880 = 1,760 元 a month (办法 §21), the bureau's first number
    case = flow.create(household_a, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    case = flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    page = new_page()
    log_in(page, staff["county"])
    page.goto(f"/cases/{case.pk}/")
    # when the officer clicks the PDF link of the decision
    with page.expect_download() as info:
        page.locator("#decision-pdf").click()
    download = info.value
    # then the file is the decision letter, named after it, with its text
    assert download.suggested_filename == "审批决定通知书-瑶海民救〔2025〕1号.pdf"
    with open(download.path(), "rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    assert "瑶海区民政局" in text and "瑶海民救〔2025〕1号" in text and "盖章处" in text
    assert household_a.head.name in text and "1,760.00" in text
