"""Read an external list (xlsx through python-calamine, or csv in UTF-8 or GBK) into a Polars
table of text, find its columns by header (or through a mapping the user confirmed), and parse
the columns a kind declares, vectorised (issue 5 "External lists").

A file that cannot be imported at all raises ListFileError with a Chinese message naming what is
wrong (type, encoding, no header, missing column, empty, a cell far too long); nothing is written.
A bad row is refused with its reason, never the whole file (issue 12): a row with no name and no
number, or with a value its kind's column cannot hold (an unreadable date, a disability grade
outside 一级–四级, a required cell left empty) carries its reason in the frame's `refusal` column;
services.list_import keeps it as a refused row, never linked, without findings. Rows whose ID
number, birth date or sex is unreadable are kept (they may still be linked on the rest) and
listed with what was wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from bangfu.common.errors import DomainError
from bangfu.common.spreadsheets import SpreadsheetRefused, bounded_rows, check_workbook, import_limits, source_bytes

from .choices import IdStatus
from .error_codes import MatchingErrorCode
from .idcheck import classify, classify_frame, clean
from .kinds import Kind, header_lookup, normalize_header

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")
HEADER_SCAN_ROWS = 10
MAX_CELL_CHARS = 2000  # no column of any list holds more; a longer cell is not list data
MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_BAD_ROWS_KEPT = 5000
MAX_COLUMNS = 200  # no list has as many columns; a sheet reaching further is not a list
FULL_WIDTH = 25  # the widest list's columns and a few of the sender's: the grid is at most max rows × this
FIELD_MAX = {"name": 64, "id_number": 32, "address": 255, "region_code": 12}


class ListFileError(DomainError):
    """The file as a whole cannot be imported; the message is Chinese."""

    default_code = MatchingErrorCode.FILE_INVALID


@dataclass
class ParsedList:
    headers: list[str]
    mapping: dict[str, str]  # field -> header as written
    # row_no, id_raw, id_clean, id_number, id_status, name, sex, birth_date, region_code, data (JSON text),
    # refusal (why the row is refused, null for a row to link)
    frame: pl.DataFrame
    bad_rows: list[dict] = field(default_factory=list)  # {"row", "reason", "skipped"}; skipped: the row is refused
    total_rows: int = 0

    @property
    def skipped(self) -> int:
        """Rows refused on reading (kept as refused rows, never linked)."""
        return len({b["row"] for b in self.bad_rows if b["skipped"]})


def headers_key(headers: list[str]) -> str:
    return hashlib.sha1("|".join(normalize_header(h) for h in headers).encode("utf-8")).hexdigest()


def _ext(name) -> str:
    return Path(str(name or "")).suffix.lower()


def read_table(source, *, filename: str | None = None) -> list[list]:
    """All rows of the first sheet (or the csv) as lists of cells."""
    if source is None:
        raise ListFileError(_("请选择要导入的文件"))
    name = filename or (source if isinstance(source, str | os.PathLike) else getattr(source, "name", ""))
    ext = _ext(name)
    if ext not in EXTENSIONS:
        raise ListFileError(_("文件类型“%(ext)s”不支持，请上传 Excel（.xlsx）或 CSV 文件") % {"ext": ext or _("无扩展名")})
    data = source_bytes(source)
    if not data:
        raise ListFileError(_("文件是空的（大小为0），请检查后重新上传"))
    if len(data) > MAX_FILE_BYTES:
        raise ListFileError(_("文件超过%(size)sMB，请按地区拆分后分批导入") % {"size": MAX_FILE_BYTES // 1024 // 1024})
    limits = import_limits(max_cols=MAX_COLUMNS, full_width=FULL_WIDTH)
    try:
        if ext == ".csv":
            return bounded_rows(_read_csv(data), limits)
        check_workbook(data, limits)  # before calamine builds anything (common.spreadsheets)
    except SpreadsheetRefused as exc:
        raise ListFileError(str(exc)) from None
    try:
        workbook = CalamineWorkbook.from_object(io.BytesIO(data))
    except Exception:  # calamine raises several types for a broken or foreign file
        raise ListFileError(_("无法读取该文件，请确认是 Excel（.xlsx）文件且未加密、未损坏")) from None
    try:
        names = [n for n in workbook.sheet_names if n != "说明"] or workbook.sheet_names
        if not names:
            raise ListFileError(_("Excel 文件中没有工作表"))
        return workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
    except ListFileError:
        raise
    except Exception:
        raise ListFileError(_("无法读取该文件的工作表，请另存为 .xlsx 后重试")) from None
    finally:
        workbook.close()


def _read_csv(data: bytes):
    """The csv's rows, one at a time (read_table bounds how many)."""
    if b"\x00" in data[:4096]:
        raise ListFileError(_("该文件不是文本格式的 CSV（含有二进制内容），请上传 Excel 或 CSV 文件"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ListFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码"))
    # The limit is process-wide: raised for this file only, and put back, so that other readers
    # (a bank's return file) keep refusing an unclosed quote that swallows the file.
    previous = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise ListFileError(_("CSV 格式错误：%(error)s") % {"error": exc}) from None
    finally:
        csv.field_size_limit(previous)


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def find_header(rows: list[list], kind: Kind, mapping: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """The header row: the first of the top rows naming two known columns (or two columns of the
    user's mapping)."""
    lookup = header_lookup(kind)
    wanted = set(lookup) | {normalize_header(h) for h in (mapping or {}).values()}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        known = sum(1 for cell in row if isinstance(cell, str) and normalize_header(cell) in wanted)
        if known >= 2:
            return index, [_text(c) for c in row]
    if not any(any(_text(c) for c in row) for row in rows):
        raise ListFileError(_("表格是空的，请填写数据后再导入"))
    raise ListFileError(_("找不到表头行：前10行中没有“姓名”“身份证号”等列名；请使用系统提供的模板，或在表格第一行写上列名"))


def auto_mapping(headers: list[str], kind: Kind) -> dict[str, str]:
    lookup = header_lookup(kind)
    mapping: dict[str, str] = {}
    for text in headers:
        fld = lookup.get(normalize_header(text))
        if fld and fld not in mapping:
            mapping[fld] = text
    return mapping


def check_mapping(mapping: dict[str, str], headers: list[str], kind: Kind) -> None:
    fields = {c.field: c for c in kind.all_columns}
    for fld, header in mapping.items():
        if fld not in fields:
            raise ListFileError(_("未知的字段“%(field)s”") % {"field": fld})
        if header not in headers:
            raise ListFileError(_("表格中没有“%(header)s”列") % {"header": header})
    required = [c.header for c in kind.all_columns if c.required and c.field not in mapping]
    if required:
        raise ListFileError(_("缺少以下列：%(columns)s；请在“列对应”中指定，或使用系统提供的模板") % {"columns": "、".join(required)})
    if "id_number" not in mapping and "birth_date" not in mapping:
        raise ListFileError(_("名单既没有“身份证号”列，也没有“出生日期”列，无法比对；请至少提供其中之一"))


def _date(col: pl.Expr) -> pl.Expr:
    text = col.str.replace_all(r"[年月/.]", "-").str.replace_all("日", "").str.slice(0, 10)
    return pl.coalesce(text.str.to_date("%Y-%m-%d", strict=False), col.str.to_date("%Y%m%d", strict=False))


SEX_MAP = {"男": "M", "女": "F", "M": "M", "F": "F", "1": "M", "2": "F", "男性": "M", "女性": "F"}
STATUS_MAP = {"辍学": "dropout", "失学": "dropout", "休学": "suspended", "在读": "enrolled", "在校": "enrolled", "毕业": "graduated"}


def parse(rows: list[list], kind: Kind, *, mapping: dict[str, str] | None = None, today: dt.date | None = None) -> ParsedList:
    """Turn raw rows into a ParsedList for `kind`. `mapping` (field → header) is the user's (or
    the one saved for these headers); otherwise the headers are recognised automatically."""
    header_index, headers = find_header(rows, kind, mapping)
    if not mapping:
        mapping = auto_mapping(headers, kind)
    check_mapping(mapping, headers, kind)
    position = {h: i for i, h in reversed(list(enumerate(headers)))}
    body = rows[header_index + 1:]
    fields = list(mapping)
    cols: dict[str, list[str]] = {f: [] for f in fields}
    row_nos: list[int] = []
    for offset, row in enumerate(body):
        values = {}
        any_data = False
        for fld in fields:
            pos = position[mapping[fld]]
            cell = row[pos] if pos < len(row) else None
            if fld == "id_number":
                text, _problem = clean(cell)
            else:
                text = _text(cell)
            if len(text) > MAX_CELL_CHARS:
                raise ListFileError(_("第%(row)s行“%(column)s”列内容过长（%(length)s个字符），不是名单数据；请检查文件")
                                    % {"row": header_index + 2 + offset, "column": mapping[fld], "length": len(text)})
            any_data = any_data or bool(text)
            values[fld] = text
        if not any_data:
            continue
        row_nos.append(header_index + 2 + offset)
        for fld in fields:
            cols[fld].append(values[fld])
    if not row_nos:
        raise ListFileError(_("表格中只有表头，没有数据行"))
    frame = pl.DataFrame({"row_no": row_nos, **{f: cols[f] for f in fields}},
                         schema={"row_no": pl.Int64, **{f: pl.String for f in fields}})
    return _parse_frame(frame, kind, mapping, headers, today=today)


def _parse_frame(frame: pl.DataFrame, kind: Kind, mapping: dict[str, str], headers: list[str], *, today=None) -> ParsedList:
    today = today or dt.date.today()
    frame = frame.with_columns(pl.col(f).replace("", None) for f in mapping)
    for fld in ("id_number", "name", "sex", "birth_date", "region_code", "address"):
        if fld not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(fld))
    frame = classify_frame(frame.rename({"id_number": "id_raw"}), "id_raw", today=today)
    frame = frame.with_columns(
        pl.col("name").fill_null("").str.replace_all(r"\s", "").str.slice(0, 64).alias("name"),
        pl.col("sex").str.replace_all(r"[\s　]", "").replace_strict(SEX_MAP, default=None, return_dtype=pl.String).alias("sex"),
        pl.col("sex").alias("_sex_text"),
        _date(pl.col("birth_date")).alias("birth_date"),
        pl.col("birth_date").alias("_birth_text"),
        pl.col("region_code").str.replace_all(r"\D", "").alias("region_code"),
    )
    frame = frame.with_columns(
        pl.when(pl.col("region_code").str.len_chars().is_in([6, 9, 12])).then(pl.col("region_code").str.pad_end(12, "0")).otherwise(None).alias("region_code"))
    bad: list[dict] = []
    refusals: dict[int, list[str]] = {}  # row → why the row is refused (kept, never linked)

    def refuse(row: int, reason: str) -> None:
        refusals.setdefault(row, []).append(reason)
        bad.append({"row": row, "reason": reason, "skipped": True})

    # rows with neither a name nor a number cannot be linked at all
    for r in frame.filter((pl.col("name") == "") & (pl.col("id_status") == IdStatus.MISSING.value))["row_no"].to_list():
        refuse(r, _("姓名和身份证号码都为空"))
    # the kind's own columns, parsed by type and kept as JSON; a value the column cannot hold (an
    # unreadable date, grade 五级) refuses its row: a finding resting on it would be wrong
    data_exprs = []
    for col in kind.columns + kind.extra:
        if col.field not in mapping:
            continue
        e = pl.col(col.field)
        if col.parser == "date":
            e = _date(e).dt.to_string("%Y-%m-%d")
        elif col.parser == "int":
            for zh, digit in (("一", "1"), ("二", "2"), ("三", "3"), ("四", "4"), ("壹", "1"), ("贰", "2"), ("叁", "3"), ("肆", "4")):
                e = e.str.replace_all(zh, digit, literal=True)
            e = e.str.extract(r"^\D*?(\d+)\D*$", 1).cast(pl.Int64, strict=False)
            if col.bounds:
                e = pl.when(e.is_between(*col.bounds)).then(e).otherwise(None)
        elif col.parser == "money":
            e = (e.str.replace_all(r"[,，元\s]", "").cast(pl.Float64, strict=False) * 100).round(0).cast(pl.Int64, strict=False)
        elif col.parser == "status":
            e = e.replace_strict(STATUS_MAP, default=e)
        checked = frame.select("row_no", pl.col(col.field).alias("raw"), e.alias("value"))
        for r, raw in checked.filter(pl.col("raw").is_not_null() & pl.col("value").is_null()).select("row_no", "raw").iter_rows():
            if col.bounds:
                refuse(r, _("“%(column)s”列：“%(value)s”不是有效的值，应为%(low)s至%(high)s")
                       % {"column": mapping[col.field], "value": raw[:20], "low": col.bounds[0], "high": col.bounds[1]})
                continue
            what = {"date": _("日期，应为 YYYY-MM-DD"), "int": _("数字"), "money": _("金额（元）")}.get(col.parser) or _("值")
            refuse(r, _("“%(column)s”列：“%(value)s”不是有效的%(what)s") % {"column": mapping[col.field], "value": raw[:20], "what": what})
        if col.required:
            for r in checked.filter(pl.col("raw").is_null())["row_no"].to_list():
                refuse(r, _("“%(column)s”为空") % {"column": mapping[col.field]})
        data_exprs.append(e.alias(col.field))
    # what can be used without: said per row, the row still imported and linked on the rest
    kept = frame.filter(~pl.col("row_no").is_in(list(refusals)))
    for r in kept.filter(pl.col("name") == "")["row_no"].to_list():
        bad.append({"row": r, "reason": _("姓名为空（仅按身份证号比对）"), "skipped": False})
    faulty = kept.filter(pl.col("id_status").is_in([IdStatus.INVALID.value, IdStatus.LOST_DIGITS.value, IdStatus.BAD_CHECK.value]))
    for r, raw in zip(faulty["row_no"].to_list(), faulty["id_raw"].to_list(), strict=True):
        bad.append({"row": r, "reason": _("“%(column)s”列：%(problem)s（仍按姓名、出生日期等比对）")
                    % {"column": mapping.get("id_number", _("身份证号")), "problem": classify(raw, today=today)[3]}, "skipped": False})
    if "birth_date" in mapping:
        for r, raw in kept.filter(pl.col("birth_date").is_null() & pl.col("_birth_text").is_not_null()).select("row_no", "_birth_text").iter_rows():
            bad.append({"row": r, "reason": _("“%(column)s”列：日期“%(value)s”无法识别，应为 YYYY-MM-DD（仍按身份证号等比对）")
                        % {"column": mapping["birth_date"], "value": raw[:20]}, "skipped": False})
    if "sex" in mapping:
        for r, raw in kept.filter(pl.col("sex").is_null() & pl.col("_sex_text").is_not_null()).select("row_no", "_sex_text").iter_rows():
            bad.append({"row": r, "reason": _("“%(column)s”列：“%(value)s”无法识别，应为“男”或“女”（未使用）")
                        % {"column": mapping["sex"], "value": raw[:20]}, "skipped": False})
    if "address" in mapping:
        data_exprs.append(pl.col("address").str.slice(0, 255).alias("address"))
    data = pl.struct(data_exprs).struct.json_encode() if data_exprs else pl.lit("{}")
    refusal = pl.DataFrame({"row_no": list(refusals), "refusal": ["；".join(v)[:255] for v in refusals.values()]},
                           schema={"row_no": pl.Int64, "refusal": pl.String})
    frame = frame.with_columns(data.alias("data")).join(refusal, on="row_no", how="left").select(
        "row_no", pl.col("id_raw").fill_null("").str.slice(0, 32), "id_clean", "id_number", "id_status",
        "name", "sex", "birth_date", "region_code", "data", "refusal")
    bad.sort(key=lambda b: b["row"])
    return ParsedList(headers=headers, mapping=mapping, frame=frame, bad_rows=bad, total_rows=frame.height)


def parse_fast_csv(path: str | os.PathLike, kind: Kind, *, today: dt.date | None = None) -> ParsedList:
    """The same as parse(read_table(path)) for a large UTF-8 csv whose headers are recognised,
    read by Polars without a Python object per cell (the benchmark and `bangfu` CLI imports)."""
    raw = pl.read_csv(path, infer_schema=False, encoding="utf8")
    headers = raw.columns
    mapping = auto_mapping(headers, kind)
    check_mapping(mapping, headers, kind)
    longest = raw.select(pl.max_horizontal(pl.all().str.len_chars().max())).item()
    if longest and longest > MAX_CELL_CHARS:
        raise ListFileError(_("有单元格内容过长（%(length)s个字符），不是名单数据；请检查文件") % {"length": longest})
    frame = raw.with_row_index("row_no", offset=2).with_columns(pl.col("row_no").cast(pl.Int64)).select(
        "row_no", *[pl.col(h).str.strip_chars().alias(f) for f, h in mapping.items()])
    return _parse_frame(frame, kind, mapping, headers, today=today)
