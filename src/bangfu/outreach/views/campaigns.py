"""Campaign pages and village progress."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bangfu.accounts.permissions import has_perm, require_perm
from bangfu.common.models import AccessLog, log_access

from .. import permissions
from .. import access, campaign as camp, services
from .. import forms as f
from ..models import VillageProgress
from ._common import XLSX


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
        log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="outreach.campaign", object_id=campaign.pk,
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
