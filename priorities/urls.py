from django.urls import path

from . import views

app_name = "priorities"

urlpatterns = [
    path("", views.overview, name="overview"),
]
