from django.contrib import admin

from strategy_portal.admin_guard import SafeRelationsAdmin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(SafeRelationsAdmin, admin.ModelAdmin):
    list_display = ("user", "language", "weekly_digest")
    list_filter = ("language", "weekly_digest")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    raw_id_fields = ("user",)
