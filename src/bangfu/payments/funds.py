"""The funds ledger (资金台账): per county, programme and year, what finance budgeted and transferred
and what the county paid out of it; the monthly statement of fund use (资金使用月报).

Typed in by the county (FundBudget, FundEntry): the budget by source, money received, money
returned to finance, corrections. Never typed in: what was paid, failed or is in transit — those are
read from the payroll lines, so the ledger cannot disagree with the payrolls:

- paid       = Σ amount of lines with status "paid" (到账, from the bank's return file) in the
               county's payrolls whose payroll month lies in the year (cash basis: a back pay for
               December paid in January's payroll is January's spending);
- failed     = Σ amount of lines with status "failed" in those payrolls (money the bank returned:
               not spent, not in the balance; a reissue in a later batch counts as paid there);
- in transit = Σ amount of lines of approved or locked payrolls still pending or released (sent
               to the bank, no return file yet);
- recovered  = money recovered from overpayments (`recovered_fen`): repayments by their date and
               deductions kept back from lines the bank paid (a failed line's deduction did not
               happen), credited to the programme that overpaid. "paid" counts a line's whole
               amount, so a deduction is both paid (to the household's benefit) and recovered (to
               the receivable): the balance falls by what the bank actually sent;
- balance    = received − returned + adjustments in − adjustments out − paid + recovered;
- available  = balance − in transit.

Month of a figure: the payroll's month (Payroll.month), for regular and supplementary batches
alike. Every read checks VIEW_FUNDS and that the county lies in the reader's region (NotFound
otherwise); every write checks RECORD_FUNDS and the region, and is kept in simple-history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from bangfu.accounts.access import NotFound, in_scope
from bangfu.accounts.permissions import check_perm
from bangfu.benefits.choices import Programme
from bangfu.common.months import month_of
from bangfu.regions.codes import COUNTY, RegionCode

from . import choices as c
from . import permissions as p
from .error_codes import PaymentErrorCode
from .models import FundBudget, FundEntry, FundEntryKind, FundSource, PayrollLine
from .services import PaymentError

MIN_YEAR = 2000
MAX_YEAR = 2100
SENT_STATES = (c.PayrollState.APPROVED, c.PayrollState.LOCKED)


def county_of(viewer, county_code, action: str = p.VIEW_FUNDS) -> RegionCode:
    """The county a ledger is asked for, checked: the role holds `action` (else 403) and the county
    lies in the viewer's region (else NotFound, like a county that does not exist)."""
    check_perm(viewer, action)
    try:
        county = RegionCode.parse(county_code)
    except (ValueError, TypeError):
        raise NotFound() from None
    if county.level != COUNTY or not in_scope(viewer, county.code):
        raise NotFound()
    return county


def _programmes(programme: str) -> list[str]:
    return [programme] if programme in Programme.values else list(Programme.values)


def _lines(county: RegionCode, programmes: list[str]):
    return PayrollLine.objects.filter(payroll__region_code=county.code, programme__in=programmes)


def recovered_fen(county: RegionCode, programmes: list[str], start: dt.date, end: dt.date) -> int:
    """Money recovered from overpayments (追回) credited to the fund between `start` and `end`
    (inclusive): repayments by their date, deductions in lines the bank paid by the payroll's month,
    for the programme that overpaid (recovery.recovered_between)."""
    from .recovery import recovered_between

    return recovered_between(county.code, programmes, start, end)


