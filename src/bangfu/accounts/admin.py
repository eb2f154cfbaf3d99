from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "region", "department", "is_active")
    list_filter = ("role", "department", "is_active")
    raw_id_fields = ("region",)
    fieldsets = BaseUserAdmin.fieldsets + (("帮扶", {"fields": ("role", "region", "department", "must_change_password")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("帮扶", {"fields": ("role", "region", "department")}),)
    readonly_fields = ("is_demo",)

    # A password an administrator chose is known to two people: the user changes it at first login
    # (accounts.middleware). Also when an administrator resets someone else's password.
    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and str(request.user.pk) != unquote(id):
            User.objects.filter(pk=unquote(id)).update(must_change_password=True)
        return response
