"""What the benefits app lets each role do (collected by bangfu.accounts.permissions)."""

from bangfu.accounts.choices import Role

VIEW_BENEFITS = "view_benefits"
EXTEND_REVIEWS = "extend_reviews"

ACTIONS: dict[str, frozenset[str]] = {
    # 查看待遇: the due-review worklist, the publication of recipients and the monthly register of
    # the user's region; the roles that read households (registry.permissions.VIEW_HOUSEHOLDS).
    VIEW_BENEFITS: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.PARTNER_VIEWER,
                              Role.AUDITOR, Role.ADMIN}),
    # 延长核查期限: in a major emergency the county extends due reviews by its document (seed 篇三（四）
    # "发生重大突发事件时，核查期限可以适当延长"; R16: the county civil-affairs bureau does the
    # periodic review). County officers only; the extension applies to their own county.
    EXTEND_REVIEWS: frozenset({Role.COUNTY_OFFICER}),
}
