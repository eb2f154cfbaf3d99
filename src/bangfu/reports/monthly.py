"""统计月报 (issue 16, R3, R10): a month's figures for a region, one row per region below it, each
figure read from history and each backed by the list of records it counts.

Every figure is defined ONCE here, as a queryset of the records it counts (a "source") and a
condition on them (`Q`). The table counts them with one GROUP BY query per source, grouping on the
region code's ancestor at the rows' level (regions.scoping.ancestor_expr); the drill-down list is
the same queryset filtered by the same condition. So a list always has as many entries as its
figure says, and a village's figures add up to its township's (a household lies in one village).

Definitions (month M, its last day E; docs/reports.md explains them to the counties):
- a dibao household is counted when one of its dibao benefits is paid in M (start_month ≤ M ≤
  end_month, the benefit's dated history; services keep an amount above zero for each such month);
  urban or rural by the household's hukou type;
- persons: the members of a whole-household benefit's household at E (registry Membership; the
  members entered when the household was created count from before) alive at E, plus the person of
  an individual benefit (单人保); elderly = 60 or older at E, minors = under 18 at E, disabled = the
  others with a disability certificate issued by E, others = the rest (the four add up to persons);
- amount in force = the sum of the BenefitAmount rows in force in M; average per person = that ÷
  persons; new = first paid month is M; exited = last paid month is M − 1;
- money paid = the payroll lines marked paid (到账) in the payrolls of month M (the funds ledger's
  definition, payments.funds); no payroll for a county in M is reported as such, never as zero;
- tekun persons: tekun benefits paid in M (one per person), by support mode and hukou type;
- temporary assistance: one-off payments of month M (household-times) and the members of their
  households on the approval date (person-times), by type;
- cases: received = applied in M; decided = decided in M (refused = not approved); pending at E =
  applied by E and neither decided nor closed by E; overdue = pending with its time limit before E;
  working days to decision from acceptance (or application) to decision (cases.workdays).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from bangfu.benefits.choices import OneOffKind, Programme, SupportMode
from bangfu.benefits.models import Benefit, BenefitAmount, OneOffPayment
from bangfu.cases.choices import CaseState, CaseType
from bangfu.cases.models import Case
from bangfu.cases.workdays import workday_counter
from bangfu.common.months import previous_month
from bangfu.payments.choices import Component, LineStatus
from bangfu.payments.models import Payroll, PayrollLine
from bangfu.regions.codes import COUNTY, VILLAGE, RegionCode
from bangfu.regions.models import Region
from bangfu.regions.scoping import ancestor_expr, county_expr, within_q
from bangfu.registry.choices import HukouType, MembershipReason
from bangfu.registry.models import Membership, Person

HUKOU = (HukouType.URBAN, HukouType.RURAL)
MODES = (SupportMode.DISPERSED, SupportMode.INSTITUTIONAL)
ONE_OFF_KINDS = (OneOffKind.EMERGENCY, OneOffKind.EXPENDITURE)
PERSON_GROUPS = ("elderly", "minors", "disabled", "others")
REFUSED_STATES = (CaseState.REJECTED, CaseState.CLOSED_REJECTED)
CASE_MEASURES = ("received", "approved", "refused", "pending", "overdue")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Period:
    month: dt.date

    @property
    def end(self) -> dt.date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])

    @property
    def previous(self) -> dt.date:
        return previous_month(self.month)


# ----------------------------------------------------------------------------- sources
# A source: (queryset of the records counted, the field holding the region code that groups them).


def _paid_in(period: Period, prefix: str = "") -> Q:
    m = period.month
    return Q(**{f"{prefix}start_month__lte": m}) & (Q(**{f"{prefix}end_month__isnull": True}) | Q(**{f"{prefix}end_month__gte": m}))


def benefits_paid(area: RegionCode, period: Period, programme: str) -> QuerySet:
    return Benefit.objects.within(area).filter(_paid_in(period), programme=programme)


def dibao_exits(area: RegionCode, period: Period) -> QuerySet:
    return Benefit.objects.within(area).filter(programme=Programme.DIBAO, end_month=period.previous)


def amounts_in_force(area: RegionCode, period: Period, programme: str) -> QuerySet:
    m = period.month
    return (BenefitAmount.objects.within(area).filter(programme=programme, from_month__lte=m, amount_fen__gt=0)
            .filter(Q(to_month__isnull=True) | Q(to_month__gte=m)))


def _member_at(day, prefix: str = "") -> Q:
    """A membership that holds on `day` (one given as a date or an F of the same row's path)."""
    started = Q(**{f"{prefix}start_date__lte": day}) | Q(**{f"{prefix}start_reason": MembershipReason.CREATED})
    return started & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day}))


