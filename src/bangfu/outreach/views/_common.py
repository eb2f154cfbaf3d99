"""What the outreach pages share: the spreadsheet type and the quarter a page shows."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.common.dates import day_problem


from .. import selectors


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _quarter(request) -> selectors.Quarter:
    """The quarter of the `q` parameter; one that is not a date, or an implausible one (year 1,
    9999: its bounds would overflow), shows this quarter with a message saying so."""
    raw = request.GET.get("q", "")
    try:
        day = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = None
    if day is None or day_problem(day):
        if raw:
            messages.warning(request, _("季度“%(raw)s”无效，显示本季度") % {"raw": raw[:20]})
        day = timezone.localdate()
    quarter = selectors.Quarter.of(day)
    if not selectors.quarter_has_rule(request.user, quarter):
        messages.warning(request, _("%(quarter)s还没有走访次数的规定，显示本季度") % {"quarter": quarter.label})
        quarter = selectors.Quarter.of(timezone.localdate())
    return quarter


def _quarter_choices(current: selectors.Quarter, n: int = 6) -> list[selectors.Quarter]:
    out, day = [], timezone.localdate()
    for _i in range(n):
        q = selectors.Quarter.of(day)
        out.append(q)
        day = q.start - dt.timedelta(days=1)
    if current not in out:
        out.append(current)
    return out
