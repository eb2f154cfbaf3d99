"""Cell parsers of the survey sheet (摸底表, R3): one object per kind of column, turning what a
reader hands over (str from csv; str, float, bool, date or datetime from xlsx) into the value the
registry stores, and back again for export.

A parser is only called on a non-blank cell. It raises CellError with a Chinese reason that the
validator places after “第N行“列名”列：”.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from functools import cached_property

from django.utils import translation
from django.utils.translation import gettext as _

from bangfu.common.idnumber import IdInfo, InvalidIdNumber, parse_id_number
from bangfu.common.money import InvalidAmount, fen_to_yuan, yuan_to_fen

SEPARATORS = re.compile(r"[、,，;；/\s]+")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel keeps 15 significant digits of a number; anything longer typed into a "General" cell
# has lost its tail (an 18-digit ID number becomes 340102198005170000).
MAX_EXACT = 10**15


class CellError(ValueError):
    """A cell that cannot be read; the message is a Chinese sentence for the user."""


class LostDigits(CellError):
    """A long number stored as a number by Excel: its last digits are gone."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """The text of a cell, turning numbers Excel stored for digits (ID numbers, codes, phones)
    back into the exact digits, or refusing when Excel has already rounded them."""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= MAX_EXACT:
                raise LostDigits()
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


class Parser:
    text = False  # the column holds digits to keep as text (ID numbers, codes, phones)
    dropdown: tuple[str, ...] = ()  # values offered in the template's drop-down list
    describe = "文本"  # how the docs and the 说明 sheet describe the format
    num_format = ""  # Excel number format of the column
    repeats = True  # few distinct values (choices, dates): the reader may remember each result

    def parse(self, value):
        raise NotImplementedError

    def format(self, value):
        """The cell an export writes for `value` (None for an empty cell)."""
        if value in (None, ""):
            return None
        return str(value)


def digits_text(value) -> str:
    """cell_text for columns of digits: also refuses "3.40102E+17", which is how a CSV saved by
    Excel writes a long number it has already rounded."""
    text = cell_text(value)
    if ("E" in text or "e" in text) and SCIENTIFIC.match(text):
        raise LostDigits()
    return text


class Text(Parser):
    def __init__(self, max_length: int, *, digits: int | None = None, text: bool = False, describe: str = "",
                 repeats: bool = False) -> None:
        self.max_length = max_length
        self.repeats = repeats
        self.digits = digits
        self.text = text or digits is not None
        self.num_format = "@" if self.text else ""
        self.describe = describe or (f"{digits}位数字（文本格式）" if digits else f"文本，最多{max_length}字")

    def parse(self, value) -> str:
        text = digits_text(value) if self.text else cell_text(value)
        if self.digits is not None and not (text.isdigit() and len(text) == self.digits):
            raise CellError(_("应为%(digits)s位数字，现为“%(text)s”") % {"digits": self.digits, "text": text})
        if len(text) > self.max_length:
            raise CellError(_("不能超过%(max_length)s个字") % {"max_length": self.max_length})
        return text


class IdNumber(Parser):
    text = True
    repeats = False
    num_format = "@"
    describe = "18位（或旧式15位）公民身份号码，文本格式；末位X大小写均可"

    def parse(self, value) -> IdInfo:
        try:
            return parse_id_number(digits_text(value))
        except InvalidIdNumber as exc:
            raise CellError(str(exc)) from None


class Choice(Parser):
    """One value of a TextChoices/IntegerChoices, written by its Chinese label."""

    def __init__(self, choices, *, aliases: dict[str, object] | None = None) -> None:
        self.choices = choices
        self.aliases = aliases or {}

    @cached_property
    def _labels(self) -> dict[object, str]:
        return {value: _zh(label) for value, label in self.choices.choices}

    @cached_property
    def _lookup(self) -> dict[str, object]:
        table: dict[str, object] = {str(v): v for v in self._labels}
        table.update({label: v for v, label in self._labels.items()})
        table.update(self.aliases)
        return table

    @property
    def dropdown(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._labels.values())

    @property
    def describe(self) -> str:  # type: ignore[override]
        return "、".join(self.dropdown)

    def parse(self, value):
        lookup = self._lookup
        if value.__class__ is str and value in lookup:
            return lookup[value]
        text = cell_text(value)
        try:
            return lookup[text]
        except KeyError:
            raise CellError(_("“%(text)s”不是可选值，应为：%(dropdown)s") % {"text": text, "dropdown": _("、").join(self.dropdown)}) from None

    def format(self, value):
        if value in (None, ""):
            return None
        return self._labels.get(value, str(value))


class MultiChoice(Choice):
    """Several labels in one cell, separated by 、 (commas and semicolons are accepted too)."""

    def __init__(self, choices, *, what: str, aliases: dict[str, object] | None = None) -> None:
        super().__init__(choices, aliases=aliases)
        self.what = what

    @property
    def dropdown(self) -> tuple[str, ...]:  # type: ignore[override]
        return ()  # Excel lists hold one value; the input message lists the labels instead

    @property
    def describe(self) -> str:  # type: ignore[override]
        return "可填多项，用“、”分隔：" + "、".join(self._labels.values())

    def parse(self, value) -> list:
        result, unknown = [], []
        for part in SEPARATORS.split(cell_text(value)):
            if not part:
                continue
            code = self._lookup.get(part)
            if code is None:
                unknown.append(part)
            elif code not in result:
                result.append(code)
        if unknown:
            raise CellError(_("未知的%(what)s：%(unknown)s；可填：%(values)s") % {"what": self.what, "unknown": _("、").join(unknown), "values": _("、").join(self._labels.values())})
        return result

    def format(self, value):
        if not value:
            return None
        return "、".join(self._labels.get(v, str(v)) for v in value)


TRUE_WORDS = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓", "对"})
FALSE_WORDS = frozenset({"否", "无", "n", "no", "false", "0", "×", "x", "✗", "不是"})


class YesNo(Parser):
    dropdown = ("是", "否")
    describe = "是、否"

    def parse(self, value) -> bool:
        if value == "是":
            return True
        if value == "否":
            return False
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise CellError(_("“%(text)s”应填“是”或“否”") % {"text": text})

    def format(self, value):
        if value is None:
            return None
        return "是" if value else "否"


DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class Date(Parser):
    describe = "日期，如 2024-01-31、2024/1/31 或 20240131"
    num_format = "yyyy-mm-dd"

    def parse(self, value) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, float | int) and not isinstance(value, bool):
            number = float(value)
            if number.is_integer() and 19000101 <= number <= 29991231:
                return self._from_text(str(int(number)))
            if 1 <= number < 2958466:  # an Excel serial date in a cell without a date format
                return EXCEL_EPOCH + dt.timedelta(days=int(number))
            raise CellError(_("日期“%(value)s”无法识别，请写成 2024-01-31") % {"value": cell_text(value)})
        return self._from_text(cell_text(value))

    @staticmethod
    def _from_text(text: str) -> dt.date:
        for pattern in DATE_PATTERNS:
            m = pattern.match(text)
            if m:
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    raise CellError(_("日期“%(text)s”不存在") % {"text": text}) from None
        raise CellError(_("日期“%(text)s”无法识别，请写成 2024-01-31") % {"text": text})

    def format(self, value):
        return value or None


APOSTROPHES = "'‘’`"
MAX_COUNT = 1_000_000  # of one asset kind; the engine refuses more (policy.engine.documents)


def number_text(value) -> str:
    """The text of a number cell as other departments' files carry it: full-width digits and
    punctuation (“１，２００．５０” → “1,200.50”, NFKC), the apostrophe Excel uses to mark a number
    typed as text when an export keeps it, a currency sign and spaces."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    return text.lstrip(APOSTROPHES).replace("¥", "").replace(" ", "").strip()


