"""Browser test of the main matching flow (issue 5): a county officer uploads a death list,
confirms the columns, a village worker accepts the proposed link with one click (htmx) and sees
the finding. Playwright with Debian's Chromium; skipped without it (a failure under CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bangfu_testing.browser import log_in



pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_confirm_columns_review_and_finding(page, users, people, tmp_path: Path):
    from playwright.sync_api import expect

    ids = people["ids"]
    path = tmp_path / "死亡名单.csv"
    path.write_text(f"公民身份号码,姓名,死亡日期\n{ids['zhang']},张伟,2025-05-20\n{ids['li']},刘德华,2025-05-21\n", encoding="utf-8")
    log_in(page, users["county"])
    page.goto("/matching/")
    page.get_by_role("link", name="＋ 导入外部名单").click()
    page.get_by_label("名单种类").select_option("death")
    page.get_by_label("数据来源").fill("区公安分局")
    page.get_by_label("数据日期").fill("2025-06-01")
    page.get_by_label("增量：只是其中一部分（如本月新增）").check()
    page.get_by_label("名单文件").set_input_files(str(path))
    page.get_by_role("button", name="下一步：确认列对应").click()
    expect(page.get_by_role("heading", name="确认列对应")).to_be_visible()
    expect(page.get_by_label("身份证号")).to_have_value("公民身份号码")  # recognised header
    page.get_by_role("button", name="开始比对").click()
    expect(page.get_by_role("heading", name="比对完成")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, users["village_a"])
    page.goto("/matching/review/")
    row = page.locator("tr", has_text="刘德华")
    row.get_by_role("button", name="是同一人").click()
    expect(page.locator("td.ok")).to_contain_text("已匹配")
    page.goto("/matching/findings/?kind=deceased_recipient")
    expect(page.locator("table")).to_contain_text("李娜")
    expect(page.locator("table")).to_contain_text("张伟")
    page.get_by_role("link", name="李娜").click()
    expect(page.get_by_role("button", name="立案办理")).to_be_visible()
