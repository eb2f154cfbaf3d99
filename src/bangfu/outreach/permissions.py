"""What the outreach app lets each role do: helpers, pairings, visits, worklists, meetings, the
pilot campaign (collected by bangfu.accounts.permissions)."""

from bangfu.accounts.choices import Role

MANAGE_OUTREACH = "manage_outreach"
RECORD_VISIT = "record_visit"
VIEW_OUTREACH = "view_outreach"

ACTIONS: dict[str, frozenset[str]] = {
    # 管理帮扶工作: helpers, pairings, worklists, meetings, campaign progress, village goals.
    MANAGE_OUTREACH: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN}),
    # 记录走访: record a visit (a helper (帮扶责任人): only on their own pairings).
    RECORD_VISIT: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.HELPER,
                             Role.ADMIN}),
    # 查看帮扶工作: read the outreach pages of the user's region (a helper: their own pairings).
    VIEW_OUTREACH: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR,
                              Role.HELPER, Role.ADMIN}),
}
