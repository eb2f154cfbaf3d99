"""Outreach pages (issue 6). Thin: reads through selectors / access (scoped), writes through
services; a record outside the user's scope answers 404 exactly as a missing one. Permission is
checked before the record is looked up, so a refused action says 403 whatever the id."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bangfu.accounts.permissions import has_perm, require_perm
from bangfu.accounts.access import NotFound
from bangfu.common.errors import DomainError
from bangfu.common.models import AccessLog, log_access

from . import permissions
from . import access, attachments, campaign as camp, exports, selectors, services
from . import choices as c
from . import forms as f
from .models import FollowUpItem, Meeting, Pairing, RegistryProposal, Visit, VisitAttachment, VillageProgress
from .selectors_goals import goal_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _quarter(request) -> selectors.Quarter:
    raw = request.GET.get("q", "")
    try:
        day = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return selectors.Quarter.of(day)


def _quarter_choices(current: selectors.Quarter, n: int = 6) -> list[selectors.Quarter]:
    out, day = [], timezone.localdate()
    for _i in range(n):
        q = selectors.Quarter.of(day)
        out.append(q)
        day = q.start - dt.timedelta(days=1)
    if current not in out:
        out.append(current)
    return out


# --------------------------------------------------------------------------------------------- index


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if access.is_helper(request.user):
        return redirect("outreach:my_todo")
    quarter = selectors.Quarter.of(timezone.localdate())
    context = {
        "quarter": quarter,
        "villages": selectors.overdue_by_village(request.user, quarter),
        "item_counts": selectors.item_counts(request.user),
        "kinds": c.ItemKind.choices,
        "pending_proposals": access.scoped(request.user, RegistryProposal.objects.filter(status=c.ProposalStatus.PENDING)).count(),
        "campaigns": list(camp.campaigns_for(request.user)[:5]),
    }
    context["totals"] = {"pairings": sum(r["pairings"] for r in context["villages"]), "behind": sum(r["behind"] for r in context["villages"])}
    return render(request, "outreach/index.html", context)


# ------------------------------------------------------------------------------------------- helpers


@require_perm(permissions.VIEW_OUTREACH)
@require_http_methods(["GET", "POST"])
def helper_list(request: HttpRequest) -> HttpResponse:
    form = None
    if has_perm(request.user, permissions.MANAGE_OUTREACH):
        form = f.HelperForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            user_id = None
            if data["username"]:
                try:
                    user_id = selectors.helper_account(request.user, data["username"]).pk
                except NotFound:
                    form.add_error("username", _("请选择本辖区的登录账号"))
            if not form.errors:
                try:
                    helper = services.helper_create(acting_user=request.user, kind=data["kind"], name=data["name"], unit=data["unit"],
                                                    phone=data["phone"], region_id=data["region"].pk, user_id=user_id)
                except services.OutreachError as exc:
                    f.apply_errors(form, {("username" if k == "user" else k): v for k, v in exc.errors.items()})
                else:
                    messages.success(request, _("已登记帮扶责任人 %(name)s") % {"name": helper.name})
                    return redirect("outreach:helper_list")
    elif request.method == "POST":
        raise PermissionDenied(_("您没有执行此操作的权限"))
    helpers = access.helper_queryset(request.user).select_related("region").order_by("region_code", "name")[:500]
    return render(request, "outreach/helper_list.html", {"helpers": helpers, "form": form})


# ------------------------------------------------------------------------------------------ pairings


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def pairing_list(request: HttpRequest) -> HttpResponse:
    quarter = _quarter(request)
    qs = selectors.pairings_with_counts(request.user, quarter).select_related("village", "household__head", "person").order_by("region_code", "pk")
    rows = list(qs[:200])
    return render(request, "outreach/pairing_list.html", {"rows": rows, "quarter": quarter, "truncated": len(rows) == 200})


@require_perm(permissions.MANAGE_OUTREACH)
@require_http_methods(["GET", "POST"])
def pairing_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("household", "").isdigit():
        initial = {"target_kind": c.TargetKind.HOUSEHOLD, "household_id": int(request.GET["household"])}
    form = f.PairingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing = services.pairing_create(
                acting_user=request.user, target_kind=data["target_kind"], household_id=data["household_id"], person_id=data["person_id"],
                village_id=data["village"].pk if data["village"] else None, helper_ids=[h.pk for h in data["helpers"]],
                start_date=data["start_date"], end_date=data["end_date"], measures=data["measures"], measures_note=data["measures_note"])
        except services.OutreachError as exc:
            f.apply_errors(form, {{"household": "household_id", "person": "person_id"}.get(k, k): v for k, v in exc.errors.items()})
        else:
            messages.success(request, _("已建立结对关系"))
            return redirect(pairing)
    return render(request, "outreach/form.html", {"form": form, "title": _("新建结对"), "multipart": False})


@require_perm(permissions.VIEW_OUTREACH)
@require_http_methods(["GET", "POST"])
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = access.get(request.user, Pairing.objects.select_related("village", "household__head", "person"), pk,
                         helper_path="links__helper__user")
    end_form = None
    if has_perm(request.user, permissions.MANAGE_OUTREACH) and not pairing.end_date:
        end_form = f.PairingEndForm(request.POST or None)
        if request.method == "POST" and end_form.is_valid():
            try:
                services.pairing_end(acting_user=request.user, pairing_id=pairing.pk, end_date=end_form.cleaned_data["end_date"],
                                     reason=end_form.cleaned_data["reason"])
            except services.OutreachError as exc:
                f.apply_errors(end_form, exc.errors)
            else:
                messages.success(request, _("结对关系已终止"))
                return redirect(pairing)
    elif request.method == "POST":
        raise PermissionDenied(_("您没有执行此操作的权限"))
    quarter = selectors.Quarter.of(timezone.localdate())
    counted = selectors.pairings_with_counts(request.user, quarter).filter(pk=pairing.pk).first()
    context = {
        "pairing": pairing, "links": pairing.links.select_related("helper").order_by("-lead", "pk"),
        "visits": pairing.visits.prefetch_related("visitors", "attachments").order_by("-date", "-pk"),
        "end_form": end_form, "quarter": quarter, "counted": counted,
    }
    return render(request, "outreach/pairing_detail.html", context)


# -------------------------------------------------------------------------------------------- visits


@require_perm(permissions.RECORD_VISIT)
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = access.get(request.user, Pairing.objects.select_related("village"), pk, helper_path="links__helper__user")
    form = f.VisitForm(request.POST or None, request.FILES or None, pairing=pairing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_create(
                acting_user=request.user, pairing_id=pairing.pk, date=data["date"], way=data["way"],
                visitor_ids=[h.pk for h in data["visitors"]], other_visitors=data["other_visitors"], findings=data["findings"],
                needs=data["needs"], follow_up=data["follow_up"], files=data["files"])
        except services.OutreachError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("已保存走访记录"))
            return redirect("outreach:visit_detail", pk=visit.pk)
    return render(request, "outreach/form.html", {"form": form, "title": _("记录走访"), "subtitle": pairing.target_label,
                                                  "multipart": True, "back": pairing.get_absolute_url()})


@require_perm(permissions.VIEW_OUTREACH)
@require_http_methods(["GET", "POST"])
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access.get(request.user, Visit.objects.select_related("pairing__household", "pairing__village"), pk,
                       helper_path="pairing__links__helper__user")
    members = list(visit.pairing.household.members.order_by("pk")) if visit.pairing.household_id else []
    proposal_form = f.ProposalForm(request.POST or None, members=members, prefix="p") if members else None
    item_form = f.ItemCreateForm(request.POST or None, members=members, prefix="i") if members else None
    upload_form = f.AttachmentForm(request.POST or None, request.FILES or None, prefix="a")
    if request.method == "POST":
        if not has_perm(request.user, permissions.RECORD_VISIT):
            raise PermissionDenied(_("您没有执行此操作的权限"))
        action = request.POST.get("action")
        try:
            if action == "propose" and proposal_form is not None and proposal_form.is_valid():
                services.proposal_create(acting_user=request.user, visit_id=visit.pk, person_id=proposal_form.cleaned_data["person"],
                                         changes=proposal_form.cleaned_data["changes"])
                messages.success(request, _("已提出档案更新建议，待工作人员确认"))
                return redirect("outreach:visit_detail", pk=visit.pk)
            if action == "item" and item_form is not None and item_form.is_valid():
                services.item_create(acting_user=request.user, visit_id=visit.pk, person_id=item_form.cleaned_data["person"],
                                     kind=item_form.cleaned_data["kind"], note=item_form.cleaned_data["note"])
                messages.success(request, _("已加入跟进清单"))
                return redirect("outreach:visit_detail", pk=visit.pk)
            if action == "upload" and upload_form.is_valid():
                services.attachment_add(acting_user=request.user, visit_id=visit.pk, files=upload_form.cleaned_data["files"])
                messages.success(request, _("已上传附件"))
                return redirect("outreach:visit_detail", pk=visit.pk)
        except services.OutreachError as exc:
            target = {"propose": proposal_form, "item": item_form, "upload": upload_form}.get(action)
            if target is not None:
                f.apply_errors(target, {k: v for k, v in exc.errors.items()})
    context = {
        "visit": visit, "attachments": visit.attachments.order_by("pk"), "visitors": visit.visitors.all(),
        "proposals": visit.proposals.select_related("person").order_by("pk"), "proposal_form": proposal_form,
        "item_form": item_form, "upload_form": upload_form,
    }
    return render(request, "outreach/visit_detail.html", context)


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an attachment to a viewer who may see the visit's household (scope; a helper: own
    pairings only); every access is logged."""
    attachment = access.get(request.user, VisitAttachment.objects.select_related("visit"), pk,
                            helper_path="visit__pairing__links__helper__user")
    try:
        handle = attachments.open_file(attachment.stored_name)
    except FileNotFoundError:
        raise NotFound() from None
    log_access(user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="outreach.attachment", object_id=attachment.pk,
               region_code=attachment.region_code, detail=f"走访附件 {attachment.original_name}", request=request)
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=attachment.content_type == "application/pdf",
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------ overdue / todo


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    quarter = _quarter(request)
    helper = request.GET.get("helper", "")
    flt = selectors.OverdueFilter(helper=int(helper) if helper.isdigit() else None, unit=request.GET.get("unit", "").strip(),
                                  village=request.GET.get("village", "").strip())
    after = None
    raw_after = request.GET.get("after", "")
    if "-" in raw_after:
        code, _sep, pk = raw_after.partition("-")
        if code.isdigit() and pk.isdigit():
            after = (code, int(pk))
    by = request.GET.get("by", "village")
    q_param = quarter.start.isoformat()
    if request.GET.get("part") == "summary":
        # the county-wide summary is a second request (htmx, on load): the list answers first
        summary = {"village": selectors.overdue_by_village, "helper": selectors.overdue_by_helper,
                   "unit": selectors.overdue_by_unit}.get(by, selectors.overdue_by_village)(request.user, quarter)
        return render(request, "outreach/_overdue_summary.html", {"summary": summary, "by": by, "q_param": q_param})
    rows, next_after = selectors.overdue_page(request.user, quarter, flt, after=after)
    query = request.GET.copy()
    query.pop("after", None)
    context = {"rows": rows, "quarter": quarter, "quarters": _quarter_choices(quarter), "flt": flt, "by": by, "q_param": q_param,
               "next_after": f"{next_after[0]}-{next_after[1]}" if next_after else "", "query": query.urlencode(),
               "current": quarter == selectors.Quarter.of(timezone.localdate())}
    return render(request, "outreach/overdue.html", context)