class Money(Parser):
    describe = "金额（元），最多两位小数，如 1234.50"
    num_format = "0.00"

    def parse(self, value) -> int:
        if isinstance(value, bool):
            raise CellError(_("金额“%(value)s”不是数字") % {"value": cell_text(value)})
        if isinstance(value, float):
            value = repr(value)
        try:
            fen = yuan_to_fen(number_text(value))
        except InvalidAmount as exc:
            raise CellError(str(exc)) from None
        if fen is None:
            raise CellError(_("金额为空"))
        return fen

    def format(self, value):
        if value is None:
            return None
        return float(fen_to_yuan(value) or Decimal(0))


class Count(Parser):
    """A whole number of things (房产套数, 车辆数): 0 means none; the unit may follow (“2套”)."""

    num_format = "0"

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.describe = f"整数（{unit}），0 表示没有"

    def parse(self, value) -> int:
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = number_text(value).removesuffix(self.unit)
            if not re.fullmatch(r"[0-9]+", text):
                raise CellError(_("“%(text)s”应为不小于0的整数（%(unit)s），没有的填0") % {"text": cell_text(value), "unit": self.unit})
            number = int(text)
        if number < 0:
            raise CellError(_("“%(text)s”应为不小于0的整数（%(unit)s），没有的填0") % {"text": cell_text(value), "unit": self.unit})
        if number > MAX_COUNT:
            raise CellError(_("数量过大：不能超过 %(max)s") % {"max": f"{MAX_COUNT:,}"})
        return number

    def format(self, value):
        return None if value is None else int(value)
