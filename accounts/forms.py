"""Staff sign-in (Django's form, with one autofocus per page) and a person's settings."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS

from priorities.forms import FocusFirstErrorMixin

from .models import Profile


class LoginForm(AuthenticationForm):
    """After a wrong password (an error on no field) the error summary takes the focus
    (includes/form_fields.html), so the username field gives up the autofocus Django puts on
    it: a page with two is invalid HTML, and which one a browser honours is left to chance.

    With a provider configured, the county's account is the first choice on the page: the
    empty form then takes no focus, so as not to skip a keyboard user past that link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.OIDC_ENABLED and not self.is_bound:
            self.fields["username"].widget.attrs.pop("autofocus", None)

    def full_clean(self):
        super().full_clean()
        if self.errors and set(self.errors) == {NON_FIELD_ERRORS}:
            self.fields["username"].widget.attrs.pop("autofocus", None)


class PreferencesForm(FocusFirstErrorMixin, forms.ModelForm):
    """A person's own settings (accounts.Profile)."""

    class Meta:
        model = Profile
        fields = ["language", "weekly_digest"]
