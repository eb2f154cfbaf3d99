"""Household rules: counted income, rigid expenses, assets, dibao, expenditure poverty,
low-income and near-dibao lines.

Income (办法 §13–14): the household's monthly income is the sum of its income rows valid on the
assessment date, except the kinds the parameter `income_excluded_kinds` leaves out (awards,
assistance payments, disability allowances). Wages are entered net of work costs. Deductible rigid
expenses (R2, 办法 §14) are then subtracted, kind by kind up to each kind's cap, all kinds added
("多重致贫可叠加扣除") unless `rigid_expense_stacking` is false; the result, floored at 0, is the
*counted income* used by every line below. All comparisons are exact integer comparisons of
totals (`income × 1 < standard × members`), never of rounded per-capita figures.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .. import vocab
from .expr import PPM, active_on, by_household, code_list, mark_sorted, round_money
from .ptable import Params

EXPENSE_COLS = [f"exp_{k}" for k in vocab.EXPENSE_KINDS]

def _sum_by_kind(frame: pl.LazyFrame, key: str, kinds: tuple[str, ...], prefix: str) -> pl.LazyFrame:
    amount = pl.col("monthly_amount_fen")
    return mark_sorted(by_household(frame, key).agg([amount.filter(pl.col("kind") == k).sum().alias(f"{prefix}{k}") for k in kinds]), key)


def _kind_flag(P: Params, name: str, kinds: tuple[str, ...]) -> pl.Expr:
    """Whether a row's `kind` is listed in the codes parameter `name` (per region)."""
    flags = {k: P[f"{name}__{k}"] for k in kinds}
    if all(f"{name}__{k}" in P.constant for k in kinds):
        listed = [k for k in kinds if P.constant[f"{name}__{k}"]]
        return pl.col("kind").is_in(listed)
    return pl.any_horizontal([(pl.col("kind") == k) & flag for k, flag in flags.items()])


INCOME_ROW_PARAMS = ["income_excluded_kinds", "review_stable_income_kinds"]
INCOME_COLS = ["income_raw_fen", "income_gross_fen", "income_unstable_fen"]


def income_aggregates(incomes: pl.LazyFrame, on: dt.date, P: Params,
                      households: pl.LazyFrame | None = None) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Monthly income valid on `on` (办法 §13–14), per household and per person.

    Each row is counted unless its kind is in `income_excluded_kinds`; `income_unstable_fen` is
    the counted income of kinds not in `review_stable_income_kinds` (R16). Per household:
    income_raw_fen (everything), income_gross_fen (counted), income_unstable_fen. Per person:
    own_attributed_fen (counted rows attributed to the person).
    """
    active = incomes.filter(active_on("valid_from", "valid_to", on))
    if P.varies(INCOME_ROW_PARAMS):
        active = mark_sorted(P.join(active.join(households.select("household_id", "pidx"), on="household_id", how="inner",
                                                maintain_order="left"), INCOME_ROW_PARAMS))
    amount = pl.col("monthly_amount_fen")
    counted = counted_amount(P)
    stable = _kind_flag(P, "review_stable_income_kinds", vocab.INCOME_KINDS)
    rows = active.select("household_id", "person_id", amount.alias("raw"), counted.alias("counted"), stable.alias("stable"))
    per_household = mark_sorted(by_household(rows).agg(
        income_raw_fen=pl.col("raw").sum(),
        income_gross_fen=pl.col("counted").sum(),
        income_unstable_fen=pl.col("counted").filter(~pl.col("stable")).sum(),
    ))
    per_person = mark_sorted(rows.filter(pl.col("person_id").is_not_null()).group_by("person_id").agg(
        own_attributed_fen=pl.col("counted").sum()).sort("person_id"), "person_id")
    return per_household, per_person


def counted_amount(P: Params) -> pl.Expr:
    """An income row's counted amount: 0 when its kind is in `income_excluded_kinds`."""
    return pl.when(_kind_flag(P, "income_excluded_kinds", vocab.INCOME_KINDS)).then(0).otherwise(pl.col("monthly_amount_fen"))


