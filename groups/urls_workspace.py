"""The contact point workspace: /kontaktpunkt/<slug>/... (staff of that contact point, its
district office, national admins)."""

from django.urls import path

import contactpoints.views_workspace as contactpoints_views_workspace
import groups.views_workspace as views_workspace
from groups import views_lifecycle

app_name = "workspace"

urlpatterns = [
    # Group life cycle (issue 4, items 3-4)
    path("gruppe/<int:pk>/", views_lifecycle.group_detail, name="group-detail"),
    path("gruppe/<int:pk>/endre/", views_lifecycle.group_edit, name="group-edit"),
    path("gruppe/<int:pk>/send-inn/", views_lifecycle.group_submit, name="group-submit"),
    path("gruppe/<int:pk>/status/", views_lifecycle.group_status, name="group-status"),
    # Contact point workspace: interests, planning, facilitators, profile (issue 4, items 1, 2, 7)
    path("<slug:slug>/", views_workspace.home, name="home"),
    path("<slug:slug>/interesser/", views_workspace.interest_list, name="interest-list"),
    path("<slug:slug>/interesser/ny/", views_workspace.interest_create, name="interest-create"),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/",
        views_workspace.interest_detail,
        name="interest-detail",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/status/",
        views_workspace.interest_update,
        name="interest-update",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/notat/",
        views_workspace.interest_note_add,
        name="interest-note-add",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/eksport/",
        views_workspace.interest_export,
        name="interest-export",
    ),
    path(
        "<slug:slug>/interesser/<uuid:public_id>/slett/",
        views_workspace.interest_erase,
        name="interest-erase",
    ),
    path("<slug:slug>/personer/", views_workspace.person_search, name="person-search"),
    path("<slug:slug>/grupper/", views_workspace.group_list, name="group-list"),
    path("<slug:slug>/grupper/ny/", views_workspace.group_create, name="group-create"),
    path(
        "<slug:slug>/grupper/<int:group_id>/oppstart/",
        views_workspace.group_starts_email,
        name="group-starts-email",
    ),
    path(
        "<slug:slug>/igangsettere/",
        contactpoints_views_workspace.facilitator_list,
        name="facilitator-list",
    ),
    path(
        "<slug:slug>/igangsettere/ny/",
        contactpoints_views_workspace.facilitator_create,
        name="facilitator-create",
    ),
    path(
        "<slug:slug>/igangsettere/<int:pk>/",
        contactpoints_views_workspace.facilitator_edit,
        name="facilitator-edit",
    ),
    path(
        "<slug:slug>/igangsettere/<int:pk>/fjern/",
        contactpoints_views_workspace.facilitator_unlink,
        name="facilitator-unlink",
    ),
    path("<slug:slug>/profil/", contactpoints_views_workspace.profile_edit, name="profile-edit"),
]
