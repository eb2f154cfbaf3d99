"""Tekun is its own programme (issue 14): the split from dibao and the tekun amount.

Rules, with their source:

- A person found tekun-eligible (person.tekun, 《特困人员认定办法》) is supported as tekun
  (《社会救助暂行办法》第十四条; 国发〔2016〕14号《国务院关于进一步健全特困人员救助供养制度的意见》
  二、（五）制度衔接) and not also paid dibao: the household's dibao is judged without that person.
  The others are judged as the household: members = the members who are not tekun; income = the
  household's counted income less the tekun persons' own counted income (their attributed
  income rows; for a one-person household, all of it) — a tekun person's income is their own, as
  the 认定办法's "无生活来源" judges the person's own income, so it neither counts for nor
  against the others. Rigid expenses stay with the household (办法 §14 deducts the household's
  rigid expenses; the registry rarely attributes them). Assets are the household's, as the
  asset test of the tekun rule itself reads them. A tekun person gets no A/B supplement and no
  individual dibao (单人保): those are dibao.
- The amount (国发〔2016〕14号 二、（三）救助供养标准): basic living standard + care standard.
  Basic living standard: `tekun_basic_standard_urban/rural` (by the household's hukou type, as the
  dibao standard) when set, else derived as ceil(`tekun_basic_factor` × dibao standard) to the
  yuan; never below that floor (a stored value below it is refused by the parameters, and a
  simulated dibao raise lifts it to the floor). Care standard: `tekun_care_<mode>_<level>` for the
  person's care level (全自理 / 半护理 / 全护理 from the six activities, person_basics) and support
  mode (分散 dispersed / 集中 institutional, 国发〔2016〕14号 二、（四）). The mode is the input
  column `tekun_support_mode` given by the case or benefit; when it is empty, a person living in
  an institution (`living_situation` "institution") is taken as institutional, anyone else as
  dispersed.

Everything is a Polars expression over the batch: one extra join of the persons with a few
household columns before the dibao rule (the split must be known before the gap is computed).
"""

from __future__ import annotations

import polars as pl

from . import person
from .expr import PPM, by_household, collect_all, mark_sorted, round_money
from .ptable import Params

# The person columns the tekun rule reads are in the persons table after person_basics; these are
# the household columns it reads (person.own_income, person.tekun), known before the dibao rule.
HOUSEHOLD_COLUMNS = ["members", "income_gross_fen", "standard_fen", "assets_ok", "local_hukou", "current_dibao", "dibao_as_whole"]
ELIGIBILITY_PARAMS = ["tekun_elderly_age", "tekun_minor_age", "tekun_disability_max_grade", "tekun_labor_capacity_none_counts",
                      *person.SUPPORTER_PARAMS]
CARE_LEVELS = ("self_care", "partial", "full")
AMOUNT_PARAMS = ["tekun_basic_factor", "tekun_basic_standard_urban", "tekun_basic_standard_rural",
                 *[f"tekun_care_{m}_{lv}" for m in ("dispersed", "institutional") for lv in CARE_LEVELS]]
DIBAO_COLUMNS = ["dibao_members", "dibao_income_gross_fen", "dibao_income_counted_fen"]


