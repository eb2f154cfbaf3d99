"""The engine's input tables: column names, dtypes, defaults (issue 3 "Design").

Six Polars tables feed the engine; only `households` and `persons` are required. Column names
follow the registry models (`bangfu.registry.models`) so that the DB side can build them with
`Model.objects.values(*COLUMNS)`; columns the registry does not have yet get their defaults.
Money is integer fen (Int64). `conform()` adds missing optional columns, casts, fills defaults,
and refuses unknown codes with a Chinese message naming the table, column and row id.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import polars as pl

from bangfu.common.texts import _, gettext_noop

from .. import vocab


class SchemaError(ValueError):
    """Input tables that cannot be judged; the message is Chinese and names the column."""


@dataclass(frozen=True)
class Column:
    name: str
    dtype: Any
    default: Any = None  # used when the column is missing or the value is null
    required: bool = False
    codes: tuple | None = None  # allowed values (None values are allowed when default is None)
    doc: str = ""


_SELF_CARE = [Column(c, pl.Boolean, True, doc=f"六项日常生活活动之一（特困人员认定办法）：{c}") for c in vocab.SELF_CARE_COLUMNS]

TABLES: dict[str, list[Column]] = {
    "households": [
        Column("household_id", pl.Int64, required=True, doc="家庭编号"),
        Column("region_code", pl.String, required=True, doc="12 位区划代码（村/社区），用于取参数"),
        Column("hukou_type", pl.String, "rural", codes=vocab.HUKOU_TYPES, doc="urban/rural：决定适用城市或农村低保标准"),
        Column("housing_safety", pl.String, "unknown", codes=vocab.HOUSING_SAFETY, doc="住房安全鉴定"),
        Column("local_hukou", pl.Boolean, True, doc="持有当地常住户口"),
        Column("family_planning_two_daughters", pl.Boolean, False, doc="计生二女结扎户（“弱”对象·留守妇女）"),
        Column("emergency_event", pl.String, None, codes=vocab.EMERGENCY_EVENTS, doc="急难事件类型（暂行办法 §47）"),
        Column("emergency_date", pl.Date, None, doc="急难事件发生日期"),
        Column("emergency_loss_fen", pl.Int64, 0, doc="急难事件造成的损失或急需支出（分）"),
        Column("last_review_date", pl.Date, None, doc="上次核查日期"),
    ],
    "persons": [
        Column("person_id", pl.Int64, required=True),
        Column("household_id", pl.Int64, required=True),
        Column("birth_date", pl.Date, required=True),
        Column("sex", pl.String, "M", codes=vocab.SEXES),
        Column("relation", pl.String, "other", codes=vocab.RELATIONS),
        Column("status", pl.String, "active", codes=vocab.PERSON_STATUSES, doc="非 active（死亡、迁出）的成员不计入"),
        Column("labor_capacity", pl.String, "full", codes=vocab.LABOR_CAPACITIES),
        Column("living_situation", pl.String, "with_family", codes=vocab.LIVING_SITUATIONS),
        *_SELF_CARE,
        Column("schooling_level", pl.String, "", codes=vocab.SCHOOLING_LEVELS),
        Column("enrolled", pl.Boolean, False, doc="在校"),
        Column("dropped_out", pl.Boolean, False, doc="辍学"),
        Column("major_illnesses", pl.List(pl.String), [], doc="重特大疾病代码列表"),
        Column("disability_type", pl.String, None, codes=vocab.DISABILITY_TYPES),
        Column("disability_grade", pl.Int8, None, codes=(1, 2, 3, 4)),
        Column("disability_cert_number", pl.String, None, doc="残疾证号；空为未办证"),
        Column("disability_issue_date", pl.Date, None),
        Column("disability_last_check", pl.Date, None),
        Column("disability_suspected", pl.Boolean, False, doc="疑似残疾未办证"),
        Column("is_orphan", pl.Boolean, False),
        Column("is_unsupported_child", pl.Boolean, False, doc="事实无人抚养儿童"),
        Column("has_mental_disorder", pl.Boolean, False),
        Column("religious_staff_since", pl.Date, None, doc="宗教教职人员在宗教场所居住起始日"),
        Column("supporters_checked", pl.String, "unknown", codes=vocab.SUPPORTERS_CHECKED,
               doc="户外法定赡养、抚养、扶养义务人是否已核实：unknown 未核实 / none 已核实无 / recorded 已登记（见义务人表）"),
        Column("has_supporter_outside", pl.Boolean, None,
               doc="直接给出的结论：户外有（true）或没有（false）有履行能力的法定义务人；空则按义务人表和 supporters_checked 判断"),
        Column("gugua", pl.Boolean, None, doc="孤寡（无配偶、无子女、无法定义务人）；空则按登记情况推定，无从推定的为未知"),
        Column("tekun_support_mode", pl.String, None, codes=vocab.TEKUN_SUPPORT_MODES,
               doc="特困供养方式 dispersed（分散）/ institutional（集中），由特困案件或待遇给出；空则居住于机构的为集中，其余为分散"),
    ],
    "incomes": [
        Column("household_id", pl.Int64, required=True),
        Column("person_id", pl.Int64, None, doc="空为家庭共有收入"),
        Column("kind", pl.String, required=True, codes=vocab.INCOME_KINDS),
        Column("monthly_amount_fen", pl.Int64, required=True),
        Column("valid_from", pl.Date, None, doc="含；空为不限"),
        Column("valid_to", pl.Date, None, doc="不含；空为不限"),
    ],
    "assets": [
        Column("household_id", pl.Int64, required=True),
        Column("person_id", pl.Int64, None),
        Column("kind", pl.String, required=True, codes=vocab.ASSET_KINDS),
        Column("value_fen", pl.Int64, 0),
        Column("quantity", pl.Int64, 1),
    ],
    "expenses": [
        Column("household_id", pl.Int64, required=True),
        Column("person_id", pl.Int64, None),
        Column("kind", pl.String, required=True, codes=vocab.EXPENSE_KINDS),
        Column("monthly_amount_fen", pl.Int64, required=True),
        Column("valid_from", pl.Date, None),
        Column("valid_to", pl.Date, None),
    ],
    "supporters": [
        Column("household_id", pl.Int64, required=True, doc="被扶养人所在家庭"),
        Column("person_id", pl.Int64, required=True, doc="被扶养人（本户成员）"),
        Column("relation", pl.String, "other", codes=vocab.SUPPORTER_RELATIONS, doc="义务人与被扶养人的关系"),
        Column("birth_date", pl.Date, None, doc="义务人出生日期"),
        Column("age", pl.Int64, None, doc="义务人周岁（无出生日期时）"),
        Column("on_dibao", pl.Boolean, False, doc="最低生活保障对象"),
        Column("on_tekun", pl.Boolean, False, doc="特困人员"),
        Column("income_below_disposable", pl.Boolean, False,
               doc="本人收入低于当地上年人均可支配收入，且财产符合当地低保家庭财产状况规定"),
        Column("severe_disability", pl.Boolean, False, doc="重度残疾人或三级智力、精神残疾人"),
        Column("no_civil_capacity", pl.Boolean, False, doc="无民事行为能力、被宣告失踪或在监狱服刑，且财产符合规定"),
        Column("capacity", pl.String, "", codes=vocab.SUPPORTER_CAPACITIES, doc="直接登记的履行能力：able / unable；空为按上列情形认定"),
    ],
    "categories": [
        Column("household_id", pl.Int64, required=True),
        Column("person_id", pl.Int64, None, doc="空为全户；单人保等个人类别填成员"),
        Column("code", pl.String, required=True, codes=vocab.CATEGORIES),
        Column("amount_fen", pl.Int64, None, doc="现享受的月待遇（分），如低保金"),
        Column("start_date", pl.Date, None),
        Column("end_date", pl.Date, None, doc="不含；空为仍在享受"),
    ],
}

TABLE_LABELS = {
    "households": gettext_noop("家庭"), "persons": gettext_noop("成员"), "incomes": gettext_noop("收入"), "assets": gettext_noop("财产"), "expenses": gettext_noop("刚性支出"), "categories": gettext_noop("现有类别"),
    "supporters": gettext_noop("户外法定义务人"),
}
ID_COLUMN = {"households": "household_id", "persons": "person_id"}


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema={c.name: c.dtype for c in TABLES[table]})


@dataclass(frozen=True)
class Frames:
    """The engine's input. Optional tables may be None (no rows)."""

    households: pl.DataFrame
    persons: pl.DataFrame
    incomes: pl.DataFrame | None = None
    assets: pl.DataFrame | None = None
    expenses: pl.DataFrame | None = None
    categories: pl.DataFrame | None = None
    supporters: pl.DataFrame | None = None

    def conform(self, *, check_codes: bool = True) -> "Frames":
        tables = {f.name: getattr(self, f.name) for f in fields(self)}
        try:
            return replace(self, **_conform_all(tables, check_codes))
        except (_Failed, SchemaError, pl.exceptions.PolarsError):
            pass  # some table is wrong: judge them one by one, for the first error and its message
        return replace(self, **{name: conform_table(name, frame, check_codes=check_codes) for name, frame in tables.items()})


