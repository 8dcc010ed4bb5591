from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("kart/", views.partner_map, name="map"),
    path("organisasjoner/<slug:slug>/", views.organisation, name="organisation"),
    path("<slug:slug>/", views.partner, name="partner"),
]
