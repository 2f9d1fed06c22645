"""The Django admin writes an audit row for every list, view, change, action and deletion of
personal data (interests, outbox rows, users, facilitators), like the staff pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contactpoints.models import Facilitator
from groups.models import Interest, InterestTally
from selvhjelp.models import AuditEntry, OutgoingEmail
from tests import factories
from tests.factories import logged_in_client
from tests.permissions_workspace import make_interest

pytestmark = pytest.mark.django_db

CANARY = "kanari@example.test"


@pytest.fixture
def admin_client(national_admin):
    return logged_in_client(national_admin)


def _rows(**filters) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(**filters)
        .order_by("pk")
        .values_list("action", "object_type", "object_id", "contact_point_id", "detail")
    )


def test_listing_and_opening_an_interest_is_audited(admin_client, national_admin, contact_point):
    interest = make_interest(contact_point)
    assert admin_client.get(reverse("admin:groups_interest_changelist")).status_code == 200
    url = reverse("admin:groups_interest_change", args=[interest.pk])
    assert admin_client.get(url).status_code == 200

    assert _rows() == [
        ("list", "interest", "", None, "admin rows=1"),
        ("view", "interest", str(interest.pk), contact_point.pk, "admin"),
    ]
    assert AuditEntry.objects.filter(actor=national_admin).count() == 2


def test_changing_an_interest_is_audited_with_the_fields_only(admin_client, contact_point):
    interest = make_interest(contact_point)
    url = reverse("admin:groups_interest_change", args=[interest.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "contact_point": contact_point.pk,
            "topic": interest.topic_id,
            "municipality": interest.municipality_id,
            "name": "Nytt Kanarinavn",
            "email": CANARY,
            "status": "kontaktet",
            "version": interest.version,
            "notes-TOTAL_FORMS": 0,
            "notes-INITIAL_FORMS": 0,
        }
    )
    data.pop("consent_recorded_by", None)
    data.pop("group", None)
    data.pop("district_office", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    action, _type, object_id, _cp, detail = _rows(action="update")[-1]
    assert object_id == str(interest.pk)
    assert "name" in detail and "status" in detail
    assert "Kanarinavn" not in detail and CANARY not in detail


def test_deleting_an_interest_in_the_admin_is_an_audited_erasure(admin_client, contact_point):
    interest = make_interest(contact_point, email=CANARY)
    OutgoingEmail.objects.create(
        kind="interest-receipt", to=CANARY, subject="Kvittering", body_text="Hei", status="sent"
    )
    url = reverse("admin:groups_interest_delete", args=[interest.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert not Interest.objects.exists()
    assert not OutgoingEmail.objects.filter(to=CANARY).exists()
    assert InterestTally.objects.get().reason == InterestTally.Reason.ERASED
    assert _rows(action="erase") == [
        ("erase", "interest", str(interest.pk), contact_point.pk, "admin")
    ]


def test_bulk_deleting_interests_goes_the_same_way(admin_client, contact_point):
    first = make_interest(contact_point, email="a@example.test")
    second = make_interest(contact_point, email="b@example.test")
    response = admin_client.post(
        reverse("admin:groups_interest_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Interest.objects.exists()
    assert InterestTally.objects.get().count == 2
    assert {row[2] for row in _rows(action="erase")} == {str(first.pk), str(second.pk)}


def test_the_outbox_list_view_and_resend_are_audited(admin_client):
    email = OutgoingEmail.objects.create(
        kind="interest-receipt", to=CANARY, subject="Kvittering", body_text="Hei", status="failed"
    )
    admin_client.get(reverse("admin:selvhjelp_outgoingemail_changelist"))
    admin_client.get(reverse("admin:selvhjelp_outgoingemail_change", args=[email.pk]))
    admin_client.post(
        reverse("admin:selvhjelp_outgoingemail_changelist"),
        {"action": "retry_now", "_selected_action": [email.pk]},
    )
    actions = [(row[0], row[1], row[4]) for row in _rows()]
    assert ("list", "outgoingemail", "admin rows=1") in actions
    assert ("view", "outgoingemail", "admin") in actions
    assert ("update", "outgoingemail", "admin action=retry_now selected=1") in actions
    assert all(CANARY not in row[4] for row in _rows())


def test_users_and_facilitators_are_audited_too(admin_client, cp_user):
    facilitator = Facilitator.objects.create(name="Fia Fasilitator", email="fia@example.test")
    admin_client.get(reverse("admin:selvhjelp_user_change", args=[cp_user.pk]))
    admin_client.get(reverse("admin:contactpoints_facilitator_change", args=[facilitator.pk]))
    assert {(row[0], row[1]) for row in _rows()} == {("view", "user"), ("view", "facilitator")}


def test_non_personal_admin_pages_write_nothing(admin_client):
    topic = factories.make_topic("Sorg")
    admin_client.get(reverse("admin:groups_topic_change", args=[topic.pk]))
    assert not AuditEntry.objects.exists()
