from django.urls import include, path

from . import views

app_name = "reporting"

# A strategy's reporting pages, as planning.urls.PLAN_PAGES: at today's addresses for the
# current strategy and under strategier/<slug>/ for any (views decorated strategy_page).
ROUND_PAGES = [
    path("", views.rounds, name="rounds"),
    path("ny/", views.round_create, name="round_create"),
    path("<int:year>/", views.round_page, name="round"),
    path("<int:year>/svar/<int:pk>/", views.entry, name="entry"),
    path("<int:year>/svar/<int:pk>/behandle/", views.entry_review, name="entry_review"),
    path("<int:year>/svar/<int:pk>/historikk/", views.entry_history, name="entry_history"),
]

urlpatterns = [
    path("rapportering/", include(ROUND_PAGES)),
    path("strategier/<slug:strategy>/rapportering/", include(ROUND_PAGES)),
]
