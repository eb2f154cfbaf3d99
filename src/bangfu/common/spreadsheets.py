"""Checks on an uploaded spreadsheet BEFORE python-calamine reads it (issue 13 "bad files").

calamine builds every sheet as one dense grid from A1 to the last used cell, and reads the shared
strings whole when the workbook opens: a 1.8 KB xlsx whose only cells are A1 and CV400000 costs
2 GB, a zip holding one 50 MB shared string 224 MB. So an .xlsx is inspected here first, without
building anything per cell:

- the zip members are decompressed as a stream (our own zlib reader, so a member that declares a
  small size but inflates to more is counted as it really is), their total bounded
  (`Limits.max_uncompressed`) and each member's expansion ratio bounded (a zip bomb is refused
  after its first megabyte);
- the worksheets' XML is scanned for the cell positions (`r="CV400000"`, or the position a cell
  without one takes), so the grid calamine would build (last row × last column, counted from A1)
  is known and bounded by rows, columns and cells.

`check_workbook(data, limits)` raises `SpreadsheetRefused` (a Chinese message for the user); each
reader turns it into its own DomainError. An .xls (the old binary format) is not inspected: its
grid is bounded by the format itself (65,536 × 256) and its upload by the file size.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.utils.translation import gettext as _

CHUNK = 1 << 20
RATIO_FLOOR = 1 << 20  # the ratio is only judged once a member has inflated past 1 MB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_SHEET_MEMBER = re.compile(r"^xl/(?:worksheets|macrosheets|dialogsheets)/[^/]+\.xml$", re.IGNORECASE)
# a <row …> or <c …> start tag (with any namespace prefix) and its r attribute when it has one
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{0,3})(\d{0,7})["']""")
# the bulk path: unprefixed cells and rows whose first attribute is r (as Excel, WPS, openpyxl and
# xlsxwriter write them); anything else is followed tag by tag
_CELL_COL = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_ROW_R = re.compile(rb'<row r="([0-9]{1,7})"')


class SpreadsheetRefused(Exception):
    """The file is refused before it is parsed; str() is the message for the user."""


@dataclass(frozen=True)
class Limits:
    max_rows: int  # rows of the grid, counted from row 1 (the header included)
    max_cols: int  # columns of the grid, counted from column A
    max_cells: int = 5_000_000  # rows × columns of the grid calamine builds
    max_uncompressed: int = 256 * 1024 * 1024  # all zip members, inflated
    max_ratio: int = 200  # inflated / compressed, per member past RATIO_FLOOR


@dataclass
class Grid:
    rows: int = 0
    cols: int = 0


