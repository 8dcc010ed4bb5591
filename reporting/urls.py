from django.urls import include, path

from . import views

app_name = "reporting"

# A strategy's reporting pages, as planning.urls.PLAN_PAGES: at today's addresses for the
# current strategy and under strategier/<slug>/ for any (views decorated strategy_page).
ROUND_PAGES = [
    path("", views.rounds, name="rounds"),
    path("ny/", views.round_create, name="round_create"),
    path("<int:year>/", views.round_page, name="round"),
    path("<int:year>/arsrapport/", views.round_report, name="round_report"),
    path("<int:year>/svar/<int:pk>/", views.entry, name="entry"),
    path("<int:year>/svar/<int:pk>/behandle/", views.entry_review, name="entry_review"),
    path("<int:year>/svar/<int:pk>/historikk/", views.entry_history, name="entry_history"),
]

# The public yearly report to the county council beside the yearly report it grows from
# (priorities/urls.py: rapport/<year>/), once the round's report is approved.
REPORT_PAGES = [
    path("<int:year>/arsrapport/", views.annual_report, name="annual_report"),
    path("<int:year>/arsrapport.pdf", views.annual_report_pdf, name="annual_report_pdf"),
]

urlpatterns = [
    path("rapportering/", include(ROUND_PAGES)),
    path("strategier/<slug:strategy>/rapportering/", include(ROUND_PAGES)),
    path("rapport/", include(REPORT_PAGES)),
    path("strategier/<slug:strategy>/rapport/", include(REPORT_PAGES)),
]
