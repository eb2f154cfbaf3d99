"""The engine's determination attached to a case (issue 4: "the engine's determination attached
with its reasons"; 暂行办法 §47–48: temporary assistance amounts from the engine's grades).

The same service as the household page (policy.assessment.household_assess): the household's
registry data, judged on the given day with the parameters in force. An emergency-type temporary assistance
case adds the event recorded on the case (type, date, loss) to the household row, since the
registry does not keep events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bangfu.policy.assessment import household_assess

# Kept from the engine's household document (the rest is recomputed on the household page).
KEEP = ("members", "standard_fen", "per_capita_income_fen", "income_counted_fen", "assets_ok", "dibao_eligible",
        "dibao_basis", "dibao_amount_fen", "dibao_total_fen", "individual_dibao_fen", "near_dibao", "low_income",
        "expenditure_poverty", "review_class", "ta_type", "ta_need_fen", "ta_grade", "ta_grade_label",
        "ta_amount_fen", "ta_township_may_approve", "tekun_members", "dibao_members", "tekun_amount_fen", "reasons")
KEEP_PERSON = ("id", "individual_eligible", "individual_basis", "individual_amount_fen", "tekun_eligible",
               "care_level", "tekun_support_mode", "tekun_basic_fen", "tekun_care_fen", "tekun_amount_fen", "reasons")


def assess_case(case, on: dt.date, *, support_mode: str = "") -> dict[str, Any]:
    """The determination of the case's household on `on`, as a JSON-ready dict with reasons.

    A tekun case judges its member with `support_mode` (dispersed / institutional, recorded at the
    investigation), else the mode of its earlier determination; with neither, the engine's default
    (an institution resident: institutional, else dispersed). The mode is kept as
    `tekun_support_mode` of the document (issue 14).

    Raises policy's AssessmentError (kinds: no household linked yet, not on the register, data
    incomplete, parameters not set) with a message for the user."""
    event = None
    if case.emergency_event and case.emergency_date:
        event = {"emergency_event": case.emergency_event, "emergency_date": case.emergency_date,
                 "emergency_loss_fen": int(case.emergency_loss_fen or 0)}
    from .choices import CaseType

    modes = None
    if case.case_type == CaseType.TEKUN and case.person_id:
        mode = support_mode or (case.determination or {}).get("tekun_support_mode") or ""
        modes = {case.person_id: mode} if mode else None
    judged = household_assess(household_id=case.household_id, on=on, event=event, tekun_modes=modes)
    doc = {**judged.household, "members": judged.members}
    out = {k: doc.get(k) for k in KEEP}
    out["on"] = on.isoformat()
    out["members"] = len(doc.get("members") or [])
    out["persons"] = [{k: m.get(k) for k in KEEP_PERSON} for m in (doc.get("members") or []) if isinstance(m, dict)]
    if modes:
        out["tekun_support_mode"] = modes[case.person_id]
    return out


def tekun_part(doc: dict[str, Any] | None, person_id: int | None) -> dict[str, Any] | None:
    """The tekun member's part of a determination (eligible, amount, basic, care, mode), or None."""
    for p in (doc or {}).get("persons", []):
        if person_id is not None and p.get("id") == person_id:
            return p
    return None


def proposed_amount(case_type: str, doc: dict[str, Any], person_id: int | None) -> int | None:
    """The amount the engine proposes for this kind of case (fen), or None."""
    from .choices import CaseType as T

    if case_type in (T.DIBAO, T.REVIEW, T.BENEFIT_CHANGE):
        return doc.get("dibao_amount_fen") if doc.get("dibao_eligible") else 0
    if case_type == T.DIBAO_INDIVIDUAL:
        for p in doc.get("persons", []):
            if p.get("id") == person_id:
                return p.get("individual_amount_fen") if p.get("individual_eligible") else 0
        return None
    if case_type in (T.TEMPORARY_EMERGENCY, T.TEMPORARY_EXPENDITURE):
        return doc.get("ta_amount_fen")
    if case_type == T.TEKUN:
        # 国发〔2016〕14号 二、（三）: basic living + care, the engine's amount (issue 14)
        p = tekun_part(doc, person_id)
        if p is None:
            return None
        return p.get("tekun_amount_fen") if p.get("tekun_eligible") else 0
    return None
