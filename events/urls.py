"""URLs of the events app.

`urlpatterns` are its public pages (namespace "events"); the two plain lists are its pages in the
staff areas, which `selvhjelp/urls.py` joins into the `workspace` namespace (a contact point, under
/kontaktpunkt/) and the `district` namespace (a district office, under /distriktskontor/).
"""

from django.urls import path

from events import views

app_name = "events"

urlpatterns: list = [
    path("", views.event_list, name="event-list"),
    path("kalender.ics", views.feed, name="feed"),
    path(
        "kalender/kontaktpunkt/<slug:slug>.ics",
        views.feed_contact_point,
        name="feed-contact-point",
    ),
    path("kalender/distriktskontor/<slug:slug>.ics", views.feed_office, name="feed-office"),
    path("pamelding/<str:token>/", views.registration_manage, name="registration-manage"),
    path("tilbud/<str:token>/ja/", views.offer_accept, name="offer-accept"),
    path("tilbud/<str:token>/nei/", views.offer_decline, name="offer-decline"),
    path("evaluering/<str:token>/", views.evaluation, name="evaluation"),
    path("<slug:slug>/", views.event_detail, name="event-detail"),
    path("<slug:slug>/kalender.ics", views.event_ics, name="event-ics"),
]


def _area_patterns(namespace: str) -> list:
    kw = {"namespace": namespace}
    return [
        path("<slug:slug>/arrangementer/", views.staff_event_list, kw, name="event-list"),
        path("<slug:slug>/arrangementer/nytt/", views.staff_event_form, kw, name="event-create"),
        path("<slug:slug>/arrangementer/<int:pk>/", views.staff_event_form, kw, name="event-edit"),
        path(
            "<slug:slug>/arrangementer/<int:pk>/avlys/",
            views.staff_event_cancel,
            kw,
            name="event-cancel",
        ),
        path(
            "<slug:slug>/arrangementer/<int:pk>/pameldte/",
            views.staff_registration_list,
            kw,
            name="event-registrations",
        ),
        path(
            "<slug:slug>/arrangementer/<int:pk>/oppmote/<int:session_pk>/",
            views.staff_attendance,
            kw,
            name="event-attendance",
        ),
        path(
            "<slug:slug>/arrangementer/<int:pk>/evaluering/",
            views.staff_evaluation_results,
            kw,
            name="event-evaluation",
        ),
        path(
            "<slug:slug>/arrangementer/<int:pk>/pameldte.csv",
            views.staff_export_csv,
            kw,
            name="event-export-csv",
        ),
        path(
            "<slug:slug>/arrangementer/<int:pk>/pameldte.xlsx",
            views.staff_export_xlsx,
            kw,
            name="event-export-xlsx",
        ),
        path(
            "<slug:slug>/arrangementer/<int:pk>/innsjekking.pdf",
            views.staff_sign_in_pdf,
            kw,
            name="event-sign-in-pdf",
        ),
        path(
            "<slug:slug>/arrangementer/<int:pk>/pameldte/<int:registration_pk>/inn/",
            views.staff_registration_move_in,
            kw,
            name="registration-move-in",
        ),
    ]


workspace_urlpatterns: list = _area_patterns("workspace")
district_urlpatterns: list = _area_patterns("district")
