"""Sign-in with the county's account, its callback, the refusal page and sign-out; a
person's own settings (the language of their e-mails, the weekly digest)."""

import logging

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from priorities.workspace import login_required

from .forms import LoginForm, PreferencesForm
from .models import NoPortalRole, Profile
from .oidc import ProviderUnavailable, provider_logout_url, provider_metadata

logger = logging.getLogger(__name__)

# The language the sign-in began in: the callback has one address for every language (the
# redirect URI registered with the provider), so its pages are shown in this one.
LANGUAGE_SESSION_KEY = "oidc_language"

REFUSALS = {
    # reason: HTTP status
    "no_role": 403,
    "failed": 400,
    "unavailable": 503,
}


class LoginView(auth_views.LoginView):
    """Django's sign-in page: the county's account first when a provider is configured."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            oidc_enabled=settings.OIDC_ENABLED, local_passwords=settings.LOCAL_PASSWORDS, **kwargs
        )


def sign_in_refused(request: HttpRequest, reason: str) -> HttpResponse:
    """The page for a sign-in that did not go through; the person is left signed out."""
    if request.user.is_authenticated:
        auth.logout(request)
    return render(
        request,
        "registration/sign_in_refused.html",
        {"reason": reason},
        status=REFUSALS[reason],
    )


class OIDCStartView(OIDCAuthenticationRequestView):
    """To the provider's sign-in page, with state, nonce and a PKCE challenge (the library)."""

    # Read-only, as every view that only shows or redirects (tests/test_read_only_views.py).
    http_method_names = ["get", "head"]

    def __init__(self, *args, **kwargs):
        # The library reads the endpoint from settings here; ours is in the discovery document.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except (ProviderUnavailable, KeyError) as error:
            logger.error("OIDC provider unavailable: %s", error)
            return sign_in_refused(request, "unavailable")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        request.session[LANGUAGE_SESSION_KEY] = translation.get_language()
        return super().get(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with the code (or an error)."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        language = request.session.get(LANGUAGE_SESSION_KEY)
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        try:
            return super().get(request)
        except NoPortalRole as refused:
            logger.warning("OIDC sign-in refused: no mapped group for subject %s", refused)
            return sign_in_refused(request, "no_role")
        except (SuspiciousOperation, requests.HTTPError) as error:
            # A wrong state, a replayed code, an ID token that does not verify.
            logger.warning("OIDC sign-in refused: %s", error)
            return sign_in_refused(request, "failed")
        except (ProviderUnavailable, requests.RequestException) as error:
            logger.error("OIDC provider unavailable: %s", error)
            return sign_in_refused(request, "unavailable")

    def login_failure(self) -> HttpResponse:
        # The library redirects to a fixed address; a page that says what happened is better.
        return sign_in_refused(self.request, "failed")


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Ends the portal's session and, for someone signed in through the provider, the
    provider's too: its end_session_endpoint sends the browser back to the portal."""
    provider_logout = provider_logout_url(request)
    response = auth_views.LogoutView.as_view()(request)
    if provider_logout:
        return HttpResponseRedirect(provider_logout)
    return response


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The signed-in person's settings: in place with htmx, a plain form without it."""
    profile = Profile.of(request.user)
    ctx = {"inline": bool(request.htmx)}
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            message = _("Your settings were saved.")
            if not request.htmx:
                messages.success(request, message)
                return HttpResponseRedirect(reverse("preferences"), status=303)
            ctx["announcement"] = message
            form = PreferencesForm(instance=profile)
    else:
        form = PreferencesForm(instance=profile)
    ctx["form"] = form
    template = "accounts/preferences.html" + ("#preferences-form" if request.htmx else "")
    return render(request, template, ctx, status=422 if form.errors else 200)
