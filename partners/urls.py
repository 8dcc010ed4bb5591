from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("kart/", views.partner_map, name="map"),
    path("organisasjoner/<slug:slug>/", views.organisation, name="organisation"),
    # The briefing pack: a printable page and its PDF (partners/briefing.py).
    path("organisasjoner/<slug:slug>/brief/", views.organisation_brief, name="organisation_brief"),
    path(
        "organisasjoner/<slug:slug>/brief.pdf",
        views.organisation_brief_pdf,
        name="organisation_brief_pdf",
    ),
    path("<slug:slug>/", views.partner, name="partner"),
    path("<slug:slug>/brief/", views.partner_brief, name="partner_brief"),
    path("<slug:slug>/brief.pdf", views.partner_brief_pdf, name="partner_brief_pdf"),
]
