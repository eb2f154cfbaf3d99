"""Rules of the case workflow that are not steps: time limits (办法 §15, §20–22; 特困人员认定办法),
delegated approval (R5), the township's temporary-assistance limit (暂行办法 §48), and the error
every refused step raises."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.common.errors import DomainError
from bangfu.regions.codes import COUNTY, RegionCode

from . import transitions as tt
from .choices import APPLICATION_TYPES, FINAL_STATES, CaseState as S, CaseType as T
from .error_codes import CaseErrorCode
from .models import NO_DEADLINE, ApprovalDelegation, Case
from .workdays import add_workdays

# Time limits in working days (办法 §15, §20–22; 特困人员认定办法 §10–12). National defaults.
INVESTIGATION_START_DAYS = 3
DECISION_DAYS = 10
REJECTION_NOTICE_DAYS = 3
TOTAL_DAYS, TOTAL_DAYS_DELEGATED, TOTAL_DAYS_EXTENDED = 30, 20, 45
TEKUN_TOWNSHIP_DAYS, TEKUN_COUNTY_DAYS = 15, 15
NOTICE_DAYS = 7  # calendar days in the village (办法 §19; 特困人员认定办法 §11)
GRADUAL_EXIT_MAX_MONTHS = 6  # 办法 §33
ONLINE_LIMIT_PER_HOUR = 5  # public form submissions per address and hour


class CaseError(DomainError):
    """A refused step, with a Chinese message. `code` (CaseErrorCode): forbidden (403), invalid
    (400), stale (409), rate_limited (429)."""

    default_code = CaseErrorCode.INVALID

    def __init__(self, message: str, code: str | None = None, **kwargs):
        super().__init__(message, code=code, **kwargs)




def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# ----------------------------------------------------------------------------- delegation, deadlines


def county_code_of(region_code: str) -> str:
    return RegionCode(region_code).ancestor_or_self(COUNTY).code


def is_delegated(region_code: str, programme: str, on: dt.date) -> bool:
    """Whether the county of `region_code` has delegated approval of `programme` to its townships
    on `on` (R5; configured per county in `ApprovalDelegation`)."""
    return ApprovalDelegation.objects.filter(
        county_code=county_code_of(region_code), programme=programme, valid_from__lte=on,
    ).exclude(valid_to__lte=on).exists()


def township_limit_fen(region_code: str, on: dt.date) -> int:
    """What a township may approve alone for one temporary assistance (policy parameter
    `temporary_township_approval_max`, 暂行办法 §48)."""
    from bangfu.policy.current import current_parameter_set

    value = current_parameter_set().value("temporary_township_approval_max", region_code, on)
    return int(value)


def _set_due(case: Case) -> None:
    case.waits_for = tt.waiting_level(case.case_type, case.state, case.decider_level)
    if case.state in FINAL_STATES:
        case.due_date = NO_DEADLINE
        return
    dates = [d for d in (case.step_deadline, case.overall_deadline) if d is not None]
    case.due_date = min(dates) if dates else NO_DEADLINE


def _overall_days(case: Case) -> int:
    if case.extended:
        return TOTAL_DAYS_EXTENDED
    return TOTAL_DAYS_DELEGATED if case.delegated else TOTAL_DAYS


def _deadlines_on_entry(case: Case, today: dt.date) -> None:
    """The step deadline of the state the case just entered (and the overall one at acceptance)."""
    state, kind = case.state, case.case_type
    dibao_like = kind in (T.DIBAO, T.DIBAO_INDIVIDUAL)
    if state == S.ACCEPTED:
        if kind == T.TEKUN:
            case.step_deadline = add_workdays(today, TEKUN_TOWNSHIP_DAYS)  # township: investigation + initial review
        else:
            case.step_deadline = add_workdays(today, INVESTIGATION_START_DAYS)  # 办法 §15
        if dibao_like:
            case.overall_deadline = add_workdays(today, _overall_days(case))  # 办法 §22
    elif state in (S.INVESTIGATING, S.INVESTIGATED, S.DEMOCRATIC_REVIEW):
        if kind != T.TEKUN:
            case.step_deadline = None  # no own limit: the overall one applies
    elif state == S.NOTICE:
        case.step_deadline = case.notice_end
    elif state == S.AWAITING_DECISION:
        if kind in APPLICATION_TYPES:
            case.step_deadline = add_workdays(today, TEKUN_COUNTY_DAYS if kind == T.TEKUN else DECISION_DAYS)
        else:
            case.step_deadline = None
    elif state == S.REJECTED:
        case.step_deadline = add_workdays(today, REJECTION_NOTICE_DAYS)  # 办法 §21
    elif state in FINAL_STATES:
        case.step_deadline = None
        case.closed_on = today
    _set_due(case)



def _require_reason(data: dict, field: str = "comment") -> str:
    text = (data.get(field) or "").strip()
    if not text:
        raise CaseError(_("请填写说明或理由"))
    return text