class _Failed(Exception):
    pass


def _conform_all(tables: dict[str, pl.DataFrame | None], check_codes: bool) -> dict[str, pl.DataFrame]:
    """`conform_table` for all tables at once: two collects in all instead of three per table
    (a form judging one household at a time mostly waits on collects). Raises `_Failed` when a
    check fails, for `conform_table` to find and word the error."""
    from .expr import collect_all

    out: dict[str, pl.DataFrame] = {}
    plans: dict[str, pl.LazyFrame] = {}
    for name, frame in tables.items():
        if frame is None:
            out[name] = empty(name)
        else:
            plan = frame.lazy().select(_select_exprs(name, frame.schema))
            # ordered by household, as conform_table leaves every table
            if frame.schema["household_id"] == pl.Int64 and frame["household_id"].is_sorted():
                plans[name] = plan.with_columns(pl.col("household_id").set_sorted())
            else:
                plans[name] = plan.sort("household_id", maintain_order=True)
    conformed = dict(zip(plans, collect_all(list(plans.values()))))
    checks = {name: df.lazy().select(**_checks(name, check_codes)) for name, df in conformed.items() if df.height}
    for name, row in zip(checks, collect_all(list(checks.values()))):
        if any(row.row(0)):
            raise _Failed(name)
    out.update(conformed)
    return {name: out[name] for name in tables}


