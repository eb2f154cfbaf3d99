from django.contrib import admin

from .models import ColumnMapping, ImportBatch, ListKind


@admin.register(ListKind)
class ListKindAdmin(admin.ModelAdmin):
    """A deployment adds a kind of list here (code, name, extra columns, risk list or not)."""

    list_display = ("code", "name", "department", "risk")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "source", "source_date", "loaded_by", "loaded_at", "status")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ("kind", "headers_key", "updated_by", "updated_at")
