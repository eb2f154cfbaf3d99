"""An officer's queues: registry proposals, the follow-up worklist, its items and the referral export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bangfu.accounts.permissions import require_perm
from bangfu.common.errors import DomainError

from .. import permissions
from .. import access, exports, selectors, services
from .. import choices as c
from .. import forms as f
from ..models import FollowUpItem, RegistryProposal
from ._common import XLSX


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
