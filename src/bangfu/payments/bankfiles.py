"""The files a county sends its bank and the files the bank sends back, with the layout as data.

A bank's layout (`BankLayout`, built from a dict by `layout_from_dict`, examples in banks.yaml) says
how the payment file looks — xlsx, delimited text or fixed-width text; the encoding; the columns,
their order and the format of amounts and months; an optional summary line with the count and the
total — and how to read the bank's return file: which columns hold the line reference, account,
amount, status and reason, which status values mean paid or failed, and what the bank's reason
codes mean. A county adds its bank by writing such a layout, without code.

Money is integer fen throughout: an amount is printed from its fen by integer arithmetic ("1234.50"
or "123450"), in xlsx too (a number cell's value is that decimal text), and read back through
Decimal, never float. An xlsx number the bank's spreadsheet holds as a double is taken to whole
cents only when it is within a millionth of a cent of them (0.29 is 0.28999999999999998 as a double).

A character the file's encoding cannot hold (a rare name such as 𠮷 in GBK) is refused with a
ValueError naming the line and the character, never replaced: the bank would otherwise pay a name
that is not the recipient's. GB18030 holds every Unicode character, UTF-8 too, so those layouts
just work.

Reading a return file never raises for what the file contains: a row that cannot be read becomes a
problem (its row number in the file and a Chinese message) and the whole file's problems (empty,
not a spreadsheet, too large) come back as a problem on row 0.
"""

from __future__ import annotations

import csv
import functools
import io
import operator
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bangfu.common.money import MAX_FEN, InvalidAmount, yuan_to_fen
from bangfu.common.spreadsheets import column_letters
from bangfu.common.texts import _, gettext_noop

from .cards import normalise_account

LINE_KEYS = ("line_ref", "name", "id_number", "account", "bank_name", "amount_fen", "month", "programme",
             "region_code", "region_name")
COLUMN_FIELDS = (*LINE_KEYS, "seq", "const")
SUMMARY_FIELDS = ("count", "total", "month", "const")
RETURN_ROLES = ("line_ref", "account", "amount", "status", "reason", "name")
FORMATS = ("delimited", "xlsx", "fixed")
ENCODINGS = ("gbk", "gb18030", "utf-8", "utf-8-sig")
LINE_ENDINGS = {"crlf": "\r\n", "lf": "\n"}
AMOUNT_FORMATS = ("yuan_2dp", "fen")
MONTH_FORMATS = ("yyyy-mm", "yyyymm", "yyyy年m月")
QUOTING = ("none", "csv")
TEXT_FIELDS = frozenset(("line_ref", "name", "id_number", "account", "bank_name", "programme", "region_code", "region_name"))

# Default column titles (what a header row says when the layout gives no title).
FIELD_TITLES = {
    "line_ref": gettext_noop("流水号"), "name": gettext_noop("户名"), "id_number": gettext_noop("身份证号"),
    "account": gettext_noop("账号"), "bank_name": gettext_noop("开户行"), "amount_fen": gettext_noop("金额"),
    "month": gettext_noop("发放月份"), "programme": gettext_noop("救助项目"), "region_code": gettext_noop("区划代码"),
    "region_name": gettext_noop("地区"), "seq": gettext_noop("序号"), "const": "",
    "count": gettext_noop("总笔数"), "total": gettext_noop("总金额"),
}

# Return files are as long as the payroll: a county of 300,000 paying benefits (issue 15) sends
# back 300,000 rows, more than the import limit of lists and surveys (BANGFU_IMPORT_MAX_ROWS).
RETURN_MAX_ROWS = 1_000_000
RETURN_MAX_COLS = 64
RETURN_MAX_CELLS = 12_000_000
HEADER_SCAN_ROWS = 20

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# ---------------------------------------------------------------------------------------------
# The layout


@dataclass(frozen=True)
class Column:
    field: str
    title: str = ""
    format: str = ""  # amounts: yuan_2dp | fen; months: yyyy-mm | yyyymm | yyyy年m月
    value: str = ""  # the text of a const column
    width: int = 0  # fixed format: bytes in the file's encoding
    align: str = "left"  # fixed format: left | right
    pad: str = " "  # fixed format: the padding character (" " or "0")


@dataclass(frozen=True)
class ReturnSpec:
    # role → 1-based column number, or the column's title in the return file's header row, or for
    # the fixed format (start byte 1-based, width in bytes)
    columns: tuple[tuple[str, int | str | tuple[int, int]], ...]
    paid_values: tuple[str, ...]
    failed_values: tuple[str, ...] = ()
    reasons: tuple[tuple[str, str], ...] = ()  # the bank's reason code → Chinese reason
    amount_format: str = "yuan_2dp"
    skip_rows: int = 0  # leading rows that are not lines (a summary line, a title row)
    ignore_rows_starting_with: tuple[str, ...] = ()  # e.g. 合计: a total row at the end
    delimiter: str | None = None  # when the return file is split differently from the payment file
    encoding: str | None = None  # fixed-width returns: the encoding the byte positions count in (text itself is detected)

    def column(self, role: str):
        for key, where in self.columns:
            if key == role:
                return where
        return None

    def reason_for(self, code: str) -> str | None:
        for key, text in self.reasons:
            if key == code:
                return text
        return None


@dataclass(frozen=True)
class BankLayout:
    code: str
    name: str
    format: str
    columns: tuple[Column, ...]
    returns: ReturnSpec
    encoding: str = "gbk"
    delimiter: str = "|"
    quoting: str = "none"
    header_row: bool = False
    line_ending: str = "crlf"
    trailing_delimiter: bool = False
    summary: tuple[Column, ...] = ()
    summary_position: str = "first"  # first | last
    sheet_name: str = "代发明细"
    description: str = ""


def _bad(key: str, reason: str) -> ValueError:
    return ValueError(_("银行文件格式的“%(key)s”有误：%(reason)s") % {"key": key, "reason": reason})


