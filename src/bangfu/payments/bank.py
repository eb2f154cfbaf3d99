"""The bank (issue 15 "The bank"): a county's bank layouts as data, the payment file of a locked
payroll in the bank's layout, and the bank's return file read back into the lines.

- Layouts are `BankLayout` rows per county and bank code, each a dict bankfiles.layout_from_dict
  reads; a county without any gets the examples of banks.yaml the first time it asks.
- Export: an approved payroll is locked and its payable lines (pending or released) whose account's
  bank code is the layout's code — or blank — are written by bankfiles.write_bank_file; the line
  reference is the line's number. Every export is logged (PayrollEvent and the access log).
- Return: each row is matched to its line by the line reference (else by account and amount),
  marked paid or failed with the bank's reason; a row whose amount differs from its line is a
  problem and changes nothing. The same file twice is refused (its digest) and changes nothing;
  a paid line never becomes failed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.benefits.choices import Programme

from . import bankfiles
from . import choices as c
from . import permissions as p
from .error_codes import PaymentErrorCode
from .models import BankLayout, BankReturn, Payroll, PayrollEvent, PayrollLine
from .services import PaymentError, _lock_payroll, payroll_lock

PAYABLE = (c.LineStatus.PENDING, c.LineStatus.RELEASED)


def county_layouts(county_code: str) -> dict[str, BankLayout]:
    """The county's layouts by code; seeded from banks.yaml when it has none."""
    rows = {x.code: x for x in BankLayout.objects.filter(region_code=county_code)}
    if not rows:
        for code, d in bankfiles.load_default_layouts().items():
            BankLayout.objects.get_or_create(region_code=county_code, code=code, defaults={"name": d.get("name", code), "layout": d})
        rows = {x.code: x for x in BankLayout.objects.filter(region_code=county_code)}
    return rows


def _layout(payroll: Payroll, bank_code: str):
    row = county_layouts(payroll.region_code).get(bank_code)
    if row is None:
        raise PaymentError(_("本县没有代码为“%(code)s”的银行文件格式") % {"code": bank_code})
    try:
        return bankfiles.layout_from_dict(row.layout)
    except ValueError as exc:
        raise PaymentError(str(exc)) from None


BANK_AMOUNT = F("amount_fen") - F("deducted_fen")  # the amount sent: less any deduction (追回扣减)
BANK_FIELDS = ("id", "holder_name", "account_number", "bank_name", "bank_amount", "month", "programme", "region_code",
               "person__id_number", "account__holder_relation", "account__agent_id_number")


def _bank_lines(payroll: Payroll, bank_code: str):
    """The payable lines the bank's file pays, as tuples of BANK_FIELDS (one join, no model objects:
    a county's file is 300,000 lines). The amount is what the bank pays: the line's amount less any
    recovery deduction (PayrollLine.bank_fen)."""
    from django.db.models import Q

    return (PayrollLine.objects.filter(payroll=payroll, status__in=PAYABLE).filter(Q(bank_code=bank_code) | Q(bank_code=""))
            .annotate(bank_amount=BANK_AMOUNT).order_by("id").values_list(*BANK_FIELDS))


def line_dicts(lines, names: dict[str, str]):
    """The bank file's rows from `_bank_lines` tuples: the ID number is the recipient's where the
    account is their own (or there is none), else the agent's or guardian's."""
    labels = {value: str(label) for value, label in Programme.choices}
    months: dict = {}
    for pk, holder, number, bank_name, amount, month, programme, region_code, id_number, relation, agent_id in lines:
        own = relation is None or relation == c.HolderRelation.SELF
        text = months.get(month)
        if text is None:
            text = months[month] = f"{month:%Y-%m}"
        yield {"line_ref": str(pk), "name": holder, "id_number": (id_number or "") if own else agent_id, "account": number,
               "bank_name": bank_name, "amount_fen": amount, "month": text, "programme": labels.get(programme, programme),
               "region_code": region_code, "region_name": names.get(region_code, "")}


def payroll_bank_file(*, acting_user, payroll: Payroll, bank_code: str) -> tuple[bytes, int, int]:
    """The bank's payment file of an approved (or locked) payroll: (bytes, lines, total fen). An
    approved payroll is locked first: what goes to the bank is never changed afterwards."""
    from bangfu.regions.models import Region

    check_perm(acting_user, p.APPROVE_PAYROLL)
    with transaction.atomic():
        locked = _lock_payroll(acting_user, payroll)
        if locked.state == c.PayrollState.APPROVED:
            locked = payroll_lock(acting_user=acting_user, payroll=locked)
        if locked.state != c.PayrollState.LOCKED:
            raise PaymentError(_("花名册审批后才能生成代发文件"), code=PaymentErrorCode.WRONG_STATE)
        layout = _layout(locked, bank_code)
        lines = list(_bank_lines(locked, bank_code))
        names = dict(Region.objects.filter(code__in={x[7] for x in lines}).values_list("code", "name"))
        try:
            data = bankfiles.write_bank_file(line_dicts(lines, names), layout)
        except ValueError as exc:
            raise PaymentError(str(exc)) from None
        total = sum(x[4] for x in lines)
        PayrollEvent.objects.create(payroll=locked, action=PayrollEvent.Action.EXPORTED, by=acting_user,
                                    note=f"{bank_code} {len(lines)} {total}")
    return data, len(lines), total


