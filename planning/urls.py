from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("<int:year>/", views.plan, name="plan_year"),
    path("<int:year>/tiltak/ny/", views.measure_create, name="measure_create"),
    path("tiltak/<int:pk>/endre/", views.measure_edit, name="measure_edit"),
    path("tiltak/<int:pk>/tilstand/", views.measure_state, name="measure_state"),
    path("tiltak/<int:pk>/historikk/", views.measure_history, name="measure_history"),
]
