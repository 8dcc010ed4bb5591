"""Forms for the staff workspace. Views read only cleaned_data."""

import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.models import County
from partners.models import BilateralPartner, Organisation, Programme
from strategy_portal.fields import IdsField

from .models import Activity, Participant, Status, StatusUpdate, Visit

# Sanity bounds for dates typed by hand: catches "0025" for "2025" without forbidding
# planned activities a while ahead.
EARLIEST_DATE = datetime.date(2000, 1, 1)
MAX_YEARS_AHEAD = 5


class FocusFirstErrorMixin:
    """Put autofocus on the first field with an error, so keyboard and screen-reader
    users land on it (in the browser on page load, and via portal.js after an htmx swap)."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            if name in self.errors and not field.widget.is_hidden:
                field.widget.attrs["autofocus"] = True
                break


class FirstOptionFocusMixin:
    """autofocus on one radio or checkbox of a group, not on every one: the checked one if
    any (where Tab would land), else the first."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [o for _, group, _ in context["widget"]["optgroups"] for o in group]
        if any("autofocus" in o["attrs"] for o in options):
            keep = next((o for o in options if o["selected"]), options[0])
            for option in options:
                if option is not keep:
                    option["attrs"].pop("autofocus", None)
        return context


class RadioSelect(FirstOptionFocusMixin, forms.RadioSelect):
    pass


class CheckboxSelectMultiple(FirstOptionFocusMixin, forms.CheckboxSelectMultiple):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def attribute_to_county(form: forms.ModelForm) -> None:
    """The county authority field of an activity or status update form: the counties the
    record may be attributed to (County.objects.for_attribution), optional."""
    field = form.fields["county"]
    field.queryset = County.objects.for_attribution(form.instance)
    field.label = _("County authority")
    field.empty_label = _("Not stated")


def county_filter() -> forms.ModelChoiceField:
    """?county=slug: the county filter of the search, the API and the yearly report. Any county
    authority, dissolved ones too (old activities are attributed to them)."""
    return forms.ModelChoiceField(
        label=_("County authority"),
        queryset=County.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All county authorities"),
        error_messages={
            "invalid_choice": _("There is no county authority with the code %(value)s.")
        },
    )


class CountyFilterForm(forms.Form):
    """The yearly report's and its downloads' filter."""

    county = county_filter()


class VersionedFormMixin:
    """`version` carries the object's updated_at from when the form was opened: saving over a
    newer version is refused (a conflict, with `conflict_message`), never silent."""

    conflict_message = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("version") != self.instance.updated_at.isoformat():
            raise ValidationError(self.conflict_message, code="conflict")
        return cleaned

    @property
    def is_conflict(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "conflict")


class ActivityForm(FocusFirstErrorMixin, VersionedFormMixin, forms.ModelForm):
    """Log or edit an activity; saving over a newer version is a conflict."""

    conflict_message = _(
        "Someone changed this activity after you opened the form, so your changes "
        "were not saved. Copy anything you want to keep, then open the latest version."
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "start_date",
            "end_date",
            "place",
            "country",
            "description",
            "outcome",
            "partners",
            "organisations",
            "programme",
            "county",
            "measure",
            "url",
            "is_public",
        ]
        labels = {
            "start_date": _("Date (or start date)"),
            "end_date": _("End date"),
            "country": _("Country"),
            "url": _("Link"),
            "is_public": _("Public"),
        }
        help_texts = {
            "end_date": _("Optional, for activities lasting more than one day."),
            "url": _("Optional: a web page about the activity, starting with https://."),
            "is_public": _("Uncheck to keep the activity internal: only staff will see it."),
            "measure": _("Optional: the measure of the commitment's action plan it carries out."),
            "outcome": _("What came out of it: contacts, decisions, applications, knowledge."),
        }
        field_classes = {"partners": IdsField, "organisations": IdsField}
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "partners": CheckboxSelectMultiple,
            "organisations": CheckboxSelectMultiple,
        }

    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=Meta.help_texts["url"],
        validators=[URLValidator(schemes=["http", "https"])],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active partners and arenas, plus any inactive ones the activity already links to.
        linked = Q(activities=self.instance.pk) if self.instance.pk else Q(pk__in=[])
        self.fields["partners"].queryset = BilateralPartner.objects.filter(
            Q(active=True) | linked
        ).distinct()
        self.fields["organisations"].queryset = Organisation.objects.filter(
            Q(active=True) | linked
        ).distinct()
        self.fields["programme"].queryset = Programme.objects.all()
        self.fields["programme"].empty_label = _("None")
        attribute_to_county(self)
        # The commitment's own measures only (Activity.clean() says so to anyone else).
        self.fields["measure"].queryset = (
            self.fields["measure"]
            .queryset.filter(commitment=self.instance.commitment_id)
            .order_by("-year", "title")
        )
        self.fields["measure"].label_from_instance = lambda m: f"{m.year}: {m.title}"
        self.fields["measure"].empty_label = _("None")
        if not self.is_bound:
            # A fresh form: start typing the title straight away.
            self.fields["title"].widget.attrs["autofocus"] = True

    def clean_start_date(self):
        day = self.cleaned_data["start_date"]
        latest = timezone.localdate().replace(year=timezone.localdate().year + MAX_YEARS_AHEAD)
        if day and not EARLIEST_DATE <= day <= latest:
            raise ValidationError(
                _("Give a date between %(first)s and %(last)s."),
                params={"first": EARLIEST_DATE.isoformat(), "last": latest.isoformat()},
                code="out_of_range",
            )
        return day


