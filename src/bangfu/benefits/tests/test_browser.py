"""Browser test of the benefits pages: Playwright driving Debian's Chromium against the live
server (fixtures as in registry/tests/test_browser.py). Run with `pytest -m browser`."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bangfu_testing.browser import log_in



pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_officer_sees_due_reviews_publication_and_the_household_benefit(page, users, household_a, household_b):
    """A benefit granted a year ago is due; the officer finds it in the worklist under its office,
    selects all of the office, sees the masked publication, and the household page shows the benefit."""
    from playwright.sync_api import expect

    from bangfu.benefits import services
    from bangfu.benefits.choices import Programme

    today = dt.date.today()
    year_ago = today - dt.timedelta(days=370)
    services.benefit_grant(acting_user=users["county"], household=household_a, programme=Programme.DIBAO, monthly_amount_fen=61250,
                   approved_on=year_ago, case_id=None, review_class="A")
    services.benefit_grant(acting_user=users["county"], household=household_b, programme=Programme.DIBAO, monthly_amount_fen=30000,
                   approved_on=today, case_id=None, review_class="B")
    log_in(page, users["county"])
    page.get_by_role("link", name="待遇与复核").click()
    expect(page.get_by_role("heading", name="到期复核")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("明光路街道"))
    expect(section).to_contain_text("张伟")
    expect(section).to_contain_text("612.50")
    expect(page.get_by_role("region", name=re.compile("大兴镇"))).to_have_count(0)  # due in 6 months: not listed
    section.locator("input[data-check-all]").check()
    expect(section.locator('input[name="benefit"]').first).to_be_checked()

    page.get_by_role("link", name="保障对象公示").click()
    table = page.locator("table.data")
    expect(table).to_contain_text("张*")
    expect(table).not_to_contain_text("张伟")
    page.get_by_label("地区").select_option(label="　大兴村")
    page.get_by_role("button", name="查询").click()
    # household B's benefit starts next month: not yet published this month
    expect(table).to_contain_text("该月没有保障对象")

    page.goto(f"/registry/households/{household_a.pk}/")
    benefits = page.locator("#benefits")
    expect(benefits).to_contain_text("低保")
    expect(benefits).to_contain_text("批准享受")
    expect(benefits).to_contain_text("612.50")
