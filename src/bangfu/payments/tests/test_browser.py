"""Browser test of the payments pages (issue 15 "Done when"): a county's month from the build to the
money in the ledger, each step by the person the rules allow, through the pages only.

Hand-computed: February 2026 pays 张伟 (household A, township A) 600.00 and 王芳 (household B,
township B) 450.00 = 1,050.00 in 2 lines. 王芳's account is in her husband's name (李娜 as typed)
with no agent recorded, so her line is held (户名非本人). Another county officer releases it with a
reason and approves (the builder may not); the bank file pays both; the bank returns 王芳 failed
(E03 户名不符): paid 1 (600.00), failed 1 (450.00). The county corrects her account, the
supplementary batch pays 450.00 in 1 line, the bank returns it paid; the ledger's paid for 2026 is
600.00 + 450.00 = 1,050.00 (funds.py: paid = Σ lines returned paid). Run with `pytest -m browser`."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bangfu_testing.browser import log_in

from .conftest import give_account
from .test_bank import _return_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_B = "6222020200077776660"  # 王芳's corrected card (Luhn check digit valid)


def _patient(new_page):
    """A page that waits longer than the default: this test's steps run the whole month's work (a
    build, a bank file, a return) on a machine shared by several test runs."""
    page = new_page()
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    return page


def _facts(page) -> dict[str, str]:
    facts = {}
    for item in page.locator("dl.facts > div").all():
        facts[item.locator("dt").inner_text().strip()] = item.locator("dd").inner_text().strip()
    return facts


def _message(page, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".messages")).to_contain_text(text)


def _download(page, bank: str = "rcb_gbk_pipe") -> bytes:
    page.locator("#bank-file").select_option(bank)
    with page.expect_download() as info:
        page.get_by_role("button", name="生成代发文件").click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def _import_return(page, data: bytes, bank: str = "rcb_gbk_pipe") -> None:
    page.locator("#bank-return").select_option(bank)
    page.locator("#return-file").set_input_files({"name": "回盘.txt", "mimeType": "text/plain", "buffer": data})
    page.get_by_role("button", name="导入回盘").click()


def _refs(data: bytes) -> dict[str, str]:
    """Line reference → the recipient's name, from the 农商行 file (ref in column 6, name in 3)."""
    rows = [r.split("|") for r in data.decode("gbk").split("\r\n")[1:] if r]
    return {r[5]: r[2] for r in rows}


