"""Rescue pages (issue 7). Thin: reads through selectors (scoped), writes through services. A stay
outside the viewer's reach answers 404 exactly as a missing one (accounts.access.NotFound)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.common.errors import DomainError
from bangfu.common.http import xlsx_attachment
from bangfu.accounts.access import NotFound, access_by_id
from bangfu.accounts.permissions import check_perm, has_perm, require_perm
from bangfu.registry.permissions import EDIT, EXPORT_FULL_ID
from bangfu.common.models import AccessLog, log_access
from bangfu.regions.choices import Level
from bangfu.regions.codes import TOWNSHIP, RegionCode
from bangfu.regions.models import Region

from . import permissions
from . import choices as c
from . import exports, selectors, services
from . import forms as f
from .errors import RescueError
from .models import PreventionEntry, StayPhoto



# ----------------------------------------------------------------------------- lists


def _stay_list(request: HttpRequest):
    """The stays of the list page as its filters choose (status, identity, name or number), newest
    arrival first; the page and its export read the same."""
    qs = selectors.stays(request.user).select_related("station")
    status = request.GET.get("status", "open")
    if status in c.StayStatus.values:
        qs = qs.filter(status=status)
    identity = request.GET.get("identity", "")
    if identity in c.IdentityStatus.values:
        qs = qs.filter(identity_status=identity)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(station_number=q.upper())
    return qs.order_by("-arrival_at", "-pk"), status, identity, q


@require_perm(permissions.RESCUE_VIEW)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    qs, status, identity, q = _stay_list(request)
    rows = list(qs[:200])
    context = {
        "rows": rows, "status": status, "identity": identity, "q": q, "query": request.GET.urlencode(),
        "statuses": c.StayStatus.choices, "identities": c.IdentityStatus.choices,
        "overdue": selectors.overdue_tracing(request.user),
        "settlement_due": selectors.settlement_list(request.user),
        "unmet_reports": selectors.unmet_reports(request.user),
        "station": selectors.station_of(request.user),
    }
    return render(request, "rescue/index.html", context)


@require_perm(permissions.RESCUE_VIEW)
@require_GET
def worklists(request: HttpRequest) -> HttpResponse:
    return render(request, "rescue/worklists.html", {
        "overdue": selectors.overdue_tracing(request.user),
        "settlement_due": selectors.settlement_list(request.user),
        "cases": selectors.settlement_cases(request.user),
        "unmet_reports": selectors.unmet_reports(request.user),
    })


# ----------------------------------------------------------------------------- intake and the stay page


@require_perm(permissions.RESCUE_EDIT)
@require_http_methods(["GET", "POST"])
def stay_new(request: HttpRequest) -> HttpResponse:
    form = f.IntakeForm(request.POST or None, initial={"arrival_at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        station_id = request.POST.get("station") or None
        try:
            stay = services.stay_create(acting_user=request.user, data=form.cleaned_data, station_id=station_id)
        except RescueError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("已登记入站：%(name)s（站内编号 %(number)s）。") % {"name": stay.name, "number": stay.station_number})
            return redirect(stay)
    # an administrator (no station of their own) names the station
    choices = [] if selectors.station_of(request.user) else list(selectors.stations(request.user))
    return render(request, "rescue/stay_form.html", {"form": form, "stations": choices})


def _stay_forms(request, stay, bound: tuple[str, object] | None = None) -> dict:
    today = timezone.localdate()
    now = timezone.localtime().replace(second=0, microsecond=0)
    institutions = list(stay.station.institutions.order_by("name"))
    forms = {
        "tracing": f.TracingStepForm(initial={"done_at": now}, prefix="tracing"),
        "identity": f.IdentityForm(initial={"name": "" if stay.unidentified else stay.name, "home_region_code": stay.home_region_code},
                                   prefix="identity"),
        "service": f.ServiceForm(initial={"start_date": today}, prefix="service"),
        "assessment": f.AssessmentForm(initial={"effective_on": today}, prefix="assessment"),
        "placement": f.PlacementForm(initial={"start_date": today}, institutions=institutions, prefix="placement"),
        "photo": f.PhotoForm(prefix="photo"),
        "end": f.EndForm(initial={"ended_at": now}, prefix="end"),
        "report": f.ReportForm(initial={"noticed_at": now}, prefix="report"),
        "settlement_apply": f.SettlementApplyForm(initial={"applied_on": today}, prefix="settlement_apply"),
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def _detail(request, stay, *, bound=None, status=200) -> HttpResponse:
    can_edit = has_perm(request.user, permissions.RESCUE_EDIT) and (
        request.user.role != "station_staff" or stay.station_id == getattr(selectors.station_of(request.user), "pk", None))
    steps = list(stay.tracing_steps.order_by("done_at"))
    deadlines, checklist = selectors.tracing_checklist(stay, steps=steps)
    settlement = getattr(stay, "settlement", None)  # RelatedObjectDoesNotExist is an AttributeError
    villages = []
    if stay.id_number and not stay.person_id and stay.end_reason == c.EndReason.RETURNED_HOME \
            and has_perm(request.user, permissions.RESCUE_FOLLOW_UP) and has_perm(request.user, EDIT):
        villages = Region.objects.filter(level=Level.VILLAGE).visible_to(request.user)
        if stay.home_region_code:  # the villages of the home township (or of the home region above it)
            villages = villages.within(RegionCode(stay.home_region_code).ancestor_or_self(TOWNSHIP))
        villages = list(villages[:200])
    context = {
        "stay": stay, "can_edit": can_edit and stay.status == c.StayStatus.OPEN, "can_edit_any": can_edit,
        "can_settle": has_perm(request.user, permissions.RESCUE_SETTLE),
        "deadlines": deadlines, "checklist": checklist, "steps": steps,
        "services": stay.services.order_by("start_date", "pk"),
        "assessments": stay.assessments.order_by("effective_on"),
        "placements": stay.placements.select_related("institution").order_by("start_date"),
        "photos": stay.photos.order_by("uploaded_at"),
        "reports": stay.reports.order_by("noticed_at"),
        "settlement": settlement,
        "settlement_due": selectors.stay_settlement_due(stay),
        "plan_form": f.SettlementPlanForm(initial={"version": settlement.version, "planned_on": timezone.localdate()},
                                          prefix="plan") if settlement else None,
        "advance_form": f.SettlementAdvanceForm(initial={"version": settlement.version, "day": timezone.localdate()},
                                                prefix="advance") if settlement else None,
        "register_form": f.RegisterPersonForm(villages=villages, prefix="register") if villages else None,
        "history": stay.history.select_related("history_user").order_by("-history_date")[:50],
        **_stay_forms(request, stay, bound),
    }
    if bound is not None and bound[0] in ("plan", "advance", "register"):
        context[f"{bound[0]}_form"] = bound[1]
    return render(request, "rescue/stay_detail.html", context, status=status)


@require_perm(permissions.RESCUE_VIEW)
@require_GET
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stay = selectors.stay_get(request.user, pk)
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="rescue_stay", object_id=stay.pk,
               region_code=stay.region_code, detail=f"救助记录 {stay.station_number}", request=request)
    return _detail(request, stay)


def _call(action: str, user, stay, data: dict, files) -> str:
    """Run the service behind one form of the stay page; returns the success message."""
    if action == "tracing":
        services.tracing_step_record(acting_user=user, stay_id=stay.pk, **data)
        return _("已记录寻亲步骤。")
    if action == "identity":
        services.identity_confirm(acting_user=user, stay_id=stay.pk, **data)
        return _("已记录查明的身份。")
    if action == "service":
        services.service_add(acting_user=user, stay_id=stay.pk, **{k: v for k, v in data.items()})
        return _("已记录救助服务。")
    if action == "assessment":
        effective_on = data.pop("effective_on")
        services.assessment_record(acting_user=user, stay_id=stay.pk, effective_on=effective_on, abilities=data)
        return _("已记录自理能力评估。")
    if action == "placement":
        services.placement_start(acting_user=user, stay_id=stay.pk, kind=data["kind"], start_date=data["start_date"],
                                 institution_id=data.get("institution"))
        return _("已记录照料托养安排。")
    if action == "photo":
        services.stay_photo_add(acting_user=user, stay_id=stay.pk, upload=data["photo"])
        return _("照片已保存。")
    if action == "end":
        services.stay_end(acting_user=user, stay_id=stay.pk, **data)
        return _("已办理离站。")
    if action == "report":
        services.report_record(acting_user=user, stay_id=stay.pk, **data)
        return _("已记录强制报告情况。")
    if action == "settlement_apply":
        services.settlement_apply(acting_user=user, stay_id=stay.pk, **data)
        return _("已提出落户安置申请。")
    if action == "plan":
        services.settlement_plan(acting_user=user, case_id=stay.settlement.pk, **data)
        return _("已提出安置方案。")
    if action == "advance":
        services.settlement_advance(acting_user=user, case_id=stay.settlement.pk, **data)
        return _("安置案件已进入下一步。")
    if action == "register":
        services.stay_register_person(acting_user=user, stay_id=stay.pk, village_id=int(data["village"]))
        return _("已在帮扶系统建立档案。")
    raise NotFound()


FORM_CLASSES = {
    "tracing": f.TracingStepForm, "identity": f.IdentityForm, "service": f.ServiceForm, "assessment": f.AssessmentForm,
    "placement": f.PlacementForm, "photo": f.PhotoForm, "end": f.EndForm, "report": f.ReportForm,
    "settlement_apply": f.SettlementApplyForm, "plan": f.SettlementPlanForm, "advance": f.SettlementAdvanceForm,
    "register": f.RegisterPersonForm,
}
ACTION_PERMS = {"plan": permissions.RESCUE_SETTLE, "advance": permissions.RESCUE_SETTLE, "register": permissions.RESCUE_FOLLOW_UP}


@login_required
@require_POST
def stay_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    form_class = FORM_CLASSES.get(action)
    if form_class is None:
        raise NotFound()
    check_perm(request.user, ACTION_PERMS.get(action, permissions.RESCUE_EDIT))
    stay = selectors.stay_get(request.user, pk)
    kwargs = {}
    if action == "placement":
        kwargs["institutions"] = stay.station.institutions.all()
    if action == "register":
        kwargs["villages"] = Region.objects.filter(level=Level.VILLAGE).visible_to(request.user)
    form = form_class(request.POST, request.FILES, prefix=action, **kwargs)
    if form.is_valid():
        try:
            message = _call(action, request.user, stay, dict(form.cleaned_data), request.FILES)
        except DomainError as exc:  # RescueError, or the registry's for "register"
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, message)
            return redirect(stay)
    stay = selectors.stay_get(request.user, pk)
    return _detail(request, stay, bound=(action, form), status=400)


@require_perm(permissions.RESCUE_VIEW)
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo, to those who may see its stay; each look is logged; never cached."""
    item = StayPhoto.objects.filter(pk=pk, stay__in=selectors.stays(request.user)).first()
    if item is None:
        raise NotFound()
    try:
        handle = services.photo_file(item).open("rb")
    except OSError:
        raise NotFound() from None
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="rescue_photo", object_id=item.pk,
               region_code=item.region_code, detail=f"救助人员照片（救助记录 {item.stay_id}）", request=request)
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


