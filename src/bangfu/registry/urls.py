from django.urls import include, path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("survey/", include("bangfu.registry.survey.urls")),
]
