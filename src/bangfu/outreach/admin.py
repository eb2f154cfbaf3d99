"""Admin: the dated outreach parameters (the way a deployment sets its own visit frequency or
due days) and read-only views of the other rows: helpers, pairings, visits, follow-ups, meetings
and campaigns change only through the outreach pages and services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bangfu.common.admin import ReadOnlyAdminMixin

from .models import Campaign, FollowUpItem, Helper, Meeting, OutreachParameter, Pairing, Visit


@admin.register(OutreachParameter)
class OutreachParameterAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region_prefix", "valid_from", "valid_to", "value", "citation")
    list_filter = ("name",)


@admin.register(Helper)
class HelperAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "unit", "region_code", "user", "active")
    search_fields = ("name", "unit")
    raw_id_fields = ("region", "user")


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("pk", "target_kind", "region_code", "start_date", "end_date")
    raw_id_fields = ("household", "person", "village", "created_by")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("pk", "pairing", "date", "way", "region_code")
    raw_id_fields = ("pairing", "recorded_by", "visitors")


@admin.register(FollowUpItem)
class FollowUpItemAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("pk", "kind", "person_id", "region_code", "status", "due_date", "closed_on")
    list_filter = ("kind", "status")
    raw_id_fields = ("person", "household", "owner", "visit")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("pk", "kind", "date", "title", "region_code")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("pk", "year", "name", "region_code", "starts_on")