HOUSEHOLD_MEMBERS_REGION = "household__benefits__region_code"


def household_members(area: RegionCode, period: Period) -> QuerySet:
    """Memberships of the households on whole-household dibao in M, holding at E, alive at E."""
    end = period.end
    return Membership.objects.filter(
        within_q(area, HOUSEHOLD_MEMBERS_REGION) & Q(household__benefits__programme=Programme.DIBAO,
                                                      household__benefits__person__isnull=True)
        & _paid_in(period, "household__benefits__") & _member_at(end)
        & (Q(person__death_date__isnull=True) | Q(person__death_date__gt=end)))


def individual_recipients(area: RegionCode, period: Period) -> QuerySet:
    return benefits_paid(area, period, Programme.DIBAO).filter(person__isnull=False)


ONE_OFF_MEMBERS_REGION = "household__one_off_payments__region_code"


def one_off_members(area: RegionCode, period: Period) -> QuerySet:
    """Memberships of the households given temporary assistance in M, on the approval date."""
    approved = F("household__one_off_payments__approved_on")
    return Membership.objects.filter(
        within_q(area, ONE_OFF_MEMBERS_REGION) & Q(household__one_off_payments__month=period.month) & _member_at(approved))


def one_offs(area: RegionCode, period: Period) -> QuerySet:
    return OneOffPayment.objects.within(area).filter(month=period.month)


def paid_lines(area: RegionCode, period: Period) -> QuerySet:
    return PayrollLine.objects.within(area).filter(status=LineStatus.PAID, payroll__month=period.month)


def cases_of_month(area: RegionCode, period: Period) -> QuerySet:
    m, end = period.month, period.end
    return (Case.objects.within(area).filter(applied_on__lte=end)
            .filter(Q(decided_on__isnull=True) | Q(decided_on__gte=m)).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=m)))


# ----------------------------------------------------------------------------- conditions


def person_group(group: str, period: Period, prefix: str = "") -> Q:
    """The exclusive groups of a person at E: elderly, minors, disabled (18–59 with a certificate
    issued by E), others."""
    end = period.end
    elderly = Q(**{f"{prefix}birth_date__lte": _years_before(end, 60)})
    minor = Q(**{f"{prefix}birth_date__gt": _years_before(end, 18)})
    certified = ~Q(**{f"{prefix}disability_cert_number": ""}) & (
        Q(**{f"{prefix}disability_issue_date__isnull": True}) | Q(**{f"{prefix}disability_issue_date__lte": end}))
    adult = ~elderly & ~minor
    return {"elderly": elderly, "minors": minor, "disabled": adult & certified, "others": adult & ~certified}[group]


def case_condition(measure: str, period: Period) -> Q:
    m, end = period.month, period.end
    decided = Q(decided_on__gte=m, decided_on__lte=end)
    pending = (Q(decided_on__isnull=True) | Q(decided_on__gt=end)) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    return {
        "received": Q(applied_on__gte=m),
        "decided": decided,
        "approved": decided & ~Q(state__in=REFUSED_STATES),
        "refused": decided & Q(state__in=REFUSED_STATES),
        "pending": pending,
        "overdue": pending & Q(overall_deadline__lt=end),
    }[measure]