@require_perm(permissions.RECORD_VISIT)
@require_GET
def my_todo(request: HttpRequest) -> HttpResponse:
    quarter = selectors.Quarter.of(timezone.localdate())
    rows = selectors.helper_todo(request.user, quarter)
    return render(request, "outreach/my_todo.html", {"rows": rows, "quarter": quarter, "helper": access.helper_of(request.user)})


# ----------------------------------------------------------------------------------------- proposals


@require_perm(permissions.MANAGE_OUTREACH)
@require_http_methods(["GET", "POST"])
def proposal_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        pk = request.POST.get("proposal")
        try:
            if request.POST.get("action") == "apply":
                services.proposal_apply(acting_user=request.user, proposal_id=pk)
                messages.success(request, _("已确认并更新家庭档案"))
            else:
                services.proposal_reject(acting_user=request.user, proposal_id=pk, note=request.POST.get("note", ""))
                messages.success(request, _("已记录不采纳"))
        except DomainError as exc:  # OutreachError, or the registry's refusal of the change
            messages.error(request, exc.message)
        return redirect("outreach:proposal_list")
    rows = access.scoped(request.user, RegistryProposal.objects.filter(status=c.ProposalStatus.PENDING)).select_related(
        "household__head", "person", "visit", "proposed_by").order_by("proposed_at")[:200]
    return render(request, "outreach/proposal_list.html", {"rows": rows})


