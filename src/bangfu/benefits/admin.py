from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bangfu.common.admin import ReadOnlyAdminMixin, ReadOnlyInline

from .models import Benefit, BenefitAmount, OneOffPayment


class BenefitAmountInline(ReadOnlyInline):
    model = BenefitAmount
    readonly_fields = ("kind", "amount_fen", "from_month", "to_month", "case_id", "decided_by", "decided_on", "note")


@admin.register(Benefit)
class BenefitAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    # Read-only: benefits change only through the case workflow (services), which writes the history.
    list_display = ("id", "household", "person", "programme", "status", "monthly_amount_fen", "start_month", "end_month", "next_review_date")
    list_filter = ("programme", "status", "review_class")
    search_fields = ("region_code",)
    raw_id_fields = ("household", "person")
    inlines = [BenefitAmountInline]


@admin.register(OneOffPayment)
class OneOffPaymentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("id", "household", "kind", "amount_fen", "approved_on", "month", "case_id")
    list_filter = ("kind",)
    raw_id_fields = ("household",)
