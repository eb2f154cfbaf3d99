"""Visit pages and attachment downloads."""

from __future__ import annotations


from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bangfu.accounts.permissions import has_perm, require_perm
from bangfu.accounts.access import NotFound
from bangfu.common.models import AccessLog, log_access

from .. import permissions
from .. import access, attachments, services
from .. import forms as f
from ..models import Pairing, Visit, VisitAttachment


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
                needs=data["needs"], follow_up=data["follow_up"], files=data["photos"] + data["files"])
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
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="outreach.attachment", object_id=attachment.pk,
               region_code=attachment.region_code, detail=f"走访附件 {attachment.original_name}", request=request)
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=attachment.content_type == "application/pdf",
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