# ----------------------------------------------------------------------------------------- worklists


@require_perm(permissions.MANAGE_OUTREACH)
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "active")
    flt = selectors.ItemFilter(kind=kind if kind in c.ItemKind.values else "", status=status if status in ("active", "", *c.ItemStatus.values) else "active",
                               overdue=request.GET.get("overdue") == "1")
    rows = list(selectors.items(request.user, flt, today=today)[:300])
    context = {"rows": rows, "flt": flt, "kinds": c.ItemKind.choices, "statuses": c.ItemStatus.choices, "today": today,
               "targets": c.ReferralTarget.choices, "counts": selectors.item_counts(request.user)}
    return render(request, "outreach/worklist.html", context)


@require_perm(permissions.MANAGE_OUTREACH)
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get(request.user, FollowUpItem.objects.select_related("person", "household", "owner"), pk)
    forms_ = {
        "assign": f.ItemAssignForm(request.POST if request.POST.get("action") == "assign" else None, item=item,
                                   initial={"owner": item.owner_id, "due_date": item.due_date}),
        "refer": f.ReferralForm(request.POST if request.POST.get("action") == "refer" else None,
                                initial={"target": c.DEFAULT_REFERRAL.get(item.kind, c.ReferralTarget.OTHER)}),
        "close": f.CloseForm(request.POST if request.POST.get("action") == "close" else None),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign" and forms_["assign"].is_valid():
                d = forms_["assign"].cleaned_data
                services.item_assign(acting_user=request.user, item_id=item.pk, owner_id=d["owner"].pk if d["owner"] else None, due_date=d["due_date"])
            elif action == "refer" and forms_["refer"].is_valid():
                d = forms_["refer"].cleaned_data
                services.referral_add(acting_user=request.user, item_id=item.pk, target=d["target"], target_name=d["target_name"], referred_on=d["referred_on"])
            elif action == "close" and forms_["close"].is_valid():
                services.item_close(acting_user=request.user, item_id=item.pk, reason=forms_["close"].cleaned_data["reason"], note=forms_["close"].cleaned_data["note"])
            elif action == "answer":
                form = f.AnswerForm(request.POST)
                if form.is_valid():
                    services.referral_answer(acting_user=request.user, referral_id=request.POST.get("referral"), answer=form.cleaned_data["answer"],
                                             answered_on=form.cleaned_data["answered_on"])
                else:
                    raise services.OutreachError({k: list(v) for k, v in form.errors.items()})
            else:
                raise services.OutreachError(_("请按提示填写"))
        except services.OutreachError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect("outreach:item_detail", pk=item.pk)
    context = {"item": item, "referrals": item.referrals.order_by("referred_on", "pk"), "forms": forms_, "answer_form": f.AnswerForm(),
               "today": timezone.localdate()}
    return render(request, "outreach/item_detail.html", context)


@require_perm(permissions.MANAGE_OUTREACH)
@require_GET
def referral_export(request: HttpRequest) -> HttpResponse:
    target = request.GET.get("target", "")
    if target not in c.ReferralTarget.values:
        messages.error(request, _("请选择转介部门"))
        return redirect("outreach:worklist")
    rows = selectors.referral_rows(request.user, target=target)
    buffer = io.BytesIO()
    exports.export_referrals(viewer=request.user, rows=rows, target_code=target, target=buffer, request=request)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="referrals-{target}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


# ------------------------------------------------------------------------------------------ meetings


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    rows = access.scoped(request.user, Meeting.objects.all()).select_related("region").prefetch_related("reviewed").order_by("-date")[:200]
    return render(request, "outreach/meeting_list.html", {"rows": rows})


@require_perm(permissions.MANAGE_OUTREACH)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = f.MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.meeting_create(acting_user=request.user, region_id=d["region"].pk, kind=d["kind"], date=d["date"], title=d["title"],
                                    attendees=d["attendees"], decisions=d["decisions"], households=d["households"])
        except services.OutreachError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("已保存会议记录"))
            return redirect("outreach:meeting_list")
    return render(request, "outreach/form.html", {"form": form, "title": _("记录帮扶例会"), "back": reverse("outreach:meeting_list")})


