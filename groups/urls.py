"""URLs of the groups app.

`urlpatterns` are its public pages (namespace "groups"). The two plain lists are its pages in the
staff areas: `selvhjelp/urls.py` joins them, with every other app's, into the `workspace`
namespace (a contact point, under /kontaktpunkt/<slug>/) and the `district` namespace (a district
office, under /distriktskontor/)."""

from django.urls import path

from groups.views import (
    approval,
    confirmation,
    interests,
    lifecycle,
    office_interests,
    planning,
    privacy,
    search,
)

app_name = "groups"

urlpatterns = [
    path("", search.group_search, name="group-search"),
    path("hva-er-en-selvhjelpsgruppe/", search.what_is_self_help, name="what-is-self-help"),
    path("meld-interesse/", interests.interest_create, name="interest-create"),
    path("meld-interesse/takk/", interests.interest_thanks, name="interest-thanks"),
    path(
        "meld-interesse/trekk/<str:token>/",
        privacy.interest_withdraw,
        name="interest-withdraw",
    ),
    path(
        "<slug:slug>/meld-interesse/",
        interests.interest_create_for_group,
        name="interest-create-for-group",
    ),
    path("bekreft/<str:token>/", confirmation.group_confirm_link, name="group-confirm"),
    path("<slug:slug>/", search.group_detail, name="group-detail"),
]

# One person's interest at a contact point, and what may be done with it.
_interest_pages = [
    ("", interests.interest_detail, "interest-detail"),
    ("status/", interests.interest_update, "interest-update"),
    ("notat/", interests.interest_note_add, "interest-note-add"),
    ("eksport/", privacy.interest_export, "interest-export"),
    ("slett/", privacy.interest_erase, "interest-erase"),
]

# One group of the contact point: every page of it lives under <slug>/grupper/<pk>/.
_group_pages = [
    ("", lifecycle.group_detail, "group-detail"),
    ("endre/", lifecycle.group_edit, "group-edit"),
    ("send-inn/", approval.group_submit, "group-submit"),
    ("status/", lifecycle.group_status, "group-status"),
    ("oppstart/", planning.group_starts_email, "group-starts-email"),
]

workspace_urlpatterns = [
    path("<slug:slug>/interesser/", interests.interest_list, name="interest-list"),
    path("<slug:slug>/interesser/ny/", interests.interest_create_by_hand, name="interest-create"),
    *[
        path(f"<slug:slug>/interesser/<uuid:public_id>/{route}", view, name=name)
        for route, view, name in _interest_pages
    ],
    path("<slug:slug>/personer/", privacy.person_search, name="person-search"),
    path("<slug:slug>/grupper/", lifecycle.group_list, name="group-list"),
    path("<slug:slug>/grupper/ny/", planning.group_create, name="group-create"),
    *[
        path(f"<slug:slug>/grupper/<int:pk>/{route}", view, name=name)
        for route, view, name in _group_pages
    ],
    # Links already sent by email (before the group's pages moved under the contact point).
    path("gruppe/<int:pk>/", lifecycle.group_old_link, name="group-old-link"),
    path("gruppe/<int:pk>/<slug:page>/", lifecycle.group_old_link, name="group-old-page"),
]

district_urlpatterns = [
    path("gruppe/<int:pk>/", approval.group_review, name="group-review"),
    path("<slug:slug>/til-godkjenning/", approval.queue, name="queue"),
    path("<slug:slug>/trenger-oppfolging/", lifecycle.needs_attention, name="needs-attention"),
    path("<slug:slug>/grupper/", lifecycle.office_group_list, name="group-list"),
    # The office's own interest list: interests no contact point serves.
    path("<slug:slug>/interesser/", office_interests.interest_list, name="interest-list"),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/",
        office_interests.interest_detail,
        name="interest-detail",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/status/",
        office_interests.interest_update,
        name="interest-update",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/notat/",
        office_interests.interest_note_add,
        name="interest-note-add",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/eksport/",
        office_interests.interest_export,
        name="interest-export",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/slett/",
        office_interests.interest_erase,
        name="interest-erase",
    ),
]
