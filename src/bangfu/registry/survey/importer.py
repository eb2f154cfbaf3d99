"""Survey import (摸底导入, R3; issue 2 item 6): read → parse and check → match → write.

    report = survey_import(acting_user=user, source="摸底.xlsx", mode=GOOD_ROWS, dry_run=True)

Bad input answers with every bad row and column and its reason in Chinese. In all_or_nothing mode
any error means nothing is written; in good_rows mode the households whose rows are all good are
written and the others come back in report.rejected (write them out with write_bad_rows).
A re-import updates by ID number: no person or household is created twice.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from contextlib import contextmanager

from django.db import IntegrityError
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.common.progress import NullProgress, Progress
from bangfu.registry.error_codes import RegistryErrorCode

from .. import permissions
from .plan import HouseholdPlan, fetch_registry, plan_households
from .reader import SurveyFileError, read_survey
from .report import ALL_OR_NOTHING, GOOD_ROWS, MODES, ImportReport
from .validate import group_households, parse_rows
from .writer import Conflict, write_plans


class SurveyConflict(SurveyFileError):
    """The registry changed under the import; nothing was written and a new try will do."""

    default_code = RegistryErrorCode.CONFLICT


__all__ = ["survey_import", "SurveyFileError", "ALL_OR_NOTHING", "GOOD_ROWS", "ImportReport"]


def survey_import(*, acting_user, source, filename: str | None = None, mode: str = ALL_OR_NOTHING, dry_run: bool = False,
                  progress: Progress | None = None, today: dt.date | None = None) -> ImportReport:
    """Import a survey sheet for `acting_user`, within their region only.

    Raises SurveyFileError when the file as a whole cannot be read (no file, wrong type, empty,
    missing columns) and RegistryError when the user may not import; row problems go in the report."""
    check_perm(acting_user, permissions.IMPORT, _("您没有导入摸底数据的权限"))
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    with _collector_paused():
        return _import(acting_user=acting_user, source=source, filename=filename, mode=mode, dry_run=dry_run,
                       progress=progress or NullProgress(), today=today)


@contextmanager
def _collector_paused():
    """An import holds a few million small objects, none in reference cycles; left on, the cyclic
    garbage collector rescans them all again and again and the import turns quadratic."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(*, acting_user, source, filename, mode, dry_run, progress: Progress, today) -> ImportReport:
    clock = time.perf_counter()
    sheet = read_survey(source, filename=filename)
    report = ImportReport(mode=mode, dry_run=dry_run, headers=list(sheet.headers))
    report.seconds["read"] = _lap(clock)

    clock = time.perf_counter()
    progress.start(len(sheet.rows), "校验")
    rows = parse_rows(sheet, progress=progress)
    groups = group_households(rows)
    registry = fetch_registry(groups, viewer=acting_user, today=today)
    plans = plan_households(groups, registry, viewer=acting_user)
    progress.finish()
    _count(report, plans)
    report.seconds["validate"] = _lap(clock)

    good = [p for p in plans if not p.bad]
    if dry_run or not good or (mode == ALL_OR_NOTHING and not report.ok):
        return report
    clock = time.perf_counter()
    progress.start(sum(len(p.rows.rows) for p in good), "写入")
    try:
        write_plans(good, acting_user=acting_user, today=today, progress=progress)
    except (IntegrityError, Conflict):
        # someone registered one of these people, or removed a record, between our reads and writes
        raise SurveyConflict(_("导入时系统中的数据已被他人修改（例如同一人刚被登记），未写入任何数据；请重新试运行后再导入")) from None
    progress.finish()
    report.written = True
    report.seconds["write"] = _lap(clock)
    return report


def _lap(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _count(report: ImportReport, plans: list[HouseholdPlan]) -> None:
    errors = []
    for plan in plans:
        report.rows += len(plan.rows.rows)
        report.households += 1
        if plan.bad:
            report.skipped_households += 1
            report.skipped_rows += len(plan.rows.rows)
            bad_rows = [r.row for r in plan.rows.rows if r.errors]
            for row in plan.rows.rows:
                errors.extend(row.errors)
                if row.errors:
                    reason = "；".join(f"“{e.column}”{e.message}" if e.column else e.message for e in sorted(row.errors))
                else:
                    reason = f"本户其他行有错误（{'、'.join(f'第{n}行' for n in bad_rows)}），本行未导入"
                report.rejected.append((row.row, row.cells, reason))
            report.bad_rows += len(bad_rows)
            continue
        if plan.existing is None:
            report.new_households += 1
        elif plan.changes_household:
            report.updated_households += 1
        report.new_persons += len(plan.new_rows)
        report.updated_persons += len({p.pk for p, _ in plan.person_changes} | {p.pk for p in plan.joins})
        report.unchanged_persons += plan.unchanged_persons
        report.new_items += len(plan.incomes_new) + len(plan.classifications_new) + len(plan.assets_new) + len(plan.expenses_new)
        report.updated_items += len(plan.incomes_changed) + len(plan.assets_changed) + len(plan.expenses_changed)
        report.removed_items += len(plan.assets_removed) + len(plan.expenses_ended)
    report.errors = sorted(errors)
    report.rejected.sort(key=lambda item: item[0])
