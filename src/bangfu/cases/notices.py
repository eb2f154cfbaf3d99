"""Written notices of decisions (issue 14): which office issues them, their document number, and
which kind of notice a decided case prints.

Every decision the person is told of in writing (批准, 不予批准, 不予受理, 减发, 停发, 渐退, 增发,
临时救助) carries the issuing office's real name and a number from that office's counter for the
year: "瑶海民救〔2026〕17号". The number is allocated once, inside the transaction of the decision
(`services.case_perform`), by locking the office's `DocumentCounter` row (select_for_update): two
decisions of one office at the same moment get two consecutive numbers, never the same one; a
decision that rolls back gives its number back with it.

The office is the decider: the county civil-affairs bureau (县级人民政府民政部门), or the township
government / street office (乡镇人民政府、街道办事处) where it decided (delegated approval, R5; a
temporary assistance within its limit, 暂行办法 §48). A refusal to accept (不予受理) is the township's.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bangfu.regions.codes import COUNTY, TOWNSHIP, RegionCode
from bangfu.regions.models import Region

from .models import Case, DocumentCounter, Level

# Suffixes dropped from a region's name for the short name in a document number (瑶海区 → 瑶海).
_SUFFIXES = ("街道", "县", "区", "市", "旗", "镇", "乡")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def office_of(case: Case, *, level: str | None = None) -> tuple[str, str, str]:
    """(region code, full office name, short name) of the office that issues the case's notice."""
    level = level or case.decider_level
    code = RegionCode(case.region_code).ancestor_or_self(TOWNSHIP if level == Level.TOWNSHIP else COUNTY).code
    region = Region.objects.filter(code=code).only("name").first()
    name = region.name if region else code
    if level == Level.TOWNSHIP:
        office = _("%(name)s办事处") % {"name": name} if name.endswith("街道") else _("%(name)s人民政府") % {"name": name}
    else:
        office = _("%(name)s民政局") % {"name": name}
    return code, office, _short(name)


def document_number_allocate(office_code: str, year: int) -> int:
    """The next number of `office_code` in `year`: locks the counter row until the caller's
    transaction ends (PostgreSQL: concurrent callers wait and each get the next number)."""
    with transaction.atomic():
        counter = DocumentCounter.objects.select_for_update().filter(office_code=office_code, year=year).first()
        if counter is None:
            try:
                with transaction.atomic():  # two first notices of a year at once: one insert wins
                    DocumentCounter.objects.create(office_code=office_code, year=year, last=0)
            except IntegrityError:
                pass
            counter = DocumentCounter.objects.select_for_update().get(office_code=office_code, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


def notice_issue(case: Case, on: dt.date, *, level: str | None = None) -> None:
    """Give the case's decision its office and document number (once: a case keeps its number)."""
    if case.document_number:
        return
    code, office, short = office_of(case, level=level)
    number = document_number_allocate(code, on.year)
    case.issuing_office = office
    case.document_number = _("%(short)s民救〔%(year)s〕%(n)s号") % {"short": short, "year": on.year, "n": number}


# ----------------------------------------------------------------------------- which notice


def notice_kind(case: Case) -> str:
    """The notice a decided case prints: approval, refusal, not_accepted, raise, reduction, stop,
    gradual_exit, unchanged, temporary (a one-off temporary assistance) or "" (nothing to print)."""
    from .choices import BENEFIT_TYPES, CaseState as S, CaseType as T, Proposal

    if case.case_type in BENEFIT_TYPES:
        if case.state != S.DECIDED:
            return ""
        return {Proposal.RAISE: "raise", Proposal.LOWER: "reduction", Proposal.STOP: "stop",
                Proposal.GRADUAL_EXIT: "gradual_exit", Proposal.UNCHANGED: "unchanged"}.get(case.proposal, "")
    if case.state in (S.REJECTED, S.CLOSED_REJECTED):
        return "refusal" if case.decided_on is not None else "not_accepted"
    if case.case_type in (T.TEMPORARY_EMERGENCY, T.TEMPORARY_EXPENDITURE) and case.decided_on is not None:
        return "temporary"
    if case.state == S.APPROVED:
        return "approval"
    return ""


def members_covered(case: Case) -> list:
    """Who the decision covers: the member of a personal benefit (tekun, individual dibao), else
    the household's members in the register (the household a household benefit is paid for)."""
    from bangfu.registry.choices import PersonStatus
    from bangfu.registry.models import Person

    if case.person_id:
        return [case.person]
    if case.household_id is None:
        return []
    return list(Person.objects.filter(household_id=case.household_id, status=PersonStatus.ACTIVE).order_by("pk"))
