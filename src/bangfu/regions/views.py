"""The region picker's search (issue 17): names and codes of the division tree are public
information, so any signed-in worker may search the whole table (a rescued person's home region
lies anywhere in the country)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import Region

PICK_LIMIT = 20


@login_required
@require_GET
def pick(request: HttpRequest) -> HttpResponse:
    """Regions by name prefix, or by the leading digits of the code; at most 20 (unique index on
    code, and the name prefix over a table of some 700,000 rows at most)."""
    q = request.GET.get("q", "")[:32].strip()
    rows: list[Region] = []
    if q.isdigit():  # the code's leading digits: the unique index on code serves the prefix in order
        rows = list(Region.objects.filter(code__startswith=q).order_by("code")[: PICK_LIMIT + 1])
    elif q:
        rows = list(Region.objects.filter(name__startswith=q).order_by("code")[: PICK_LIMIT + 1])
    out = [{"value": r.code, "label": r.full_name or r.name, "detail": r.code} for r in rows[:PICK_LIMIT]]
    prompt = "" if q else _("请输入区划名称的开头几个字或区划代码")
    return render(request, "common/picker_results.html", {"rows": out, "more": len(rows) > PICK_LIMIT, "prompt": prompt})
