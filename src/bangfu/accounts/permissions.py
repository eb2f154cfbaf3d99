"""What each role may do, in one table. Row-level scope is in access.py."""

from .choices import Role

EDIT = "edit"  # create and change registry records
IMPORT = "import"  # survey import
VIEW_FULL_ID = "view_full_id"  # see an unmasked ID number or phone (each time logged)
EXPORT_FULL_ID = "export_full_id"  # export unmasked numbers
MANAGE_REGIONS = "manage_regions"
VIEW_AUDIT = "view_audit"
VIEW_PARAMETERS = "view_parameters"  # the policy parameter pages (public policy data, no personal data)
SET_PARAMETERS = "set_parameters"  # set a region's parameter value (policy.services.parameter_value_create)

MATRIX: dict[str, frozenset[str]] = {
    Role.VILLAGE_WORKER: frozenset({EDIT, IMPORT, VIEW_FULL_ID, VIEW_PARAMETERS}),
    Role.TOWNSHIP_OFFICER: frozenset({EDIT, IMPORT, VIEW_FULL_ID, VIEW_AUDIT, VIEW_PARAMETERS}),
    Role.COUNTY_OFFICER: frozenset({EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID, VIEW_AUDIT, VIEW_PARAMETERS}),
    Role.PARTNER_VIEWER: frozenset(),
    Role.AUDITOR: frozenset({VIEW_FULL_ID, VIEW_AUDIT, VIEW_PARAMETERS}),
    # Issue 7: station staff work only in the rescue app (its own actions are added there).
    Role.STATION_STAFF: frozenset(),
    # Issue 6: a helper (帮扶责任人) records visits for their own pairings (outreach app's rules).
    Role.HELPER: frozenset(),
    Role.ADMIN: frozenset({EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID, MANAGE_REGIONS, VIEW_AUDIT, VIEW_PARAMETERS,
                           SET_PARAMETERS}),
}


def has_perm(user, action: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return action in MATRIX.get(user.role, frozenset())
