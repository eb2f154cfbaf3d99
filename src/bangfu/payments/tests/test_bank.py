"""The bank (issue 15 "The bank"): the locked payroll's payment file in a county's layout (seeded
from banks.yaml), the return file read back, and the identities reconciliation rests on: the sum of
the lines = the file's total = paid + failed after the return. Importing the same return twice
changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.payments import bank, services
from bangfu.payments.choices import LineStatus
from bangfu.payments.models import BankLayout, PayrollLine

from .conftest import approve, give_account

pytestmark = pytest.mark.django_db
D = dt.date
RCB = "rcb_gbk_pipe"


@pytest.fixture
def locked(county, county2, users, township_b, dibao_a, dibao_b):
    give_account(county, dibao_a)
    give_account(county, dibao_b, number="6222020200099998888")
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    return approve(payroll, checkers=[users["township_a"], township_b], approver=county2)


def _return_file(payment_file: bytes, results: dict[str, str], default: str | None = None) -> bytes:
    """The bank's return in the 农商行 layout: the payment file's rows with 处理结果|原因代码| appended
    (`results` by line reference; a line not in it gets `default`, or is an error without one)."""
    rows = payment_file.decode("gbk").split("\r\n")
    out = [rows[0]]
    for row in rows[1:]:
        if row:
            ref = row.split("|")[5]
            out.append(row + (results[ref] if default is None else results.get(ref, default)))
    return ("\r\n".join(out) + "\r\n").encode("gbk")


def test_export_and_return_reconcile(county2, locked, dibao_a, dibao_b):
    data, n, total = bank.payroll_bank_file(acting_user=county2, payroll=locked, bank_code=RCB)
    assert BankLayout.objects.filter(region_code=locked.region_code, code=RCB).exists()  # seeded on first use
    text = data.decode("gbk").split("\r\n")
    assert text[0] == "2|1050.00|"  # 600.00 + 450.00, count first (banks.yaml)
    assert n == 2 and total == 105000 == sum(PayrollLine.objects.filter(payroll=locked).values_list("amount_fen", flat=True))
    line_a = PayrollLine.objects.get(benefit=dibao_a)
    line_b = PayrollLine.objects.get(benefit=dibao_b)
    assert f"|6222020200012345670|张伟|600.00|" in text[1] + text[2]
    returned = _return_file(data, {str(line_a.pk): "0||", str(line_b.pk): "1|E01|"})
    record = bank.payroll_return_import(acting_user=county2, payroll=locked, data=returned, filename="回盘.txt", bank_code=RCB)
    assert (record.paid, record.failed, record.problems) == (1, 1, [])
    line_a.refresh_from_db()
    line_b.refresh_from_db()
    assert line_a.status == LineStatus.PAID
    assert (line_b.status, line_b.bank_reason_code, line_b.bank_reason) == (LineStatus.FAILED, "E01", "账户已销户")
    paid = sum(x.amount_fen for x in PayrollLine.objects.filter(payroll=locked, status=LineStatus.PAID))
    failed = sum(x.amount_fen for x in PayrollLine.objects.filter(payroll=locked, status=LineStatus.FAILED))
    assert paid + failed == total
    # the same file again: refused, nothing changes
    with pytest.raises(services.PaymentError):
        bank.payroll_return_import(acting_user=county2, payroll=locked, data=returned, filename="回盘.txt", bank_code=RCB)
    assert PayrollLine.objects.get(pk=line_b.pk).status == LineStatus.FAILED
    # a later file saying the paid line failed does not undo the payment
    again = _return_file(data, {str(line_a.pk): "1|E02|", str(line_b.pk): "1|E01|"})
    bank.payroll_return_import(acting_user=county2, payroll=locked, data=again, filename="回盘2.txt", bank_code=RCB)
    assert PayrollLine.objects.get(pk=line_a.pk).status == LineStatus.PAID


def test_a_return_row_with_another_amount_changes_nothing(county2, locked, dibao_a, dibao_b):
    data, _n, _total = bank.payroll_bank_file(acting_user=county2, payroll=locked, bank_code=RCB)
    line_a = PayrollLine.objects.get(benefit=dibao_a)
    line_b = PayrollLine.objects.get(benefit=dibao_b)
    returned = _return_file(data, {str(line_a.pk): "0||", str(line_b.pk): "0||"}).replace(b"|450.00|", b"|460.00|")
    record = bank.payroll_return_import(acting_user=county2, payroll=locked, data=returned, filename="r.txt", bank_code=RCB)
    assert record.paid == 1 and len(record.problems) == 1
    assert PayrollLine.objects.get(pk=line_b.pk).status == LineStatus.PENDING


def test_no_bank_file_before_approval_and_no_unknown_bank(county, county2, dibao_a):
    give_account(county, dibao_a)
    payroll, _ = services.payroll_build(acting_user=county, county_code="340102", month=D(2026, 2, 1))
    with pytest.raises(services.PaymentError):
        bank.payroll_bank_file(acting_user=county2, payroll=payroll, bank_code=RCB)
    with pytest.raises(services.PaymentError):
        bank.payroll_return_import(acting_user=county2, payroll=payroll, data=b"x", filename="r.txt", bank_code=RCB)


def test_a_township_cannot_export(users, locked):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        bank.payroll_bank_file(acting_user=users["township_a"], payroll=locked, bank_code=RCB)


def test_pages_and_command_for_the_bank(county2, locked, dibao_a, dibao_b, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(county2)
    page = client.get(reverse("payments:payroll", args=[locked.pk])).content.decode()
    assert "生成代发文件" in page and "导入回盘" in page
    response = client.post(reverse("payments:payroll_bank_file", args=[locked.pk]), {"bank": RCB})
    assert response.status_code == 200 and response.content.decode("gbk").startswith("2|1050.00|")
    # the command writes the same file (before any return: afterwards only unsettled lines are sent)
    target = tmp_path / "bank.txt"
    call_command("payroll", "export", str(locked.pk), str(target), "--bank", RCB, "--user", "county2", stdout=io.StringIO())
    assert target.read_bytes() == response.content
    line_a = PayrollLine.objects.get(benefit=dibao_a)
    line_b = PayrollLine.objects.get(benefit=dibao_b)
    returned = _return_file(response.content, {str(line_a.pk): "0||", str(line_b.pk): "1|E03|"})
    client.post(reverse("payments:payroll_return", args=[locked.pk]), {"bank": RCB, "file": SimpleUploadedFile("r.txt", returned)})
    assert PayrollLine.objects.get(pk=line_b.pk).bank_reason == "户名不符"
    failed = client.get(reverse("payments:payroll", args=[locked.pk]), {"status": "failed"}).content.decode()
    assert "户名不符" in failed and "王芳" in failed and "张伟" not in failed
    # the command reads a return
    back = tmp_path / "return.txt"
    back.write_bytes(_return_file(response.content, {str(line_a.pk): "0||", str(line_b.pk): "0||"}))
    out = io.StringIO()
    call_command("payroll", "import-return", str(locked.pk), str(back), "--bank", RCB, "--user", "county2", stdout=out)
    assert "入账 1 笔" in out.getvalue()  # A was paid already; B is paid now
    assert PayrollLine.objects.get(pk=line_b.pk).status == LineStatus.PAID
