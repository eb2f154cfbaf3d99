from django.urls import path

from . import views

urlpatterns = [
    path("", views.survey_import_page, name="survey_import"),
    path("template/", views.survey_template, name="survey_template"),
    path("export/", views.survey_export_view, name="survey_export"),
    path("jobs/<int:pk>/", views.survey_job, name="survey_job"),
    path("jobs/<int:pk>/progress/", views.survey_job_progress, name="survey_job_progress"),
    path("jobs/<int:pk>/bad-rows/", views.survey_job_bad_rows, name="survey_job_bad_rows"),
]
