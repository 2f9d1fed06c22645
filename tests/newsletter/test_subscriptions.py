"""Subscribing with double opt-in, confirming, preferences, leaving (RFC 8058)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter.models import NewsletterList, Subscriber
from newsletter.services.subscriptions import confirm_token, manage_token
from selvhjelp.models import OutgoingEmail, SuppressedAddress
from tests.newsletter.conftest import make_subscriber

pytestmark = pytest.mark.django_db

URL = reverse("newsletter:subscribe")


def _post(client, **data):
    payload = {"email": "ny@example.test", "name": "Nora", "lists": ["general"], "consent": "on"}
    payload.update(data)
    return client.post(URL, payload)


def _link(email: OutgoingEmail, name: str) -> str:
    match = re.search(r"https?://[^\s]+/nyhetsbrev/" + name + r"/[^\s/]+/", email.body_text)
    assert match, email.body_text
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_it_sends_a_confirmation_and_confirms_from_the_link(client):
    response = _post(client)
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email="ny@example.test")
    assert subscriber.confirmed_at is None
    assert subscriber.consent_version
    email = OutgoingEmail.objects.get(to="ny@example.test")
    assert email.subject == "Bekreft at du vil ha nyhetsbrev fra Selvhjelp"
    assert "7 dager" in email.body_text and "/nyhetsbrev/bekreft/" in email.body_html
    assert "List-Unsubscribe" not in email.body_text  # transactional: no list headers

    response = client.get(_link(email, "bekreft"))
    assert response.status_code == 200
    assert "Takk, du er med" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    # Used twice: still a calm page.
    assert "Takk, du er med" in client.get(_link(email, "bekreft")).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "ikke-en-adresse"}, "email", "Sjekk e-postadressen"),
        ({"lists": []}, "lists", "Velg minst ett nyhetsbrev"),
        ({"lists": ["region"]}, "region", "Velg hvilken region"),
        ({"consent": ""}, "consent", "Kryss av"),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field_and_keeps_the_rest(
    client, data, field, message
):
    response = _post(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert "Nora" in response.content.decode()
    assert not Subscriber.objects.exists() and not OutgoingEmail.objects.exists()


def test_signing_up_again_reveals_nothing(client, subscriber):
    new = _post(client, email="ny2@example.test")
    again = _post(client, email=subscriber.email.upper(), lists=["facilitators"])
    assert new.status_code == again.status_code == 302
    assert new["Location"] == again["Location"]
    subscriber.refresh_from_db()
    assert subscriber.lists == ["general"]  # a stranger cannot change a confirmed subscription
    email = OutgoingEmail.objects.get(to=subscriber.email)
    assert "allerede" in email.subject and "/nyhetsbrev/innstillinger/" in email.body_text


def test_an_unconfirmed_sign_up_gets_a_fresh_confirmation(client):
    _post(client)
    _post(client, lists=["facilitators"])
    assert OutgoingEmail.objects.filter(to="ny@example.test").count() == 2
    assert Subscriber.objects.get().lists == ["facilitators"]


@pytest.mark.parametrize("case", ["expired", "tampered", "deleted"])
def test_a_bad_confirmation_link_gets_a_calm_page(client, case):
    subscriber = make_subscriber(confirmed=False)
    token = confirm_token(subscriber)
    if case == "expired":
        subscriber.created_at -= timedelta(days=8)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(
                signing.TimestampSigner,
                "timestamp",
                lambda self: signing.b62_encode(int(timezone.now().timestamp()) - 8 * 86400),
            )
            token = confirm_token(subscriber)
    elif case == "tampered":
        token = token[:-2] + "xx"
    else:
        subscriber.delete()
    response = client.get(reverse("newsletter:confirm", args=[token]))
    assert response.status_code == 200
    assert "Lenken virker ikke lenger" in response.content.decode()
    assert not Subscriber.objects.filter(confirmed_at__isnull=False).exists()


def test_unconfirmed_sign_ups_are_deleted_after_seven_days():
    from newsletter.jobs import delete_unconfirmed

    old = make_subscriber(confirmed=False)
    Subscriber.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    fresh = make_subscriber(confirmed=False)
    confirmed = make_subscriber()
    Subscriber.objects.filter(pk=confirmed.pk).update(
        created_at=timezone.now() - timedelta(days=80)
    )
    assert delete_unconfirmed() == 1
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


def test_the_preferences_link_changes_lists(client, subscriber, district_office):
    url = reverse("newsletter:preferences", args=[manage_token(subscriber.public_id)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"lists": ["region"]})
    assert "Velg hvilken region" in response.content.decode()
    response = client.post(url, {"lists": ["general", "region"], "region": district_office.pk})
    assert "Endringene er lagret" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.lists == ["general", "region"] and subscriber.region == district_office


def test_a_get_on_the_unsubscribe_link_only_shows_a_button(client, subscriber):
    url = reverse("newsletter:unsubscribe", args=[manage_token(subscriber.public_id)])
    response = client.get(url)
    assert response.status_code == 200
    assert "Meld meg av" in response.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_the_one_click_post_unsubscribes_without_cookie_or_csrf_token(subscriber):
    client = Client(enforce_csrf_checks=True)
    url = reverse("newsletter:unsubscribe", args=[manage_token(subscriber.public_id)])
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    # Kept only as a hash, for newsletters only.
    row = SuppressedAddress.objects.for_email(subscriber.email).get()
    assert row.reason == SuppressedAddress.Reason.UNSUBSCRIBED
    assert subscriber.email not in row.address_hash
    # A second time: still "you are unsubscribed".
    again = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200 and "Du er meldt av" in again.content.decode()
    assert "Du er meldt av" in client.get(url).content.decode()


def test_other_forms_still_need_the_csrf_token(subscriber):
    client = Client(enforce_csrf_checks=True)
    url = reverse("newsletter:preferences", args=[manage_token(subscriber.public_id)])
    assert client.post(url, {"lists": ["general"]}).status_code == 403


def test_a_tampered_unsubscribe_link_unsubscribes_no_one(client, subscriber):
    url = reverse("newsletter:unsubscribe", args=[manage_token(subscriber.public_id)[:-3] + "abc"])
    response = client.post(url)
    assert response.status_code == 200
    assert "Lenken virker ikke" in response.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_confirming_again_after_leaving_lifts_the_newsletter_suppression(
    client, subscriber, django_capture_on_commit_callbacks, mailoutbox
):
    client.post(reverse("newsletter:unsubscribe", args=[manage_token(subscriber.public_id)]))
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, email=subscriber.email)
    email = OutgoingEmail.objects.filter(to=subscriber.email).latest("pk")
    assert email.status == OutgoingEmail.Status.SENT  # a mere unsubscribe does not block it
    assert [m.to for m in mailoutbox] == [[subscriber.email]]
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
    client.get(_link(email, "bekreft"))
    assert Subscriber.objects.confirmed().filter(email=subscriber.email).exists()
    assert not SuppressedAddress.objects.for_email(subscriber.email).exists()


def test_staff_subscribe_from_their_page_in_one_click(cp_user, facilitator_user):
    from tests.factories import logged_in_client

    client = logged_in_client(cp_user)
    url = reverse("newsletter:staff-subscribe")
    assert "Ja, send meg disse" in client.get(url).content.decode()
    client.post(url)
    subscriber = Subscriber.objects.get(email=cp_user.email)
    assert subscriber.lists == [NewsletterList.CONTACT_POINTS]
    assert subscriber.confirmed_at and subscriber.consent_channel == "staff"
    assert subscriber.region.slug == "innlandet"
    client = logged_in_client(facilitator_user)
    client.post(url)
    assert Subscriber.objects.get(email=facilitator_user.email).lists == [
        NewsletterList.FACILITATORS
    ]


def test_staff_without_a_role_list_cannot_subscribe_there(outsider):
    from tests.factories import logged_in_client

    client = logged_in_client(outsider)
    client.post(reverse("newsletter:staff-subscribe"))
    assert not Subscriber.objects.exists()
