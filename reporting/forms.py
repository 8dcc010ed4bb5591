"""Forms for reporting rounds. Views read only cleaned_data."""

from django import forms
from django.utils.translation import gettext_lazy as _

from priorities.forms import DateInput, FocusFirstErrorMixin, RadioSelect, VersionedFormMixin
from priorities.models import Status

from .models import Entry, Round


class RoundForm(FocusFirstErrorMixin, forms.ModelForm):
    """Open a round; the strategy comes from the address (the view sets it on the instance)."""

    class Meta:
        model = Round
        fields = ["year", "opens_on", "deadline", "grace_days"]
        widgets = {"opens_on": DateInput(), "deadline": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's default is a callable, which makes Django add a hidden copy of the
        # initial value (with aria attributes a hidden input may not have).
        self.fields["opens_on"].show_hidden_initial = False
        if not self.is_bound:
            self.fields["year"].widget.attrs["autofocus"] = True


class EntryForm(FocusFirstErrorMixin, VersionedFormMixin, forms.ModelForm):
    """The owner's (or an editor's) entry; "submit" saves and submits it in one go."""

    conflict_message = _(
        "Someone changed this entry after you opened the form, so your changes were not "
        "saved. Copy anything you want to keep, then open the latest version."
    )

    class Meta:
        model = Entry
        fields = ["done", "assessment", "status", "next_steps"]
        labels = {"status": _("Status")}
        help_texts = {
            "done": _("Prefilled from the year's public activities and measures; edit freely."),
            "assessment": _(
                "How far the commitment has come, and why. Becomes the status update when approved."
            ),
            "next_steps": _("What you propose for next year."),
        }
        widgets = {
            "done": forms.Textarea(attrs={"rows": 6}),
            "assessment": forms.Textarea(attrs={"rows": 4}),
            "status": RadioSelect,
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Status.choices
        self.fields["status"].required = False

    def clean(self):
        cleaned = super().clean()
        if self.data.get("action") == "submit" and not self.errors:
            trial = Entry(
                assessment=cleaned.get("assessment", ""), status=cleaned.get("status", "")
            )
            for field, message in trial.missing_for_submission().items():
                self.add_error(field, message)
        return cleaned


class ReviewForm(FocusFirstErrorMixin, forms.Form):
    """An editor's decision on an entry: return (with a comment), approve or reopen."""

    action = forms.ChoiceField(
        choices=[("return", _("Return")), ("approve", _("Approve")), ("reopen", _("Reopen"))],
        error_messages={"invalid_choice": _("Unknown action.")},
    )
    comment = forms.CharField(
        label=_("Comment to the owner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the entry: what should be fixed."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what should be fixed."))
        return cleaned


class IntroductionForm(FocusFirstErrorMixin, forms.ModelForm):
    """The editors' introduction to the yearly report (Årsrapport)."""

    class Meta:
        model = Round
        fields = ["introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 10})}
