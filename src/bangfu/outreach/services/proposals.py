"""Registry proposals: changes a visit found, applied to the registry or rejected by an officer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.registry import services as registry_services
from bangfu.registry.models import Household, Person

from .. import permissions
from .. import access
from .. import choices as c
from ..models import RegistryProposal, Visit
from ._common import OutreachError, _save


# -------------------------------------------------------------------------------- registry proposals


PROPOSAL_PERSON_FIELDS = (
    "living_situation", "labor_capacity", "schooling_level", "enrolled", "dropped_out", "disability_suspected",
    "disability_cert_number", "disability_type", "disability_grade", "disability_issue_date", "disability_last_check",
    "has_mental_disorder", "phone", "status",
)
PROPOSAL_HOUSEHOLD_FIELDS = ("address", "housing_safety")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def proposal_create(*, acting_user, visit_id: int, changes: dict[str, Any], person_id: int | None = None) -> RegistryProposal:
    """Propose, from a visit's findings, a change of the household's or a member's facts; a
    worker confirms it (`proposal_apply`). Only facts a visit can see are accepted."""
    check_perm(acting_user, permissions.RECORD_VISIT)
    visit = access.get(acting_user, Visit.objects.select_related("pairing"), visit_id, helper_path="pairing__links__helper__user")
    household_id = visit.pairing.household_id
    if household_id is None:
        raise OutreachError(_("该结对不是家庭或个人结对，没有可更新的家庭档案"))
    household = Household.objects.get(pk=household_id)
    allowed = PROPOSAL_PERSON_FIELDS if person_id else PROPOSAL_HOUSEHOLD_FIELDS
    unknown = [k for k in changes if k not in allowed]
    if unknown or not changes:
        raise OutreachError({"changes": [_("不能通过走访更新的项目：%(fields)s") % {"fields": _("、").join(unknown)} if unknown else _("请填写拟更新的内容")]})
    target: Any = household
    person = None
    if person_id:
        person = Person.objects.filter(pk=person_id, household_id=household_id).first()
        if person is None:
            raise OutreachError({"person": [_("该人员不是本家庭成员")]})
        target = person
    old = {k: _plain(getattr(target, k)) for k in changes}
    proposal = RegistryProposal(visit=visit, household=household, person=person, region_code=household.region_code,
                                changes={k: _plain(v) for k, v in changes.items()}, old_values=old, proposed_by=acting_user)
    _save(proposal, acting_user)
    return proposal


def _parse_change(field: str, value: Any) -> Any:
    if field in ("disability_issue_date", "disability_last_check") and isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    if value == "" and field in ("disability_grade", "disability_issue_date", "disability_last_check"):
        return None
    return value


@transaction.atomic
def proposal_apply(*, acting_user, proposal_id: int) -> RegistryProposal:
    """A worker confirms the proposal: the change goes through bangfu.registry.services (which
    checks the worker's permission and scope again and writes the registry's own history)."""
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    proposal = access.get(acting_user, RegistryProposal.objects.select_for_update(), proposal_id)
    if proposal.status != c.ProposalStatus.PENDING:
        raise OutreachError(_("该建议已处理"))
    data = {k: _parse_change(k, v) for k, v in proposal.changes.items()}
    # a refusal of the registry (RegistryError, a DomainError) reaches the caller as it is
    if proposal.person_id:
        registry_services.person_update(acting_user=acting_user, person_id=proposal.person_id, data=data)
    else:
        registry_services.household_update(acting_user=acting_user, household_id=proposal.household_id, **data)
    proposal.status, proposal.decided_by, proposal.decided_at = c.ProposalStatus.APPLIED, acting_user, timezone.now()
    _save(proposal, acting_user)
    return proposal


@transaction.atomic
def proposal_reject(*, acting_user, proposal_id: int, note: str) -> RegistryProposal:
    check_perm(acting_user, permissions.MANAGE_OUTREACH)
    proposal = access.get(acting_user, RegistryProposal.objects.select_for_update(), proposal_id)
    if proposal.status != c.ProposalStatus.PENDING:
        raise OutreachError(_("该建议已处理"))
    if not (note or "").strip():
        raise OutreachError({"decision_note": [_("请说明不采纳的理由")]})
    proposal.status, proposal.decided_by, proposal.decided_at = c.ProposalStatus.REJECTED, acting_user, timezone.now()
    proposal.decision_note = note.strip()[:255]
    _save(proposal, acting_user)
    return proposal
