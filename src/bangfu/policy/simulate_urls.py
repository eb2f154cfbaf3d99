"""/policy/simulate/: the county officers' simulation page (views_simulate.py)."""

from django.urls import path

from . import views_simulate as views

urlpatterns = [
    path("", views.simulate_page, name="simulate"),
    path("jobs/<int:pk>/", views.simulate_job_page, name="simulate_job"),
    path("jobs/<int:pk>/progress/", views.simulate_job_progress, name="simulate_job_progress"),
    path("jobs/<int:pk>/xlsx/", views.simulate_job_xlsx, name="simulate_job_xlsx"),
]
