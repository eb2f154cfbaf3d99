"""Reads of the rescue app, always given the viewer; scoping through accounts.access only.

Who sees which stay (issue 7):
- station staff: the stays of their own station (the station's region range, then the station);
- county/city civil-affairs officers, auditors, administrators: the stays of the stations in their
  region, plus their returnees (stays ended "returned home" whose home region is in their range);
- a township officer (home office): only its returnees;
- everyone else: nothing.
The source-prevention register is read by home region (`region_code` of the entry).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from bangfu.accounts.access import NotFound, access_by_id
from bangfu.accounts.permissions import check_perm, has_perm
from bangfu.accounts.choices import Role
from bangfu.regions.codes import COUNTY, RegionCode

from . import permissions
from . import choices as c
from . import rules
from .models import (Encounter, Institution, MandatoryReport, Patrol, Placement, PreventionEntry, RescueStation, SettlementCase,
                     Stay, StationStaff, StayService)


def station_of(user) -> RescueStation | None:
    """The station a station-staff user works for (StationStaff link), None for other roles."""
    if getattr(user, "role", None) != Role.STATION_STAFF:
        return None
    link = StationStaff.objects.select_related("station").filter(user_id=user.pk).first()
    return link.station if link else None


def stations(viewer) -> QuerySet[RescueStation]:
    if not has_perm(viewer, permissions.RESCUE_VIEW):
        return RescueStation.objects.none()
    qs = RescueStation.objects.visible_to(viewer)
    if viewer.role == Role.STATION_STAFF:
        station = station_of(viewer)
        return qs.filter(pk=station.pk) if station else qs.none()
    return qs.order_by("region_code", "pk")


def stays(viewer) -> QuerySet[Stay]:
    if not has_perm(viewer, permissions.RESCUE_VIEW):
        return Stay.objects.none()
    base = Stay.objects.all()
    if viewer.role == Role.STATION_STAFF:
        station = station_of(viewer)
        return base.visible_to(viewer).filter(station=station) if station else base.none()
    returnees = base.filter(end_reason=c.EndReason.RETURNED_HOME).visible_to(viewer, field="home_region_code")
    if viewer.role == Role.TOWNSHIP_OFFICER:
        return returnees
    return base.visible_to(viewer) | returnees


def stay_get(viewer, pk) -> Stay:
    """One stay the viewer may see; "not yours" answers like "does not exist"."""
    return _get(stays(viewer).select_related("station", "person"), pk)


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def stay_for_edit(viewer, pk, *, lock: bool = False) -> Stay:
    """A stay the viewer may change: station staff of its station (or an administrator)."""
    check_perm(viewer, permissions.RESCUE_EDIT)
    qs = Stay.objects.select_for_update() if lock else Stay.objects.all()
    stay = access_by_id(viewer, qs, pk)
    if viewer.role == Role.STATION_STAFF:
        station = station_of(viewer)
        if station is None or stay.station_id != station.pk:
            raise NotFound()
    return stay


def prevention_entries(viewer) -> QuerySet[PreventionEntry]:
    if not has_perm(viewer, permissions.RESCUE_VIEW) or viewer.role == Role.STATION_STAFF:
        return PreventionEntry.objects.none()
    return PreventionEntry.objects.visible_to(viewer)


def patrols(viewer) -> QuerySet[Patrol]:
    if not has_perm(viewer, permissions.RESCUE_VIEW):
        return Patrol.objects.none()
    qs = Patrol.objects.visible_to(viewer)
    if viewer.role == Role.STATION_STAFF:
        station = station_of(viewer)
        return qs.filter(station=station) if station else qs.none()
    return qs


def encounters(viewer) -> QuerySet[Encounter]:
    """Map-free list of patrol encounters by place and time (R21)."""
    return Encounter.objects.filter(patrol__in=patrols(viewer)).select_related("patrol").order_by("place", "-met_at")


def institutions(viewer) -> QuerySet[Institution]:
    return Institution.objects.filter(station__in=stations(viewer)).order_by("name")


# ----------------------------------------------------------------------------- worklists


@dataclass(frozen=True)
class OverdueStep:
    stay: Stay
    kind: str
    label: str
    deadline: object  # datetime or date


def overdue_tracing(viewer, *, now: dt.datetime | None = None) -> list[OverdueStep]:
    """Unidentified persons still at the station whose notice (24 h) or DNA (1 month) is late (R22)."""
    now = now or timezone.now()
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    qs = (stays(viewer).filter(status=c.StayStatus.OPEN, identity_status=c.IdentityStatus.UNIDENTIFIED)
          .annotate(notice_at=Min("tracing_steps__done_at", filter=Q(tracing_steps__kind=c.TracingStepKind.NOTICE)),
                    dna_at=Min("tracing_steps__done_at", filter=Q(tracing_steps__kind=c.TracingStepKind.DNA)))
          .select_related("station").order_by("arrival_at"))
    out: list[OverdueStep] = []
    for stay in qs:
        deadlines = rules.tracing_deadlines(stay.arrival_at)
        if stay.notice_at is None and now > deadlines.notice_by:
            out.append(OverdueStep(stay, c.TracingStepKind.NOTICE, c.TracingStepKind.NOTICE.label, deadlines.notice_by))
        if stay.dna_at is None and today > deadlines.dna_by:
            out.append(OverdueStep(stay, c.TracingStepKind.DNA, c.TracingStepKind.DNA.label, deadlines.dna_by))
    return out


@dataclass(frozen=True)
class TracingCheck:
    """One line of a stay's tracing checklist: a step, its deadline (if it has one), done or late."""

    kind: str
    label: str
    deadline: object  # datetime (notice), date (DNA) or None
    done: bool
    late: bool


