from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "region", "department", "is_active")
    list_filter = ("role", "department", "is_active")
    raw_id_fields = ("region",)
    fieldsets = BaseUserAdmin.fieldsets + (("帮扶", {"fields": ("role", "region", "department")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("帮扶", {"fields": ("role", "region", "department")}),)
