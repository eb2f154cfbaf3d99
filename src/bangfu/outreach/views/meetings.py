"""Meeting and village goal pages."""

from __future__ import annotations


from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bangfu.accounts.permissions import has_perm, require_perm

from .. import permissions
from .. import access, services
from .. import forms as f
from ..models import Meeting
from ..selectors_goals import goal_rows


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