def _choice(d: Mapping, key: str, path: str, choices, default=None):
    value = d.get(key, default)
    if value not in choices:
        raise _bad(path, _("应为%(choices)s之一，现为“%(value)s”") % {"choices": "、".join(map(str, choices)), "value": value})
    return value


def _text_value(d: Mapping, key: str, path: str, *, required: bool = False, default: str = "") -> str:
    value = d.get(key, default)
    if value is None:
        value = ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _bad(path, _("应为文字"))
    value = str(value)
    if required and not value.strip():
        raise _bad(path, _("不能为空"))
    return value


def _bool_value(d: Mapping, key: str, path: str, default: bool) -> bool:
    value = d.get(key, default)
    if not isinstance(value, bool):
        raise _bad(path, _("应为 true 或 false"))
    return value


def _check_keys(d, allowed: Iterable[str], path: str) -> None:
    if not isinstance(d, Mapping):
        raise _bad(path or "layout", _("应为键值表"))
    for key in d:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise _bad(where, _("不认识这个设置项（可能拼写有误）"))


def _column(d, path: str, fields, file_format: str) -> Column:
    _check_keys(d, ("field", "title", "format", "value", "width", "align", "pad"), path)
    fld = _choice(d, "field", f"{path}.field", fields)
    fmt = d.get("format", "")
    if fld in ("amount_fen", "total"):
        fmt = _choice(d, "format", f"{path}.format", AMOUNT_FORMATS, "yuan_2dp")
    elif fld == "month":
        fmt = _choice(d, "format", f"{path}.format", MONTH_FORMATS, "yyyy-mm")
    elif fmt:
        raise _bad(f"{path}.format", _("只有金额和月份列可以设置格式"))
    value = _text_value(d, "value", f"{path}.value")
    if fld == "const" and "value" not in d:
        raise _bad(f"{path}.value", _("固定值列需要写明固定的内容"))
    width = d.get("width", 0)
    if not isinstance(width, int) or isinstance(width, bool) or width < 0 or width > 1000:
        raise _bad(f"{path}.width", _("应为0至1000之间的整数（字节数）"))
    if file_format == "fixed" and width == 0:
        raise _bad(f"{path}.width", _("定长格式的每一列都要写明宽度（字节数）"))
    align = _choice(d, "align", f"{path}.align", ("left", "right"), "right" if fld in ("amount_fen", "total", "count", "seq") else "left")
    pad = _text_value(d, "pad", f"{path}.pad", default="0" if fld in ("amount_fen", "total", "count", "seq") else " ")
    if pad not in (" ", "0"):
        raise _bad(f"{path}.pad", _("填充字符只能是空格或0"))
    title = _text_value(d, "title", f"{path}.title", default=FIELD_TITLES.get(fld, ""))
    return Column(field=fld, title=title, format=fmt, value=value, width=width, align=align, pad=pad)


def _string_list(d, key: str, path: str, *, required: bool) -> tuple[str, ...]:
    values = d.get(key, [])
    if not isinstance(values, list | tuple) or any(not isinstance(v, str | int) or isinstance(v, bool) for v in values):
        raise _bad(path, _("应为文字列表"))
    out = tuple(_status_key(v) for v in values)
    if required and not out:
        raise _bad(path, _("不能为空"))
    return out


def _returns(d, path: str, file_format: str) -> ReturnSpec:
    _check_keys(d, ("columns", "paid", "failed", "reasons", "amount_format", "skip_rows", "ignore_rows_starting_with",
                    "delimiter", "encoding"), path)
    raw = d.get("columns")
    _check_keys(raw, RETURN_ROLES, f"{path}.columns")
    columns = []
    for role, where in raw.items():
        key = f"{path}.columns.{role}"
        if isinstance(where, bool):
            raise _bad(key, _("应为列号（从1起）或列标题"))
        if isinstance(where, int):
            if not 1 <= where <= RETURN_MAX_COLS:
                raise _bad(key, _("列号应在1至%(max)s之间") % {"max": RETURN_MAX_COLS})
        elif isinstance(where, str):
            if not where.strip():
                raise _bad(key, _("列标题不能为空"))
            where = _cell_text(where)
        elif isinstance(where, list | tuple) and len(where) == 2 and all(isinstance(x, int) and not isinstance(x, bool) and x >= 1 for x in where):
            where = (where[0], where[1])
        else:
            raise _bad(key, _("应为列号（从1起）、列标题，或定长文件的[起始字节, 宽度]"))
        columns.append((role, where))
    roles = dict(columns)
    for role in ("amount", "status"):
        if role not in roles:
            raise _bad(f"{path}.columns.{role}", _("回盘文件必须指明这一列"))
    if "line_ref" not in roles and "account" not in roles:
        raise _bad(f"{path}.columns.line_ref", _("回盘文件至少要有流水号或账号一列，才能对应到发放明细"))
    paid = _string_list(d, "paid", f"{path}.paid", required=True)
    failed = _string_list(d, "failed", f"{path}.failed", required=False)
    both = set(paid) & set(failed)
    if both:
        raise _bad(f"{path}.failed", _("“%(value)s”同时出现在成功和失败的状态中") % {"value": "、".join(sorted(both))})
    reasons_raw = d.get("reasons", {}) or {}
    if not isinstance(reasons_raw, Mapping):
        raise _bad(f"{path}.reasons", _("应为“代码: 原因”的键值表"))
    reasons = []
    for code, text in reasons_raw.items():
        if not isinstance(text, str) or not text.strip() or isinstance(code, bool):
            raise _bad(f"{path}.reasons.{code}", _("原因应为中文说明"))
        reasons.append((_status_key(code), text.strip()))
    skip = d.get("skip_rows", 0)
    if not isinstance(skip, int) or isinstance(skip, bool) or not 0 <= skip <= HEADER_SCAN_ROWS:
        raise _bad(f"{path}.skip_rows", _("应为0至%(max)s之间的整数") % {"max": HEADER_SCAN_ROWS})
    delimiter = d.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or not 1 <= len(delimiter) <= 3 or delimiter.isalnum()):
        raise _bad(f"{path}.delimiter", _("应为1至3个分隔符号"))
    encoding = d.get("encoding")
    if encoding is not None:
        encoding = _choice(d, "encoding", f"{path}.encoding", ENCODINGS)
    return ReturnSpec(
        columns=tuple(columns), paid_values=paid, failed_values=failed, reasons=tuple(reasons),
        amount_format=_choice(d, "amount_format", f"{path}.amount_format", AMOUNT_FORMATS, "yuan_2dp"),
        skip_rows=skip,
        ignore_rows_starting_with=tuple(_cell_text(v) for v in _string_list(d, "ignore_rows_starting_with", f"{path}.ignore_rows_starting_with", required=False)),
        delimiter=delimiter, encoding=encoding,
    )