# ----------------------------------------------------------------------------- the figures


@dataclass(frozen=True)
class Figure:
    """One column of the table: its key, labels (group, column), unit, and how to list it."""

    key: str
    group: str
    label: str
    unit: str
    listing: str  # "benefits", "persons", "lines", "one_offs", "cases", "" (derived: no list of its own)


def _dibao_figures(h: str) -> list[Figure]:
    g = _("城市低保") if h == HukouType.URBAN else _("农村低保")
    return [
        Figure(f"dibao_{h}_households", g, _("户数"), _("户"), "benefits"),
        Figure(f"dibao_{h}_persons", g, _("人数"), _("人"), "persons"),
        Figure(f"dibao_{h}_elderly", g, _("其中：老年人"), _("人"), "persons"),
        Figure(f"dibao_{h}_minors", g, _("未成年人"), _("人"), "persons"),
        Figure(f"dibao_{h}_disabled", g, _("残疾人"), _("人"), "persons"),
        Figure(f"dibao_{h}_others", g, _("其他"), _("人"), "persons"),
        Figure(f"dibao_{h}_standard", g, _("保障标准"), _("元/人·月"), ""),
        Figure(f"dibao_{h}_paid", g, _("当月支出"), _("元"), "lines"),
        Figure(f"dibao_{h}_average", g, _("月人均补助"), _("元"), "benefits"),
        Figure(f"dibao_{h}_new", g, _("本月新增"), _("户"), "benefits"),
        Figure(f"dibao_{h}_exited", g, _("本月退出"), _("户"), "benefits"),
    ]


def figures() -> list[Figure]:
    out = _dibao_figures(HukouType.URBAN) + _dibao_figures(HukouType.RURAL)
    tekun = _("特困供养")
    out += [
        Figure("tekun_urban_dispersed", tekun, _("城市分散供养"), _("人"), "benefits"),
        Figure("tekun_urban_institutional", tekun, _("城市集中供养"), _("人"), "benefits"),
        Figure("tekun_rural_dispersed", tekun, _("农村分散供养"), _("人"), "benefits"),
        Figure("tekun_rural_institutional", tekun, _("农村集中供养"), _("人"), "benefits"),
        Figure("tekun_persons", tekun, _("合计人数"), _("人"), "benefits"),
        Figure("tekun_basic_paid", tekun, _("基本生活费支出"), _("元"), "lines"),
        Figure("tekun_care_paid", tekun, _("照料护理费支出"), _("元"), "lines"),
    ]
    temp = _("临时救助")
    out += [
        Figure("temp_emergency_households", temp, _("急难型户次"), _("户次"), "one_offs"),
        Figure("temp_expenditure_households", temp, _("支出型户次"), _("户次"), "one_offs"),
        Figure("temp_emergency_persons", temp, _("急难型人次"), _("人次"), "persons"),
        Figure("temp_expenditure_persons", temp, _("支出型人次"), _("人次"), "persons"),
        Figure("temp_paid", temp, _("当月支出"), _("元"), "lines"),
    ]
    return out


def case_figures() -> list[Figure]:
    g = _("案件办理")
    return [
        Figure("cases_received", g, _("本月受理申请"), _("件"), "cases"),
        Figure("cases_approved", g, _("本月批准（决定）"), _("件"), "cases"),
        Figure("cases_refused", g, _("本月不予批准"), _("件"), "cases"),
        Figure("cases_pending", g, _("月末在办"), _("件"), "cases"),
        Figure("cases_overdue", g, _("月末超期"), _("件"), "cases"),
        Figure("cases_average_days", g, _("平均办理工作日"), _("个工作日"), "cases"),
    ]


