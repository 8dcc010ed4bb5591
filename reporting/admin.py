from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from priorities.admin import CommitmentListFilter
from strategy_portal.admin_guard import SafeRelationsAdmin

from .models import Entry, Round


@admin.register(Round)
class RoundAdmin(SafeRelationsAdmin, SimpleHistoryAdmin):
    list_display = ("__str__", "strategy", "opens_on", "deadline", "grace_days", "is_example")
    list_filter = ("strategy", "year", "is_example")
    autocomplete_fields = ("created_by",)
    readonly_fields = ("created_at", "updated_at")
    search_fields = ("year",)
    fields = [
        ("strategy", "year"),
        ("opens_on", "deadline", "grace_days"),
        "is_example",
        "created_by",
        ("created_at", "updated_at"),
    ]

    def save_model(self, request, obj, form, change):
        # A round added here is opened as in the portal: with an entry per commitment.
        if change:
            super().save_model(request, obj, form, change)
            return
        if obj.created_by_id is None:
            obj.created_by = request.user
        obj.open()


@admin.register(Entry)
class EntryAdmin(SafeRelationsAdmin, SimpleHistoryAdmin):
    list_display = ("__str__", "commitment_code", "state", "status", "submitted_at", "approved_at")
    list_filter = ("round", "state", ("commitment", CommitmentListFilter), "is_example")
    list_select_related = ("round", "commitment__priority")
    search_fields = ("done", "assessment", "next_steps")
    autocomplete_fields = ("commitment", "submitted_by", "approved_by")
    readonly_fields = ("status_update", "updated_at")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("round", "commitment"),
                    "state",
                    "done",
                    ("assessment", "status"),
                    "next_steps",
                ]
            },
        ),
        (
            _("Review"),
            {
                "fields": [
                    "return_comment",
                    ("submitted_at", "submitted_by"),
                    ("approved_at", "approved_by"),
                    "status_update",
                    "is_example",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("commitment"), ordering="commitment__priority__number")
    def commitment_code(self, entry: Entry) -> str:
        return entry.commitment.code
