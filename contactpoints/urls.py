"""URLs of the contactpoints app.

`urlpatterns` are its public pages (namespace "contactpoints": the finder under /kontaktpunkter/
and the application to become one under /bli-kontaktpunkt/). The two plain lists are its pages in
the staff areas, which `selvhjelp/urls.py` joins into the `workspace` namespace (under
/kontaktpunkt/<slug>/) and the `district` namespace (under /distriktskontor/<slug>/)."""

from django.urls import path

from contactpoints.views import applications, district, finder, workspace

app_name = "contactpoints"

urlpatterns = [
    path("kontaktpunkter/", finder.contactpoint_search, name="contactpoint-search"),
    path("kontaktpunkter/<slug:slug>/", finder.contactpoint_detail, name="contactpoint-detail"),
    path("bli-kontaktpunkt/", applications.application_create, name="application-create"),
    path("bli-kontaktpunkt/takk/", applications.application_thanks, name="application-thanks"),
]

workspace_urlpatterns = [
    path("<slug:slug>/", workspace.home, name="home"),
    path("<slug:slug>/igangsettere/", workspace.facilitator_list, name="facilitator-list"),
    path("<slug:slug>/igangsettere/ny/", workspace.facilitator_create, name="facilitator-create"),
    path("<slug:slug>/igangsettere/<int:pk>/", workspace.facilitator_edit, name="facilitator-edit"),
    path(
        "<slug:slug>/igangsettere/<int:pk>/fjern/",
        workspace.facilitator_unlink,
        name="facilitator-unlink",
    ),
    path("<slug:slug>/profil/", workspace.profile_edit, name="profile-edit"),
]

district_urlpatterns = [
    path("soknad/<int:pk>/", applications.application_review, name="application-review"),
    path("<slug:slug>/kontaktpunkter/", district.contactpoint_list, name="contactpoint-list"),
    path(
        "<slug:slug>/kontaktpunkter/nytt/",
        district.contactpoint_create,
        name="contactpoint-create",
    ),
    path("<slug:slug>/soknader/", applications.application_list, name="application-list"),
]
