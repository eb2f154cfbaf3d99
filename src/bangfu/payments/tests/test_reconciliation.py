"""Reconciliation on random months (issue 15 "Done when"): a county's households on dibao with random
amounts, starts, raises and lowers, stops and gradual exits, some grants recorded late (back pay), over
six consecutive months across a year end (2025-10 … 2026-03). Each month's payroll is built, checked,
its held lines released by someone other than the builder, approved and locked; the bank file is
written (农商行 GBK layout, banks.yaml), the bank's return made with random failures in that layout
and imported. Checked, per month and per benefit:
- the sum of the lines = the bank file's total (its summary row and what the export says) = paid +
  failed after the return (the return read by payments.bankfiles alone gives the same split);
- importing the same return twice changes nothing;
- a benefit's lines over the months equal what its amount history says is due month by month — the
  due amount computed here by a plain loop over its BenefitAmount rows (the latest decision in force
  that month, 办法 §21: a decision takes effect from the month after it; §33: a gradual exit keeps
  the amount for its months; a stop pays through its month);
- no line for a month after a stop or the end of a gradual exit;
- back pay for a late grant appears once, in the month after the month it covers.
Seeded generators: the same seed always builds the same county, so a failure can be replayed."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.http import Http404

from bangfu.benefits import services as benefits
from bangfu.benefits.choices import ChangeKind, Programme
from bangfu.benefits.models import BenefitAmount
from bangfu.common.months import add_months
from bangfu.payments import bank, bankfiles, services
from bangfu.payments.cards import luhn_check_digit
from bangfu.payments.choices import LineKind, LineStatus
from bangfu.payments.models import PayrollLine
from bangfu.registry.services import household_create
from bangfu_testing.factories import person_data

from .conftest import give_account

pytestmark = pytest.mark.django_db
D = dt.date
COUNTY = "340102"
RCB = "rcb_gbk_pipe"
MONTHS = [add_months(D(2025, 10, 1), i) for i in range(6)]  # 2025-10 … 2026-03
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "秀英桂兰玉梅建国志强丽娟海燕明华"


def day_in(month: dt.date, rng: random.Random) -> dt.date:
    return month.replace(day=rng.randint(1, 28))


def plan_county(rng: random.Random, n: int) -> list[dict]:
    """Each household's story as indexes into MONTHS: the first month paid, the month the grant is
    recorded (one later for a late grant), an optional raise or lower, an optional stop or gradual
    exit; each decision is recorded just before the payroll of the month it takes effect in."""
    plans = []
    for i in range(n):
        start = rng.randint(0, 3)
        recorded = start + 1 if rng.random() < 0.35 else start
        plan = {"i": i, "start": start, "recorded": recorded, "amount": rng.randint(100, 900) * 100, "change": None, "end": None}
        nxt = recorded + 1
        if nxt < len(MONTHS) and rng.random() < 0.5:
            plan["change"] = (rng.randint(nxt, len(MONTHS) - 1), rng.choice([ChangeKind.RAISE, ChangeKind.LOWER]),
                              rng.randint(1, 20) * 500)
            nxt = plan["change"][0] + 1
        if nxt < len(MONTHS) and rng.random() < 0.6:
            plan["end"] = (rng.randint(nxt, len(MONTHS) - 1), rng.choice([ChangeKind.STOP, ChangeKind.GRADUAL_EXIT]), rng.randint(1, 2))
        plans.append(plan)
    return plans


def due_by_loop(benefit) -> dict[dt.date, int]:
    """What `benefit` is due each payroll month, from its amount rows alone: for each month, the
    latest row (by decision order) whose range holds the month; nothing before its start or after
    its end."""
    rows = list(BenefitAmount.objects.filter(benefit=benefit).order_by("id"))
    due = {}
    for m in MONTHS:
        if m < benefit.start_month or (benefit.end_month is not None and m > benefit.end_month):
            continue
        amount = 0
        for row in rows:
            if row.from_month <= m and (row.to_month is None or m <= row.to_month):
                amount = row.amount_fen
        if amount > 0:
            due[m] = amount
    return due


def return_file(payment: bytes, rng: random.Random, share_failed: float) -> tuple[bytes, set[str]]:
    """The bank's return in the 农商行 layout (banks.yaml rcb_gbk_pipe: the payment rows with
    处理结果|原因代码| appended, the summary row first): random rows failed with a random reason."""
    rows = payment.decode("gbk").split("\r\n")
    out, failed = [rows[0]], set()
    for row in rows[1:]:
        if row:
            ref = row.split("|")[5]
            if rng.random() < share_failed:
                failed.add(ref)
                out.append(row + f"1|{rng.choice(['E01', 'E02', 'E03', 'E04'])}|")
            else:
                out.append(row + "0||")
    return ("\r\n".join(out) + "\r\n").encode("gbk"), failed


@pytest.mark.parametrize("seed", [1, 2])
def test_payrolls_reconcile_on_random_months(seed, users, regions, county, county2, township_b):
    rng = random.Random(seed)
    villages = [regions["village_a"], regions["village_b"]]
    plans = plan_county(rng, 9)
    made: dict[int, object] = {}
    checkers = [users["township_a"], township_b]
    layout = bankfiles.layout_from_dict(bankfiles.load_default_layouts()[RCB])
    late_back_pay = {}

    for index, month in enumerate(MONTHS):
        # the decisions recorded before this month's payroll
        for plan in plans:
            if plan["recorded"] == index:
                village = villages[plan["i"] % 2]
                worker = users["village_b"] if village == regions["village_b"] else users["village_a"]
                name = SURNAMES[plan["i"] % 10] + GIVEN[rng.randrange(len(GIVEN))] + GIVEN[rng.randrange(len(GIVEN))]
                household = household_create(acting_user=worker, region_id=village.pk, address=f"幸福路{plan['i']}号",
                                             members=[person_data(name, "head")])
                start = MONTHS[plan["start"]]
                benefit = benefits.benefit_grant(acting_user=county, household=household, programme=Programme.DIBAO,
                                                 monthly_amount_fen=plan["amount"], approved_on=day_in(add_months(start, -1), rng),
                                                 case_id=None, review_class="A")
                body = f"62220202{seed:02d}{plan['i']:08d}"
                give_account(county, benefit, number=body + luhn_check_digit(body), holder=name)
                made[plan["i"]] = benefit
                if plan["recorded"] > plan["start"]:
                    late_back_pay[benefit.pk] = start
            for key in ("change", "end"):
                if plan[key] is not None and plan[key][0] == index:
                    benefit = made[plan["i"]]
                    benefit.refresh_from_db()
                    kind = plan[key][1]
                    decided = day_in(add_months(month, -1), rng)
                    if kind == ChangeKind.RAISE:
                        benefits.benefit_change(acting_user=county, benefit=benefit, kind=kind, decided_on=decided, case_id=None,
                                                monthly_amount_fen=benefit.monthly_amount_fen + plan[key][2])
                    elif kind == ChangeKind.LOWER:
                        benefits.benefit_change(acting_user=county, benefit=benefit, kind=kind, decided_on=decided, case_id=None,
                                                monthly_amount_fen=max(100, benefit.monthly_amount_fen - plan[key][2]))
                    elif kind == ChangeKind.STOP:
                        benefits.benefit_change(acting_user=county, benefit=benefit, kind=kind, decided_on=decided, case_id=None)
                    else:
                        benefits.benefit_change(acting_user=county, benefit=benefit, kind=kind, decided_on=decided, case_id=None,
                                                exit_months=plan[key][2])

        payroll, built = services.payroll_build(acting_user=county, county_code=COUNTY, month=month)
        assert built
        for line in PayrollLine.objects.filter(payroll=payroll, status=LineStatus.HELD):
            services.line_release(acting_user=county2, line=line, reason="已入户核实")
        for user in checkers:
            try:
                services.payroll_check(acting_user=user, payroll=payroll)
            except Http404:
                pass  # no lines of that township this month
        services.payroll_approve(acting_user=county2, payroll=payroll)
        lines = list(PayrollLine.objects.filter(payroll=payroll))
        line_total = sum(x.amount_fen for x in lines)
        if not lines:
            continue

        data, count, total = bank.payroll_bank_file(acting_user=county2, payroll=payroll, bank_code=RCB)
        summary = data.decode("gbk").split("\r\n")[0].split("|")
        assert (count, total) == (len(lines), line_total)
        assert (int(summary[0]), round(float(summary[1]) * 100)) == (len(lines), line_total)

        returned, failed_refs = return_file(data, rng, 0.3)
        read = bankfiles.read_return_file(returned, "回盘.txt", layout)
        assert read.problems == [] and read.paid_fen + read.failed_fen == line_total
        record = bank.payroll_return_import(acting_user=county2, payroll=payroll, data=returned, filename="回盘.txt", bank_code=RCB)
        assert (record.paid + record.failed, record.failed, record.problems) == (len(lines), len(failed_refs), [])
        after = {x.pk: (x.status, x.bank_reason_code) for x in PayrollLine.objects.filter(payroll=payroll)}
        paid = sum(x.amount_fen for x in PayrollLine.objects.filter(payroll=payroll, status=LineStatus.PAID))
        failed = sum(x.amount_fen for x in PayrollLine.objects.filter(payroll=payroll, status=LineStatus.FAILED))
        assert paid + failed == line_total == total
        assert (paid, failed) == (read.paid_fen, read.failed_fen)
        assert {str(pk) for pk, (status, _code) in after.items() if status == LineStatus.FAILED} == failed_refs

        with pytest.raises(services.PaymentError):
            bank.payroll_return_import(acting_user=county2, payroll=payroll, data=returned, filename="回盘.txt", bank_code=RCB)
        assert {x.pk: (x.status, x.bank_reason_code) for x in PayrollLine.objects.filter(payroll=payroll)} == after

    # every benefit: what its lines paid per month = what its amount rows say was due
    assert len(made) == len(plans)
    paid_lines = defaultdict(int)
    back_pay = defaultdict(list)
    for line in PayrollLine.objects.filter(benefit__isnull=False).select_related("payroll"):
        paid_lines[(line.benefit_id, line.month)] += line.amount_fen
        if line.kind == LineKind.BACK_PAY:
            back_pay[line.benefit_id].append((line.month, line.payroll.month))
    for benefit in made.values():
        benefit.refresh_from_db()
        due = due_by_loop(benefit)
        got = {m: paid_lines[(benefit.pk, m)] for m in MONTHS if paid_lines.get((benefit.pk, m))}
        assert got == due, f"benefit {benefit.pk} (seed {seed})"
        if benefit.end_month is not None:
            assert not [m for m in got if m > benefit.end_month]
        expected = [(late_back_pay[benefit.pk], add_months(late_back_pay[benefit.pk], 1))] if benefit.pk in late_back_pay else []
        assert back_pay.get(benefit.pk, []) == expected
    # the draw covered the kinds of story it is meant to (a seed that does not would prove less)
    kinds = {ChangeKind.STOP, ChangeKind.GRADUAL_EXIT, ChangeKind.RAISE, ChangeKind.LOWER}
    drawn = {p[k][1] for p in plans for k in ("change", "end") if p[k]}
    assert late_back_pay and drawn & kinds
