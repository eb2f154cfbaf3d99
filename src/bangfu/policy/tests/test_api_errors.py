"""The policy API answers errors in the project's one schema; policy's error codes."""

from __future__ import annotations

import pytest

from bangfu.common.errors import DomainError
from bangfu.policy.reassessment import ReassessmentError
from bangfu.policy.simulation import SimulationError

pytestmark = pytest.mark.django_db


def test_a_bad_document_is_422_keyed_by_path(client, users):
    client.force_login(users["village_a"])
    response = client.post("/api/assess", "not json", content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"code": "invalid", "message": "家庭文档有误，未作测评", "field": None,
                                "errors": {"__all__": ["请求内容不是有效的 JSON"]}}


def test_reassessment_errors_are_domain_errors():
    assert ReassessmentError("x").code == "reassessment_refused"
    error = SimulationError("x")
    assert error.code == "simulation_refused" and isinstance(error, ReassessmentError)
    assert isinstance(error, DomainError) and isinstance(error, ValueError)  # older callers catch ValueError
