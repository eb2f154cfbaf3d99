"""Reads of the case workflow, always scoped to the viewer (accounts.access)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from bangfu.accounts.access import NotFound, access_by_id
from bangfu.accounts.permissions import has_perm
from bangfu.accounts.choices import Role
from bangfu.policy.models import BenefitChange
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region
from bangfu.registry.models import Household, Person

from . import permissions
from .choices import FINAL_STATES, CaseState as S
from .models import NO_DEADLINE, Case, Level

PAGE_SIZE = 50

# What a list row (cases/_case_rows.html) and the API's inbox item (api._out) read: lists load
# these columns only, with no join (neither shows the household).
ROW_FIELDS = ("id", "case_type", "state", "version", "region_code", "household_id", "applicant_name",
              "applicant_id_number", "step_deadline", "overall_deadline", "due_date", "amount_fen",
              "decider_level", "identity_unverified")


def case_get(viewer, pk) -> Case:
    qs = Case.objects.select_related("household", "household__head", "person", "benefit", "entered_by", "decided_by",
                                     "related_staff", "accepted_by", "initial_reviewed_by", "county_visited_by")
    return access_by_id(viewer, qs, pk)


def waiting_filter(role: str) -> Q | None:
    """What waits for `role` (the level each state waits for comes from the transition table,
    stored as `Case.waits_for`); None for roles that act on no case."""
    if role == Role.TOWNSHIP_OFFICER:
        return Q(waits_for=Level.TOWNSHIP)
    if role == Role.COUNTY_OFFICER:
        return Q(waits_for=Level.COUNTY)
    if role == Role.VILLAGE_WORKER:
        # The village worker acts on no step after entry, but helps the family supply documents.
        return Q(state=S.DOCUMENTS_REQUESTED)
    return None


def inbox(viewer, *, after: tuple[dt.date, int] | None = None, limit: int = PAGE_SIZE) -> tuple[list[Case], tuple | None]:
    """Cases waiting for the viewer's role in the viewer's region, oldest deadline first (then
    case number); keyset paging on (due_date, id): no COUNT, the page costs the same anywhere."""
    q = waiting_filter(viewer.role)
    if q is None:
        return [], None
    qs = Case.objects.filter(q).visible_to(viewer)
    if after is not None:
        due, pk = after
        qs = qs.filter(Q(due_date__gt=due) | Q(due_date=due, pk__gt=pk))
    rows = list(qs.only(*ROW_FIELDS).order_by("due_date", "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, ((rows[-1].due_date, rows[-1].pk) if more else None)


def open_cases(viewer) -> QuerySet[Case]:
    return Case.objects.exclude(state__in=FINAL_STATES).visible_to(viewer)


def _overdue(viewer, today: dt.date) -> QuerySet[Case]:
    # A closed case's due_date is NO_DEADLINE, so "due before today" already means open: one range
    # on (region_code, due_date) without a state filter.
    return Case.objects.filter(due_date__lt=today).visible_to(viewer)


def overdue_by_office(viewer, *, today: dt.date) -> list[dict]:
    """Open cases past a deadline, counted per township office.

    Counted per 12-digit code in SQL (an index-only scan of `case_overdue_count`, hashing a short
    key; a SUBSTRING per row cost more than the scan) and summed per office here: a county has a
    few hundred village codes, and most open cases may be overdue."""
    per_office: dict[RegionCode, int] = {}
    for code, n in _overdue(viewer, today).order_by().values_list("region_code").annotate(n=Count("*")):
        office = RegionCode(code).township
        per_office[office] = per_office.get(office, 0) + n
    rows = [{"office": office.prefix, "code": office.code, "n": per_office[office]} for office in sorted(per_office)]
    names = dict(Region.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", "name"))
    for r in rows:
        r["name"] = names.get(r["code"], r["code"])
    return rows


def overdue(viewer, *, today: dt.date, office: str = "", limit: int = PAGE_SIZE) -> list[Case]:
    qs = _overdue(viewer, today)
    if office and office.isdigit() and len(office) == 12:
        qs = qs.within(RegionCode(office).township or office)
    return list(qs.only(*ROW_FIELDS).order_by("due_date", "pk")[:limit])


def household_cases(household) -> QuerySet[Case]:
    """Unscoped: the caller already holds the household."""
    return Case.objects.filter(household=household).order_by("-created_at", "-pk")


def case_household(viewer, household_id) -> Household:
    """The household a case is opened for, with its head. NotFound when it does not exist or lies
    outside the viewer's subtree alike."""
    return access_by_id(viewer, Household.objects.select_related("head"), household_id)


def case_person(household: Household, person_id) -> Person:
    """The member of `household` a case names (R2); NotFound for anyone else."""
    person = Person.objects.filter(pk=person_id, household=household).first()
    if person is None:
        raise NotFound
    return person


def case_form_household(viewer, household_id) -> tuple[Household | None, list[Person]]:
    """For the application form's panel: the household the form names (an unchecked value, from
    the query string or the post) and its members, or (None, []) when the value is no household
    the viewer may see."""
    if not household_id or not str(household_id).isdigit():
        return None, []
    try:
        household = case_household(viewer, int(household_id))
    except NotFound:
        return None, []
    return household, list(household.members.order_by("pk"))


def open_reassessment_changes(viewer, *, limit: int = PAGE_SIZE) -> list[BenefitChange]:
    """Changes found by `bangfu reassess` still waiting for a case, for the offices that open
    them (township and county)."""
    if not has_perm(viewer, permissions.OPEN_REVIEW):
        return []
    qs = BenefitChange.objects.filter(status=BenefitChange.Status.OPEN).visible_to(viewer)
    return list(qs.select_related("household__head").order_by("created_at", "pk")[:limit])


__all__ = ["NO_DEADLINE", "case_get", "inbox", "overdue_by_office", "overdue", "household_cases",
           "open_reassessment_changes", "open_cases", "case_household", "case_person", "case_form_household"]


def village_notice_cases(viewer, village_code: str) -> list[Case]:
    """The applications of one village now on public notice (办法 §19), the list posted on its
    board: NotFound when the village is not the viewer's (alike for a code that does not exist)."""
    from bangfu.accounts.access import in_scope
    from bangfu.regions.codes import VILLAGE

    try:
        code = RegionCode.parse(village_code)
    except (ValueError, TypeError):
        raise NotFound() from None
    if code.level != VILLAGE or not in_scope(viewer, code.code) or not Region.objects.filter(code=code.code).exists():
        raise NotFound()
    return list(Case.objects.visible_to(viewer).filter(region_code=code.code, state=S.NOTICE, notice_start__isnull=False)
                .select_related("household").order_by("notice_start", "pk"))