def layout_from_dict(d: dict) -> BankLayout:
    """A BankLayout from its dict (banks.yaml, or a county's own stored as JSON). Raises ValueError
    with a Chinese message naming the setting that is wrong."""
    _check_keys(d, ("code", "name", "description", "format", "encoding", "delimiter", "quoting", "header_row",
                    "line_ending", "trailing_delimiter", "summary", "columns", "return", "sheet_name"), "")
    code = _text_value(d, "code", "code", required=True)
    name = _text_value(d, "name", "name", required=True)
    file_format = _choice(d, "format", "format", FORMATS)
    encoding = _choice(d, "encoding", "encoding", ENCODINGS, "gbk" if file_format != "xlsx" else "utf-8")
    delimiter = d.get("delimiter", "|")
    if not isinstance(delimiter, str) or not 1 <= len(delimiter) <= 3 or delimiter.isalnum() or _CONTROL.sub("", delimiter.replace("\t", "")) != delimiter.replace("\t", ""):
        raise _bad("delimiter", _("应为1至3个分隔符号，如“|”“,”或制表符"))
    quoting = _choice(d, "quoting", "quoting", QUOTING, "none")
    raw_columns = d.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        raise _bad("columns", _("至少要有一列"))
    columns = tuple(_column(c, f"columns[{i + 1}]", COLUMN_FIELDS, file_format) for i, c in enumerate(raw_columns))
    fields = [c.field for c in columns]
    for needed in ("account", "amount_fen"):
        if needed not in fields:
            raise _bad("columns", _("缺少“%(title)s”列") % {"title": _(FIELD_TITLES[needed])})
    if file_format == "delimited" and quoting == "none":
        for i, c in enumerate(columns):
            if delimiter in c.value or delimiter in c.title:
                raise _bad(f"columns[{i + 1}]", _("标题或固定值中含有分隔符“%(sep)s”；请改写，或把 quoting 设为 csv") % {"sep": delimiter})
    summary: tuple[Column, ...] = ()
    position = "first"
    raw_summary = d.get("summary")
    if raw_summary:
        _check_keys(raw_summary, ("position", "fields"), "summary")
        position = _choice(raw_summary, "position", "summary.position", ("first", "last"), "first")
        items = raw_summary.get("fields")
        if not isinstance(items, list) or not items:
            raise _bad("summary.fields", _("至少要有一项（如总笔数、总金额）"))
        summary = tuple(_column(c, f"summary.fields[{i + 1}]", SUMMARY_FIELDS, file_format) for i, c in enumerate(items))
    raw_return = d.get("return")
    if raw_return is None:
        raise _bad("return", _("缺少回盘文件的说明"))
    return BankLayout(
        code=code, name=name, format=file_format, columns=columns, returns=_returns(raw_return, "return", file_format),
        encoding=encoding, delimiter=delimiter, quoting=quoting,
        header_row=_bool_value(d, "header_row", "header_row", False),
        line_ending=_choice(d, "line_ending", "line_ending", tuple(LINE_ENDINGS), "crlf"),
        trailing_delimiter=_bool_value(d, "trailing_delimiter", "trailing_delimiter", False),
        summary=summary, summary_position=position,
        sheet_name=_text_value(d, "sheet_name", "sheet_name", default="代发明细")[:31] or "代发明细",
        description=_text_value(d, "description", "description"),
    )


DEFAULT_LAYOUTS_PATH = Path(__file__).with_name("banks.yaml")


def load_default_layouts() -> dict[str, dict]:
    """The example layouts of banks.yaml, code → dict (each dict carries its code), each checked
    by layout_from_dict."""
    import yaml

    raw = yaml.safe_load(DEFAULT_LAYOUTS_PATH.read_text(encoding="utf-8")) or {}
    out: dict[str, dict] = {}
    for code, d in raw.items():
        d = {"code": str(code), **d}
        layout_from_dict(d)
        out[str(code)] = d
    return out


# ---------------------------------------------------------------------------------------------
# Writing the payment file


def yuan_text(fen: int) -> str:
    """123456 → "1234.56" by integer arithmetic."""
    return f"{fen // 100}.{fen % 100:02d}"


def _month_text(month: str, fmt: str) -> str:
    year, mm = month[:4], month[5:7]
    if fmt == "yyyymm":
        return year + mm
    if fmt == "yyyy年m月":
        return f"{year}年{int(mm)}月"
    return month


def _line_error(index: int, line, message: str) -> ValueError:
    ref = line.get("line_ref") if isinstance(line, Mapping) else None
    return ValueError(_("第%(n)s笔（流水号 %(ref)s）：%(message)s") % {"n": index, "ref": ref or "-", "message": message})