MONEY = {"dibao_urban_paid", "dibao_rural_paid", "tekun_basic_paid", "tekun_care_paid", "temp_paid"}
PAID_CONDITIONS: dict[str, Q] = {
    **{f"dibao_{h}_paid": Q(component=Component.DIBAO, household__hukou_type=h) for h in HUKOU},
    "tekun_basic_paid": Q(component=Component.TEKUN_BASIC),
    "tekun_care_paid": Q(component=Component.TEKUN_CARE),
    "temp_paid": Q(component=Component.TEMPORARY),
}


# ----------------------------------------------------------------------------- aggregation


def _tally(qs: QuerySet, region_field: str, level: int, columns: dict, aggregates: dict, key) -> dict[str, dict[str, int]]:
    """One GROUP BY query: `qs` grouped by the region of `level` its `region_field` lies in and by
    `columns` (category columns: hukou type, person group, kind …); `key(row)` names the figure each
    (category, aggregate) adds to. {region code: {figure key: value}}."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (qs.annotate(row=ancestor_expr(region_field, level), **columns).values("row", *columns).order_by()
            .annotate(**aggregates))
    for r in rows:
        for name in aggregates:
            figure = key(r, name)
            if figure:
                target = out[r["row"]]
                target[figure] = target.get(figure, 0) + (r[name] or 0)
    return out


def _merge(into: dict[str, dict[str, int]], found: dict[str, dict]) -> None:
    for code, values in found.items():
        target = into[code]
        for key, value in values.items():
            target[key] = target.get(key, 0) + (value or 0)


def _group_column(period: Period, prefix: str):
    """The person's exclusive group at E as a column (the same conditions as `person_group`)."""
    return CaseWhen(*[When(person_group(g, period, prefix), then=Value(g)) for g in PERSON_GROUPS[:-1]], default=Value("others"),
                output_field=CharField())