class VisitForm(FocusFirstErrorMixin, forms.ModelForm):
    """The visit part of the activity form (Visit), read only when the kind is a visit."""

    class Meta:
        model = Visit
        fields = ["direction", "purpose", "follow_up", "cost", "cost_is_public"]
        labels = {
            "direction": _("Direction"),
            "purpose": _("Purpose"),
            "follow_up": _("Follow-up agreed"),
            "cost": _("Cost (NOK)"),
            "cost_is_public": _("Show the cost publicly"),
        }
        help_texts = {
            "purpose": _("Why the visit was made, in a sentence or two."),
        }
        widgets = {
            "direction": RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = Visit.Direction.choices
        self.fields["cost"].localize = False
        self.fields["cost"].widget.attrs.update({"min": "0", "step": "0.01"})


class ParticipantForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "title", "role", "organisation"]
        labels = {
            "name": _("Name"),
            "title": _("Position or office"),
            "role": _("Role"),
            "organisation": _("Organisation"),
        }


ParticipantFormSet = forms.inlineformset_factory(
    Visit,
    Participant,
    form=ParticipantForm,
    extra=2,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class VisitForms:
    """The visit's fields and participants in the activity form: given with every activity
    (without JavaScript they are simply there), validated and saved only when the activity's
    kind is a visit. An activity that stops being a visit loses its visit record (its history
    keeps it)."""

    prefix = "visit"

    def __init__(self, activity: Activity, data=None):
        visit = getattr(activity, "visit", None) if activity.pk else None
        self.visit = visit or Visit()
        # Bound (and so checked) only when the kind posted is a visit: for any other kind the
        # fields are ignored, never a reason to refuse the activity.
        if data is not None and data.get("kind") != Activity.Kind.DELEGATION_VISIT:
            data = None
        self.form = VisitForm(data, instance=self.visit, prefix=self.prefix)
        self.participants = ParticipantFormSet(data, instance=self.visit, prefix="participants")

    def is_valid(self) -> bool:
        if not self.form.is_bound:
            return True
        # Both, so that every error shows at once.
        form_valid = self.form.is_valid()
        return self.participants.is_valid() and form_valid

    @property
    def has_errors(self) -> bool:
        return self.form.is_bound and not self.is_valid()

    def save(self, activity: Activity) -> None:
        """Call inside the transaction that saved the activity."""
        if not activity.is_visit:
            if self.visit.pk:
                self.visit.delete()
            return
        visit = self.form.save(commit=False)
        visit.activity = activity
        visit.save()
        self.participants.instance = visit
        self.participants.save()


class ActivityRowForm(ActivityForm):
    """The activity form for a row of the import (priorities/exchange.py), which names
    partners, organisations and the county authority by their codes: the same rules, and
    messages naming the code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("partners", "organisations", "county"):
            self.fields[name].to_field_name = "slug"
        self.fields["county"].error_messages["invalid_choice"] = _(
            "No county authority with the code %(value)s can be given here: give the code of "
            "one that exists now, or leave it empty."
        )
        # The download format has no measure column: a row keeps the activity's measure.
        del self.fields["measure"]


class StatusUpdateForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = StatusUpdate
        fields = ["status", "assessment", "county"]
        labels = {"status": _("Status"), "assessment": _("Assessment")}
        help_texts = {
            "assessment": _("A few sentences: what has been done, and what needs to happen next.")
        }
        widgets = {
            "status": RadioSelect,
            "assessment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list of the real statuses: no empty "-----" choice.
        self.fields["status"].choices = Status.choices
        attribute_to_county(self)
        if not self.is_bound:
            self.fields["status"].widget.attrs["autofocus"] = True
