from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("monthly/", views.monthly_page, name="monthly"),
    path("monthly.xlsx", views.monthly_export, name="monthly_export"),
    path("monthly/list/", views.figure_list, name="figure_list"),
    path("monthly/list.xlsx", views.figure_list_export, name="figure_list_export"),
]
