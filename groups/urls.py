from django.urls import path

from groups import views, views_interest, views_lifecycle

app_name = "groups"

urlpatterns = [
    path("", views.group_search, name="group-search"),
    path("hva-er-en-selvhjelpsgruppe/", views.what_is_self_help, name="what-is-self-help"),
    path("meld-interesse/", views_interest.interest_create, name="interest-create"),
    path("meld-interesse/takk/", views_interest.interest_thanks, name="interest-thanks"),
    path(
        "meld-interesse/trekk/<str:token>/",
        views_interest.interest_withdraw,
        name="interest-withdraw",
    ),
    path(
        "<slug:slug>/meld-interesse/",
        views_interest.interest_create_for_group,
        name="interest-create-for-group",
    ),
    path("bekreft/<str:token>/", views_lifecycle.group_confirm_link, name="group-confirm"),
    path("<slug:slug>/", views.group_detail, name="group-detail"),
]
