"""Case pages (issue 4). Thin: reads through selectors (scoped), writes through services; a case
outside the user's region answers 404 exactly as a missing one."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.accounts.access import NotFound
from bangfu.accounts.permissions import check_perm, has_perm, require_perm
from bangfu.common.http import client_ip, xlsx_attachment
from bangfu.registry.permissions import EXPORT, EXPORT_FULL_ID
from bangfu.common.models import AccessLog, log_access

from . import exports, selectors, services
from . import permissions
from . import transitions as tt
from .choices import CaseType, Origin
from .forms import ActionForm, CaseCreateForm, InboxFilterForm, JobOfferForm, LookupForm, OnlineApplicationForm
from .models import NO_DEADLINE, Case


# Login, and a role that works with cases (permissions.VIEW_CASES); others get 403.
case_role_required = require_perm(permissions.VIEW_CASES, gettext_lazy("您没有查看救助案件的权限"))


def _today(request) -> dt.date:
    return timezone.localdate()


def _client_ip(request) -> str:
    return client_ip(request) or "0.0.0.0"


# ----------------------------------------------------------------------------- inbox


def _inbox_filter(request) -> tuple[InboxFilterForm, selectors.InboxFilter]:
    townships, villages = selectors.inbox_region_choices(request.user, request.GET.get("township", ""))
    form = InboxFilterForm(request.GET or None, townships=townships, villages=villages)
    flt = selectors.InboxFilter(**form.filter_values()) if form.is_bound else selectors.InboxFilter()
    return form, flt


def _after(raw: str) -> tuple[dt.date, int] | None:
    if not raw:
        return None
    try:
        due, pk = raw.split("_", 1)
        return dt.date.fromisoformat(due), int(pk)
    except ValueError:
        return None


@case_role_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """待办案件: the tabs "waits for me" and "waits for others", filtered by type, state, township,
    village and overdue, searched by name, ID number or receipt number; keyset pages."""
    today = _today(request)
    form, flt = _inbox_filter(request)
    after = _after(request.GET.get("after", ""))
    rows, next_after = selectors.inbox(request.user, flt, today=today, after=after)
    selectors.place_names(rows)
    query = request.GET.copy()
    query.pop("after", None)
    tab_query = query.copy()
    tab_query.pop("tab", None)
    context = {
        "form": form, "flt": flt, "rows": rows, "today": today, "no_deadline": NO_DEADLINE, "after": after,
        "next_after": f"{next_after[0].isoformat()}_{next_after[1]}" if next_after else "",
        "tab_query": tab_query.urlencode(), "query": query.urlencode(),
        "may_export": has_perm(request.user, EXPORT),
    }
    fragment = request.htmx and not request.htmx.history_restore_request and request.htmx.target == "inbox-table"
    if fragment:
        response = render(request, "cases/_inbox_table.html", context)
    else:
        context.update({
            "overdue": selectors.overdue_by_office(request.user, today=today),
            "changes": selectors.open_reassessment_changes(request.user),
            "may_create": has_perm(request.user, permissions.CREATE_CASE),
        })
        response = render(request, "cases/index.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _export_response(request, rows, *, title: str, object_type: str, filename: str) -> HttpResponse:
    """Writes `rows` (a capped queryset) with names of places, masked unless the user may export full
    ID numbers, and logs the download as every export does."""
    check_perm(request.user, EXPORT, _("您没有导出名单的权限"))
    today = _today(request)
    rows = list(rows[: selectors.EXPORT_MAX_ROWS + 1])
    if len(rows) > selectors.EXPORT_MAX_ROWS:
        messages.error(request, _("超过 %(n)s 件，请先按乡镇、村或类型筛选后再导出") % {"n": selectors.EXPORT_MAX_ROWS})
        return redirect(f"{reverse('cases:index')}?{request.GET.urlencode()}")
    selectors.place_names(rows)
    full = has_perm(request.user, EXPORT_FULL_ID)
    buffer = io.BytesIO()
    n = exports.write_case_list(buffer, rows, title=title, today=today, full_id=full)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type=object_type,
               region_code=request.user.region.code if request.user.region else "",
               detail=f"{title} {n} 件（{'完整' if full else '脱敏'}号码）", request=request)
    return xlsx_attachment(buffer.getvalue(), filename % {"date": f"{today:%Y%m%d}"})


@case_role_required
@require_GET
def inbox_export(request: HttpRequest) -> HttpResponse:
    """The inbox as filtered, as xlsx (the same tab, filters and order as the page)."""
    _form, flt = _inbox_filter(request)
    rows = selectors.inbox_export_rows(request.user, flt, today=_today(request))
    return _export_response(request, rows, title=_("待办案件"), object_type="cases.inbox",
                            filename=_("待办案件_%(date)s.xlsx"))


@case_role_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    today = _today(request)
    office = request.GET.get("office", "")
    rows = selectors.overdue(request.user, today=today, office=office)
    selectors.place_names(rows)
    context = {"rows": rows, "today": today, "offices": selectors.overdue_by_office(request.user, today=today),
               "office": office, "may_export": has_perm(request.user, EXPORT), "query": request.GET.urlencode()}
    return render(request, "cases/overdue.html", context)


@case_role_required
@require_GET
def overdue_export(request: HttpRequest) -> HttpResponse:
    """The overdue cases (of one office when chosen), as xlsx."""
    rows = selectors.overdue_queryset(request.user, today=_today(request), office=request.GET.get("office", ""))
    return _export_response(request, rows, title=_("超期案件"), object_type="cases.overdue",
                            filename=_("超期案件_%(date)s.xlsx"))


# ----------------------------------------------------------------------------- create


@case_role_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, permissions.CREATE_CASE, _("只有村（社区）工作人员或乡镇（街道）经办人员可以登记申请"))
    if request.method == "POST":
        form = CaseCreateForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                household = selectors.case_household(request.user, d["household"])
            except NotFound:
                form.add_error("household", _("户号不存在或不在您的辖区"))
            else:
                person = None
                if d.get("person"):
                    try:
                        person = selectors.case_person(household, d["person"])
                    except NotFound:
                        form.add_error("person", _("该成员不属于此家庭"))
                if not form.errors:
                    try:
                        case = services.case_create(
                            acting_user=request.user, case_type=d["case_type"], household=household, person=person,
                            origin=Origin.LINK if d.get("origin") else Origin.WORKER, origin_note=d.get("origin") or "",
                            statement=d.get("statement") or "", applied_on=d.get("applied_on"),
                            emergency_event=d.get("emergency_event") or "", emergency_date=d.get("emergency_date"),
                            emergency_loss_fen=d.get("emergency_loss_yuan"),
                            related_staff_name=d.get("related_staff_name") or "",
                            related_staff_relation=d.get("related_staff_relation") or "", today=_today(request))
                    except services.DomainError as exc:  # CaseError, or a refusal of the engine or benefits
                        form.add_error(None, exc.message)
                    else:
                        messages.success(request, _("申请已登记，案件号 %(pk)s") % {"pk": case.pk})
                        return redirect(case.get_absolute_url())
    else:
        initial = {"applied_on": _today(request)}
        if request.GET.get("household", "").isdigit():
            initial["household"] = int(request.GET["household"])
        if request.GET.get("type") in CaseType.values:
            initial["case_type"] = request.GET["type"]
        if request.GET.get("origin"):
            initial["origin"] = request.GET["origin"][:255]
        form = CaseCreateForm(initial=initial)
    hid = form.data.get("household") if form.is_bound else form.initial.get("household")
    household, members = selectors.case_form_household(request.user, hid)
    return render(request, "cases/case_form.html", {"form": form, "household": household, "members": members})


# ----------------------------------------------------------------------------- case page


def _forms_for(case: Case, user) -> list[tuple[tt.Transition, ActionForm]]:
    out = []
    for t in tt.available(case.case_type, case.state):
        if t.action == "verify_identity" and not case.identity_unverified:
            continue
        if user.role in tt.roles_for(t, case.decider_level):
            out.append((t, ActionForm(case=case, action=t.action, prefix=t.action)))
    return out


@case_role_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="case", object_id=case.pk,
               region_code=case.region_code, detail=f"案件 {case.pk}", request=request)
    return _render_case(request, case)


def _render_case(request, case, failed: tuple[str, ActionForm] | None = None, status: int = 200) -> HttpResponse:
    forms = _forms_for(case, request.user)
    if failed:
        forms = [(t, failed[1] if t.action == failed[0] else f) for t, f in forms]
    context = {
        "case": case, "forms": forms, "today": _today(request),
        "events": case.events.select_related("actor").order_by("at", "pk"),
        "investigations": case.investigations.prefetch_related("investigators").order_by("pk"),
        "objections": case.objections.order_by("pk"),
        "labels": tt.ACTION_LABELS,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@case_role_required
@require_POST
def case_action(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    action = request.POST.get("action_name", "")
    form = ActionForm(request.POST, case=case, action=action, prefix=action)
    if not form.is_valid():
        messages.error(request, _("未保存：请按提示修改后再提交。"))
        return _render_case(request, case, failed=(action, form), status=400)
    try:
        services.case_perform(acting_user=request.user, case_id=case.pk, action=form.cleaned_data["action"],
                         version=form.cleaned_data["version"], data=form.service_data(), today=_today(request))
    except services.DomainError as exc:  # CaseError, or a refusal of the engine or benefits
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
        case.refresh_from_db()
        return _render_case(request, case, failed=(action, form) if exc.code != "stale" else None,
                            status=409 if exc.code == "stale" else 400)
    messages.success(request, _("已办理：%(label)s") % {"label": tt.ACTION_LABELS.get(action, action)})
    return redirect(case.get_absolute_url())


@case_role_required
@require_GET
def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The public notice for the village board (办法 §19): masked ID, no income details."""
    case = selectors.case_get(request.user, pk)
    if case.notice_start is None:
        raise Http404
    return render(request, "cases/print_notice.html", {"case": case})