class _Cells:
    """Each line's cells as text, in the layout's column order, built with as little Python per
    cell as possible (300,000 lines × 8 columns): the text fields are taken in one itemgetter
    call, checked in one regular-expression search over the row, and placed with a second
    itemgetter over (sequence, amount, month, constants…, text fields…)."""

    def __init__(self, layout: BankLayout):
        self.layout = layout
        columns = layout.columns
        self.text_keys = tuple(dict.fromkeys(c.field for c in columns if c.field in TEXT_FIELDS))
        consts = [c.value for c in columns if c.field == "const"]
        self.consts = tuple(consts)
        fixed_slots = {"seq": 0, "amount_fen": 1, "month": 2}
        order, const_i = [], 0
        for c in columns:
            if c.field in fixed_slots:
                order.append(fixed_slots[c.field])
            elif c.field == "const":
                order.append(3 + const_i)
                const_i += 1
            else:
                order.append(3 + len(consts) + self.text_keys.index(c.field))
        if len(order) > 1:
            self.pick = operator.itemgetter(*order)
        else:
            self.pick = lambda ext, _i=order[0]: (ext[_i],)
        self.get_text = (operator.itemgetter(*self.text_keys) if len(self.text_keys) > 1
                         else (lambda line, _k=self.text_keys[0]: (line[_k],)) if self.text_keys else (lambda line: ()))
        amount_col = next(c for c in columns if c.field == "amount_fen")
        self.amount_in_fen = amount_col.format == "fen"
        month_cols = [c for c in columns if c.field == "month"]
        self.month_format = month_cols[0].format if month_cols else None
        self.need_month = bool(month_cols) or any(c.field == "month" for c in layout.summary)
        self._months: dict[str, str] = {}
        forbidden = "\x00-\x1f\x7f"
        if layout.format == "delimited" and layout.quoting == "none":
            forbidden += re.escape(layout.delimiter).replace("-", r"\-").replace("]", r"\]")
        self.bad = re.compile(f"[{forbidden}]")

    def row(self, index: int, line) -> tuple[tuple[str, ...], int]:
        """(the cells, the amount in fen) of line number `index`; ValueError naming the line for
        anything the file cannot carry."""
        try:
            amount = line["amount_fen"]
            account = line["account"]
            texts = self.get_text(line)
            month = line["month"] if self.need_month else ""
        except (KeyError, TypeError):
            raise self._missing(index, line) from None
        if type(amount) is not int or not 0 < amount <= MAX_FEN:
            raise self._bad_amount(index, line, amount)
        if type(account) is not str or not account.isdigit() or not account.isascii():
            raise _line_error(index, line, _("账号“%(account)s”不是纯数字") % {"account": account})
        try:
            joined = "\ue000".join(texts)
        except TypeError:
            texts = self._texts_slow(index, line, texts)
            joined = "\ue000".join(texts)
        if self.bad.search(joined):
            raise self._bad_text(index, line, texts)
        month_text = ""
        if self.need_month:
            month_text = self._months.get(month) if type(month) is str else None
            if month_text is None:
                if not (type(month) is str and _MONTH.match(month)):
                    raise _line_error(index, line, _("发放月份“%(month)s”应写作YYYY-MM") % {"month": month})
                month_text = self._months[month] = _month_text(month, self.month_format or "yyyy-mm")
        amount_text = str(amount) if self.amount_in_fen else f"{amount // 100}.{amount % 100:02d}"
        return self.pick((str(index), amount_text, month_text, *self.consts, *texts)), amount

    def _missing(self, index: int, line) -> ValueError:
        if not isinstance(line, Mapping):
            return ValueError(_("第%(n)s笔不是发放明细") % {"n": index})
        needed = ("amount_fen", "account", *self.text_keys, *(("month",) if self.need_month else ()))
        key = next(k for k in needed if k not in line)
        return _line_error(index, line, _("缺少“%(field)s”") % {"field": _(FIELD_TITLES[key])})

    def _bad_amount(self, index: int, line, amount) -> ValueError:
        if type(amount) is not int:
            return _line_error(index, line, _("金额应为整数（分）"))
        if amount <= 0:
            return _line_error(index, line, _("金额必须大于0；应追回的款项不能作为负数写入银行文件"))
        return _line_error(index, line, _("金额过大：不能超过 %(max)s 元") % {"max": f"{MAX_FEN // 100:,}"})

    def _texts_slow(self, index: int, line, texts) -> tuple[str, ...]:
        out = []
        for key, value in zip(self.text_keys, texts, strict=True):
            if value is None:
                value = ""
            elif not isinstance(value, str):
                raise _line_error(index, line, _("“%(field)s”应为文字") % {"field": _(FIELD_TITLES[key])})
            out.append(value)
        return tuple(out)

    def _bad_text(self, index: int, line, texts) -> ValueError:
        key = next(k for k, v in zip(self.text_keys, texts, strict=True) if self.bad.search(v))
        return _line_error(index, line, _("“%(field)s”含有换行、制表符或分隔符“%(sep)s”，银行文件无法容纳")
                           % {"field": _(FIELD_TITLES[key]), "sep": self.layout.delimiter})

    def column_of(self, cells: tuple[str, ...], char: str) -> Column:
        return next((c for c, v in zip(self.layout.columns, cells, strict=True) if char in v), self.layout.columns[0])


def _summary_cells(layout: BankLayout, count: int, total: int, month: str) -> tuple[str, ...]:
    out = []
    for c in layout.summary:
        if c.field == "count":
            out.append(str(count))
        elif c.field == "total":
            out.append(str(total) if c.format == "fen" else yuan_text(total))
        elif c.field == "month":
            out.append(_month_text(month, c.format) if month else "")
        else:
            out.append(c.value)
    return tuple(out)


def write_bank_file(lines: Iterable[dict], layout: BankLayout) -> bytes:
    """The payment file for `lines` in `layout`. Each line dict has line_ref, name, id_number,
    account, bank_name, amount_fen (int), month ("YYYY-MM"), programme, region_code, region_name.
    Raises ValueError (Chinese, naming the line) for a line the file cannot carry as it is: an
    amount that is not a positive integer of fen up to MAX_FEN, an account that is not digits, a
    control character or (unquoted delimited text) the delimiter in a value, a character the
    encoding cannot hold, a value wider than its fixed-width column."""
    cells = _Cells(layout)
    rows: list[tuple[str, ...]] = []
    total = 0
    month = ""
    for index, line in enumerate(lines, start=1):
        row, amount = cells.row(index, line)
        rows.append(row)
        total += amount
        if index == 1 and cells.need_month:
            month = line["month"]
    summary = _summary_cells(layout, len(rows), total, month) if layout.summary else None
    if layout.format == "xlsx":
        return _write_xlsx(rows, summary, layout)
    if layout.format == "fixed":
        return _write_fixed(rows, summary, layout)
    return _write_delimited(rows, summary, layout, cells)