@transaction.atomic
def payroll_return_import(*, acting_user, payroll: Payroll, data: bytes, filename: str, bank_code: str) -> BankReturn:
    """Read the bank's return file into the payroll's lines (see the module's note)."""
    check_perm(acting_user, p.APPROVE_PAYROLL)
    payroll = _lock_payroll(acting_user, payroll)
    if payroll.state != c.PayrollState.LOCKED:
        raise PaymentError(_("只有已锁定（已交银行）的花名册才能导入回盘"), code=PaymentErrorCode.WRONG_STATE)
    layout = _layout(payroll, bank_code)
    digest = hashlib.sha256(data).hexdigest()
    if BankReturn.objects.filter(payroll=payroll, sha256=digest).exists():
        raise PaymentError(_("这个回盘文件已经导入过，未作任何改动"), code=PaymentErrorCode.CONFLICT)
    read = bankfiles.read_return_file(data, filename, layout)
    problems = [list(x) for x in read.problems]
    # The payroll's lines, locked, as [status, reason code, reason] by id (no model objects: a
    # county's return is 300,000 rows); `info` keeps what matching needs.
    state: dict[int, list] = {}
    info: dict[int, tuple[str, int, int | None]] = {}
    by_account: dict[tuple[str, int], list[int]] = {}
    for pk, number, amount, status, reason_code, reason, resend_of in (
            PayrollLine.objects.select_for_update().filter(payroll=payroll).annotate(bank_amount=BANK_AMOUNT).order_by("id")
            .values_list("id", "account_number", "bank_amount", "status", "bank_reason_code", "bank_reason", "resend_of_id")
            .iterator(chunk_size=20000)):
        state[pk] = [status, reason_code, reason]
        info[pk] = (number, amount, resend_of)
        by_account.setdefault((number, amount), []).append(pk)
    paid = failed = 0
    changed: list[int] = []
    for row in read.rows:
        pk = int(row.line_ref) if row.line_ref.isdigit() else None
        pk = pk if pk in state else None
        if pk is None and row.account:
            candidates = [x for x in by_account.get((row.account, row.amount_fen), []) if state[x][0] in PAYABLE]
            pk = candidates[0] if candidates else None
        if pk is None:
            problems.append([row.row, _("回盘中的这一笔在花名册中找不到（流水号%(ref)s）") % {"ref": row.line_ref or row.account}])
            continue
        current = state[pk]
        if row.amount_fen != info[pk][1]:
            problems.append([row.row, _("回盘金额与花名册不符，未作处理")])
            continue
        if current[0] == c.LineStatus.PAID:
            continue  # paid stays paid
        if current[0] not in (*PAYABLE, c.LineStatus.FAILED):
            problems.append([row.row, _("这一笔未交银行发放，未作处理")])
            continue
        if row.paid:
            current[:] = [c.LineStatus.PAID, "", ""]
            paid += 1
        else:
            current[:] = [c.LineStatus.FAILED, _clip(row.reason_code, 32), _clip(row.reason, 255)]
            failed += 1
        changed.append(pk)
    # One UPDATE per outcome (paid, or failed with a given reason), not bulk_update's CASE per row:
    # a county's return is 300,000 rows with a handful of distinct outcomes.
    now = timezone.now()
    outcomes: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for pk in dict.fromkeys(changed):
        outcomes[tuple(state[pk])].append(pk)
    for (status, reason_code, reason), pks in outcomes.items():
        extra = {"failed_at": now} if status == c.LineStatus.FAILED else {}
        for first in range(0, len(pks), 20000):
            PayrollLine.objects.filter(pk__in=pks[first:first + 20000]).update(status=status, bank_reason_code=reason_code,
                                                                                bank_reason=reason, **extra)
    # 补发批次: a supplementary line paid marks the failed line it pays again as re-paid.
    repaid = [info[pk][2] for pk in dict.fromkeys(changed) if info[pk][2] and state[pk][0] == c.LineStatus.PAID]
    if repaid:
        PayrollLine.objects.filter(pk__in=repaid).update(repaid_at=now)
    from .recovery import refresh_after_return

    refresh_after_return(payroll, list(dict.fromkeys(changed)), acting_user)  # deductions paid or failed
    try:
        with transaction.atomic():
            record = BankReturn.objects.create(payroll=payroll, bank_code=bank_code, filename=filename[:255], sha256=digest, paid=paid,
                                               failed=failed, problems=problems[:500], imported_by=acting_user)
    except IntegrityError:
        raise PaymentError(_("这个回盘文件已经导入过，未作任何改动"), code=PaymentErrorCode.CONFLICT) from None
    PayrollEvent.objects.create(payroll=payroll, action=PayrollEvent.Action.RETURNED, by=acting_user,
                                note=f"{filename} {paid} {failed}"[:255])
    return record


def _clip(text: str, length: int) -> str:
    """The bank's reason as stored: at most the field's length."""
    return text[:length]
