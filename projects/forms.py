"""Forms for the project register. Views read only cleaned_data."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import BilateralPartner, Organisation, Programme
from priorities.forms import (
    CheckboxSelectMultiple,
    DateInput,
    FocusFirstErrorMixin,
    VersionedFormMixin,
    attribute_to_county,
)
from priorities.models import Commitment, Strategy
from strategy_portal.fields import IdsField

from .models import Project, Role, State

# The programme filter's value for projects with other funding than an EU programme.
OTHER_PROGRAMME = "other"


class CommitmentChoiceField(IdsField):
    def label_from_instance(self, commitment) -> str:
        return f"{commitment.code} {commitment.text}"


class ProjectForm(FocusFirstErrorMixin, VersionedFormMixin, forms.ModelForm):
    """Register or update a project; saving over a newer version is a conflict."""

    conflict_message = _(
        "Someone changed this project after you opened the form, so your changes "
        "were not saved. Copy anything you want to keep, then open the latest version."
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "acronym",
            "programme",
            "call",
            "role",
            "state",
            "start_date",
            "end_date",
            "applied_on",
            "decided_on",
            "total_budget_eur",
            "county_share_eur",
            "eur_nok_rate",
            "rate_date",
            "partners",
            "organisations",
            "other_partners",
            "commitments",
            "description",
            "website",
            "county",
            "is_public",
        ]
        labels = {"is_public": _("Public")}
        help_texts = {
            "is_public": _("Uncheck to keep the project internal: only staff will see it."),
        }
        field_classes = {
            "commitments": CommitmentChoiceField,
            "partners": IdsField,
            "organisations": IdsField,
        }
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "applied_on": DateInput(),
            "decided_on": DateInput(),
            "rate_date": DateInput(),
            "partners": CheckboxSelectMultiple,
            "organisations": CheckboxSelectMultiple,
            "commitments": CheckboxSelectMultiple,
            "other_partners": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].empty_label = _("Other funding (no EU programme)")
        self.fields["state"].choices = [
            (value, State(value).label) for value in self.instance.next_states()
        ]
        self.fields["partners"].queryset = BilateralPartner.objects.order_by("name")
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        # The commitments of the current strategy, and any the project already serves.
        linked = Q(pk__in=self.instance.commitments.all()) if self.instance.pk else Q(pk__in=[])
        strategy = Strategy.objects.current()
        self.fields["commitments"].queryset = (
            Commitment.objects.filter(Q(priority__strategy=strategy) | linked)
            .select_related("priority")
            .distinct()
        )
        attribute_to_county(self)
        for name in ("total_budget_eur", "county_share_eur"):
            self.fields[name].widget.attrs.update(min=0, step="0.01")
        self.fields["eur_nok_rate"].widget.attrs.update(min="0.0001", step="0.0001")
        if not self.is_bound:
            self.fields["name"].widget.attrs["autofocus"] = True


class ProjectFilterForm(forms.Form):
    """The list's filters (GET). An unknown value is the form's error, shown with a 400."""

    programme = forms.ChoiceField(label=_("Programme"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *State.choices]
    )
    role = forms.ChoiceField(
        label=_("The county's role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    year = forms.IntegerField(
        label=_("Running in year"), required=False, min_value=1990, max_value=2100
    )
    partner = forms.ChoiceField(label=_("Partner region"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [
            ("", _("All programmes")),
            *((p.slug, str(p)) for p in Programme.objects.all()),
            (OTHER_PROGRAMME, _("Other funding")),
        ]
        self.fields["partner"].choices = [
            ("", _("All partner regions")),
            *BilateralPartner.objects.values_list("slug", "name"),
        ]
        self.fields["organisation"].choices = [
            ("", _("All organisations")),
            *Organisation.objects.values_list("slug", "name"),
        ]

    def filter(self, projects):
        """The projects the valid filters ask for."""
        data = self.cleaned_data
        if data.get("programme") == OTHER_PROGRAMME:
            projects = projects.filter(programme__isnull=True)
        elif data.get("programme"):
            projects = projects.filter(programme__slug=data["programme"])
        if data.get("state"):
            projects = projects.filter(state=data["state"])
        if data.get("role"):
            projects = projects.filter(role=data["role"])
        if data.get("year"):
            projects = projects.for_year(data["year"])
        if data.get("partner"):
            projects = projects.filter(partners__slug=data["partner"])
        if data.get("organisation"):
            projects = projects.filter(organisations__slug=data["organisation"])
        return projects
