"""Reasons: one Chinese sentence per finding, with its numbers and the parameter it used —
the parameter's label, validity start and citation (`src_<name>` of the parameter table), e.g.

    家庭月人均收入 420.00 元，低于当地农村低保标准 650.00 元（农村低保标准，自 2025-01-01 起，依据…）

Built vectorised: each rule is a filter and a `concat_str` over the judged tables. Output columns:
household_id, person_id (null for household reasons), seq (rule order), rule, text (the finding
with its numbers) and source (the parameter, its validity and citation, or the article). The
citation is kept apart because it is the same for every household of a region: a million
households would otherwise carry a gigabyte of repeated citations. `sentence()` joins them as
"text（source）", which is what users see.
"""

from __future__ import annotations

import polars as pl

from .. import vocab
from .expr import collect, percent_text, ratio_text, yuan
from .followup import FLAGS
from .groups import RULES
from .ptable import Params

S = pl.lit


def _src(P: Params, name: str) -> pl.Expr:
    return P[f"src_{name}"]


def _std_src(P: Params) -> pl.Expr:
    return pl.when(pl.col("hukou_type") == "urban").then(_src(P, "dibao_standard_urban")).otherwise(_src(P, "dibao_standard_rural"))


def sentence() -> pl.Expr:
    """text + "（source）" — the sentence users read."""
    return pl.when(pl.col("source").is_null() | (pl.col("source") == "")).then(pl.col("text")).otherwise(
        pl.concat_str([pl.col("text"), S("（"), pl.col("source").cast(pl.String), S("）")]))


def _std_label() -> pl.Expr:
    return pl.when(pl.col("hukou_type") == "urban").then(S("城市")).otherwise(S("农村"))


def _rows(cond: pl.Expr, rule: str, text: pl.Expr, source: pl.Expr | str = "",
          person: bool = False) -> tuple[pl.Expr, list[pl.Expr]]:
    """One rule's reasons: a condition and the columns of the rows where it holds."""
    pid = pl.col("person_id") if person else pl.lit(None, pl.Int64)
    src = S(source) if isinstance(source, str) else source
    return cond, [pl.col("household_id"), pid.alias("person_id"), S(rule).alias("rule"), text.alias("text"), src.alias("source")]


