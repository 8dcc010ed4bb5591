from django.urls import path

from . import views

app_name = "counties"
urlpatterns = [
    path("<slug:slug>/logo.<str:extension>", views.logo, name="logo"),
]
