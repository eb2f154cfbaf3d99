"""The outreach landing page, overdue visits by village and a helper's to-do list."""

from __future__ import annotations


from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bangfu.accounts.permissions import require_perm

from .. import permissions
from .. import access, campaign as camp, selectors
from .. import choices as c
from ..models import RegistryProposal
from ._common import _quarter, _quarter_choices


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
        if code.isdigit() and pk.isdigit() and int(pk) < 2**63:  # beyond the database's integer is no cursor
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
