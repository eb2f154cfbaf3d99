"""The one declarative transition table of the case workflow (issue 4).

(case type, state, action) → (next state, the level that may act, checks). Services look a
transition up here; the inbox derives "what waits for whom" from it; the role × action × region
test matrix is generated from it. `target=None` is a record that keeps the state (a staff
relative noted, a county home visit, a time limit extended).

Levels: village / township / county act with that role; `decider` is the county, or the township
where the county delegated approval (R5) or, for temporary assistance, where the amount is within
the township's limit (`Case.decider_level`, set when the case reaches the decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from bangfu.accounts.choices import Role

from .choices import (
    APPLICATION_TYPES,
    BENEFIT_TYPES,
    FULL_PATH_TYPES,
    CaseState as S,
    CaseType as T,
)

VILLAGE, TOWNSHIP, COUNTY, DECIDER, ANY_STAFF = "village", "township", "county", "decider", "any_staff"

ROLES_OF_LEVEL: dict[str, frozenset[str]] = {
    VILLAGE: frozenset({Role.VILLAGE_WORKER}),
    TOWNSHIP: frozenset({Role.TOWNSHIP_OFFICER}),
    COUNTY: frozenset({Role.COUNTY_OFFICER}),
    ANY_STAFF: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}),
}
# Who may open a case, open review and change cases, and read case pages at all: the actions of
# cases/permissions.py (CREATE_CASE, OPEN_REVIEW, VIEW_CASES).

# Checks named in the table and implemented in services (each raises CaseError):
ONCE = "documents_asked_once"            # 办法 §10: ask once for all missing documents
HAS_HOUSEHOLD = "household_linked"        # an online application must be linked to a household first
IDENTITY = "identity_verified"            # an online application in a member's name: applicant seen in person first
TWO_INVESTIGATORS = "two_investigators"   # 办法 §16: at least two investigators
NOTICE_OVER = "notice_period_over"        # 办法 §19: 7 days of public notice have passed
NOTICE_DONE = "notice_held"               # approval of an application only after its notice
SEPARATION = "separation_of_duties"       # nobody decides a case they entered or investigated
COUNTY_VISIT = "county_visit_if_related"  # 办法 §20: related staff → county home visit first
WITHIN_LIMIT = "within_township_limit"    # 先行救助 only up to temporary_township_approval_max
REASON = "reason_given"


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str | None
    level: str
    types: frozenset[str]
    label: Any
    checks: tuple[str, ...] = ()

    @property
    def forward(self) -> bool:
        """Moves the case on (what the inbox waits for), as opposed to a record in place."""
        return self.target is not None


ALL_TYPES = frozenset(T.values)
NOTICE_TYPES = APPLICATION_TYPES  # 公示 for dibao (办法 §19) and tekun (特困人员认定办法)
EXPENDITURE = frozenset({T.TEMPORARY_EXPENDITURE})
EMERGENCY = frozenset({T.TEMPORARY_EMERGENCY})
OPEN_APPLICATION_STATES = (S.SUBMITTED, S.DOCUMENTS_REQUESTED, S.ACCEPTED, S.INVESTIGATING, S.INVESTIGATED,
                           S.NOTICE, S.DEMOCRATIC_REVIEW, S.AWAITING_DECISION)

_rows: list[Transition] = [
    # Acceptance (办法 §10)
    Transition("request_documents", S.SUBMITTED, S.DOCUMENTS_REQUESTED, TOWNSHIP, FULL_PATH_TYPES,
               _("一次性告知补齐材料"), (ONCE,)),
    Transition("accept", S.SUBMITTED, S.ACCEPTED, TOWNSHIP, FULL_PATH_TYPES, _("受理"), (HAS_HOUSEHOLD, IDENTITY)),
    Transition("accept", S.DOCUMENTS_REQUESTED, S.ACCEPTED, TOWNSHIP, FULL_PATH_TYPES, _("受理"), (HAS_HOUSEHOLD, IDENTITY)),
    Transition("decline", S.SUBMITTED, S.CLOSED_REJECTED, TOWNSHIP, FULL_PATH_TYPES | EMERGENCY, _("不予受理"), (REASON,)),
    Transition("decline", S.DOCUMENTS_REQUESTED, S.CLOSED_REJECTED, TOWNSHIP, FULL_PATH_TYPES, _("不予受理"), (REASON,)),
    # Investigation (办法 §15–17)
    Transition("start_investigation", S.ACCEPTED, S.INVESTIGATING, TOWNSHIP, FULL_PATH_TYPES, _("开始入户调查")),
    Transition("record_investigation", S.INVESTIGATING, S.INVESTIGATED, TOWNSHIP, FULL_PATH_TYPES,
               _("录入调查结果"), (TWO_INVESTIGATORS,)),
    # Initial review (初审, 办法 §18) and public notice (办法 §19)
    Transition("propose_approval", S.INVESTIGATED, S.NOTICE, TOWNSHIP, NOTICE_TYPES, _("初审同意，张榜公示")),
    Transition("propose_approval", S.INVESTIGATED, S.AWAITING_DECISION, TOWNSHIP, EXPENDITURE, _("初审同意")),
    Transition("propose_rejection", S.INVESTIGATED, S.AWAITING_DECISION, TOWNSHIP, FULL_PATH_TYPES,
               _("初审不同意"), (REASON,)),
    Transition("objection_reinvestigate", S.NOTICE, S.INVESTIGATING, TOWNSHIP, NOTICE_TYPES,
               _("登记异议，重新调查"), (REASON,)),
    Transition("objection_democratic_review", S.NOTICE, S.DEMOCRATIC_REVIEW, TOWNSHIP, NOTICE_TYPES,
               _("登记异议，组织民主评议"), (REASON,)),
    Transition("democratic_review", S.DEMOCRATIC_REVIEW, S.INVESTIGATED, TOWNSHIP, NOTICE_TYPES,
               _("录入民主评议结果"), (REASON,)),
    Transition("end_notice", S.NOTICE, S.AWAITING_DECISION, TOWNSHIP, NOTICE_TYPES, _("公示期满，报送审核确认"),
               (NOTICE_OVER,)),
    # Decision (办法 §20–21)
    Transition("approve", S.AWAITING_DECISION, S.APPROVED, DECIDER, FULL_PATH_TYPES, _("批准"),
               (SEPARATION, COUNTY_VISIT, NOTICE_DONE)),
    Transition("reject", S.AWAITING_DECISION, S.REJECTED, DECIDER, FULL_PATH_TYPES, _("不予批准"),
               (SEPARATION, COUNTY_VISIT, REASON)),
    Transition("return_to_township", S.AWAITING_DECISION, S.INVESTIGATED, DECIDER, FULL_PATH_TYPES,
               _("退回乡镇重新初审"), (REASON,)),
    Transition("notify_rejection", S.REJECTED, S.CLOSED_REJECTED, TOWNSHIP, FULL_PATH_TYPES, _("书面告知申请人")),
    # Temporary assistance, emergency type: help first, paperwork after (先行救助, 暂行办法 §48)
    Transition("grant_first", S.SUBMITTED, S.PAID_FIRST, TOWNSHIP, EMERGENCY, _("先行救助"), (WITHIN_LIMIT,)),
    Transition("complete", S.PAID_FIRST, S.COMPLETED, TOWNSHIP, EMERGENCY, _("补办手续，办结"), (REASON,)),
    # …above the township's limit: no emergency is refused for its size (国发〔2014〕47号 紧急程序). The
    # township pays its limit first and the rest goes to the county on the normal path, or the
    # county helps first with the whole amount.
    Transition("grant_first_refer", S.SUBMITTED, S.AWAITING_DECISION, TOWNSHIP, EMERGENCY,
               _("在限额内先行救助，余额报县级审批")),
    Transition("county_grant_first", S.SUBMITTED, S.PAID_FIRST, COUNTY, EMERGENCY, _("县级先行救助")),
    Transition("approve", S.AWAITING_DECISION, S.APPROVED, DECIDER, EMERGENCY, _("批准"),
               (SEPARATION, COUNTY_VISIT)),
    Transition("reject", S.AWAITING_DECISION, S.REJECTED, DECIDER, EMERGENCY, _("不予批准"),
               (SEPARATION, COUNTY_VISIT, REASON)),
    Transition("notify_rejection", S.REJECTED, S.CLOSED_REJECTED, TOWNSHIP, EMERGENCY, _("书面告知申请人")),
    # Periodic review, benefit change, termination (R16, 办法 §31–33)
    Transition("record_findings", S.REVIEW_OPEN, S.REVIEW_PROPOSED, TOWNSHIP, BENEFIT_TYPES, _("录入核查情况和处理意见"),
               (REASON,)),
    Transition("decide", S.REVIEW_PROPOSED, S.DECIDED, DECIDER, BENEFIT_TYPES, _("决定"), (SEPARATION, COUNTY_VISIT)),
    Transition("return_findings", S.REVIEW_PROPOSED, S.REVIEW_OPEN, DECIDER, BENEFIT_TYPES, _("退回重新核查"), (REASON,)),
]
# Records that keep the state.
for _state in (S.SUBMITTED, S.DOCUMENTS_REQUESTED):
    # Shown only while the case is marked "identity not verified" (views._forms_for).
    _rows.append(Transition("verify_identity", _state, None, TOWNSHIP, FULL_PATH_TYPES, _("核实申请人身份"), (REASON,)))
for _state in OPEN_APPLICATION_STATES + (S.REVIEW_OPEN, S.REVIEW_PROPOSED, S.PAID_FIRST):
    _rows.append(Transition("record_relative", _state, None, ANY_STAFF, ALL_TYPES, _("登记工作人员近亲属关系"),
                            (REASON,)))
for _state in (S.NOTICE, S.AWAITING_DECISION, S.REVIEW_PROPOSED):
    _rows.append(Transition("county_visit", _state, None, COUNTY, ALL_TYPES, _("县级入户核查"), (REASON,)))
for _state in OPEN_APPLICATION_STATES[2:]:
    _rows.append(Transition("extend", _state, None, COUNTY, FULL_PATH_TYPES, _("延长办理时限（45 个工作日）"), (REASON,)))

TRANSITIONS: tuple[Transition, ...] = tuple(_rows)
_INDEX: dict[tuple[str, str, str], Transition] = {}
for _t in TRANSITIONS:
    for _type in _t.types:
        key = (_type, _t.source, _t.action)
        assert key not in _INDEX, f"duplicate transition {key}"
        _INDEX[key] = _t

ACTION_LABELS: dict[str, str] = {t.action: t.label for t in TRANSITIONS}
ACTION_LABELS.update({"create": _("登记申请"), "open_review": _("发起定期核查"), "open_change": _("发起待遇变更")})
ACTION_LABELS["household_moved"] = _("家庭迁居")  # written by cases.moves, not a transition
ACTION_LABELS["receipt_issued"] = _("出具申请回执")  # services.receipt_issue, not a transition


def lookup(case_type: str, state: str, action: str) -> Transition | None:
    return _INDEX.get((case_type, state, action))


def available(case_type: str, state: str) -> list[Transition]:
    return [t for (ct, st, _a), t in _INDEX.items() if ct == case_type and st == state]


def roles_for(transition: Transition, decider_level: str) -> frozenset[str]:
    level = transition.level
    if level == DECIDER:
        level = TOWNSHIP if decider_level == TOWNSHIP else COUNTY
    return ROLES_OF_LEVEL[level]


def waiting_states(role: str) -> tuple[frozenset[str], frozenset[str]]:
    """(states waiting for this role whatever the case, states waiting for it as decider): what
    the inbox lists. Derived from the forward transitions of the table."""
    plain: set[str] = set()
    deciding: set[str] = set()
    for t in TRANSITIONS:
        if not t.forward or t.action in ("return_findings", "return_to_township"):
            continue
        if t.level == DECIDER:
            if role in (Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER):
                deciding.add(t.source)
        elif role in ROLES_OF_LEVEL[t.level]:
            plain.add(t.source)
    return frozenset(plain), frozenset(deciding - plain)


def waiting_level(case_type: str, state: str, decider_level: str) -> str:
    """The level whose forward step the case waits for in `state` ("" when closed)."""
    for t in available(case_type, state):
        if t.forward and t.action not in ("return_findings", "return_to_township", "decline"):
            if t.level == DECIDER:
                return TOWNSHIP if decider_level == TOWNSHIP else COUNTY
            return t.level
    return ""