def counts(area: RegionCode, period: Period, level: int) -> tuple[dict[str, dict[str, int]], dict[tuple[str, str], dict[str, int]]]:
    """The figures of `area` in `period`, grouped by the region of `level` each record lies in:
    {code: {key: value}}, and the case figures per (code, case type). Amounts are in fen; the case
    figure `cases_days` is the sum of working days to decision over the `cases_decided`. Each source
    is one query grouped by region and category (no per-person loop)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    m = period.month
    hukou = {"h": F("household__hukou_type")}
    _merge(out, _tally(benefits_paid(area, period, Programme.DIBAO), "region_code", level, hukou,
                       {"households": Count("household_id", distinct=True),
                        "new": Count("household_id", distinct=True, filter=Q(start_month=m))},
                       lambda r, name: f"dibao_{r['h']}_{name}" if r["h"] in HUKOU else None))
    _merge(out, _tally(dibao_exits(area, period), "region_code", level, hukou, {"exited": Count("household_id", distinct=True)},
                       lambda r, name: f"dibao_{r['h']}_exited" if r["h"] in HUKOU else None))
    _merge(out, _tally(amounts_in_force(area, period, Programme.DIBAO), "region_code", level, {"h": F("benefit__household__hukou_type")},
                       {"amount": Sum("amount_fen")}, lambda r, name: f"dibao_{r['h']}_amount" if r["h"] in HUKOU else None))

    def persons(r, name):
        if r["h"] not in HUKOU:
            return None
        return f"dibao_{r['h']}_persons" if name == "n" else f"dibao_{r['h']}_{r['g']}"

    grouped = {"n": Count("id"), "in_group": Count("id")}
    _merge(out, _tally(household_members(area, period), HOUSEHOLD_MEMBERS_REGION, level, {**hukou, "g": _group_column(period, "person__")},
                       grouped, persons))
    _merge(out, _tally(individual_recipients(area, period), "region_code", level, {**hukou, "g": _group_column(period, "person__")},
                       grouped, persons))
    _merge(out, _tally(benefits_paid(area, period, Programme.TEKUN), "region_code", level, {**hukou, "mode": F("support_mode")},
                       {"n": Count("id"), "all": Count("id")},
                       lambda r, name: "tekun_persons" if name == "all" else
                       (f"tekun_{r['h']}_{r['mode']}" if r["h"] in HUKOU and r["mode"] in MODES else None)))
    _merge(out, _tally(one_offs(area, period), "region_code", level, {"k": F("kind")}, {"n": Count("id")},
                       lambda r, name: f"temp_{r['k']}_households"))
    _merge(out, _tally(one_off_members(area, period), ONE_OFF_MEMBERS_REGION, level, {"k": F("household__one_off_payments__kind")},
                       {"n": Count("id")}, lambda r, name: f"temp_{r['k']}_persons"))
    paid_key = {Component.TEKUN_BASIC: "tekun_basic_paid", Component.TEKUN_CARE: "tekun_care_paid", Component.TEMPORARY: "temp_paid"}
    _merge(out, _tally(paid_lines(area, period), "region_code", level, {"comp": F("component"), **hukou}, {"s": Sum("amount_fen")},
                       lambda r, name: (f"dibao_{r['h']}_paid" if r["h"] in HUKOU else None) if r["comp"] == Component.DIBAO
                       else paid_key.get(r["comp"])))
    return out, case_counts(area, period, level)


def case_counts(area: RegionCode, period: Period, level: int) -> dict[tuple[str, str], dict[str, int]]:
    qs = cases_of_month(area, period)
    rows = (qs.annotate(row=ancestor_expr("region_code", level)).values("row", "case_type").order_by()
            .annotate(**{f"cases_{m}": Count("id", filter=case_condition(m, period)) for m in CASE_MEASURES}))
    out: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows:
        key = (r.pop("row"), r.pop("case_type"))
        out[key] = {**r, "cases_decided": 0, "cases_days": 0}
    # working days to decision: counted per distinct (start, decision) pair, with one calendar read
    pairs = list(qs.filter(case_condition("decided", period)).annotate(row=ancestor_expr("region_code", level),
                                                                        start=Coalesce("accepted_on", "applied_on"))
                 .values("row", "case_type", "start", "decided_on").order_by().annotate(n=Count("id")))
    if pairs:
        count = workday_counter(min(min(p["start"], p["decided_on"]) for p in pairs), period.end)
        for p in pairs:
            target = out[(p["row"], p["case_type"])]
            target["cases_decided"] += p["n"]
            target["cases_days"] += p["n"] * count(p["start"], p["decided_on"])
    return out


# ----------------------------------------------------------------------------- the report


def _fen(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


@dataclass
class Row:
    code: str
    name: str
    values: dict[str, int] = field(default_factory=dict)
    cases: dict[str, dict[str, int]] = field(default_factory=dict)  # case type → figures
    standards: dict[str, tuple[int, int] | None] = field(default_factory=dict)  # hukou → (low, high) fen
    payable_counties: list[str] = field(default_factory=list)
    missing_counties: list[str] = field(default_factory=list)  # counties with something to pay and no payroll in M

    @property
    def region(self) -> RegionCode:
        return RegionCode(self.code)

    @property
    def no_payroll(self) -> bool:
        """No payroll at all for the counties that had something to pay: money paid is unknown."""
        return bool(self.payable_counties) and set(self.payable_counties) <= set(self.missing_counties)

    def case_total(self, key: str) -> int:
        return sum(v.get(key, 0) for v in self.cases.values())

    def value(self, key: str):
        """The figure `key` as shown: counts as int, money as Decimal yuan (None when no payroll),
        the standard as (low, high) yuan, averages as Decimal."""
        if key in MONEY:
            return None if self.no_payroll else _fen(self.values.get(key, 0))
        if key.endswith("_standard"):
            pair = self.standards.get(key.split("_")[1])
            return None if pair is None else (_fen(pair[0]), _fen(pair[1]))
        if key.endswith("_average"):
            h = key.split("_")[1]
            persons = self.values.get(f"dibao_{h}_persons", 0)
            if not persons:
                return None
            return (Decimal(self.values.get(f"dibao_{h}_amount", 0)) / 100 / persons).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if key == "cases_average_days":
            return average_days(self.case_total("cases_days"), self.case_total("cases_decided"))
        if key.startswith("cases_"):
            return self.case_total(key)
        return self.values.get(key, 0)


def average_days(days: int, decided: int) -> Decimal | None:
    if not decided:
        return None
    return (Decimal(days) / decided).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Report:
    area: RegionCode
    area_name: str
    month: dt.date
    rows: list[Row]
    total: Row
    figures: list[Figure]
    case_figures: list[Figure]

    @property
    def case_types(self) -> list[tuple[str, str, dict[str, int]]]:
        """(type, label, figures of the area) for each case type with anything in the month."""
        return [(t, str(label), self.total.cases[t]) for t, label in CaseType.choices if t in self.total.cases]


def _names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def _standards(area: RegionCode, rows: list[Row], month: dt.date) -> None:
    """The dibao standard in force in M (the dated policy parameter) for each row: one value at
    county level and below, the lowest and highest of its counties above."""
    from bangfu.policy.parameters import ParameterError
    from bangfu.policy.selectors import parameter_set

    params = parameter_set()
    above = [r for r in rows if r.region.level < COUNTY]
    counties: dict[str, list[str]] = defaultdict(list)
    if above:
        for code in Region.objects.within(area).filter(level=COUNTY).values_list("code", flat=True):
            for r in above:
                if r.region.contains(code):
                    counties[r.code].append(code)
    for r in rows:
        places = counties.get(r.code) or [r.code]
        for h in HUKOU:
            values = []
            for place in places:
                try:
                    values.append(params.resolve(f"dibao_standard_{h}", place, month).value)
                except ParameterError:
                    continue
            r.standards[h] = (min(values), max(values)) if values else None


def _payrolls(area: RegionCode, period: Period, rows: list[Row]) -> None:
    """Which counties had something to pay in M (benefits paid, one-offs) and which have no payroll
    for M: their money paid is reported as missing, never as zero."""
    county = county_expr()
    payable = set(benefits_paid(area, period, Programme.DIBAO).annotate(c=county).values_list("c", flat=True).distinct())
    payable |= set(benefits_paid(area, period, Programme.TEKUN).annotate(c=county).values_list("c", flat=True).distinct())
    payable |= set(one_offs(area, period).annotate(c=county).values_list("c", flat=True).distinct())
    if area.level >= COUNTY:
        have = set(Payroll.objects.filter(region_code=area.ancestor_or_self(COUNTY).code, month=period.month).values_list("region_code", flat=True))
    else:
        have = set(Payroll.objects.within(area).filter(month=period.month).values_list("region_code", flat=True))
    for r in rows:
        mine = sorted(c for c in payable if r.region.contains(c) or RegionCode(c).contains(r.code))
        r.payable_counties = mine
        r.missing_counties = [c for c in mine if c not in have]


def child_level(area: RegionCode) -> int:
    return min(area.level + 1, VILLAGE)


def monthly_report(area: RegionCode, month: dt.date) -> Report:
    """The month's table for `area`: one row per region one level below (the village itself for a
    village), and the area's total, the sum of its rows (every figure counts records that lie in
    one region each; the tests check it against `area_counts`, the same figures grouped at the
    area's own level by their own query)."""
    period = Period(month)
    level = child_level(area)
    by_row, cases_by_row = counts(area, period, level)
    children = list(Region.objects.within(area).filter(level=level).values_list("code", "name")) if area.level < VILLAGE else []
    codes = {code for code, _name in children} | set(by_row) | {code for code, _t in cases_by_row}
    if area.level == VILLAGE:
        codes = {area.code}
    names = dict(children) | _names(codes | {area.code})
    rows = [Row(code, names.get(code, code)) for code in sorted(codes)]
    index = {r.code: r for r in rows}
    total = Row(area.code, names.get(area.code, area.code))
    for code, values in by_row.items():
        index[code].values = values
        for key, value in values.items():
            total.values[key] = total.values.get(key, 0) + value
    for (code, case_type), values in cases_by_row.items():
        index[code].cases[case_type] = values
        into = total.cases.setdefault(case_type, {})
        for key, value in values.items():
            into[key] = into.get(key, 0) + value
    _standards(area, rows + [total], period.month)
    _payrolls(area, period, rows + [total])
    return Report(area, total.name, period.month, rows, total, figures(), case_figures())


