"""Outreach pages (issue 6). Thin: reads through selectors / access (scoped), writes through
services; a record outside the user's scope answers 404 exactly as a missing one. Permission is
checked before the record is looked up, so a refused action says 403 whatever the id.

One module per part of the work: overview (landing page, overdue visits, a helper's to-do list),
pairings (helpers and pairings), visits (with attachment downloads), items (proposals, the
follow-up worklist and referrals), meetings (meetings and village goals) and campaigns; _common
holds what they share. urls.py reaches every page through this package.
"""

from .campaigns import campaign_detail, campaign_list, village_progress_edit
from .items import item_detail, proposal_list, referral_export, worklist
from .meetings import goal_list, meeting_create, meeting_list
from .overview import index, my_todo, overdue
from .pairings import helper_export, helper_list, pairing_create, pairing_detail, pairing_export, pairing_list, visit_export
from .visits import attachment_download, visit_create, visit_detail

__all__ = [
    "attachment_download", "helper_export", "pairing_export", "visit_export", "campaign_detail", "campaign_list", "goal_list", "helper_list", "index", "item_detail", "meeting_create",
    "meeting_list", "my_todo", "overdue", "pairing_create", "pairing_detail", "pairing_list", "proposal_list", "referral_export",
    "village_progress_edit", "visit_create", "visit_detail", "worklist",
]
