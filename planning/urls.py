from django.urls import include, path

from . import views

app_name = "planning"

# The plan's pages of one strategy, as priorities.urls.STRATEGY_PAGES: at today's addresses for
# the current strategy and under strategier/<slug>/ for any (views decorated strategy_page).
PLAN_PAGES = [
    path("", views.plan, name="plan"),
    path("<int:year>/", views.plan, name="plan_year"),
    path("<int:year>/tiltak/ny/", views.measure_create, name="measure_create"),
]

urlpatterns = [
    path("handlingsplan/", include(PLAN_PAGES)),
    path("strategier/<slug:strategy>/handlingsplan/", include(PLAN_PAGES)),
    # A measure's own pages: the measure names its strategy.
    path("handlingsplan/tiltak/<int:pk>/endre/", views.measure_edit, name="measure_edit"),
    path("handlingsplan/tiltak/<int:pk>/tilstand/", views.measure_state, name="measure_state"),
    path("handlingsplan/tiltak/<int:pk>/historikk/", views.measure_history, name="measure_history"),
]