def tracing_checklist(stay: Stay, *, steps=None, now: dt.datetime | None = None) -> tuple[rules.TracingDeadlines, list[TracingCheck]]:
    """The stay's tracing deadlines and, while its person's identity is not known, every tracing
    step: done or not, and late when the notice (24 h) or, for an unidentified person, the DNA
    (1 month) is past its deadline undone (R22). `steps`: the stay's steps if already read."""
    now = now or timezone.now()
    deadlines = rules.tracing_deadlines(timezone.localtime(stay.arrival_at))
    if stay.identity_status == c.IdentityStatus.KNOWN:
        return deadlines, []
    done = {s.kind for s in (stay.tracing_steps.all() if steps is None else steps)}
    checklist = []
    for kind, label in c.TracingStepKind.choices:
        late = False
        if kind == c.TracingStepKind.NOTICE:
            late = kind not in done and now > deadlines.notice_by
        elif kind == c.TracingStepKind.DNA:
            late = kind not in done and stay.unidentified and timezone.localdate(now) > deadlines.dna_by
        deadline = {c.TracingStepKind.NOTICE: deadlines.notice_by, c.TracingStepKind.DNA: deadlines.dna_by}.get(kind)
        checklist.append(TracingCheck(kind, label, deadline, kind in done, late))
    return deadlines, checklist


def stay_settlement_due(stay: Stay, *, today: dt.date | None = None) -> bool:
    """An open stay of an unidentified person past the settlement time (R24), as settlement_list."""
    today = today or timezone.localdate()
    return stay.unidentified and stay.status == c.StayStatus.OPEN and rules.settlement_due(timezone.localtime(stay.arrival_at), today)


def settlement_list(viewer, *, today: dt.date | None = None) -> list[Stay]:
    """Unidentified persons staying over 3 months without a settlement case yet (R24)."""
    today = today or timezone.localdate()
    # 3 months never span fewer than 89 days: a coarse database filter, then the exact calendar rule.
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=88), dt.time.min))
    qs = (stays(viewer).filter(status=c.StayStatus.OPEN, identity_status=c.IdentityStatus.UNIDENTIFIED,
                               arrival_at__lt=cutoff, settlement__isnull=True)
          .select_related("station").order_by("arrival_at"))
    return [s for s in qs if rules.settlement_due(timezone.localtime(s.arrival_at), today)]


