from django.urls import include, path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/new/member-row/", views.member_row, name="member_row"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/members/add/", views.person_add, name="person_add"),
    path("households/<int:pk>/split/", views.household_split, name="household_split"),
    path("households/<int:pk>/head/", views.household_change_head, name="household_change_head"),
    path("households/<int:pk>/merge/", views.household_merge, name="household_merge"),
    path("households/<int:pk>/<str:kind>/add/", views.item_add, name="item_add"),
    path("items/<str:kind>/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/<str:what>/", views.person_full_number, name="person_full_number"),
    path("pick/households/", views.pick_households, name="pick_households"),
    path("pick/persons/", views.pick_persons, name="pick_persons"),
    path("survey/", include("bangfu.registry.survey.urls")),
]
