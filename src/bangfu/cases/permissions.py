"""What the case workflow lets each role do beyond the transitions (collected by
bangfu.accounts.permissions). Who takes each step of a case is the transition table
(transitions.py: a level per transition); these are the actions around it."""

from bangfu.accounts.choices import Role

VIEW_CASES = "view_cases"
CREATE_CASE = "create_case"
OPEN_REVIEW = "open_review"

ACTIONS: dict[str, frozenset[str]] = {
    # 查看救助案件: read case pages (within the region): the case workers, auditors, administrators.
    VIEW_CASES: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR, Role.ADMIN}),
    # 登记申请: open a case (办法 §4: the applicant turns to the township; the village worker enters
    # it for them, R15).
    CREATE_CASE: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER}),
    # 发起核查、待遇变更: open review and change cases (the township and the county, R16).
    OPEN_REVIEW: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}),
}
