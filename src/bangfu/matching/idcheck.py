"""ID numbers on external lists (issue 5 "Linkage"), wrapping bangfu.common.idnumber.

`classify(cell)` answers, for one cell as a reader hands it over, what the list holds: a valid
number, a 15-digit number converted to 18, an 18-digit number whose only fault is the check
character, a number Excel has turned into a float (3.40102198E+17: the tail is lost, nothing can
be recovered), something else that is no ID number, or nothing. `classify_frame` does the same
for a whole Polars column at once (the linkage pass over a million rows) and agrees with
`classify` on every input (tests/test_idcheck.py). ID numbers stay strings throughout.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from bangfu.common.idnumber import CHECK_CHARS, EARLIEST_BIRTH, PROVINCE_CODES, WEIGHTS, InvalidIdNumber, check_char, parse_id_number

from .choices import IdStatus

SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
MAX_EXACT = 10**15  # Excel keeps 15 significant digits


def clean(cell) -> tuple[str, str]:
    """(text, problem): the cell as upper-case text without spaces, or a LOST_DIGITS problem."""
    if cell is None:
        return "", ""
    if isinstance(cell, bool):
        return str(cell), ""
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < MAX_EXACT:
            return str(int(cell)), ""
        return repr(cell), IdStatus.LOST_DIGITS
    if isinstance(cell, int):
        return str(cell), ""
    text = str(cell).strip().replace(" ", "").replace("\u3000", "").upper()
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
    try:
        info = parse_id_number(text, today=today)
    except InvalidIdNumber as exc:
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


def classify_frame(frame: pl.DataFrame, column: str = "id_raw", *, today: dt.date | None = None) -> pl.DataFrame:
    """Add `id_clean`, `id_number` (normalised, null unless valid or converted) and `id_status`
    for the text column `column`, vectorised. Cells must already be text (readers turn floats into
    text with `clean`, so LOST_DIGITS shows up here as scientific notation)."""
    today = today or dt.date.today()
    raw = pl.col(column).cast(pl.String)
    cleaned = raw.str.replace_all(r"[\s\u3000]", "").str.to_uppercase().fill_null("")
    frame = frame.with_columns(cleaned.alias("id_clean"))
    c = pl.col("id_clean")
    len15 = (c.str.len_chars() == 15) & c.str.contains(r"^\d{15}$")
    len18 = (c.str.len_chars() == 18) & c.str.contains(r"^\d{17}[\dX]$")
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
        .when(len18 & ok).then(pl.lit(IdStatus.BAD_CHECK.value))
        .otherwise(pl.lit(IdStatus.INVALID.value))
    )
    frame = frame.with_columns(status.alias("id_status"))
    number = pl.when(pl.col("id_status").is_in([IdStatus.VALID.value, IdStatus.CONVERTED_15.value])).then(f + chk).otherwise(None)
    return frame.with_columns(number.alias("id_number")).drop("_f17", "_check", "_ok")


# ---------------------------------------------------------------------------------------------
# One-edit neighbours: the valid numbers one mistyped or transposed digit away
# ---------------------------------------------------------------------------------------------
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
    is never returned."""
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