def area_counts(area: RegionCode, month: dt.date) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """The area's figures grouped at its own level by their own queries: what the sum of its rows
    must equal."""
    values, cases = counts(area, Period(month), area.level)
    return values.get(area.code, {}), {t: v for (code, t), v in cases.items() if code == area.code}


# ----------------------------------------------------------------------------- the list behind a figure


@dataclass(frozen=True)
class Listing:
    kind: str
    queryset: QuerySet


def figure_list(area: RegionCode, month: dt.date, key: str, case_type: str = "") -> Listing | None:
    """The records a figure counts in `area` (the drill-down), or None for a key that is no figure.
    Built from the same sources and conditions as `counts`."""
    period = Period(month)
    parts = key.split("_")
    if key.startswith("dibao_") and len(parts) == 3 and parts[1] in HUKOU:
        h, what = parts[1], parts[2]
        hq = Q(household__hukou_type=h)
        if what in ("households", "average"):
            return Listing("benefits", benefits_paid(area, period, Programme.DIBAO).filter(hq))
        if what == "new":
            return Listing("benefits", benefits_paid(area, period, Programme.DIBAO).filter(hq, start_month=period.month))
        if what == "exited":
            return Listing("benefits", dibao_exits(area, period).filter(hq))
        if what == "paid":
            return Listing("lines", paid_lines(area, period).filter(PAID_CONDITIONS[key]))
        if what == "persons" or what in PERSON_GROUPS:
            cond = Q() if what == "persons" else person_group(what, period)
            members = household_members(area, period).filter(household__hukou_type=h).values("person_id")
            single = individual_recipients(area, period).filter(hq).values("person_id")
            return Listing("persons", Person.objects.filter(Q(pk__in=members) | Q(pk__in=single)).filter(cond))
        return None
    if key.startswith("tekun_"):
        qs = benefits_paid(area, period, Programme.TEKUN)
        if key == "tekun_persons":
            return Listing("benefits", qs)
        if len(parts) == 3 and parts[1] in HUKOU and parts[2] in MODES:
            return Listing("benefits", qs.filter(household__hukou_type=parts[1], support_mode=parts[2]))
        if key in PAID_CONDITIONS:
            return Listing("lines", paid_lines(area, period).filter(PAID_CONDITIONS[key]))
        return None
    if key.startswith("temp_"):
        if key == "temp_paid":
            return Listing("lines", paid_lines(area, period).filter(PAID_CONDITIONS[key]))
        if len(parts) == 3 and parts[1] in ONE_OFF_KINDS:
            if parts[2] == "households":
                return Listing("one_offs", one_offs(area, period).filter(kind=parts[1]))
            if parts[2] == "persons":
                # person-times: a person helped twice in the month is listed twice (once per payment)
                return Listing("memberships", one_off_members(area, period).filter(household__one_off_payments__kind=parts[1]))
        return None
    if key.startswith("cases_"):
        measure = "decided" if key == "cases_average_days" else key.removeprefix("cases_")
        if measure not in (*CASE_MEASURES, "decided"):
            return None
        qs = cases_of_month(area, period).filter(case_condition(measure, period))
        if case_type:
            if case_type not in CaseType.values:
                return None
            qs = qs.filter(case_type=case_type)
        return Listing("cases", qs)
    return None