def household_reasons(P: Params) -> list[tuple[pl.Expr, list[pl.Expr]]]:
    std = yuan(pl.col("standard_fen"))
    pc = yuan(pl.col("per_capita_income_fen"))
    members = pl.col("members").cast(pl.String)
    has = pl.col("has_members")
    deducted = has & (pl.col("rigid_expense_deducted_fen") > 0)
    below = pl.col("income_counted_fen") < pl.col("threshold_fen")
    compare = pl.when(below).then(S("，低于当地")).otherwise(S("，不低于当地"))
    tail = [compare, _std_label(), S("低保标准 "), std, S(" 元")]
    twice = _src(P, "rigid_expense_deductible_kinds")
    return [
        _rows(~has, "no_members", S("家庭没有在册的共同生活成员，不作判断")),
        _rows(has & ~deducted, "R11.income", pl.concat_str([S("家庭月人均收入 "), pc, S(" 元"), *tail]), _std_src(P)),
        _rows(deducted, "R11.income", pl.concat_str([
            S("家庭月收入 "), yuan(pl.col("income_gross_fen")), S(" 元，扣除医疗、残疾康复护理、教育等刚性支出 "),
            yuan(pl.col("rigid_expense_deducted_fen")), S(" 元后，月人均收入 "), pc, S(" 元"), *tail]),
            pl.concat_str([twice, S("；"), _std_src(P)])),
        _rows(has & ~pl.col("local_hukou"), "R11.hukou", S("家庭未持有当地常住户口，不符合低保条件"),
              "R11；困难群众帮扶工作方案（种子）篇三（一）"),
        _rows(has & pl.col("asset_deposit_over"), "R11.assets.deposit", pl.concat_str([
            S("家庭存款及有价证券 "), yuan(pl.col("asset_deposit_fen")), S(" 元，超过 "),
            P["asset_deposit_months_per_head"].cast(pl.String), S(" 个月 × 低保标准 "), std, S(" 元 × "), members,
            S(" 人 = "), yuan(pl.col("asset_deposit_limit_fen")), S(" 元")]), _src(P, "asset_deposit_months_per_head")),
        _rows(has & pl.col("asset_vehicle_over"), "R11.assets.vehicle", pl.concat_str([
            S("家庭拥有计价机动车 "), pl.col("asset_vehicles").cast(pl.String), S(" 辆，超过上限 "),
            P["asset_vehicle_max_count"].cast(pl.String), S(" 辆")]), _src(P, "asset_vehicle_max_count")),
        _rows(has & pl.col("asset_business_over"), "R11.assets.business", pl.concat_str([
            S("家庭拥有经营实体 "), pl.col("asset_businesses").cast(pl.String), S(" 个，超过上限 "),
            P["asset_business_max_count"].cast(pl.String), S(" 个")]), _src(P, "asset_business_max_count")),
        _rows(has & pl.col("asset_housing_over"), "R11.assets.housing", pl.concat_str([
            S("家庭拥有住房 "), pl.col("asset_housing").cast(pl.String), S(" 套，超过上限 "),
            P["asset_housing_max_count"].cast(pl.String), S(" 套")]), _src(P, "asset_housing_max_count")),
        _rows(pl.col("dibao_eligible") & (pl.col("dibao_basis") == "income"), "R11.eligible",
              S("家庭月人均收入低于低保标准，财产状况符合规定，符合低保条件"), "R11；《社会救助暂行办法》第九条"),
        _rows(pl.col("expenditure_poverty"), "R2.expenditure_poverty", pl.concat_str([
            S("扣除刚性支出前人均收入不低于低保标准、扣除后低于标准，属支出型贫困家庭"),
            pl.when(P["expenditure_poverty_joins_dibao"]).then(S("，按规定纳入低保")).otherwise(S(""))]),
            _src(P, "expenditure_poverty_joins_dibao")),
        _rows(pl.col("dibao_eligible"), "R11.amount", pl.concat_str([
            S("低保金 =（"), std, S(" − "), pc, S("）元 × "), members, S(" 人，差额 "), yuan(pl.col("dibao_gap_fen")), S(" 元"),
            pl.when(pl.col("dibao_supplement_fen") > 0).then(pl.concat_str([
                S("，另加A/B类人员增发 "), yuan(pl.col("dibao_supplement_fen")), S(" 元")])).otherwise(S("")),
            S("，按取整规则计 "), yuan(pl.col("dibao_amount_fen")), S(" 元/月")]),
            pl.concat_str([S("《社会救助暂行办法》第十二条；"), _src(P, "rounding_household_amount")])),
        _rows(has & pl.col("low_income"), "R1b.low_income", pl.concat_str([
            S("月人均收入 "), pc, S(" 元，不高于低保标准的 "), ratio_text(P["low_income_factor"]), S(" 倍（含），属低收入家庭")]),
            _src(P, "low_income_factor")),
        _rows(pl.col("near_dibao"), "near_dibao", pl.concat_str([
            S("不符合低保条件，月人均收入 "), pc, S(" 元，低于低保标准的 "), ratio_text(P["near_dibao_factor"]),
            S(" 倍，属低保边缘家庭")]), _src(P, "near_dibao_factor")),
        _rows(pl.col("review_class") == "A", "R16.review", pl.concat_str([
            S("A类家庭（生活状况相对稳定），每 "), pl.col("review_interval_months").cast(pl.String),
            S(" 个月核查一次，下次核查 "), pl.col("next_review_date").cast(pl.String)]), _src(P, "review_interval_a_months")),
        _rows(pl.col("review_class") == "B", "R16.review", pl.concat_str([
            S("B类家庭（收入来源不固定、有劳动能力成员），每 "), pl.col("review_interval_months").cast(pl.String),
            S(" 个月核查一次，下次核查 "), pl.col("next_review_date").cast(pl.String)]), _src(P, "review_interval_b_months")),
        _rows(pl.col("ta_emergency"), "TA.emergency", pl.concat_str([
            S("发生急难事件（"), pl.col("emergency_event").replace_strict(vocab.LABELS["emergency"], default="急难"),
            S("，"), pl.col("emergency_date").cast(pl.String), S("），属急难型临时救助，可先行救助、事后补办手续")]),
            _src(P, "temporary_emergency_window_days")),
        _rows(pl.col("ta_emergency") & (pl.col("emergency_loss_fen") == 0), "TA.emergency_loss_missing",
              S("急难事件未录入损失或急需支出金额，请补录后确定救助金额"), "《社会救助暂行办法》第四十七条"),
        _rows(pl.col("ta_expenditure"), "TA.expenditure", pl.concat_str([
            S("月刚性支出 "), yuan(pl.col("rigid_expense_fen")), S(" 元，超出家庭收入高于低保标准部分的 "),
            yuan(pl.col("ta_uncovered_fen")), S(" 元/月无力负担，属支出型临时救助，需求按 "),
            P["temporary_expenditure_need_months"].cast(pl.String), S(" 个月计")]), _src(P, "temporary_expenditure_need_months")),
        _rows(pl.col("ta_amount_fen").is_not_null(), "TA.amount", pl.concat_str([
            S("救助需求 "), yuan(pl.col("ta_need_fen")), S(" 元，属"), pl.col("ta_grade_label"), S("，该档最高 "),
            yuan(pl.col("ta_cap_fen")), S(" 元，建议临时救助 "), yuan(pl.col("ta_amount_fen")), S(" 元"),
            pl.when(pl.col("ta_township_may_approve")).then(S("；不超过乡镇审批限额 ")).otherwise(S("；超过乡镇审批限额 ")),
            yuan(P["temporary_township_approval_max"]),
            pl.when(pl.col("ta_township_may_approve")).then(S(" 元，乡镇（街道）可直接审批")).otherwise(S(" 元，报县级民政部门审批"))]),
            pl.concat_str([_src(P, "temporary_grades"), S("；"), _src(P, "temporary_township_approval_max")])),
    ]


