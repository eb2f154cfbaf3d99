"""Funds ledger pages (资金台账): the ledger of a county for a year (and programme), the forms that
record budgets and money received or returned (county officer), the monthly statement of fund use
and its Excel export. Thin: reads through funds.ledger / funds.statement (permission and region
checked there), writes through funds.budget_set / funds.entry_add; exports are logged."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bangfu.accounts.access import NotFound
from bangfu.accounts.permissions import has_perm, require_perm
from bangfu.benefits.choices import Programme
from bangfu.common.http import xlsx_attachment
from bangfu.common.models import AccessLog, log_access
from bangfu.common.months import month_of
from bangfu.regions.codes import COUNTY, RegionCode
from bangfu.regions.models import Region
from bangfu.regions.scoping import bound_region

from . import exports_funds, funds, permissions
from .forms_funds import BudgetForm, EntryForm, LedgerFilterForm, StatementForm
from .services import PaymentError

NO_FUNDS = gettext_lazy("您的账号不能查看资金台账")


def _counties(user) -> list[tuple[str, str]]:
    """The counties the user may pick (a county officer: its own)."""
    region = bound_region(user)
    if region is None:
        return []
    if region.level >= COUNTY:
        code = region.county.code
        return list(Region.objects.filter(code=code).values_list("code", "name")) or [(code, code)]
    return list(Region.objects.filter(level=COUNTY).within(region).order_by("code").values_list("code", "name"))


def _county(request, counties) -> str:
    asked = request.GET.get("county") or request.POST.get("county") or ""
    codes = [code for code, _name in counties]
    if asked:
        try:
            asked = RegionCode.parse(asked).code
        except (ValueError, TypeError):
            raise NotFound() from None
        if asked not in codes:
            raise NotFound()
        return asked
    if not codes:
        raise NotFound()
    return codes[0]


@require_perm(permissions.VIEW_FUNDS, NO_FUNDS)
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """资金台账: budget by source, money received, paid, failed, returned, the balance; by month."""
    counties = _counties(request.user)
    county = _county(request, counties)
    form = LedgerFilterForm(request.GET or None)
    year, programme = dt.date.today().year, ""
    if form.is_bound and form.is_valid():
        year = form.cleaned_data.get("year") or year
        programme = form.cleaned_data.get("programme") or ""
    book = funds.ledger(request.user, county, year, programme)
    can_record = has_perm(request.user, permissions.RECORD_FUNDS)
    for e in book.entries:
        e.programme_label = Programme(e.programme).label if e.programme in Programme.values else e.programme
    months = [(dt.date(year, m, 1), fen) for m, fen in enumerate(book.paid_by_month, start=1)]
    context = {
        "book": book, "form": form, "counties": counties, "county": county,
        "county_name": dict(counties).get(county, county),
        "programme_label": Programme(programme).label if programme else _("全部项目"),
        "budget_rows": [(label, book.budget[value]) for value, label in funds.FundSource.choices],
        "months": months,
        "budget_form": BudgetForm(initial={"year": year, "programme": programme or Programme.DIBAO}) if can_record else None,
        "entry_form": EntryForm(initial={"year": year, "programme": programme or Programme.DIBAO, "date": dt.date.today()})
        if can_record else None,
    }
    return render(request, "payments/funds.html", context)


def _back(county: str, year, programme: str = "") -> HttpResponse:
    query = {"county": county, "year": year}
    if programme:
        query["programme"] = programme
    return redirect(reverse("payments:funds") + "?" + urlencode(query))


def _record(request, form_class, call, done: str) -> HttpResponse:
    counties = _counties(request.user)
    county = _county(request, counties)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(request, _("%(label)s：%(error)s") % {"label": label, "error": e} if label else e)
        return _back(county, request.POST.get("year") or dt.date.today().year)
    data = form.cleaned_data
    try:
        call(county, data)
    except PaymentError as exc:
        payment_error_messages(request, form, exc)
    else:
        messages.success(request, done)
    return _back(county, data["year"], data["programme"])


@require_perm(permissions.RECORD_FUNDS)
@require_POST
def budget_record(request: HttpRequest) -> HttpResponse:
    return _record(request, BudgetForm, lambda county, d: funds.budget_set(
        acting_user=request.user, county_code=county, programme=d["programme"], year=d["year"], source=d["source"],
        amount_fen=d["amount"], document=d["document"], note=d.get("note") or ""), _("预算已登记"))


@require_perm(permissions.RECORD_FUNDS)
@require_POST
def entry_record(request: HttpRequest) -> HttpResponse:
    return _record(request, EntryForm, lambda county, d: funds.entry_add(
        acting_user=request.user, county_code=county, programme=d["programme"], year=d["year"], date=d["date"], kind=d["kind"],
        amount_fen=d["amount"], document=d["document"], source=d.get("source") or "", note=d.get("note") or ""), _("已登记"))


def _statement_args(request):
    counties = _counties(request.user)
    county = _county(request, counties)
    form = StatementForm(request.GET or None)
    month = month_of(dt.date.today())
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"]
    return counties, county, form, month


@require_perm(permissions.VIEW_FUNDS, NO_FUNDS)
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    """资金使用月报 of a county and month."""
    counties, county, form, month = _statement_args(request)
    rows = funds.statement(request.user, county, month)
    return render(request, "payments/funds_statement.html", {
        "rows": rows, "form": form, "counties": counties, "county": county, "county_name": dict(counties).get(county, county),
        "month": month, "query": urlencode({"county": county, "month": f"{month:%Y-%m}"})})


@require_perm(permissions.VIEW_FUNDS, NO_FUNDS)
@require_GET
def statement_export(request: HttpRequest) -> HttpResponse:
    counties, county, _form, month = _statement_args(request)
    rows = funds.statement(request.user, county, month)
    buffer = io.BytesIO()
    exports_funds.write_statement(buffer, rows, county_name=dict(counties).get(county, county), month=month)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="funds_statement", object_id=county,
               region_code=request.user.region.code, detail=f"资金使用月报导出 {county} {month:%Y-%m}", request=request)
    return xlsx_attachment(buffer.getvalue(), _("资金使用月报_%(month)s.xlsx") % {"month": f"{month:%Y%m}"})


def payment_error_messages(request, form, exc: PaymentError) -> None:
    """A refused change as messages: each field's errors led by the field's label, else the message."""
    for field, errors in exc.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, _("%(label)s：%(error)s") % {"label": label, "error": e} if label else str(e))
    if not exc.errors:
        messages.error(request, exc.message)
