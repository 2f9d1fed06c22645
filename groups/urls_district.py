"""The district office area: /distriktskontor/<slug>/... (its staff and national admins)."""

from django.urls import path

from groups import views_district

app_name = "district"

urlpatterns: list = [
    path("gruppe/<int:pk>/", views_district.group_review, name="group-review"),
    path("soknad/<int:pk>/", views_district.application_review, name="application-review"),
    path("<slug:slug>/", views_district.dashboard, name="dashboard"),
    path("<slug:slug>/til-godkjenning/", views_district.queue, name="queue"),
    path("<slug:slug>/trenger-oppfolging/", views_district.needs_attention, name="needs-attention"),
    path("<slug:slug>/grupper/", views_district.group_list, name="group-list"),
    path("<slug:slug>/kontaktpunkter/", views_district.contactpoint_list, name="contactpoint-list"),
    path(
        "<slug:slug>/kontaktpunkter/nytt/",
        views_district.contactpoint_create,
        name="contactpoint-create",
    ),
    path("<slug:slug>/soknader/", views_district.application_list, name="application-list"),
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
