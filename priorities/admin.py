import itertools

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import Count
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from partners.admin import in_all_languages, side_by_side
from strategy_portal.admin_guard import SafeRelationsAdmin

from .history import changes_between, m2m_links
from .models import (
    Activity,
    Commitment,
    FocusPoint,
    Participant,
    Priority,
    StatusUpdate,
    Strategy,
    Visit,
)

# A brand name, the same in every language.
admin.site.site_header = "Strategiportalen"
admin.site.site_title = "Strategiportalen"

DECISION_FIELDSET = (
    _("Decision reference"),
    {
        "fields": [
            ("decision_body", "decision_date"),
            ("decision_case_number", "decision_url"),
        ]
    },
)


class M2MHistoryAdmin(SafeRelationsAdmin, SimpleHistoryAdmin):
    """The history list, with many-to-many changes read in one query per field.

    simple_history's diff_against() reads every record's many-to-many rows on its own, so a
    page of history made two queries per record and field; here the page's rows come at once.
    """

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)  # the page's own objects, which the template shows
        links = m2m_links(self.model, records)
        # Newest first: each record is compared with the one before it in time.
        for newer, older in itertools.pairwise(records):
            delta = changes_between(
                older, newer, links, foreign_keys_are_objs=foreign_keys_are_objs
            )
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)


class FocusPointInline(SafeRelationsAdmin, TranslationStackedInline):
    # Stacked, not tabular: a tabular inline's inputs have no <label> (axe-core flags it).
    model = FocusPoint
    fieldsets = [(None, {"fields": ["number", side_by_side("text")]})]
    # Focus points are a line or two.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(SafeRelationsAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = (
        "title",
        "is_current",
        "adopted_by",
        "adopted_on",
        "period",
        "decision_case_number",
    )
    search_fields = (*in_all_languages("title"), "slug", "decision_case_number")
    prepopulated_fields = {"slug": ("title_nb",)}
    ordering = ("-adopted_on",)
    inlines = [FocusPointInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    side_by_side("title"),
                    "slug",
                    side_by_side("adopted_by"),
                    ("adopted_on", "county"),
                    ("period_start", "period_end"),
                    ("is_current", "ended_on"),
                    side_by_side("purpose"),
                    side_by_side("sdg_statement"),
                ]
            },
        ),
        DECISION_FIELDSET,
    ]

    @admin.display(description=_("period"), ordering="period_start")
    def period(self, strategy: Strategy) -> str:
        return f"{strategy.period_start}–{strategy.period_end}"


class CommitmentInline(SafeRelationsAdmin, TranslationStackedInline):
    model = Commitment
    fieldsets = [(None, {"fields": ["number", side_by_side("text"), "owners"]})]
    autocomplete_fields = ("owners",)
    extra = 0
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(SafeRelationsAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("number", "title", "strategy", "commitment_count")
    list_display_links = ("number", "title")
    list_filter = ("strategy",)
    list_select_related = ("strategy",)
    search_fields = (*in_all_languages("title", "description"), "slug")
    autocomplete_fields = ("strategy",)
    prepopulated_fields = {"slug": ("title_nb",)}
    ordering = ("strategy", "number")
    inlines = [CommitmentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "strategy",
                    ("number", "slug"),
                    side_by_side("title"),
                    side_by_side("description"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commitment_count=Count("commitments"))

    @admin.display(description=_("commitments"), ordering="commitment_count")
    def commitment_count(self, priority: Priority) -> int:
        return priority.commitment_count


@admin.register(Commitment)
class CommitmentAdmin(M2MHistoryAdmin, TranslationAdmin):
    list_display = ("code", "short_text", "priority", "owner_names")
    list_filter = ("priority", ("owners", admin.RelatedOnlyFieldListFilter))
    search_fields = in_all_languages("text", "priority__title")
    autocomplete_fields = ("priority", "owners")
    ordering = ("priority__strategy", "priority__number", "number")
    fieldsets = [(None, {"fields": ["priority", "number", side_by_side("text"), "owners"]})]

    def get_queryset(self, request):
        # __str__ and the code read the priority; the list shows the owners.
        return super().get_queryset(request).select_related("priority").prefetch_related("owners")

    @admin.display(description=_("number"), ordering="priority__number")
    def code(self, commitment: Commitment) -> str:
        return commitment.code

    @admin.display(description=_("text"))
    def short_text(self, commitment: Commitment) -> str:
        return Truncator(commitment.text).words(14)

    @admin.display(description=_("owners"))
    def owner_names(self, commitment: Commitment) -> str:
        owners = commitment.owners.all()
        return ", ".join(owner.get_full_name() or owner.username for owner in owners)


class CommitmentListFilter(admin.RelatedFieldListFilter):
    """Commitments by code and the start of their text, read in one query."""

    def field_choices(self, field, request, model_admin):
        return [
            (c.pk, f"{c.code} {Truncator(c.text).words(8)}")
            for c in Commitment.objects.select_related("priority")
        ]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SafeRelationsAdmin, SimpleHistoryAdmin):
    list_display = (
        "commitment_code",
        "status",
        "created_at",
        "author",
        "decision_case_number",
        "is_example",
    )
    list_filter = (
        "status",
        "commitment__priority",
        ("commitment", CommitmentListFilter),
        "county",
        "is_example",
    )
    list_select_related = ("commitment__priority", "author")
    search_fields = (
        "assessment",
        "decision_body",
        "decision_case_number",
        *in_all_languages("commitment__text"),
    )
    autocomplete_fields = ("commitment", "author", "county")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    fieldsets = [
        (
            None,
            {"fields": ["commitment", "status", "assessment", "county", "author", "created_at"]},
        ),
        DECISION_FIELDSET,
        (_("Demo content"), {"fields": ["is_example"]}),
    ]

    @admin.display(description=_("commitment"), ordering="commitment__priority__number")
    def commitment_code(self, update: StatusUpdate) -> str:
        return update.commitment.code

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Activity.objects.dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        # A hand-edited ?year=abc shows everything rather than an error page.
        if self.value() and self.value().isdigit():
            return queryset.filter(start_date__year=int(self.value()))
        return queryset


class VisibilityFilter(admin.SimpleListFilter):
    title = _("visibility")
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("public", _("Public")), ("internal", _("Internal"))]

    def queryset(self, request, queryset):
        if self.value() == "public":
            return queryset.public()
        if self.value() == "internal":
            return queryset.filter(is_public=False)
        return queryset


