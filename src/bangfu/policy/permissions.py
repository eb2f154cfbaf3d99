"""What the policy app lets each role do (collected by bangfu.accounts.permissions)."""

from bangfu.accounts.choices import Role

VIEW_PARAMETERS = "view_parameters"
SET_PARAMETERS = "set_parameters"
SIMULATE = "simulate"

ACTIONS: dict[str, frozenset[str]] = {
    # 查看政策参数: the parameter pages (public policy data, no personal data).
    VIEW_PARAMETERS: frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR,
                                Role.ADMIN}),
    # 设定参数值: set a region's parameter value (services.parameter_value_create).
    SET_PARAMETERS: frozenset({Role.ADMIN}),
    # 政策测算: simulate a reform of the parameters over a region's households.
    SIMULATE: frozenset({Role.COUNTY_OFFICER, Role.ADMIN}),
}
