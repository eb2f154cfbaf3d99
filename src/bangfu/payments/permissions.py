"""What the payments app lets each role do (collected by bangfu.accounts.permissions).

County civil-affairs officers (who prepare the list with finance) build and approve; the township
checks its own lines; the auditor reads everything and changes nothing."""

from bangfu.accounts.choices import Role

VIEW_PAYMENTS = "view_payments"
MANAGE_PAYMENT_ACCOUNTS = "manage_payment_accounts"
BUILD_PAYROLL = "build_payroll"
CHECK_PAYROLL = "check_payroll"
RELEASE_PAYROLL_LINE = "release_payroll_line"
APPROVE_PAYROLL = "approve_payroll"

ACTIONS: dict[str, frozenset[str]] = {
    # 查看发放花名册和收款账户: the payrolls of the user's county (a township reads its own lines).
    VIEW_PAYMENTS: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.AUDITOR, Role.ADMIN}),
    # 登记或变更收款账户 (一卡通): the township that handles the case, or the county.
    MANAGE_PAYMENT_ACCOUNTS: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}),
    # 生成当月发放花名册: the county.
    BUILD_PAYROLL: frozenset({Role.COUNTY_OFFICER}),
    # 乡镇审核本乡镇的发放名单.
    CHECK_PAYROLL: frozenset({Role.TOWNSHIP_OFFICER}),
    # 核查疑点后放行（须说明理由；生成人不能放行自己的花名册）.
    RELEASE_PAYROLL_LINE: frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}),
    # 县级审批并锁定（生成人不能审批）.
    APPROVE_PAYROLL: frozenset({Role.COUNTY_OFFICER}),
}

# Funds ledger (资金台账): read by the county and above and by the auditor; budgets and transfers are
# recorded by the county officer (who works with finance). Added after the table to keep merges apart.
VIEW_FUNDS = "view_funds"
RECORD_FUNDS = "record_funds"
ACTIONS.update({
    # 查看资金台账和资金使用月报.
    VIEW_FUNDS: frozenset({Role.COUNTY_OFFICER, Role.AUDITOR, Role.ADMIN}),
    # 登记预算、资金到账、缴回和调整.
    RECORD_FUNDS: frozenset({Role.COUNTY_OFFICER}),
})

# Recovery (追回): the county records what was paid in error, decides deductions, records repayments
# and asks for a write-off; another county officer approves a write-off; the auditor reads.
VIEW_RECOVERY = "view_recovery"
MANAGE_RECOVERY = "manage_recovery"
APPROVE_WRITE_OFF = "approve_write_off"
ACTIONS.update({
    # 查看应追回款及其追回记录.
    VIEW_RECOVERY: frozenset({Role.COUNTY_OFFICER, Role.AUDITOR, Role.ADMIN}),
    # 登记多发款项、决定扣减、登记退回、申请核销.
    MANAGE_RECOVERY: frozenset({Role.COUNTY_OFFICER}),
    # 审批核销（申请人以外的县级工作人员）.
    APPROVE_WRITE_OFF: frozenset({Role.COUNTY_OFFICER}),
})
