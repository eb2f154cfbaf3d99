"""ID numbers on external lists (issue 5 "Linkage", issue 12 "damaged files"), wrapping
bangfu.common.idnumber.

Every cell is normalised before anything else (`idnumber.normalise_id_text`): NFKC turns full-width
digits and letters into ASCII, white space of every kind and zero-width characters go, so does the
quote Excel puts before a number kept as text, and x becomes X.

`classify(cell)` answers, for one cell as a reader hands it over, what the list holds: a valid
number, a 15-digit number converted to 18, an 18-digit number whose only fault is the check
character, a number Excel has turned into a float (3.40121E+17, or 18 digits ending in 000 that
fail the check: Excel keeps 15 significant digits), something else that is no ID number, or
nothing. `classify_frame` does the same for a whole Polars column at once (the linkage pass over a
million rows) and agrees with `classify` on every input (tests/test_idcheck.py). ID numbers stay
strings throughout.

A number Excel damaged still carries its leading digits: `surviving(text)` says which, and what
they name (the county, with 15 digits the birth date, with 17 the sex). Linkage uses them as
blocking evidence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from bangfu.common.idnumber import (CHECK_CHARS, EARLIEST_BIRTH, IGNORED_CHARS, PROVINCE_CODES, QUOTES_AT_ENDS, WEIGHTS,
                                    InvalidIdNumber, check_char, normalise_id_text, parse_id_number)

from .choices import IdStatus

SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?E\+?[0-9]+$")
TRUNCATED = re.compile(r"^[0-9]{15}000$")  # 18 digits Excel kept to 15 significant ones
ID_CHARS = re.compile(r"^[0-9X]*$")
MAX_EXACT = 10**15  # Excel keeps 15 significant digits
EXCEL_DIGITS = 15


def clean(cell) -> tuple[str, str]:
    """(text, problem): the cell normalised (see the module docstring), or a LOST_DIGITS problem.
    A float too large to be exact is written with the 15 significant digits Excel keeps
    (3.40121198905248E+17), so that `surviving` can read them."""
    if cell is None:
        return "", ""
    if isinstance(cell, bool):
        return str(cell), ""
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < MAX_EXACT:
            return str(int(cell)), ""
        return f"{cell:.{EXCEL_DIGITS - 1}E}", IdStatus.LOST_DIGITS
    if isinstance(cell, int):
        return str(cell), ""
    text = normalise_id_text(cell)
    if SCIENTIFIC.match(text):
        return text, IdStatus.LOST_DIGITS
    return text, ""


def classify(cell, *, today: dt.date | None = None) -> tuple[str, str, str, str]:
    """(cleaned text, normalised 18-digit number or "", IdStatus, Chinese reason or "")."""
    text, problem = clean(cell)
    if problem:
        return text, "", problem, _("身份证号码被Excel存成了数字（科学计数法），后几位已丢失，请将该列设为文本后重新导出")
    if not text:
        return "", "", IdStatus.MISSING, _("缺少身份证号码")
    if not ID_CHARS.match(text):
        return text, "", IdStatus.INVALID, _("身份证号码只能由数字和X组成")
    try:
        info = parse_id_number(text, today=today)
    except InvalidIdNumber as exc:
        if TRUNCATED.match(text):
            return text, "", IdStatus.LOST_DIGITS, _("身份证号码被Excel存成了数字，只保留了前15位（后三位变成了000），请将该列设为文本后重新导出")
        if len(text) == 18 and text[:17].isdigit():
            fixed = text[:17] + check_char(text[:17])
            try:
                parse_id_number(fixed, today=today)
            except InvalidIdNumber:
                pass
            else:
                return text, "", IdStatus.BAD_CHECK, str(exc)
        return text, "", IdStatus.INVALID, str(exc)
    return text, info.number, IdStatus.CONVERTED_15 if len(text) == 15 else IdStatus.VALID, ""


def normalise_col(expr: pl.Expr) -> pl.Expr:
    """`idnumber.normalise_id_text` for a text column."""
    return expr.cast(pl.String).str.normalize("NFKC").str.replace_all(IGNORED_CHARS, "").str.replace_all(QUOTES_AT_ENDS, "").str.to_uppercase()


def classify_frame(frame: pl.DataFrame, column: str = "id_raw", *, today: dt.date | None = None) -> pl.DataFrame:
    """Add `id_clean`, `id_number` (normalised, null unless valid or converted) and `id_status`
    for the text column `column`, vectorised. Cells must already be text (readers turn floats into
    text with `clean`, so LOST_DIGITS shows up here as scientific notation)."""
    today = today or dt.date.today()
    cleaned = normalise_col(pl.col(column)).fill_null("")
    frame = frame.with_columns(cleaned.alias("id_clean"))
    c = pl.col("id_clean")
    len15 = c.str.contains(r"^[0-9]{15}$")
    len18 = c.str.contains(r"^[0-9]{17}[0-9X]$")
    first17 = pl.when(len15).then(c.str.slice(0, 6) + pl.lit("19") + c.str.slice(6, 9)).when(len18).then(c.str.slice(0, 17)).otherwise(None)
    frame = frame.with_columns(first17.alias("_f17"))
    f = pl.col("_f17")
    total = sum(f.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(WEIGHTS))
    check = pl.lit(list(CHECK_CHARS)).list.get(total % 11, null_on_oob=True)
    birth = f.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    plausible = f.str.slice(0, 2).is_in(sorted(PROVINCE_CODES)) & birth.is_not_null() & (birth <= today) & (birth >= EARLIEST_BIRTH)
    frame = frame.with_columns(check.alias("_check"), plausible.fill_null(False).alias("_ok"))
    ok, chk = pl.col("_ok"), pl.col("_check")
    status = (
        pl.when(c == "").then(pl.lit(IdStatus.MISSING.value))
        .when(c.str.contains(SCIENTIFIC.pattern)).then(pl.lit(IdStatus.LOST_DIGITS.value))
        .when(len15 & ok).then(pl.lit(IdStatus.CONVERTED_15.value))
        .when(len18 & ok & (c.str.slice(17, 1) == chk)).then(pl.lit(IdStatus.VALID.value))
        .when(c.str.contains(TRUNCATED.pattern)).then(pl.lit(IdStatus.LOST_DIGITS.value))
        .when(len18 & ok).then(pl.lit(IdStatus.BAD_CHECK.value))
        .otherwise(pl.lit(IdStatus.INVALID.value))
    )
    frame = frame.with_columns(status.alias("id_status"))
    number = pl.when(pl.col("id_status").is_in([IdStatus.VALID.value, IdStatus.CONVERTED_15.value])).then(f + chk).otherwise(None)
    return frame.with_columns(number.alias("id_number")).drop("_f17", "_check", "_ok")


# ---------------------------------------------------------------------------------------------
# One-edit neighbours: the valid numbers one mistyped or transposed digit away
# ---------------------------------------------------------------------------------------------
SHAPED = re.compile(r"^[0-9]{17}[0-9X]\Z")
_CODES = np.frombuffer(b"0123456789X", dtype=np.uint8)
_W = np.array(WEIGHTS, dtype=np.int64)
_CHECK_CODE = np.array([10 if ch == "X" else int(ch) for ch in CHECK_CHARS], dtype=np.uint8)


def _to_codes(numbers: list[str]) -> np.ndarray:
    raw = np.frombuffer("".join(numbers).encode("ascii"), dtype=np.uint8).reshape(len(numbers), 18)
    return np.where(raw == ord("X"), 10, raw - ord("0")).astype(np.uint8)


def _to_strings(codes: np.ndarray) -> list[str]:
    chars = _CODES[codes]
    return [bytes(r).decode("ascii") for r in chars] if len(chars) < 64 else np.ascontiguousarray(chars).view("S18").ravel().astype(str).tolist()


def one_edit_neighbours(rows: list[int], numbers: list[str], *, converted: list[bool] | None = None) -> tuple[list[int], list[str]]:
    """For each 18-character number (17 digits and a digit or X, check character right or wrong),
    every valid number one substitution or one adjacent transposition away, as parallel lists
    (row, neighbour). A number converted from 15 digits (`converted`) has a computed check
    character, so only its original digits vary and the check is recomputed. The number itself
    is never returned. Anything else (another length, characters other than ASCII digits and X)
    is skipped, whatever a caller hands over."""
    fit = [i for i, number in enumerate(numbers) if isinstance(number, str) and SHAPED.match(number)]
    if len(fit) < len(numbers):
        rows, numbers = [rows[i] for i in fit], [numbers[i] for i in fit]
        converted = [converted[i] for i in fit] if converted is not None else None
    if not numbers:
        return [], []
    base = _to_codes(numbers)
    n = len(numbers)
    conv = np.asarray(converted if converted is not None else [False] * n, dtype=bool)
    idx = np.arange(n)
    out_rows, out_codes = [], []
    for p in range(17):
        for d in range(10):
            keep = base[:, p] != d
            if p in (6, 7):  # the century a 15-digit number never had
                keep &= ~conv
            v = base[keep].copy()
            v[:, p] = d
            out_rows.append(idx[keep])
            out_codes.append(v)
    for p in range(17):  # (16, 17) swaps the last digit with the check character
        keep = base[:, p] != base[:, p + 1]
        if p >= 5:
            keep &= ~conv | (p not in (5, 6, 7))
        v = base[keep].copy()
        v[:, [p, p + 1]] = v[:, [p + 1, p]]
        out_rows.append(idx[keep])
        out_codes.append(v)
    rows_arr = np.concatenate(out_rows)
    codes = np.concatenate(out_codes)
    digits_ok = (codes[:, :17] < 10).all(axis=1)
    rows_arr, codes = rows_arr[digits_ok], codes[digits_ok]
    expected = _CHECK_CODE[(codes[:, :17].astype(np.int64) @ _W) % 11]
    # a typo in the digits leaves the written check character right for the true number; a
    # converted number's check is computed, so it is recomputed for each variant
    recompute = conv[rows_arr]
    good = recompute | (expected == codes[:, 17])
    codes[recompute, 17] = expected[recompute]
    rows_arr, codes = rows_arr[good], codes[good]
    # the check character itself mistyped: the digits with their correct check
    fixed = base.copy()
    fixed[:, 17] = _CHECK_CODE[(base[:, :17].astype(np.int64) @ _W) % 11]
    changed = (fixed[:, 17] != base[:, 17]) & ~conv
    rows_arr = np.concatenate([rows_arr, idx[changed]])
    codes = np.concatenate([codes, fixed[changed]])
    row_ids = np.asarray(rows, dtype=np.int64)[rows_arr]
    return row_ids.tolist(), _to_strings(codes)


def birth_from_text(text: str) -> dt.date | None:
    """The birth date an 18- or 15-digit string encodes, when those digits form a real date."""
    if len(text) == 15 and text.isdigit():
        part = "19" + text[6:12]
    elif len(text) == 18 and text[:17].isdigit():
        part = text[6:14]
    else:
        return None
    try:
        return dt.date(int(part[:4]), int(part[4:6]), int(part[6:8]))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# What survives of a number Excel damaged
# ---------------------------------------------------------------------------------------------
_SCIENTIFIC_PARTS = re.compile(r"^([0-9])(?:\.([0-9]+))?E\+?([0-9]+)$")


@dataclass(frozen=True)
class Surviving:
    """The leading digits left of an ID number Excel turned into a number.

    `digits` as written (the mantissa of 3.40121E+17, or the 15 digits Excel kept), `length` the
    digits the number had (18, or 15 for an old number), `trusted` how many of `digits` are
    certain: Excel keeps 15 significant digits exactly, but a shorter mantissa is what a cell
    *shows*, rounded, so its last digit may be one too high."""

    digits: str
    length: int
    trusted: int

    def _date(self, part: str) -> dt.date | None:
        try:
            return dt.date(int(part[:4]), int(part[4:6]), int(part[6:8]))
        except ValueError:
            return None

    @property
    def county(self) -> str | None:
        """The county (first six digits) when they survive and name a province."""
        if len(self.digits) < 6 or self.digits[:2] not in PROVINCE_CODES:
            return None
        return self.digits[:6]

    @property
    def county_alt(self) -> str | None:
        """The other county the digits may name when the sixth is the rounded last one shown."""
        if self.county is None or self.trusted >= 6:
            return None
        alt = f"{int(self.digits[:6]) - 1:06d}"
        return alt if alt[:2] in PROVINCE_CODES else None

    @property
    def birth(self) -> dt.date | None:
        if self.county is None:
            return None
        if self.length == 18 and self.trusted >= 14:
            return self._date(self.digits[6:14])
        if self.length == 15 and self.trusted >= 12:
            return self._date("19" + self.digits[6:12])
        return None

    @property
    def sex(self) -> str | None:
        position = 16 if self.length == 18 else 14
        if self.birth is None or self.trusted <= position:
            return None
        return "M" if int(self.digits[position]) % 2 == 1 else "F"

    @property
    def prefix(self) -> str | None:
        """The certain digits in the 18-digit form (an old number gains "19"), once they reach the
        birth date: a registry number starting with them agrees on every digit that survived."""
        if self.birth is None:
            return None
        digits = self.digits[: self.trusted]
        return digits if self.length == 18 else digits[:6] + "19" + digits[6:]


def surviving(text: str | None) -> Surviving | None:
    """What survives of a LOST_DIGITS cell as `clean` leaves it ("3.40121E+17", or 18 digits
    ending in 000); None for anything else, and when the exponent says the number had neither 18
    nor 15 digits."""
    text = text or ""
    if TRUNCATED.match(text):
        return Surviving(text[:EXCEL_DIGITS], 18, EXCEL_DIGITS)
    parts = _SCIENTIFIC_PARTS.match(text)
    if not parts:
        return None
    length = int(parts.group(3)) + 1
    if length not in (15, 18):
        return None
    digits = (parts.group(1) + (parts.group(2) or ""))[:length]
    exact = len(digits) == length or len(digits) == EXCEL_DIGITS
    return Surviving(digits, length, len(digits) if exact else len(digits) - 1)