def column_letters(n: int) -> str:
    """1 → A, 100 → CV."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def source_bytes(source) -> bytes:
    """The bytes of an uploaded file, a stored file or a path (uploads and storage files are not all
    the plain binary files calamine expects, so every reader hands over bytes)."""
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def check_upload_size(size: int | None, max_bytes: int) -> None:
    if size is not None and size > max_bytes:
        raise SpreadsheetRefused(_("文件大小为%(size)s，超过上限%(limit)s；请按地区拆分后分批导入")
                                 % {"size": megabytes(size), "limit": megabytes(max_bytes)})


def megabytes(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB" if n < 10 * 1024 * 1024 else f"{n // 1024 // 1024} MB"


def check_workbook(data: bytes, limits: Limits) -> dict[str, Grid]:
    """Refuse `data` (the whole file) if reading it would cost more than `limits` allow. Returns
    the grid of each worksheet member (for tests and the benchmark). A file that is neither a zip
    nor an .xls is left to calamine, which refuses it."""
    if data[:4] != ZIP_MAGIC:
        return {}
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise SpreadsheetRefused(_("无法读取该文件，请确认是 Excel（.xlsx）文件且未加密、未损坏")) from None
    names = {m.filename.lower() for m in members}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise SpreadsheetRefused(_("不支持 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后重新上传"))
        raise SpreadsheetRefused(_("该文件不是 Excel（.xlsx）文件，请另存为 .xlsx 后重新上传"))
    grids: dict[str, Grid] = {}
    total = 0
    for member in members:
        is_sheet = bool(_SHEET_MEMBER.match(member.filename))
        scanner = _GridScanner() if is_sheet else None
        inflated = 0
        for chunk in _inflate(data, member):
            inflated += len(chunk)
            total += len(chunk)
            if total > limits.max_uncompressed:
                raise SpreadsheetRefused(_("文件解压后超过%(limit)s，请按地区拆分后分批导入") % {"limit": megabytes(limits.max_uncompressed)})
            if inflated > RATIO_FLOOR and inflated > limits.max_ratio * max(member.compress_size, 1):
                raise SpreadsheetRefused(_("文件压缩比异常（解压后是压缩前的%(ratio)s倍以上），不像是正常的名单或调查表，已拒绝")
                                         % {"ratio": limits.max_ratio})
            if scanner is not None:
                scanner.feed(chunk)
                _check_grid(scanner.grid, limits)
        if scanner is not None:
            scanner.close()
            _check_grid(scanner.grid, limits)
            grids[member.filename] = scanner.grid
    return grids


def _check_grid(grid: Grid, limits: Limits) -> None:
    if grid.rows > limits.max_rows:
        raise SpreadsheetRefused(_("工作表有%(rows)s行（含空行），超过上限%(limit)s行；请删除多余的行，或按地区拆分后分批导入")
                                 % {"rows": grid.rows, "limit": limits.max_rows})
    if grid.cols > limits.max_cols:
        raise SpreadsheetRefused(_("工作表用到了第%(col)s列（%(letters)s列），超过上限%(limit)s列；请删除模板以外的列")
                                 % {"col": grid.cols, "letters": column_letters(grid.cols), "limit": limits.max_cols})
    if grid.rows * grid.cols > limits.max_cells:
        raise SpreadsheetRefused(_("工作表的范围（%(rows)s行 × %(cols)s列）过大；请删除远处的空单元格或多余的行列后重新上传")
                                 % {"rows": grid.rows, "cols": grid.cols})


def _inflate(data: bytes, member: zipfile.ZipInfo):
    """The member's bytes as they really inflate, in chunks of at most CHUNK (not trusting the
    sizes the archive declares)."""
    offset = member.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != ZIP_MAGIC:
        raise SpreadsheetRefused(_("无法读取该文件，请确认是 Excel（.xlsx）文件且未加密、未损坏"))
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_len + extra_len
    raw = memoryview(data)[start:start + member.compress_size]
    if member.flag_bits & 0x1:
        raise SpreadsheetRefused(_("文件已加密，请取消密码后重新上传"))
    if member.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), CHUNK):
            yield bytes(raw[i:i + CHUNK])
        return
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise SpreadsheetRefused(_("无法读取该文件（不支持的压缩方式），请用 Excel 或 WPS 另存为 .xlsx 后重新上传"))
    inflater = zlib.decompressobj(-15)
    try:
        for i in range(0, len(raw), CHUNK // 4):
            pending = bytes(raw[i:i + CHUNK // 4])
            while pending:
                out = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
            if inflater.eof:
                return
        while not inflater.eof:
            out = inflater.decompress(b"", CHUNK)
            if not out:
                break
            yield out
    except zlib.error:
        raise SpreadsheetRefused(_("无法读取该文件，请确认是 Excel（.xlsx）文件且未加密、未损坏")) from None


class _GridScanner:
    """Follows the row and cell start tags of a worksheet's XML the way calamine places cells:
    a cell's r attribute when it has one, else the next column of the current row (a row's r,
    else the next row)."""

    def __init__(self):
        self.grid = Grid()
        self._tail = b""
        self._row = 0  # 1-based current row
        self._col = 0  # 1-based last column placed in the current row

    def feed(self, chunk: bytes) -> None:
        text = self._tail + chunk
        cut = text.rfind(b"<")
        if cut == -1:
            self._tail = b""
            return
        end = text.find(b">", cut)
        if end != -1:  # the last tag is complete
            body, self._tail = text, b""
        else:
            body, self._tail = text[:cut], text[cut:]
            if len(self._tail) > CHUNK:  # a start tag longer than a megabyte is no worksheet
                raise SpreadsheetRefused(_("无法读取该文件，请确认是 Excel（.xlsx）文件且未加密、未损坏"))
        self._scan(body)

    def close(self) -> None:
        if self._tail:
            self._scan(self._tail)
            self._tail = b""

    def _scan(self, body: bytes) -> None:
        """Cells and rows that carry their position are read in bulk (C-level regex work and a
        set of distinct values); a chunk with a cell or row without one is followed tag by tag."""
        if b":c " not in body and b":row" not in body:
            letters = _CELL_COL.findall(body)
            rows = _ROW_R.findall(body)
            n_cells = body.count(b"<c ") + body.count(b"<c>") + body.count(b"<c/>")
            n_rows = body.count(b"<row ") + body.count(b"<row>") + body.count(b"<row/>")
            if len(letters) == n_cells and len(rows) == n_rows:
                grid = self.grid
                if letters:
                    widest = max(set(letters), key=lambda s: (len(s), s))
                    grid.cols = max(grid.cols, _column_number(widest))
                    grid.rows = max(grid.rows, max(map(int, set(_CELL_ROW.findall(body)))))
                    self._col = _column_number(letters[-1])
                if rows:
                    grid.rows = max(grid.rows, max(map(int, set(rows))))
                self._row = max(self._row, grid.rows)
                return
        self._walk(body)

    def _walk(self, body: bytes) -> None:
        grid = self.grid
        row, col = self._row, max(self._col, 0)
        max_rows, max_cols = grid.rows, grid.cols
        for tag, attrs in _TAG.findall(body):
            found = _R_ATTR.search(attrs) if b"r" in attrs else None
            if tag == b"row":
                row = int(found.group(2)) if found and found.group(2) else row + 1
                col = 0
            else:
                if found and found.group(1) and found.group(2):
                    col = _column_number(found.group(1))
                    row = int(found.group(2))
                else:
                    col += 1
                    row = max(row, 1)
                if col > max_cols:
                    max_cols = col
            if row > max_rows:
                max_rows = row
        self._row, self._col = row, col
        grid.rows, grid.cols = max_rows, max_cols


def import_limits(*, max_cols: int, full_width: int) -> Limits:
    """The deployment's limits (settings BANGFU_IMPORT_MAX_ROWS, BANGFU_IMPORT_MAX_UNZIPPED_BYTES)
    with the reader's own bounds: `max_cols` for any row, and a grid no larger than the most rows
    at `full_width` columns (the template's columns and a few more)."""
    from django.conf import settings

    max_rows = settings.BANGFU_IMPORT_MAX_ROWS
    return Limits(max_rows=max_rows, max_cols=max_cols, max_cells=max_rows * full_width,
                  max_uncompressed=settings.BANGFU_IMPORT_MAX_UNZIPPED_BYTES)


def bounded_rows(rows, limits: Limits) -> list[list]:
    """The rows of a csv reader, refused as soon as there are more rows or columns than `limits`
    allow (a csv of line breaks alone would otherwise make millions of empty rows)."""
    out = []
    for row in rows:
        if len(row) > limits.max_cols:
            raise SpreadsheetRefused(_("第%(row)s行有%(cols)s列，超过上限%(limit)s列；请删除模板以外的列")
                                     % {"row": len(out) + 1, "cols": len(row), "limit": limits.max_cols})
        out.append(row)
        if len(out) > limits.max_rows:
            raise SpreadsheetRefused(_("表格超过%(limit)s行；请删除多余的行，或按地区拆分后分批导入") % {"limit": limits.max_rows})
    return out


# ----------------------------------------------------------------------------- writing a filed table


def write_filing_table(book, sheet_name: str, *, title: str, subtitle: str, row_header: str, groups: list[tuple[str, int]],
                       headers: list[tuple[str, str]], rows: list[tuple[str, list]], note: str = "") -> None:
    """One sheet of a statistical table as it is filed upward: a title row (region and month), a
    subtitle row, a row of grouped headers (each spanning its columns), a row of column headers
    with their unit (户, 人, 元) on a line of their own, then the rows — a label and its values,
    numbers written as numbers (a Decimal as a number with two decimals, a str as text, None blank).
    The first column is the rows' label; `groups` and `headers` describe the columns after it."""
    sheet = book.add_worksheet(sheet_name[:31])
    width = 1 + len(headers)
    title_f = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    sub_f = book.add_format({"align": "left"})
    head_f = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1, "align": "center", "valign": "vcenter",
                              "text_wrap": True})
    num_f = book.add_format({"border": 1, "num_format": "#,##0"})
    money_f = book.add_format({"border": 1, "num_format": "#,##0.00"})
    text_f = book.add_format({"border": 1})
    if width > 1:
        sheet.merge_range(0, 0, 0, width - 1, title, title_f)
    else:
        sheet.write_string(0, 0, title, title_f)
    sheet.write_string(1, 0, subtitle, sub_f)
    sheet.merge_range(2, 0, 3, 0, row_header, head_f)
    col = 1
    for label, span in groups:
        if span > 1:
            sheet.merge_range(2, col, 2, col + span - 1, label, head_f)
        else:
            sheet.write_string(2, col, label, head_f)
        col += span
    for i, (label, unit) in enumerate(headers, start=1):
        sheet.write_string(3, i, f"{label}\n{unit}" if unit else label, head_f)
    sheet.set_row(3, 32)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, width - 1, 11)
    for r, (label, values) in enumerate(rows, start=4):
        sheet.write_string(r, 0, label, text_f)
        for c, value in enumerate(values, start=1):
            if value is None:
                sheet.write_blank(r, c, None, text_f)
            elif isinstance(value, str):
                sheet.write_string(r, c, value, text_f)
            elif isinstance(value, int):
                sheet.write_number(r, c, value, num_f)
            else:
                sheet.write_number(r, c, float(value), money_f)
    if note:
        sheet.write_string(4 + len(rows) + 1, 0, note)
    sheet.freeze_panes(4, 1)
