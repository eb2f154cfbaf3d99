"""What the registry lets each role do: the registry's actions and the roles that hold them (collected
by bangfu.accounts.permissions; row-level scope is bangfu.accounts.access)."""

from bangfu.accounts.choices import Role

VIEW_HOUSEHOLDS = "view_households"
EDIT = "edit"
IMPORT = "import"
EXPORT = "export"
VIEW_FULL_ID = "view_full_id"
EXPORT_FULL_ID = "export_full_id"

ACTIONS: dict[str, frozenset[str]] = {
    # 查看家庭档案: read the household registry and what is read off it (benefits, cases,
    # determinations). Roles that work only in their own app (rescue station staff, outreach
    # helpers) do not hold it.
    VIEW_HOUSEHOLDS: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.PARTNER_VIEWER,
                                Role.AUDITOR, Role.ADMIN}),
    # 新建、修改档案: create and change households, members, income and assets.
    EDIT: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN}),
    # 导入摸底表: import a survey sheet.
    IMPORT: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN}),
    # 导出名单: export lists of people's data (masked unless EXPORT_FULL_ID); each export logged.
    EXPORT: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR, Role.ADMIN}),
    # 查看完整证件号: see an unmasked ID number or phone (each time logged).
    VIEW_FULL_ID: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR, Role.ADMIN}),
    # 导出完整证件号: exports of any app carry unmasked numbers.
    EXPORT_FULL_ID: frozenset({Role.COUNTY_OFFICER, Role.ADMIN}),
}