def test_a_month_from_build_to_the_ledger(new_page, users, county, county2, township_b, dibao_a, dibao_b):
    from playwright.sync_api import expect

    from bangfu.payments.models import PaymentAccount, Payroll

    give_account(county, dibao_a)
    account_b = give_account(county, dibao_b, number="6222020200099998888")
    PaymentAccount.objects.filter(pk=account_b.pk).update(holder_name="李娜", holder_relation="spouse")  # as an import left it

    # 1. the county builds February: 2 lines, 1,050.00, 1 held
    builder = _patient(new_page)
    log_in(builder, county, "/payments/")
    builder.get_by_label("发放月份").fill("2026-02")
    builder.get_by_role("button", name="生成花名册").click()
    _message(builder, "已生成花名册：2笔，其中1笔有疑点暂停发放")
    facts = _facts(builder)
    assert (facts["笔数"], facts["金额合计（元）"], facts["暂停笔数"]) == ("2", "1,050.00", "1")
    held_row = builder.locator("table.lines tbody tr", has_text="王芳")
    expect(held_row).to_contain_text("户名")
    expect(held_row).to_contain_text("暂停")
    expect(builder.locator("form.release")).to_have_count(0)  # the builder cannot release
    payroll = Payroll.objects.get()
    url = f"/payments/payrolls/{payroll.pk}/"

    # 2. each township checks its own lines
    for officer in (users["township_a"], township_b):
        town = _patient(new_page)
        log_in(town, officer, url)
        town.get_by_role("button", name="本乡镇审核通过").click()
        _message(town, "已记录本乡镇审核")
    builder.goto(url)
    expect(builder.locator(".payroll-state")).to_have_text("乡镇已审核")
    expect(builder.get_by_role("button", name="县级审批")).to_have_count(0)  # four eyes: not the builder

    # 3. another county officer releases the held line with a reason, then approves
    approver = _patient(new_page)
    log_in(approver, county2, url)
    approver.get_by_role("button", name="县级审批").click()
    _message(approver, "还有1笔疑点未核查放行，不能审批")
    row = approver.locator("table.lines tbody tr", has_text="王芳")
    row.get_by_label("放行理由").fill("经核实李娜为本人丈夫，代领委托书补办中")
    row.get_by_role("button", name="核查后放行").click()
    _message(approver, "已放行")
    approver.goto(url)
    assert _facts(approver)["暂停笔数"] == "0"
    approver.get_by_role("button", name="县级审批").click()
    _message(approver, "花名册已审批")
    expect(approver.locator(".payroll-state")).to_have_text("县级已审批")

    # 4. the bank file: both lines, 1,050.00 in the header; the payroll is locked by it
    data = _download(approver)
    assert data.decode("gbk").split("\r\n")[0] == "2|1050.00|"
    refs = _refs(data)
    assert sorted(refs.values()) == ["张伟", "李娜"]
    approver.goto(url)
    expect(approver.locator(".payroll-state")).to_have_text("已锁定")

    # 5. the bank's return: 王芳's line failed (E03 户名不符)
    results = {ref: ("1|E03|" if name == "李娜" else "0||") for ref, name in refs.items()}
    _import_return(approver, _return_file(data, results))
    _message(approver, "回盘已导入：入账1笔，失败1笔，无法处理0行")
    failed = approver.locator("table.lines tbody tr")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("王芳")
    expect(failed).to_contain_text("户名不符")
    # the same file again changes nothing
    _import_return(approver, _return_file(data, results))
    _message(approver, "这个回盘文件已经导入过，未作任何改动")

    # 6. the failure worklist, the account corrected, the supplementary batch
    builder.goto("/payments/")
    builder.get_by_role("link", name="发放失败待处理清单").click()
    expect(builder.locator("main")).to_contain_text("共1笔，合计450.00元，其中账户已更正可补发0笔")
    row = builder.locator("table.failures tbody tr", has_text="王芳")
    expect(row).to_contain_text("发放失败后收款账户尚未更正")
    row.get_by_role("link", name="更正账户").click()
    builder.get_by_label("账户户名").fill("王芳")
    builder.get_by_label("户名与享受人员关系").select_option(label="本人")
    builder.get_by_label("账号", exact=True).fill(NEW_B)
    builder.get_by_role("button", name="保存").click()
    _message(builder, "收款账户已保存")
    builder.goto("/payments/failures/")
    expect(builder.locator("main")).to_contain_text("共1笔，合计450.00元，其中账户已更正可补发1笔")
    builder.get_by_label("补发批次月份").fill("2026-03")
    builder.get_by_role("button", name="生成补发批次").click()
    _message(builder, "已生成补发批次：1笔，其中0笔有疑点暂停发放")
    facts = _facts(builder)
    assert (facts["笔数"], facts["金额合计（元）"], facts["暂停笔数"]) == ("1", "450.00", "0")
    supplementary = Payroll.objects.get(kind="supplementary")
    supp_url = f"/payments/payrolls/{supplementary.pk}/"
    assert builder.url.endswith(supp_url)

    # 7. the batch goes the same way: township B checks, the other officer approves, the bank pays it
    town = _patient(new_page)
    log_in(town, township_b, supp_url)
    town.get_by_role("button", name="本乡镇审核通过").click()
    _message(town, "已记录本乡镇审核")
    approver.goto(supp_url)
    approver.get_by_role("button", name="县级审批").click()
    _message(approver, "花名册已审批")
    data = _download(approver)
    assert data.decode("gbk").split("\r\n")[0] == "1|450.00|" and f"|{NEW_B}|王芳|" in data.decode("gbk")
    approver.goto(supp_url)
    _import_return(approver, _return_file(data, dict.fromkeys(_refs(data), "0||")))
    _message(approver, "回盘已导入：入账1笔，失败0笔，无法处理0行")
    builder.goto("/payments/failures/")
    expect(builder.locator("table.failures")).to_contain_text("没有待处理的发放失败明细")

    # 8. the ledger: paid = 600.00 + 450.00
    approver.goto("/payments/funds/?year=2026")
    expect(approver.locator("#funds-paid")).to_have_text("1,050.00")


def test_pages_at_phone_width_and_in_english(browser, live_server, county, dibao_a):
    """At 390 px nothing but the tables' own scroll boxes is wider than the screen, in Chinese and
    in English (Accept-Language: en); in English no Chinese is left but the data."""
    from bangfu.payments import services
    from bangfu_testing.english import assert_no_cjk, data_strings

    give_account(county, dibao_a)
    payroll, _built = services.payroll_build(acting_user=county, county_code="340102", month=dt.date(2026, 2, 1))
    urls = ["/payments/", f"/payments/payrolls/{payroll.pk}/", "/payments/failures/", f"/payments/accounts/{dibao_a.pk}/",
            "/payments/funds/?year=2026"]
    data = data_strings(["农村商业银行"])
    for locale, headers in (("zh-CN", {}), ("en", {"Accept-Language": "en"})):
        context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844}, base_url=live_server.url,
                                      extra_http_headers=headers)
        try:
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.set_default_navigation_timeout(60_000)
            page.goto("/accounts/login/?next=/payments/")
            page.locator("input[name=username]").fill(county.username)
            page.locator("input[name=password]").fill(county.raw_password)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_url(re.compile(r"/payments/$"))
            for url in urls:
                page.goto(url)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, f"{url} is {width}px wide at 390px ({locale})"
                if locale == "en":
                    assert_no_cjk(page.content(), data, where=url)
        finally:
            context.close()
