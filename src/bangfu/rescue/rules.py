"""The rules of vagrant rescue (篇四, R21–R24), as pure functions: no database inside.

Time limits are dated parameters with a citation, kept in this module's table (`PARAMETERS`)
rather than in policy/parameters/defaults.yaml: they are per-stay calendar limits that only this
app reads, and that YAML belongs to the household rules engine. The care-level thresholds, which
the household engine also uses, are read from the policy parameters (`care_partial_min_unable`,
`care_full_min_unable`) by the services and passed in here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from bangfu.common.months import add_months

from .choices import CareLevel

OPINION_2015 = "《民政部 公安部关于加强生活无着的流浪乞讨人员身份查询和照料安置工作的意见》（民发〔2015〕158号）"
SEED = "困难群众帮扶工作方案篇四"


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    value: int
    unit: str
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive; None = open ended
    citation: str


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("notice_hours", "寻亲公告发布时限", 24, "小时", dt.date(2015, 8, 20), None,
              f"{OPINION_2015} 二（一）：对身份不明的受助人员，应在其入站后24小时内发布寻亲公告；{SEED}（三）"),
    Parameter("dna_months", "DNA采集时限", 1, "个月", dt.date(2015, 8, 20), None,
              f"{OPINION_2015} 二（一）：入站1个月仍无法查明身份的，报请公安机关采集DNA；{SEED}（三）"),
    Parameter("settlement_months", "落户安置起算", 3, "个月", dt.date(2015, 8, 20), None,
              f"{OPINION_2015} 三；{SEED}（五）：无法查明身份、在站滞留超过3个月的，由救助管理机构提出申请"),
    Parameter("adult_age", "成年年龄", 18, "周岁", dt.date(1986, 4, 12), None, "《中华人民共和国民法典》第十七条"),
    Parameter("first_follow_up_days", "返乡人员首次回访时限", 30, "日", dt.date(2021, 1, 1), None,
              f"{SEED}（四）“定期回访”（期限未定，本系统默认值，可按地方规定调整）"),
    Parameter("follow_up_interval_days", "易流浪走失人员回访周期", 90, "日", dt.date(2021, 1, 1), None,
              f"{SEED}（四）“定期开展摸底排查”“定期回访”（期限未定，本系统默认值）"),
    Parameter("report_due_hours", "强制报告时限", 24, "小时", dt.date(2020, 5, 7), None,
              "《关于建立侵害未成年人案件强制报告制度的意见（试行）》第十条：立即报告；本系统以24小时列为逾期；"
              f"{SEED} 三（四）"),
)


def parameter(name: str, on: dt.date) -> Parameter:
    for p in PARAMETERS:
        if p.name == name and p.valid_from <= on and (p.valid_to is None or on < p.valid_to):
            return p
    raise KeyError(f"参数 {name} 在 {on} 无有效值")


def value(name: str, on: dt.date) -> int:
    return parameter(name, on).value


# ----------------------------------------------------------------------------- tracing (R22)


@dataclass(frozen=True)
class TracingDeadlines:
    notice_by: dt.datetime  # publish the notice by this moment
    dna_by: dt.date  # DNA taken by the end of this day
    settlement_after: dt.date  # "over 3 months": listed from the day after this


def tracing_deadlines(arrival: dt.datetime) -> TracingDeadlines:
    """Identity notice within 24 hours of arrival; DNA within one month; settlement after 3 months
    (2015 opinion, seed 篇四 (三)(五))."""
    day = arrival.date()
    return TracingDeadlines(
        notice_by=arrival + dt.timedelta(hours=value("notice_hours", day)),
        dna_by=add_months(day, value("dna_months", day)),
        settlement_after=add_months(day, value("settlement_months", day)),
    )


def notice_overdue(arrival: dt.datetime, published_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Late if not published by the deadline, or published after it (the lateness stays on record)."""
    deadline = tracing_deadlines(arrival).notice_by
    return (published_at or now) > deadline


def dna_overdue(arrival: dt.datetime, taken_on: dt.date | None, today: dt.date) -> bool:
    deadline = tracing_deadlines(arrival).dna_by
    return (taken_on or today) > deadline


def settlement_due(arrival: dt.datetime, today: dt.date) -> bool:
    """An unidentified person whose stay is over 3 months (R24): from the day after arrival + 3 months."""
    return today > tracing_deadlines(arrival).settlement_after


# ----------------------------------------------------------------------------- intake (R21)


def is_minor(birth_date: dt.date | None, on: dt.date, *, flagged: bool = False) -> bool:
    if birth_date is None:
        return flagged
    years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return years < value("adult_age", on)


