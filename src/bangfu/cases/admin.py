from django import forms
from django.contrib import admin

from bangfu.common.admin import ReadOnlyAdminMixin, ReadOnlyInline

from . import workdays
from .models import ApprovalDelegation, Case, CaseEvent, HolidayCalendar, WorkdayOverride


class HolidayCalendarForm(forms.ModelForm):
    class Meta:
        model = HolidayCalendar
        fields = ("year", "document", "holidays", "makeup_days")
        widgets = {"holidays": forms.Textarea(attrs={"rows": 8}), "makeup_days": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if data.get("year") and not self.errors:
            _days, errors = workdays.calendar_parse(data["year"], data.get("holidays", ""), data.get("makeup_days", ""))
            if errors:
                raise forms.ValidationError(errors)
        return data


@admin.register(HolidayCalendar)
class HolidayCalendarAdmin(admin.ModelAdmin):
    """A year's holidays and make-up days from the State Council's notice, entered at once; saving
    rewrites the working-day table's rows for that year (cases.workdays.calendar_save)."""

    form = HolidayCalendarForm
    list_display = ("year", "document", "entered_by", "entered_at")
    readonly_fields = ("entered_by", "entered_at")

    def save_model(self, request, obj, form, change):
        workdays.calendar_save(obj, request.user)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    """The deployment's calendar (调休 and holidays the package does not know yet)."""

    list_display = ("date", "is_workday", "note", "calendar")
    list_filter = ("is_workday", "calendar")
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
