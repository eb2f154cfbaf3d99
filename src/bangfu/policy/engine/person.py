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
    illness, the supplement predicates of `vocab.SUPPLEMENT_CRITERIA`, and whether the person
    could support others (used by the tekun rule's "able supporter")."""
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
        able_supporter_self=(
            (pl.col("age") >= P["supporter_min_age"]) & (pl.col("age") < P["supporter_max_age"])
            & ~pl.col("no_labor") & ~pl.col("severe_disability") & ~pl.col("intellectual_mental_grade_3")
        ),
    )
    return p.with_columns(
        pred_severe_disability=pl.col("severe_disability"),
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
        able_supporters=pl.col("able_supporter_self").sum().cast(pl.Int64),
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
    """R14: class A if any A criterion holds, else B if any B criterion holds (就高, never both)."""
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


def tekun(p: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """特困人员认定办法 (暂行办法 §14): all three conditions.

    - no labor capacity: age ≥ `tekun_elderly_age`, or < `tekun_minor_age`, or a disability at
      or above the listed grade for its type (intellectual/mental 1–3, physical 1–2, visual 1),
      or (when `tekun_labor_capacity_none_counts`) recorded as having no labor capacity;
    - no source of living: own counted income below the dibao standard, household assets within
      the limits;
    - no able supporter: no *other* member of the household aged `supporter_min_age` to under
      `supporter_max_age` who has labor capacity and is not severely disabled, and no supporter
      recorded outside the household (`has_supporter_outside`). The registry records relations
      to the head only, so every other adult member is treated as a possible legal supporter.

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
    others_able = (pl.col("able_supporters") - pl.col("able_supporter_self").cast(pl.Int64)) > 0
    p = p.with_columns(
        tekun_disabled=disabled,
        no_labor_capacity=no_labor,
        no_income_source=(pl.col("own_income_fen") < pl.col("standard_fen")) & pl.col("assets_ok"),
        has_able_supporter=others_able | pl.col("has_supporter_outside"),
    )
    return p.with_columns(
        tekun_eligible=pl.col("no_labor_capacity") & pl.col("no_income_source") & ~pl.col("has_able_supporter")
        & pl.col("local_hukou"),
    )


def gugua(p: pl.LazyFrame) -> pl.LazyFrame:
    """孤寡: as recorded, else presumed for the only member of a household with no supporter
    recorded outside it."""
    return p.with_columns(gugua=pl.col("gugua").fill_null((pl.col("members") == 1) & ~pl.col("has_supporter_outside")))
