"""Payments benchmark (issue 15): building a county's monthly payroll with all the checks before
approval, for N paying benefits (a county of `--persons` persons, a share of its households on
dibao, each with an account in the head's name), against building the same lines one ORM row at
a time (the peer: per benefit, read the amount in force and save one line; timed on a sample and
scaled to N).

    python benchmarks/payments.py --benefits 300000     # 300,000 paying benefits, written directly
    python benchmarks/payments.py --persons 20000 --share 0.9    # through the full synth (slow at scale)

`--benefits N` writes N one-person households on dibao straight into the tables (COPY on
PostgreSQL, bulk_create elsewhere) instead of synthesising a whole county: synthesising 1,000,000
persons to get 300,000 paying benefits took most of the run. A few of them carry what the checks
look for (an account in someone else's name, an account shared by two households, a review long
overdue), so the held lines are not zero.

Uses its own database (BENCH_DATABASE_URL, default bangfu_bench_payments).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bangfu_bench_payments")

from common import Timer, bench, setup_django  # noqa: E402

AVERAGE_HOUSEHOLD_SIZE = 2.95


def generate(persons: int, county: str, share: float, seed: int, month: dt.date):
    """Synthetic households (bangfu.synth); dibao benefits for `share` of them granted 1–36 months
    before `month`, a third changed since, with their amount rows and an account each."""
    from django.db import connection

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.benefits.choices import BenefitStatus, ChangeKind, Programme
    from bangfu.benefits.models import Benefit, BenefitAmount
    from bangfu.common.months import add_months
    from bangfu.payments.models import PaymentAccount
    from bangfu.regions.codes import RegionCode
    from bangfu.regions.models import Region
    from bangfu.registry.models import Household
    from bangfu.synth.services import synthesize

    synthesize(county_code=county, households=max(1, round(persons / AVERAGE_HOUSEHOLD_SIZE)), seed=seed, progress=False)
    region = Region.objects.get(code=RegionCode.parse(county).code)
    actor, _ = User.objects.get_or_create(username="bench_county", defaults={"role": Role.COUNTY_OFFICER, "region": region})
    rng = random.Random(seed)
    households = list(Household.objects.filter(region_code__startswith=county, head__isnull=False)
                      .values_list("pk", "region_code", "head__name"))
    chosen = rng.sample(households, int(len(households) * share))
    for first in range(0, len(chosen), 20000):
        benefits, plans = [], []
        for pk, code, name in chosen[first:first + 20000]:
            start = add_months(month, -rng.randint(1, 36))
            amount = rng.randint(100, 900) * 100
            change = None
            if rng.random() < 0.33 and start < month:
                changed = add_months(start, rng.randint(1, max(1, (month.year - start.year) * 12 + month.month - start.month)))
                change = (min(changed, month), max(100, amount + rng.choice([-1, 1]) * rng.randint(1, 20) * 1000))
            benefits.append(Benefit(household_id=pk, region_code=code, programme=Programme.DIBAO, status=BenefitStatus.ACTIVE,
                                    monthly_amount_fen=change[1] if change else amount, start_month=start, review_class="A",
                                    next_review_date=month + dt.timedelta(days=rng.randint(-60, 365))))
            plans.append((amount, change, name))
        Benefit.objects.bulk_create(benefits, batch_size=5000)
        rows, accounts = [], []
        for b, (amount, change, name) in zip(benefits, plans, strict=True):
            decided = add_months(b.start_month, -1)
            if change:
                when, new = change
                rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.GRANT,
                                          amount_fen=amount, from_month=b.start_month, to_month=add_months(when, -1),
                                          decided_by=actor, decided_on=decided))
                rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme,
                                          kind=ChangeKind.RAISE if new > amount else ChangeKind.LOWER, amount_fen=new, from_month=when,
                                          decided_by=actor, decided_on=add_months(when, -1)))
            else:
                rows.append(BenefitAmount(benefit=b, region_code=b.region_code, programme=b.programme, kind=ChangeKind.GRANT,
                                          amount_fen=amount, from_month=b.start_month, decided_by=actor, decided_on=decided))
            accounts.append(PaymentAccount(benefit=b, household_id=b.household_id, region_code=b.region_code, holder_name=name,
                                           bank_name="农村商业银行", account_number=f"621779{b.pk:013d}", updated_by=actor))
        BenefitAmount.objects.bulk_create(rows, batch_size=5000)
        PaymentAccount.objects.bulk_create(accounts, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return actor, region


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Write `rows` (values of `columns`, primary keys included) into `model`'s table: COPY on
    PostgreSQL, bulk_create elsewhere. Every other concrete column gets its field's default."""
    import json

    from django.db import connection
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields]
    now = timezone.now()

    def default(f):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        value = f.get_default()
        if f.get_internal_type() == "JSONField":
            return json.dumps(value, ensure_ascii=False)
        return value

    if connection.vendor != "postgresql":
        objs = [model(**{f.attname: default(f) for f in fields if f.attname not in columns}, **dict(zip(columns, row, strict=True)))
                for row in rows]
        model.objects.bulk_create(objs, batch_size=2000)
        return
    rest = [f for f in fields if f.attname not in columns]
    extra = tuple(default(f) for f in rest)
    names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *(f.column for f in rest)])
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + extra)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "
                       f"(SELECT max(id) FROM {connection.ops.quote_name(model._meta.db_table)}))")


