"""Small exact helpers around parameters: money rounding and the R13 standard range."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .core import ParameterSet
from .floors import TEKUN_KINDS, tekun_basic_floor_fen  # noqa: F401  (re-exported)

# mode → (unit in fen, direction)
ROUNDING = {
    "fen": (1, "half_up"),
    "fen_up": (1, "up"),
    "jiao_half_up": (10, "half_up"),
    "jiao_up": (10, "up"),
    "jiao_down": (10, "down"),
    "yuan_half_up": (100, "half_up"),
    "yuan_up": (100, "up"),
    "yuan_down": (100, "down"),
}


def round_fen(numerator: int, denominator: int = 1, mode: str = "fen") -> int:
    """Round the non-negative amount numerator/denominator fen per a rounding parameter.

    Exact integer arithmetic: round_fen(1001, 3, "fen") = 334 (333.67 fen → 334);
    round_fen(65001, 1, "yuan_up") = 65100.
    """
    if numerator < 0 or denominator <= 0:
        raise ValueError("round_fen expects a non-negative amount and a positive denominator")
    unit, direction = ROUNDING[mode]
    d = denominator * unit
    if direction == "up":
        q = (numerator + d - 1) // d
    elif direction == "down":
        q = numerator // d
    else:
        q = (2 * numerator + d) // (2 * d)
    return q * unit


@dataclass(frozen=True)
class StandardRange:
    """R13: the monthly standard suggested by last year's urban consumption expenditure."""

    annual_expenditure_fen: int
    min_monthly_fen: int
    max_monthly_fen: int
    share_min: object
    share_max: object

    def contains(self, monthly_standard_fen: int) -> bool:
        return self.min_monthly_fen <= monthly_standard_fen <= self.max_monthly_fen


def standard_range_from_consumption(
    annual_expenditure_fen: int, params: ParameterSet, region_code: str = "CN", on: dt.date | None = None,
) -> StandardRange:
    """R13 (篇三（二）): a dibao standard "在原则上按上年度城镇居民人均消费支出的25—35%确定".

    The expenditure is annual (元/年); the standard is monthly, so the range is
    share × expenditure / 12, the lower bound rounded up and the upper bound rounded down to the
    fen so that every value inside is truly within 25–35 %. E.g. 33,000.00 元/年 →
    687.50 … 962.50 元/月.
    """
    on = on or dt.date.today()
    share_min = params.value("dibao_standard_consumption_share_min", region_code, on)
    share_max = params.value("dibao_standard_consumption_share_max", region_code, on)
    lo_num = share_min.as_integer_ratio()
    hi_num = share_max.as_integer_ratio()
    low = annual_expenditure_fen * lo_num[0]
    high = annual_expenditure_fen * hi_num[0]
    min_fen = round_fen(low, 12 * lo_num[1], "fen_up")
    max_fen = (high // (12 * hi_num[1]))
    return StandardRange(annual_expenditure_fen, min_fen, max_fen, share_min, share_max)


# ----------------------------------------------------------------------------- tekun standards


def care_level_of(unable_activities: int, ps: ParameterSet, region_code: str, on: dt.date) -> str:
    """self_care / partial / full from the number of the six activities a person cannot do
    (《特困人员认定办法》生活自理能力评估; thresholds are parameters), as engine.person_basics."""
    if unable_activities >= ps.value("care_full_min_unable", region_code, on):
        return "full"
    if unable_activities >= ps.value("care_partial_min_unable", region_code, on):
        return "partial"
    return "self_care"


def tekun_standard_fen(ps: ParameterSet, region_code: str, on: dt.date, *, hukou_type: str, care_level: str,
                       support_mode: str) -> tuple[int, int]:
    """(basic living standard, care standard) in fen a month for one tekun person (国发〔2016〕14号
    二、（三）): the same rule as engine/tekun_amount.py, for one person outside a batch (the demo;
    a test proves both agree). Basic: the set value for the hukou type, never below the floor;
    the floor when none is set. Care: `tekun_care_<mode>_<level>`."""
    kind = "urban" if hukou_type == "urban" else "rural"
    floor = tekun_basic_floor_fen(ps.value(f"dibao_standard_{kind}", region_code, on), ps.value("tekun_basic_factor", region_code, on))
    explicit = ps.value(f"tekun_basic_standard_{kind}", region_code, on)
    basic = floor if explicit is None else max(explicit, floor)
    return basic, ps.value(f"tekun_care_{support_mode}_{care_level}", region_code, on)
