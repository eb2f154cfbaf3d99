"""The assessment pipeline: tables in, tables out (issue 3 "Design").

One household is a batch of one: `assess` runs the same expressions on one row or a million, so
the page, the API and the overnight reassessment cannot disagree. No database here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from .. import vocab
from ..parameters import ParameterSet, default_parameter_set
from . import followup, groups, household, person, ptable, tekun_amount, temporary
from .expr import active_on, by_household, collect, collect_all, mark_sorted
from .household import EXPENSE_COLS, INCOME_COLS
from .reasons import reasons_plan, text_columns
from .schema import HOUSEHOLD_OUTPUT, PERSON_OUTPUT, Frames

@dataclass(frozen=True)
class Assessment:
    """The determination of a batch.

    households: one row per household (columns: schema.HOUSEHOLD_OUTPUT)
    persons:    one row per active person (schema.PERSON_OUTPUT)
    groups:     one row per person and matched special-group rule (R1c)
    reasons:    household_id, person_id (null = household), seq (rule order), rule, text (finding
                with its numbers), source (parameter, validity, citation) — None unless explained;
                `reasons.sentence()` gives "text（source）"
    parameters: the resolved parameter table used (one row per parameter region)
    """

    on: dt.date
    households: pl.DataFrame
    persons: pl.DataFrame
    groups: pl.DataFrame
    reasons: pl.DataFrame | None
    parameters: pl.DataFrame


def current_categories(categories: pl.LazyFrame, on: dt.date) -> pl.LazyFrame:
    """Categories in force on `on`, per household: current dibao (and its monthly amount, null
    when a dibao row has no amount), tekun, registered poor (建档立卡)."""
    from .expr import active_on

    active = categories.filter(active_on("start_date", "end_date", on))
    is_dibao = pl.col("code") == "dibao"
    return mark_sorted(by_household(active).agg(
        current_dibao=is_dibao.any(),
        current_dibao_fen=pl.when((is_dibao & pl.col("amount_fen").is_null()).any()).then(pl.lit(None, pl.Int64))
        .otherwise(pl.col("amount_fen").filter(is_dibao).sum()),
        current_tekun=(pl.col("code") == "tekun").any(),
        registered_poor=(pl.col("code") == "registered_poor").any(),
    ))


# Parameters read by the person rules; only those that vary between the batch's regions are
# joined to the persons (a missing one fails loudly as an unknown column).
PERSON_BASIC_PARAMS = [
    "adult_age", "working_age_min", "working_age_max", "care_full_min_unable", "care_partial_min_unable",
    "supplement_class_a_min_age", "supplement_class_b_min_age",
]
PERSON_STAGE_PARAMS = [
    "religious_staff_min_years", "supplement_class_a_criteria", "supplement_class_b_criteria",
    "supplement_class_a_rate", "supplement_class_b_rate", "rounding_person_level", "rounding_household_amount",
    "tekun_elderly_age", "tekun_minor_age", "tekun_disability_max_grade", "tekun_labor_capacity_none_counts",
    "elderly_age_line", "medical_expense_threshold", "compulsory_school_age_min", "compulsory_school_age_max",
    "disability_cert_check_interval_months", "lonely_elderly_age", "unsafe_housing_values", "near_dibao_factor",
    *person.SUPPORTER_PARAMS, *tekun_amount.AMOUNT_PARAMS,
]
# Input columns the person rules no longer need once the basic facts are derived: dropping them
# keeps the joins of 2.5 million persons cheap.
PERSON_DROP = ["birth_date", "relation", "status", "schooling_level", "major_illnesses", "disability_cert_number",
               *vocab.SELF_CARE_COLUMNS]


def _household_stage(f: Frames, hh: pl.DataFrame, P: ptable.Params, on: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Persons' basic facts and the household rules up to temporary assistance."""
    base = P.join_varying(hh.lazy())
    persons = f.persons.lazy().filter(pl.col("status") == "active")
    if P.varies(PERSON_BASIC_PARAMS):
        persons = P.join(persons.join(base.select("household_id", "pidx"), on="household_id", how="inner", maintain_order="left"), PERSON_BASIC_PARAMS)
    persons = collect(person.person_basics(persons, on, P).drop(PERSON_DROP))
    persons = _with_outside_supporters(persons, f.supporters, base, P, on)
    if persons["person_id"].is_sorted():
        persons = persons.with_columns(pl.col("person_id").set_sorted())
    inc_hh, inc_person = household.income_aggregates(f.incomes.lazy(), on, P, base)
    h = (
        base.join(mark_sorted(person.household_facts(persons.lazy())), on="household_id", how="left", maintain_order="left")
        .join(inc_hh, on="household_id", how="left", maintain_order="left")
        .join(household.expense_aggregates(f.expenses.lazy(), on), on="household_id", how="left", maintain_order="left")
        .join(household.asset_aggregates(f.assets.lazy(), base, P), on="household_id", how="left", maintain_order="left")
        .join(current_categories(f.categories.lazy(), on), on="household_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("members").fill_null(0),
            pl.col(INCOME_COLS + EXPENSE_COLS).fill_null(0),
            pl.col("asset_deposit_fen", "asset_vehicles", "asset_businesses", "asset_housing").fill_null(0),
            pl.col("any_major_illness", "any_disability", "any_higher_schooling", "working_members", "any_severe",
                   "any_mental", "any_incapacitated", "current_dibao", "current_tekun", "registered_poor").fill_null(False),
        )
        .with_columns(
            has_members=pl.col("members") > 0,
            standard_fen=pl.when(pl.col("hukou_type") == "urban").then(P["dibao_standard_urban"]).otherwise(P["dibao_standard_rural"]),
        )
    )
    h = household.counted_income(h, P)
    h = household.asset_test(h, P)
    h, inc_person = tekun_amount.split_households(h, persons, inc_person, P)  # tekun members out of dibao (issue 14)
    h = household.dibao(h, P)
    h = temporary.temporary_assistance(h, on, P)
    persons = persons.lazy().join(inc_person, on="person_id", how="left", maintain_order="left")
    # one collect for both, so the income rows are filtered and read once
    h_df, persons_df = collect_all([mark_sorted(h), mark_sorted(persons)])
    return h_df, persons_df


