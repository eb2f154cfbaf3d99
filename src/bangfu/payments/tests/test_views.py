"""The payments pages, API and command: a county officer builds, the township checks, another county
officer releases a held line with a reason and approves; the list exports to Excel; the API reads
scoped; `bangfu payroll build` runs the same service."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from bangfu.payments.choices import LineStatus, PayrollState
from bangfu.payments.models import Payroll, PayrollEvent

from .conftest import give_account

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_build_check_release_approve_through_the_pages(county, county2, users, dibao_a, dibao_b, township_b):
    give_account(county, dibao_a)
    response = client_for(county).post(reverse("payments:build"), {"month": "2026-02", "programme": ""})
    payroll = Payroll.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("payments:payroll", args=[payroll.pk])
    page = client_for(county).get(reverse("payments:payroll", args=[payroll.pk])).content.decode()
    assert "张伟" in page and "王芳" in page and "未登记收款账户" in page
    assert "6222020200012345670" not in page and "****5670" in page  # account numbers masked in the list
    held = payroll.lines.get(status=LineStatus.HELD)
    assert held.benefit_id == dibao_b.pk
    # flags filter
    page = client_for(county).get(reverse("payments:payroll", args=[payroll.pk]), {"flag": "no_account"}).content.decode()
    assert "王芳" in page and "张伟" not in page
    # township A sees its own lines only
    page = client_for(users["township_a"]).get(reverse("payments:payroll", args=[payroll.pk])).content.decode()
    assert "张伟" in page and "王芳" not in page
    for officer in (users["township_a"], township_b):
        client_for(officer).post(reverse("payments:payroll_check", args=[payroll.pk]))
    payroll.refresh_from_db()
    assert payroll.state == PayrollState.CHECKED
    # the builder's release is refused; another officer's is recorded with the reason
    client_for(county).post(reverse("payments:line_release", args=[held.pk]), {"reason": "核实"})
    held.refresh_from_db()
    assert held.status == LineStatus.HELD
    client_for(county2).post(reverse("payments:line_release", args=[held.pk]), {"reason": "账户正在办理，暂以存折发放"})
    held.refresh_from_db()
    assert held.status == LineStatus.RELEASED and held.release_reason == "账户正在办理，暂以存折发放"
    client_for(county).post(reverse("payments:payroll_approve", args=[payroll.pk]))
    payroll.refresh_from_db()
    assert payroll.state == PayrollState.CHECKED  # the builder may not approve
    client_for(county2).post(reverse("payments:payroll_approve", args=[payroll.pk]))
    client_for(county2).post(reverse("payments:payroll_lock", args=[payroll.pk]))
    payroll.refresh_from_db()
    assert payroll.state == PayrollState.LOCKED
    assert list(PayrollEvent.objects.filter(payroll=payroll).values_list("action", flat=True)) == [
        "built", "checked", "checked", "released", "approved", "locked"]
    index = client_for(users["auditor"]).get(reverse("payments:index")).content.decode()
    assert "2026-02" in index and "生成花名册" not in index  # the auditor reads, builds nothing


def test_excel_export_of_the_lines_is_logged(county, dibao_a):
    from openpyxl import load_workbook

    from bangfu.common.models import AccessLog
    from bangfu.payments import services

    give_account(county, dibao_a)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    response = client_for(county).get(reverse("payments:payroll_export", args=[payroll.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3] == "张伟" and rows[1][8:11] == (600, 0, 600) and rows[1][13] == "****5670"
    assert AccessLog.objects.filter(object_type="payroll", object_id=str(payroll.pk)).exists()


def test_account_page_saves_and_shows_history(county, dibao_a):
    url = reverse("payments:account", args=[dibao_a.pk])
    data = {"holder_name": "张伟", "holder_relation": "self", "bank_name": "农村商业银行", "account_scheme": "bank_card",
            "account_number": "6222 0202 0001 2345 670"}
    response = client_for(county).post(url, data)
    assert response.status_code == 302
    bad = client_for(county).post(url, data | {"account_number": "12AB"}).content.decode()
    assert "账号只能包含数字" in bad
    assert dibao_a.payment_account.account_number == "6222020200012345670"


def test_api_reads_payrolls_and_lines_scoped(county, users, dibao_a, dibao_b):
    from bangfu.payments import services

    give_account(county, dibao_a)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    rows = client_for(county).get("/api/payments/payrolls").json()
    assert [r["id"] for r in rows] == [payroll.pk] and rows[0]["total_fen"] == 105000
    lines = client_for(users["township_a"]).get(f"/api/payments/payrolls/{payroll.pk}/lines").json()
    assert [(x["benefit_id"], x["amount_fen"], x["account"]) for x in lines] == [(dibao_a.pk, 60000, "****5670")]
    held = client_for(county).get(f"/api/payments/payrolls/{payroll.pk}/lines", {"flag": "no_account"}).json()
    assert [x["benefit_id"] for x in held] == [dibao_b.pk]
    assert client_for(users["village_a"]).get("/api/payments/payrolls").status_code == 403
    assert client_for(county).get("/api/payments/payrolls/999999").status_code == 404
    assert client_for(county).get(f"/api/payments/payrolls/{payroll.pk}/lines", {"flag": "nope"}).status_code == 422


def test_cli_build(county, dibao_a):
    out = io.StringIO()
    call_command("payroll", "build", "--county", "340102", "--month", "2026-02", "--user", "county", stdout=out)
    payroll = Payroll.objects.get()
    assert out.getvalue().strip().splitlines()[-1] == str(payroll.pk) and payroll.line_count == 1
    out = io.StringIO()
    call_command("payroll", "build", "--county", "340102", "--month", "2026-02", "--user", "county", stdout=out)
    assert "未重复生成" in out.getvalue() and Payroll.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("payroll", "build", "--county", "340102", "--month", "2026-13", "--user", "county", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("payroll", "build", "--county", "340103", "--month", "2026-02", "--user", "county", stdout=io.StringIO())
