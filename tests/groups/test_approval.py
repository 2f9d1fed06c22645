"""Approval: a contact point submits a group, the district office of its counties decides."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from groups.models import Group, GroupEvent
from groups.services import approval as approval_services
from tests import factories
from tests.factories import logged_in_client
from tests.groups.lifecycle_data import ready_draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def cp_client(cp_user):
    return logged_in_client(cp_user)


@pytest.fixture
def district_client(district_user):
    return logged_in_client(district_user)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST and run the on-commit callbacks, so the outbox sends (Celery runs eagerly)."""

    def do(client, url, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **extra)

    return do


def _review(group) -> str:
    return reverse("district:group-review", kwargs={"pk": group.pk})


def _submit(group) -> str:
    return reverse(
        "workspace:group-submit", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
    )


def _edit_data(group, **changes) -> dict:
    data = {
        "name": group.name,
        "description": group.description,
        "topics": [t.pk for t in group.topics.all()],
        "audience": group.audience,
        "format": group.format,
        "weekday": group.weekday or "",
        "start_time": group.start_time.strftime("%H:%M") if group.start_time else "",
        "frequency": group.frequency,
        "starts_on": "",
        "municipality": group.municipality_id or "",
        "public_area": group.public_area,
        "venue_address": group.venue_address,
        "facilitators": [f.pk for f in group.facilitators.all()],
        "size_limit": group.size_limit,
    }
    data.update(changes)
    return data


# The whole path ------------------------------------------------------------------------------


