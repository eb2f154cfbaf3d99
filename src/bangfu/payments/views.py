"""Payments pages (issue 15): the payrolls of the county, one payroll with its lines (filter by
status, finding, kind; Excel export), the township check, the release of a held line, approval and
locking, the build form, and the account of a benefit. Thin: reads through selectors (scoped),
writes through services; every export is logged (log_access)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.accounts.access import household_by_id
from bangfu.accounts.permissions import has_perm, require_perm
from bangfu.benefits.models import Benefit
from bangfu.common.http import xlsx_attachment
from bangfu.common.models import AccessLog, log_access
from bangfu.regions.codes import COUNTY
from bangfu.regions.models import Region
from bangfu.regions.scoping import bound_region

from . import choices as c
from . import exports, permissions, selectors, services
from .forms import AccountForm, BuildForm, LineFilterForm, ReleaseForm
from .models import PaymentAccount

PAGE_ROWS = 200
NO_PAYMENTS = gettext_lazy("您的账号不能查看资金发放数据")


def _names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


@require_perm(permissions.VIEW_PAYMENTS, NO_PAYMENTS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """发放花名册: the county's payrolls, newest month first; the county builds a month here."""
    rows = list(selectors.payrolls(request.user).select_related("built_by", "approved_by")[:120])
    region = bound_region(request.user)
    can_build = has_perm(request.user, permissions.BUILD_PAYROLL) and region is not None and region.level == COUNTY
    context = {"rows": rows, "names": _names(r.region_code for r in rows), "form": BuildForm() if can_build else None}
    for r in rows:
        r.county_name = context["names"].get(r.region_code, r.region_code)
    return render(request, "payments/index.html", context)


def _build_request(request) -> tuple[str, dict] | None:
    """The county and the month (and programme) a build form asks for, the county being the
    user's own; None after telling the user what is wrong."""
    form = BuildForm(request.POST)
    region = bound_region(request.user)
    if region is None or region.level != COUNTY:
        messages.error(request, _("花名册由县级经办人员按本县生成"))
        return None
    if not form.is_valid():
        messages.error(request, _("请填写正确的发放月份"))
        return None
    return region.code, form.cleaned_data


@require_perm(permissions.BUILD_PAYROLL)
@require_POST
def build(request: HttpRequest) -> HttpResponse:
    asked = _build_request(request)
    if asked is None:
        return redirect("payments:index")
    county, data = asked
    try:
        payroll, built = services.payroll_build(acting_user=request.user, county_code=county, month=data["month"],
                                                programme=data.get("programme") or "")
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("payments:index")
    if built:
        messages.success(request, _("已生成花名册：%(n)s笔，其中%(held)s笔有疑点暂停发放") % {"n": payroll.line_count, "held": payroll.held_count})
    else:
        messages.info(request, _("该月的花名册已生成，未重复生成"))
    return redirect("payments:payroll", pk=payroll.pk)


def _lines(request, payroll):
    form = LineFilterForm(request.GET or None)
    status, flag, kind = form.values()
    return form, selectors.lines(request.user, payroll, status=status, flag=flag, kind=kind)


