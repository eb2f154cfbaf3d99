"""What the reports app lets each role do (collected by bangfu.accounts.permissions).

The monthly statistics count households and persons and list them behind each figure, so they
are read by the roles that read the household registry of their region, except the partner
departments (who see households, not the bureau's statistics)."""

from bangfu.accounts.choices import Role

VIEW_REPORTS = "view_reports"

ACTIONS: dict[str, frozenset[str]] = {
    # 查看统计月报及其明细名单、导出: each for the region the account is bound to.
    VIEW_REPORTS: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR, Role.ADMIN}),
}
