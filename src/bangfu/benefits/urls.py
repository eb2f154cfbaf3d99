from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("", views.index, name="index"),
    path("due.xlsx", views.due_export, name="due_export"),
    path("publication/", views.publication, name="publication"),
    path("publication.xlsx", views.publication_export, name="publication_export"),
    path("register/", views.register, name="register"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("extensions/", views.extensions, name="extensions"),
    path("extensions/new/", views.extension_create, name="extension_create"),
]