@case_role_required
@require_GET
def decision_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The written notice of the decision (notices.py): approval, refusal, not accepted, raise,
    reduction, stop, gradual exit or temporary assistance, each with its own wording."""
    from .notices import notice_context

    case = selectors.case_get(request.user, pk)
    notice = notice_context(case)
    if not notice["kind"]:
        raise Http404
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="case", object_id=case.pk,
               region_code=case.region_code, detail=f"决定书 {case.pk}", request=request)
    return render(request, "cases/print_decision.html", {"case": case, "notice": notice})


# ----------------------------------------------------------------------------- reviews and changes


@case_role_required
@require_POST
def open_reviews(request: HttpRequest) -> HttpResponse:
    ids = [v for v in request.POST.getlist("benefit") if v.isdigit()]
    if not ids:
        messages.error(request, _("请选择要核查的待遇"))
        return redirect(request.POST.get("next") or reverse("cases:index"))
    try:
        cases = services.review_cases_open(acting_user=request.user, benefit_ids=[int(v) for v in ids], today=_today(request))
    except services.DomainError as exc:  # CaseError, or a refusal of the engine or benefits
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发起 %(n)s 件定期核查") % {"n": len(cases)})
    return redirect(reverse("cases:index"))


@case_role_required
@require_POST
def open_change(request: HttpRequest, change_id: int) -> HttpResponse:
    try:
        case = services.reassessment_change_open(acting_user=request.user, change_id=change_id, today=_today(request))
    except services.DomainError as exc:  # CaseError, or a refusal of the engine or benefits
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
        return redirect(reverse("cases:index"))
    return redirect(case.get_absolute_url())


# ----------------------------------------------------------------------------- public form


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Online application by a resident (no login; validated; rate-limited per address)."""
    if request.method == "POST":
        form = OnlineApplicationForm(request.POST)
        if services.online_rate_limited(_client_ip(request)):
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请一小时后再试"))
            return render(request, "cases/apply.html", {"form": form}, status=429)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.online_application_create(
                    ip=_client_ip(request), case_type=d["case_type"], region=d["village"],
                    applicant_name=d["applicant_name"], applicant_id_number=d["applicant_id_number"],
                    applicant_phone=d["applicant_phone"], address=d["address"], statement=d["statement"])
            except services.DomainError as exc:  # CaseError, or a refusal of the engine or benefits
                form.add_error(None, exc.message)
                return render(request, "cases/apply.html", {"form": form}, status=429 if exc.code == "rate_limited" else 400)
            request.session["cases_receipt"] = case.receipt_number
            return redirect(reverse("cases:apply_done"))
        return render(request, "cases/apply.html", {"form": form}, status=400)
    return render(request, "cases/apply.html", {"form": OnlineApplicationForm()})


