"""Reasons: one sentence per finding (Chinese, or the active language: `policy.texts`), with its numbers and the parameter it used —
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
from bangfu.common.texts import _, fill, gettext_noop, language
from .expr import PPM, collect, percent_text, ratio_text, yuan
from .followup import FLAGS
from .groups import RULES, who_text
from .ptable import Params

S = pl.lit


def _src(P: Params, name: str) -> pl.Expr:
    return P[f"src_{name}"]


def _std_src(P: Params) -> pl.Expr:
    return pl.when(pl.col("hukou_type") == "urban").then(_src(P, "dibao_standard_urban")).otherwise(_src(P, "dibao_standard_rural"))


def sentence() -> pl.Expr:
    """text + "（source）" — the sentence users read."""
    return pl.when(pl.col("source").is_null() | (pl.col("source") == "")).then(pl.col("text")).otherwise(
        fill(_("%(text)s（%(source)s）"), text=pl.col("text"), source=pl.col("source").cast(pl.String)))


def _std_name() -> pl.Expr:
    return pl.when(pl.col("hukou_type") == "urban").then(S(_("当地城市低保标准"))).otherwise(S(_("当地农村低保标准")))


def _both(first: pl.Expr | str, second: pl.Expr | str) -> pl.Expr:
    """Two sources, e.g. an article and a parameter: "first；second"."""
    return fill(_("%(first)s；%(second)s"), first=first, second=second)


def _rows(cond: pl.Expr, rule: str, text: pl.Expr, source: pl.Expr | str = "",
          person: bool = False) -> tuple[pl.Expr, list[pl.Expr]]:
    """One rule's reasons: a condition and the columns of the rows where it holds."""
    pid = pl.col("person_id") if person else pl.lit(None, pl.Int64)
    src = S(source) if isinstance(source, str) else source
    return cond, [pl.col("household_id"), pid.alias("person_id"), S(rule).alias("rule"), text.alias("text"), src.alias("source")]


def _choose(cond: pl.Expr, yes: pl.Expr, no: pl.Expr) -> pl.Expr:
    return pl.when(cond).then(yes).otherwise(no)


