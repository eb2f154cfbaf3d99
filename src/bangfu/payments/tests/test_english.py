"""English mode (issue 11): the payments pages, the Excel export, the API and the refusals of the
services show no Chinese outside data (names, region names, bank names, reasons typed by workers)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bangfu.payments import services
from bangfu_testing import english
from bangfu_testing.english import EN, assert_no_cjk, read_xlsx

from .conftest import give_account

pytestmark = pytest.mark.django_db
D = dt.date
BANK = "农村商业银行"
REASON = "账户正在办理"


def test_payments_in_english(county, county2, users, dibao_a, dibao_b):
    give_account(county, dibao_a)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    data = english.data_strings([BANK, REASON])
    client = Client()
    client.force_login(county2)
    for url in (reverse("payments:index"), reverse("payments:payroll", args=[payroll.pk]),
                reverse("payments:account", args=[dibao_a.pk])):
        response = client.get(url, **EN)
        assert response.status_code == 200
        assert_no_cjk(response.content.decode(), data, url)
    response = client.post(reverse("payments:account", args=[dibao_a.pk]),
                           {"holder_name": "张伟", "holder_relation": "spouse", "bank_name": BANK, "account_scheme": "bank_card",
                            "account_number": "12"}, **EN)
    assert_no_cjk(response.content.decode(), data, "account form errors")
    export = client.get(reverse("payments:payroll_export", args=[payroll.pk]), **EN)
    assert_no_cjk(read_xlsx(export.content), data, "export")
    assert_no_cjk(english.api_text(Client(), county, f"/api/payments/payrolls/{payroll.pk}/lines"), data, "api")
    held = payroll.lines.get(status="held")
    with translation.override("en"):
        for call in (lambda: services.line_release(acting_user=county, line=held, reason=REASON),
                     lambda: services.payroll_approve(acting_user=county2, payroll=payroll),
                     lambda: give_account(county, dibao_b, number="1", holder="李娜", holder_relation="spouse")):
            with pytest.raises(services.PaymentError) as err:
                call()
            assert_no_cjk(str(err.value) + str(err.value.errors), data, "service refusal")
