from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("ny/", views.project_create, name="create"),
    path("<slug:slug>/", views.project, name="project"),
    path("<slug:slug>/endre/", views.project_edit, name="edit"),
]
