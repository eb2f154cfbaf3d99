from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bangfu.common.admin import ReadOnlyAdminMixin

from .models import BankLayout, BankReturn, PaymentAccount, Payroll, PayrollEvent, PayrollLine, TownshipCheck


# Read-only: accounts and payrolls change only through the services, which check role and region
# and write the history and the payroll's log.
@admin.register(PaymentAccount)
class PaymentAccountAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("id", "benefit", "household", "holder_name", "holder_relation", "bank_name", "updated_at")
    list_filter = ("holder_relation",)
    raw_id_fields = ("benefit", "household")


@admin.register(Payroll)
class PayrollAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "region_code", "month", "programme", "kind", "state", "line_count", "total_fen", "held_count")
    list_filter = ("state", "kind", "programme")


@admin.register(PayrollLine)
class PayrollLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "payroll", "benefit", "month", "kind", "component", "amount_fen", "status")
    list_filter = ("status", "kind", "component")
    raw_id_fields = ("payroll", "benefit", "one_off", "household", "person", "account")


@admin.register(TownshipCheck)
class TownshipCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("payroll", "township_code", "checked_by", "checked_at")


@admin.register(PayrollEvent)
class PayrollEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("payroll", "line", "action", "by", "at", "note")
    list_filter = ("action",)


@admin.register(BankLayout)
class BankLayoutAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("region_code", "code", "name", "updated_at")


@admin.register(BankReturn)
class BankReturnAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("payroll", "bank_code", "filename", "paid", "failed", "imported_by", "imported_at")