def settlement_cases(viewer) -> QuerySet[SettlementCase]:
    return SettlementCase.objects.filter(stay__in=stays(viewer)).select_related("stay", "stay__station").order_by("status", "applied_on")


def overdue_follow_ups(viewer, *, today: dt.date | None = None) -> QuerySet[PreventionEntry]:
    today = today or timezone.localdate()
    return prevention_entries(viewer).filter(active=True, next_due__lt=today).order_by("next_due")


def unmet_reports(viewer, *, now: dt.datetime | None = None) -> list[MandatoryReport]:
    """Mandatory reports not made (or made late) for the supervisor (R25)."""
    now = now or timezone.now()
    qs = MandatoryReport.objects.filter(stay__in=stays(viewer)).select_related("stay", "stay__station").order_by("noticed_at")
    out = []
    for report in qs:
        limit = report.noticed_at + dt.timedelta(hours=rules.value("report_due_hours", report.noticed_at.date()))
        if (report.reported_at or now) > limit:
            out.append(report)
    return out


def hotspots(viewer) -> list[dict]:
    """Counts of the register by home region (county level) and category: where wandering starts (R23)."""
    rows = (prevention_entries(viewer).filter(active=True).values("region_code", "category")
            .annotate(n=Count("id")).order_by("region_code"))
    by_county: dict[RegionCode, dict] = defaultdict(lambda: {"total": 0})
    for row in rows:
        key = RegionCode(row["region_code"]).ancestor_or_self(COUNTY)
        by_county[key][row["category"]] = by_county[key].get(row["category"], 0) + row["n"]
        by_county[key]["total"] += row["n"]
    from bangfu.regions.models import Region

    names = dict(Region.objects.filter(code__in=[k.code for k in by_county]).values_list("code", "full_name"))
    out = [{"code": k.short, "name": names.get(k.code, k.short), **v} for k, v in by_county.items()]
    return sorted(out, key=lambda r: -r["total"])


# ----------------------------------------------------------------------------- statistics


def statistics(viewer, *, year: int) -> list[dict]:
    """Stays, people, outcomes, length of stay and costs by month (of arrival) and station."""
    qs = stays(viewer).filter(arrival_at__year=year).select_related("station")
    costs: dict[int, int] = defaultdict(int)
    for stay_id, fen in StayService.objects.filter(stay__in=qs).values_list("stay_id", "cost_fen"):
        costs[stay_id] += fen
    table: dict[tuple[int, int], dict] = {}
    for stay in qs:
        month = timezone.localtime(stay.arrival_at).month
        row = table.setdefault((month, stay.station_id), {
            "month": month, "station": stay.station.name, "stays": 0, "people": set(), "unidentified": 0,
            "ended_days": 0, "ended": 0, "cost_fen": 0, **{r.value: 0 for r in c.EndReason}, "open": 0,
        })
        row["stays"] += 1
        row["people"].add(stay.id_number or stay.person_id or f"stay-{stay.pk}")
        row["unidentified"] += stay.identity_status == c.IdentityStatus.UNIDENTIFIED
        row["cost_fen"] += costs.get(stay.pk, 0)
        if stay.status == c.StayStatus.ENDED and stay.ended_at:
            row[stay.end_reason] += 1
            row["ended"] += 1
            row["ended_days"] += (stay.ended_at - stay.arrival_at).days
        else:
            row["open"] += 1
    out = []
    for key in sorted(table):
        row = table[key]
        row["people"] = len(row["people"])
        row["average_days"] = round(row["ended_days"] / row["ended"], 1) if row["ended"] else None
        out.append(row)
    return out


def placements_in_month(institution: Institution, year: int, month: int) -> QuerySet[Placement]:
    first, last = rules.month_bounds(year, month)
    return (Placement.objects.filter(institution=institution, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=first)).select_related("stay").order_by("stay_id", "start_date"))
