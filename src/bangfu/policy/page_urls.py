"""Policy pages under /policy/ (namespace `policy`, from urls.py): the parameters, an
administrator's regional value, and the household panel reloaded for another date."""

from django.urls import path

from . import views

urlpatterns = [
    path("parameters/", views.parameter_list, name="parameters"),
    path("parameters/<slug:name>/", views.parameter_detail, name="parameter_detail"),
    path("parameters/<slug:name>/new/", views.parameter_value_create, name="parameter_value_create"),
    path("parameters/<slug:name>/range/", views.parameter_range, name="parameter_range"),
    path("households/<int:pk>/determination/", views.household_determination, name="household_determination"),
]