def _write_delimited(rows, summary, layout: BankLayout, cells: _Cells) -> bytes:
    end = LINE_ENDINGS[layout.line_ending]
    sep = layout.delimiter
    tail = sep if layout.trailing_delimiter else ""
    head = []
    if summary is not None and layout.summary_position == "first":
        head.append(summary)
    if layout.header_row:
        head.append(tuple(c.title for c in layout.columns))
    foot = [summary] if summary is not None and layout.summary_position == "last" else []
    if layout.quoting == "csv" and len(sep) == 1:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sep, lineterminator=tail + end, quoting=csv.QUOTE_MINIMAL)
        writer.writerows(head)
        writer.writerows(rows)
        writer.writerows(foot)
        text = buffer.getvalue()
    else:
        joined = [sep.join(r) for r in (*head, *rows, *foot)]
        text = (tail + end).join(joined) + tail + end
    try:
        return text.encode(layout.encoding)
    except UnicodeEncodeError as exc:
        raise _encoding_error(text, exc, rows, len(head), end, layout, cells) from None


def _encoding_error(text: str, exc: UnicodeEncodeError, rows, head: int, end: str, layout: BankLayout, cells: _Cells) -> ValueError:
    char = text[exc.start:exc.end]
    index = text.count(end, 0, exc.start) - head + 1
    if 1 <= index <= len(rows):
        row = rows[index - 1]
        column = cells.column_of(row, char[0])
        value = row[layout.columns.index(column)]
        return ValueError(_("第%(n)s笔（流水号 %(ref)s）：%(message)s") % {
            "n": index, "ref": _ref_of(row, layout) or "-",
            "message": _encoding_message(column, value, char, layout)})
    return ValueError(_("银行文件中有%(encoding)s编码无法表示的字“%(char)s”") % {"encoding": layout.encoding.upper(), "char": char})


def _ref_of(row: tuple[str, ...], layout: BankLayout) -> str:
    for c, v in zip(layout.columns, row, strict=True):
        if c.field == "line_ref":
            return v
    return ""


def _encoding_message(column: Column, value: str, char: str, layout: BankLayout) -> str:
    return (_("“%(field)s”“%(text)s”中的“%(char)s”无法用%(encoding)s编码写入银行文件；请与银行确认该户名的写法，"
              "或请银行改收GB18030编码的文件") % {"field": column.title or _(FIELD_TITLES.get(column.field, "")), "text": value,
                                               "char": char, "encoding": layout.encoding.upper()})


def _fixed_field(text: str, column: Column, encoding: str) -> bytes:
    raw = text.encode(encoding)
    if len(raw) > column.width:
        raise ValueError(_("“%(text)s”占%(n)s字节，超过该列的宽度%(width)s字节") % {"text": text, "n": len(raw), "width": column.width})
    padding = column.pad.encode("ascii") * (column.width - len(raw))
    return padding + raw if column.align == "right" else raw + padding


def _write_fixed(rows, summary, layout: BankLayout) -> bytes:
    """Fixed-width text: each column padded to its width in bytes of the file's encoding (a
    Chinese character is 2 bytes in GBK, 3 in UTF-8)."""
    encoding = "utf-8" if layout.encoding == "utf-8-sig" else layout.encoding
    eol = LINE_ENDINGS[layout.line_ending].encode("ascii")
    out = [b"\xef\xbb\xbf"] if layout.encoding == "utf-8-sig" else []

    def put(values, columns, index: int) -> None:
        parts = []
        for column, text in zip(columns, values, strict=True):
            try:
                parts.append(_fixed_field(text, column, encoding))
            except UnicodeEncodeError as exc:
                message = _encoding_message(column, text, text[exc.start:exc.end], layout)
                raise (ValueError(_("第%(n)s笔（流水号 %(ref)s）：%(message)s") % {"n": index, "ref": _ref_of(values, layout) or "-", "message": message})
                       if index else ValueError(message)) from None
            except ValueError as exc:
                raise (ValueError(_("第%(n)s笔（流水号 %(ref)s）：%(message)s") % {"n": index, "ref": _ref_of(values, layout) or "-", "message": exc})
                       if index else exc) from None
        out.append(b"".join(parts) + eol)

    if summary is not None and layout.summary_position == "first":
        put(summary, layout.summary, 0)
    if layout.header_row:
        put([c.title for c in layout.columns], layout.columns, 0)
    for index, row in enumerate(rows, start=1):
        put(row, layout.columns, index)
    if summary is not None and layout.summary_position == "last":
        put(summary, layout.summary, 0)
    return b"".join(out)


_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
SHEET_MEMBER = "xl/worksheets/sheet1.xml"


