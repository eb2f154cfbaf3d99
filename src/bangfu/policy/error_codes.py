"""Codes of policy errors: the household assessment, reassessment and simulation. A code names the kind of refusal for
programs (the API's `code`); the message says it to people. As Saleor's `error_codes.py`."""

from __future__ import annotations

from enum import Enum


class PolicyErrorCode(str, Enum):
    INVALID = "invalid"
    HOUSEHOLD_MISSING = "household_missing"
    HOUSEHOLD_NOT_ACTIVE = "household_not_active"
    HOUSEHOLD_INCOMPLETE = "household_incomplete"
    PARAMETERS_NOT_SET = "parameters_not_set"
    PARAMETERS_INVALID = "parameters_invalid"
    REASSESSMENT_REFUSED = "reassessment_refused"
    SIMULATION_REFUSED = "simulation_refused"