@require_GET
def apply_done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get("cases_receipt")
    if not receipt:
        return redirect(reverse("cases:apply"))
    return render(request, "cases/apply_done.html", {"receipt": receipt})


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """A resident looks the case up with receipt number + ID number: state and dates only."""
    case = None
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if services.online_rate_limited(_client_ip(request)):
            form.is_valid()
            form.add_error(None, _("查询过于频繁，请一小时后再试"))
            return render(request, "cases/lookup.html", {"form": form}, status=429)
        if form.is_valid():
            case = services.online_lookup(form.cleaned_data["receipt_number"], form.cleaned_data["id_number"])
            if case is None:
                from .models import OnlineAttempt

                OnlineAttempt.objects.create(ip_address=_client_ip(request))  # failed guesses count
                form.add_error(None, _("回执号与身份证号不匹配"))
                status = 404
    return render(request, "cases/lookup.html", {"form": form, "case": case}, status=status)


# ----------------------------------------------------------------------------- job offers (暂行办法 §45)


@case_role_required
@require_http_methods(["GET", "POST"])
def job_offers(request: HttpRequest, person_id: int) -> HttpResponse:
    """The jobs offered to a member and their outcome; recording one may propose a benefit change
    (services.job_offer_record: three refusals in a row without good reason)."""
    from bangfu.accounts.access import in_scope
    from bangfu.benefits.models import JobOffer
    from bangfu.registry.models import Person

    person = Person.objects.select_related("household").filter(pk=person_id).first()
    if person is None or not in_scope(request.user, person.region_code):
        raise Http404
    may_record = has_perm(request.user, permissions.CREATE_CASE)
    form = JobOfferForm(request.POST or None, initial={"offered_on": _today(request)})
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                _offer, case = services.job_offer_record(
                    acting_user=request.user, person=person, offered_by=d["offered_by"], offered_on=d["offered_on"], job=d["job"],
                    outcome=d["outcome"], good_reason=d["good_reason"], reason_note=d["reason_note"], today=_today(request))
            except services.DomainError as exc:
                if exc.code == "forbidden":
                    raise PermissionDenied(exc.message) from None
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已登记就业介绍"))
                if case is not None:
                    messages.warning(request, _("连续3次无正当理由拒绝介绍的工作：已发起待遇变更案件 %(id)s，提出减发或停发本人低保金的处理意见（《社会救助暂行办法》第四十五条）")
                                     % {"id": case.pk})
                return redirect(reverse("cases:job_offers", args=[person.pk]))
    offers = JobOffer.objects.filter(person=person).order_by("-offered_on", "-id")
    return render(request, "cases/job_offers.html", {"person": person, "offers": offers, "form": form, "may_record": may_record},
                  status=400 if request.method == "POST" else 200)