def _write_xlsx(rows, summary, layout: BankLayout) -> bytes:
    """An xlsx whose package (content types, workbook, styles with a text and a 0.00 number
    format, column widths) comes from xlsxwriter and whose sheet data is written here as one
    template per row: xlsxwriter spends ~10 µs a cell, 30 s for 300,000 lines × 8 columns. Ids,
    accounts and other text are inline strings in text-formatted cells (Excel keeps them as
    typed, never 6.2E+18); amounts are number cells whose value is the exact decimal text."""
    import xlsxwriter

    columns = layout.columns
    skeleton = io.BytesIO()
    book = xlsxwriter.Workbook(skeleton, {"in_memory": True})
    sheet = book.add_worksheet(layout.sheet_name)
    text_format = book.add_format({"num_format": "@"})
    money_format = book.add_format({"num_format": "0.00"})
    for i, column in enumerate(columns):
        width = 22 if column.field in ("account", "id_number", "line_ref") else 12
        sheet.set_column(i, i, width, text_format if column.field in TEXT_FIELDS else None)
    sheet.write_number(0, 0, 0, text_format)  # so that both formats get their style index
    sheet.write_number(0, 1, 0, money_format)
    book.close()
    text_s, money_s = text_format.xf_index, money_format.xf_index

    def template(cols) -> str:
        cells = []
        for i, column in enumerate(cols):
            ref = f"{column_letters(i + 1)}{{r}}"
            if column.field in ("seq", "count") or (column.field in ("amount_fen", "total") and column.format == "fen"):
                cells.append(f'<c r="{ref}"><v>{{{i}}}</v></c>')
            elif column.field in ("amount_fen", "total"):
                cells.append(f'<c r="{ref}" s="{money_s}"><v>{{{i}}}</v></c>')
            else:
                cells.append(f'<c r="{ref}" s="{text_s}" t="inlineStr"><is><t xml:space="preserve">{{{i}}}</t></is></c>')
        return '<row r="{r}">' + "".join(cells) + "</row>"

    def escaped(values) -> tuple[str, ...]:
        return tuple(v.translate(_XML_ESCAPES) for v in values)

    data_row = template(columns)
    text_row = template([Column(field="const")] * len(columns))
    summary_row = template(layout.summary) if summary is not None else ""
    chunks: list[str] = []
    r = 0
    if summary is not None and layout.summary_position == "first":
        r += 1
        chunks.append(summary_row.format(*escaped(summary), r=r))
    if layout.header_row:
        r += 1
        chunks.append(text_row.format(*escaped(tuple(c.title for c in columns)), r=r))
    # The data rows in blocks: each block is formatted as it is and kept if it holds exactly the
    # template's own < and > (a value with &, < or > adds some), else formatted again escaped.
    fmt = data_row.format
    lt, gt = data_row.count("<"), data_row.count(">")
    for i in range(0, len(rows), 5_000):
        block = rows[i:i + 5_000]
        first = r + 1
        text = "".join([fmt(*row, r=n) for n, row in enumerate(block, start=first)])
        if "&" in text or text.count("<") != lt * len(block) or text.count(">") != gt * len(block):
            text = "".join([fmt(*escaped(row), r=n) for n, row in enumerate(block, start=first)])
        chunks.append(text)
        r += len(block)
    if summary is not None and layout.summary_position == "last":
        r += 1
        chunks.append(summary_row.format(*escaped(summary), r=r))
    width = max(len(columns), len(layout.summary))
    dimension = f'<dimension ref="A1:{column_letters(width)}{max(r, 1)}"/>'.encode("ascii")

    out = io.BytesIO()
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            member = src.read(info.filename)
            if info.filename != SHEET_MEMBER:
                dst.writestr(info.filename, member)
                continue
            before, rest = member.split(b"<sheetData>", 1)
            after = rest.split(b"</sheetData>", 1)[1]
            before = re.sub(rb"<dimension ref=\"[^\"]*\"/>", dimension, before)
            with dst.open(info.filename, "w", force_zip64=True) as sheet_out:
                sheet_out.write(before + b"<sheetData>")
                for chunk in chunks:
                    try:
                        sheet_out.write(chunk.encode("utf-8"))
                    except UnicodeEncodeError:  # a lone surrogate: no character at all
                        raise ValueError(_("银行文件中有无法表示的字符，请检查户名等信息是否从别处复制了乱码")) from None
                sheet_out.write(b"</sheetData>" + after)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Reading the return file


@dataclass(frozen=True)
class ReturnRow:
    line_ref: str
    account: str
    amount_fen: int
    paid: bool
    reason_code: str
    reason: str
    row: int = 0  # the row's number in the file (1-based), for messages


