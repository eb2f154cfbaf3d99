"""Value kinds of policy parameters: parsing, validation, display and percentage overlays.

Money is parsed from yuan ("650.00", 650) to integer fen and never passes through float;
ratios are `Decimal`. Errors are `ParameterError` with a Chinese message naming the parameter.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from bangfu.common.money import InvalidAmount, yuan_to_fen
from bangfu.common.texts import _, pgettext

from .. import vocab

KINDS = ("money", "ratio", "integer", "bool", "codes", "grade_map", "grades", "rounding")

CODE_LISTS = {
    "income_kinds": vocab.INCOME_KINDS,
    "expense_kinds": vocab.EXPENSE_KINDS,
    "housing_safety": vocab.HOUSING_SAFETY,
    "supplement_criteria": tuple(vocab.SUPPLEMENT_CRITERIA),
}


class ParameterError(ValueError):
    """A parameter definition or value is invalid; the message (in the active language) names it.
    `field` is the part of a value it is about ("region", "valid_from", "valid_to",
    "citation_document"), when not the value itself: the parameter form puts it there."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


def _decimal(name: str, raw: Any) -> Decimal:
    if isinstance(raw, float):
        # YAML turns 1.5 into a float; its shortest repr is what the author wrote.
        raw = repr(raw)
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ParameterError(_("参数 %(name)s：“%(raw)s”不是数字") % {"name": name, "raw": raw}) from None
    if not value.is_finite() or value < 0:
        raise ParameterError(_("参数 %(name)s：“%(raw)s”应为非负数") % {"name": name, "raw": raw})
    return value


def parse_value(name: str, kind: str, raw: Any, *, choices: str | None = None, nullable: bool = False) -> Any:
    """Turn a YAML/JSON/DB value into the engine's exact representation for `kind`."""
    if raw is None:
        if nullable:
            return None
        raise ParameterError(_("参数 %(name)s：缺少取值") % {"name": name})
    if kind == "money":
        if isinstance(raw, float):
            raw = repr(raw)
        try:
            fen = yuan_to_fen(raw)
        except InvalidAmount as exc:
            raise ParameterError(_("参数 %(name)s：%(exc)s") % {"name": name, "exc": exc}) from None
        if fen is None:
            if nullable:
                return None
            raise ParameterError(_("参数 %(name)s：缺少取值") % {"name": name})
        return fen
    if kind == "ratio":
        return _decimal(name, raw)
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            raise ParameterError(_("参数 %(name)s：“%(raw)s”应为整数") % {"name": name, "raw": raw})
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise ParameterError(_("参数 %(name)s：“%(raw)s”应为整数") % {"name": name, "raw": raw}) from None
        if value < 0:
            raise ParameterError(_("参数 %(name)s：“%(raw)s”应为非负整数") % {"name": name, "raw": raw})
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "1", "yes", "是"):
            return True
        if text in ("false", "0", "no", "否"):
            return False
        raise ParameterError(_("参数 %(name)s：“%(raw)s”应为 true 或 false") % {"name": name, "raw": raw})
    if kind == "codes":
        allowed = CODE_LISTS[choices or ""]
        if isinstance(raw, str):
            raw = [part.strip() for part in raw.split(",") if part.strip()]
        if not isinstance(raw, (list, tuple)):
            raise ParameterError(_("参数 %(name)s：应为代码列表") % {"name": name})
        bad = [code for code in raw if code not in allowed]
        if bad:
            raise ParameterError(_("参数 %(name)s：未知代码 %(bad)s（可用：%(allowed)s）") % {"name": name, "bad": ', '.join(map(str, bad)), "allowed": ', '.join(allowed)})
        return tuple(dict.fromkeys(raw))
    if kind == "grade_map":
        if not isinstance(raw, dict):
            raise ParameterError(_("参数 %(name)s：应为“残疾类别: 最低等级”的映射") % {"name": name})
        out = {}
        for key, grade in raw.items():
            if key not in vocab.DISABILITY_TYPES:
                raise ParameterError(_("参数 %(name)s：未知残疾类别 %(key)s") % {"name": name, "key": key})
            if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
                raise ParameterError(_("参数 %(name)s：%(key)s 的等级应为 1–4") % {"name": name, "key": key})
            out[key] = grade
        return dict(sorted(out.items()))
    if kind == "grades":
        if not isinstance(raw, (list, tuple)) or not raw:
            raise ParameterError(_("参数 %(name)s：应为非空的分档列表") % {"name": name})
        grades = []
        for i, item in enumerate(raw, 1):
            if not isinstance(item, dict) or not {"label", "min_need_multiple", "max_amount_multiple"} <= set(item):
                raise ParameterError(_("参数 %(name)s：第 %(i)s 档应有 label、min_need_multiple、max_amount_multiple") % {"name": name, "i": i})
            grades.append({
                "label": str(item["label"]),
                "min_need_multiple": _decimal(name, item["min_need_multiple"]),
                "max_amount_multiple": _decimal(name, item["max_amount_multiple"]),
            })
        mins = [g["min_need_multiple"] for g in grades]
        if mins != sorted(mins) or len(set(mins)) != len(mins) or mins[0] != 0:
            raise ParameterError(_("参数 %(name)s：各档起点应从 0 开始严格递增") % {"name": name})
        return tuple(grades)
    if kind == "rounding":
        if raw not in vocab.ROUNDING_MODES:
            raise ParameterError(_("参数 %(name)s：未知取整方式 %(raw)s（可用：%(modes)s）") % {"name": name, "raw": raw, "modes": ', '.join(vocab.ROUNDING_MODES)})
        return raw
    raise ParameterError(_("参数 %(name)s：未知类型 %(kind)s") % {"name": name, "kind": kind})


