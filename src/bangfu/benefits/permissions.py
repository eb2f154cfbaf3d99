"""What the benefits app lets each role do (collected by bangfu.accounts.permissions)."""

from bangfu.accounts.choices import Role

VIEW_BENEFITS = "view_benefits"

ACTIONS: dict[str, frozenset[str]] = {
    # 查看待遇: the due-review worklist, the publication of recipients and the monthly register of
    # the user's region; the roles that read households (registry.permissions.VIEW_HOUSEHOLDS).
    VIEW_BENEFITS: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.PARTNER_VIEWER,
                              Role.AUDITOR, Role.ADMIN}),
}