def test_a_draft_is_sent_back_fixed_resubmitted_approved_and_found_in_search(
    cp_client, district_client, contact_point, cp_user, district_user, send
):
    group = ready_draft(contact_point, name="Sorggruppe Dovre")
    assert "Sorggruppe Dovre" not in Client().get("/grupper/?sted=2660").content.decode()

    response = send(cp_client, _submit(group))
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.SUBMITTED
    assert [m.to for m in mail.outbox] == [[district_user.email]]

    response = send(
        district_client,
        _review(group),
        {"decision": "send-tilbake", "comment": "Skriv litt mer om hvem gruppen er for."},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.SENT_BACK
    assert mail.outbox[-1].to == [cp_user.email]
    detail = cp_client.get(group.get_workspace_url())
    assert "Skriv litt mer om hvem gruppen er for." in detail.content.decode()

    edit_url = reverse(
        "workspace:group-edit", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
    )
    new_description = "For deg som har mistet en av dine nærmeste, uansett hvor lenge siden."
    response = cp_client.post(edit_url, _edit_data(group, description=new_description))
    assert response.status_code == 302, response.content.decode()
    group.refresh_from_db()
    assert group.description == new_description
    assert group.events.filter(kind=GroupEvent.Kind.EDITED).exists()

    send(cp_client, _submit(group))
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.SUBMITTED

    response = send(district_client, _review(group), {"decision": "godkjenn"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.APPROVED
    assert group.is_published
    assert [e.kind for e in group.events.all()] == [
        GroupEvent.Kind.SUBMITTED,
        GroupEvent.Kind.SENT_BACK,
        GroupEvent.Kind.EDITED,
        GroupEvent.Kind.SUBMITTED,
        GroupEvent.Kind.APPROVED,
    ]
    assert len(mail.outbox) == 4
    assert "Sorggruppe Dovre" in Client().get("/grupper/?sted=2660").content.decode()


# Emails --------------------------------------------------------------------------------------


def test_a_submission_emails_the_district_office_staff(
    cp_client, contact_point, district_user, send
):
    group = ready_draft(contact_point)
    send(cp_client, _submit(group))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [district_user.email]
    assert message.subject == "Ny gruppe til godkjenning: Sorggruppe Dovre"
    assert "Dombås frivilligsentral har sendt gruppen" in message.body
    assert _review(group) in message.body
    html = message.alternatives[0][0]
    assert "Se gruppen og ta en avgjørelse" in html and _review(group) in html


def test_an_approval_emails_the_contact_point_staff(district_client, contact_point, cp_user, send):
    group = submitted(contact_point)
    send(district_client, _review(group), {"decision": "godkjenn"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cp_user.email]
    assert message.subject == "Gruppen er godkjent: Sorggruppe Dovre"
    assert "vises nå på nettsidene" in message.body
    assert "vises nå på nettsidene" in message.alternatives[0][0]


def test_a_rejection_keeps_the_group_hidden_and_sends_the_reason(
    district_client, contact_point, cp_user, send
):
    group = submitted(contact_point)
    send(district_client, _review(group), {"decision": "avslaa", "comment": "Finnes allerede."})
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.REJECTED
    assert not group.is_published
    assert group.events.get(kind=GroupEvent.Kind.REJECTED).comment == "Finnes allerede."
    message = mail.outbox[0]
    assert message.to == [cp_user.email]
    assert message.subject == "Gruppen er ikke godkjent: Sorggruppe Dovre"
    assert "Finnes allerede." in message.body and "Finnes allerede." in message.alternatives[0][0]


def test_the_decision_email_goes_to_the_contact_points_address_when_it_has_no_staff(
    district_client, contact_point, send
):
    group = submitted(contact_point)
    send(district_client, _review(group), {"decision": "godkjenn"})
    assert mail.outbox[0].to == ["post@kontaktpunkt.example"]


# What the office sees ------------------------------------------------------------------------


def test_the_review_page_shows_everything_needed_to_decide(district_client, contact_point):
    group = submitted(contact_point, venue_address="Frivilligsentralen, 2. etasje")
    html = district_client.get(_review(group)).content.decode()
    assert html.count("<h1") == 1
    for fragment in (
        "Frivilligsentralen, 2. etasje",
        "Frida Fasilitator",
        "Dombås frivilligsentral",
        "En trygg gruppe",
        "Historikk",
        "<legend",
    ):
        assert fragment in html, fragment


def test_the_review_page_shows_what_changed_in_words_not_field_keys(
    cp_client, district_client, contact_point, send
):
    group = ready_draft(contact_point)
    response = cp_client.post(
        reverse("workspace:group-edit", args=[group.contact_point.slug, group.pk]),
        _edit_data(group, weekday=1, format="hybrid"),
    )
    assert response.status_code == 302
    send(cp_client, _submit(group))
    html = district_client.get(_review(group)).content.decode()
    assert "Ukedag: Tirsdag → Mandag" in html
    assert "Form: Fysisk → Hybrid" in html
    assert "weekday" not in html and "format:" not in html


def test_the_queue_lists_waiting_groups_in_the_offices_counties_only(
    district_client, contact_point, other_contact_point
):
    submitted(contact_point, name="Venter i Dovre")
    submitted(other_contact_point, name="Venter i Oslo")
    ready_draft(contact_point, name="Utkast i Dovre")
    html = district_client.get(reverse("district:queue", kwargs={"slug": "innlandet"})).content
    html = html.decode()
    assert "Venter i Dovre" in html
    assert "Venter i Oslo" not in html and "Utkast i Dovre" not in html


@pytest.mark.parametrize("count", [2, 20])
def test_the_queue_has_a_query_budget(
    district_client, contact_point, count, django_assert_max_num_queries
):
    for n in range(count):
        submitted(contact_point, name=f"Gruppe nummer {n}")
    url = reverse("district:queue", kwargs={"slug": "innlandet"})
    with django_assert_max_num_queries(12):
        response = district_client.get(url)
    assert response.content.decode().count("Gruppe nummer") == count


def test_a_digital_group_without_a_municipality_goes_to_the_contact_points_office(
    contact_point, district_office
):
    group = ready_draft(contact_point, format=Group.Format.DIGITAL, municipality=None)
    assert group.district_office() == district_office
    assert group.missing_for_approval() == []


# Refusals ------------------------------------------------------------------------------------


def test_a_submission_without_the_required_fields_lists_them_and_changes_nothing(
    cp_client, contact_point, send
):
    group = factories.make_group(
        contact_point,
        name="Halvferdig",
        is_published=False,
        approval_status=Group.Approval.DRAFT,
        weekday=None,
        description="",
    )
    response = send(cp_client, _submit(group))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Gruppen mangler dette før den kan sendes" in html
    for missing in ("beskrivelse", "tidspunkt", "minst én igangsetter"):
        assert missing in html
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.DRAFT
    assert not group.events.exists()
    assert mail.outbox == []


def test_sending_back_without_a_comment_shows_the_error_and_changes_nothing(
    district_client, contact_point, send
):
    group = submitted(contact_point)
    response = send(district_client, _review(group), {"decision": "send-tilbake", "comment": " "})
    assert response.status_code == 400
    assert "Skriv en kommentar" in response.content.decode()
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.SUBMITTED
    assert mail.outbox == []


def test_approving_an_approved_group_again_says_so_and_changes_nothing(
    district_client, contact_point, send
):
    group = submitted(contact_point)
    send(district_client, _review(group), {"decision": "godkjenn"})
    events_before = group.events.count()
    emails_before = len(mail.outbox)
    response = send(district_client, _review(group), {"decision": "godkjenn"}, follow=True)
    assert "Gruppen er allerede godkjent. Ingenting ble endret." in response.content.decode()
    assert group.events.count() == events_before
    assert len(mail.outbox) == emails_before


def test_approving_a_rejected_group_is_refused(contact_point, district_user):
    group = ready_draft(contact_point, approval_status=Group.Approval.REJECTED)
    with pytest.raises(ValidationError, match="avslått"):
        approval_services.group_approve(group=group, actor=district_user)
    group.refresh_from_db()
    assert not group.is_published


def test_a_district_office_cannot_see_or_decide_groups_outside_its_counties(
    district_client, other_contact_point, send
):
    group = submitted(other_contact_point, name="Oslo-gruppe")
    assert district_client.get(_review(group)).status_code == 404
    assert send(district_client, _review(group), {"decision": "godkjenn"}).status_code == 404
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.SUBMITTED


def test_a_contact_point_user_may_not_approve_its_own_group(cp_client, contact_point, send):
    group = submitted(contact_point)
    assert send(cp_client, _review(group), {"decision": "godkjenn"}).status_code == 403
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.SUBMITTED


def test_staff_of_another_contact_point_get_404(other_contact_point, contact_point, send):
    other = factories.make_user("oslo@example.test")
    factories.add_contact_point_member(other, other_contact_point)
    group = ready_draft(contact_point)
    client = logged_in_client(other)
    assert send(client, _submit(group)).status_code == 404
    assert (
        client.get(
            reverse(
                "workspace:group-detail", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
            )
        ).status_code
        == 404
    )
    assert send(client, _review(submitted(contact_point, name="Annen")), {}).status_code == 404


def test_an_outsider_gets_404_and_anonymous_is_sent_to_login(outsider, contact_point, send):
    group = submitted(contact_point)
    assert (
        send(logged_in_client(outsider), _review(group), {"decision": "godkjenn"}).status_code
        == 404
    )
    response = send(Client(), _review(group), {"decision": "godkjenn"})
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.SUBMITTED


def test_a_national_admin_can_decide_everywhere(national_admin, other_contact_point, send):
    group = submitted(other_contact_point, name="Oslo-gruppe")
    send(logged_in_client(national_admin), _review(group), {"decision": "godkjenn"})
    group.refresh_from_db()
    assert group.approval_status == Group.Approval.APPROVED


@pytest.mark.parametrize(
    ("decision", "said"),
    [
        ("godkjenn", "«Sorggruppe Dovre» er godkjent og synlig på nettsidene."),
        ("send-tilbake", "«Sorggruppe Dovre» er sendt tilbake til kontaktpunktet."),
        ("avslaa", "«Sorggruppe Dovre» er avslått."),
    ],
)
def test_the_decision_message_names_the_group(
    cp_client, district_client, contact_point, send, decision, said
):
    group = ready_draft(contact_point, name="Sorggruppe Dovre")
    send(cp_client, _submit(group))

    response = send(
        district_client, _review(group), {"decision": decision, "comment": "Takk for jobben."}
    )

    page = district_client.get(response["Location"])
    assert said in page.content.decode()