def dump_value(kind: str, value: Any) -> Any:
    """The inverse of `parse_value`: a JSON/YAML-friendly value (money back to a yuan string)."""
    if value is None:
        return None
    if kind == "money":
        return f"{Decimal(value) / 100:.2f}"
    if kind == "ratio":
        return str(value)
    if kind == "codes":
        return list(value)
    if kind == "grades":
        return [{"label": g["label"], "min_need_multiple": str(g["min_need_multiple"]),
                 "max_amount_multiple": str(g["max_amount_multiple"])} for g in value]
    return value


def display_value(kind: str, value: Any, unit: str = "") -> str:
    """How a value reads in a reason or in docs/policy.md."""
    if value is None:
        return _("不设上限") if kind == "money" else "—"
    if kind == "money":
        return _("%(amount)s 元") % {"amount": f"{Decimal(value) / 100:.2f}"}
    if kind == "ratio":
        if unit == "%":
            return f"{(value * 100).normalize():f}%"
        return f"{value.normalize():f}{(' ' + pgettext('parameter unit', unit)) if unit else ''}"
    if kind == "integer":
        return f"{value}{(' ' + pgettext('parameter unit', unit)) if unit else ''}"
    if kind == "bool":
        return _("是") if value else _("否")
    if kind == "codes":
        return _("、").join(value) if value else _("（无）")
    if kind == "grade_map":
        return _("、").join(_("%(type)s≤%(grade)s级") % {"type": k, "grade": v} for k, v in value.items())
    if kind == "grades":
        return _("；").join(
            _("%(label)s：需求≥%(min)s倍标准，最高%(max)s倍") % {
                "label": _(g["label"]), "min": f"{g['min_need_multiple'].normalize():f}",
                "max": f"{g['max_amount_multiple'].normalize():f}"}
            for g in value)
    return str(value)


def apply_percent(name: str, kind: str, value: Any, percent: Decimal) -> Any:
    """An overlay of "+N%" / "-N%" on one value (simulation reforms)."""
    if value is None:
        return None
    factor = 1 + percent / 100
    if factor < 0:
        raise ParameterError(_("参数 %(name)s：调整后为负数") % {"name": name})
    if kind == "money":
        return int((Decimal(value) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if kind == "ratio":
        return value * factor
    if kind == "integer":
        return int((Decimal(value) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    raise ParameterError(_("参数 %(name)s：类型 %(kind)s 不能按百分比调整") % {"name": name, "kind": kind})
