"""Reads of payments, scoped: a county's payrolls are read by the county (and above) and by its
townships; a township reads its own lines only. A payroll outside the reader's reach answers
NotFound like a missing one."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bangfu.accounts.access import NotFound
from bangfu.regions.codes import COUNTY
from bangfu.regions.scoping import bound_region, township_expr, within_q

from . import choices as c
from .models import Payroll, PayrollEvent, PayrollLine


def payrolls(viewer) -> QuerySet[Payroll]:
    region = bound_region(viewer)
    if region is None:
        return Payroll.objects.none()
    qs = Payroll.objects.all()
    if region.level > COUNTY:
        return qs.filter(region_code=region.county.code)
    return qs.filter(within_q(region))


def payroll_for(viewer, pk) -> Payroll:
    try:
        return payrolls(viewer).get(pk=pk)
    except (Payroll.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def lines(viewer, payroll: Payroll, *, status: str = "", flag: str = "", kind: str = "") -> QuerySet[PayrollLine]:
    qs = PayrollLine.objects.filter(payroll=payroll).visible_to(viewer)
    if status in c.LineStatus.values:
        qs = qs.filter(status=status)
    if flag in c.Flag.values:
        qs = qs.filter(flags__contains=[flag]) if _json_contains() else qs.filter(flags__icontains=f'"{flag}"')
    if kind in c.LineKind.values:
        qs = qs.filter(kind=kind)
    return qs.annotate(township=township_expr()).select_related("person").order_by("region_code", "id")


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def line_for(viewer, pk) -> PayrollLine:
    try:
        line = PayrollLine.objects.visible_to(viewer).select_related("payroll").get(pk=pk)
    except (PayrollLine.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    return line


def events(payroll: Payroll) -> QuerySet[PayrollEvent]:
    return payroll.events.select_related("by", "line").order_by("at", "id")


def flag_counts(viewer, payroll: Payroll) -> dict[str, int]:
    counts = {f: 0 for f in c.Flag.values}
    for fl in lines(viewer, payroll).filter(~Q(flags=[])).values_list("flags", flat=True):
        for f in fl:
            if f in counts:
                counts[f] += 1
    return counts