# ------------------------------------------------------------------------------------------ campaign


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, permissions.VIEW_OUTREACH) or access.is_helper(request.user):
        raise PermissionDenied(_("您没有执行此操作的权限"))
    form = f.CampaignForm(request.POST or None, user=request.user) if has_perm(request.user, permissions.MANAGE_OUTREACH) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您没有执行此操作的权限"))
        if form.is_valid():
            try:
                campaign = camp.campaign_create(acting_user=request.user, region_id=form.cleaned_data["region"].pk, year=form.cleaned_data["year"],
                                                name=form.cleaned_data["name"])
            except services.OutreachError as exc:
                f.apply_errors(form, exc.errors)
            else:
                messages.success(request, _("已建立试点工作，各阶段期限按方案默认设置"))
                return redirect(campaign)
    return render(request, "outreach/campaign_list.html", {"rows": camp.campaigns_for(request.user), "form": form})


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_perm(request.user, permissions.VIEW_OUTREACH):
        raise PermissionDenied(_("您没有执行此操作的权限"))
    campaign = camp.campaign_get(request.user, pk)
    rows = camp.campaign_progress(campaign, viewer=request.user)
    if request.GET.get("behind") == "1":
        rows = [r for r in rows if r.behind]
    if request.GET.get("format") == "xlsx":
        buffer = io.BytesIO()
        camp.export_progress(campaign, rows, buffer)
        log_access(user=request.user, action=AccessLog.Action.EXPORT, object_type="outreach.campaign", object_id=campaign.pk,
                   region_code=campaign.region_code, detail=f"试点进度 {len(rows)} 个村（社区）", request=request)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-{timezone.localdate():%Y%m%d}.xlsx"'
        return response
    context = {"campaign": campaign, "rows": rows, "phases": campaign.phases.all(), "states": camp.STATE_LABELS,
               "behind_count": sum(1 for r in rows if r.behind), "can_edit": has_perm(request.user, permissions.MANAGE_OUTREACH)}
    return render(request, "outreach/campaign_detail.html", context)


