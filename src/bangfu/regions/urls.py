from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("pick/", views.pick, name="pick"),
]
