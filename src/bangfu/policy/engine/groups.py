"""The four special groups 老/弱/病/残 (R1c, seed 篇一/篇五 一、3) with their recommended
measures, and the causes and categories files are kept by (R3, 篇五 三、1（2）).

Each seed rule is one `GroupRule`: a condition on a person (with their household's columns)
and the measure the seed recommends, in the seed's words. Definitions used by the conditions:

- 孤寡 (`gugua`): recorded, or presumed from recorded facts (person.gugua); it may be unknown.
  The 孤寡 rule fires only when 孤寡 is known (a follow-up asks to verify it otherwise); the
  rules for elderly people "other than 孤寡" fire unless 孤寡 is known.
- 无稳定收入: own counted income below the dibao standard.
- 失能: at least `care_partial_min_unable` of the six activities cannot be done alone.
- 困境 household (`in_hardship`): low income (≤ 1×, R1b), expenditure poverty, or a case for
  temporary assistance (emergency or expenditure type).
- 低保: judged eligible now, or currently receiving (category dibao).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import polars as pl

from bangfu.common.texts import _, language
from bangfu.common.texts import gettext_noop
from .expr import code_list
from .ptable import Params


@dataclass(frozen=True)
class GroupRule:
    code: str
    group: str  # 老 / 弱 / 病 / 残
    who: str  # "{age}" is replaced by the elderly age line
    measure: str
    condition: Callable[[Params], pl.Expr]
    source: str


def _elderly(P: Params) -> pl.Expr:
    return pl.col("age") >= P["elderly_age_line"]


def _child(P: Params) -> pl.Expr:
    return pl.col("minor")


def _rural_left_behind() -> pl.Expr:
    return (pl.col("hukou_type") == "rural") & (pl.col("living_situation") == "left_behind")


def _dibao_or_poor() -> pl.Expr:
    return pl.col("dibao_any") | pl.col("registered_poor")


def _not_gugua() -> pl.Expr:
    """Not known to be 孤寡 (unknown counts here: these rules recommend services and temporary
    assistance, not the 孤寡 measure)."""
    return ~pl.col("gugua").fill_null(False)


def _orphan() -> pl.Expr:
    return pl.col("is_orphan") | pl.col("is_unsupported_child")


def _left_behind_woman(P: Params) -> pl.Expr:
    return ((pl.col("sex") == "F") & ~pl.col("minor") & _rural_left_behind() & pl.col("family_planning_two_daughters"))


SEED_1 = gettext_noop("困难群众帮扶工作方案篇一、篇五 一、3（1）")
SEED_2 = gettext_noop("困难群众帮扶工作方案篇一、篇五 一、3（2）")
SEED_3 = gettext_noop("困难群众帮扶工作方案篇一、篇五 一、3（3）")
SEED_5 = gettext_noop("困难群众帮扶工作方案篇一、篇五 一、3（5）")

RULES: tuple[GroupRule, ...] = (
    GroupRule("elderly_alone_gugua", gettext_noop("老"), gettext_noop("{age}岁以上独居、无稳定收入的孤寡老人"), gettext_noop("纳入特困人员集中供养"),
              lambda P: _elderly(P) & (pl.col("living_situation") == "alone") & pl.col("gugua").fill_null(False) & pl.col("no_stable_income"),
              SEED_1),
    GroupRule("elderly_incapacitated", gettext_noop("老"), gettext_noop("{age}岁以上失能老人（孤寡之外）"), gettext_noop("享受失能社会化服务补贴，加强居家服务"),
              lambda P: _elderly(P) & (pl.col("care_level") != "self_care") & _not_gugua(), SEED_1),
    GroupRule("elderly_hardship", gettext_noop("老"), gettext_noop("{age}岁以上困境老人（孤寡之外）"), gettext_noop("因病因灾的予以临时救助；符合低保条件的，纳入低保"),
              lambda P: _elderly(P) & pl.col("in_hardship") & _not_gugua(), SEED_1),
    GroupRule("elderly_left_behind", gettext_noop("老"), gettext_noop("{age}岁以上留守老人（建档立卡或困境）"), gettext_noop("纳入低保；因病有刚性支出的，予以临时救助"),
              lambda P: _elderly(P) & (pl.col("living_situation") == "left_behind") & (pl.col("registered_poor") | pl.col("in_hardship")),
              SEED_1),
    GroupRule("child_orphan", gettext_noop("弱"), gettext_noop("孤儿和事实无人抚养儿童"), gettext_noop("纳入低保、特困人员供养和孤儿政策救助"),
              lambda P: _child(P) & _orphan(), SEED_2),
    GroupRule("child_in_difficulty", gettext_noop("弱"), gettext_noop("困境儿童"), gettext_noop("纳入低保或视家庭情况予以临时救助，确保不因病因灾因困失学"),
              lambda P: _child(P) & ~_orphan() & (pl.col("in_hardship") | pl.col("dibao_any") | pl.col("major_illness")
                                                  | pl.col("disability_grade").is_not_null()), SEED_2),
    GroupRule("child_left_behind_supported", gettext_noop("弱"), gettext_noop("农村留守儿童（低保或建档立卡家庭）"), gettext_noop("通过教育部门享受寄宿生营养餐和生活补贴"),
              lambda P: _child(P) & _rural_left_behind() & _dibao_or_poor(), SEED_2),
    GroupRule("child_left_behind_other", gettext_noop("弱"), gettext_noop("其他困难农村留守儿童"), gettext_noop("予以临时救助"),
              lambda P: _child(P) & _rural_left_behind() & ~_dibao_or_poor() & pl.col("in_hardship"), SEED_2),
    GroupRule("woman_left_behind", gettext_noop("弱"), gettext_noop("农村留守妇女（计生二女结扎户，人均收入在低保标准1倍以内（含）、财产符合规定）"), gettext_noop("纳入低保"),
              lambda P: _left_behind_woman(P) & pl.col("low_income"), SEED_2),
    GroupRule("woman_left_behind_illness", gettext_noop("弱"), gettext_noop("农村留守妇女（计生二女结扎户，大病支出型贫困）"), gettext_noop("纳入低保并予以临时救助"),
              lambda P: _left_behind_woman(P) & pl.col("expenditure_poverty") & pl.col("any_major_illness"), SEED_2),
    GroupRule("ill_lost_capacity", gettext_noop("病"), gettext_noop("因大病重病丧失劳动能力的人员"), gettext_noop("按照支出型贫困家庭纳入低保"),
              lambda P: pl.col("major_illness") & pl.col("no_labor"), SEED_3),
    GroupRule("ill_high_cost", gettext_noop("病"), gettext_noop("医疗费自费超额的重病患者"), gettext_noop("医疗费自费超额部分，通过临时救助和县爱心扶贫基金两个途径救助"),
              lambda P: pl.col("major_illness") & (pl.col("exp_medical") > P["medical_expense_threshold"]), SEED_3),
    GroupRule("disabled_severe", gettext_noop("残"), gettext_noop("重度残疾人（含精神、智力三级残疾）"), gettext_noop("按照支出型贫困家庭纳入低保；有因病刚性支出的，予以临时救助"),
              lambda P: pl.col("severe_disability") | pl.col("intellectual_mental_grade_3"), SEED_5),
    GroupRule("disabled_other", gettext_noop("残"), gettext_noop("其他残疾人"), gettext_noop("家庭困难符合低保条件的，应保尽保；因病因灾有刚性支出的，予以临时救助"),
              lambda P: pl.col("disability_grade").is_not_null() & ~pl.col("severe_disability") & ~pl.col("intellectual_mental_grade_3"),
              SEED_5),
)
RULE_BY_CODE = {r.code: r for r in RULES}
GROUP_ORDER = ("老", "弱", "病", "残")


def prepare(p: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """The derived person facts the group conditions read."""
    return p.with_columns(
        no_stable_income=pl.col("own_income_fen") < pl.col("standard_fen"),
        dibao_any=pl.col("dibao_eligible") | pl.col("current_dibao") | pl.col("individual_eligible"),
    )


def classify(p: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """One boolean column `grp_<code>` per rule and the list of groups `special_groups`."""
    p = p.with_columns([rule.condition(P).fill_null(False).alias(f"grp_{rule.code}") for rule in RULES])
    per_group = [(group, pl.any_horizontal([pl.col(f"grp_{r.code}") for r in RULES if r.group == group])) for group in GROUP_ORDER]
    return p.with_columns(special_groups=code_list(per_group))


def group_rows(p: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """Long table: household_id, person_id, group, rule, who, measure, source."""
    rows = P.memo(f"groups.rows.{language()}", lambda: _group_row_exprs(P))
    return pl.concat([p.filter(cond).select(cols) for cond, cols in rows], how="vertical")


def who_text(rule: GroupRule, P: Params) -> pl.Expr:
    """Who the rule is about, in the active language, with the elderly age line put in."""
    who = _(rule.who)
    head, found, tail = who.partition("{age}")
    return pl.concat_str([pl.lit(head), P["elderly_age_line"].cast(pl.String), pl.lit(tail)]) if found else pl.lit(who)


def _group_row_exprs(P: Params) -> list[tuple[pl.Expr, list]]:
    """The rows' texts in the active language; `group` stays the group's code (老/弱/病/残),
    which the pages label."""
    out = []
    for rule in RULES:
        out.append((pl.col(f"grp_{rule.code}"), [
            "household_id", "person_id", pl.lit(rule.group).alias("group"), pl.lit(rule.code).alias("rule"),
            who_text(rule, P).alias("who"), pl.lit(_(rule.measure)).alias("measure"), pl.lit(_(rule.source)).alias("source"),
        ]))
    return out


def causes(h: pl.LazyFrame) -> pl.Expr:
    """R3 causes: 因病 (major illness, medical expense, sudden illness), 因残 (any disability
    recorded or suspected, mental disorder), 因学 (education expense, member in senior school or
    above), 因灾（疫） (a recent disaster, epidemic, fire or accident)."""
    disaster = pl.col("ta_emergency") & pl.col("emergency_event").is_in(["disaster", "epidemic", "fire", "accident"])
    illness = (pl.col("any_major_illness") | (pl.col("exp_medical") > 0)
               | (pl.col("ta_emergency") & (pl.col("emergency_event") == "illness")))
    return code_list([
        ("illness", illness),
        ("disability", pl.col("any_disability")),
        ("schooling", (pl.col("exp_education") > 0) | pl.col("any_higher_schooling")),
        ("disaster", disaster),
    ])


def categories() -> pl.Expr:
    """R3 categories of the household, from the judgement and the current categories."""
    return code_list([
        ("dibao", pl.col("dibao_eligible") | pl.col("current_dibao") | (pl.col("individual_dibao_fen") > 0)),
        ("tekun", pl.col("any_tekun") | pl.col("current_tekun")),
        ("registered_poor", pl.col("registered_poor")),
        ("severe_disabled", pl.col("any_severe")),
        ("mental_patient", pl.col("any_mental")),
        ("child_in_difficulty", pl.col("any_child_in_difficulty")),
        ("lonely_elderly", pl.col("any_lonely_elderly")),
        ("incapacitated", pl.col("any_incapacitated")),
        ("low_income", pl.col("low_income")),
        ("near_dibao", pl.col("near_dibao")),
        ("temporary_assistance", pl.col("ta_type").is_not_null()),
    ])