@require_perm(permissions.VIEW_PAYMENTS, NO_PAYMENTS)
@require_GET
def payroll(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.payroll_for(request.user, pk)
    form, qs = _lines(request, obj)
    rows = list(qs[: PAGE_ROWS + 1])
    more = len(rows) > PAGE_ROWS
    rows = rows[:PAGE_ROWS]
    names = _names(r.township for r in rows)
    for r in rows:
        r.township_name = names.get(r.township, "")
        r.masked_account = exports.mask_account(r.account_number)
    user = request.user
    region = bound_region(user)
    checked = set(obj.township_checks.values_list("township_code", flat=True))
    towns = services.townships_of(obj)
    context = {
        "payroll": obj, "form": form, "rows": rows, "more": more, "query": request.GET.urlencode(),
        "county_name": _names([obj.region_code]).get(obj.region_code, obj.region_code),
        "flag_counts": [(c.Flag(f).label, f, n) for f, n in selectors.flag_counts(user, obj).items() if n],
        "towns": [(t, _names(towns).get(t, t), t in checked) for t in sorted(towns)],
        "can_check": has_perm(user, permissions.CHECK_PAYROLL) and obj.state == c.PayrollState.DRAFT and region is not None
        and region.township is not None and region.township.code in towns and region.township.code not in checked,
        "can_release": has_perm(user, permissions.RELEASE_PAYROLL_LINE) and obj.state in (c.PayrollState.DRAFT, c.PayrollState.CHECKED)
        and obj.built_by_id != user.pk,
        "can_approve": has_perm(user, permissions.APPROVE_PAYROLL) and obj.built_by_id != user.pk
        and (obj.state == c.PayrollState.CHECKED or (obj.state == c.PayrollState.DRAFT and not towns)),
        "can_lock": has_perm(user, permissions.APPROVE_PAYROLL) and obj.state == c.PayrollState.APPROVED,
        "events": list(selectors.events(obj)[:100]),
        "banks": _banks(obj) if has_perm(user, permissions.APPROVE_PAYROLL) and obj.state in (c.PayrollState.APPROVED, c.PayrollState.LOCKED) else [],
        "release_form": ReleaseForm(),
    }
    return render(request, "payments/payroll.html", context)


def _banks(payroll) -> list[tuple[str, str]]:
    from . import bank

    return [(code, row.name) for code, row in sorted(bank.county_layouts(payroll.region_code).items())]


@require_perm(permissions.VIEW_PAYMENTS, NO_PAYMENTS)
@require_GET
def payroll_export(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.payroll_for(request.user, pk)
    _form, qs = _lines(request, obj)
    towns = services.townships_of(obj)
    names = _names(towns)
    buffer = io.BytesIO()
    n = exports.write_lines(buffer, qs.iterator(chunk_size=2000), names=names)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="payroll", object_id=obj.pk,
               region_code=request.user.region.code, detail=f"发放明细导出 {obj.month:%Y-%m} {n} 条", request=request)
    return xlsx_attachment(buffer.getvalue(), _("发放明细_%(month)s.xlsx") % {"month": f"{obj.month:%Y%m}"})


def _act(request, pk, call, done: str) -> HttpResponse:
    obj = selectors.payroll_for(request.user, pk)
    try:
        call(obj)
    except services.PaymentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("payments:payroll", pk=obj.pk)


@require_perm(permissions.CHECK_PAYROLL)
@require_POST
def payroll_check(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda p: services.payroll_check(acting_user=request.user, payroll=p, note=request.POST.get("note", "")),
                _("已记录本乡镇审核"))


@require_perm(permissions.APPROVE_PAYROLL)
@require_POST
def payroll_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda p: services.payroll_approve(acting_user=request.user, payroll=p), _("花名册已审批"))


@require_perm(permissions.APPROVE_PAYROLL)
@require_POST
def payroll_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda p: services.payroll_lock(acting_user=request.user, payroll=p), _("花名册已锁定"))