PERSON_FROM_HOUSEHOLD = [
    "household_id", "pidx", "hukou_type", "housing_safety", "local_hukou", "family_planning_two_daughters",
    "members", "standard_fen", "income_gross_fen", "dibao_eligible", "dibao_gap_fen", "near_dibao",
    "low_income", "expenditure_poverty", "assets_ok", "in_hardship", "registered_poor", "current_dibao",
    "any_major_illness", "exp_medical", "dibao_members", "dibao_as_whole",
    "per_capita_income_fen",  # the "no individual dibao" reason (reasons._not_individual)
]


def _with_outside_supporters(persons: pl.DataFrame, supporters: pl.DataFrame | None, base: pl.LazyFrame,
                             P: ptable.Params, on: dt.date) -> pl.DataFrame:
    """Each person's legal supporters outside the household, judged once (person.outside_supporters):
    the tekun split before the dibao rule and the person stage read the same `outside_supporters`
    and `outside_able`, so the two can't disagree on who is tekun."""
    if supporters is None or not supporters.height:
        return persons.with_columns(outside_supporters=pl.lit(0, pl.Int64), outside_able=pl.lit(False))
    s = P.join(supporters.lazy().join(base.select("household_id", "pidx"), on="household_id", how="inner"), person.SUPPORTER_PARAMS)
    judged = collect(person.outside_supporters(s, on, P))
    return persons.join(judged, on="person_id", how="left", maintain_order="left").with_columns(
        pl.col("outside_supporters").fill_null(0), pl.col("outside_able").fill_null(False))


