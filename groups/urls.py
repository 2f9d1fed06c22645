from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_search, name="group-search"),
    path("hva-er-en-selvhjelpsgruppe/", views.what_is_self_help, name="what-is-self-help"),
    path("<slug:slug>/", views.group_detail, name="group-detail"),
]
