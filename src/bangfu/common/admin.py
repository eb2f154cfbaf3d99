"""Admin of the common tables, and the mixin that keeps people's data read-only in the admin.

People's records (households, cases, benefits, visits, pairings, follow-ups, helpers, meetings,
stays…) change only through their app's services, which check the role and region, lock rows and
write the audit trail. The admin's forms would bypass all of that, so a superuser may look but not
add, change, delete or revert a history version. Configuration (regions, parameters, list kinds,
stations, calendars, users) stays editable. `common/tests/test_admin_read_only.py` walks the admin
registry so that a new ModelAdmin is either read-only or named as configuration there.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from .models import AccessLog, Job


class ReadOnlyAdminMixin:
    """View only, for a ModelAdmin or an inline of people's data (put it first in the bases)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}  # no "delete selected" or other bulk writes

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history's "revert to this version" form saves on POST after checking only
        # the view permission: refuse the write, keep the read.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "region_code", "detail", "ip_address")
    list_filter = ("action", "object_type")
    date_hierarchy = "at"


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "kind", "user", "status", "done", "total", "created_at", "finished_at")
