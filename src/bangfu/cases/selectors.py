"""Reads of the case workflow, always scoped to the viewer (accounts.access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Right
from django.utils import timezone

from bangfu.accounts.access import NotFound, access_by_id
from bangfu.accounts.permissions import has_perm
from bangfu.accounts.choices import Role
from bangfu.policy.models import BenefitChange
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region
from bangfu.common.idnumber import InvalidIdNumber, parse_id_number
from bangfu.regions.choices import Level as RegionLevel
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


MINE = "mine"
OTHERS = "others"
EXPORT_MAX_ROWS = 20_000  # an inbox export past this asks the user to filter (one county's open cases fit)


@dataclass(frozen=True)
class InboxFilter:
    """The inbox's tab and filters as the URL carries them (forms.InboxFilterForm checks them)."""

    tab: str = MINE  # MINE: the step is for the viewer's role in the viewer's region; OTHERS: open, waiting for someone else
    case_type: str = ""
    state: str = ""
    township: str = ""  # a 12-digit township code
    village: str = ""  # a 12-digit village code
    overdue: bool = False
    q: str = ""  # a name (start), an ID number (whole, or its last 4+ characters) or a receipt number


def _search_q(q: str) -> Q:
    """One indexed condition per kind of search term: a receipt number (unique), a whole ID number,
    the tail of one (expression index case_id_tail on the last four) or the start of a name."""
    text = q.strip()
    upper = text.upper()
    if upper.startswith("BF") and len(upper) == 12 and upper[2:].isalnum():
        return Q(receipt_number=upper)
    if len(text) in (15, 18) and text[:-1].isdigit():
        try:
            number = parse_id_number(text).number
        except InvalidIdNumber:
            number = upper
        # the tail narrows through its index; the whole number has none of its own
        return Q(applicant_id_tail=number[-4:], applicant_id_number=number)
    if 4 <= len(text) < 18 and (text.isdigit() or (text[:-1].isdigit() and upper[-1] == "X")):
        return Q(applicant_id_tail=upper[-4:], applicant_id_number__endswith=upper)
    return Q(applicant_name__startswith=text)


def _region_code(value: str, level: int) -> RegionCode | None:
    if not value or not value.isdigit() or len(value) != 12:
        return None
    code = RegionCode(value)
    return code if code.level == level else None


def inbox_queryset(viewer, flt: InboxFilter, *, today: dt.date) -> QuerySet[Case]:
    """The inbox's cases for the tab and filters, scoped to the viewer's region.

    "Waits for me" is the role's step (`waiting_filter`: index case_inbox on (waits_for, due_date,
    id)); "waits for others" is every other open case the viewer may see. A township or village
    narrows the region range (index case_region_due on (region_code, due_date, id)); overdue is
    due_date < today (closed cases carry NO_DEADLINE)."""
    mine = waiting_filter(viewer.role)
    if flt.tab == OTHERS:
        qs = Case.objects.exclude(state__in=FINAL_STATES)
        if mine is not None:
            qs = qs.exclude(mine)
    elif mine is None:
        return Case.objects.none()
    else:
        qs = Case.objects.filter(mine)
    qs = qs.visible_to(viewer)
    for value, level in ((flt.township, RegionLevel.TOWNSHIP), (flt.village, RegionLevel.VILLAGE)):
        if value:
            code = _region_code(value, level)
            # an unknown code filters to nothing rather than widening the list to everything
            qs = qs.within(code) if code is not None else qs.none()
    if flt.case_type:
        qs = qs.filter(case_type=flt.case_type)
    if flt.state:
        qs = qs.filter(state=flt.state)
    if flt.overdue:
        qs = qs.filter(due_date__lt=today)
    if flt.q.strip():
        qs = qs.annotate(applicant_id_tail=Right("applicant_id_number", 4)).filter(_search_q(flt.q))
    return qs


def inbox(viewer, flt: InboxFilter | None = None, *, today: dt.date | None = None, after: tuple[dt.date, int] | None = None,
          limit: int = PAGE_SIZE) -> tuple[list[Case], tuple | None]:
    """Cases of the inbox tab (by default: waiting for the viewer's role in the viewer's region),
    oldest deadline first (then case number); keyset paging on (due_date, id): no COUNT and no
    OFFSET, the page costs the same anywhere and a case closed meanwhile shifts no row."""
    today = today or timezone.localdate()
    qs = inbox_queryset(viewer, flt or InboxFilter(), today=today)
    if after is not None:
        due, pk = after
        qs = qs.filter(Q(due_date__gt=due) | Q(due_date=due, pk__gt=pk))
    rows = list(qs.only(*ROW_FIELDS).order_by("due_date", "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, ((rows[-1].due_date, rows[-1].pk) if more else None)


def inbox_export_rows(viewer, flt: InboxFilter, *, today: dt.date) -> QuerySet[Case]:
    """The filtered inbox in the page's order, for the Excel export (the caller caps it)."""
    return inbox_queryset(viewer, flt, today=today).only(*ROW_FIELDS, "receipt_number").order_by("due_date", "pk")


def region_names(codes) -> dict[str, str]:
    """Names of the regions whose 12-digit codes are given (one query), for lists that show a
    township and a village instead of a code."""
    codes = {c for c in codes if c}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def place_names(rows, attr: str = "region_code") -> None:
    """Sets `township_name` and `village_name` on each row from its region code (one query)."""
    codes: dict[str, tuple[str, str]] = {}
    for row in rows:
        code = getattr(row, attr)
        if code not in codes:
            rc = RegionCode(code)
            codes[code] = ((rc.township.code if rc.township else ""), code)
    names = region_names({c for pair in codes.values() for c in pair})
    for row in rows:
        township, village = codes[getattr(row, attr)]
        row.township_name = names.get(township, "")
        row.village_name = names.get(village, "") if village != township else ""


def inbox_region_choices(viewer, township: str = "") -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The township and village choices of the inbox filter, inside the viewer's region; the
    villages of the chosen township only, when one is chosen."""
    townships = list(Region.objects.visible_to(viewer).filter(level=RegionLevel.TOWNSHIP).order_by("code")
                     .values_list("code", "name")[:500])
    villages_qs = Region.objects.visible_to(viewer).filter(level=RegionLevel.VILLAGE)
    code = _region_code(township, RegionLevel.TOWNSHIP)
    if code is not None:
        villages_qs = villages_qs.within(code)
    villages = list(villages_qs.order_by("code").values_list("code", "name")[:2000])
    return townships, villages


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


def overdue_queryset(viewer, *, today: dt.date, office: str = "") -> QuerySet[Case]:
    qs = _overdue(viewer, today)
    if office and office.isdigit() and len(office) == 12:
        qs = qs.within(RegionCode(office).township or office)
    return qs.only(*ROW_FIELDS, "receipt_number").order_by("due_date", "pk")


def overdue(viewer, *, today: dt.date, office: str = "", limit: int = PAGE_SIZE) -> list[Case]:
    return list(overdue_queryset(viewer, today=today, office=office)[:limit])


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


__all__ = ["NO_DEADLINE", "case_get", "inbox", "InboxFilter", "inbox_queryset", "inbox_export_rows", "region_names",
           "place_names", "inbox_region_choices", "overdue_queryset", "overdue_by_office", "overdue", "household_cases",
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
