"""Region codes and the prefix arithmetic that scoping relies on.

Every region has a 12-digit statistical code (GB/T 2260 for the first six digits, padded with
zeros; townships fill digits 7–9, villages 10–12). A region's subtree is then exactly the codes
between `low` and `high` below: a plain range on a B-tree index, the same on SQLite and
PostgreSQL whatever the collation, since all codes are 12 ASCII digits.

`RegionCode` is the one value type for such a code; every other app asks it for a level, a parent,
an ancestor or a range instead of slicing strings. This module imports nothing from Django at load
time, so that the pure policy engine can use it too (its messages go through `common.texts`, as
the engine's do); the levels are the values of
`regions.choices.Level` (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from bangfu.common.texts import _

PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE = 1, 2, 3, 4, 5  # == regions.choices.Level
PREFIX_LENGTH = {PROVINCE: 2, CITY: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12}
_LEVEL_BY_LENGTH = {length: level for level, length in PREFIX_LENGTH.items()}


@dataclass(frozen=True, order=True)
class RegionCode:
    """A 12-digit region code with its level, ancestors and subtree range.

    Build one with `RegionCode.parse` (6, 9 or 12 digits as officials write them, a Region, or a
    RegionCode) or `RegionCode.from_prefix` (a significant prefix of 2, 4, 6, 9 or 12 digits).
    """

    code: str

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or len(self.code) != 12 or not self.code.isdigit():
            raise ValueError(_("区划代码“%(code)s”应为12位数字") % {"code": self.code})

    @classmethod
    def parse(cls, value: Any) -> RegionCode:
        """A code as entered or stored: 6 (county and above), 9 (township) or 12 digits; a Region
        or a RegionCode is taken as it is."""
        if isinstance(value, RegionCode):
            return value
        if not isinstance(value, str) and hasattr(value, "code"):
            return cls.parse(value.code)
        code = str(value).strip()
        if not code.isdigit() or len(code) not in (6, 9, 12):
            raise ValueError(_("区划代码“%(code)s”应为6、9或12位数字") % {"code": code})
        return cls(code.ljust(12, "0"))

    @classmethod
    def from_digits(cls, digits: str) -> RegionCode:
        """Up to 12 digits padded with zeros, whatever their number (the policy parameters'
        region keys); no digits give the all-zero code the parameters store for the nation."""
        digits = str(digits).strip()
        if len(digits) > 12 or (digits and not digits.isdigit()):
            raise ValueError(_("区划代码“%(code)s”应为不超过12位的数字") % {"code": digits})
        return cls(digits.ljust(12, "0"))

    @classmethod
    def from_prefix(cls, prefix: str) -> RegionCode:
        """The region whose significant digits are `prefix` (2, 4, 6, 9 or 12 digits)."""
        prefix = str(prefix).strip()
        if not prefix.isdigit() or len(prefix) not in _LEVEL_BY_LENGTH:
            raise ValueError(_("区划代码“%(code)s”应为2、4、6、9或12位数字") % {"code": prefix})
        return cls(prefix.ljust(12, "0"))

    @classmethod
    def from_bounds(cls, low: str, high: str) -> RegionCode:
        """The region whose subtree is exactly `low`…`high` (a range handed on from `.bounds`)."""
        region = cls(low)
        if region.bounds != (low, high):
            raise ValueError(_("%(low)s…%(high)s 不是一个区划的代码范围") % {"low": low, "high": high})
        return region

    def __str__(self) -> str:
        return self.code

    @cached_property
    def level(self) -> int:
        return level_of(self.code)

    @cached_property
    def prefix(self) -> str:
        """The significant digits: 2 for a province, 4 a city, 6 a county, 9 a township, 12 a village."""
        return self.code[: PREFIX_LENGTH[self.level]]

    @property
    def local_part(self) -> str:
        """The digits this region adds below its parent (a village's last three: 001–199 are
        residents' committees, 200–399 villages, GB/T 10114)."""
        parent = self.parent
        return self.prefix[len(parent.prefix):] if parent else self.prefix

    @property
    def short(self) -> str:
        """6 digits to county level, 12 below, as officials write them."""
        return self.code[:6] if self.level <= COUNTY else self.code

    @cached_property
    def low(self) -> str:
        return self.prefix.ljust(12, "0")

    @cached_property
    def high(self) -> str:
        return self.prefix.ljust(12, "9")

    @property
    def bounds(self) -> tuple[str, str]:
        """The inclusive range of the 12-digit codes of this region and every region below it."""
        return self.low, self.high

    range = bounds

    def ancestor(self, level: int) -> RegionCode | None:
        """The region of `level` this one lies in (itself at its own level); None above a province
        or below this region's own level."""
        if level not in PREFIX_LENGTH or level > self.level:
            return None
        return RegionCode(self.code[: PREFIX_LENGTH[level]].ljust(12, "0"))

    def ancestor_or_self(self, level: int) -> RegionCode:
        """The region of `level` this one lies in, or itself when it is above that level (a county
        code's "township" is the county)."""
        return self.ancestor(level) or self

    @property
    def parent(self) -> RegionCode | None:
        return None if self.level == PROVINCE else self.ancestor(self.level - 1)

    @property
    def ancestors(self) -> list[RegionCode]:
        """From the province down to the parent."""
        return [a for level in range(PROVINCE, self.level) if (a := self.ancestor(level)) is not None]

    @property
    def county(self) -> RegionCode | None:
        return self.ancestor(COUNTY)

    @property
    def township(self) -> RegionCode | None:
        return self.ancestor(TOWNSHIP)

    def contains(self, other: Any) -> bool:
        """Whether `other` (a code, Region or RegionCode) is this region or lies below it."""
        code = other.code if hasattr(other, "code") else str(other)
        return self.low <= code <= self.high

    def meet(self, other: Any) -> RegionCode | None:
        """The part of this region that also lies in `other`: the lower of the two when one
        contains the other (subtrees are nested or apart), None when they are apart."""
        other = RegionCode.parse(other)
        if self.contains(other):
            return other
        return self if other.contains(self) else None


def level_of(code12: str) -> int:
    if code12[6:] != "000000":
        return VILLAGE if code12[9:] != "000" else TOWNSHIP
    if code12[4:6] != "00":
        return COUNTY
    if code12[2:4] != "00":
        return CITY
    return PROVINCE


def subtree_bounds(prefix: str) -> tuple[str, str]:
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def parent_code(code12: str) -> str | None:
    parent = RegionCode(code12).parent
    return parent.code if parent else None


def bounds_of(region: Any) -> tuple[str, str]:
    """The subtree range of a region given as a Region, a RegionCode or a 6/9/12-digit code."""
    return RegionCode.parse(region).bounds


# Polars forms of the same arithmetic (the policy engine and record linkage work on frames). They
# take and return polars expressions without importing polars here, so this module stays free of
# both Django and polars at load time.


def prefix_col(expr, level: int):
    """The significant digits of a 12-digit code column at `level` (9 for the township, 6 for the
    county, the 6-digit area an ID number's first digits name)."""
    return expr.str.slice(0, PREFIX_LENGTH[level])


def head_col(expr, length: int):
    """The first `length` digits of a code column, to match a stored prefix of that length."""
    return expr.str.slice(0, length)
