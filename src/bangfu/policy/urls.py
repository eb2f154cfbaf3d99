from django.urls import include, path

app_name = "policy"
urlpatterns = [
    path("simulate/", include("bangfu.policy.simulate_urls")),
    path("", include("bangfu.policy.page_urls")),
]
