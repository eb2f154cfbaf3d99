"""Reads of the reports app, always given the viewer: the region a report may be asked for."""

from __future__ import annotations

from bangfu.accounts.access import NotFound
from bangfu.accounts.permissions import check_perm
from bangfu.regions.codes import RegionCode
from bangfu.regions.scoping import bound_region

from . import permissions as p


def report_area(viewer, code: str | None) -> RegionCode:
    """The region a report is asked for, checked: the role may read reports (else 403) and the
    region lies in the viewer's own (else NotFound, as for a region that does not exist). An empty
    code is the viewer's own region."""
    check_perm(viewer, p.VIEW_REPORTS)
    own = bound_region(viewer)
    if own is None or not getattr(viewer, "reads_households", False):
        raise NotFound()
    code = (code or "").strip()
    if not code:
        return own
    try:
        asked = RegionCode.parse(code)
    except ValueError:
        raise NotFound() from None
    if not own.contains(asked):
        raise NotFound()
    return asked
