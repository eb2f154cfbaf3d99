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

from .models import Case, DocumentCounter, IssuedDocument, Level

# Suffixes dropped from a region's name for the short name in a document number (瑶海区 → 瑶海).
_SUFFIXES = ("街道", "县", "区", "市", "旗", "镇", "乡")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def office_of(case: Case, *, level: str | None = None) -> tuple[str, str, str]:
    """(region code, full office name, short name) of the office that issues the case's notice.
    The office's name and the document number are the official document's own text (data, the
    same in every interface language), not interface strings."""
    return office_at(case.region_code, level=level or case.decider_level)


def office_at(region_code: str, *, level: str) -> tuple[str, str, str]:
    """`office_of` for a region: the township government (street office) or the county bureau
    over `region_code` (a village's public-notice list, a county's payroll sheet)."""
    code = RegionCode(region_code).ancestor_or_self(TOWNSHIP if level == Level.TOWNSHIP else COUNTY).code
    region = Region.objects.filter(code=code).only("name").first()
    name = region.name if region else code
    if level == Level.TOWNSHIP:
        office = f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"
    else:
        office = f"{name}民政局"
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


def document_issue(*, kind: str, key: str, region_code: str, level: str, on: dt.date) -> IssuedDocument:
    """The number of a printed document that is not a case's decision (a village's public-notice
    list, a payroll sheet), allocated on its first download from the office's counter and kept:
    the same document (`kind`, `key`) downloaded again keeps its number and date. The counter row
    is locked before looking again, so two first downloads at once share one number."""
    found = IssuedDocument.objects.filter(kind=kind, key=key).first()
    if found is not None:
        return found
    office_code, office, short = office_at(region_code, level=level)
    with transaction.atomic():
        number = document_number_allocate(office_code, on.year)  # holds the counter's lock from here
        found = IssuedDocument.objects.filter(kind=kind, key=key).first()
        if found is not None:
            transaction.set_rollback(True)  # another download numbered it meanwhile: give ours back
            return found
        return IssuedDocument.objects.create(
            kind=kind, key=key, region_code=region_code, office_code=office_code, issuing_office=office,
            document_number=f"{short}民救〔{on.year}〕{number}号", issued_on=on)


def notice_issue(case: Case, on: dt.date, *, level: str | None = None) -> None:
    """Give the case's decision its office and document number (once: a case keeps its number)."""
    if case.document_number:
        return
    code, office, short = office_of(case, level=level)
    number = document_number_allocate(code, on.year)
    case.issuing_office = office
    case.document_number = f"{short}民救〔{on.year}〕{number}号"


# ----------------------------------------------------------------------------- which notice


def notice_kind(case: Case) -> str:
    """The notice a decided case prints: approval, refusal, not_accepted, raise, reduction, stop,
    gradual_exit, temporary (a one-off temporary assistance) or "" (nothing to print)."""
    from .choices import BENEFIT_TYPES, CaseState as S, CaseType as T, Proposal

    if case.case_type in BENEFIT_TYPES:
        if case.state != S.DECIDED:
            return ""
        return {Proposal.RAISE: "raise", Proposal.LOWER: "reduction", Proposal.STOP: "stop",
                Proposal.GRADUAL_EXIT: "gradual_exit"}.get(case.proposal, "")  # an unchanged review changes nothing
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


# ----------------------------------------------------------------------------- what the notice says

# 行政复议法 (2023) §20: 60 days from knowing of the act; 行政诉讼法 §46: 6 months. The county
# government reviews acts of its civil-affairs bureau and of its townships (行政复议法 §24).
def rights_articles() -> tuple[str, str]:
    return _("《中华人民共和国行政复议法》第二十条"), _("《中华人民共和国行政诉讼法》第四十六条")


def _month(d: dt.date | None) -> str:
    from django.utils.dateformat import format as date_format

    return date_format(d, _("Y年n月")) if d else "—"


def _basis(case: Case, kind: str) -> str:
    from .choices import CaseType as T, Origin

    tekun = case.case_type == T.TEKUN or (case.benefit_id and case.benefit.programme == "tekun")
    if kind in ("temporary",) or case.case_type in (T.TEMPORARY_EMERGENCY, T.TEMPORARY_EXPENDITURE):
        return _("《社会救助暂行办法》第四十七条、第四十八条")
    if kind == "not_accepted":
        return _("《最低生活保障审核确认办法》第十条")
    if kind in ("approval", "refusal"):
        return _("《社会救助暂行办法》第十六条") if tekun else _("《社会救助暂行办法》第十一条，《最低生活保障审核确认办法》第二十一条")
    if tekun:
        return _("《社会救助暂行办法》第十七条") if kind == "stop" else _("《社会救助暂行办法》第十五条")
    basis = _("《社会救助暂行办法》第十三条，《最低生活保障审核确认办法》第三十一条")
    if kind == "gradual_exit":
        basis = _("《社会救助暂行办法》第十三条，《最低生活保障审核确认办法》第三十三条")
    if case.origin == Origin.WORK_REFUSAL:
        basis = _("《社会救助暂行办法》第四十五条") + _("，") + basis
    return basis


