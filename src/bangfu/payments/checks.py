"""Checks before approval (R17; issue 15 "Checks before approval"): each line of a payroll is checked
against what audits of social assistance find every year; a line with any finding is held
(status HELD, its flags listed) until someone other than the builder releases it with a reason.

Set-based, like the build: one query per check over the payroll's lines, whatever its size.
- dead: the recipient (the member of an individual benefit, else the household head) is recorded
  dead in the registry, and the line pays a month after the month of death (a benefit stops from
  the month after death, benefits.services);
- shared account: the account number is registered for two households, or in two counties
  (an institution's account for 集中供养 is shared by design and not counted);
- holder mismatch: the account's holder is not the recipient and no agent or guardian is recorded;
  no account at all is its own flag;
- double benefit: a tekun person also covered by dibao that month (the household's or their own:
  特困 and 低保 exclude each other, 《特困人员认定办法》), or the same recipient paid in two counties;
- staff relative: the case that granted or last reviewed the benefit records a relative of a worker
  and no county home visit (办法 §11, §20);
- above the rule: a household's dibao lines for the month add up to more than the engine's latest
  result for it (家庭月低保金 + 单人保);
- jump: the amount differs from last month's line and no decision took effect this month;
- review overdue: the next review date has passed by more than PAYMENT_REVIEW_GRACE_MONTHS months.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Min, Q

from bangfu.benefits.choices import Programme
from bangfu.benefits.models import Benefit, BenefitAmount
from bangfu.common.months import add_months, month_of, previous_month
from bangfu.regions.scoping import county_expr
from bangfu.registry.choices import PersonStatus

from . import choices as c
from .models import PaymentAccount, Payroll, PayrollLine

REVIEW_GRACE_MONTHS_DEFAULT = 3
CHUNK = 5000


def review_grace_months() -> int:
    return int(getattr(settings, "PAYMENT_REVIEW_GRACE_MONTHS", REVIEW_GRACE_MONTHS_DEFAULT))


def _paid_in(qs, month):
    return qs.filter(start_month__lte=month).filter(Q(end_month__isnull=True) | Q(end_month__gte=month))


def find_flags(payroll: Payroll) -> dict[int, set[str]]:
    """Line id → the flags it raises (only lines with at least one)."""
    from bangfu.cases.models import Case
    from bangfu.policy.models import Determination


    month = payroll.month
    flags: dict[int, set[str]] = defaultdict(set)
    lines = list(PayrollLine.objects.filter(payroll=payroll).values_list(
        "id", "benefit_id", "one_off_id", "household_id", "person_id", "programme", "month", "kind", "component", "amount_fen",
        "account_id", "account_number", "person__name", "person__status", "account__holder_name", "account__holder_relation",
        "account__agent_name", "benefit__granted_case_id", "benefit__last_review_case_id", "benefit__next_review_date",
        "one_off__case_id").iterator(chunk_size=CHUNK))
    if not lines:
        return {}
    line_qs = PayrollLine.objects.filter(payroll=payroll)

    # dead
    dead = {r[4] for r in lines if r[13] == PersonStatus.DECEASED}
    if dead:
        from bangfu.registry.models import Person as P

        died = dict(P.history.filter(id__in=dead, status=PersonStatus.DECEASED).values("id").annotate(on=Min("history_date"))
                    .values_list("id", "on"))
        for r in lines:
            if r[4] in dead:
                on = died.get(r[4])
                if on is None or r[6] > month_of(on.date() if hasattr(on, "date") else on):
                    flags[r[0]].add(c.Flag.DEAD)

    # accounts
    shared = set(PaymentAccount.objects.exclude(holder_relation=c.HolderRelation.INSTITUTION)
                 .filter(account_number__in=line_qs.exclude(account_number="").values("account_number"))
                 .annotate(county=county_expr()).values("account_number")
                 .annotate(h=Count("household_id", distinct=True), r=Count("county", distinct=True))
                 .filter(Q(h__gt=1) | Q(r__gt=1)).values_list("account_number", flat=True))
    for r in lines:
        if r[10] is None:
            flags[r[0]].add(c.Flag.NO_ACCOUNT)
            continue
        if r[11] in shared:
            flags[r[0]].add(c.Flag.SHARED_ACCOUNT)
        if (r[15] not in (c.HolderRelation.INSTITUTION,) and not r[16]
                and (r[14] or "").strip() != (r[12] or "").strip()):
            flags[r[0]].add(c.Flag.HOLDER_NOT_RECIPIENT)

    # double benefit: tekun and dibao for one person; one recipient in two counties (this month)
    this_month = [r for r in lines if r[6] == month and r[1] is not None]
    tekun = [r for r in this_month if r[5] == Programme.TEKUN]
    if tekun:
        t_persons = {r[4] for r in tekun}
        t_households = {r[3] for r in tekun}
        dibao = _paid_in(Benefit.objects.filter(programme=Programme.DIBAO), month).filter(
            Q(person_id__in=t_persons) | Q(household_id__in=t_households, person__isnull=True))
        dibao_people, dibao_households = set(), set()
        for person_id, household_id in dibao.values_list("person_id", "household_id"):
            if person_id:
                dibao_people.add(person_id)
            else:
                dibao_households.add(household_id)
        both_people = {r[4] for r in tekun if r[4] in dibao_people or r[3] in dibao_households}
        both_households = {r[3] for r in tekun if r[4] in both_people}
        for r in this_month:
            if (r[5] == Programme.TEKUN and r[4] in both_people) or (r[5] == Programme.DIBAO and (r[4] in both_people or r[3] in both_households)):
                flags[r[0]].add(c.Flag.DOUBLE_BENEFIT)
    recipients = {r[4] for r in this_month}
    if recipients:
        from django.db.models.functions import Coalesce

        spread = (_paid_in(Benefit.objects.filter(programme__in=(Programme.DIBAO, Programme.TEKUN)), month)
                  .annotate(recipient=Coalesce("person_id", "household__head_id"), county=county_expr())
                  .filter(recipient__in=line_qs.filter(month=month, benefit__isnull=False).values("person_id"))  # not 300,000 ids
                  .values("recipient").annotate(n=Count("county", distinct=True))
                  .filter(n__gt=1).values_list("recipient", flat=True))
        two_places = set(spread)
        for r in this_month:
            if r[4] in two_places:
                flags[r[0]].add(c.Flag.DOUBLE_BENEFIT)

    # staff relative without the county visit
    case_ids = {x for r in lines for x in (r[17], r[18], r[20]) if x}
    if case_ids:
        open_relatives = set(Case.objects.filter(id__in=case_ids, county_visit_on__isnull=True)
                             .filter(Q(related_staff__isnull=False) | ~Q(related_staff_name=""))
                             .values_list("id", flat=True))
        for r in lines:
            if {r[17], r[18], r[20]} & open_relatives:
                flags[r[0]].add(c.Flag.STAFF_RELATIVE)

    # above the engine's result (dibao, this month)
    dibao_sum: dict[int, int] = defaultdict(int)
    for r in this_month:
        if r[5] == Programme.DIBAO and r[7] in (c.LineKind.REGULAR, c.LineKind.GRADUAL_EXIT):
            dibao_sum[r[3]] += r[9]
    if dibao_sum:
        allowed = {}
        dibao_households = line_qs.filter(month=month, programme=Programme.DIBAO).values("household_id")  # a subquery
        for hid, total in (Determination.objects.filter(household_id__in=dibao_households).order_by("run_id")
                           .values_list("household_id", "dibao_total_fen")):
            allowed[hid] = total  # the latest run's (one per household; ordered so the last wins)
        for r in this_month:
            if r[5] == Programme.DIBAO and r[3] in allowed and dibao_sum[r[3]] > allowed[r[3]]:
                flags[r[0]].add(c.Flag.ABOVE_RULE)

    # jump from last month without a decision
    regular = {(r[1], r[8]): r for r in this_month if r[7] in (c.LineKind.REGULAR, c.LineKind.GRADUAL_EXIT)}
    if regular:
        before = previous_month(month)
        last: dict[tuple[int, str], int] = defaultdict(int)
        ours = line_qs.filter(benefit__isnull=False).values("benefit_id")  # a subquery over this payroll's lines
        for bid, comp, amount in (PayrollLine.objects.filter(benefit_id__in=ours, month=before)
                                  .exclude(kind__in=(c.LineKind.ADJUSTMENT, c.LineKind.RESEND))
                                  .values_list("benefit_id", "component", "amount_fen").iterator(chunk_size=CHUNK)):
            last[(bid, comp)] += amount
        differing = {k for k, r in regular.items() if k in last and last[k] != r[9]}
        if differing:
            decided = set(BenefitAmount.objects.filter(benefit_id__in={b for b, _ in differing}, from_month=month)
                          .values_list("benefit_id", flat=True))
            for k in differing:
                if k[0] not in decided:
                    flags[regular[k][0]].add(c.Flag.JUMP)

    # review overdue
    grace = review_grace_months()
    for r in lines:
        if r[19] is not None and add_months(r[19], grace) < month:
            flags[r[0]].add(c.Flag.REVIEW_OVERDUE)

    return {k: v for k, v in flags.items() if v}


def run_checks(payroll: Payroll) -> int:
    """Flag and hold the payroll's pending lines that raise a finding; returns how many are held."""
    found = find_flags(payroll)
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for line_id, fl in found.items():
        groups[tuple(sorted(fl))].append(line_id)
    for fl, ids in groups.items():
        for i in range(0, len(ids), CHUNK):
            PayrollLine.objects.filter(id__in=ids[i:i + CHUNK], status=c.LineStatus.PENDING).update(flags=list(fl), status=c.LineStatus.HELD)
    return len(found)
