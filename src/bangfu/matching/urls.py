from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/mapping/", views.mapping, name="mapping"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("template/<slug:kind>/", views.template, name="template"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/withdraw/", views.batch_withdraw, name="batch_withdraw"),
    path("batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.review_decide, name="review_decide"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/export/", views.finding_export, name="finding_export"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/status/", views.finding_status, name="finding_status"),
    path("findings/<int:pk>/case/", views.finding_case, name="finding_case"),
]
