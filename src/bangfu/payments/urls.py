from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("", views.index, name="index"),
    path("build/", views.build, name="build"),
    path("payrolls/<int:pk>/", views.payroll, name="payroll"),
    path("payrolls/<int:pk>/lines.xlsx", views.payroll_export, name="payroll_export"),
    path("payrolls/<int:pk>/check/", views.payroll_check, name="payroll_check"),
    path("payrolls/<int:pk>/approve/", views.payroll_approve, name="payroll_approve"),
    path("payrolls/<int:pk>/lock/", views.payroll_lock, name="payroll_lock"),
    path("payrolls/<int:pk>/bank-file/", views.payroll_bank_file, name="payroll_bank_file"),
    path("payrolls/<int:pk>/return/", views.payroll_return, name="payroll_return"),
    path("lines/<int:pk>/release/", views.line_release, name="line_release"),
    path("accounts/<int:benefit_id>/", views.account, name="account"),
]
urlpatterns += [
    path("failures/", views.failures, name="failures"),
    path("failures.xlsx", views.failures_export, name="failures_export"),
    path("failures/build/", views.failures_build, name="failures_build"),
]

from . import views_funds  # noqa: E402  (the funds ledger, kept apart from the payroll pages)

urlpatterns += [
    path("funds/", views_funds.ledger, name="funds"),
    path("funds/budget/", views_funds.budget_record, name="funds_budget"),
    path("funds/entry/", views_funds.entry_record, name="funds_entry"),
    path("funds/statement/", views_funds.statement, name="funds_statement"),
    path("funds/statement.xlsx", views_funds.statement_export, name="funds_statement_export"),
]

from . import pdf  # noqa: E402  (the payroll sheet as a PDF, kept apart from the payroll pages)

urlpatterns += [path("payrolls/<int:pk>/sheet.pdf", pdf.payroll_pdf, name="payroll_pdf")]

from . import views_recovery  # noqa: E402  (recovery of amounts paid in error, kept apart)

urlpatterns += [
    path("recovery/", views_recovery.receivables, name="receivables"),
    path("recovery.xlsx", views_recovery.receivables_export, name="receivables_export"),
    path("recovery/from-case/", views_recovery.from_case, name="receivable_from_case"),
    path("recovery/<int:pk>/", views_recovery.receivable, name="receivable"),
    path("recovery/<int:pk>/deduction/", views_recovery.deduction_set, name="receivable_deduction"),
    path("recovery/<int:pk>/repayment/", views_recovery.repayment_record, name="receivable_repayment"),
    path("recovery/<int:pk>/write-off/", views_recovery.write_off_request, name="receivable_write_off"),
    path("recovery/<int:pk>/write-off/approve/", views_recovery.write_off_approve, name="receivable_write_off_approve"),
]
