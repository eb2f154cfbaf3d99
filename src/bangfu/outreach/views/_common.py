"""What the outreach pages share: the spreadsheet type and the quarter a page shows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


from .. import selectors


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
