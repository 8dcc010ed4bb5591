"""/api/projects/ (strategy_portal/urls.py), beside the rest of the open data API."""

from django.urls import path

from . import api

app_name = "projects_api"

urlpatterns = [path("", api.projects, name="projects")]
