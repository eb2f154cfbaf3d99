from django.urls import path

from . import views

app_name = "rescue"
urlpatterns = [
    path("", views.index, name="index"),
    path("worklists/", views.worklists, name="worklists"),
    path("stays.xlsx", views.stay_export, name="stay_export"),
    path("stays/new/", views.stay_new, name="stay_new"),
    path("stays/<int:pk>/", views.stay_detail, name="stay_detail"),
    path("stays/<int:pk>/<str:action>/", views.stay_action, name="stay_action"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("prevention/", views.prevention, name="prevention"),
    path("prevention/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("patrols/", views.patrols, name="patrols"),
    path("statistics/", views.statistics, name="statistics"),
    path("statements/", views.statement, name="statement"),
]