def _person_stage(h: pl.DataFrame, persons: pl.DataFrame, P: ptable.Params, on: dt.date) -> pl.DataFrame:
    p = persons.lazy().join(h.lazy().select(PERSON_FROM_HOUSEHOLD), on="household_id", how="inner", maintain_order="left")
    p = P.join(p, PERSON_STAGE_PARAMS)
    p = person.own_income(p, P)
    p = person.gugua(p)
    p = person.individual_application(p, on, P)
    p = person.supplements(p, P)
    p = person.tekun(p, P)
    p = tekun_amount.person_amounts(p, P)  # issue 14: the tekun amount; no dibao parts for tekun
    p = groups.prepare(p, P)
    p = groups.classify(p, P)
    p = followup.flags(p, on, P)
    return collect(mark_sorted(p))


def _finish_households(h: pl.DataFrame, p: pl.DataFrame, P: ptable.Params, on: dt.date) -> pl.DataFrame:
    lonely_age = P["lonely_elderly_age"]
    agg = mark_sorted(by_household(p.lazy()).agg(
        dibao_supplement_fen=pl.col("household_supplement_fen").sum(),
        individual_dibao_fen=pl.col("individual_amount_fen").sum(),
        any_tekun=pl.col("tekun_eligible").any(),
        review_workers=followup.review_worker().any(),
        tekun_amount_fen=pl.col("tekun_amount_fen").sum(),
        any_child_in_difficulty=(pl.col("grp_child_in_difficulty") | pl.col("grp_child_orphan")).any(),
        any_lonely_elderly=((pl.col("age") >= lonely_age) & pl.col("gugua") & pl.col("in_hardship")).any(),
    ))
    out = h.lazy().join(agg, on="household_id", how="left", maintain_order="left").with_columns(
        pl.col("dibao_supplement_fen", "individual_dibao_fen", "tekun_amount_fen").fill_null(0),
        pl.col("any_tekun", "any_child_in_difficulty", "any_lonely_elderly", "review_workers").fill_null(False),
    )
    out = household.dibao_amount(out, P)
    out = out.with_columns(dibao_total_fen=pl.col("dibao_amount_fen") + pl.col("individual_dibao_fen"))
    out = household.dibao_change(out)
    out = followup.review(out, on, P)
    out = out.with_columns(causes=groups.causes(out), categories=groups.categories(), asset_failures=household.asset_failures())
    return collect(out)


def _with_texts(P: ptable.Params, frame: pl.DataFrame, *, persons: bool = False) -> pl.DataFrame:
    """The frame with the varying `src_` texts its reasons use (most batches: none to join)."""
    if not P.memo("texts.vary", lambda: any(c.startswith("src_") and c not in P.constant for c in P.table.columns)):
        return frame
    return collect(text_columns(P, frame.lazy(), persons=persons))


def assess(frames: Frames, on: dt.date, params: ParameterSet | None = None, *, explain: bool = True,
           check_codes: bool = True) -> Assessment:
    """Judge every household of `frames` on the date `on` with `params` (default: shipped YAML).

    Returns an `Assessment` of Polars tables. With `explain`, also the reasons table.
    Raises `schema.SchemaError` for bad input and `ParameterError` when a parameter has no value
    in force for a region on that date.
    """
    params = params or default_parameter_set()
    f = frames.conform(check_codes=check_codes)
    hh, P = ptable.build(f.households, params, on)
    h, persons = _household_stage(f, hh, P, on)
    p = _person_stage(h, persons, P, on)
    h = _finish_households(h, p, P, on)
    group_plan = groups.group_rows(p.lazy(), P)
    reasons = None
    if explain:
        h_text, p_text = _with_texts(P, h), _with_texts(P, p, persons=True)
        group_df, reasons = collect_all([group_plan, reasons_plan(h_text, p_text, P)])
    else:
        group_df = collect(group_plan)
    return Assessment(
        on=on,
        households=h.select(list(HOUSEHOLD_OUTPUT)),
        persons=p.select(list(PERSON_OUTPUT)),
        groups=group_df,
        reasons=reasons,
        parameters=P.table,
    )