@dataclass
class ReturnRead:
    rows: list[ReturnRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (row number, Chinese message); 0: the whole file

    @property
    def paid_fen(self) -> int:
        return sum(r.amount_fen for r in self.rows if r.paid)

    @property
    def failed_fen(self) -> int:
        return sum(r.amount_fen for r in self.rows if not r.paid)


def _cell_text(value) -> str:
    """A cell as text: NFKC (full-width digits and letters to ASCII), white space trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip().strip("\ufeff\u200b").strip()


def _status_key(value) -> str:
    return _cell_text(value).casefold()


class _RowProblem(Exception):
    pass


def _return_limits():
    from bangfu.common.spreadsheets import Limits

    try:
        from django.conf import settings

        unzipped = settings.BANGFU_IMPORT_MAX_UNZIPPED_BYTES
    except Exception:  # settings not configured: a pure caller (a script) gets the default
        unzipped = 256 * 1024 * 1024
    return Limits(max_rows=RETURN_MAX_ROWS, max_cols=RETURN_MAX_COLS, max_cells=RETURN_MAX_CELLS, max_uncompressed=unzipped)


def _max_file_bytes() -> int:
    try:
        from django.conf import settings

        return max(settings.BANGFU_UPLOAD_MAX_BYTES, 100 * 1024 * 1024)
    except Exception:
        return 100 * 1024 * 1024


def _decode(data: bytes) -> str:
    """Text of a return file whatever the bank saved it as: a BOM says UTF-8 or UTF-16; otherwise
    UTF-8 is tried first (GBK text with Chinese in it is almost never valid UTF-8: its trail bytes
    break UTF-8's rules), then GB18030, GBK's superset."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _text_rows(data: bytes, layout: BankLayout, limits) -> tuple[list[list], list[tuple[int, str]]]:
    """The rows of a text return file: (rows, problems). A fixed-width file keeps each line whole
    (as its bytes in the file's encoding) for slicing."""
    from bangfu.common.spreadsheets import bounded_rows

    spec = layout.returns
    if b"\x00" in data[:4096] and not data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return [], [(0, _("回盘文件不是文本文件，也不是 Excel 文件，请确认银行给的是哪个文件"))]
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        return [], [(0, _("无法识别回盘文件的编码（应为GBK、GB18030或UTF-8）"))]
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    positions = [w for _role, w in spec.columns]
    if any(isinstance(w, tuple) for w in positions):
        enc = {"utf-8-sig": "utf-8"}.get(spec.encoding or layout.encoding, spec.encoding or layout.encoding)
        rows = [[line] for line in lines]
        rows = bounded_rows(rows, limits)
        return [[_FixedLine(line, enc)] for [line] in rows], []
    sep = spec.delimiter or layout.delimiter
    if layout.quoting == "csv" and len(sep) == 1:
        reader = csv.reader(lines, delimiter=sep)
    else:
        reader = (line.split(sep) if line.isascii() else unicodedata.normalize("NFKC", line).split(sep) for line in lines)
    return bounded_rows(reader, limits), []


class _FixedLine:
    __slots__ = ("raw", "encoding")

    def __init__(self, line: str, encoding: str):
        self.raw, self.encoding = line, encoding

    def slice(self, start: int, width: int) -> str:
        data = self.raw.encode(self.encoding, errors="replace")
        return data[start - 1:start - 1 + width].decode(self.encoding, errors="replace")


def _workbook_rows(data: bytes, limits) -> tuple[list[list], list[tuple[int, str]]]:
    from python_calamine import CalamineWorkbook

    from bangfu.common.spreadsheets import SpreadsheetRefused, check_workbook

    try:
        check_workbook(data, limits)
    except SpreadsheetRefused as exc:
        return [], [(0, str(exc))]
    try:
        workbook = CalamineWorkbook.from_object(io.BytesIO(data))
    except Exception:  # calamine raises several types for a broken or foreign file
        return [], [(0, _("无法读取该文件，请确认是 Excel（.xlsx）文件且未加密、未损坏"))]
    try:
        if not workbook.sheet_names:
            return [], [(0, _("Excel 文件中没有工作表"))]
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False), []
    except Exception:
        return [], [(0, _("无法读取该文件的工作表，请另存为 .xlsx 后重试"))]
    finally:
        workbook.close()


def read_return_file(data: bytes, filename: str, layout: BankLayout) -> ReturnRead:
    """The bank's return file read with `layout`: one ReturnRow per line the bank reports, and a
    problem (row number, Chinese message) for each row that cannot be read; problems of the whole
    file are on row 0. Tolerates a BOM, GBK or UTF-8, blank lines, spaces, full-width digits,
    amounts like "1,234.50" and xlsx number cells."""
    from bangfu.common.spreadsheets import OLE_MAGIC, ZIP_MAGIC, SpreadsheetRefused

    result = ReturnRead()
    if not data:
        result.problems.append((0, _("回盘文件是空的（大小为0），请向银行重新索取")))
        return result
    if len(data) > _max_file_bytes():
        result.problems.append((0, _("回盘文件超过%(size)sMB，请确认是否选错了文件") % {"size": _max_file_bytes() // 1024 // 1024}))
        return result
    limits = _return_limits()
    try:
        if data[:4] == ZIP_MAGIC or data[:8] == OLE_MAGIC:
            rows, problems = _workbook_rows(data, limits)
        else:
            if Path(str(filename or "")).suffix.lower() in (".xlsx", ".xls", ".xlsm"):
                result.problems.append((0, _("文件名是 Excel 文件，但内容不是；请确认文件未损坏，或按银行给的原样上传")))
                return result
            rows, problems = _text_rows(data, layout, limits)
    except SpreadsheetRefused as exc:
        result.problems.append((0, str(exc)))
        return result
    except csv.Error as exc:  # a quoted csv that never closes its quote, a field past csv's limit
        result.problems.append((0, _("回盘文件的CSV格式有误：%(error)s") % {"error": exc}))
        return result
    result.problems.extend(problems)
    if problems:
        return result
    _read_rows(rows, layout.returns, result)
    return result


def _header_positions(rows: list[list], spec: ReturnSpec) -> tuple[int, dict[str, int | tuple[int, int]]] | str:
    """(index of the first data row, role → 0-based column or fixed slice), or a message."""
    titled = {role: where for role, where in spec.columns if isinstance(where, str)}
    positions: dict[str, int | tuple[int, int]] = {}
    for role, where in spec.columns:
        if isinstance(where, int):
            positions[role] = where - 1
        elif isinstance(where, tuple):
            positions[role] = where
    if not titled:
        return spec.skip_rows, positions
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if row and isinstance(row[0], _FixedLine):
            break
        cells = [_cell_text(c) for c in row]
        if all(t in cells for t in titled.values()):
            for role, title in titled.items():
                positions[role] = cells.index(title)
            return index + 1, positions
    return _("找不到回盘文件的表头：前%(n)s行中没有“%(titles)s”") % {"n": HEADER_SCAN_ROWS, "titles": "”“".join(titled.values())}


_ROLE_ORDER = ("line_ref", "account", "amount", "status", "reason")
_YUAN = re.compile(r"(\d{1,10})\.(\d\d)")


def _t(value) -> str:
    """_cell_text, with the common case (plain ASCII text) inline."""
    if type(value) is str and value.isascii():
        return value.strip()
    return _cell_text(value)


def _read_rows(rows: list[list], spec: ReturnSpec, result: ReturnRead) -> None:
    found = _header_positions(rows, spec)
    if isinstance(found, str):
        result.problems.append((0, found))
        return
    start, positions = found
    if any(isinstance(w, tuple) for w in positions.values()) and not (rows and rows[0] and isinstance(rows[0][0], _FixedLine)):
        if rows:
            result.problems.append((0, _("该银行的回盘是定长文本文件，上传的却是 Excel 文件；请上传银行给的原始文本文件")))
        return
    where = tuple(positions.get(role) for role in _ROLE_ORDER)
    ctx = _RowContext(spec, positions)
    ignore = tuple(p for p in spec.ignore_rows_starting_with if p)
    seen: dict[str, int] = {}
    # a row must reach the columns every line has; the reason (and name) may be left off the end
    # of a paid line's row by banks that do not write trailing empty cells
    needed = max((p for role, p in positions.items() if isinstance(p, int) and role not in ("reason", "name")), default=-1) + 1
    problems, out = result.problems, result.rows

    for index in range(start, len(rows)):
        number = index + 1
        row = rows[index]
        if row and isinstance(row[0], _FixedLine):
            fixed = row[0]
            if not fixed.raw.strip():
                continue
            if ignore and _cell_text(fixed.raw).startswith(ignore):
                continue
            raw = [None if w is None else fixed.slice(*w) for w in where]
        else:
            if not any(row) or (len(row) == 1 and isinstance(row[0], str) and not row[0].strip()):
                continue  # a blank row carries nothing
            if ignore and next((t for t in map(_t, row) if t), "").startswith(ignore):
                continue
            n = len(row)
            if n < needed:
                problems.append((number, _("第%(row)s行只有%(n)s列，少于回盘格式要求的%(needed)s列")
                                 % {"row": number, "n": n, "needed": needed}))
                continue
            raw = [None if w is None or w >= n else row[w] for w in where]
        try:
            read = _one_row(raw, number, ctx)
        except _RowProblem as exc:
            problems.append((number, str(exc)))
            continue
        ref = read.line_ref
        if ref:
            first = seen.get(ref)
            if first is not None:
                problems.append((number, _("第%(row)s行：流水号“%(ref)s”与第%(first)s行重复")
                                 % {"row": number, "ref": ref, "first": first}))
                continue
            seen[ref] = number
        out.append(read)


def _row_problem(number: int, message: str) -> _RowProblem:
    return _RowProblem(_("第%(row)s行：%(message)s") % {"row": number, "message": message})


class _RowContext:
    __slots__ = ("has_ref", "has_reason", "paid", "failed", "reasons", "amount_in_fen", "known")

    def __init__(self, spec: ReturnSpec, positions: dict):
        self.has_ref = "line_ref" in positions
        self.has_reason = "reason" in positions
        self.paid, self.failed = frozenset(spec.paid_values), frozenset(spec.failed_values)
        self.reasons = dict(spec.reasons)
        self.amount_in_fen = spec.amount_format == "fen"
        self.known = "、".join([*spec.paid_values, *spec.failed_values, *(() if self.has_reason else dict(spec.reasons))])


def _one_row(raw: list, number: int, ctx: _RowContext) -> ReturnRow:
    raw_ref, raw_account, raw_amount, raw_status, raw_reason = raw
    problem = functools.partial(_row_problem, number)
    line_ref = _t(raw_ref) if ctx.has_ref else ""
    if ctx.has_ref and not line_ref:
        raise problem(_("没有流水号"))
    if type(raw_account) is str and raw_account.isdigit() and raw_account.isascii():
        account = raw_account
    elif isinstance(raw_account, float) and raw_account >= 2**53:
        raise problem(_("账号被存成了数字（%(value)s），后几位已丢失；请让银行把账号列设为文本后重新导出") % {"value": f"{raw_account:.6E}"})
    else:
        account = normalise_account(_cell_text(raw_account)) if raw_account is not None else ""
        if account and not (account.isdigit() and account.isascii()):
            raise problem(_("账号“%(account)s”不是纯数字") % {"account": account})
    if not ctx.has_ref and not account:
        raise problem(_("没有账号"))
    if type(raw_amount) is str and not ctx.amount_in_fen and (m := _YUAN.fullmatch(raw_amount.strip())):
        amount_fen = int(m[1]) * 100 + int(m[2])
        if amount_fen > MAX_FEN:
            raise problem(_("金额过大：不能超过 %(max)s 元") % {"max": f"{MAX_FEN // 100:,}"})
    else:
        amount_fen = _amount(raw_amount, "fen" if ctx.amount_in_fen else "yuan_2dp", problem)
    status = _t(raw_status)
    key = status.casefold()
    if key in ctx.paid:
        return ReturnRow(line_ref, account, amount_fen, True, "", "", number)
    if key in ctx.failed:
        reason_code = _t(raw_reason) if ctx.has_reason else ""
        reason = ctx.reasons.get(reason_code.casefold(), reason_code) or _("银行未说明原因")
        return ReturnRow(line_ref, account, amount_fen, False, reason_code, reason, number)
    if not ctx.has_reason and key in ctx.reasons:
        # a bank that writes its reason code in the status column (any code but success)
        return ReturnRow(line_ref, account, amount_fen, False, status, ctx.reasons[key], number)
    raise problem(_("状态“%(status)s”无法识别（应为%(known)s之一）；请核对银行的回盘格式")
                  % {"status": status or _("空"), "known": ctx.known})


def _amount(value, fmt: str, problem) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise problem(_("没有金额"))
    if isinstance(value, bool):
        raise problem(_("金额“%(value)s”不是数字") % {"value": value})
    if isinstance(value, int | float):
        # an xlsx number cell: a double; the cents it stands for, if it stands for whole cents
        try:
            exact = Decimal(repr(float(value)))
        except (InvalidOperation, ValueError, OverflowError):
            raise problem(_("金额“%(value)s”不是数字") % {"value": value}) from None
        if not exact.is_finite():
            raise problem(_("金额“%(value)s”不是数字") % {"value": value})
        units = exact if fmt == "fen" else exact * 100
        fen = int(units.to_integral_value())
        if abs(units - fen) > Decimal("0.000001"):
            raise problem(_("金额“%(value)s”不是整分") % {"value": value})
        if fen < 0:
            raise problem(_("金额“%(value)s”不能为负数") % {"value": value})
        if fen > MAX_FEN:
            raise problem(_("金额过大：不能超过 %(max)s 元") % {"max": f"{MAX_FEN // 100:,}"})
        return fen
    text = _cell_text(value).replace("￥", "").replace("¥", "").replace(" ", "")
    if fmt == "fen":
        digits = text.replace(",", "").replace("，", "").replace("分", "")
        if not digits.isascii() or not digits.isdigit():
            raise problem(_("金额“%(value)s”应为整数（分）") % {"value": text[:24]})
        fen = int(digits[:20])
        if fen > MAX_FEN:
            raise problem(_("金额过大：不能超过 %(max)s 元") % {"max": f"{MAX_FEN // 100:,}"})
        return fen
    try:
        fen = yuan_to_fen(text)
    except InvalidAmount as exc:
        raise problem(str(exc)) from None
    if fen is None:
        raise problem(_("没有金额"))
    return fen
