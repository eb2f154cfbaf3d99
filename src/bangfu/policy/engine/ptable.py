"""The parameter table: every parameter resolved once per parameter region, joined to households.

Only a few regions carry values (the nation, some provinces, cities, counties). For a household,
the most specific of those regions in its code's ancestry gives the same resolution as the
household's own code (parameters/core.py), so the engine resolves each parameter once per such
region in Python and joins the small result to the households by that key (`pidx`) — no per-row
Python. Codes lists become one boolean column per code; ratios become integer ppm; rounding modes
become a unit and a direction; each parameter also has a `src_<name>` text for the reasons.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from bangfu.regions.codes import head_col

from .. import vocab
from ..parameters.codec import CODE_LISTS
from ..parameters.core import NATIONAL, ParameterSet, Resolved
from ..parameters.helpers import ROUNDING
from bangfu.common.texts import _, language
from .expr import PPM

DIRECTIONS = {"half_up": 0, "up": 1, "down": 2}
MAX_GRADES_DEFAULT = 3


def _ppm(value: Decimal) -> int:
    return int((value * PPM).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _flatten(resolved: Resolved, out: dict, max_grades: int) -> None:
    d = resolved.definition
    name, value = d.name, resolved.value
    if d.kind in ("money", "integer", "bool"):
        out[name] = value
    elif d.kind == "ratio":
        out[name] = _ppm(value)
    elif d.kind == "codes":
        for code in CODE_LISTS[d.choices]:
            out[f"{name}__{code}"] = code in value
    elif d.kind == "grade_map":
        for dtype in vocab.DISABILITY_TYPES:
            out[f"{name}__{dtype}"] = value.get(dtype, 0)
    elif d.kind == "grades":
        out[f"{name}__count"] = len(value)
        for i in range(max_grades):
            g = value[i] if i < len(value) else None
            out[f"{name}__{i + 1}_min"] = _ppm(g["min_need_multiple"]) if g else None
            out[f"{name}__{i + 1}_max"] = _ppm(g["max_amount_multiple"]) if g else None
            out[f"{name}__{i + 1}_label"] = _(g["label"]) if g else None  # a label set locally stays as set
    elif d.kind == "rounding":
        unit, direction = ROUNDING[value]
        out[f"{name}__unit"] = unit
        out[f"{name}__dir"] = DIRECTIONS[direction]
    out[f"src_{name}"] = resolved.source_text()
    out[f"val_{name}"] = resolved.display


def parameter_table(params: ParameterSet, on: dt.date, prefixes: list[str] | None = None) -> pl.DataFrame:
    """One row per parameter region (`pkey`, `pidx`), one or more columns per parameter."""
    keys = sorted(prefixes if prefixes is not None else params.region_prefixes(), key=lambda p: (len(p), p))
    resolved = [params.resolve_all(p or "CN", on) for p in keys]
    max_grades = max(
        [len(r[n].value) for r in resolved for n in r if r[n].definition.kind == "grades"] + [MAX_GRADES_DEFAULT]
    )
    rows = []
    for i, (prefix, res) in enumerate(zip(keys, resolved)):
        row: dict = {"pidx": i, "pkey": prefix}
        for r in res.values():
            _flatten(r, row, max_grades)
        rows.append(row)
    table = pl.DataFrame(rows, infer_schema_length=None)
    casts = {c: pl.Int64 for c, t in table.schema.items() if t.is_integer()}
    for name, d in params.definitions.items():
        if d.kind == "money":
            casts[name] = pl.Int64
        elif d.kind == "grades":
            for i in range(max_grades):
                casts[f"{name}__{i + 1}_min"] = pl.Int64
                casts[f"{name}__{i + 1}_max"] = pl.Int64
                casts[f"{name}__{i + 1}_label"] = pl.String
    casts["pidx"] = pl.UInt32
    return table.with_columns([pl.col(c).cast(t) for c, t in casts.items()])


def region_key(region_code: pl.Expr, prefixes: list[str]) -> pl.Expr:
    """The most specific parameter region (pkey) in a 12-digit code's ancestry."""
    by_length: dict[int, list[str]] = {}
    for p in prefixes:
        if p != NATIONAL:
            by_length.setdefault(len(p), []).append(p)
    expr: pl.Expr = pl.lit(NATIONAL)
    for length in sorted(by_length):  # longer prefixes are tested last, so they win
        head = head_col(region_code, length)
        expr = pl.when(head.is_in(by_length[length])).then(head).otherwise(expr)
    return expr


