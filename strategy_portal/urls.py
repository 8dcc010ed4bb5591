from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from accounts import views as accounts_views

# The open data API is the same in every language, so it sits outside the prefixes.
urlpatterns = [
    # The projects' open data (projects/api.py), described in the same OpenAPI document.
    path("api/projects/", include("projects.api_urls")),
    path("api/", include("priorities.api_urls")),
    # A county's logo is the same file in every language.
    path("fylke/", include("counties.urls")),
    # The redirect URI registered with the identity provider: one address for every language
    # (the sign-in remembers its language in the session).
    path("oidc/callback/", accounts_views.OIDCCallbackView.as_view(), name="oidc_callback"),
]

# Bokmål is unprefixed; /nn/ and /en/ prefix the same paths.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Staff sign-in: Django's auth views with our templates (templates/registration/).
    path(
        "accounts/login/",
        accounts_views.LoginView.as_view(),
        name="login",
    ),
    # With the county's account (OpenID Connect), when a provider is configured.
    path("accounts/oidc/", accounts_views.OIDCStartView.as_view(), name="oidc_login"),
    path("accounts/logout/", accounts_views.logout, name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        # Read-only: a POST gets 405, also before sign-in (the view's own check comes first).
        require_safe(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    # A person's own settings: the language of their e-mails, the weekly digest.
    path("accounts/innstillinger/", accounts_views.preferences, name="preferences"),
    path("partnere/", include("partners.urls")),
    path("prosjekter/", include("projects.urls")),
    # The action plan: handlingsplan/… and strategier/<slug>/handlingsplan/… (planning/urls.py).
    path("", include("planning.urls")),
    # Reporting rounds: rapportering/… and strategier/<slug>/rapportering/… (reporting/urls.py).
    path("", include("reporting.urls")),
    path("", include("priorities.urls")),
    prefix_default_language=False,
)

handler500 = "strategy_portal.views.server_error"
