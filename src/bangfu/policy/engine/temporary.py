"""Temporary assistance (临时救助): 暂行办法 §47–49, R1a, R2 (emergency assistance).

- Emergency type (急难型): an emergency event (fire, accident, sudden illness, disaster, epidemic)
  on or before the assessment date and at most `temporary_emergency_window_days` days before
  it. Need = the loss or urgent expense entered with the event. Help first, paperwork after
  (先行救助).
- Expenditure type (支出型): the household's deductible rigid expenses exceed what its income
  above the standard of living can bear: uncovered = rigid expenses − max(0, gross counted
  income − standard × members); need = uncovered × `temporary_expenditure_need_months`.
- Grade: the highest grade whose `min_need_multiple` × monthly standard ≤ need. Amount =
  min(need, grade's `max_amount_multiple` × standard), rounded per `rounding_household_amount`.
  An emergency with no loss entered gets no amount (the reason asks for it).
- The township (乡镇/街道) may approve alone when the amount ≤ `temporary_township_approval_max`.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .expr import PPM, round_money
from .ptable import Params


def temporary_assistance(h: pl.LazyFrame, on: dt.date, P: Params) -> pl.LazyFrame:
    days = (pl.lit(on) - pl.col("emergency_date")).dt.total_days()
    emergency = (
        pl.col("emergency_event").is_not_null() & pl.col("emergency_date").is_not_null()
        & (pl.col("emergency_date") <= on) & (days <= P["temporary_emergency_window_days"])
    ).fill_null(False)
    over_standard = pl.max_horizontal(pl.col("income_gross_fen") - pl.col("threshold_fen"), pl.lit(0))
    uncovered = pl.max_horizontal(pl.col("rigid_expense_fen") - over_standard, pl.lit(0))
    h = h.with_columns(
        ta_emergency=emergency,
        ta_uncovered_fen=uncovered,
        ta_expenditure=pl.col("has_members") & (uncovered > 0),
    )
    need = (
        pl.when(pl.col("ta_emergency")).then(pl.col("emergency_loss_fen")).otherwise(0)
        + pl.when(pl.col("ta_expenditure")).then(pl.col("ta_uncovered_fen") * P["temporary_expenditure_need_months"]).otherwise(0)
    )
    h = h.with_columns(
        ta_type=pl.when(pl.col("ta_emergency") & pl.col("ta_expenditure")).then(pl.lit("both"))
        .when(pl.col("ta_emergency")).then(pl.lit("emergency"))
        .when(pl.col("ta_expenditure")).then(pl.lit("expenditure")),
        ta_need_fen=need,
    )
    n_grades = len([c for c in P.expand("temporary_grades") if c.endswith("_min")])
    std = pl.col("standard_fen")
    grade = pl.lit(0, pl.Int64)
    for i in range(1, n_grades + 1):
        reached = (pl.col("ta_need_fen") * PPM >= P[f"temporary_grades__{i}_min"] * std).fill_null(False)
        grade = grade + reached.cast(pl.Int64)
    h = h.with_columns(ta_grade=pl.when(pl.col("ta_type").is_not_null() & (pl.col("ta_need_fen") > 0)).then(grade))
    cap = pl.lit(None, pl.Int64)
    label = pl.lit(None, pl.String)
    for i in range(1, n_grades + 1):
        cap = pl.when(pl.col("ta_grade") == i).then(P[f"temporary_grades__{i}_max"] * std // PPM).otherwise(cap)
        label = pl.when(pl.col("ta_grade") == i).then(P[f"temporary_grades__{i}_label"]).otherwise(label)
    amount = round_money(pl.min_horizontal(pl.col("ta_need_fen"), cap), 1,
                         P["rounding_household_amount__unit"], P["rounding_household_amount__dir"])
    h = h.with_columns(
        ta_grade_label=label, ta_cap_fen=cap,
        ta_amount_fen=pl.when(pl.col("ta_grade").is_not_null()).then(amount),
    )
    return h.with_columns(
        ta_township_may_approve=pl.when(pl.col("ta_amount_fen").is_not_null())
        .then(pl.col("ta_amount_fen") <= P["temporary_township_approval_max"]),
        in_hardship=pl.col("low_income") | pl.col("expenditure_poverty") | pl.col("ta_type").is_not_null(),
    )
