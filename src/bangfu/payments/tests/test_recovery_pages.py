"""The recovery pages (应追回款): the county's list with filters and its Excel export (logged), a
receivable's page with its history (logged), the forms; the auditor reads and changes nothing;
English mode shows no Chinese outside data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.common.models import AccessLog
from bangfu.payments.models import Receivable
from bangfu_testing import english
from bangfu_testing.english import EN, assert_no_cjk, read_xlsx

pytestmark = pytest.mark.django_db
D = dt.date
NOTE = "查实冒领"


@pytest.fixture
def owed(county, household_a, household_b):
    a = Receivable.objects.create(region_code=household_a.region_code, household=household_a, person=household_a.head,
                                  programme="dibao", reason="fraud", reason_note=NOTE, months=["2026-01", "2026-02"],
                                  amount_fen=120000, recorded_by=county)
    b = Receivable.objects.create(region_code=household_b.region_code, household=household_b, person=household_b.head,
                                  programme="tekun", reason="death", months=["2026-03"], amount_fen=114400, recorded_by=county,
                                  state="recovered", recovered_fen=114400)
    return a, b


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_filters_export_and_detail(county, owed):
    a, b = owed
    client = _client(county)
    page = client.get(reverse("payments:receivables")).content.decode()
    assert f'data-receivable="{a.pk}"' in page and f'data-receivable="{b.pk}"' in page
    page = client.get(reverse("payments:receivables"), {"state": "open"}).content.decode()
    assert f'data-receivable="{a.pk}"' in page and f'data-receivable="{b.pk}"' not in page
    page = client.get(reverse("payments:receivables"), {"reason": "death"}).content.decode()
    assert f'data-receivable="{a.pk}"' not in page and f'data-receivable="{b.pk}"' in page
    export = client.get(reverse("payments:receivables_export"), {"state": "open"})
    text = read_xlsx(export.content)
    assert "张伟" in text and "1200.0" in text and "王芳" not in text
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, object_type="receivables").exists()
    detail = client.get(reverse("payments:receivable", args=[a.pk])).content.decode()
    assert NOTE in detail and "2026-01" in detail
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_RECORD, object_type="receivable", object_id=str(a.pk)).exists()


def test_forms_record_and_the_auditor_only_reads(county, county2, users, owed):
    a, _b = owed
    auditor = _client(users["auditor"])
    assert auditor.get(reverse("payments:receivable", args=[a.pk])).status_code == 200
    assert reverse("payments:receivable_repayment", args=[a.pk]) not in auditor.get(reverse("payments:receivable", args=[a.pk])).content.decode()
    for name in ("receivable_repayment", "receivable_deduction", "receivable_write_off", "receivable_write_off_approve"):
        assert auditor.post(reverse(f"payments:{name}", args=[a.pk]), {"reason": "x"}).status_code == 403
    client = _client(county)
    client.post(reverse("payments:receivable_repayment", args=[a.pk]), {"date": "2026-03-02", "amount": "200.50",
                                                                         "receipt_number": "0007"})
    client.post(reverse("payments:receivable_deduction", args=[a.pk]), {"mode": "monthly", "monthly": "100",
                                                                         "document": "追回决定书"})
    client.post(reverse("payments:receivable_write_off", args=[a.pk]), {"reason": "无可追回"})
    a.refresh_from_db()
    assert (a.recovered_fen, a.state, a.deduct_mode, a.deduct_monthly_fen) == (20050, "partly", "monthly", 10000)
    assert a.write_off_requested_by == county
    assert reverse("payments:receivable_write_off_approve", args=[a.pk]) not in client.get(reverse("payments:receivable", args=[a.pk])).content.decode()
    _client(county2).post(reverse("payments:receivable_write_off_approve", args=[a.pk]))
    a.refresh_from_db()
    assert (a.state, a.written_off_fen) == ("written_off", 99950)


def test_recovery_pages_in_english(county, owed):
    a, _b = owed
    data = english.data_strings([NOTE])
    client = _client(county)
    for url in (reverse("payments:receivables"), reverse("payments:receivable", args=[a.pk])):
        response = client.get(url, **EN)
        assert response.status_code == 200
        assert_no_cjk(response.content.decode(), data, url)
    response = client.post(reverse("payments:receivable_repayment", args=[a.pk]),
                           {"date": "2026-03-02", "amount": "99999", "receipt_number": "1"}, follow=True, **EN)
    assert_no_cjk(response.content.decode(), data, "repayment refused")
    export = client.get(reverse("payments:receivables_export"), **EN)
    assert_no_cjk(read_xlsx(export.content), data, "export")