def generate_direct(benefits: int, county: str, seed: int, month: dt.date):
    """`benefits` one-person households on dibao in `county`'s villages, each with its amount rows
    (a third changed since the grant, as in `generate`) and an account in the head's name, written
    straight into the tables. 1 in 500 accounts is in a spouse's name without an agent, 1 in 1000
    pairs share a number, 1 in 200 reviews is a year overdue."""
    from django.db import connection, transaction

    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.benefits.choices import BenefitStatus, ChangeKind, Programme
    from bangfu.benefits.models import Benefit, BenefitAmount
    from bangfu.common.months import add_months
    from bangfu.payments.models import PaymentAccount
    from bangfu.regions.codes import RegionCode
    from bangfu.regions.models import Level, Region
    from bangfu.regions.services import county_subdivisions_generate
    from bangfu.registry.models import Household, Person

    region = Region.objects.get(code=RegionCode.parse(county).code)
    county_subdivisions_generate(region, seed=seed)
    villages = list(Region.objects.within(region).filter(level=Level.VILLAGE).order_by("code").values_list("pk", "code"))
    actor, _ = User.objects.get_or_create(username="bench_county", defaults={"role": Role.COUNTY_OFFICER, "region": region})
    rng = random.Random(seed)
    households, persons, rows, amounts, accounts = [], [], [], [], []
    amount_id = 0
    for i in range(1, benefits + 1):
        village_id, code = villages[rng.randrange(len(villages))]
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        birth = dt.date(1940 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
        households.append((i, village_id, code, f"{i}号", i))
        persons.append((i, i, code, name, f"{county}{i:012d}", rng.choice("MF"), birth, "head"))
        start = add_months(month, -rng.randint(1, 36))
        amount = rng.randint(100, 900) * 100
        change = None
        if rng.random() < 0.33 and start < month:
            changed = add_months(start, rng.randint(1, max(1, (month.year - start.year) * 12 + month.month - start.month)))
            change = (min(changed, month), max(100, amount + rng.choice([-1, 1]) * rng.randint(1, 20) * 1000))
        overdue = i % 200 == 0
        review = month - dt.timedelta(days=400) if overdue else month + dt.timedelta(days=rng.randint(30, 365))
        rows.append((i, i, code, Programme.DIBAO, BenefitStatus.ACTIVE, change[1] if change else amount, start, "A", review))
        decided = add_months(start, -1)
        if change:
            when, new = change
            amount_id += 1
            amounts.append((amount_id, i, code, Programme.DIBAO, ChangeKind.GRANT, amount, start, add_months(when, -1), actor.pk, decided))
            amount_id += 1
            amounts.append((amount_id, i, code, Programme.DIBAO, ChangeKind.RAISE if new > amount else ChangeKind.LOWER, new, when, None,
                            actor.pk, add_months(when, -1)))
        else:
            amount_id += 1
            amounts.append((amount_id, i, code, Programme.DIBAO, ChangeKind.GRANT, amount, start, None, actor.pk, decided))
        number = f"621779{(i - 1 if i % 1000 == 0 else i):013d}"  # every 1000th shares its neighbour's number
        holder, relation = (("李娜", "spouse") if i % 500 == 0 else (name, "self"))
        accounts.append((i, i, i, code, holder, relation, "农村商业银行", number, actor.pk))
    with transaction.atomic():
        _insert(Household, ["id", "region_id", "region_code", "address", "head_id"], households)
        _insert(Person, ["id", "household_id", "region_code", "name", "id_number", "sex", "birth_date", "relation"], persons)
        _insert(Benefit, ["id", "household_id", "region_code", "programme", "status", "monthly_amount_fen", "start_month",
                          "review_class", "next_review_date"], rows)
        _insert(BenefitAmount, ["id", "benefit_id", "region_code", "programme", "kind", "amount_fen", "from_month", "to_month",
                                "decided_by_id", "decided_on"], amounts)
        _insert(PaymentAccount, ["id", "benefit_id", "household_id", "region_code", "holder_name", "holder_relation", "bank_name",
                                 "account_number", "updated_by_id"], accounts)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return actor, region


def orm_loop(actor, county: str, month: dt.date, sample: int) -> tuple[float, int]:
    """The peer: one benefit at a time, read its amount in force and its account, save one line;
    on a sample of benefits, into a payroll of its own (rolled back). Seconds per line."""
    from django.db import transaction
    from django.db.models import Q

    from bangfu.benefits.models import Benefit, BenefitAmount
    from bangfu.payments.models import PaymentAccount, Payroll, PayrollLine

    benefits = list(Benefit.objects.filter(region_code__startswith=county).order_by("pk")[:sample])
    with Timer() as t, transaction.atomic():
        payroll = Payroll.objects.create(region_code=actor.region.code, month=month, programme="", kind="supplementary", built_by=actor)
        n = 0
        for b in benefits:
            row = (BenefitAmount.objects.filter(benefit=b, from_month__lte=month, amount_fen__gt=0)
                   .filter(Q(to_month__isnull=True) | Q(to_month__gte=month)).order_by("-id").first())
            if row is None:
                continue
            account = PaymentAccount.objects.filter(benefit=b).first()
            PayrollLine.objects.create(payroll=payroll, benefit=b, household_id=b.household_id, person_id=b.household.head_id,
                                       region_code=b.region_code, programme=b.programme, month=add_month(month), kind="regular",
                                       component="dibao", amount_fen=row.amount_fen, account=account, holder_name=account.holder_name,
                                       bank_name=account.bank_name, account_number=account.account_number)
            n += 1
        transaction.set_rollback(True)
    return t.seconds / max(1, n), n


def add_month(month: dt.date) -> dt.date:
    from bangfu.common.months import add_months

    return add_months(month, 1)  # a month of its own, so the sample never meets the built payroll's lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--benefits", type=int, default=None, help="paying benefits written directly (instead of --persons)")
    parser.add_argument("--persons", type=int, default=20_000, help="persons synthesised (when --benefits is not given)")
    parser.add_argument("--share", type=float, default=0.9, help="share of households on dibao")
    parser.add_argument("--county", default="341122")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--loop-sample", type=int, default=2000, help="benefits the ORM-loop peer is timed on")
    args = parser.parse_args(argv)
    url = setup_django(fresh=True)
    size = f"{args.benefits} benefits written directly" if args.benefits else f"{args.persons} persons, {args.share:.0%} on dibao"
    print(f"# payments benchmark on {url.split('@')[-1]}: {size}", flush=True)
    from bangfu.common.months import month_of
    from bangfu.payments import services
    from bangfu.regions.services import national_divisions_load

    national_divisions_load()
    month = month_of(dt.date.today())
    with Timer() as t:
        if args.benefits:
            actor, region = generate_direct(args.benefits, args.county, args.seed, month)
        else:
            actor, region = generate(args.persons, args.county, args.share, args.seed, month)
    print(f"# data written in {t.seconds:.1f} s", flush=True)
    with Timer() as t:
        payroll, built = services.payroll_build(acting_user=actor, county_code=region.code, month=month)
    assert built
    lines = payroll.line_count
    bench("payments.benefits_paying", lines, "lines")
    bench("payments.held_lines", payroll.held_count, "lines")
    bench("payments.build_s", t.seconds, "s")
    bench("payments.build_rows_per_s", lines / t.seconds, "rows/s")
    per_line, n = orm_loop(actor, args.county, month, args.loop_sample)
    bench("payments.orm_loop_s_per_1000", per_line * 1000, "s")
    bench("payments.build.ratio_vs_orm_loop", per_line * lines / t.seconds, "x")
    bank_and_return(payroll, actor, region)


def bank_and_return(payroll, builder, region) -> None:
    """The bank file of the built payroll and its return file read back, at the same size: the held
    lines are released and the payroll approved in place (the steps the bank file needs, not what
    is measured), the file written through payments.bank (the lines read, the layout, GBK) and a
    return with every 50th line failed imported line by line into the payroll."""
    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.payments import bank
    from bangfu.payments import choices as c
    from bangfu.payments.models import Payroll, PayrollLine

    PayrollLine.objects.filter(payroll=payroll, status=c.LineStatus.HELD).update(status=c.LineStatus.RELEASED, release_reason="bench")
    Payroll.objects.filter(pk=payroll.pk).update(state=c.PayrollState.APPROVED)
    approver, _ = User.objects.get_or_create(username="bench_approver", defaults={"role": Role.COUNTY_OFFICER, "region": region})
    with Timer() as t:
        data, n, total = bank.payroll_bank_file(acting_user=approver, payroll=payroll, bank_code="rcb_gbk_pipe")
    bench("payments.bank_file_lines", n, "lines")
    bench("payments.bank_file_s", t.seconds, "s")
    rows = data.split(b"\r\n")
    returned = b"\r\n".join([rows[0]] + [row + (b"1|E01|" if i % 50 == 0 else b"0||") for i, row in enumerate(rows[1:]) if row]) + b"\r\n"
    with Timer() as t:
        record = bank.payroll_return_import(acting_user=approver, payroll=payroll, data=returned, filename="回盘.txt",
                                            bank_code="rcb_gbk_pipe")
    if record.paid + record.failed != n or record.problems:
        raise SystemExit(f"the return did not read back whole: {record.paid} + {record.failed} of {n}, {record.problems[:3]}")
    bench("payments.return_s", t.seconds, "s")
    bench("payments.return_rows_per_s", n / t.seconds, "rows/s")


if __name__ == "__main__":
    main()
