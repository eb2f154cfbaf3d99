"""Person rules: basic facts, A/B supplements (R14), individual application (R12, 办法 §8),
and tekun (特困人员认定办法).

Every function takes a persons LazyFrame that already carries its household's columns
(`pidx`, `members`, `standard_fen`, `dibao_eligible`, …) and returns it with more columns.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .. import vocab
from .expr import PPM, by_household, round_money, years_since
from .ptable import Params


def person_basics(p: pl.LazyFrame, on: dt.date, P: Params) -> pl.LazyFrame:
    """Age (生日当天满周岁), self-care (six activities, 特困人员认定办法), disability severity,
    illness and the supplement predicates of `vocab.SUPPLEMENT_CRITERIA`. Whether a member could
    support another is judged in `tekun` (it needs the household's dibao and asset results)."""
    unable = pl.sum_horizontal([(~pl.col(c)).cast(pl.Int32) for c in vocab.SELF_CARE_COLUMNS])
    grade = pl.col("disability_grade")
    dtype = pl.col("disability_type")
    p = p.with_columns(
        age=years_since("birth_date", on),
        unable_activities=unable,
        certified=pl.col("disability_cert_number").is_not_null() & (pl.col("disability_cert_number").str.len_chars() > 0),
        severe_disability=grade.is_in([1, 2]).fill_null(False),
        intellectual_mental_grade_3=(dtype.is_in(["intellectual", "mental"]) & (grade == 3)).fill_null(False),
        disability_grade_3_4=grade.is_in([3, 4]).fill_null(False),
        major_illness=pl.col("major_illnesses").list.len() > 0,
        no_labor=pl.col("labor_capacity") == "none",
        higher_schooling=pl.col("enrolled") & pl.col("schooling_level").is_in(["senior", "vocational", "college"]),
    )
    p = p.with_columns(
        minor=pl.col("age") < P["adult_age"],
        working_age=(pl.col("age") >= P["working_age_min"]) & (pl.col("age") < P["working_age_max"]),
        care_level=(
            pl.when(pl.col("unable_activities") >= P["care_full_min_unable"]).then(pl.lit("full"))
            .when(pl.col("unable_activities") >= P["care_partial_min_unable"]).then(pl.lit("partial"))
            .otherwise(pl.lit("self_care"))
        ),
    )
    return p.with_columns(
        # "持证重度残疾": the supplement needs the certificate; an uncertified grade 1–2 member gets
        # the "no certificate" follow-up instead (followup.py, 篇五 三、2)
        pred_severe_disability=pl.col("severe_disability") & pl.col("certified"),
        pred_intellectual_mental_grade_3=pl.col("intellectual_mental_grade_3"),
        pred_disability_grade_3_4=pl.col("disability_grade_3_4"),
        pred_major_illness=pl.col("major_illness"),
        pred_aged_a=pl.col("age") >= P["supplement_class_a_min_age"],
        pred_aged_b=pl.col("age") >= P["supplement_class_b_min_age"],
        pred_minor_in_school=pl.col("minor") & pl.col("enrolled") & ~pl.col("dropped_out"),
        pred_orphan_or_unsupported=pl.col("is_orphan") | pl.col("is_unsupported_child"),
        pred_no_labor_capacity=pl.col("no_labor"),
        pred_incapacitated=pl.col("care_level") != "self_care",
    )


def household_facts(p: pl.LazyFrame) -> pl.LazyFrame:
    """Per-household facts from the members (one group_by)."""
    return by_household(p).agg(
        members=pl.len().cast(pl.Int64),
        any_major_illness=pl.col("major_illness").any(),
        any_disability=(pl.col("disability_grade").is_not_null() | pl.col("disability_type").is_not_null()
                        | pl.col("disability_suspected") | pl.col("has_mental_disorder")).any(),
        any_higher_schooling=pl.col("higher_schooling").any(),
        working_members=(pl.col("working_age") & pl.col("labor_capacity").is_in(["full", "partial"])).any(),
        any_severe=(pl.col("severe_disability") | pl.col("intellectual_mental_grade_3")).any(),
        any_mental=(pl.col("has_mental_disorder") | (pl.col("disability_type") == "mental")).any(),
        any_incapacitated=(pl.col("care_level") != "self_care").any(),
    )


def own_income(p: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """A person's own counted income: their attributed incomes (办法 §13–14 exclusions applied);
    for a one-person household, all the household's counted income."""
    attributed = pl.col("own_attributed_fen").fill_null(0)
    return p.with_columns(
        own_income_fen=pl.when(pl.col("members") == 1).then(pl.col("income_gross_fen")).otherwise(attributed)
    )


def supplement_class(P: Params) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """R14: class A if any A criterion holds, else B if any B criterion holds (就高, never both).

    This is the one member classification (seed 篇三（二）"a类、b类人员"): `supplements` keeps
    it for every member as `member_class`, the supplement applies it to members who receive
    dibao, and the household's review class (followup.review, 篇三（四）"a类家庭…b类家庭") is
    derived from the same column."""
    a = pl.any_horizontal([P[f"supplement_class_a_criteria__{c}"] & pl.col(f"pred_{c}") for c in vocab.SUPPLEMENT_CRITERIA])
    b = pl.any_horizontal([P[f"supplement_class_b_criteria__{c}"] & pl.col(f"pred_{c}") for c in vocab.SUPPLEMENT_CRITERIA])
    cls = pl.when(a).then(pl.lit("A")).when(b).then(pl.lit("B"))
    rate = pl.when(a).then(P["supplement_class_a_rate"]).when(b).then(P["supplement_class_b_rate"]).otherwise(0)
    return cls, rate, a & b


def _round_person(expr: pl.Expr, den: pl.Expr | int, P: Params) -> pl.Expr:
    return round_money(expr, den, P["rounding_person_level__unit"], P["rounding_person_level__dir"])


def _round_household(expr: pl.Expr, P: Params) -> pl.Expr:
    return round_money(expr, 1, P["rounding_household_amount__unit"], P["rounding_household_amount__dir"])


def individual_application(p: pl.LazyFrame, on: dt.date, P: Params) -> pl.LazyFrame:
    """R12, 办法 §8, 篇三（一）: who may apply alone (单人保).

    In a near-dibao household (not dibao eligible): a certificate holder with grade 1–2
    disability, or grade 3 intellectual/mental disability, or a person with a major illness.
    Religious staff who have lived in a religious venue for `religious_staff_min_years` years
    (inclusive) may apply whatever their family. In each case the person is judged as a
    one-person household: own counted income below the standard.
    """
    in_near = pl.col("near_dibao") & ~pl.col("dibao_eligible")
    disability = pl.col("certified") & pl.col("severe_disability")
    mental3 = pl.col("certified") & pl.col("intellectual_mental_grade_3")
    religious = (pl.col("religious_staff_since").is_not_null()
                 & (years_since("religious_staff_since", on) >= P["religious_staff_min_years"]))
    basis = (
        pl.when(in_near & disability).then(pl.lit("disability"))
        .when(in_near & mental3).then(pl.lit("mental_grade_3"))
        .when(in_near & pl.col("major_illness")).then(pl.lit("illness"))
        .when(religious & ~pl.col("dibao_eligible")).then(pl.lit("religious"))
    )
    poor_alone = pl.col("own_income_fen") < pl.col("standard_fen")
    return p.with_columns(individual_basis=basis).with_columns(
        individual_eligible=pl.col("individual_basis").is_not_null() & poor_alone & pl.col("local_hukou"),
    )


def supplements(p: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """R14 and 暂行办法 §12: each member's own level and the A/B supplement.

    In a dibao household, own level = standard − counted per-capita income = gap / members,
    rounded per `rounding_person_level`. A single applicant's level = standard − own income.
    The supplement is rate × own level, same rounding; the highest class only.
    """
    cls, rate, both = supplement_class(P)
    level_hh = _round_person(pl.col("dibao_gap_fen"), pl.col("dibao_members"), P)  # tekun members are out (issue 14)
    level_ind = pl.col("standard_fen") - pl.col("own_income_fen")
    receives = pl.col("dibao_eligible") | pl.col("individual_eligible")
    p = p.with_columns(
        member_class=cls,
        supplement_class=pl.when(receives).then(cls), supplement_rate=pl.when(receives).then(rate).otherwise(0),
        in_both_classes=receives & both,
        dibao_level_fen=pl.when(pl.col("dibao_eligible")).then(level_hh)
        .when(pl.col("individual_eligible")).then(level_ind).otherwise(0),
    )
    p = p.with_columns(
        supplement_fen=pl.when(pl.col("dibao_eligible") | pl.col("individual_eligible"))
        .then(_round_person(pl.col("dibao_level_fen") * pl.col("supplement_rate"), PPM, P)).otherwise(0),
    )
    return p.with_columns(
        individual_amount_fen=pl.when(pl.col("individual_eligible"))
        .then(_round_household(pl.col("dibao_level_fen") + pl.col("supplement_fen"), P)).otherwise(0),
        household_supplement_fen=pl.when(pl.col("dibao_eligible")).then(pl.col("supplement_fen")).otherwise(0),
    )


SUPPORTER_PARAMS = ["supporter_min_age", "supporter_dibao_min_age", "supporter_elderly_min_age", "per_capita_disposable_income"]


def outside_supporters(s: pl.LazyFrame, on: dt.date, P: Params) -> pl.LazyFrame:
    """The legal supporters recorded outside the household (`supporters` table, with the
    household's `pidx`), judged by 《特困人员认定办法》（民发〔2021〕43号）第十条: a supporter has
    no capacity to fulfil the duty (无履行义务能力) when

    - (一) a person in extreme poverty (特困人员);
    - (二) a dibao recipient aged `supporter_dibao_min_age` (60) or more;
    - (三) aged `supporter_elderly_min_age` (70) or more, own income below the local per-capita
      disposable income and assets within the local dibao rules (one recorded fact);
    - (四) severely disabled (grade 1–2) or intellectual/mental grade 3, with that same income and
      asset fact;
    - (五) without civil capacity, declared missing or in prison, assets within the rules;
    - (六) other cases the province sets: recorded directly as capacity "unable".

    A capacity recorded as "able" (verified) overrides the facts. Age: from the birth date on
    `on`, else the recorded `age`; an unknown age never makes a supporter unable.
    One row per supported person: `outside_supporters` (rows) and `outside_able` (any able).
    """
    age = pl.coalesce(years_since("birth_date", on), pl.col("age"))
    poor = pl.col("income_below_disposable")
    unable = (
        pl.col("on_tekun")
        | ((age >= P["supporter_dibao_min_age"]) & pl.col("on_dibao")).fill_null(False)
        | ((age >= P["supporter_elderly_min_age"]) & poor).fill_null(False)
        | (pl.col("severe_disability") & poor)
        | pl.col("no_civil_capacity")
    )
    able = pl.when(pl.col("capacity") == "able").then(True).when(pl.col("capacity") == "unable").then(False).otherwise(~unable)
    return s.with_columns(supporter_able=able).group_by("person_id").agg(
        outside_supporters=pl.len().cast(pl.Int64), outside_able=pl.col("supporter_able").any(),
    )


def tekun(p: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """特困人员认定办法 (暂行办法 §14): all three conditions.

    - no labor capacity: age ≥ `tekun_elderly_age`, or < `tekun_minor_age`, or a disability at
      or above the listed grade for its type (intellectual/mental 1–3, physical 1–2, visual 1),
      or (when `tekun_labor_capacity_none_counts`) recorded as having no labor capacity;
    - no source of living: own counted income below the dibao standard, household assets within
      the limits;
    - no legal supporter able to fulfil the duty (第十条):
      - another member of the household aged `supporter_min_age` or more (the registry records
        relations to the head only, so every other adult member counts as a possible legal
        supporter) is able unless 第十条 makes them unable: a dibao recipient (the household
        receives dibao now, or is a dibao household judged with every member: tekun is judged
        before this run's dibao rule, which leaves the tekun members out) aged
        `supporter_dibao_min_age` or more; or aged
        `supporter_elderly_min_age` or more, or severely disabled (grade 1–2, intellectual/mental
        grade 3), with own income below `per_capita_disposable_income` and the household's assets
        within the rules;
      - outside the household: the recorded supporters (`outside_supporters`), judged by
        `outside_supporters()`; or `has_supporter_outside` when given directly.

    Unknown is not no: when nobody able lives in the household and the outside supporters were
    never checked (`supporters_checked` "unknown", no row, `has_supporter_outside` null), tekun is
    not concluded and `supporter_unknown` is set for a person who meets every other condition.

    Care level from the six activities: 0 unable = self-care, 1–3 = partial, ≥ 4 = full
    (thresholds are parameters).
    """
    max_grade = pl.lit(0, pl.Int64)
    for t in vocab.DISABILITY_TYPES:
        max_grade = pl.when(pl.col("disability_type") == t).then(P[f"tekun_disability_max_grade__{t}"]).otherwise(max_grade)
    disabled = (pl.col("disability_grade").cast(pl.Int64) <= max_grade).fill_null(False)
    no_labor = (
        (pl.col("age") >= P["tekun_elderly_age"]) | (pl.col("age") < P["tekun_minor_age"]) | disabled
        | (P["tekun_labor_capacity_none_counts"] & pl.col("no_labor"))
    )
    # "最低生活保障对象": a member of a household that receives dibao now or is a dibao household when
    # judged as a whole (tekun_amount.as_whole) — not this run's dibao result, which leaves the tekun
    # members out and so depends on the answer.
    on_dibao = pl.col("current_dibao") | pl.col("dibao_as_whole")
    poor_alone = (pl.col("own_income_fen") < P["per_capita_disposable_income"]) & pl.col("assets_ok")
    unable_inside = (
        ((pl.col("age") >= P["supporter_dibao_min_age"]) & on_dibao)
        | (((pl.col("age") >= P["supporter_elderly_min_age"]) | pl.col("severe_disability") | pl.col("intellectual_mental_grade_3"))
           & poor_alone)
    )
    able_self = ((pl.col("age") >= P["supporter_min_age"]) & ~unable_inside).cast(pl.Int64)
    others_able = (able_self.sum().over("household_id") - able_self) > 0
    outside_able = pl.col("outside_able").fill_null(False) | pl.col("has_supporter_outside").fill_null(False)
    outside_known = ((pl.col("supporters_checked") != "unknown") | (pl.col("outside_supporters").fill_null(0) > 0)
                     | pl.col("has_supporter_outside").is_not_null())
    p = p.with_columns(
        tekun_disabled=disabled,
        no_labor_capacity=no_labor,
        no_income_source=(pl.col("own_income_fen") < pl.col("standard_fen")) & pl.col("assets_ok"),
        has_able_supporter=others_able | outside_able,
        supporters_known=outside_known,
    )
    otherwise_eligible = (pl.col("no_labor_capacity") & pl.col("no_income_source") & ~pl.col("has_able_supporter")
                          & pl.col("local_hukou"))
    return p.with_columns(
        tekun_eligible=otherwise_eligible & pl.col("supporters_known"),
        supporter_unknown=otherwise_eligible & ~pl.col("supporters_known"),
    )


def gugua(p: pl.LazyFrame) -> pl.LazyFrame:
    """孤寡 (no spouse, no children, no other legal supporter): as recorded; else presumed only
    from recorded facts — not 孤寡 when someone else lives in the household or a supporter
    outside is recorded (a row, or `has_supporter_outside` true); 孤寡 when the person lives
    alone and the check found no supporter outside (`supporters_checked` "none"). Otherwise unknown (null): the 孤寡 groups do not fire
    (a follow-up asks to verify), and nothing pays on the presumption."""
    alone = pl.col("members") == 1
    recorded_outside = (pl.col("outside_supporters").fill_null(0) > 0) | pl.col("has_supporter_outside").fill_null(False)
    checked_none = (pl.col("supporters_checked") == "none") & ~recorded_outside
    presumed = (pl.when(~alone | recorded_outside).then(False)
                .when(alone & checked_none).then(True)
                .otherwise(pl.lit(None, pl.Boolean)))
    return p.with_columns(gugua=pl.col("gugua").fill_null(presumed))