# ----------------------------------------------------------------------------- source prevention (R23)


@require_perm(permissions.RESCUE_VIEW)
@require_http_methods(["GET", "POST"])
def prevention(request: HttpRequest) -> HttpResponse:
    can_edit = has_perm(request.user, permissions.RESCUE_FOLLOW_UP)
    form = f.PreventionEntryForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您没有执行此操作的权限"))
        if form.is_valid():
            try:
                services.prevention_entry_create(acting_user=request.user, **form.cleaned_data)
            except RescueError as exc:
                f.apply_errors(form, exc.errors)
            else:
                messages.success(request, _("已登记到易流浪走失人员信息库。"))
                return redirect("rescue:prevention")
    today = timezone.localdate()
    entries = list(selectors.prevention_entries(request.user).filter(active=True).order_by("next_due")[:300])
    for entry in entries:
        entry.overdue = entry.next_due < today
    return render(request, "rescue/prevention.html", {
        "entries": entries, "form": form, "can_edit": can_edit, "hotspots": selectors.hotspots(request.user),
        "follow_up_form": f.FollowUpForm(initial={"done_on": today}, auto_id=False),
    })


@require_perm(permissions.RESCUE_FOLLOW_UP)
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_by_id(request.user, PreventionEntry.objects.all(), pk)
    form = f.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_record(acting_user=request.user, entry_id=entry.pk, **form.cleaned_data)
        except RescueError as exc:
            f.apply_errors(form, exc.errors)
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{entry.name}：{error}")
    else:
        messages.success(request, _("已记录 %(name)s 的回访。") % {"name": entry.name})
    return redirect("rescue:prevention")