_EXPRS: dict[tuple, list[pl.Expr]] = {}
_CHECKS: dict[tuple, dict[str, pl.Expr]] = {}


def _select_exprs(table: str, schema: pl.Schema) -> list[pl.Expr]:
    """The select that casts a table to the schema (built once per input schema; expressions
    are immutable)."""
    key = (table, tuple(schema.items()))
    exprs = _EXPRS.get(key)
    if exprs is not None:
        return exprs
    label = _(TABLE_LABELS[table])
    exprs = []
    for col in TABLES[table]:
        if col.name not in schema:
            if col.required:
                raise SchemaError(_("%(label)s表缺少必填列 %(name)s") % {"label": label, "name": col.name})
            exprs.append(pl.lit(col.default, dtype=col.dtype).alias(col.name))
            continue
        source = schema[col.name]
        expr = pl.col(col.name)
        if source != col.dtype:
            if col.dtype == pl.Date and source == pl.String:
                expr = expr.str.to_date("%Y-%m-%d", strict=False)
            elif source == pl.Null:
                expr = pl.lit(None, dtype=col.dtype)
            else:
                expr = expr.cast(col.dtype, strict=True)
        if col.default is not None:
            expr = expr.fill_null(pl.lit(col.default, dtype=col.dtype))
        exprs.append(expr.alias(col.name))
    if len(_EXPRS) > 256:
        _EXPRS.clear()
    _EXPRS[key] = exprs
    return exprs


