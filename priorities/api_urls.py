"""The open data API, outside the language prefixes: /api/… (see priorities/openapi.py)."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("strategies/", api.strategies, name="strategies"),
    path("strategy/", api.strategy, name="strategy"),
    path("activities/", api.activities, name="activities"),
    path("partners/", api.partners, name="partners"),
    path("organisations/", api.organisations, name="organisations"),
    path("programmes/", api.programmes, name="programmes"),
    path("openapi.json", api.openapi, name="openapi"),
]
