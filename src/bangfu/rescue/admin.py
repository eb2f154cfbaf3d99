"""Admin for the station set-up (stations, staff links, institutions and their rates). People's
records are worked on through the rescue pages, which scope and log every read."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Institution, InstitutionRate, RescueStation, StationStaff


@admin.register(RescueStation)
class RescueStationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "region_code", "phone")
    search_fields = ("name", "region_code")
    raw_id_fields = ("region",)


@admin.register(StationStaff)
class StationStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "station")
    raw_id_fields = ("user",)


class RateInline(admin.TabularInline):
    model = InstitutionRate
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "station", "contract_number", "contract_from", "contract_to")
    list_filter = ("kind",)
    inlines = [RateInline]
