"""URLs of the groups app.

`urlpatterns` are its public pages (namespace "groups"). The two plain lists are its pages in the
staff areas: `selvhjelp/urls.py` joins them, with every other app's, into the `workspace`
namespace (a contact point, under /kontaktpunkt/<slug>/) and the `district` namespace (a district
office, under /distriktskontor/)."""

from django.urls import path

from groups import views, views_district, views_interest, views_lifecycle, views_workspace

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

# One person's interest at a contact point, and what may be done with it.
_interest_pages = [
    ("", views_workspace.interest_detail, "interest-detail"),
    ("status/", views_workspace.interest_update, "interest-update"),
    ("notat/", views_workspace.interest_note_add, "interest-note-add"),
    ("eksport/", views_workspace.interest_export, "interest-export"),
    ("slett/", views_workspace.interest_erase, "interest-erase"),
]

# One group of the contact point: every page of it lives under <slug>/grupper/<pk>/.
_group_pages = [
    ("", views_lifecycle.group_detail, "group-detail"),
    ("endre/", views_lifecycle.group_edit, "group-edit"),
    ("send-inn/", views_lifecycle.group_submit, "group-submit"),
    ("status/", views_lifecycle.group_status, "group-status"),
    ("oppstart/", views_workspace.group_starts_email, "group-starts-email"),
]

workspace_urlpatterns = [
    path("<slug:slug>/interesser/", views_workspace.interest_list, name="interest-list"),
    path("<slug:slug>/interesser/ny/", views_workspace.interest_create, name="interest-create"),
    *[
        path(f"<slug:slug>/interesser/<uuid:public_id>/{route}", view, name=name)
        for route, view, name in _interest_pages
    ],
    path("<slug:slug>/personer/", views_workspace.person_search, name="person-search"),
    path("<slug:slug>/grupper/", views_workspace.group_list, name="group-list"),
    path("<slug:slug>/grupper/ny/", views_workspace.group_create, name="group-create"),
    *[
        path(f"<slug:slug>/grupper/<int:pk>/{route}", view, name=name)
        for route, view, name in _group_pages
    ],
    # Links already sent by email (before the group's pages moved under the contact point).
    path("gruppe/<int:pk>/", views_lifecycle.group_old_link, name="group-old-link"),
    path("gruppe/<int:pk>/<slug:page>/", views_lifecycle.group_old_link, name="group-old-page"),
]

district_urlpatterns = [
    path("gruppe/<int:pk>/", views_district.group_review, name="group-review"),
    path("<slug:slug>/til-godkjenning/", views_district.queue, name="queue"),
    path("<slug:slug>/trenger-oppfolging/", views_district.needs_attention, name="needs-attention"),
    path("<slug:slug>/grupper/", views_district.group_list, name="group-list"),
    # The office's own interest list: interests no contact point serves.
    path("<slug:slug>/interesser/", views_district.interest_list, name="interest-list"),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/",
        views_district.interest_detail,
        name="interest-detail",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/status/",
        views_district.interest_update,
        name="interest-update",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/notat/",
        views_district.interest_note_add,
        name="interest-note-add",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/eksport/",
        views_district.interest_export,
        name="interest-export",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/slett/",
        views_district.interest_erase,
        name="interest-erase",
    ),
]