# ----------------------------------------------------------------------------- patrols (R21)


@require_perm(permissions.RESCUE_VIEW)
@require_http_methods(["GET", "POST"])
def patrols(request: HttpRequest) -> HttpResponse:
    can_edit = has_perm(request.user, permissions.RESCUE_EDIT)
    patrol_form = f.PatrolForm(request.POST if request.POST.get("form") == "patrol" else None)
    encounter_form = f.EncounterForm(request.POST if request.POST.get("form") == "encounter" else None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您没有执行此操作的权限"))
        try:
            if patrol_form.is_bound and patrol_form.is_valid():
                services.patrol_create(acting_user=request.user, **patrol_form.cleaned_data)
                messages.success(request, _("已登记巡查。"))
                return redirect("rescue:patrols")
            if encounter_form.is_bound and encounter_form.is_valid():
                services.encounter_add(acting_user=request.user, patrol_id=int(request.POST.get("patrol") or 0),
                                       data=encounter_form.cleaned_data)
                messages.success(request, _("已记录巡查遇见人员。"))
                return redirect("rescue:patrols")
        except RescueError as exc:
            f.apply_errors(encounter_form if encounter_form.is_bound else patrol_form, exc.errors)
    place = (request.GET.get("place") or "").strip()
    rows = selectors.encounters(request.user)
    if place:
        rows = rows.filter(place__contains=place)
    return render(request, "rescue/patrols.html", {
        "patrols": selectors.patrols(request.user).order_by("-started_at")[:50], "encounters": rows[:300], "place": place,
        "patrol_form": patrol_form, "encounter_form": encounter_form, "can_edit": can_edit,
    })


@require_perm(permissions.RESCUE_VIEW)
@require_GET
def stay_export(request: HttpRequest) -> HttpResponse:
    """The stay list as filtered, as xlsx: the viewer's stays only (selectors.stays), ID numbers
    masked unless the user may export full numbers; the download is logged."""
    qs, _status, _identity, _q = _stay_list(request)
    rows = list(qs[: exports.STAY_EXPORT_MAX_ROWS + 1])
    if len(rows) > exports.STAY_EXPORT_MAX_ROWS:
        messages.error(request, _("超过 %(n)s 条，请先按状态或身份筛选后再导出") % {"n": exports.STAY_EXPORT_MAX_ROWS})
        return redirect(f"{reverse('rescue:index')}?{request.GET.urlencode()}")
    full = has_perm(request.user, EXPORT_FULL_ID)
    content = exports.stays_xlsx(rows, full_id=full)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="rescue.stay",
               region_code=request.user.region.code if request.user.region else "",
               detail=f"救助记录 {len(rows)} 条（{'完整' if full else '脱敏'}号码）", request=request)
    return xlsx_attachment(content, _("救助记录_%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"})


