"""补发批次 (issue 15 "The bank": failures become a worklist and, after the account is corrected, are
paid again in a supplementary batch). Hand-computed: February pays A 600.00 and B 450.00; the bank
returns B failed (E01 账户已销户). Reconciliation: the failed amount (450.00) = the supplementary
batch's total; after its return, every line of February is paid (A directly, B re-paid)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from bangfu.payments import bank, services, supplementary
from bangfu.payments.choices import LineKind, LineStatus, PayrollKind
from bangfu.payments.models import Payroll, PayrollLine

from .conftest import approve, give_account
from .test_bank import RCB, _return_file

pytestmark = pytest.mark.django_db
D = dt.date
NEW_B = "6222020200077776660"


@pytest.fixture
def failed_b(county, county2, users, township_b, dibao_a, dibao_b):
    """February locked and returned: A paid 600.00, B failed 450.00 (E01)."""
    give_account(county, dibao_a)
    give_account(county, dibao_b, number="6222020200099998888")
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    payroll = approve(payroll, checkers=[users["township_a"], township_b], approver=county2)
    data, _n, _t = bank.payroll_bank_file(acting_user=county2, payroll=payroll, bank_code=RCB)
    line_a, line_b = PayrollLine.objects.get(benefit=dibao_a), PayrollLine.objects.get(benefit=dibao_b)
    bank.payroll_return_import(acting_user=county2, payroll=payroll, bank_code=RCB, filename="r.txt",
                               data=_return_file(data, {str(line_a.pk): "0||", str(line_b.pk): "1|E01|"}))
    line_b.refresh_from_db()
    assert line_b.status == LineStatus.FAILED and line_b.failed_at is not None
    return {"february": payroll, "a": line_a, "b": line_b}


def _worklist(user):
    return supplementary.failure_worklist(acting_user=user, county_code="340102")


def _pay(payroll, results, county2):
    data, n, total = bank.payroll_bank_file(acting_user=county2, payroll=payroll, bank_code=RCB)
    refs = {str(x.pk): results for x in payroll.lines.all()}
    bank.payroll_return_import(acting_user=county2, payroll=payroll, bank_code=RCB, filename="s.txt", data=_return_file(data, refs))
    return data, n, total


def test_uncorrected_account_stays_out_with_its_reason(county, failed_b):
    rows = _worklist(county)
    assert [(r.line.pk, r.corrected, r.why_not, r.reason) for r in rows] == [(failed_b["b"].pk, False, "发放失败后收款账户尚未更正", "账户已销户")]
    assert supplementary.supplementary_build(acting_user=county, county_code="340102", month=D(2026, 3, 1)) == (None, 0)
    assert not Payroll.objects.filter(kind=PayrollKind.SUPPLEMENTARY).exists()


def test_supplementary_batch_pays_the_failed_line_once_and_reconciles(county, county2, users, township_b, dibao_b, failed_b):
    give_account(county, dibao_b, number=NEW_B)  # the county corrects B's account
    assert [r.corrected for r in _worklist(county)] == [True]
    supp, n = supplementary.supplementary_build(acting_user=county, county_code="340102", month=D(2026, 3, 1))
    assert n == 1 and supp.kind == PayrollKind.SUPPLEMENTARY
    line = supp.lines.get()
    assert (line.kind, line.amount_fen, line.account_number, line.resend_of_id, line.month) == \
        (LineKind.RESEND, 45000, NEW_B, failed_b["b"].pk, D(2026, 2, 1))
    failed_total = sum(PayrollLine.objects.filter(payroll=failed_b["february"], status=LineStatus.FAILED).values_list("amount_fen", flat=True))
    assert failed_total == 45000 == supp.total_fen  # failed amount = the supplementary batch's total
    # building again adds nothing; the line is no longer on the worklist
    assert supplementary.supplementary_build(acting_user=county, county_code="340102", month=D(2026, 3, 1)) == (None, 0)
    assert _worklist(county) == []
    # the same path as a regular payroll: the builder may not approve
    services.payroll_check(acting_user=township_b, payroll=supp)  # only B's township has lines in it
    with pytest.raises(services.PaymentError) as refused:
        services.payroll_approve(acting_user=county, payroll=supp)
    assert refused.value.code == "same_person"
    supp = services.payroll_lock(acting_user=county2, payroll=services.payroll_approve(acting_user=county2, payroll=supp))
    data, count, total = _pay(supp, "0||", county2)
    assert (count, total) == (1, 45000) and f"|{NEW_B}|" in data.decode("gbk")
    b = PayrollLine.objects.get(pk=failed_b["b"].pk)
    assert b.repaid_at is not None and b.status == LineStatus.FAILED  # the February file stays as the bank returned it
    assert supp.lines.get().status == LineStatus.PAID
    assert _worklist(county) == []
    # after the return everything of February is paid: A directly (600.00), B by the batch (450.00)
    paid = PayrollLine.objects.filter(status=LineStatus.PAID).values_list("amount_fen", flat=True)
    assert sorted(paid) == [45000, 60000]


def test_failing_again_puts_it_back_and_a_second_live_line_is_refused(county, county2, township_b, dibao_b, failed_b):
    give_account(county, dibao_b, number=NEW_B)
    supp, _n = supplementary.supplementary_build(acting_user=county, county_code="340102", month=D(2026, 3, 1))
    # the database refuses a second supplementary line for the same failed line while the first is live
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollLine.objects.create(**{f.attname: getattr(supp.lines.get(), f.attname) for f in PayrollLine._meta.concrete_fields
                                      if f.attname != "id"})
    supp = approve(supp, checkers=[township_b], approver=county2)
    _pay(supp, "1|E02|", county2)  # frozen this time
    rows = _worklist(county)
    assert [(r.line.pk, r.times, r.corrected) for r in rows] == [(failed_b["b"].pk, 2, False)]
    assert PayrollLine.objects.get(pk=failed_b["b"].pk).repaid_at is None
    give_account(county, dibao_b, number="6222020200055554444")
    again, n = supplementary.supplementary_build(acting_user=county, county_code="340102", month=D(2026, 4, 1))
    assert n == 1 and again.lines.get().account_number == "6222020200055554444"


def test_next_regular_month_is_not_disturbed(county, county2, users, township_b, dibao_a, dibao_b, failed_b):
    """A supplementary line for February is not a second February payment: March pays 600.00 and
    450.00 with no "jump" flag (the jump check compares with February's own line)."""
    give_account(county, dibao_b, number=NEW_B)
    supplementary.supplementary_build(acting_user=county, county_code="340102", month=D(2026, 3, 1))
    march, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 3, 1))
    assert sorted((x.amount_fen, x.kind, x.status) for x in march.lines.all()) == [
        (45000, LineKind.REGULAR, LineStatus.PENDING), (60000, LineKind.REGULAR, LineStatus.PENDING)]