def _checks(table: str, check_codes: bool) -> dict[str, pl.Expr]:
    """One boolean per check of a conformed table (true = failed)."""
    key = (table, check_codes)
    checks = _CHECKS.get(key)
    if checks is not None:
        return checks
    checks = {}
    for col in TABLES[table]:
        if col.required:
            checks[f"null:{col.name}"] = pl.col(col.name).is_null().any()
        if check_codes and col.codes is not None:
            checks[f"code:{col.name}"] = (pl.col(col.name).is_not_null() & ~pl.col(col.name).is_in(list(col.codes))).any()
    if table == "persons":
        checks["illness"] = pl.col("major_illnesses").list.contains("").any()
    if table in ("incomes", "expenses", "assets"):
        amount = "value_fen" if table == "assets" else "monthly_amount_fen"
        checks[f"negative:{amount}"] = (pl.col(amount) < 0).any()
    if table in ID_COLUMN:
        checks["duplicate"] = pl.col(ID_COLUMN[table]).n_unique() != pl.len()
    _CHECKS[key] = checks
    return checks


def conform_table(table: str, frame: pl.DataFrame | None, *, check_codes: bool = True) -> pl.DataFrame:
    """Cast a table to the schema: add missing optional columns, fill defaults, check codes."""
    columns = TABLES[table]
    if frame is None:
        return empty(table)
    label = _(TABLE_LABELS[table])
    exprs = _select_exprs(table, frame.schema)
    try:
        out = frame.select(exprs)
    except pl.exceptions.PolarsError as exc:
        raise SchemaError(_("%(label)s表的数据类型不符：%(detail)s") % {"label": label, "detail": str(exc).splitlines()[0]}) from None
    # One pass for all checks; the failing row is looked up only when a check fails.
    checks = _checks(table, check_codes)
    failed = [k for k, v in out.select(**checks).row(0, named=True).items() if v] if checks and out.height else []
    for check in failed:
        kind, _sep, name = check.partition(":")
        if kind == "null":
            raise SchemaError(_("%(label)s表列 %(name)s 不能为空") % {"label": label, "name": name})
        if kind == "code":
            col = next(c for c in columns if c.name == name)
            row = out.filter(pl.col(name).is_not_null() & ~pl.col(name).is_in(list(col.codes))).row(0, named=True)
            key = ID_COLUMN.get(table, "household_id")
            raise SchemaError(_("%(label)s表列 %(name)s 的值“%(value)s”无效（%(key)s = %(id)s）；可用：%(codes)s") % {"label": label, "name": name, "value": row[name], "key": key, "id": row[key], "codes": ', '.join(map(str, col.codes))})
        if kind == "illness":
            raise SchemaError(_("成员表列 major_illnesses 含空的疾病代码"))
        if kind == "negative":
            raise SchemaError(_("%(label)s表列 %(name)s 不能为负数（household_id = %(household_id)s）") % {"label": label, "name": name, "household_id": out.filter(pl.col(name) < 0)['household_id'][0]})
        if kind == "duplicate":
            dup = out.filter(pl.col(ID_COLUMN[table]).is_duplicated())[ID_COLUMN[table]][0]
            raise SchemaError(_("%(label)s表编号 %(table)s = %(dup)s 重复") % {"label": label, "table": ID_COLUMN[table], "dup": dup})
    # Every table is ordered by household (a no-op when the caller already sends them so, e.g.
    # ORDER BY household_id): the engine's group_bys and joins then run as merges.
    if not out["household_id"].is_sorted():
        out = out.sort("household_id", maintain_order=True)
    return out.with_columns(pl.col("household_id").set_sorted())


