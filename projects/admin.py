from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from strategy_portal.admin_guard import SafeRelationsAdmin

from .models import Project, ProjectLink


class LinkInline(SafeRelationsAdmin, admin.StackedInline):
    # Stacked, not tabular: a tabular inline's inputs have no <label> (axe-core flags it).
    model = ProjectLink
    fields = ["title", "url"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(SafeRelationsAdmin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "acronym",
        "programme",
        "role",
        "state",
        "start_date",
        "county_share_eur",
        "is_public",
        "is_example",
    )
    list_filter = ("state", "programme", "role", "county", "is_public", "is_example")
    list_select_related = ("programme",)
    search_fields = ("name", "acronym", "call", "description", "other_partners")
    prepopulated_fields = {"slug": ("acronym",)}
    autocomplete_fields = ("partners", "organisations", "commitments", "created_by")
    readonly_fields = ("created_at", "updated_at")
    inlines = [LinkInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "acronym"),
                    "slug",
                    ("programme", "call"),
                    ("role", "state"),
                    ("start_date", "end_date"),
                    ("applied_on", "decided_on"),
                    "description",
                    "website",
                ]
            },
        ),
        (
            _("Budget"),
            {
                "fields": [
                    ("total_budget_eur", "county_share_eur"),
                    ("eur_nok_rate", "rate_date"),
                ]
            },
        ),
        (
            _("Partners and commitments"),
            {"fields": ["partners", "organisations", "other_partners", "commitments", "county"]},
        ),
        (
            _("Publication"),
            {"fields": ["is_public", "is_example", "created_by", "created_at", "updated_at"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
