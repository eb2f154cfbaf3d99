"""What the rescue app lets each role do (collected by bangfu.accounts.permissions): station staff
edit their station's stays; officers view the stations of their region and their own returnees;
the home office keeps the source-prevention register."""

from bangfu.accounts.choices import Role

RESCUE_EDIT = "rescue_edit"
RESCUE_VIEW = "rescue_view"
RESCUE_FOLLOW_UP = "rescue_follow_up"
RESCUE_SETTLE = "rescue_settle"

ACTIONS: dict[str, frozenset[str]] = {
    # 登记救助站业务: record stays, tracing, services, placements, reports of the user's station.
    RESCUE_EDIT: frozenset({Role.STATION_STAFF, Role.ADMIN}),
    # 查看救助站业务: read the stays and statistics of the user's region (station staff: their station).
    RESCUE_VIEW: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR, Role.STATION_STAFF, Role.ADMIN}),
    # 源头预防与回访: the source-prevention register and follow-ups of the home office (R23).
    RESCUE_FOLLOW_UP: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN}),
    # 安置审批: the civil-affairs plan and the government approval of a settlement (R24).
    RESCUE_SETTLE: frozenset({Role.COUNTY_OFFICER, Role.ADMIN}),
}