@require_perm(permissions.RELEASE_PAYROLL_LINE)
@require_POST
def line_release(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_for(request.user, pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写放行理由"))
    else:
        try:
            services.line_release(acting_user=request.user, line=line, reason=form.cleaned_data["reason"])
        except services.PaymentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已放行"))
    return redirect(reverse("payments:payroll", args=[line.payroll_id]) + "?status=held")


@require_perm(permissions.MANAGE_PAYMENT_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest, benefit_id: int) -> HttpResponse:
    """收款账户: the account a benefit is paid into, with its change history."""
    benefit = household_by_id(request.user, Benefit.objects.select_related("household__head", "person"), benefit_id)
    current = PaymentAccount.objects.filter(benefit=benefit).first()
    initial = {f: getattr(current, f) for f in AccountForm.base_fields} if current else {
        "holder_name": (benefit.person or benefit.household.head).name if (benefit.person_id or benefit.household.head_id) else ""}
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set(acting_user=request.user, benefit=benefit, **form.cleaned_data)
        except services.PaymentError as exc:
            for field, errors in exc.errors.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            messages.success(request, _("收款账户已保存"))
            return redirect("payments:account", benefit_id=benefit.pk)
    history = list(current.history.select_related("history_user").order_by("-history_id")[:20]) if current else []
    for h in history:
        h.masked_account = exports.mask_account(h.account_number)
    return render(request, "payments/account.html", {"benefit": benefit, "form": form, "history": history})


@require_perm(permissions.APPROVE_PAYROLL)
@require_POST
def payroll_bank_file(request: HttpRequest, pk: int) -> HttpResponse:
    """代发文件: the locked payroll's lines in the chosen bank's layout (locks an approved payroll)."""
    from . import bank

    obj = selectors.payroll_for(request.user, pk)
    code = request.POST.get("bank", "")
    try:
        data, n, total = bank.payroll_bank_file(acting_user=request.user, payroll=obj, bank_code=code)
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("payments:payroll", pk=obj.pk)
    layout = bank.county_layouts(obj.region_code)[code].layout
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="payroll_bank_file", object_id=obj.pk,
               region_code=request.user.region.code, detail=f"代发文件 {code} {obj.month:%Y-%m} {n} 笔 {total} 分", request=request)
    suffix = "xlsx" if layout.get("format") == "xlsx" else ("csv" if layout.get("delimiter") == "," else "txt")
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="payroll_{obj.pk}_{code}.{suffix}"'
    return response


@require_perm(permissions.APPROVE_PAYROLL)
@require_POST
def payroll_return(request: HttpRequest, pk: int) -> HttpResponse:
    """导入回盘: the bank's return file; failed lines show with the bank's reason."""
    from . import bank

    obj = selectors.payroll_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None or upload.size > 50 * 1024 * 1024:
        messages.error(request, _("请选择银行回盘文件"))
        return redirect("payments:payroll", pk=obj.pk)
    try:
        record = bank.payroll_return_import(acting_user=request.user, payroll=obj, data=upload.read(), filename=upload.name,
                                            bank_code=request.POST.get("bank", ""))
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("payments:payroll", pk=obj.pk)
    messages.success(request, _("回盘已导入：入账%(paid)s笔，失败%(failed)s笔，无法处理%(problems)s行")
                     % {"paid": record.paid, "failed": record.failed, "problems": len(record.problems)})
    for row, text in record.problems[:20]:
        messages.warning(request, _("第%(row)s行：%(text)s") % {"row": row, "text": text})
    return redirect(reverse("payments:payroll", args=[obj.pk]) + "?status=failed")


# ----------------------------------------------------------------------------- 补发批次 (supplementary)


def _failure_county(request) -> str | None:
    """The county whose failures are shown: the user's own, or (above a county) the one asked for."""
    region = bound_region(request.user)
    if region is None:
        return None
    if region.level >= COUNTY:
        county = region.county
        return county.code if county is not None else None
    asked = (request.GET.get("county") or "").strip()
    try:
        from bangfu.regions.codes import RegionCode

        code = RegionCode.parse(asked)
    except (ValueError, TypeError):
        return None
    return code.code if code.level == COUNTY and region.contains(code) else None


@require_perm(permissions.VIEW_PAYMENTS, NO_PAYMENTS)
@require_GET
def failures(request: HttpRequest) -> HttpResponse:
    """发放失败待处理清单: the county's failed lines not yet paid again, whether the account was
    corrected since, and the button that builds the supplementary batch."""
    from . import supplementary

    county = _failure_county(request)
    rows = supplementary.failure_worklist(acting_user=request.user, county_code=county) if county else []
    can_build = county is not None and has_perm(request.user, permissions.BUILD_PAYROLL)
    names = _names(r.line.region_code for r in rows)
    for r in rows:
        r.place = names.get(r.line.region_code, r.line.region_code)
        r.masked = exports.mask_account(r.account.account_number if r.account else "")
    context = {"rows": rows, "county": county, "form": BuildForm() if can_build else None,
               "can_fix": has_perm(request.user, permissions.MANAGE_PAYMENT_ACCOUNTS),
               "ready": sum(1 for r in rows if r.corrected), "total_fen": sum(r.line.amount_fen for r in rows)}
    return render(request, "payments/failures.html", context)


@require_perm(permissions.VIEW_PAYMENTS, NO_PAYMENTS)
@require_GET
def failures_export(request: HttpRequest) -> HttpResponse:
    from . import supplementary

    county = _failure_county(request)
    if county is None:
        messages.error(request, _("请选择县（市、区）"))
        return redirect("payments:failures")
    rows = supplementary.failure_worklist(acting_user=request.user, county_code=county)
    buffer = io.BytesIO()
    n = exports.write_failures(buffer, rows, names=_names(r.line.region_code for r in rows))
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="payment_failures", object_id=county,
               region_code=request.user.region.code, detail=f"发放失败清单导出 {n} 条", request=request)
    return xlsx_attachment(buffer.getvalue(), _("发放失败清单.xlsx"))


@require_perm(permissions.BUILD_PAYROLL)
@require_POST
def failures_build(request: HttpRequest) -> HttpResponse:
    """生成补发批次: one line per failed line whose account was corrected."""
    from . import supplementary

    asked = _build_request(request)
    if asked is None:
        return redirect("payments:failures")
    county, data = asked
    try:
        payroll, n = supplementary.supplementary_build(acting_user=request.user, county_code=county, month=data["month"])
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("payments:failures")
    if payroll is None:
        messages.info(request, _("没有收款账户已更正的发放失败明细，未生成补发批次"))
        return redirect("payments:failures")
    messages.success(request, _("已生成补发批次：%(n)s笔，其中%(held)s笔有疑点暂停发放") % {"n": n, "held": payroll.held_count})
    return redirect("payments:payroll", pk=payroll.pk)
