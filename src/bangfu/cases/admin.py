from django.contrib import admin

from bangfu.common.admin import ReadOnlyAdminMixin, ReadOnlyInline

from .models import ApprovalDelegation, Case, CaseEvent, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    """The deployment's calendar (调休 and holidays the package does not know yet)."""

    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(ApprovalDelegation)
class ApprovalDelegationAdmin(admin.ModelAdmin):
    """R5: a county delegates approval to its townships."""

    list_display = ("county_code", "programme", "valid_from", "valid_to", "document")
    list_filter = ("programme",)


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    readonly_fields = ("at", "actor", "action", "from_state", "to_state", "comment")
    fields = readonly_fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: every change goes through the workflow (services.case_perform)."""

    list_display = ("pk", "case_type", "state", "region_code", "due_date", "created_at")
    list_filter = ("case_type", "state")
    inlines = [CaseEventInline]
