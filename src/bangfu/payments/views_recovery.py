"""Recovery pages (应追回款): the county's receivables (filters by state and reason, Excel export),
a receivable's page with its history, and the forms that record one from a decided case, set its
deduction, record a repayment, ask for and approve a write-off. Thin: reads and writes go through
payments.recovery (permission and region checked there); views of a person and exports are logged."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bangfu.accounts.access import NotFound, access_by_id
from bangfu.accounts.permissions import has_perm, require_perm
from bangfu.common.http import xlsx_attachment
from bangfu.common.models import AccessLog, log_access

from . import exports_recovery, recovery
from . import permissions as p
from .forms_recovery import DeductionForm, FilterForm, FromCaseForm, RepaymentForm, WriteOffForm
from .services import PaymentError
from .views_funds import _counties, _county, payment_error_messages

NO_RECOVERY = gettext_lazy("您的账号不能查看应追回款")


def _list_args(request):
    counties = _counties(request.user)
    county = _county(request, counties)
    form = FilterForm(request.GET or None)
    state = reason = ""
    if form.is_bound and form.is_valid():
        state, reason = form.cleaned_data.get("state") or "", form.cleaned_data.get("reason") or ""
    return counties, county, form, state, reason


@require_perm(p.VIEW_RECOVERY, NO_RECOVERY)
@require_GET
def receivables(request: HttpRequest) -> HttpResponse:
    """应追回款 of a county: reason, person, months, amount, recovered, still open, state."""
    counties, county, form, state, reason = _list_args(request)
    rows = list(recovery.receivables_for(request.user, county, state=state, reason=reason)[:500])
    query = {"county": county, "state": state, "reason": reason}
    return render(request, "payments/receivables.html", {
        "rows": rows, "form": form, "counties": counties, "county": county, "county_name": dict(counties).get(county, county),
        "query": urlencode({k: v for k, v in query.items() if v}),
        "case_form": FromCaseForm() if has_perm(request.user, p.MANAGE_RECOVERY) else None})


@require_perm(p.VIEW_RECOVERY, NO_RECOVERY)
@require_GET
def receivables_export(request: HttpRequest) -> HttpResponse:
    counties, county, _form, state, reason = _list_args(request)
    rows = list(recovery.receivables_for(request.user, county, state=state, reason=reason))
    buffer = io.BytesIO()
    exports_recovery.write_receivables(buffer, rows, county_name=dict(counties).get(county, county))
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="receivables", object_id=county,
               region_code=request.user.region.code, detail=f"应追回款导出 {county} {state} {reason} {len(rows)}", request=request)
    return xlsx_attachment(buffer.getvalue(), _("应追回款.xlsx"))


@require_perm(p.VIEW_RECOVERY, NO_RECOVERY)
@require_GET
def receivable(request: HttpRequest, pk: int) -> HttpResponse:
    """One receivable: where it comes from, its months, the deductions with their bank outcome, the
    repayments, the history; the forms the user's role may use."""
    r = recovery.receivable_for(request.user, pk)
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="receivable", object_id=r.pk,
               region_code=r.region_code, detail=f"应追回款 {r.pk}", request=request)
    manage = has_perm(request.user, p.MANAGE_RECOVERY) and r.state in recovery.OPEN_STATES
    approve = (has_perm(request.user, p.APPROVE_WRITE_OFF) and r.state in recovery.OPEN_STATES
               and r.write_off_requested_by_id not in (None, request.user.pk))
    return render(request, "payments/receivable.html", {
        "r": r, "pending": recovery.pending_fen(r),
        "deductions": r.deductions.select_related("line", "line__payroll").order_by("month", "id"),
        "repayments": r.repayments.select_related("recorded_by"), "events": r.events.select_related("by"),
        "deduction_form": DeductionForm(initial={"mode": r.deduct_mode, "document": r.deduct_document,
                                                 "monthly": f"{r.deduct_monthly_fen / 100:.2f}" if r.deduct_monthly_fen else ""})
        if manage else None,
        "repayment_form": RepaymentForm() if manage else None,
        "write_off_form": WriteOffForm() if manage else None,
        "can_approve_write_off": approve})


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, _("%(label)s：%(error)s") % {"label": label, "error": e} if label else e)


def _act(request, pk, form_class, call, done: str) -> HttpResponse:
    r = recovery.receivable_for(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            call(r, form.cleaned_data)
        except PaymentError as exc:
            payment_error_messages(request, form, exc)
        else:
            messages.success(request, done)
    return redirect("payments:receivable", pk=r.pk)


@require_perm(p.MANAGE_RECOVERY)
@require_POST
def deduction_set(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, DeductionForm, lambda r, d: recovery.deduction_set(
        acting_user=request.user, receivable=r, mode=d["mode"], monthly_fen=d.get("monthly"), document=d.get("document") or ""),
        _("扣减方式已保存，从下一次生成的花名册起执行"))


@require_perm(p.MANAGE_RECOVERY)
@require_POST
def repayment_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, RepaymentForm, lambda r, d: recovery.repayment_record(
        acting_user=request.user, receivable=r, date=d["date"], amount_fen=d["amount"], receipt_number=d["receipt_number"]),
        _("退回款项已登记"))


@require_perm(p.MANAGE_RECOVERY)
@require_POST
def write_off_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, WriteOffForm, lambda r, d: recovery.write_off_request(acting_user=request.user, receivable=r,
                                                                                    reason=d["reason"]),
                _("核销申请已提交，须由其他县级工作人员审批"))


@require_perm(p.APPROVE_WRITE_OFF)
@require_POST
def write_off_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, forms.Form, lambda r, d: recovery.write_off_approve(acting_user=request.user, receivable=r),
                _("已核销"))


@require_perm(p.MANAGE_RECOVERY)
@require_POST
def from_case(request: HttpRequest) -> HttpResponse:
    """Record what a decided stop paid wrongly (冒领、错保): the case, the months, the reason."""
    from bangfu.cases.models import Case
    from bangfu.common.months import next_month

    counties = _counties(request.user)
    county = _county(request, counties)
    back = redirect(reverse("payments:receivables") + "?" + urlencode({"county": county}))
    form = FromCaseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return back
    d = form.cleaned_data
    try:
        case = access_by_id(request.user, Case.objects.all(), d["case"], households=True)
    except NotFound:
        messages.error(request, _("没有找到这个案件"))
        return back
    months, m = [], d["first_month"]
    while m <= d["last_month"]:
        months.append(m)
        m = next_month(m)
    try:
        r = recovery.receivable_from_case(acting_user=request.user, case=case, reason=d["reason"], months=months,
                                          amount_fen=d.get("amount"), note=d.get("note") or "")
    except PaymentError as exc:
        payment_error_messages(request, form, exc)
        return back
    messages.success(request, _("应追回款已登记"))
    return redirect("payments:receivable", pk=r.pk)
