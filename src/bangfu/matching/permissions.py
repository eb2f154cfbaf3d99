"""What the matching app lets each role do: external lists, the review queue, findings and their
exports (collected by bangfu.accounts.permissions)."""

from bangfu.accounts.choices import Role

MATCH_IMPORT = "match_import"
MATCH_REVIEW = "match_review"
MATCH_VIEW = "match_view"
MATCH_EXPORT = "match_export"

ACTIONS: dict[str, frozenset[str]] = {
    # 导入、撤回外部名单: load and withdraw external lists (township and county offices).
    MATCH_IMPORT: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN}),
    # 复核比对结果: accept/reject proposed links; confirm or dismiss findings; open cases.
    MATCH_REVIEW: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN}),
    # 查看比对结果: read the lists and findings of the user's region.
    MATCH_VIEW: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.PARTNER_VIEWER,
                           Role.AUDITOR, Role.ADMIN}),
    # 导出比对结果: export finding lists (masked unless registry's EXPORT_FULL_ID) for the receiving
    # department.
    MATCH_EXPORT: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.PARTNER_VIEWER, Role.AUDITOR,
                             Role.ADMIN}),
}
