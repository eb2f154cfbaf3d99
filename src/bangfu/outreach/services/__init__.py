"""Writes of the outreach app (issue 6). Each takes the acting user, runs in one transaction,
locks the rows it changes and leaves history rows (django-simple-history) with the user as
author. Records outside the acting user's scope answer "not found" (accounts.access).

One module per part of the work: pairings (helpers and pairings), visits (with attachments),
proposals (registry changes found on a visit), items (follow-up items and referrals) and meetings
(meetings and village goals); _common holds the error and the helpers they share.

The follow-up worklists' sync with the policy engine lives in worklists.py; the campaign in
campaign.py.
"""

from ._common import OutreachError
from .items import item_assign, item_close, item_create, referral_add, referral_answer
from .meetings import meeting_create, village_goal_set
from .pairings import helper_create, pairing_create, pairing_end
from .proposals import PROPOSAL_HOUSEHOLD_FIELDS, PROPOSAL_PERSON_FIELDS, proposal_apply, proposal_create, proposal_reject
from .visits import attachment_add, visit_create, visit_delete

__all__ = [
    "PROPOSAL_HOUSEHOLD_FIELDS", "PROPOSAL_PERSON_FIELDS", "OutreachError", "attachment_add", "helper_create", "item_assign",
    "item_close", "item_create", "meeting_create", "pairing_create", "pairing_end", "proposal_apply", "proposal_create",
    "proposal_reject", "referral_add", "referral_answer", "village_goal_set", "visit_create", "visit_delete",
]
