"""Follow-up worklists from the policy engine's flags (R4; seed 篇五 三、2).

`sync_worklists` judges the households of a region (or given households) with the same loader
and engine as the reassessment (policy.assessment.households_assess) and reads each
person's `flags` (policy/engine/followup.py: school_not_enrolled, disability_no_certificate,
certificate_check_overdue, elderly_unsafe_housing). Then:

- a flag with no open item for that person and kind opens one (owner unassigned, due date =
  the day + `followup_due_days`);
- a flag that already has an open item leaves it alone — reassessment after reassessment does
  not open it again (one open item per person and kind, a partial unique constraint);
- an open engine item whose flag is gone (the child is enrolled, the certificate renewed, the
  person died or moved out, the household left the register) is closed as "flag cleared".

Items opened by hand (from a visit, e.g. employment needs of R9) are never closed here.

Hook: the coordinator calls `sync_worklists(region_code=run.region_code, on_date=run.on_date)`
after `policy.reassessment` stores a run (or `bangfu sync-worklists --region … --date …` after
`bangfu reassess`); or, inside the reassessment's per-county loop, `sync_assessment(result,
bounds=…, on_date=…)` with the Assessment it already has, so the engine runs once. The engine's flags depend only on the registry and the parameters, so the
call may also run on its own, e.g. nightly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bangfu.common.progress import NullProgress, Progress
from bangfu.regions.codes import COUNTY, RegionCode
from bangfu.regions.models import Region

from . import choices as c
from . import rules
from .models import FollowUpItem

ENGINE_CODES = tuple(str(k) for k in c.ENGINE_KINDS)


@dataclass
class SyncResult:
    flagged: int = 0
    opened: int = 0
    kept: int = 0
    closed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"flagged": self.flagged, "opened": self.opened, "kept": self.kept, "closed": self.closed}


def _counties(region: RegionCode) -> list[RegionCode]:
    """Split a region into its counties (batch work runs per county, architecture.md "Scale")."""
    if region.level >= COUNTY:
        return [region]
    codes = Region.objects.within(region).filter(level=COUNTY).order_by("code").values_list("code", flat=True)
    return [RegionCode(code) for code in codes] or [region]


def flagged_persons(*, bounds: tuple[str, str] | None = None, household_ids: list[int] | None = None,
                    on_date: dt.date) -> pl.DataFrame:
    """person_id, household_id, region_code, kind: one row per engine flag in force on the day."""
    from bangfu.policy.assessment import households_assess

    result = households_assess(bounds=bounds, household_ids=household_ids, on=on_date, explain=False)
    empty = pl.DataFrame(schema={"person_id": pl.Int64, "household_id": pl.Int64, "region_code": pl.String, "kind": pl.String})
    if result is None:
        return empty
    return flags_of(result)


def flags_of(result) -> pl.DataFrame:
    """The flag rows of an engine `Assessment` (policy.engine.assess)."""
    empty = pl.DataFrame(schema={"person_id": pl.Int64, "household_id": pl.Int64, "region_code": pl.String, "kind": pl.String})
    regions = result.households.select("household_id", "region_code")
    rows = (result.persons.select("person_id", "household_id", "flags").explode("flags").drop_nulls("flags")
            .rename({"flags": "kind"}).filter(pl.col("kind").is_in(ENGINE_CODES))
            .join(regions, on="household_id", how="left"))
    return rows.select(empty.columns).cast(empty.schema) if rows.height else empty


def sync_assessment(result, *, bounds: tuple[str, str], on_date: dt.date, acting_user=None) -> SyncResult:
    """Sync from an Assessment the caller already has — the reassessment's chunk for a county —
    so the engine does not run twice. `bounds` is the code range the assessment judged."""
    return _sync_part(bounds=bounds, household_ids=None, on_date=on_date, acting_user=acting_user, flagged=flags_of(result))


def sync_after_reassessment(sender, *, result, bounds, on_date, acting_user=None, **kwargs) -> SyncResult:
    """Receiver of `policy.signals.chunk_assessed`: every reassessment keeps the follow-up
    worklists in step with the flags, from the engine's own result (no second run)."""
    return sync_assessment(result, bounds=bounds, on_date=on_date, acting_user=acting_user)


def sync_worklists(*, region_code: str | None = None, household_ids: list[int] | None = None, on_date: dt.date,
                   acting_user=None, progress: Progress | None = None) -> SyncResult:
    """Open and close R4 follow-up items for a region subtree (`region_code`, 2–12 digits,
    padded) or for given households, from the engine's flags on `on_date`. Idempotent."""
    if (region_code is None) == (household_ids is None):
        raise ValueError("give region_code or household_ids")
    progress = progress or NullProgress()
    total = SyncResult()
    if household_ids is not None:
        parts = [(None, sorted(set(int(h) for h in household_ids)))]
    else:
        parts = [(county.bounds, None) for county in _counties(RegionCode.from_digits(region_code))]
    progress.start(len(parts), _("跟进清单"))
    for bounds, ids in parts:
        result = _sync_part(bounds=bounds, household_ids=ids, on_date=on_date, acting_user=acting_user)
        for key, value in result.as_dict().items():
            setattr(total, key, getattr(total, key) + value)
        progress.advance()
    progress.finish()
    return total


@transaction.atomic
def _sync_part(*, bounds, household_ids, on_date: dt.date, acting_user, flagged: pl.DataFrame | None = None) -> SyncResult:
    if flagged is None:
        flagged = flagged_persons(bounds=bounds, household_ids=household_ids, on_date=on_date)
    keys = {(p, k): (h, r) for p, h, r, k in flagged.iter_rows()}
    open_items = FollowUpItem.objects.select_for_update().filter(closed_on__isnull=True, kind__in=ENGINE_CODES)
    if household_ids is not None:
        open_items = open_items.filter(household_id__in=household_ids)
    else:
        open_items = open_items.within(RegionCode.from_bounds(*bounds))
    existing = {(i.person_id, i.kind): i for i in open_items.order_by("pk")}
    result = SyncResult(flagged=len(keys))
    due_days: dict[str, int] = {}
    new = []
    for (person_id, kind), (household_id, region_code) in keys.items():
        if (person_id, kind) in existing:
            result.kept += 1
            continue
        if region_code not in due_days:
            due_days[region_code] = rules.parameter_value("followup_due_days", region_code, on_date)
        new.append(FollowUpItem(kind=kind, person_id=person_id, household_id=household_id, region_code=region_code,
                                opened_on=on_date, due_date=on_date + dt.timedelta(days=due_days[region_code]), source="engine"))
    if new:
        bulk_create_with_history(new, FollowUpItem, batch_size=2000, default_user=acting_user)
    result.opened = len(new)
    gone = [item for key, item in existing.items() if key not in keys and item.source == "engine"]
    for item in gone:
        item.status, item.closed_on, item.close_reason = c.ItemStatus.CLOSED, on_date, c.CloseReason.FLAG_CLEARED
    if gone:
        bulk_update_with_history(gone, FollowUpItem, ["status", "closed_on", "close_reason"], batch_size=2000, default_user=acting_user)
    result.closed = len(gone)
    return result