class Params:
    """Access to the parameter table inside expressions.

    A column whose value is the same in every parameter region of the batch becomes a literal
    (nothing joined); only the columns that really vary by region are joined, by `pidx`."""

    def __init__(self, table: pl.DataFrame):
        self.table = table
        self.schema = dict(table.schema)
        self._expanded: dict[str, list[str]] = {}
        self._exprs: dict[str, pl.Expr] = {}
        self._memo: dict[str, object] = {}
        self.constant = {c: table[c][0] for c in table.columns if c not in ("pidx", "pkey") and table[c].n_unique() == 1}

    def __getitem__(self, col: str) -> pl.Expr:
        expr = self._exprs.get(col)
        if expr is None:
            if col in self.constant:
                expr = pl.lit(self.constant[col], dtype=self.schema[col])
            elif col in self.schema:
                expr = pl.col(col)
            else:
                raise KeyError(col)
            self._exprs[col] = expr  # expressions are immutable: safe to reuse
        return expr

    def memo(self, key: str, build):
        """Expressions built once per parameter table (they are immutable): a form judging one
        household at a time need not rebuild hundreds of them."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def expand(self, *names: str) -> list[str]:
        """Parameter names → their flattened columns (codes lists → one flag per code, etc.)."""
        out = []
        for name in names:
            matched = self._expanded.get(name)
            if matched is None:
                matched = [c for c in self.table.columns if c == name or c.startswith(name + "__")]
                if not matched:
                    raise KeyError(name)
                self._expanded[name] = matched
            out.extend(matched)
        return out

    def varies(self, names: list[str]) -> bool:
        return any(c not in self.constant for c in self.expand(*names))

    def join(self, frame: pl.LazyFrame, names: list[str]) -> pl.LazyFrame:
        """Join the varying columns of these parameters to a frame that has `pidx`."""
        cols = [c for c in self.expand(*names) if c not in self.constant]
        if not cols:
            return frame
        return frame.join(self.table.lazy().select(["pidx", *cols]), on="pidx", how="left", maintain_order="left")

    def join_varying(self, frame: pl.LazyFrame, *, text: bool = False) -> pl.LazyFrame:
        """Join every varying column (numbers and flags; with `text`, the src_/val_ texts only)."""
        cols = [c for c in self.table.columns
                if c not in ("pidx", "pkey") and c not in self.constant and c.startswith(("src_", "val_")) == text]
        if not cols:
            return frame
        return frame.join(self.table.lazy().select(["pidx", *cols]), on="pidx", how="left", maintain_order="left")


def build(households: pl.DataFrame, params: ParameterSet, on: dt.date) -> tuple[pl.DataFrame, Params]:
    """Resolve the parameters for the regions of this batch; return households with `pidx`."""
    prefixes = _prefixes(params)
    if households.height <= SMALL_BATCH:
        # a form or the API: a few households, resolved in Python without a join
        keys = {code: _most_specific(code, prefixes) for code in set(households["region_code"].to_list())}
        used = tuple(sorted(set(keys.values()) | {NATIONAL}, key=lambda p: (len(p), p)))
        P = _cached_params(params, on, used)
        pidx = {code: used.index(key) for code, key in keys.items()}
        if len(set(pidx.values())) <= 1:
            value = pl.lit(next(iter(pidx.values()), 0), pl.UInt32)
        else:
            value = pl.col("region_code").replace_strict(pidx, return_dtype=pl.UInt32)
        return households.with_columns(value.alias("pidx"), pl.col("household_id").set_sorted()), P
    if len(prefixes) <= 16:
        # few parameter regions: `starts_with` per region over the codes, no hashing of strings
        order = sorted(prefixes, key=lambda p: (len(p), p))
        k: pl.Expr = pl.lit(0, pl.UInt32)
        for i, prefix in enumerate(order):  # longer prefixes are tested last, so they win
            if prefix != NATIONAL:
                k = pl.when(pl.col("region_code").str.starts_with(prefix)).then(pl.lit(i, pl.UInt32)).otherwise(k)
        with_k = households.with_columns(k.alias("pidx"))
        present = set(with_k["pidx"].unique().to_list()) | {order.index(NATIONAL)}
        used = tuple(order[i] for i in sorted(present))
        P = _cached_params(params, on, used)
        if len(used) < len(order):
            with_k = with_k.with_columns(pl.col("pidx").replace_strict(
                {order.index(key): i for i, key in enumerate(used)}, return_dtype=pl.UInt32))
        return with_k.with_columns(pl.col("household_id").set_sorted()), P
    all_prefixes = sorted(prefixes)
    codes = households.select(pl.col("region_code").unique())
    codes = codes.with_columns(region_key(pl.col("region_code"), all_prefixes).alias("pkey"))
    used = tuple(sorted(set(codes["pkey"].to_list()) | {NATIONAL}, key=lambda p: (len(p), p)))
    P = _cached_params(params, on, used)
    codes = codes.join(P.table.select("pkey", "pidx"), on="pkey", how="left").select("region_code", "pidx")
    joined = households.join(codes, on="region_code", how="left", maintain_order="left")
    return joined.with_columns(pl.col("household_id").set_sorted()), P


SMALL_BATCH = 64


def _most_specific(code: str, prefixes: frozenset[str]) -> str:
    """`region_key` for one code in Python."""
    best = NATIONAL
    for p in prefixes:
        if len(p) > len(best) and code.startswith(p):
            best = p
    return best


_PREFIXES: dict[int, tuple[ParameterSet, frozenset[str]]] = {}


def _prefixes(params: ParameterSet) -> frozenset[str]:
    hit = _PREFIXES.get(id(params))
    if hit is not None and hit[0] is params:
        return hit[1]
    prefixes = frozenset(params.region_prefixes())
    if len(_PREFIXES) > 16:
        _PREFIXES.clear()
    _PREFIXES[id(params)] = (params, prefixes)
    return prefixes


_CACHE: "OrderedDict[tuple, tuple[ParameterSet, Params]]" = OrderedDict()
_CACHE_SIZE = 16


def _cached_params(params: ParameterSet, on: dt.date, used: tuple[str, ...]) -> Params:
    """The resolved table for (parameter set, date, regions), reused across calls: a form or the
    API judges one household at a time with the same parameters. Keyed by the set's identity
    (sets are immutable; overlays and merges make new ones) and the language of its texts, holding
    the set to keep it alive."""
    key = (id(params), on, used, language())  # the src_ texts are in the active language
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is params:
        _CACHE.move_to_end(key)
        return hit[1]
    P = Params(parameter_table(params, on, list(used)))
    _CACHE[key] = (params, P)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return P