# Output columns (documented in docs/policy.md, "输出").
HOUSEHOLD_OUTPUT = {
    "household_id": "家庭编号",
    "region_code": "区划代码",
    "hukou_type": "urban/rural",
    "members": "共同生活的在册成员数",
    "standard_fen": "适用的低保标准（分/人·月）",
    "income_gross_fen": "计入的家庭月收入（已剔除不计入类型，未扣刚性支出）",
    "rigid_expense_deducted_fen": "可扣减的刚性支出（按上限、叠加规则）",
    "income_counted_fen": "扣减刚性支出后的家庭月收入（不低于 0）",
    "per_capita_income_fen": "月人均收入（扣减后，向下取整到分，仅供展示；比较用精确值）",
    "assets_ok": "财产状况符合规定",
    "asset_failures": "不符合的财产项目",
    "income_below_standard": "扣减前人均收入低于标准",
    "dibao_eligible": "符合低保条件（R11，或支出型纳入低保）",
    "dibao_basis": "income / expenditure",
    "expenditure_poverty": "支出型贫困",
    "low_income": "低收入（≤ 1 倍，含）",
    "near_dibao": "低保边缘（< 1.5 倍，不符合低保）",
    "dibao_gap_fen": "差额：标准 × 人数 − 扣减后收入",
    "dibao_supplement_fen": "A/B 类增发合计",
    "dibao_amount_fen": "家庭月低保金（差额 + 增发，按参数取整）",
    "individual_dibao_fen": "本户成员单独申请（单人保）的月低保金合计",
    "dibao_total_fen": "家庭月低保金 + 单人保合计",
    "current_dibao_fen": "现享受的低保金合计（来自现有类别）",
    "dibao_change": "newly_eligible / amount_up / amount_down / unchanged / no_longer_eligible",
    "review_class": "A / B，仅低保家庭",
    "next_review_date": "下次核查日期",
    "ta_type": "临时救助类型：emergency / expenditure / both",
    "ta_need_fen": "临时救助需求（分）",
    "ta_grade": "分档序号（1 起）",
    "ta_grade_label": "分档名称",
    "ta_amount_fen": "建议临时救助金额（分）",
    "ta_township_may_approve": "乡镇（街道）可直接审批",
    "in_hardship": "困境家庭（低收入、支出型贫困或有急难、支出型临时救助情形）",
    "causes": "致困原因",
    "categories": "类别",
    "tekun_members": "符合特困人员条件、按特困供养的成员数（不计入低保家庭人口）",
    "dibao_members": "判断低保的家庭人口（在册成员数 − 特困人员数）",
    "tekun_amount_fen": "本户特困人员月供养金合计（分）",
}
PERSON_OUTPUT = {
    "person_id": "成员编号", "household_id": "家庭编号", "age": "周岁（生日当天满）",
    "own_income_fen": "本人计入收入", "dibao_level_fen": "本人低保补助水平（低保家庭）",
    "member_class": "A / B / 空：A/B类人员分类（不论是否享受低保；增发与家庭核查分类共用）",
    "supplement_class": "A / B / 空（就高；仅享受低保的成员）", "supplement_fen": "增发金额",
    "individual_eligible": "可单独申请低保", "individual_basis": "disability / mental_grade_3 / illness / religious",
    "individual_amount_fen": "单人保月低保金", "no_labor_capacity": "无劳动能力（特困认定）",
    "no_income_source": "无生活来源", "has_able_supporter": "有有履行能力的义务人",
    "supporter_unknown": "户外法定义务人未核实，特困暂不认定",
    "tekun_eligible": "符合特困人员条件", "unable_activities": "不能自理的项数",
    "care_level": "self_care / partial / full", "gugua": "孤寡（空为未知）", "special_groups": "老 / 弱 / 病 / 残",
    "flags": "跟进提示代码",
    "tekun_support_mode": "dispersed / institutional：特困供养方式（仅特困人员）",
    "tekun_basic_fen": "特困人员基本生活标准（分/月）", "tekun_care_fen": "特困人员照料护理标准（分/月）",
    "tekun_amount_fen": "特困供养金 = 基本生活 + 照料护理（分/月），非特困为 0",
}
