"""Browser test of the case inbox's filters (issue 17): a county officer filters by township and
overdue (htmx updates the table and the address bar), pages forward, and finds a case by its
receipt number. Playwright with Debian's Chromium."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from bangfu_testing.browser import SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def inbox_world(transactional_db):
    from bangfu.accounts.choices import Role
    from bangfu.cases.choices import CaseState as S
    from bangfu.cases.models import Case, Level
    from bangfu_testing.counties import two_counties
    from bangfu_testing.factories import make_id_number, make_user

    two = two_counties()
    today = timezone.localdate()
    rows = []
    # 新安镇: 52 overdue cases (two pages) and 3 due later; 半塔镇: 2 overdue; 全椒县: 1 overdue
    for i in range(52):
        rows.append((two["xinan_v1" if i % 2 else "xinan_v2"], f"新安{i:02d}", today - dt.timedelta(days=60 - i), f"BFXA{i:08d}"))
    for i in range(3):
        rows.append((two["xinan_v1"], f"未超{i}", today + dt.timedelta(days=5 + i), None))
    for i in range(2):
        rows.append((two["banta_v1"], f"半塔{i}", today - dt.timedelta(days=3), None))
    rows.append((two["xianghe_v1"], "全椒", today - dt.timedelta(days=3), None))
    Case.objects.bulk_create([
        Case(case_type="dibao", state=S.AWAITING_DECISION, waits_for=Level.COUNTY, region_code=village.code, applicant_name=name,
             applicant_id_number=make_id_number(area="341122", seq=n % 400), applied_on=today - dt.timedelta(days=90), due_date=due,
             receipt_number=receipt)
        for n, (village, name, due, receipt) in enumerate(rows)])
    return {"two": two, "county": make_user("county_laian", Role.COUNTY_OFFICER, two["laian"])}


def test_filter_by_township_and_overdue_page_forward_and_find_a_receipt(new_page, inbox_world):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, inbox_world["county"])
    page.goto("/cases/")
    table = page.locator("#inbox-table tbody tr")
    expect(table).to_have_count(50)  # the first page of 57 open cases of 来安县
    xinan = inbox_world["two"]["xinan"].code

    page.get_by_label("乡镇（街道）").select_option(label="新安镇")
    expect(page).to_have_url(re.compile(f"township={xinan}"))
    page.get_by_label("只看超期").check()
    expect(page).to_have_url(re.compile("overdue=on"))
    expect(table).to_have_count(50)
    expect(page.locator("#inbox-table")).to_contain_text("新安镇 · ")
    expect(page.locator("#inbox-table")).not_to_contain_text("半塔")
    expect(page.locator("#inbox-table")).not_to_contain_text("未超")
    expect(page.locator("#inbox-table tbody tr").first).to_contain_text("新安00")  # oldest deadline first

    page.get_by_role("link", name="下一页 »").click()
    expect(table).to_have_count(2)
    expect(page.locator("#inbox-table")).to_contain_text("新安50")
    expect(page.locator("#inbox-table")).to_contain_text("新安51")
    expect(page).to_have_url(re.compile("after="))
    page.screenshot(path=str(SCREENSHOTS / "bangfu_case_inbox_filtered.png"), full_page=True)

    page.get_by_label("姓名、身份证号或回执号").fill("BFXA00000007")
    expect(table).to_have_count(1)
    expect(page.locator("#inbox-table")).to_contain_text("新安07")
    # the filtered list is a link: opening the address shows the same rows
    url = page.url
    other = new_page()
    log_in(other, inbox_world["county"])
    other.goto(url)
    expect(other.locator("#inbox-table tbody tr")).to_have_count(1)
    expect(other.get_by_label("只看超期")).to_be_checked()