# ----------------------------------------------------------------------------- statistics and statements


def _year(request) -> int:
    try:
        return max(2000, min(int(request.GET.get("year") or timezone.localdate().year), 2100))
    except ValueError:
        return timezone.localdate().year


@require_perm(permissions.RESCUE_VIEW)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = selectors.statistics(request.user, year=year)
    if request.GET.get("format") == "xlsx":
        log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="rescue_statistics", detail=f"{year}年救助统计",
                   request=request)
        return xlsx_attachment(exports.statistics_xlsx(rows, year=year), f"rescue-statistics-{year}.xlsx")
    return render(request, "rescue/statistics.html", {"rows": rows, "year": year, "reasons": c.EndReason.choices})


@require_perm(permissions.RESCUE_VIEW)
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    institutions = list(selectors.institutions(request.user))
    form = f.StatementForm(request.GET or None, institutions=institutions)
    rows, institution, year, month, error = None, None, None, None, ""
    if form.is_bound and form.is_valid():
        institution = next(i for i in institutions if i.pk == form.cleaned_data["institution"])
        year, month = (int(x) for x in form.cleaned_data["month"].split("-"))
        if not 1 <= month <= 12:
            form.add_error("month", _("月份无效"))
        else:
            try:
                rows = services.institution_statement(institution, year, month)
            except RescueError as exc:
                error = exc.errors["__all__"][0]
            if rows is not None and request.GET.get("format") == "xlsx":
                log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="rescue_statement", object_id=institution.pk,
                           region_code=institution.region_code, detail=f"{institution.name} {year}-{month:02d} 托养费用结算单", request=request)
                return xlsx_attachment(exports.statement_xlsx(institution, year, month, rows), f"statement-{institution.pk}-{year}-{month:02d}.xlsx")
    total = sum(r["total_fen"] or 0 for r in rows) if rows else 0
    return render(request, "rescue/statement.html", {"form": form, "rows": rows, "institution": institution, "year": year,
                                                     "month": month, "error": error, "total": total, "today": dt.date.today()})
