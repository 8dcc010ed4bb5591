from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from strategy_portal.admin_guard import SafeRelationsAdmin

from .models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(SafeRelationsAdmin, admin.ModelAdmin):
    """What was sent to whom: a log, read only (a row deleted here is sent again)."""

    list_display = ("sent_at", "user", "kind", "object_id", "period")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email")
    date_hierarchy = "sent_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# django-tasks-db registers its queue (read-only, without a search box and in English only);
# the queue holds nothing but the e-mails of reminders/tasks.py, and db_worker logs each run.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
