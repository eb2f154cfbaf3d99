"""What users read for the engine's codes and the parameters' values (pages only).

The engine is pure and speaks codes ("expenditure", "partial", "school_not_enrolled"); the pages
show them in Chinese through Django's translation machinery. Parameter values are shown with the
labels of their codes (收入类型、刚性支出类型、住房鉴定、A/B 类条件、取整方式).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from bangfu.registry import choices as c

from . import vocab
from .engine.followup import FLAG_BY_CODE
from .parameters import ParameterDef

ENGINE = {
    "dibao_basis": {"income": _("按收入（家庭月人均收入低于标准）"), "expenditure": _("按支出型贫困（扣除刚性支出后低于标准）")},
    "dibao_change": {
        "newly_eligible": _("新纳入"), "amount_up": _("提高"), "amount_down": _("降低"), "unchanged": _("不变"),
        "no_longer_eligible": _("不再符合（停发）"),
    },
    "ta_type": {"emergency": _("急难型"), "expenditure": _("支出型"), "both": _("急难型、支出型")},
    "individual_basis": {
        "disability": _("持证一、二级重度残疾"), "mental_grade_3": _("持证三级智力、精神残疾"),
        "illness": _("患重特大疾病"), "religious": _("宗教教职人员"),
    },
    "care_level": {k: _(v) for k, v in vocab.LABELS["care_level"].items()},
    "cause": {k: _(v) for k, v in vocab.LABELS["cause"].items()},
    "category": {k: _(v) for k, v in vocab.LABELS["category"].items()},
    "asset": {"deposit": _("存款及有价证券"), "vehicle": _("机动车"), "business": _("经营实体"), "housing": _("住房")},
    "review_class": {"A": _("A类（每年核查）"), "B": _("B类（每半年核查）")},
    "supplement_class": {"A": _("A类"), "B": _("B类")},
    "flag": {code: _(flag.text) for code, flag in FLAG_BY_CODE.items()},
    # the special groups' codes are their Chinese names (老/弱/病/残)
    "group": {"老": _("老"), "弱": _("弱"), "病": _("病"), "残": _("残")},
}

_INCOME_EXTRA = {"award": _("奖励性收入"), "assistance": _("社会救助金"), "disability_allowance": _("残疾人两项补贴")}
CODE_LABELS = {
    "income_kinds": {**dict(c.IncomeKind.choices), **_INCOME_EXTRA},
    "expense_kinds": dict(c.ExpenseKind.choices),
    "housing_safety": dict(c.HousingSafety.choices),
    "supplement_criteria": {k: _(v) for k, v in vocab.SUPPLEMENT_CRITERIA.items()},
}
ROUNDING_LABELS = {
    "fen": _("四舍五入到分"), "fen_up": _("不足一分按一分计"), "jiao_half_up": _("四舍五入到角"),
    "jiao_up": _("不足一角按一角计"), "jiao_down": _("舍去角以下"), "yuan_half_up": _("四舍五入到元"),
    "yuan_up": _("不足一元按一元计"), "yuan_down": _("舍去元以下"),
}
KIND_LABELS = {
    "money": _("金额"), "ratio": _("比例/倍数"), "integer": _("整数"), "bool": _("是/否"), "codes": _("代码列表"),
    "grade_map": _("残疾等级对照"), "grades": _("分档"), "rounding": _("取整方式"),
}
DISABILITY_TYPES = dict(c.DisabilityType.choices)


def engine_label(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    return str(ENGINE.get(kind, {}).get(value, value))


def translated(definition: ParameterDef) -> ParameterDef:
    """The definition with its label, description and unit in the active language (pages only;
    the shipped texts are in the catalogue through parameter_texts.py)."""
    return replace(definition, label=gettext(definition.label), description=gettext(definition.description),
                   unit=pgettext("parameter unit", definition.unit) if definition.unit else "")


def value_text(definition: ParameterDef, value: Any) -> str:
    """A parameter value as users read it: codes and rounding modes by their Chinese labels."""
    if definition.kind == "codes" and value is not None:
        labels = CODE_LABELS.get(definition.choices or "", {})
        return gettext("、").join(str(labels.get(code, code)) for code in value) if value else str(_("（无）"))
    if definition.kind == "rounding":
        return str(ROUNDING_LABELS.get(value, value))
    if definition.kind == "grade_map" and value is not None:
        return gettext("、").join(
            str(_("%(type)s 1 级") if v == 1 else _("%(type)s 1–%(grade)s 级")) % {"type": DISABILITY_TYPES.get(k, k), "grade": v}
            for k, v in value.items())
    return definition.display(value)
