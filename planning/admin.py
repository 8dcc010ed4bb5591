from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from priorities.admin import CommitmentListFilter
from strategy_portal.admin_guard import SafeRelationsAdmin

from .models import Measure, MeasureStateChange


class StateChangeInline(SafeRelationsAdmin, admin.StackedInline):
    # Stacked, not tabular: a tabular inline's inputs have no <label> (axe-core flags it).
    model = MeasureStateChange
    fields = [("state", "changed_on"), "comment", "author", "is_example"]
    autocomplete_fields = ("author",)
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SafeRelationsAdmin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "commitment_code",
        "year",
        "responsible_unit",
        "responsible",
        "deadline",
        "current_state",
        "is_public",
        "is_example",
    )
    list_filter = (
        "year",
        "commitment__priority",
        ("commitment", CommitmentListFilter),
        "county",
        "is_public",
        "is_example",
    )
    list_select_related = ("commitment__priority", "responsible")
    search_fields = ("title", "description", "responsible_unit")
    autocomplete_fields = ("commitment", "responsible", "created_by")
    ordering = ("-year", "commitment__priority__number", "commitment__number", "deadline")
    readonly_fields = ("created_at", "updated_at")
    inlines = [StateChangeInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("commitment", "year"),
                    "title",
                    "description",
                    ("responsible_unit", "responsible"),
                    "county",
                    "deadline",
                    ("cost_nok", "person_weeks"),
                ]
            },
        ),
        (
            _("Publication"),
            {"fields": ["is_public", "is_example", "created_by", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_state()

    @admin.display(description=_("commitment"), ordering="commitment__priority__number")
    def commitment_code(self, measure: Measure) -> str:
        return measure.commitment.code

    @admin.display(description=_("state"))
    def current_state(self, measure: Measure) -> str:
        return measure.current_state_label

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # A state change added here is the admin's own unless another author is chosen.
        for state_change in formset.save(commit=False):
            if state_change.pk is None and state_change.author_id is None:
                state_change.author = request.user
            state_change.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
