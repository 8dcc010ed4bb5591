"""Forms for the action plan. Views read only cleaned_data."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from priorities.forms import (
    DateInput,
    FocusFirstErrorMixin,
    RadioSelect,
    VersionedFormMixin,
    attribute_to_county,
)
from priorities.models import Commitment, Strategy
from priorities.roles import EDITOR_GROUP, STAFF_GROUP

from .models import Measure, MeasureStateChange, State


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, commitment) -> str:
        return f"{commitment.code} {commitment.text}"


def responsible_people(current=None):
    """Who may be responsible for a measure: active staff and editors (and whoever is now)."""
    User = get_user_model()
    chosen = Q(pk=current.pk) if current is not None else Q(pk__in=[])
    return (
        User.objects.filter(
            (Q(is_active=True) & Q(groups__name__in=[STAFF_GROUP, EDITOR_GROUP])) | chosen
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class MeasureForm(FocusFirstErrorMixin, VersionedFormMixin, forms.ModelForm):
    """Add or edit a measure of `strategy`'s plan; saving over a newer version is a conflict."""

    conflict_message = _(
        "Someone changed this measure after you opened the form, so your changes "
        "were not saved. Copy anything you want to keep, then open the latest version."
    )

    class Meta:
        model = Measure
        fields = [
            "commitment",
            "title",
            "description",
            "responsible_unit",
            "responsible",
            "county",
            "deadline",
            "cost_nok",
            "person_weeks",
            "is_public",
        ]
        labels = {"is_public": _("Public")}
        help_texts = {
            "deadline": _("Optional; within the plan's year."),
            "cost_nok": _("Optional: the budget in Norwegian kroner."),
            "person_weeks": _("Optional: the work it takes, in person-weeks."),
            "is_public": _("Uncheck to keep the measure internal: only staff will see it."),
        }
        field_classes = {"commitment": CommitmentChoiceField, "responsible": PersonChoiceField}
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = Commitment.objects.filter(
            priority__strategy=strategy
        ).select_related("priority")
        self.fields["commitment"].empty_label = None
        self.fields["responsible"].queryset = responsible_people(self.instance.responsible)
        attribute_to_county(self)
        self.fields["responsible"].empty_label = _("Nobody yet")
        self.fields["cost_nok"].widget.attrs["min"] = 0
        self.fields["person_weeks"].widget.attrs["min"] = 0
        if not self.is_bound:
            self.fields["title"].widget.attrs["autofocus"] = True

    def add_error(self, field, error):
        # The model's rule on a field this form does not show (the year, from the address)
        # is said on top of the form rather than lost (Django raises ValueError for it).
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name in [n for n in error.error_dict if n != NON_FIELD_ERRORS]:
                if name not in self.fields:
                    error.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(
                        error.error_dict.pop(name)
                    )
        super().add_error(field, error)


class StateForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = MeasureStateChange
        fields = ["state", "changed_on", "comment"]
        labels = {"state": _("State"), "changed_on": _("Date"), "comment": _("Comment")}
        help_texts = {"comment": _("A sentence or two: what happened, or why it changed.")}
        widgets = {
            "state": RadioSelect,
            "changed_on": DateInput(),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = State.choices
        self.fields["changed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        # The model's default is a callable, which makes Django add a hidden copy of the
        # initial value; the view gives today as the initial value itself.
        self.fields["changed_on"].show_hidden_initial = False
        if not self.is_bound:
            self.fields["state"].widget.attrs["autofocus"] = True
