"""URLs of the newsletter app.

`urlpatterns` are its public pages (namespace "newsletter"), the national desk under
/nyhetsbrev/redaksjon/ and the staff page for subscribing; `district_urlpatterns` are a district
office's desk (joined into the `district` namespace). Contact points have no newsletter pages.
"""

from django.urls import path

from newsletter.views import desk, public, staff

app_name = "newsletter"


def _desk(prefix: str, name_prefix: str) -> list:
    return [
        path(f"{prefix}", desk.issue_list, name=f"{name_prefix}issue-list"),
        path(f"{prefix}ny/", desk.issue_edit, name=f"{name_prefix}issue-create"),
        path(f"{prefix}<int:pk>/", desk.issue_detail, name=f"{name_prefix}issue-detail"),
        path(f"{prefix}<int:pk>/endre/", desk.issue_edit, name=f"{name_prefix}issue-update"),
        path(f"{prefix}<int:pk>/tekst/", desk.issue_text, name=f"{name_prefix}issue-text"),
        path(f"{prefix}<int:pk>/test/", desk.issue_test, name=f"{name_prefix}issue-test"),
        path(f"{prefix}<int:pk>/send/", desk.issue_schedule, name=f"{name_prefix}issue-schedule"),
        path(f"{prefix}<int:pk>/avbryt/", desk.issue_cancel, name=f"{name_prefix}issue-cancel"),
        path(f"{prefix}<int:pk>/pause/", desk.issue_pause, name=f"{name_prefix}issue-pause"),
        path(f"{prefix}<int:pk>/fortsett/", desk.issue_resume, name=f"{name_prefix}issue-resume"),
        path(
            f"{prefix}<int:pk>/fremdrift.json",
            desk.issue_progress,
            name=f"{name_prefix}issue-progress",
        ),
    ]


urlpatterns = [
    path("", public.archive, name="archive"),
    path("arkiv/<int:pk>/", public.archive_detail, name="archive-detail"),
    path("feed/", public.ArchiveFeed(), name="feed"),
    path("abonner/", public.subscribe, name="subscribe"),
    path("abonner/takk/", public.subscribe_done, name="subscribe-done"),
    path("bekreft/<str:token>/", public.confirm, name="confirm"),
    path("innstillinger/<str:token>/", public.preferences, name="preferences"),
    path("avmeld/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("retur/", public.bounce_webhook, name="bounce-webhook"),
    path("mine/", staff.staff_subscribe, name="staff-subscribe"),
    *_desk("redaksjon/", ""),
]
workspace_urlpatterns: list = []
district_urlpatterns = _desk("<slug:slug>/nyhetsbrev/", "newsletter-")