INDIVIDUAL_BASIS = {
    "disability": "低保边缘家庭中持证的一、二级重度残疾人",
    "mental_grade_3": "低保边缘家庭中持证的三级智力、精神残疾人",
    "illness": "低保边缘家庭中的重特大疾病患者",
    "religious": "脱离家庭在宗教场所居住满规定年限的宗教教职人员",
}


def person_reasons(P: Params) -> list[tuple[pl.Expr, list[pl.Expr]]]:
    level = yuan(pl.col("dibao_level_fen"))
    out = [
        _rows(pl.col("dibao_eligible"), "R11.own_level", pl.concat_str([
            S("本人低保补助水平 = 低保标准 − 家庭月人均收入 = "), level, S(" 元")]), _src(P, "rounding_person_level"), True),
    ]
    for cls, name in (("A", "supplement_class_a_rate"), ("B", "supplement_class_b_rate")):
        both = pl.when(pl.col("in_both_classes")).then(S("（同时符合A类、B类条件，按就高原则只按A类增发，不重复）")).otherwise(S(""))
        out.append(_rows(pl.col("supplement_class") == cls, "R14.supplement", pl.concat_str([
            S(f"属{cls}类人员，按本人低保补助水平 "), level, S(" 元的 "), percent_text(P[name]), S(" 增发 "),
            yuan(pl.col("supplement_fen")), S(" 元"), both if cls == "A" else S("")]), _src(P, name), True))
    out.append(_rows(pl.col("individual_eligible"), "R12.individual", pl.concat_str([
        S("属"), pl.col("individual_basis").replace_strict(INDIVIDUAL_BASIS, default=""), S("，本人月收入 "),
        yuan(pl.col("own_income_fen")), S(" 元，低于低保标准 "), yuan(pl.col("standard_fen")),
        S(" 元，可单独提出申请，单人保月低保金 "), yuan(pl.col("individual_amount_fen")), S(" 元")]),
        pl.when(pl.col("individual_basis") == "religious").then(_src(P, "religious_staff_min_years"))
        .otherwise(S("R12；《最低生活保障审核确认办法》第八条")), True))
    care = pl.col("care_level").replace_strict(vocab.LABELS["care_level"], default="")
    out.append(_rows(pl.col("tekun_eligible"), "tekun.eligible", pl.concat_str([
        S("无劳动能力、无生活来源（本人月收入 "), yuan(pl.col("own_income_fen")), S(" 元，低于低保标准 "), yuan(pl.col("standard_fen")),
        S(" 元）、无有履行义务能力的法定义务人，符合特困人员条件；六项日常生活活动中 "), pl.col("unable_activities").cast(pl.String),
        S(" 项不能自理，属"), care]), "《特困人员认定办法》（民发〔2021〕43号）；《社会救助暂行办法》第十四条", True))
    missing = (
        pl.when(~pl.col("no_income_source") & pl.col("has_able_supporter")).then(S("有生活来源或财产超出规定、有有履行义务能力的法定义务人"))
        .when(~pl.col("no_income_source")).then(S("有生活来源或财产超出规定"))
        .when(pl.col("has_able_supporter")).then(S("有有履行义务能力的法定义务人"))
        .otherwise(S("不是当地常住户口"))
    )
    out.append(_rows(pl.col("no_labor_capacity") & ~pl.col("tekun_eligible"), "tekun.not_eligible",
                     pl.concat_str([S("属无劳动能力情形，但"), missing, S("，不符合特困人员条件")]),
                     "《特困人员认定办法》（民发〔2021〕43号）", True))
    for rule in RULES:
        head, _, tail = rule.who.partition("{age}")
        who = pl.concat_str([S(head), P["elderly_age_line"].cast(pl.String), S(tail)]) if "{age}" in rule.who else S(rule.who)
        out.append(_rows(pl.col(f"grp_{rule.code}"), f"R1c.{rule.code}", pl.concat_str([
            S(f"“{rule.group}”对象："), who, S("。建议："), S(rule.measure)]), rule.source, True))
    for flag in FLAGS:
        out.append(_rows(pl.col(f"flag_{flag.code}"), f"R4.{flag.code}", S(f"跟进提示：{flag.text}"), flag.source, True))
    return out