def _pct(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Ledger:
    county: str
    programme: str  # "" for every programme
    year: int
    budget: dict[str, int]  # source -> fen
    received: int
    returned: int
    adjust_in: int
    adjust_out: int
    paid: int
    failed: int
    in_transit: int
    recovered: int
    paid_lines: int
    persons_paid: int
    paid_by_month: list[int] = field(default_factory=list)  # 12 values, January first
    entries: list = field(default_factory=list)

    @property
    def budget_total(self) -> int:
        return sum(self.budget.values())

    @property
    def balance(self) -> int:
        return self.received - self.returned + self.adjust_in - self.adjust_out - self.paid + self.recovered

    @property
    def available(self) -> int:
        return self.balance - self.in_transit

    @property
    def used_pct(self) -> Decimal | None:
        return _pct(self.paid, self.budget_total)

    @property
    def received_pct(self) -> Decimal | None:
        return _pct(self.received, self.budget_total)


def ledger(viewer, county_code, year: int, programme: str = "") -> Ledger:
    """The ledger of a county for a year and programme ("" or unknown: every programme)."""
    county = county_of(viewer, county_code)
    year = int(year)
    programmes = _programmes(programme)
    budget = {s: 0 for s in FundSource.values}
    for source, total in (FundBudget.objects.filter(region_code=county.code, year=year, programme__in=programmes)
                          .values("source").annotate(total=Sum("amount_fen")).values_list("source", "total")):
        budget[source] = total or 0
    entries = FundEntry.objects.filter(region_code=county.code, year=year, programme__in=programmes)
    sums = {k: 0 for k in FundEntryKind.values}
    for kind, total in entries.values("kind").annotate(total=Sum("amount_fen")).values_list("kind", "total"):
        sums[kind] = total or 0
    lines = _lines(county, programmes).filter(payroll__month__year=year)
    paid_q = lines.filter(status=c.LineStatus.PAID)
    agg = paid_q.aggregate(total=Sum("amount_fen"), n=Count("id"), persons=Count("person_id", distinct=True))
    by_month = [0] * 12
    for m, total in paid_q.annotate(m=ExtractMonth("payroll__month")).values("m").annotate(t=Sum("amount_fen")).values_list("m", "t"):
        by_month[m - 1] = total or 0
    failed = lines.filter(status=c.LineStatus.FAILED).aggregate(t=Sum("amount_fen"))["t"] or 0
    in_transit = lines.filter(payroll__state__in=SENT_STATES, status__in=c.PAYABLE).aggregate(t=Sum("amount_fen"))["t"] or 0
    return Ledger(
        county=county.code, programme=programme if programme in Programme.values else "", year=year, budget=budget,
        received=sums[FundEntryKind.RECEIVED], returned=sums[FundEntryKind.RETURNED], adjust_in=sums[FundEntryKind.ADJUST_IN],
        adjust_out=sums[FundEntryKind.ADJUST_OUT], paid=agg["total"] or 0, failed=failed, in_transit=in_transit,
        recovered=recovered_fen(county, programmes, dt.date(year, 1, 1), dt.date(year, 12, 31)),
        paid_lines=agg["n"] or 0, persons_paid=agg["persons"] or 0, paid_by_month=by_month,
        entries=list(entries.select_related("recorded_by").order_by("date", "id")),
    )


@dataclass
class StatementRow:
    programme: str
    lines_paid: int
    paid: int
    lines_failed: int
    failed: int
    persons_paid: int
    paid_ytd: int
    budget: int

    @property
    def label(self) -> str:
        return str(Programme(self.programme).label) if self.programme else _("合计")

    @property
    def used_pct(self) -> Decimal | None:
        return _pct(self.paid_ytd, self.budget)


def statement(viewer, county_code, month: dt.date) -> list[StatementRow]:
    """资金使用月报: per programme, the month's paid and failed lines and money, persons paid, the
    year's paid up to this month against the year's budget; the last row is the total (persons
    counted once even if paid under two programmes)."""
    county = county_of(viewer, county_code)
    month = month_of(month)
    programmes = list(Programme.values)
    lines = _lines(county, programmes)
    in_month = lines.filter(payroll__month=month)
    ytd = lines.filter(payroll__month__gte=dt.date(month.year, 1, 1), payroll__month__lte=month, status=c.LineStatus.PAID)
    budget = dict(FundBudget.objects.filter(region_code=county.code, year=month.year).values("programme")
                  .annotate(t=Sum("amount_fen")).values_list("programme", "t"))
    paid = Q(status=c.LineStatus.PAID)
    failed = Q(status=c.LineStatus.FAILED)
    month_rows = {r["programme"]: r for r in in_month.values("programme").annotate(
        lines_paid=Count("id", filter=paid), paid=Sum("amount_fen", filter=paid), lines_failed=Count("id", filter=failed),
        failed=Sum("amount_fen", filter=failed), persons=Count("person_id", filter=paid, distinct=True))}
    ytd_rows = dict(ytd.values("programme").annotate(t=Sum("amount_fen")).values_list("programme", "t"))
    rows = []
    for prog in programmes:
        r = month_rows.get(prog, {})
        rows.append(StatementRow(prog, r.get("lines_paid") or 0, r.get("paid") or 0, r.get("lines_failed") or 0, r.get("failed") or 0,
                                 r.get("persons") or 0, ytd_rows.get(prog) or 0, budget.get(prog) or 0))
    persons = in_month.filter(paid).aggregate(n=Count("person_id", distinct=True))["n"] or 0
    rows.append(StatementRow("", sum(r.lines_paid for r in rows), sum(r.paid for r in rows), sum(r.lines_failed for r in rows),
                             sum(r.failed for r in rows), persons, sum(r.paid_ytd for r in rows), sum(r.budget for r in rows)))
    return rows


# ── Writes ────────────────────────────────────────────────────────────────────────────────────


def _check_common(programme: str, year, amount_fen, document: str, errors: dict) -> None:
    if programme not in Programme.values:
        errors["programme"] = [_("请选择救助项目")]
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = [_("年度应在%(low)s至%(high)s之间") % {"low": MIN_YEAR, "high": MAX_YEAR}]
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool):
        errors["amount"] = [_("请填写金额")]
    if not (document or "").strip():
        errors["document"] = [_("请填写文件或凭证号")]