def notice_context(case: Case) -> dict:
    """Everything the printed notice says: title, number, office, the decision's sentences, the
    reasons, the legal basis, the rights of review and suit, the members covered."""
    from bangfu.common.money import format_yuan

    from .choices import CaseType as T

    kind = notice_kind(case)
    programme = case.benefit.get_programme_display() if case.benefit_id else case.get_case_type_display()
    from django.utils.dateformat import format as date_format

    applied = date_format(case.applied_on, _("Y年n月j日"))
    what = {"applied": applied, "type": case.get_case_type_display(), "programme": programme}
    titles = {
        "approval": _("审批决定通知书"), "refusal": _("不予批准通知书"), "not_accepted": _("不予受理通知书"),
        "raise": _("增发通知书"), "reduction": _("减发通知书"), "stop": _("停发通知书"),
        "gradual_exit": _("渐退通知书"), "temporary": _("临时救助决定通知书"),
    }
    lines: list[str] = []
    reasons = case.decision_reasons
    if kind == "approval":
        lines.append(_("您于 %(applied)s 提出的%(type)s，经调查核实、公示和审核确认，决定予以批准。") % what)
        if case.amount_fen and case.benefit_id and case.case_type == T.TEKUN:
            lines.append(_("核定供养金额每月 %(amount)s 元，自 %(start)s 起发放。") % {
                "amount": format_yuan(case.amount_fen), "start": _month(case.benefit.start_month)})
        elif case.amount_fen and case.benefit_id:
            lines.append(_("核定金额每月 %(amount)s 元，自 %(start)s 起发放（《最低生活保障审核确认办法》第二十一条）。") % {
                "amount": format_yuan(case.amount_fen), "start": _month(case.benefit.start_month)})
    elif kind == "refusal":
        if case.case_type == T.TEMPORARY_EMERGENCY and case.paid_first_fen:
            lines.append(_("您于 %(applied)s 申请的%(type)s，乡镇（街道）已先行救助 %(first)s 元；其余 %(rest)s 元经审核，决定不予批准。") % {
                **what, "first": format_yuan(case.paid_first_fen), "rest": format_yuan((case.amount_fen or 0) - case.paid_first_fen)})
        else:
            lines.append(_("您于 %(applied)s 提出的%(type)s，经调查核实和审核，决定不予批准。") % what)
    elif kind == "not_accepted":
        lines.append(_("您于 %(applied)s 提出的%(type)s，经审查，决定不予受理。") % what)
    elif kind == "temporary":
        if case.paid_first_fen and case.amount_fen and case.paid_first_fen < case.amount_fen:
            lines.append(_("您于 %(applied)s 申请的%(type)s，乡镇（街道）已先行救助 %(first)s 元，经审核，决定再给予 %(rest)s 元，合计 %(total)s 元，一次性发放。") % {
                **what, "first": format_yuan(case.paid_first_fen), "rest": format_yuan(case.amount_fen - case.paid_first_fen),
                "total": format_yuan(case.amount_fen)})
        else:
            lines.append(_("您于 %(applied)s 申请的%(type)s，经审核，决定给予临时救助 %(amount)s 元，一次性发放。") % {
                **what, "amount": format_yuan(case.amount_fen)})
    elif kind in ("raise", "reduction", "stop", "gradual_exit"):
        reasons = "；".join(x for x in (case.findings, case.decision_reasons) if x)
        rows = list(case.benefit.amounts.order_by("from_month", "id")) if case.benefit_id else []
        before = [r for r in rows if r.case_id != case.pk and r.kind != "stop"]
        old = before[-1].amount_fen if before else None
        start = _month(dt.date(case.decided_on.year, case.decided_on.month, 1) + dt.timedelta(days=32)) if case.decided_on else "—"
        if kind == "raise":
            lines.append(_("经核查，决定自 %(start)s 起将%(programme)s由每月 %(old)s 元增发为每月 %(new)s 元。") % {
                **what, "start": start, "old": format_yuan(old), "new": format_yuan(case.amount_fen)})
        elif kind == "reduction":
            lines.append(_("经核查，决定自 %(start)s 起将%(programme)s由每月 %(old)s 元减发为每月 %(new)s 元。") % {
                **what, "start": start, "old": format_yuan(old), "new": format_yuan(case.amount_fen)})
        elif kind == "stop":
            last = case.benefit.end_month if case.benefit_id else None
            lines.append(_("经核查，决定停发%(programme)s：发放至 %(last)s，自 %(next)s 起停发。") % {
                **what, "last": _month(last), "next": _month(dt.date(last.year, last.month, 1) + dt.timedelta(days=32)) if last else "—"})
        else:
            last = case.benefit.end_month if case.benefit_id else None
            lines.append(_("经核查，您家庭的收入已高于最低生活保障标准，决定给予 %(months)s 个月渐退期：渐退期内按每月 %(amount)s 元照常发放至 %(last)s，期满停发。") % {
                "months": case.exit_months, "amount": format_yuan(old), "last": _month(last)})
    county = RegionCode(case.region_code).ancestor_or_self(COUNTY).code
    county_region = Region.objects.filter(code=county).only("name").first()
    rights = _("如对本决定不服，可以自收到本通知书之日起六十日内向%(gov)s人民政府申请行政复议（%(review)s），"
               "也可以自收到本通知书之日起六个月内依法向人民法院提起行政诉讼（%(suit)s）。") % {
        "gov": county_region.name if county_region else "", "review": rights_articles()[0], "suit": rights_articles()[1]}
    addressee = case.applicant_name
    if not addressee:
        holder = case.person if case.person_id else (case.household.head if case.household_id else None)
        addressee = holder.name if holder else ""
    return {
        "addressee": addressee, "kind": kind, "title": titles.get(kind, ""), "lines": lines, "reasons": reasons, "basis": _("依据：%(basis)s。") % {"basis": _basis(case, kind)} if kind else "",
        "rights": rights, "members": members_covered(case), "office": case.issuing_office, "number": case.document_number,
    }