def expense_aggregates(expenses: pl.LazyFrame, on: dt.date) -> pl.LazyFrame:
    """Monthly rigid expenses by kind valid on `on`, per household (R2)."""
    active = expenses.filter(active_on("valid_from", "valid_to", on))
    return _sum_by_kind(active, "household_id", vocab.EXPENSE_KINDS, "exp_")


def asset_aggregates(assets: pl.LazyFrame, households: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """Deposits, counted vehicles, businesses and housing per household.

    A vehicle whose value per unit is below `asset_vehicle_exempt_below` (e.g. a disabled
    person's mobility scooter) is not counted."""
    unit_value = pl.col("value_fen") // pl.max_horizontal(pl.col("quantity"), pl.lit(1))
    exempt = P["asset_vehicle_exempt_below"]
    if "asset_vehicle_exempt_below" not in P.constant:
        assets = mark_sorted(assets.join(P.join(households.select("household_id", "pidx"), ["asset_vehicle_exempt_below"]),
                                         on="household_id", how="inner", maintain_order="left"))
    return mark_sorted(
        by_household(assets)
        .agg(
            pl.col("value_fen").filter(pl.col("kind") == "deposit").sum().alias("asset_deposit_fen"),
            pl.col("quantity").filter((pl.col("kind") == "vehicle") & (unit_value >= exempt)).sum().alias("asset_vehicles"),
            pl.col("quantity").filter(pl.col("kind") == "business").sum().alias("asset_businesses"),
            pl.col("quantity").filter(pl.col("kind") == "housing").sum().alias("asset_housing"),
        )
    )


def counted_income(h: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """R2 and 办法 §14: deductible rigid expenses (capped per kind, stacked or the largest),
    and the counted income = gross counted income − deductions, floored at 0."""
    def _flag(name: str) -> pl.Expr:
        return P[name].cast(pl.Int64)

    parts = []
    raw_parts = []
    for k in vocab.EXPENSE_KINDS:
        cap = P[f"rigid_expense_cap_{k}"]
        capped = pl.when(cap.is_null()).then(pl.col(f"exp_{k}")).otherwise(pl.min_horizontal(pl.col(f"exp_{k}"), cap))
        parts.append(capped * _flag(f"rigid_expense_deductible_kinds__{k}"))
        raw_parts.append(pl.col(f"exp_{k}") * _flag(f"rigid_expense_deductible_kinds__{k}"))
    deducted = pl.when(P["rigid_expense_stacking"]).then(pl.sum_horizontal(parts)).otherwise(pl.max_horizontal(parts))
    return h.with_columns(
        rigid_expense_fen=pl.sum_horizontal(raw_parts),
        rigid_expense_deducted_fen=deducted,
    ).with_columns(
        income_counted_fen=pl.max_horizontal(pl.col("income_gross_fen") - pl.col("rigid_expense_deducted_fen"), pl.lit(0)),
    )


def asset_test(h: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """Assets within the local rules (暂行办法 §9; limits are parameters, all inclusive):
    deposits ≤ months × standard × members; vehicles, businesses, housing ≤ their counts."""
    deposit_limit = P["asset_deposit_months_per_head"] * pl.col("standard_fen") * pl.col("members")
    over = {
        "deposit": pl.col("asset_deposit_fen") > deposit_limit,
        "vehicle": pl.col("asset_vehicles") > P["asset_vehicle_max_count"],
        "business": pl.col("asset_businesses") > P["asset_business_max_count"],
        "housing": pl.col("asset_housing") > P["asset_housing_max_count"],
    }
    return h.with_columns(
        asset_deposit_limit_fen=deposit_limit, **{f"asset_{k}_over": v for k, v in over.items()},
    ).with_columns(assets_ok=~pl.any_horizontal([f"asset_{k}_over" for k in over]))


ASSET_CHECKS = ("deposit", "vehicle", "business", "housing")


def asset_failures() -> pl.Expr:
    """The list of failed asset checks, for the output table."""
    return code_list([(k, pl.col(f"asset_{k}_over")) for k in ASSET_CHECKS])


def dibao(h: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """R11, 暂行办法 §9 and §12, R2, R1b, 办法 §8.

    - income below standard: gross counted per-capita income < standard (strictly: at the
      standard is not "below").
    - expenditure poverty (R2, R1c): not below before deductions, below after deducting rigid
      expenses, with some deduction; joins dibao when `expenditure_poverty_joins_dibao`.
    - dibao eligible: members > 0, local hukou, assets within limits, and below (either way).
    - gap (household amount before supplements) = standard × members − counted income, exact.
    - members and incomes are those of the members who are not tekun (`dibao_members`,
      `dibao_income_*`: tekun_amount.split_households, issue 14).
    - low income (R1b): counted per-capita income ≤ low_income_factor × standard (inclusive),
      assets within limits.
    - near-dibao (办法 §8): not dibao eligible, counted per-capita < near_dibao_factor × standard
      (exclusive), assets within limits.
    """
    threshold = pl.col("standard_fen") * pl.col("dibao_members")
    base = (pl.col("dibao_members") > 0) & pl.col("assets_ok")
    below_gross = pl.col("dibao_income_gross_fen") < threshold
    below_counted = pl.col("dibao_income_counted_fen") < threshold
    expenditure = base & pl.col("local_hukou") & ~below_gross & below_counted & (pl.col("rigid_expense_deducted_fen") > 0)
    by_income = base & pl.col("local_hukou") & below_gross
    eligible = by_income | (expenditure & P["expenditure_poverty_joins_dibao"])
    counted_ppm = pl.col("dibao_income_counted_fen") * PPM
    return h.with_columns(
        threshold_fen=threshold,
        income_below_standard=below_gross,
        expenditure_poverty=expenditure,
        dibao_eligible=eligible,
        dibao_basis=pl.when(by_income).then(pl.lit("income")).when(eligible).then(pl.lit("expenditure")),
        dibao_gap_fen=pl.when(eligible).then(threshold - pl.col("dibao_income_counted_fen")).otherwise(0),
        low_income=base & (counted_ppm <= P["low_income_factor"] * threshold),
        near_dibao=base & ~eligible & (counted_ppm < P["near_dibao_factor"] * threshold),
        per_capita_income_fen=pl.when(pl.col("dibao_members") > 0).then(pl.col("dibao_income_counted_fen") // pl.col("dibao_members")),
        per_capita_gross_fen=pl.when(pl.col("dibao_members") > 0).then(pl.col("dibao_income_gross_fen") // pl.col("dibao_members")),
    )


def dibao_amount(h: pl.LazyFrame, P: Params) -> pl.LazyFrame:
    """Household amount = gap + supplements, rounded per `rounding_household_amount` (R14, §12)."""
    unrounded = pl.col("dibao_gap_fen") + pl.col("dibao_supplement_fen")
    amount = round_money(unrounded, 1, P["rounding_household_amount__unit"], P["rounding_household_amount__dir"])
    return h.with_columns(dibao_amount_fen=pl.when(pl.col("dibao_eligible")).then(amount).otherwise(0))


def dibao_change(h: pl.LazyFrame) -> pl.LazyFrame:
    """Compare the judged amount with the current benefit, for reassessment (issue 3)."""
    now, new = pl.col("current_dibao_fen"), pl.col("dibao_total_fen")
    has_now = pl.col("current_dibao")
    has_new = new > 0
    return h.with_columns(dibao_change=(
        pl.when(has_now & ~has_new).then(pl.lit("no_longer_eligible"))
        .when(~has_now & has_new).then(pl.lit("newly_eligible"))
        .when(has_now & now.is_null()).then(pl.lit("amount_unknown"))
        .when(has_now & (new > now)).then(pl.lit("amount_up"))
        .when(has_now & (new < now)).then(pl.lit("amount_down"))
        .when(has_now).then(pl.lit("unchanged"))
    ))
