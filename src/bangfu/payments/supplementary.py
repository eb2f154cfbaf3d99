"""补发批次 (issue 15 "The bank": failures are paid again in a supplementary batch after the account is
corrected).

- The failure worklist of a county: every line the bank returned as failed (a regular line, or a
  one-off) that no supplementary line pays yet — one still waiting, held, released or paid. A
  supplementary line that fails in its turn puts its failed line back on the list.
- A failed line is ready to be paid again when its account (the benefit's account, else the one the
  line was paid into) was changed after the last failure; otherwise it stays out, with the reason.
- `supplementary_build` makes a payroll of kind "supplementary" for the county with one line per
  ready failed line: the failed amount, the corrected account's snapshot, `resend_of` the failed
  line. It then goes through the same checks, township check, county approval (not by its builder),
  lock, bank file and return import as a regular payroll; a paid supplementary line marks its
  failed line re-paid (bank.py). The constraint `payline_resend_once` keeps a failed line from
  having two supplementary lines that are not failed: building twice adds nothing twice, and two
  builds at once make one set of lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from bangfu.accounts.access import NotFound
from bangfu.accounts.permissions import check_perm
from bangfu.common.months import month_of
from bangfu.regions.scoping import bound_region

from . import choices as c
from . import permissions as p
from .error_codes import PaymentErrorCode
from .models import BankReturn, PaymentAccount, Payroll, PayrollEvent, PayrollLine
from .services import PaymentError, _check_scope, _county, refresh_totals

LIVE = (c.LineStatus.PENDING, c.LineStatus.HELD, c.LineStatus.RELEASED, c.LineStatus.PAID)


@dataclass
class Failure:
    line: PayrollLine
    failed_at: dt.datetime | None
    reason: str  # the bank's reason of the last failure
    times: int  # how often it failed (the line and its failed supplementary lines)
    account: PaymentAccount | None
    corrected: bool
    why_not: str  # why it is not paid again yet


def failure_worklist(*, acting_user, county_code: str) -> list[Failure]:
    """The county's failed lines not (yet) paid again, oldest first (see the module's note)."""
    check_perm(acting_user, p.VIEW_PAYMENTS)
    county = _county(county_code)
    region = bound_region(acting_user)
    if region is None or not (region.contains(county) or county.contains(region)):
        raise NotFound()  # a township reads its own failures (visible_to below), the county all of them
    live = PayrollLine.objects.filter(resend_of=OuterRef("pk"), status__in=LIVE)
    failed = list(PayrollLine.objects.within(county.code).visible_to(acting_user)
                  .filter(status=c.LineStatus.FAILED, resend_of__isnull=True).filter(~Exists(live))
                  .select_related("person", "payroll").order_by("month", "region_code", "id"))
    if not failed:
        return []
    ids = [x.pk for x in failed]
    again: dict[int, list[PayrollLine]] = {}
    for x in PayrollLine.objects.filter(resend_of_id__in=ids, status=c.LineStatus.FAILED).order_by("id"):
        again.setdefault(x.resend_of_id, []).append(x)
    returned: dict[int, dt.datetime] = {}  # fallback for a failure recorded before failed_at existed
    payroll_ids = {x.payroll_id for x in failed} | {y.payroll_id for v in again.values() for y in v}
    for pid, at in BankReturn.objects.filter(payroll_id__in=payroll_ids).values_list("payroll_id", "imported_at"):
        returned[pid] = max(at, returned.get(pid, at))
    by_benefit = {a.benefit_id: a for a in PaymentAccount.objects.filter(benefit_id__in={x.benefit_id for x in failed if x.benefit_id})}
    by_id = PaymentAccount.objects.in_bulk({x.account_id for x in failed if x.account_id})
    out = []
    for line in failed:
        chain = [line] + again.get(line.pk, [])
        last = chain[-1]
        at = last.failed_at or returned.get(last.payroll_id)
        account = by_benefit.get(line.benefit_id) or by_id.get(line.account_id)
        corrected = account is not None and at is not None and account.updated_at > at
        if account is None:
            why = _("未登记收款账户")
        elif not corrected:
            why = _("发放失败后收款账户尚未更正")
        else:
            why = ""
        out.append(Failure(line=line, failed_at=at, reason=last.bank_reason, times=len(chain), account=account, corrected=corrected,
                           why_not=why))
    return out


def supplementary_build(*, acting_user, county_code: str, month: dt.date) -> tuple[Payroll | None, int]:
    """Build the county's supplementary payroll (补发批次) of `month` from the failed lines whose
    account was corrected: (payroll, lines). Nothing ready: (None, 0) and nothing is made."""
    from .checks import run_checks

    check_perm(acting_user, p.BUILD_PAYROLL)
    county = _county(county_code)
    _check_scope(acting_user, county.code)
    month = month_of(month)
    with transaction.atomic():
        ready = [f for f in failure_worklist(acting_user=acting_user, county_code=county.code) if f.corrected]
        if not ready:
            return None, 0
        payroll = Payroll.objects.create(region_code=county.code, month=month, programme="", kind=c.PayrollKind.SUPPLEMENTARY,
                                         built_by=acting_user)
        lines = []
        for f in ready:
            x, acc = f.line, f.account
            lines.append(PayrollLine(
                payroll=payroll, benefit_id=x.benefit_id, one_off_id=x.one_off_id, household_id=x.household_id, person_id=x.person_id,
                region_code=x.region_code, programme=x.programme, month=x.month, kind=c.LineKind.RESEND, component=x.component,
                amount_fen=x.amount_fen, account=acc, holder_name=acc.holder_name, bank_name=acc.bank_name, bank_code=acc.bank_code,
                account_number=acc.account_number, resend_of=x))
        try:
            with transaction.atomic():
                PayrollLine.objects.bulk_create(lines)
        except IntegrityError:
            raise PaymentError(_("另一个补发批次正在补发这些失败明细，请稍后再试"), code=PaymentErrorCode.CONFLICT) from None
        run_checks(payroll)
        refresh_totals(payroll)
        PayrollEvent.objects.create(payroll=payroll, action=PayrollEvent.Action.BUILT, by=acting_user,
                                    note=_("补发批次：%(n)s笔") % {"n": len(lines)})
    return payroll, len(lines)
