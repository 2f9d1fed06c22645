"""URLs of the events app.

`urlpatterns` are its public pages (namespace "events"); the two plain lists are its pages in the
staff areas, which `selvhjelp/urls.py` joins into the `workspace` namespace (a contact point, under
/kontaktpunkt/) and the `district` namespace (a district office, under /distriktskontor/). The
same staff pages serve events the national office organises, under /arrangementer/stab/nasjonalt/.
"""

from django.urls import path

from events import course_views, views

app_name = "events"


def _area_patterns(
    namespace: str, base: str = "<slug:slug>/arrangementer/", name_prefix: str = ""
) -> list:
    """The staff pages of one area; `base` is where they start, under the area's own path."""
    kw = {"namespace": namespace}
    routes = [
        ("", views.staff_event_list, "event-list"),
        ("nytt/", views.staff_event_form, "event-create"),
        ("<int:pk>/", views.staff_event_form, "event-edit"),
        ("<int:pk>/avlys/", views.staff_event_cancel, "event-cancel"),
        ("<int:pk>/pameldte/", views.staff_registration_list, "event-registrations"),
        ("<int:pk>/oppmote/<int:session_pk>/", views.staff_attendance, "event-attendance"),
        ("<int:pk>/evaluering/", views.staff_evaluation_results, "event-evaluation"),
        ("<int:pk>/pameldte.csv", views.staff_export_csv, "event-export-csv"),
        ("<int:pk>/pameldte.xlsx", views.staff_export_xlsx, "event-export-xlsx"),
        ("<int:pk>/innsjekking.pdf", views.staff_sign_in_pdf, "event-sign-in-pdf"),
        (
            "<int:pk>/pameldte/<int:registration_pk>/inn/",
            views.staff_registration_move_in,
            "registration-move-in",
        ),
    ]
    return [path(base + route, view, kw, name=name_prefix + name) for route, view, name in routes]


def _course_patterns(namespace: str, base: str, name_prefix: str = "") -> list:
    """Facilitator courses: for district offices and the national office only."""
    kw = {"namespace": namespace}
    cert = "<int:pk>/kursbevis/<int:registration_pk>"
    routes = [
        ("<int:pk>/fullforing/", course_views.staff_course_completion, "course-completion"),
        (cert + ".pdf", course_views.staff_certificate_pdf, "certificate-pdf"),
        (cert + "/trekk-tilbake/", course_views.staff_certificate_revoke, "certificate-revoke"),
        (cert + "/rett-navn/", course_views.staff_certificate_reissue, "certificate-reissue"),
        ("kurstall/", course_views.staff_course_figures, "course-figures"),
        ("kurstall.csv", course_views.staff_course_figures_csv, "course-figures-csv"),
    ]
    return [path(base + route, view, kw, name=name_prefix + name) for route, view, name in routes]


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
    # Events the national office organises: national admins only (slug "nasjonalt").
    *_area_patterns("national", base="stab/<slug:slug>/", name_prefix="national-"),
    *_course_patterns("national", base="stab/<slug:slug>/", name_prefix="national-"),
    path("mine-kursbevis/", course_views.my_certificates, name="my-certificates"),
    path("mine-kursbevis/<int:pk>.pdf", course_views.my_certificate_pdf, name="my-certificate-pdf"),
    path("<slug:slug>/", views.event_detail, name="event-detail"),
    path("<slug:slug>/kalender.ics", views.event_ics, name="event-ics"),
]


workspace_urlpatterns: list = [
    *_area_patterns("workspace"),
    path(
        "<slug:slug>/igangsettere-med-kurs/",
        course_views.workspace_course_facilitators,
        name="course-facilitators",
    ),
]
district_urlpatterns: list = [
    *_area_patterns("district"),
    *_course_patterns("district", base="<slug:slug>/arrangementer/"),
    path(
        "<slug:slug>/igangsettere/",
        course_views.district_course_facilitators,
        name="course-facilitators",
    ),
    path(
        "<slug:slug>/igangsettere.csv",
        course_views.district_course_facilitators_csv,
        name="course-facilitators-csv",
    ),
]

# The public verify page of course certificates, mounted at /bevis/ by selvhjelp/urls.py.
certificate_urlpatterns: list = [
    path("<str:code>/", course_views.certificate_verify, name="certificate-verify"),
]
