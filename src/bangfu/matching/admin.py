from django.contrib import admin

from bangfu.common.admin import ReadOnlyAdminMixin

from .models import ColumnMapping, ImportBatch, ListKind


@admin.register(ListKind)
class ListKindAdmin(admin.ModelAdmin):
    """A deployment adds a kind of list here (code, name, extra columns, risk list or not)."""

    list_display = ("code", "name", "department", "risk")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a batch is loaded and withdrawn on the matching pages (services), with a reason."""

    list_display = ("pk", "kind", "source", "source_date", "loaded_by", "loaded_at", "status")
    list_filter = ("kind", "status")


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ("kind", "headers_key", "updated_by", "updated_at")