def household_reasons(P: Params) -> list[tuple[pl.Expr, list[pl.Expr]]]:
    """Each sentence is one translatable template (`texts.fill`), in the active language."""
    std = yuan(pl.col("standard_fen"))
    pc = yuan(pl.col("per_capita_income_fen"))
    members = pl.col("members").cast(pl.String)
    has = pl.col("has_members")
    judged = pl.col("dibao_members") > 0  # members left for dibao once tekun members are out (issue 14)
    deducted = judged & (pl.col("rigid_expense_deducted_fen") > 0)
    below = pl.col("income_counted_fen") < pl.col("threshold_fen")
    income = dict(income=pc, standard_name=_std_name(), standard=std)
    gross = dict(gross=yuan(pl.col("income_gross_fen")), deducted=yuan(pl.col("rigid_expense_deducted_fen")), **income)
    twice = _src(P, "rigid_expense_deductible_kinds")
    may = pl.col("ta_township_may_approve")
    ta = dict(need=yuan(pl.col("ta_need_fen")), grade=pl.col("ta_grade_label"), cap=yuan(pl.col("ta_cap_fen")),
              amount=yuan(pl.col("ta_amount_fen")), limit=yuan(P["temporary_township_approval_max"]))
    review = dict(months=pl.col("review_interval_months").cast(pl.String), date=pl.col("next_review_date").cast(pl.String))
    emergency = {k: _(v) for k, v in vocab.LABELS["emergency"].items()}
    return [
        _rows(~has, "no_members", S(_("家庭没有在册的共同生活成员，不作判断"))),
        # the income finding when below the standard; when not below, the sentence is the
        # negative conclusion (_not_dibao, R11.not_eligible)
        _rows(judged & ~deducted & below, "R11.income",
              fill(_("家庭月人均收入 %(income)s 元，低于%(standard_name)s %(standard)s 元"), **income), _std_src(P)),
        _rows(deducted & below, "R11.income",
              fill(_("家庭月收入 %(gross)s 元，扣除医疗、残疾康复护理、教育等刚性支出 %(deducted)s 元后，"
                     "月人均收入 %(income)s 元，低于%(standard_name)s %(standard)s 元"), **gross),
              _both(twice, _std_src(P))),
        _rows(has & ~pl.col("local_hukou"), "R11.hukou", S(_("家庭未持有当地常住户口，不符合低保条件")),
              _("困难群众帮扶工作方案篇三（一）")),
        _rows(has & pl.col("asset_deposit_over"), "R11.assets.deposit", fill(
            _("家庭存款及有价证券 %(deposit)s 元，超过 %(months)s 个月 × 低保标准 %(standard)s 元 × %(members)s 人 = %(limit)s 元"),
            deposit=yuan(pl.col("asset_deposit_fen")), months=P["asset_deposit_months_per_head"].cast(pl.String),
            standard=std, members=members, limit=yuan(pl.col("asset_deposit_limit_fen"))),
            _src(P, "asset_deposit_months_per_head")),
        _rows(has & pl.col("asset_vehicle_over"), "R11.assets.vehicle", fill(
            _("家庭拥有计价机动车 %(count)s 辆，超过上限 %(max)s 辆"), count=pl.col("asset_vehicles").cast(pl.String),
            max=P["asset_vehicle_max_count"].cast(pl.String)), _src(P, "asset_vehicle_max_count")),
        _rows(has & pl.col("asset_business_over"), "R11.assets.business", fill(
            _("家庭拥有经营实体 %(count)s 个，超过上限 %(max)s 个"), count=pl.col("asset_businesses").cast(pl.String),
            max=P["asset_business_max_count"].cast(pl.String)), _src(P, "asset_business_max_count")),
        _rows(has & pl.col("asset_housing_over"), "R11.assets.housing", fill(
            _("家庭拥有住房 %(count)s 套，超过上限 %(max)s 套"), count=pl.col("asset_housing").cast(pl.String),
            max=P["asset_housing_max_count"].cast(pl.String)), _src(P, "asset_housing_max_count")),
        *_not_dibao(P, gross, std, members),
        _rows(pl.col("dibao_eligible") & (pl.col("dibao_basis") == "income"), "R11.eligible",
              S(_("家庭月人均收入低于低保标准，财产状况符合规定，符合低保条件")), _("《社会救助暂行办法》第九条")),
        _rows(pl.col("expenditure_poverty"), "R2.expenditure_poverty", _choose(
            P["expenditure_poverty_joins_dibao"],
            S(_("扣除刚性支出前人均收入不低于低保标准、扣除后低于标准，属支出型贫困家庭，按规定纳入低保")),
            S(_("扣除刚性支出前人均收入不低于低保标准、扣除后低于标准，属支出型贫困家庭"))),
            _src(P, "expenditure_poverty_joins_dibao")),
        _rows(pl.col("dibao_eligible"), "R11.amount", fill(
            _("低保金 =（%(standard)s − %(income)s）元 × %(members)s 人，差额 %(gap)s 元%(supplement)s，按取整规则计 %(amount)s 元/月"),
            standard=std, income=pc, members=pl.col("dibao_members").cast(pl.String), gap=yuan(pl.col("dibao_gap_fen")),
            supplement=pl.when(pl.col("dibao_supplement_fen") > 0).then(
                fill(_("，另加A/B类人员增发 %(supplement)s 元"), supplement=yuan(pl.col("dibao_supplement_fen")))).otherwise(S("")),
            amount=yuan(pl.col("dibao_amount_fen"))),
            _both(_("《社会救助暂行办法》第十二条"), _src(P, "rounding_household_amount"))),
        _rows(judged & pl.col("low_income"), "R1b.low_income", fill(
            _("月人均收入 %(income)s 元，不高于低保标准的 %(factor)s 倍（含），属低收入家庭"),
            income=pc, factor=ratio_text(P["low_income_factor"])), _src(P, "low_income_factor")),
        _rows(has & ~pl.col("low_income") & pl.col("assets_ok"), "R1b.not_low_income", fill(
            _("月人均收入 %(income)s 元，高于低保标准 %(standard)s 元的 %(factor)s 倍（%(limit)s 元），不属低收入家庭"),
            income=pc, standard=std, factor=ratio_text(P["low_income_factor"]),
            limit=yuan((P["low_income_factor"] * pl.col("standard_fen")) // PPM)), _src(P, "low_income_factor")),
        _rows(has & ~pl.col("low_income") & ~pl.col("assets_ok"), "R1b.not_low_income",
              S(_("家庭财产状况不符合当地规定，不属低收入家庭")), _src(P, "low_income_factor")),
        _rows(pl.col("near_dibao"), "near_dibao", fill(
            _("不符合低保条件，月人均收入 %(income)s 元，低于低保标准的 %(factor)s 倍，属低保边缘家庭"),
            income=pc, factor=ratio_text(P["near_dibao_factor"])), _src(P, "near_dibao_factor")),
        _rows(pl.col("review_class") == "A", "R16.review", fill(
            _("A类家庭（生活状况相对稳定），每 %(months)s 个月核查一次，下次核查 %(date)s"), **review),
            _src(P, "review_interval_a_months")),
        _rows(pl.col("review_class") == "B", "R16.review", fill(
            _("B类家庭（收入来源不固定、有劳动能力成员），每 %(months)s 个月核查一次，下次核查 %(date)s"), **review),
            _src(P, "review_interval_b_months")),
        _rows(pl.col("ta_emergency"), "TA.emergency", fill(
            _("发生急难事件（%(event)s，%(date)s），属急难型临时救助，可先行救助、事后补办手续"),
            event=pl.col("emergency_event").replace_strict(emergency, default=_("急难")),
            date=pl.col("emergency_date").cast(pl.String)), _src(P, "temporary_emergency_window_days")),
        _rows(pl.col("ta_emergency") & (pl.col("emergency_loss_fen") == 0), "TA.emergency_loss_missing",
              S(_("急难事件未录入损失或急需支出金额，请补录后确定救助金额")), _("《社会救助暂行办法》第四十七条")),
        _rows(pl.col("ta_expenditure"), "TA.expenditure", fill(
            _("月刚性支出 %(expense)s 元，超出家庭收入高于低保标准部分的 %(uncovered)s 元/月无力负担，"
              "属支出型临时救助，需求按 %(months)s 个月计"),
            expense=yuan(pl.col("rigid_expense_fen")), uncovered=yuan(pl.col("ta_uncovered_fen")),
            months=P["temporary_expenditure_need_months"].cast(pl.String)), _src(P, "temporary_expenditure_need_months")),
        _rows(pl.col("ta_amount_fen").is_not_null(), "TA.amount", _choose(
            may, fill(_("救助需求 %(need)s 元，属%(grade)s，该档最高 %(cap)s 元，建议临时救助 %(amount)s 元；"
                        "不超过乡镇审批限额 %(limit)s 元，乡镇（街道）可直接审批"), **ta),
            fill(_("救助需求 %(need)s 元，属%(grade)s，该档最高 %(cap)s 元，建议临时救助 %(amount)s 元；"
                   "超过乡镇审批限额 %(limit)s 元，报县级民政部门审批"), **ta)),
            _both(_src(P, "temporary_grades"), _src(P, "temporary_township_approval_max"))),
        *tekun_household_reasons(),
    ]


TEKUN_STANDARD = gettext_noop("《国务院关于进一步健全特困人员救助供养制度的意见》（国发〔2016〕14号）二、（三）")
TEKUN_SPLIT = gettext_noop("《社会救助暂行办法》第十四条；《国务院关于进一步健全特困人员救助供养制度的意见》（国发〔2016〕14号）二、（五）")


def tekun_household_reasons() -> list[tuple[pl.Expr, list[pl.Expr]]]:
    """Issue 14: tekun members are supported as tekun and judged out of the household's dibao."""
    some = (pl.col("tekun_members") > 0) & (pl.col("dibao_members") > 0)
    return [
        _rows(some, "tekun.split", fill(
            _("%(tekun)s 名成员符合特困人员条件，按特困人员救助供养，不再享受低保；其本人收入 %(income)s 元不计入，"
              "其余 %(others)s 名成员按低保条件判断"),
            tekun=pl.col("tekun_members").cast(pl.String), income=yuan(pl.col("tekun_income_fen")),
            others=pl.col("dibao_members").cast(pl.String)), _(TEKUN_SPLIT)),
        _rows((pl.col("tekun_members") > 0) & (pl.col("dibao_members") == 0), "tekun.split",
              S(_("家庭成员均符合特困人员条件，按特困人员救助供养，不再判断低保")), _(TEKUN_SPLIT)),
    ]


ARTICLE_9 = gettext_noop("《社会救助暂行办法》第九条")
ARTICLE_8 = gettext_noop("《最低生活保障审核确认办法》第八条")


def _not_dibao(P: Params, gross: dict, std: pl.Expr, members: pl.Expr) -> list[tuple[pl.Expr, list[pl.Expr]]]:
    """Why a household is not dibao (暂行办法 §9: income below the standard and assets within
    the rules), one sentence per failed condition, each with its numbers and ending in the
    conclusion. (A household without local hukou has its own sentence, R11.hukou.)

    - income: the counted per-capita income (after deductions, if any) is not below the
      standard — then the household is not eligible either way (gross income ≥ counted);
    - assets: the failed items with their amounts and limits;
    - expenditure poverty when the parameter does not let it join dibao.
    """
    judged = pl.col("dibao_members") > 0  # a household whose members are all tekun is not judged for dibao
    income = {k: gross[k] for k in ("income", "standard_name", "standard")}
    out = ~pl.col("dibao_eligible") & judged
    deducted = pl.col("rigid_expense_deducted_fen") > 0
    not_below = pl.col("income_counted_fen") >= pl.col("threshold_fen")
    items = pl.concat_str([
        pl.when(pl.col("asset_deposit_over")).then(fill(
            _("存款及有价证券 %(deposit)s 元，超过 %(months)s 个月 × %(standard)s 元 × %(members)s 人 = %(limit)s 元"),
            deposit=yuan(pl.col("asset_deposit_fen")), months=P["asset_deposit_months_per_head"].cast(pl.String),
            standard=std, members=members, limit=yuan(pl.col("asset_deposit_limit_fen")))),
        pl.when(pl.col("asset_vehicle_over")).then(fill(
            _("计价机动车 %(count)s 辆，超过上限 %(max)s 辆"), count=pl.col("asset_vehicles").cast(pl.String),
            max=P["asset_vehicle_max_count"].cast(pl.String))),
        pl.when(pl.col("asset_business_over")).then(fill(
            _("经营实体 %(count)s 个，超过上限 %(max)s 个"), count=pl.col("asset_businesses").cast(pl.String),
            max=P["asset_business_max_count"].cast(pl.String))),
        pl.when(pl.col("asset_housing_over")).then(fill(
            _("住房 %(count)s 套，超过上限 %(max)s 套"), count=pl.col("asset_housing").cast(pl.String),
            max=P["asset_housing_max_count"].cast(pl.String))),
    ], separator=_("；"), ignore_nulls=True)
    return [
        _rows(out & not_below & ~deducted, "R11.not_eligible", fill(
            _("家庭月人均收入 %(income)s 元，不低于%(standard_name)s %(standard)s 元，不符合低保条件"), **income),
            _both(_(ARTICLE_9), _std_src(P))),
        _rows(out & not_below & deducted, "R11.not_eligible", fill(
            _("家庭月收入 %(gross)s 元，扣除医疗、残疾康复护理、教育等刚性支出 %(deducted)s 元后，"
              "月人均收入 %(income)s 元，仍不低于%(standard_name)s %(standard)s 元，不符合低保条件"), **gross),
            _both(_(ARTICLE_9), _both(_src(P, "rigid_expense_deductible_kinds"), _std_src(P)))),
        _rows(out & ~pl.col("assets_ok"), "R11.not_eligible", fill(
            _("家庭财产状况不符合当地规定（%(items)s），不符合低保条件"), items=items), _(ARTICLE_9)),
        _rows(out & pl.col("expenditure_poverty") & ~P["expenditure_poverty_joins_dibao"], "R11.not_eligible", fill(
            _("扣除刚性支出后家庭月人均收入 %(income)s 元，低于%(standard_name)s %(standard)s 元，属支出型贫困家庭；"
              "当地未规定支出型贫困家庭纳入低保，不符合低保条件"), **income),
            _src(P, "expenditure_poverty_joins_dibao")),
    ]


INDIVIDUAL_BASIS = {
    "disability": gettext_noop("低保边缘家庭中持证的一、二级重度残疾人"),
    "mental_grade_3": gettext_noop("低保边缘家庭中持证的三级智力、精神残疾人"),
    "illness": gettext_noop("低保边缘家庭中的重特大疾病患者"),
    "religious": gettext_noop("脱离家庭在宗教场所居住满规定年限的宗教教职人员"),
}
TEKUN = gettext_noop("《特困人员认定办法》（民发〔2021〕43号）")


def person_reasons(P: Params) -> list[tuple[pl.Expr, list[pl.Expr]]]:
    level = yuan(pl.col("dibao_level_fen"))
    out = [
        _rows(pl.col("dibao_eligible"), "R11.own_level", fill(
            _("本人低保补助水平 = 低保标准 − 家庭月人均收入 = %(level)s 元"), level=level), _src(P, "rounding_person_level"), True),
    ]
    supplement = {
        "A": gettext_noop("属A类人员，按本人低保补助水平 %(level)s 元的 %(rate)s 增发 %(supplement)s 元"),
        "B": gettext_noop("属B类人员，按本人低保补助水平 %(level)s 元的 %(rate)s 增发 %(supplement)s 元"),
    }
    for cls, name in (("A", "supplement_class_a_rate"), ("B", "supplement_class_b_rate")):
        both = pl.when(pl.col("in_both_classes")).then(S(_("（同时符合A类、B类条件，按就高原则只按A类增发，不重复）"))).otherwise(S(""))
        text = fill(_(supplement[cls]), level=level, rate=percent_text(P[name]), supplement=yuan(pl.col("supplement_fen")))
        out.append(_rows(pl.col("supplement_class") == cls, "R14.supplement",
                         pl.concat_str([text, both]) if cls == "A" else text, _src(P, name), True))
    out.append(_rows(pl.col("individual_eligible"), "R12.individual", fill(
        _("属%(basis)s，本人月收入 %(income)s 元，低于低保标准 %(standard)s 元，可单独提出申请，单人保月低保金 %(amount)s 元"),
        basis=pl.col("individual_basis").replace_strict({k: _(v) for k, v in INDIVIDUAL_BASIS.items()}, default=""),
        income=yuan(pl.col("own_income_fen")), standard=yuan(pl.col("standard_fen")),
        amount=yuan(pl.col("individual_amount_fen"))),
        pl.when(pl.col("individual_basis") == "religious").then(_src(P, "religious_staff_min_years"))
        .otherwise(S(_("《最低生活保障审核确认办法》第八条"))), True))
    out.extend(_not_individual(P))
    care = pl.col("care_level").replace_strict({k: _(v) for k, v in vocab.LABELS["care_level"].items()}, default="")
    out.append(_rows(pl.col("tekun_eligible"), "tekun.eligible", fill(
        _("无劳动能力、无生活来源（本人月收入 %(income)s 元，低于低保标准 %(standard)s 元）、无有履行义务能力的法定义务人，"
          "符合特困人员条件；六项日常生活活动中 %(unable)s 项不能自理，属%(care)s"),
        income=yuan(pl.col("own_income_fen")), standard=yuan(pl.col("standard_fen")),
        unable=pl.col("unable_activities").cast(pl.String), care=care),
        _both(_(TEKUN), _("《社会救助暂行办法》第十四条")), True))
    missing = (
        pl.when(~pl.col("no_income_source") & pl.col("has_able_supporter"))
        .then(S(_("属无劳动能力情形，但有生活来源或财产超出规定、有有履行义务能力的法定义务人，不符合特困人员条件")))
        .when(~pl.col("no_income_source")).then(S(_("属无劳动能力情形，但有生活来源或财产超出规定，不符合特困人员条件")))
        .when(pl.col("has_able_supporter")).then(S(_("属无劳动能力情形，但有有履行义务能力的法定义务人，不符合特困人员条件")))
        .when(pl.col("supporter_unknown")).then(S(_("属无劳动能力、无生活来源情形，但户外法定赡养、抚养、扶养义务人情况未核实，暂不认定特困人员：请核实其子女、配偶等义务人及其履行能力")))
        .otherwise(S(_("属无劳动能力情形，但不是当地常住户口，不符合特困人员条件")))
    )
    out.append(_rows(pl.col("no_labor_capacity") & ~pl.col("tekun_eligible"), "tekun.not_eligible", missing,
                     pl.when(pl.col("supporter_unknown") | pl.col("has_able_supporter"))
                     .then(S(_("%(document)s第十条") % {"document": _(TEKUN)})).otherwise(S(_(TEKUN))), True))
    mode = pl.col("tekun_support_mode").replace_strict({k: _(v) for k, v in vocab.LABELS["tekun_support_mode"].items()}, default="")
    out.append(_rows(pl.col("tekun_eligible"), "tekun.amount", fill(
        _("特困供养金 = 基本生活标准 %(basic)s 元 + %(mode)s%(care)s照料护理标准 %(care_fen)s 元 = %(amount)s 元/月"),
        basic=yuan(pl.col("tekun_basic_fen")), mode=mode, care=care, care_fen=yuan(pl.col("tekun_care_fen")),
        amount=yuan(pl.col("tekun_amount_fen"))), _(TEKUN_STANDARD), True))
    for rule in RULES:
        out.append(_rows(pl.col(f"grp_{rule.code}"), f"R1c.{rule.code}", fill(
            _("“%(group)s”对象：%(who)s。建议：%(measure)s"), group=_(rule.group), who=who_text(rule, P),
            measure=_(rule.measure)), _(rule.source), True))
    for flag in FLAGS:
        out.append(_rows(pl.col(f"flag_{flag.code}"), f"R4.{flag.code}", fill(_("跟进提示：%(text)s"), text=_(flag.text)),
                         _(flag.source), True))
    return out


CANDIDATE = {
    "disability": gettext_noop("持证的一、二级重度残疾人"),
    "mental_grade_3": gettext_noop("持证的三级智力、精神残疾人"),
    "illness": gettext_noop("重特大疾病患者"),
}


def _not_individual(P: Params) -> list[tuple[pl.Expr, list[pl.Expr]]]:
    """Why a member may not have dibao alone (单人保, 办法 §8, 篇三（一）), one sentence each:

    - a person with a basis (in a near-dibao household, or religious staff) whose own counted
      income is not below the standard, or who has no local hukou;
    - a certified severe (grade 1–2) or grade-3 intellectual/mental disabled person, or a person
      with a major illness, in a household that is neither dibao nor near-dibao: the household's
      counted per-capita income is not below `near_dibao_factor` × the standard, or its assets
      are outside the rules.
    """
    basis = pl.col("individual_basis").replace_strict({k: _(v) for k, v in INDIVIDUAL_BASIS.items()}, default="")
    with_basis = pl.col("individual_basis").is_not_null() & ~pl.col("individual_eligible")
    source = (pl.when(pl.col("individual_basis") == "religious").then(_src(P, "religious_staff_min_years"))
              .otherwise(S(_(ARTICLE_8))))
    who = (pl.when(pl.col("certified") & pl.col("severe_disability")).then(S(_(CANDIDATE["disability"])))
           .when(pl.col("certified") & pl.col("intellectual_mental_grade_3")).then(S(_(CANDIDATE["mental_grade_3"])))
           .when(pl.col("major_illness")).then(S(_(CANDIDATE["illness"]))))
    outside = (who.is_not_null() & ~pl.col("dibao_eligible") & ~pl.col("near_dibao") & pl.col("individual_basis").is_null())
    limit = yuan((P["near_dibao_factor"] * pl.col("standard_fen")) // PPM)
    return [
        _rows(with_basis & (pl.col("own_income_fen") >= pl.col("standard_fen")), "R12.not_individual", fill(
            _("属%(basis)s，但本人月收入 %(income)s 元，不低于低保标准 %(standard)s 元，不能单独享受低保"),
            basis=basis, income=yuan(pl.col("own_income_fen")), standard=yuan(pl.col("standard_fen"))), source, True),
        _rows(with_basis & (pl.col("own_income_fen") < pl.col("standard_fen")) & ~pl.col("local_hukou"), "R12.not_individual",
              fill(_("属%(basis)s，但未持有当地常住户口，不能单独享受低保"), basis=basis), source, True),
        _rows(outside & pl.col("assets_ok"), "R12.not_individual", fill(
            _("本人是%(who)s，但家庭月人均收入 %(income)s 元，不低于低保标准 %(standard)s 元的 %(factor)s 倍（%(limit)s 元），"
              "不属低保边缘家庭，不能单独提出低保申请"),
            who=who, income=yuan(pl.col("per_capita_income_fen")), standard=yuan(pl.col("standard_fen")),
            factor=ratio_text(P["near_dibao_factor"]), limit=limit),
            _both(_(ARTICLE_8), _src(P, "near_dibao_factor")), True),
        _rows(outside & ~pl.col("assets_ok"), "R12.not_individual", fill(
            _("本人是%(who)s，但家庭财产状况不符合当地规定，不属低保边缘家庭，不能单独提出低保申请"), who=who),
            _(ARTICLE_8), True),
    ]


def reasons_plan(h: pl.DataFrame, p: pl.DataFrame, P: Params) -> pl.LazyFrame:
    """The reasons query (see `build_reasons`), to collect together with other queries."""
    # the expressions hold the texts in the active language: one set per language
    specs_h = P.memo(f"reasons.household.{language()}", lambda: _with_seq(household_reasons(P), 0))
    specs_p = P.memo(f"reasons.person.{language()}", lambda: _with_seq(person_reasons(P), len(specs_h)))
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


PERSON_SOURCES = ["rounding_person_level", "supplement_class_a_rate", "supplement_class_b_rate", "religious_staff_min_years",
                  "near_dibao_factor"]


def text_columns(P: Params, frame: pl.LazyFrame, *, persons: bool = False) -> pl.LazyFrame:
    """Join the `src_` texts that differ between the batch's regions (usually only the
    standards'), and only those the reasons of that table use."""
    names = [c for c in P.table.columns if c.startswith("src_") and c not in P.constant]
    if persons:
        names = [c for c in names if c[4:] in PERSON_SOURCES]
    return P.join(frame, names) if names else frame