def test_who_may(county, users, township_b, failed_b, regions):
    """County builds; the auditor reads the worklist and builds nothing; a township cannot build; a
    county officer of another county sees nothing of this one."""
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    assert len(_worklist(users["auditor"])) == 1
    assert len(_worklist(township_b)) == 1 and _worklist(users["township_a"]) == []  # B's failure is B's township's
    for user in (users["auditor"], users["township_a"]):
        with pytest.raises(PermissionDenied):
            supplementary.supplementary_build(acting_user=user, county_code="340102", month=D(2026, 3, 1))
    from bangfu_testing.factories import region

    other = make_user("other_county", Role.COUNTY_OFFICER, region("340103", "庐阳区", regions["city"]))
    with pytest.raises(Http404):
        _worklist(other)
    with pytest.raises(Http404):
        supplementary.supplementary_build(acting_user=other, county_code="340102", month=D(2026, 3, 1))


def test_page_export_button_and_cli(county, users, dibao_b, failed_b):
    """The worklist page shows the failure with "账户已更正 否" and its reason; the Excel lists it;
    after the correction the button builds the batch; the CLI then finds nothing more to add."""
    import io

    import openpyxl
    from django.core.management import call_command
    from django.urls import reverse

    from .test_views import client_for

    page = client_for(users["auditor"]).get(reverse("payments:failures")).content.decode()
    assert "王芳" in page and "发放失败后收款账户尚未更正" in page and reverse("payments:failures_build") not in page  # the auditor only reads
    sheet = openpyxl.load_workbook(io.BytesIO(client_for(county).get(reverse("payments:failures_export")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == "王芳" and rows[1][6] == 450.0 and rows[1][12] == "否"
    give_account(county, dibao_b, number=NEW_B)
    response = client_for(county).post(reverse("payments:failures_build"), {"month": "2026-03"})
    supp = Payroll.objects.get(kind=PayrollKind.SUPPLEMENTARY)
    assert response.status_code == 302 and response["Location"] == reverse("payments:payroll", args=[supp.pk])
    out = io.StringIO()
    call_command("payroll", "build-supplementary", "--county", "340102", "--month", "2026-03", "--user", "county", stdout=out)
    assert "未生成补发批次" in out.getvalue() and Payroll.objects.filter(kind=PayrollKind.SUPPLEMENTARY).count() == 1


def test_failures_in_english(county, county2, failed_b):
    """English mode: the worklist page and its Excel show no Chinese but data (names, the bank's reason)."""
    from django.test import Client
    from django.urls import reverse

    from bangfu_testing import english
    from bangfu_testing.english import EN, assert_no_cjk, read_xlsx

    data = english.data_strings(["账户已销户", "农村商业银行"])
    client = Client()
    client.force_login(county2)
    response = client.get(reverse("payments:failures"), **EN)
    assert response.status_code == 200
    assert_no_cjk(response.content.decode(), data, "failures")
    export = client.get(reverse("payments:failures_export"), **EN)
    assert_no_cjk(read_xlsx(export.content), data, "failures.xlsx")