def budget_set(*, acting_user, county_code, programme: str, year: int, source: str, amount_fen: int, document: str,
               note: str = "") -> FundBudget:
    """Record (or change) the budget of a source; the history keeps each value and who set it."""
    from bangfu.common.money import too_large

    county = county_of(acting_user, county_code, p.RECORD_FUNDS)
    errors: dict[str, list] = {}
    _check_common(programme, year, amount_fen, document, errors)
    if source not in FundSource.values:
        errors["source"] = [_("请选择资金来源")]
    if "amount" not in errors and (amount_fen < 0 or too_large(amount_fen)):
        errors["amount"] = [too_large(amount_fen) or _("金额不能为负数")]
    if errors:
        raise PaymentError(errors, code=PaymentErrorCode.INVALID)
    with transaction.atomic():
        row = FundBudget.objects.select_for_update().filter(region_code=county.code, programme=programme, year=year,
                                                            source=source).first()
        if row is None:
            row = FundBudget(region_code=county.code, programme=programme, year=year, source=source)
        row.amount_fen = amount_fen
        row.document = document.strip()
        row.note = (note or "").strip()
        row.recorded_by = acting_user
        row._history_user = acting_user
        row.save()
    return row


def entry_add(*, acting_user, county_code, programme: str, year: int, date: dt.date, kind: str, amount_fen: int, document: str,
              source: str = "", note: str = "") -> FundEntry:
    """Record money received, returned to finance, or a correction (never edited afterwards)."""
    from bangfu.common.money import too_large

    county = county_of(acting_user, county_code, p.RECORD_FUNDS)
    errors: dict[str, list] = {}
    _check_common(programme, year, amount_fen, document, errors)
    if kind not in FundEntryKind.values:
        errors["kind"] = [_("请选择类型")]
    if source and source not in FundSource.values:
        errors["source"] = [_("请选择资金来源")]
    if kind == FundEntryKind.RECEIVED and not source:
        errors["source"] = [_("资金到账须注明资金来源")]
    if "amount" not in errors and (amount_fen <= 0 or too_large(amount_fen)):
        errors["amount"] = [too_large(amount_fen) or _("金额须大于0")]
    if not isinstance(date, dt.date):
        errors["date"] = [_("请填写日期")]
    elif "year" not in errors and abs(date.year - year) > 1:
        errors["date"] = [_("日期与资金年度相差超过一年")]
    if errors:
        raise PaymentError(errors, code=PaymentErrorCode.INVALID)
    entry = FundEntry(region_code=county.code, programme=programme, year=year, date=date, kind=kind, source=source,
                      amount_fen=amount_fen, document=document.strip(), note=(note or "").strip(), recorded_by=acting_user)
    entry._history_user = acting_user
    entry.save()
    return entry
