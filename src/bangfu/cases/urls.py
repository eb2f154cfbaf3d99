from django.urls import path

from . import views, views_print, views_rescreening

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("inbox.xlsx", views.inbox_export, name="inbox_export"),
    path("overdue/", views.overdue, name="overdue"),
    path("overdue.xlsx", views.overdue_export, name="overdue_export"),
    path("new/", views.case_create, name="case_create"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/act/", views.case_action, name="case_action"),
    path("<int:pk>/notice/", views.notice_print, name="notice_print"),
    path("<int:pk>/decision/", views.decision_print, name="decision_print"),
    path("<int:pk>/decision.pdf", views_print.decision_pdf, name="decision_pdf"),
    path("<int:pk>/receipt/", views_print.receipt_print, name="receipt_print"),
    path("<int:pk>/receipt.pdf", views_print.receipt_print, {"as_pdf": True}, name="receipt_pdf"),
    path("notice/<str:code>/", views_print.village_notice, name="village_notice"),
    path("notice/<str:code>.pdf", views_print.village_notice, {"as_pdf": True}, name="village_notice_pdf"),
    path("reviews/open/", views.open_reviews, name="open_reviews"),
    path("changes/<int:change_id>/open/", views.open_change, name="open_change"),
    path("people/<int:person_id>/job-offers/", views.job_offers, name="job_offers"),
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("lookup/", views.lookup, name="lookup"),
    path("rescreening/", views_rescreening.rescreening_page, name="rescreening"),
    path("rescreening.xlsx", views_rescreening.rescreening_export, name="rescreening_export"),
]
