from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# Bokmål is unprefixed; /nn/ and /en/ prefix the same paths.
urlpatterns = i18n_patterns(
    path("admin/", admin.site.urls),
    path("partnere/", include("partners.urls")),
    path("", include("priorities.urls")),
    prefix_default_language=False,
)

handler500 = "strategy_portal.views.server_error"
