from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import get_translation_fields
from simple_history.admin import SimpleHistoryAdmin

from strategy_portal.admin_guard import SafeRelationsAdmin

from .logos import MAX_BYTES, checked_logo
from .models import County, PortalOwner


class CountyForm(forms.ModelForm):
    """The county's fields, and its logo as an upload that is checked before it is stored."""

    logo_upload = forms.FileField(
        label=_("logo"),
        required=False,
        help_text=_(
            "An SVG or PNG image. An SVG with scripts, event handlers or references to other "
            "files is refused."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".svg,.png,image/svg+xml,image/png"}),
    )
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)

    class Meta:
        model = County
        fields = [
            *get_translation_fields("name"),
            "short_name",
            "slug",
            "website",
            "email",
            "postal_address",
            "existed_from",
            "dissolved_on",
            "successors",
        ]

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is larger than %(kb)d kB."), params={"kb": MAX_BYTES // 1024}
            )
        return checked_logo(upload.read())

    def save(self, commit=True):
        county = super().save(commit=False)
        if self.cleaned_data.get("logo_upload"):
            county.set_logo(*self.cleaned_data["logo_upload"])
        elif self.cleaned_data.get("remove_logo"):
            county.set_logo(b"", "")
        if commit:
            county.save()
            self.save_m2m()
        return county


@admin.register(County)
class CountyAdmin(SafeRelationsAdmin, SimpleHistoryAdmin, TranslationAdmin):
    form = CountyForm
    list_display = ("name", "short_name", "existed_from", "dissolved_on")
    search_fields = (*get_translation_fields("name"), "short_name", "slug")
    prepopulated_fields = {"slug": ("name_nb",)}
    filter_horizontal = ("successors",)
    readonly_fields = ("current_logo",)
    fieldsets = [
        (
            None,
            {"fields": [tuple(get_translation_fields("name")), ("short_name", "slug")]},
        ),
        (_("Contact"), {"fields": ["website", "email", "postal_address"]}),
        (_("Logo"), {"fields": ["current_logo", "logo_upload", "remove_logo"]}),
        (_("History"), {"fields": [("existed_from", "dissolved_on"), "successors"]}),
    ]

    @admin.display(description=_("current logo"))
    def current_logo(self, county: County) -> str:
        if not county.has_logo:
            return _("No logo")
        return format_html('<img src="{}" alt="" height="48">', county.logo_url())


@admin.register(PortalOwner)
class PortalOwnerAdmin(SafeRelationsAdmin, SimpleHistoryAdmin):
    """One row: it can be added while there is none, changed, never deleted."""

    list_display = ("county", "accessibility_email", "statement_date")
    # Every list in the admin has a search box, this one-row list too.
    search_fields = ("county__slug", "accessibility_email")
    fields = ["county", "accessibility_email", "feedback_url", "statement_date"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not PortalOwner.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
