from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.index, name="index"),
    path("helpers/", views.helper_list, name="helper_list"),
    path("helpers.xlsx", views.helper_export, name="helper_export"),
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings.xlsx", views.pairing_export, name="pairing_export"),
    path("visits.xlsx", views.visit_export, name="visit_export"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("overdue/", views.overdue, name="overdue"),
    path("mine/", views.my_todo, name="my_todo"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("worklist/", views.worklist, name="worklist"),
    path("worklist/<int:pk>/", views.item_detail, name="item_detail"),
    path("worklist/referrals.xlsx", views.referral_export, name="referral_export"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/progress/<int:pk>/", views.village_progress_edit, name="village_progress_edit"),
    path("goals/", views.goal_list, name="goal_list"),
]
