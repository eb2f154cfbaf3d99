from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Benefit, BenefitAmount, OneOffPayment


class BenefitAmountInline(admin.TabularInline):
    model = BenefitAmount
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "amount_fen", "from_month", "to_month", "case_id", "decided_by", "decided_on", "note")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Benefit)
class BenefitAdmin(SimpleHistoryAdmin):
    # Read-only: benefits change only through the case workflow (services), which writes the history.
    list_display = ("id", "household", "person", "programme", "status", "monthly_amount_fen", "start_month", "end_month", "next_review_date")
    list_filter = ("programme", "status", "review_class")
    search_fields = ("region_code",)
    raw_id_fields = ("household", "person")
    inlines = [BenefitAmountInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OneOffPayment)
class OneOffPaymentAdmin(SimpleHistoryAdmin):
    list_display = ("id", "household", "kind", "amount_fen", "approved_on", "month", "case_id")
    list_filter = ("kind",)
    raw_id_fields = ("household",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
