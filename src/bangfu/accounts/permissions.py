"""What each role may do, in one table. Row-level scope is in access.py."""

from .choices import Role

EDIT = "edit"  # create and change registry records
IMPORT = "import"  # survey import
VIEW_FULL_ID = "view_full_id"  # see an unmasked ID number or phone (each time logged)
EXPORT_FULL_ID = "export_full_id"  # export unmasked numbers
MANAGE_REGIONS = "manage_regions"
VIEW_AUDIT = "view_audit"

MATRIX: dict[str, frozenset[str]] = {
    Role.VILLAGE_WORKER: frozenset({EDIT, IMPORT, VIEW_FULL_ID}),
    Role.TOWNSHIP_OFFICER: frozenset({EDIT, IMPORT, VIEW_FULL_ID, VIEW_AUDIT}),
    Role.COUNTY_OFFICER: frozenset({EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID, VIEW_AUDIT}),
    Role.PARTNER_VIEWER: frozenset(),
    Role.AUDITOR: frozenset({VIEW_FULL_ID, VIEW_AUDIT}),
    Role.ADMIN: frozenset({EDIT, IMPORT, VIEW_FULL_ID, EXPORT_FULL_ID, MANAGE_REGIONS, VIEW_AUDIT}),
}


def has_perm(user, action: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return action in MATRIX.get(user.role, frozenset())