def split_households(h: pl.LazyFrame, persons: pl.DataFrame, own_attributed: pl.LazyFrame,
                     P: Params) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The household columns the dibao rule judges on, with the tekun members taken out:
    tekun_members, tekun_income_fen, dibao_members, dibao_income_gross_fen and
    dibao_income_counted_fen (gross less the tekun income, less the rigid-expense deduction,
    floored at 0). `h` has gone through counted_income and asset_test.

    Returns (households, own_attributed), both computed here once: the engine's plans run without
    common-subplan elimination (expr.OPTIMIZATIONS), so reading them twice lazily would aggregate
    the income, expense and asset rows twice."""
    h_df, own_df = collect_all([as_whole(h), own_attributed])
    h, own_attributed = mark_sorted(h_df.lazy()), mark_sorted(own_df.lazy(), "person_id")
    # Every member: whether another member is an able supporter (认定办法 第十条) is judged over the
    # whole household, so the candidates can't be picked out first.
    p = persons.lazy()
    household_cols = HOUSEHOLD_COLUMNS + ([] if "pidx" in persons.columns else ["pidx"])
    p = p.join(h.select("household_id", *household_cols), on="household_id", how="inner", maintain_order="left")
    p = p.join(own_attributed, on="person_id", how="left", maintain_order="left")
    p = P.join(p, ELIGIBILITY_PARAMS)
    p = person.tekun(person.own_income(p, P), P)
    per_household = mark_sorted(by_household(p.filter(pl.col("tekun_eligible"))).agg(
        tekun_members=pl.len().cast(pl.Int64), tekun_income_fen=pl.col("own_income_fen").sum().cast(pl.Int64)))
    h = h.join(per_household, on="household_id", how="left", maintain_order="left").with_columns(
        pl.col("tekun_members", "tekun_income_fen").fill_null(0))
    gross = pl.max_horizontal(pl.col("income_gross_fen") - pl.col("tekun_income_fen"), pl.lit(0))
    return h.with_columns(
        dibao_members=pl.col("members") - pl.col("tekun_members"),
        dibao_income_gross_fen=gross,
        dibao_income_counted_fen=pl.max_horizontal(gross - pl.col("rigid_expense_deducted_fen"), pl.lit(0)),
    ), own_attributed


def as_whole(h: pl.LazyFrame) -> pl.LazyFrame:
    """`dibao_as_whole`: the household, judged with every member, has income below the standard
    (暂行办法 §9), assets within the rules and local hukou. The tekun rule reads it for
    认定办法 第十条（二）: a member aged 60 or more of a household that receives dibao — or that is a
    dibao household once judged — cannot support. Judged before the split (which takes the tekun
    members out), so the split and the person rules read one fact: whether an elderly spouse is
    'on dibao' can't depend on whether the person they would support is tekun."""
    return h.with_columns(dibao_as_whole=(pl.col("members") > 0) & pl.col("assets_ok") & pl.col("local_hukou")
                          & (pl.col("income_gross_fen") < pl.col("standard_fen") * pl.col("members")))


def no_split(h: pl.LazyFrame) -> pl.LazyFrame:
    """The dibao columns for a run without person rules (run.dibao_only): everyone counts."""
    return as_whole(h).with_columns(
        tekun_members=pl.lit(0, pl.Int64), tekun_income_fen=pl.lit(0, pl.Int64), dibao_members=pl.col("members"),
        dibao_income_gross_fen=pl.col("income_gross_fen"), dibao_income_counted_fen=pl.col("income_counted_fen"))


def basic_floor(P: Params) -> pl.Expr:
    """ceil(factor × dibao standard) to the yuan (parameters.helpers.tekun_basic_floor_fen)."""
    return round_money(pl.col("standard_fen") * P["tekun_basic_factor"], PPM, pl.lit(100, pl.Int64), pl.lit(1))


def support_mode() -> pl.Expr:
    return pl.col("tekun_support_mode").fill_null(
        pl.when(pl.col("living_situation") == "institution").then(pl.lit("institutional")).otherwise(pl.lit("dispersed")))


def person_amounts(p: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """Each person's tekun amount (0 unless tekun-eligible) and the dibao parts a tekun person
    does not get: the A/B supplement, the individual dibao, the own dibao level."""
    explicit = pl.when(pl.col("hukou_type") == "urban").then(P["tekun_basic_standard_urban"]).otherwise(P["tekun_basic_standard_rural"])
    basic = pl.max_horizontal(explicit, basic_floor(P))  # max ignores a null (not set): the floor
    mode = support_mode()
    care = pl.lit(0, pl.Int64)
    for m in ("dispersed", "institutional"):
        for level in CARE_LEVELS:
            care = pl.when((mode == m) & (pl.col("care_level") == level)).then(P[f"tekun_care_{m}_{level}"]).otherwise(care)
    tk = pl.col("tekun_eligible")
    p = p.with_columns(
        tekun_support_mode=pl.when(tk).then(mode),
        tekun_basic_fen=pl.when(tk).then(basic).otherwise(0),
        tekun_care_fen=pl.when(tk).then(care).otherwise(0),
    ).with_columns(tekun_amount_fen=pl.col("tekun_basic_fen") + pl.col("tekun_care_fen"))
    return p.with_columns(
        individual_eligible=pl.col("individual_eligible") & ~tk,
        individual_amount_fen=pl.when(tk).then(0).otherwise(pl.col("individual_amount_fen")),
        supplement_class=pl.when(~tk).then(pl.col("supplement_class")),
        supplement_rate=pl.when(tk).then(0).otherwise(pl.col("supplement_rate")),
        in_both_classes=pl.col("in_both_classes") & ~tk,
        supplement_fen=pl.when(tk).then(0).otherwise(pl.col("supplement_fen")),
        household_supplement_fen=pl.when(tk).then(0).otherwise(pl.col("household_supplement_fen")),
        dibao_level_fen=pl.when(tk).then(0).otherwise(pl.col("dibao_level_fen")),
    )
