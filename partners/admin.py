from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields
from simple_history.admin import SimpleHistoryAdmin

from strategy_portal.admin_guard import SafeRelationsAdmin

from .models import (
    AGREEMENT_NOTICE_DAYS,
    BilateralPartner,
    MembershipFee,
    Organisation,
    Programme,
    Seat,
)


def side_by_side(field: str) -> tuple[str, ...]:
    """A translated field's bokmål, nynorsk and English inputs as one fieldset row."""
    return tuple(get_translation_fields(field))


def in_all_languages(*fields: str) -> tuple[str, ...]:
    """search_fields covering every language, not only the active one."""
    return tuple(get_translation_fields(*fields))


class AgreementExpiryFilter(admin.SimpleListFilter):
    title = _("agreement follow-up")
    parameter_name = "agreement"

    def lookups(self, request, model_admin):
        return [
            ("expiring", _("Expires within %(days)d days") % {"days": AGREEMENT_NOTICE_DAYS}),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "expiring":
            return queryset.agreement_expiring()
        if self.value() == "expired":
            return queryset.agreement_expired()
        return queryset  # no filter, or a value we don't know: show everything


class MembershipFilter(admin.SimpleListFilter):
    title = _("membership")
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return [
            ("direct", _("Direct")),
            ("indirect", _("Through another organisation")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "direct":
            return queryset.filter(via__isnull=True)
        if self.value() == "indirect":
            return queryset.filter(via__isnull=False)
        return queryset


class MembershipFeeInline(admin.TabularInline):
    model = MembershipFee
    extra = 0
    fields = ("year", "amount", "note", "is_example")


class SeatInline(TranslationTabularInline):
    model = Seat
    extra = 0
    fields = (
        "body",
        "role",
        "representative",
        "deputy",
        "term_start",
        "term_end",
        "is_example",
    )


@admin.register(Organisation)
class OrganisationAdmin(SafeRelationsAdmin, SimpleHistoryAdmin, TranslationAdmin):
    inlines = [MembershipFeeInline, SeatInline]
    list_display = ("name", "short_name", "kind", "via", "member_since", "member_until", "active")
    list_filter = ("kind", MembershipFilter, "active")
    list_select_related = ("via",)
    search_fields = (*in_all_languages("name"), "short_name", "slug")
    autocomplete_fields = ("via",)
    prepopulated_fields = {"slug": ("name_nb",)}
    ordering = ("name",)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    side_by_side("name"),
                    ("short_name", "slug"),
                    "kind",
                    "via",
                    "held_by",
                    ("member_since", "member_until"),
                    "active",
                ]
            },
        ),
        (
            _("The county's part"),
            {"fields": [side_by_side("seats_and_role"), "cost_bearer", side_by_side("purpose")]},
        ),
        (
            _("Description and sources"),
            {"fields": [side_by_side("description"), "website", "source_url"]},
        ),
        (
            _("On the map"),
            {"fields": [side_by_side("place"), "country", ("latitude", "longitude")]},
        ),
    ]

    def render_change_form(self, request, context, *args, **kwargs):
        # A POST comes back to the form only when it (or a fee or seat row) was refused:
        # say so with a 422, as the portal's own forms do; nothing was saved.
        response = super().render_change_form(request, context, *args, **kwargs)
        if request.method == "POST":
            response.status_code = 422
        return response


@admin.register(BilateralPartner)
class BilateralPartnerAdmin(SafeRelationsAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = (
        "name",
        "country",
        "cooperation_since",
        "agreement_expires",
        "coordinated_through",
        "active",
    )
    list_filter = (AgreementExpiryFilter, "active", "country")
    list_select_related = ("coordinated_through",)
    search_fields = (*in_all_languages("name", "themes"), "country", "slug")
    autocomplete_fields = ("coordinated_through",)
    prepopulated_fields = {"slug": ("name_nb",)}
    ordering = ("name",)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    side_by_side("name"),
                    "slug",
                    ("country", "cooperation_since"),
                    side_by_side("themes"),
                    "coordinated_through",
                    "held_by",
                    "active",
                ]
            },
        ),
        (
            _("Agreement"),
            {
                "fields": [
                    side_by_side("agreement"),
                    ("agreement_signed", "agreement_renewed", "agreement_expires"),
                    "agreement_url",
                ]
            },
        ),
        (
            _("Description and sources"),
            {"fields": [side_by_side("description"), "website", "source_url"]},
        ),
        (
            _("On the map"),
            {"fields": [side_by_side("place"), ("latitude", "longitude")]},
        ),
    ]


@admin.register(Programme)
class ProgrammeAdmin(SafeRelationsAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("name", "short_name", "period_start", "period_end")
    list_filter = ("period_start", "period_end")
    search_fields = (*in_all_languages("name"), "short_name", "slug")
    prepopulated_fields = {"slug": ("name_nb",)}
    ordering = ("name",)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    side_by_side("name"),
                    ("short_name", "slug"),
                    ("period_start", "period_end"),
                    side_by_side("description"),
                    "website",
                ]
            },
        ),
    ]
