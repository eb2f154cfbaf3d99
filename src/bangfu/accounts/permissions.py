"""What each role may do, in one table. Row-level scope is in access.py."""

from .choices import Role

EDIT = "edit"  # create and change registry records
IMPORT = "import"  # survey import
VIEW_FULL_ID = "view_full_id"  # see an unmasked ID number or phone (each time logged)
EXPORT = "export"  # export lists of people's data (masked unless EXPORT_FULL_ID); each export logged
EXPORT_FULL_ID = "export_full_id"  # export unmasked numbers
MANAGE_REGIONS = "manage_regions"
VIEW_AUDIT = "view_audit"
VIEW_PARAMETERS = "view_parameters"  # the policy parameter pages (public policy data, no personal data)
SET_PARAMETERS = "set_parameters"  # set a region's parameter value (policy.services.parameter_value_create)
# Read the household registry and what is read off it (benefits, cases, determinations). Roles that
# work only in their own app (rescue station staff, outreach helpers) do not have it.
VIEW_HOUSEHOLDS = "view_households"
# Issue 7, rescue app: station staff edit their station's stays; officers view the stations of
# their region and their own returnees; the home office keeps the source-prevention register.
RESCUE_EDIT = "rescue_edit"
RESCUE_VIEW = "rescue_view"
RESCUE_FOLLOW_UP = "rescue_follow_up"  # source-prevention register and follow-ups (home office, R23)
RESCUE_SETTLE = "rescue_settle"  # civil-affairs plan and government approval of a settlement (R24)

MATRIX: dict[str, frozenset[str]] = {
    Role.VILLAGE_WORKER: frozenset({VIEW_HOUSEHOLDS, EXPORT, EDIT, IMPORT, VIEW_FULL_ID, VIEW_PARAMETERS}),
    Role.TOWNSHIP_OFFICER: frozenset({VIEW_HOUSEHOLDS, EXPORT, EDIT, IMPORT, VIEW_FULL_ID, VIEW_AUDIT, VIEW_PARAMETERS,
                                      RESCUE_VIEW, RESCUE_FOLLOW_UP}),
    Role.COUNTY_OFFICER: frozenset({VIEW_HOUSEHOLDS, EXPORT, EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID, VIEW_AUDIT,
                                    VIEW_PARAMETERS, RESCUE_VIEW, RESCUE_FOLLOW_UP, RESCUE_SETTLE}),
    Role.PARTNER_VIEWER: frozenset({VIEW_HOUSEHOLDS}),
    Role.AUDITOR: frozenset({VIEW_HOUSEHOLDS, EXPORT, VIEW_FULL_ID, VIEW_AUDIT, VIEW_PARAMETERS, RESCUE_VIEW}),
    # Issue 7: station staff work only in the rescue app; they read no households.
    Role.STATION_STAFF: frozenset({RESCUE_EDIT, RESCUE_VIEW}),
    # Issue 6: a helper (帮扶责任人) records visits for their own pairings (outreach actions below).
    Role.HELPER: frozenset(),
    Role.ADMIN: frozenset({VIEW_HOUSEHOLDS, EXPORT, EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID, MANAGE_REGIONS, VIEW_AUDIT,
                           VIEW_PARAMETERS, SET_PARAMETERS, RESCUE_EDIT, RESCUE_VIEW, RESCUE_FOLLOW_UP, RESCUE_SETTLE}),
}

# Issue 6 (outreach app): helpers, pairings, visits, worklists, meetings, the pilot campaign.
MANAGE_OUTREACH = "manage_outreach"  # helpers, pairings, worklists, meetings, campaign progress, village goals
RECORD_VISIT = "record_visit"  # record a visit (a helper: only on their own pairings)
VIEW_OUTREACH = "view_outreach"  # read outreach pages of the user's region
for _role, _actions in {
    Role.VILLAGE_WORKER: {MANAGE_OUTREACH, RECORD_VISIT, VIEW_OUTREACH},
    Role.TOWNSHIP_OFFICER: {MANAGE_OUTREACH, RECORD_VISIT, VIEW_OUTREACH},
    Role.COUNTY_OFFICER: {MANAGE_OUTREACH, RECORD_VISIT, VIEW_OUTREACH},
    Role.AUDITOR: {VIEW_OUTREACH},
    Role.HELPER: {RECORD_VISIT, VIEW_OUTREACH},
    Role.ADMIN: {MANAGE_OUTREACH, RECORD_VISIT, VIEW_OUTREACH},
}.items():
    MATRIX[_role] = MATRIX[_role] | frozenset(_actions)

# Issue 5 (matching app): external lists, the review queue, findings and their exports.
MATCH_IMPORT = "match_import"  # load and withdraw external lists (township and county offices)
MATCH_REVIEW = "match_review"  # accept/reject proposed links; confirm or dismiss findings; open cases
MATCH_VIEW = "match_view"  # read findings of the user's region
MATCH_EXPORT = "match_export"  # export finding lists (masked unless EXPORT_FULL_ID) for the receiving department
for _role, _actions in {
    Role.VILLAGE_WORKER: {MATCH_VIEW, MATCH_REVIEW},
    Role.TOWNSHIP_OFFICER: {MATCH_IMPORT, MATCH_REVIEW, MATCH_VIEW, MATCH_EXPORT},
    Role.COUNTY_OFFICER: {MATCH_IMPORT, MATCH_REVIEW, MATCH_VIEW, MATCH_EXPORT},
    Role.PARTNER_VIEWER: {MATCH_VIEW, MATCH_EXPORT},
    Role.AUDITOR: {MATCH_VIEW, MATCH_EXPORT},
    Role.ADMIN: {MATCH_IMPORT, MATCH_REVIEW, MATCH_VIEW, MATCH_EXPORT},
}.items():
    MATRIX[_role] = MATRIX[_role] | frozenset(_actions)


def has_perm(user, action: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return action in MATRIX.get(user.role, frozenset())