@require_perm(permissions.MANAGE_OUTREACH)
@require_http_methods(["GET", "POST"])
def village_progress_edit(request: HttpRequest, pk: int) -> HttpResponse:
    progress = access.get(request.user, VillageProgress.objects.select_related("campaign", "village"), pk)
    initial = {k: getattr(progress, k) for k in camp.PROGRESS_FIELDS}
    form = f.VillageProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            camp.village_progress_update(acting_user=request.user, progress_id=progress.pk, **form.cleaned_data)
        except services.OutreachError as exc:
            f.apply_errors(form, exc.errors)
        else:
            messages.success(request, _("已保存进度"))
            return redirect(progress.campaign)
    return render(request, "outreach/form.html", {"form": form, "title": _("填报试点进度"), "subtitle": progress.village.name,
                                                  "back": progress.campaign.get_absolute_url()})


# ------------------------------------------------------------------------------------- village goals


@require_perm(permissions.VIEW_OUTREACH)
@require_http_methods(["GET", "POST"])
def goal_list(request: HttpRequest) -> HttpResponse:
    if access.is_helper(request.user):
        raise PermissionDenied(_("您没有执行此操作的权限"))
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    form = f.GoalForm(request.POST or None, user=request.user, initial={"year": year}) if has_perm(request.user, permissions.MANAGE_OUTREACH) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您没有执行此操作的权限"))
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.village_goal_set(acting_user=request.user, village_id=d["village"].pk, year=d["year"], collective_income_fen=d["collective_income"],
                                          per_capita_income_fen=d["per_capita_income"], note=d["note"])
            except services.OutreachError as exc:
                f.apply_errors(form, exc.errors)
            else:
                messages.success(request, _("已保存"))
                return redirect(f"{reverse('outreach:goal_list')}?year={d['year']}")
    return render(request, "outreach/goal_list.html", {"rows": goal_rows(request.user, year), "year": year, "form": form})