def escort_problems(*, escorted: bool, capable_adult: bool, vulnerable: bool, consent: bool, handover: bool) -> dict[str, str]:
    """R21: escorting a person with full civil capacity needs their consent; escorting a disabled,
    minor, elderly or immobile person needs a written handover. Returns {field: message}."""
    problems: dict[str, str] = {}
    if not escorted:
        return problems
    if capable_adult and not vulnerable and not consent:
        problems["consent_given"] = _("护送完全民事行为能力人须征得本人同意（篇四 二（二））；未同意的，应告知求助方式，不得强制护送")
    if vulnerable and not handover:
        problems["handover_document"] = _("护送残疾人、未成年人、老年人和行动不便人员须履行书面交接手续，请填写交接单编号")
    return problems


# ----------------------------------------------------------------------------- care level and cost (R22)


def care_level(unable: int, *, partial_min: int = 1, full_min: int = 4) -> str:
    """特困人员认定办法: all six activities able = self-caring; 1–3 unable = partly; ≥ 4 = fully dependent."""
    if unable >= full_min:
        return CareLevel.FULLY_DEPENDENT
    if unable >= partial_min:
        return CareLevel.PARTLY_DEPENDENT
    return CareLevel.SELF_CARING


@dataclass(frozen=True)
class Rates:
    """An institution's contract rates, monthly per person, in fen; margin in basis points (1000 = 10%)."""

    bed_fen: int
    care_fen: dict[str, int]  # by CareLevel
    rehab_fen: int
    other_fen: int
    margin_bp: int

    def monthly(self, level: str) -> Decimal:
        """bed + care(level) + rehabilitation + other, plus the margin (not yet rounded)."""
        base = self.bed_fen + self.care_fen[level] + self.rehab_fen + self.other_fen
        return Decimal(base) * (10000 + self.margin_bp) / 10000


@dataclass(frozen=True)
class CostLine:
    start: dt.date
    end: dt.date  # inclusive
    days: int
    level: str
    monthly_fen: Decimal

    @property
    def level_label(self) -> str:
        return str(CareLevel(self.level).label)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def month_cost(*, year: int, month: int, placed: list[tuple[dt.date, dt.date | None]],
               levels: list[tuple[dt.date, str]], rates: Rates) -> tuple[int, list[CostLine]]:
    """Entrusted-care cost of one person for one month (R22), in fen.

    `placed`: the periods (start, end inclusive or None) the person was in this institution;
    `levels`: care-level assessments (effective date, level), any order. Each day in care is charged
    1/days-in-month of the monthly rate of that day's level; the sum is rounded half up once."""
    first, last = month_bounds(year, month)
    days_in_month = last.day
    levels = sorted(levels)
    lines: list[CostLine] = []
    for start, end in placed:
        lo, hi = max(start, first), min(end or last, last)
        if lo > hi:
            continue
        day = lo
        while day <= hi:
            level = _level_on(levels, day)
            seg_end = hi
            for when, _lvl in levels:
                if day < when <= hi:
                    seg_end = when - dt.timedelta(days=1)
                    break
            if level is None:
                raise ValueError(f"{day} 没有护理等级评估")
            lines.append(CostLine(day, seg_end, (seg_end - day).days + 1, level, rates.monthly(level)))
            day = seg_end + dt.timedelta(days=1)
    total = sum((line.monthly_fen * line.days for line in lines), Decimal(0)) / days_in_month
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP)), lines


def _level_on(levels: list[tuple[dt.date, str]], day: dt.date) -> str | None:
    current = None
    for when, level in levels:
        if when <= day:
            current = level
        else:
            break
    # the first assessment also covers the days before it (assessed on arrival at the institution)
    return current if current is not None else (levels[0][1] if levels else None)


# ----------------------------------------------------------------------------- settlement (R24)


def settlement_outcome_problems(*, minor: bool, outcome: str, orphan_benefit: bool, tekun_eligible: bool) -> dict[str, str]:
    """A minor must go to a children's welfare institution and into the orphan benefit; an adult
    goes to a tekun institution when eligible (seed 篇四 二（五）)."""
    from .choices import SettlementOutcome as O

    problems: dict[str, str] = {}
    if minor:
        if outcome != O.CHILD_WELFARE:
            problems["outcome"] = _("未成年人必须转到儿童福利机构供养（篇四 二（五））")
        elif not orphan_benefit:
            problems["orphan_benefit"] = _("未成年人须同时纳入孤儿基本生活保障范围（篇四 二（五））")
    else:
        if outcome == O.CHILD_WELFARE:
            problems["outcome"] = _("成年人不能转儿童福利机构")
        if outcome == O.TEKUN_INSTITUTION and not tekun_eligible:
            problems["outcome"] = _("不符合特困人员供养条件的，不能纳入特困供养")
    return problems