def reasons_plan(h: pl.DataFrame, p: pl.DataFrame, P: Params) -> pl.LazyFrame:
    """The reasons query (see `build_reasons`), to collect together with other queries."""
    specs_h = P.memo("reasons.household", lambda: _with_seq(household_reasons(P), 0))
    specs_p = P.memo("reasons.person", lambda: _with_seq(person_reasons(P), len(specs_h)))
    hl, pl_ = h.lazy(), p.lazy()
    parts = [hl.filter(cond).select(cols) for cond, cols in specs_h]
    parts += [pl_.filter(cond).select(cols) for cond, cols in specs_p]
    return pl.concat(parts, how="vertical")


def _with_seq(specs: list[tuple[pl.Expr, list[pl.Expr]]], start: int) -> list[tuple[pl.Expr, list[pl.Expr]]]:
    """Each rule's columns in output order, with its `seq`, built once per parameter table."""
    out = []
    for i, (cond, (hid, pid, rule, text, source)) in enumerate(specs):
        out.append((cond, [hid, pid, pl.lit(start + i, pl.Int16).alias("seq"), rule, text, source]))
    return out


def build_reasons(h: pl.DataFrame, p: pl.DataFrame, P: Params) -> pl.DataFrame:
    """All reasons. `seq` is the rule order (household rules first) for sorting one household's
    reasons; the table itself is not sorted (a million households' worth need not be)."""
    return collect(reasons_plan(h, p, P))


PERSON_SOURCES = ["rounding_person_level", "supplement_class_a_rate", "supplement_class_b_rate", "religious_staff_min_years"]


def text_columns(P: Params, frame: pl.LazyFrame, *, persons: bool = False) -> pl.LazyFrame:
    """Join the `src_` texts that differ between the batch's regions (usually only the
    standards'), and only those the reasons of that table use."""
    names = [c for c in P.table.columns if c.startswith("src_") and c not in P.constant]
    if persons:
        names = [c for c in names if c[4:] in PERSON_SOURCES]
    return P.join(frame, names) if names else frame