class VisitInline(SafeRelationsAdmin, admin.StackedInline):
    """A delegation visit's facts, on its activity; its participants on the visit's own page
    (an inline cannot hold another)."""

    model = Visit
    fields = ["direction", "purpose", "follow_up", ("cost", "cost_is_public")]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
    show_change_link = True
    extra = 0
    max_num = 1


class ParticipantInline(SafeRelationsAdmin, admin.StackedInline):
    model = Participant
    fields = ["name", "title", "role", "organisation"]
    extra = 1


@admin.register(Visit)
class VisitAdmin(SafeRelationsAdmin, SimpleHistoryAdmin):
    list_display = ("activity", "direction", "cost", "cost_is_public")
    list_filter = ("direction", "cost_is_public")
    list_select_related = ("activity",)
    search_fields = ("activity__title", "purpose", "follow_up", "participants__name")
    autocomplete_fields = ("activity",)
    fields = ["activity", "direction", "purpose", "follow_up", ("cost", "cost_is_public")]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
    inlines = [ParticipantInline]


@admin.register(Activity)
class ActivityAdmin(M2MHistoryAdmin):
    list_display = (
        "title",
        "commitment_code",
        "kind",
        "start_date",
        "is_public",
        "created_by",
        "is_example",
    )
    list_filter = (
        "commitment__priority",
        ("commitment", CommitmentListFilter),
        "kind",
        YearFilter,
        VisibilityFilter,
        "county",
        ("created_by", admin.RelatedOnlyFieldListFilter),
        "is_example",
    )
    list_select_related = ("commitment__priority", "created_by")
    search_fields = ("title", "place", "description", "outcome")
    autocomplete_fields = (
        "commitment",
        "partners",
        "organisations",
        "programme",
        "county",
        "measure",
        "created_by",
    )
    date_hierarchy = "start_date"
    ordering = ("-start_date", "-pk")
    readonly_fields = ("created_at", "updated_at")
    actions = ["make_public", "make_internal"]
    inlines = [VisitInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "commitment",
                    "title",
                    "kind",
                    ("start_date", "end_date"),
                    ("place", "country"),
                    "description",
                    "outcome",
                ]
            },
        ),
        (
            _("Involved"),
            {"fields": ["partners", "organisations", "programme", "county", "measure", "url"]},
        ),
        (
            _("Publication"),
            {"fields": ["is_public", "is_example", "created_by", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description=_("commitment"), ordering="commitment__priority__number")
    def commitment_code(self, activity: Activity) -> str:
        return activity.commitment.code

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Make selected activities public"), permissions=["change"])
    def make_public(self, request, queryset):
        changed = self._set_visibility(queryset, is_public=True)
        self.message_user(
            request,
            ngettext("%d activity made public.", "%d activities made public.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description=_("Make selected activities internal"), permissions=["change"])
    def make_internal(self, request, queryset):
        changed = self._set_visibility(queryset, is_public=False)
        self.message_user(
            request,
            ngettext("%d activity made internal.", "%d activities made internal.", changed)
            % changed,
            messages.SUCCESS,
        )

    @staticmethod
    def _set_visibility(queryset, *, is_public: bool) -> int:
        # One save per activity, not queryset.update(): each change gets its own history
        # record (with the user, from HistoryRequestMiddleware) including the partner and
        # organisation links, which bulk_update_with_history would record as empty.
        changed = 0
        with transaction.atomic():
            for activity in queryset.exclude(is_public=is_public):
                activity.is_public = is_public
                activity.save(update_fields=["is_public", "updated_at"])
                changed += 1
        return changed


# Users with their roles (groups) in the list, so an admin sees who may do what.
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(SafeRelationsAdmin, UserAdmin):
    list_display = (*UserAdmin.list_display, "roles")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())
