"""Writing, previewing, test-sending, scheduling, cancelling; who may do it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Issue
from tests.factories import logged_in_client
from tests.newsletter.conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db

EVIL = (
    'Hei <script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">klikk</a>'
    " <img src=x onerror=alert(3)>"
)


def test_a_national_admin_writes_and_previews_a_sanitised_issue(national_admin):
    client = logged_in_client(national_admin)
    response = client.post(
        reverse("newsletter:issue-create"),
        {
            "subject": "Vårens kurs",
            "preheader": "Meld deg på",
            "newsletter_list": "general",
            "body_markdown": "## Kurs\n\n" + EVIL,
        },
    )
    issue = Issue.objects.get()
    assert response["Location"] == reverse("newsletter:issue-detail", args=[issue.pk])
    assert issue.office is None and issue.created_by == national_admin
    page = client.get(response["Location"]).content.decode()
    preview = page.split('newsletter-preview">', 1)[1]
    assert "<h2>Kurs</h2>" in preview
    for bad in ("<script", "onclick", "onerror", "javascript:"):
        assert bad not in preview
    text = client.get(reverse("newsletter:issue-text", args=[issue.pk])).content.decode()
    assert "Kurs" in text and "&lt;script" not in text.split("<pre", 1)[1].split("</pre>")[
        0
    ].replace("alert(1)", "")


def test_empty_subject_or_body_is_refused_with_the_rest_kept(national_admin):
    client = logged_in_client(national_admin)
    response = client.post(
        reverse("newsletter:issue-create"),
        {"subject": "", "newsletter_list": "general", "body_markdown": "Teksten min"},
    )
    assert response.status_code == 200
    assert "Skriv et emne." in response.content.decode()
    assert "Teksten min" in response.content.decode()
    response = client.post(
        reverse("newsletter:issue-create"),
        {"subject": "Emnet", "newsletter_list": "general", "body_markdown": ""},
    )
    assert "Skriv teksten i nyhetsbrevet." in response.content.decode()
    assert not Issue.objects.exists()


def test_a_test_send_goes_to_the_writer_only(
    national_admin, django_capture_on_commit_callbacks, mailoutbox
):
    make_subscriber()
    issue = make_issue()
    client = logged_in_client(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletter:issue-test", args=[issue.pk]))
    assert [m.to for m in mailoutbox] == [[national_admin.email]]
    assert mailoutbox[0].subject == "[TEST] Nytt fra Selvhjelp"
    assert "<strong>nytt</strong>" in mailoutbox[0].alternatives[0][0]
    assert "**nytt**" not in mailoutbox[0].body and "nytt" in mailoutbox[0].body
    assert Issue.objects.get().status == Issue.Status.DRAFT


def test_schedule_then_cancel(national_admin):
    issue = make_issue()
    client = logged_in_client(national_admin)
    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("newsletter:issue-schedule", args=[issue.pk]), {"send_at": when})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED and issue.scheduled_at > timezone.now()
    client.post(reverse("newsletter:issue-cancel", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and issue.scheduled_at is None


def test_a_time_in_the_past_is_refused(national_admin):
    issue = make_issue()
    client = logged_in_client(national_admin)
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("newsletter:issue-schedule", args=[issue.pk]), {"send_at": when})
    assert response.status_code == 400
    assert "Tidspunktet har allerede vært" in response.content.decode()
    assert Issue.objects.get().status == Issue.Status.DRAFT


def test_send_now_sends_to_the_list(national_admin, django_capture_on_commit_callbacks, mailoutbox):
    make_subscriber("a@example.test")
    make_subscriber("b@example.test", lists=["facilitators"])
    issue = make_issue()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client(national_admin).post(
            reverse("newsletter:issue-schedule", args=[issue.pk]), {"send_at": ""}
        )
    assert [m.to for m in mailoutbox] == [["a@example.test"]]
    assert Issue.objects.get().status == Issue.Status.SENT


def test_a_district_office_writes_to_its_own_region_only(
    district_user, district_office, other_district_office
):
    client = logged_in_client(district_user)
    url = reverse("district:newsletter-issue-create", args=[district_office.slug])
    # A tampered form cannot pick another office: the desk decides.
    client.post(
        url,
        {
            "subject": "Innlandet",
            "newsletter_list": "region",
            "body_markdown": "Hei",
            "office": other_district_office.pk,
        },
    )
    issue = Issue.objects.get()
    assert issue.office == district_office
    mine = make_subscriber("her@example.test", lists=["region"], region=district_office)
    make_subscriber("der@example.test", lists=["region"], region=other_district_office)
    from newsletter.services.sending import issue_audience

    assert list(issue_audience(issue)) == [mine]
    # Another office's desk and the national desk are not there for this user.
    other = reverse("district:newsletter-issue-create", args=[other_district_office.slug])
    assert client.get(other).status_code == 404
    assert client.get(reverse("newsletter:issue-list")).status_code == 404
    # The national desk does not list the office's issue, nor open it.
    admin_issue = make_issue(subject="Nasjonalt")
    assert (
        client.get(
            reverse("district:newsletter-issue-detail", args=[district_office.slug, admin_issue.pk])
        ).status_code
        == 404
    )


def test_a_sent_issue_cannot_be_edited(national_admin):
    issue = make_issue(status=Issue.Status.SENT, sent_at=timezone.now())
    client = logged_in_client(national_admin)
    response = client.post(
        reverse("newsletter:issue-update", args=[issue.pk]),
        {"subject": "Ny", "newsletter_list": "general", "body_markdown": "x"},
    )
    assert response.status_code == 302
    assert Issue.objects.get().subject == "Nytt fra Selvhjelp"


def test_the_issue_list_has_a_query_budget(national_admin, django_assert_max_num_queries):
    client = logged_in_client(national_admin)
    for size in (2, 20):
        for _ in range(size):
            make_issue()
        with django_assert_max_num_queries(12):
            assert client.get(reverse("newsletter:issue-list")).status_code == 200


def test_the_compose_page_offers_links_to_upcoming_events_only(
    national_admin, contact_point, django_assert_max_num_queries
):
    from events.models import Event
    from selvhjelp.emails import absolute_url
    from tests.events.conftest import make_event

    coming = make_event(contact_point=contact_point, title="Informasjonsmøte på Dombås")
    make_event(contact_point=contact_point, title="Et utkast", status=Event.Status.DRAFT)
    make_event(contact_point=contact_point, title="Det var i fjor", starts_in=timedelta(days=-30))
    client = logged_in_client(national_admin)

    with django_assert_max_num_queries(15):
        page = client.get(reverse("newsletter:issue-create")).content.decode()

    link = absolute_url(coming.get_absolute_url())
    assert f"[Informasjonsmøte på Dombås]({link})" in page
    assert "Et utkast" not in page
    assert "Det var i fjor" not in page
