"""Demo data for `bangfu demo-setup`: a little of everything, so each app's pages show rows.

One function per app, each writing ONLY through that app's public services (never its tables),
small, deterministic (seeded from the command's seed and the registry's rows, ordered by key) and
idempotent: each function first reads what an earlier run left and skips what exists, so running
demo-setup twice creates nothing new. The one exception to "services only" is the rescue station
itself: the rescue app has no service that creates a station (stations are set up by the
administrator in the admin site), so `rescue_demo` uses get_or_create on `RescueStation`, as the
admin site would.

Dates are relative to `today` (the day demo-setup runs) so that the due lists and deadlines look
alive whenever the demo is installed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from bangfu.regions.models import Region
from bangfu.regions.scoping import within_q

DEMO_NOTE = "演示数据"  # marks what demo-setup wrote, so a second run finds it
DEMO_SOURCE = "演示数据：县公安局死亡人员名单（合成）"


@dataclass
class DemoContext:
    """What the demo functions need: the demo users by username, the regions, the seed and today."""

    users: dict
    county: Region
    township: Region
    village: Region
    seed: int = 2026
    today: dt.date = field(default_factory=timezone.localdate)

    def rng(self, salt: str) -> random.Random:
        return random.Random(f"{self.seed}:{salt}")


def _category_filter(codes=("dibao", "tekun")) -> Q:
    from bangfu.registry.choices import ClassificationKind

    return Q(kind=ClassificationKind.CATEGORY, code__in=codes)


def _in_region(region: Region) -> Q:
    return within_q(region)


def _plain_households(ctx: DemoContext, count: int) -> list:
    """Households with no dibao/tekun category: the first village's first, then the township's
    (ordered by key, so every run picks the same ones)."""
    from bangfu.registry.choices import HouseholdStatus
    from bangfu.registry.models import Classification, Household

    receiving = Classification.objects.filter(_category_filter()).values("household_id")
    base = Household.objects.filter(status=HouseholdStatus.ACTIVE).exclude(pk__in=receiving).order_by("pk")
    picked = list(base.filter(region_code=ctx.village.code)[:count])
    if len(picked) < count:
        more = base.filter(_in_region(ctx.township)).exclude(pk__in=[h.pk for h in picked])
        picked += list(more[: count - len(picked)])
    return picked


# ----------------------------------------------------------------------------- benefits


def tekun_parts(household, person, on: dt.date) -> tuple[int, int, str]:
    """(basic living, care) in fen a month and the support mode for a demo tekun person (国发〔2016〕14号 二、（三）):
    the basic living standard (never below ceil(1.3 × the dibao standard) to the yuan) plus the
    care standard for the person's care level (six activities) and support mode (an institution
    resident: 集中, else 分散), read from the parameters in force — the engine's rule
    (policy.parameters.tekun_standard_fen). Parameter money is already fen: nothing is multiplied
    by 100 (the demo once showed 94,900.00 元 for 949.00)."""
    from bangfu.policy.current import current_parameter_set
    from bangfu.policy.parameters import care_level_of, tekun_standard_fen
    from bangfu.policy.vocab import SELF_CARE_COLUMNS

    ps = current_parameter_set()
    unable = sum(1 for c in SELF_CARE_COLUMNS if person is not None and not getattr(person, c))
    mode = "institutional" if person is not None and person.living_situation == "institution" else "dispersed"
    basic, care = tekun_standard_fen(ps, household.region_code, on, hukou_type=household.hukou_type,
                                     care_level=care_level_of(unable, ps, household.region_code, on), support_mode=mode)
    return basic, care, mode


def benefits_demo(ctx: DemoContext) -> int:
    """Grant (benefits.services.benefit_grant) the benefits the registry already records for the first
    township's households: dibao with the recorded amount, tekun at the basic living plus care standard
    (`tekun_parts`) unless the registry records an amount.
    Approval dates are spread over the last 14 months (seeded), so some reviews are due.
    Returns the number of benefits granted by this run."""
    from bangfu.benefits import services
    from bangfu.benefits.choices import Programme
    from bangfu.benefits.models import Benefit
    from bangfu.registry.models import Classification

    county_user = ctx.users["county"]
    rows = list(Classification.objects.filter(_category_filter()).filter(_in_region(ctx.township))
                .filter(end_date__isnull=True).select_related("household").order_by("household_id", "pk"))
    granted = 0
    for row in rows:
        rng = ctx.rng(f"benefit:{row.household_id}:{row.code}")
        approved_on = ctx.today - dt.timedelta(days=rng.randint(45, 430))
        programme = Programme.DIBAO if row.code == "dibao" else Programme.TEKUN
        person = row.person if programme == Programme.TEKUN else None
        exists = Benefit.objects.filter(household_id=row.household_id, programme=programme)
        if person is not None:
            exists = exists.filter(Q(person__isnull=True) | Q(person=person))
        if exists.exists():
            continue
        parts, mode = None, ""
        if programme == Programme.TEKUN:
            basic, care, mode = tekun_parts(row.household, person, approved_on)
            parts = None if row.monthly_amount_fen else {"basic_fen": basic, "care_fen": care}
        amount = row.monthly_amount_fen or (sum(parts.values()) if parts else None)
        if not amount or row.household.status != "active":
            continue
        try:
            services.benefit_grant(acting_user=county_user, household=row.household, programme=programme, monthly_amount_fen=amount,
                           approved_on=approved_on, case_id=None, person=person,
                           parts=parts, support_mode=mode)
        except services.BenefitError:
            continue  # e.g. two category rows for one household: the first one is granted
        granted += 1
    return granted


# ----------------------------------------------------------------------------- cases


def cases_demo(ctx: DemoContext) -> int:
    """A handful of cases at different steps, through cases.services (case_create + case_perform):
    - dibao waiting for the township to accept (township inbox);
    - dibao with documents requested (village inbox: the worker helps the family);
    - dibao in public notice (township inbox: end the notice when it is over);
    - dibao after the notice, waiting for the county's decision (county inbox);
    - emergency temporary assistance paid first by the township, paperwork pending (township inbox).
    Returns the number of cases created by this run."""
    from bangfu.cases import services
    from bangfu.cases.models import Case

    village, township = ctx.users["village"], ctx.users["township"]
    households = _plain_households(ctx, 5)
    today = ctx.today

    def act(case, who, action, day, **data):
        case.refresh_from_db()
        return services.case_perform(acting_user=who, case_id=case.pk, action=action, version=case.version, data=data, today=day)

    def investigate(case, day):
        act(case, township, "accept", day)
        act(case, township, "start_investigation", day)
        # two investigators of the area (办法 §16): the village worker when it is their village
        second = village if case.region_code == ctx.village.code else ctx.users["county"]
        act(case, township, "record_investigation", day, investigators=[township.pk, second.pk],
            visit_record="入户核实：家中主要劳动力患病，无稳定收入。", economic_check="经济状况核对：无存款、车辆及工商登记。")

    def notice(case, day):
        investigate(case, day)
        act(case, township, "propose_approval", day, comment="经调查核实，拟同意，张榜公示")

    def awaiting(case, day):
        notice(case, day)
        case.refresh_from_db()
        act(case, township, "end_notice", case.notice_end + dt.timedelta(days=1))

    def emergency(case, day):
        act(case, township, "grant_first", day)

    specs = [  # (case type, start days ago, steps, extra create arguments); the first ones go to the first village
        ("dibao", 4, lambda case, day: act(case, township, "request_documents", day, documents=["户口簿复印件", "收入证明"]), {}),
        ("dibao", 20, awaiting, {}),
        ("dibao", 5, notice, {}),
        ("dibao", 2, None, {}),
        ("temporary_emergency", 3, emergency,
         {"emergency_event": "fire", "emergency_date": today - dt.timedelta(days=5), "emergency_loss_fen": 100000}),
    ]
    created = 0
    for household, (case_type, days_ago, steps, extra) in zip(households, specs):
        if Case.objects.filter(household=household, case_type=case_type, origin_note=DEMO_NOTE).exists():
            continue
        day = today - dt.timedelta(days=days_ago)
        entered_by = village if household.region_code == ctx.village.code else township
        case = services.case_create(acting_user=entered_by, case_type=case_type, household=household, origin_note=DEMO_NOTE,
                                    statement="家庭生活困难，申请救助。", applied_on=day, today=day, **extra)
        if steps is not None:
            steps(case, day)
        created += 1
    return created


# ----------------------------------------------------------------------------- outreach


def outreach_demo(ctx: DemoContext) -> int:
    """Three helpers (one is the `helper` login), pairings with three households of the first
    village, visits this quarter for two of them (the third is behind on visits), and this year's
    campaign for the first township with the first village's progress. Returns the number of
    records created by this run."""
    from bangfu.outreach import campaign as camp, services
    from bangfu.outreach.models import Campaign, Helper, Pairing, VillageProgress
    from bangfu.registry.choices import HouseholdStatus
    from bangfu.registry.models import Household

    worker, today = ctx.users["village"], ctx.today
    created = 0
    specs = [  # (name, kind, unit, login)
        ("李红梅", "party_member", f"{ctx.village.name}党支部", ctx.users["helper"]),
        ("王建国", "cadre", f"{ctx.township.name}人民政府", None),
        ("爱心志愿服务队", "volunteer", "县志愿者协会", None),
    ]
    helpers = []
    for name, kind, unit, login in specs:
        helper = Helper.objects.filter(region=ctx.village, name=name).first()
        if helper is None:
            helper = services.helper_create(acting_user=worker, kind=kind, name=name, unit=unit, region_id=ctx.village.pk,
                                            user_id=login.pk if login is not None else None)
            created += 1
        helpers.append(helper)

    households = list(Household.objects.filter(region_code=ctx.village.code, status=HouseholdStatus.ACTIVE).order_by("pk")[:3])
    start = dt.date(today.year, 1, 1) if today.month > 3 else dt.date(today.year - 1, 10, 1)
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    plan = [  # (helpers, measures, visits this quarter as days after the quarter's first day)
        ([helpers[0]], ["skills", "jobs"], [1, 20]),
        ([helpers[1], helpers[2]], ["living_care"], [5, 35]),
        ([helpers[0]], ["medical_rehab"], []),  # no visit this quarter: behind
    ]
    for household, (links, measures, visits) in zip(households, plan):
        pairing = Pairing.objects.filter(household=household, end_date__isnull=True).first()
        if pairing is not None:
            continue
        pairing = services.pairing_create(acting_user=worker, target_kind="household", household_id=household.pk,
                                          helper_ids=[h.pk for h in links], start_date=start, measures=measures,
                                          measures_note=DEMO_NOTE)
        created += 1
        for offset in visits:
            day = min(quarter_start + dt.timedelta(days=offset), today)
            services.visit_create(acting_user=worker, pairing_id=pairing.pk, date=day, way="home",
                                  visitor_ids=[links[0].pk], findings="家中生活基本正常，老人慢性病按时服药。",
                                  needs="希望参加技能培训" if "skills" in measures else "")
            created += 1

    campaign = Campaign.objects.filter(region=ctx.township, year=today.year).first()
    if campaign is None:
        campaign = camp.campaign_create(acting_user=ctx.users["township"], region_id=ctx.township.pk, year=today.year,
                                        starts_on=min(dt.date(today.year, 4, 1), today))
        created += 1
    progress = VillageProgress.objects.filter(campaign=campaign, village=ctx.village).first()
    if progress is not None and progress.working_group_on is None:
        done = [min(dt.date(today.year, 4, 20), today), min(dt.date(today.year, 5, 8), today)]
        camp.village_progress_update(acting_user=worker, progress_id=progress.pk, working_group_on=done[0],
                                     training_on=done[1], note="已成立工作专班并完成培训")
        created += 1
    return created


# ----------------------------------------------------------------------------- rescue


def rescue_demo(ctx: DemoContext) -> int:
    """The county's rescue station with the `station` login linked to it (rescue.services.
    station_staff_link), a contracted elderly-care institution with a rate, and two stays: one
    identified person (a registry member of the county) and one unidentified person placed in
    the institution with the tracing checklist started (notice published). Returns the number of
    records created by this run."""
    from bangfu.registry.models import Person
    from bangfu.rescue import services
    from bangfu.rescue.models import Institution, RescueStation, StationStaff, Stay

    station_user, admin = ctx.users["station"], ctx.users["admin"]
    created = 0
    # No service creates a station: the administrator sets it up in the admin site (see module docstring).
    station, made = RescueStation.objects.get_or_create(
        region=ctx.county, name=f"{ctx.county.name}救助管理站",
        defaults={"number_prefix": "JZ", "phone": "0550-0000000", "address": f"{ctx.county.full_name}民政服务中心"})
    created += made
    if not StationStaff.objects.filter(user=station_user, station=station).exists():
        services.station_staff_link(acting_user=admin, user_id=station_user.pk, station_id=station.pk)
        created += 1

    institution = Institution.objects.filter(station=station, name=f"{ctx.county.name}社会福利中心").first()
    if institution is None:
        institution = services.institution_create(
            acting_user=station_user, name=f"{ctx.county.name}社会福利中心", kind="elderly", contract_number="JZ-TY-001",
            contract_from=dt.date(ctx.today.year, 1, 1), contract_to=dt.date(ctx.today.year, 12, 31))
        services.rate_set(acting_user=station_user, institution_id=institution.pk, valid_from=dt.date(ctx.today.year, 1, 1),
                          bed_fen=60000, care_self_fen=40000, care_partial_fen=90000, care_full_fen=150000,
                          rehab_fen=20000, other_fen=10000, margin_bp=500)
        created += 2

    if Stay.objects.filter(station=station).exists():
        return created
    now = timezone.now()
    person = Person.objects.filter(_in_region(ctx.county), status="active", id_number__regex=r"^\d{17}[\dX]$").order_by("pk").first()
    identified = {"referral_source": "walk_in", "arrival_at": now - dt.timedelta(days=2, hours=3),
                  "physical_description": "", "belongings": "身份证、手机一部"}
    if person is not None:
        identified |= {"name": person.name, "id_number": person.id_number, "home_region_code": person.region_code}
    else:
        identified |= {"name": "陈明", "physical_description": "男，约40岁"}
    services.stay_create(acting_user=station_user, data=identified)
    unknown = services.stay_create(acting_user=station_user, data={
        "name": "", "referral_source": "patrol", "arrival_at": now - dt.timedelta(days=9), "capable_adult": False,
        "is_elderly": True, "handover_document": "街面巡查交接单 XC-0017",
        "physical_description": "男，约70岁，身高约165cm，白发，右手缺无名指", "language": "江淮官话，口齿不清",
        "belongings": "旧棉袄一件、布包一个"})
    services.tracing_step_record(acting_user=station_user, stay_id=unknown.pk, kind="notice",
                                 done_at=now - dt.timedelta(days=8), done_by="站寻亲组",
                                 reference="全国救助寻亲网公告", result="pending")
    services.placement_start(acting_user=station_user, stay_id=unknown.pk, kind="elderly",
                             start_date=(now - dt.timedelta(days=7)).date(), institution_id=institution.pk)
    return created + 4


# ----------------------------------------------------------------------------- matching


def matching_demo(ctx: DemoContext) -> int:
    """A 3-row death list (matching.synth_list from three members of the first township's
    receiving households, no typos) imported by the county through matching.services.list_import,
    so the findings page shows benefits to stop. Returns the number of batches imported (0 or 1)."""
    import polars as pl

    from bangfu.matching import services
    from bangfu.matching.kinds import KINDS
    from bangfu.matching.models import ImportBatch
    from bangfu.matching.reader import parse
    from bangfu.matching.selectors import registry_frame
    from bangfu.matching.synth_list import synth_list
    from bangfu.registry.models import Classification, Person

    if ImportBatch.objects.filter(source=DEMO_SOURCE).exists():
        return 0
    receiving = Classification.objects.filter(_category_filter(("dibao",))).filter(_in_region(ctx.township)).values("household_id")
    ids = list(Person.objects.filter(household_id__in=receiving, status="active").order_by("pk").values_list("pk", flat=True)[:40])
    if not ids:
        return 0
    chosen = ctx.rng("death-list").sample(ids, min(3, len(ids)))
    registry = registry_frame()
    sample = registry.filter(pl.col("person_id").is_in(chosen))
    frame = synth_list(kind="death", registry=sample, rows=sample.height, typos=0.0, outside=0.0, seed=ctx.seed,
                       today=ctx.today).drop(["真实人员编号", "错误类型"], strict=False)
    table = [frame.columns] + [list(r) for r in frame.iter_rows()]
    parsed = parse(table, KINDS["death"], today=ctx.today)
    services.list_import(acting_user=ctx.users["county"], kind="death", source=DEMO_SOURCE, source_date=ctx.today,
                         parsed=parsed, filename="demo-death-list.csv", today=ctx.today, registry=registry)
    return 1


def _luhn_number(prefix: str, body: int) -> str:
    """A 19-digit card number with a valid check digit (ISO/IEC 7812 Luhn), for demo accounts."""
    digits = f"{prefix}{body:0{18 - len(prefix)}d}"
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def payments_demo(ctx: DemoContext) -> int:
    """Accounts in the recipient's own name for the county's benefits (payments.services.account_set),
    then this month's payroll (payments.services.payroll_build). Returns the lines of a payroll built
    by this run (0 when it existed)."""
    from bangfu.benefits.models import Benefit
    from bangfu.payments import services

    county_user = ctx.users["county"]
    for b in (Benefit.objects.within(ctx.county).filter(payment_account__isnull=True).select_related("household__head", "person")
              .order_by("pk")):
        holder = b.person or b.household.head
        if holder is None:
            continue
        services.account_set(acting_user=county_user, benefit=b, holder_name=holder.name, holder_relation="self",
                             bank_name="农村商业银行", bank_code="RCB", account_number=_luhn_number("621779", 10_000_000 + b.pk))
    payroll, built = services.payroll_build(acting_user=county_user, county_code=ctx.county.code, month=ctx.today.replace(day=1))
    return payroll.line_count if built else 0


def build_all(ctx: DemoContext) -> dict[str, int]:
    """Every app's demo data, in an order where each finds what it needs (benefits before the
    death list, so the list's findings are benefits to stop). Each app's part is one transaction:
    a failure leaves none of it behind, and the next run builds it whole."""
    from django.db import transaction

    counts = {}
    for app, build in (("benefits", benefits_demo), ("cases", cases_demo), ("outreach", outreach_demo),
                       ("rescue", rescue_demo), ("matching", matching_demo), ("payments", payments_demo)):
        with transaction.atomic():
            counts[app] = build(ctx)
    return counts