def dibao_only(frames: Frames, on: dt.date, params: ParameterSet | None = None) -> pl.DataFrame:
    """The household dibao rule alone (R11, 暂行办法 §12; no supplements, no person rules):
    the same functions as `assess`, for the OpenFisca comparison of the benchmark.

    Members and counted incomes are summed per household over the tables sorted by household
    (`sorted_sums`: cumulative sums read at each household's last row, no hashing), then joined
    to the households in memory — the same sums as `assess`'s group_bys, several times faster."""
    params = params or default_parameter_set()
    from .schema import conform_table

    households = conform_table("households", frames.households, check_codes=False)
    persons = frames.persons.select("household_id", *(["status"] if "status" in frames.persons.columns else []))
    if "status" in persons.columns:
        persons = persons.filter(pl.col("status").fill_null("active") == "active")
    if not persons["household_id"].is_sorted():
        persons = persons.sort("household_id")
    incomes = conform_table("incomes", frames.incomes, check_codes=False)
    hh, P = ptable.build(households, params, on)
    base = P.join_varying(hh.lazy())
    members = sorted_sums(persons.lazy(), {"members": pl.col("household_id").is_not_null().cast(pl.Int64)})
    if P.varies(household.INCOME_ROW_PARAMS):
        inc_hh, _ = household.income_aggregates(incomes.lazy(), on, P, base)
        inc_hh = inc_hh.select("household_id", "income_gross_fen")
    else:
        active = incomes.lazy().filter(active_on("valid_from", "valid_to", on))
        inc_hh = sorted_sums(active, {"income_gross_fen": household.counted_amount(P)})
    h = (
        base.join(members, on="household_id", how="left", maintain_order="left").join(inc_hh, on="household_id", how="left", maintain_order="left")
        .with_columns(pl.col("members").fill_null(0), pl.col("income_gross_fen").fill_null(0),
                      *[pl.lit(0, pl.Int64).alias(c) for c in EXPENSE_COLS],
                      *[pl.lit(0, pl.Int64).alias(c) for c in ("asset_deposit_fen", "asset_vehicles", "asset_businesses", "asset_housing")])
        .with_columns(
            has_members=pl.col("members") > 0,
            standard_fen=pl.when(pl.col("hukou_type") == "urban").then(P["dibao_standard_urban"]).otherwise(P["dibao_standard_rural"]),
        )
    )
    h = household.dibao(tekun_amount.no_split(household.asset_test(household.counted_income(h, P), P)), P)
    h = household.dibao_amount(h.with_columns(dibao_supplement_fen=pl.lit(0, pl.Int64)), P)
    return collect(h.select("household_id", "members", "income_counted_fen", "standard_fen", "dibao_eligible", "dibao_amount_fen"))


def sorted_sums(frame: pl.LazyFrame, values: dict[str, pl.Expr], key: str = "household_id") -> pl.LazyFrame:
    """Per `key`, the sum of each value over a frame sorted by `key` (as `conform` leaves every
    table): the running total at each key's last row minus the one before — a group_by's sums
    without hashing. Keys without rows are absent, as with group_by."""
    names = list(values)
    rows = frame.select(pl.col(key), *[e.fill_null(0).cum_sum().alias(n) for n, e in values.items()])
    last = rows.filter((pl.col(key) != pl.col(key).shift(-1)).fill_null(True))
    return last.with_columns([(pl.col(n) - pl.col(n).shift(1, fill_value=0)) for n in names]).with_columns(
        pl.col(key).set_sorted())


__all__ = ["Assessment", "assess", "dibao_only", "current_categories", "vocab"]
