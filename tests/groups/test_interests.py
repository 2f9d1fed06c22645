"""Meld interesse: the form, routing, emails through the outbox, withdrawal and spam limits."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import DemandNotice, Interest, InterestTally
from groups.services.interests import interest_withdraw_token
from selvhjelp.models import OutgoingEmail, PostalCode
from tests import factories

# Canary identity: obviously fake, easy to spot anywhere it must not appear.
PERSON = {"name": "Kanari Testesen", "email": "kanari@example.test", "phone": "+47 912 34 567"}
CREATE_URL = "/grupper/meld-interesse/"


@pytest.fixture
def topic(db):
    return factories.make_topic("Sorg")


@pytest.fixture
def group(contact_point, topic):
    return factories.make_group(contact_point, topics=[topic], name="Sorggruppe Dombås")


def _data(topic, **overrides) -> dict:
    data = {
        **PERSON,
        "topic": topic.pk,
        "place": "2660",
        "preferred_format": "",
        "note": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST the form and run the on-commit callbacks (the outbox sends through Celery, eager)."""

    def do(url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, REMOTE_ADDR=extra.pop("ip", "203.0.113.7"), **extra)

    return do


def _withdraw_link(message) -> str:
    match = re.search(r"https?://[^\s]+/grupper/meld-interesse/trekk/[^\s]+/", message.body)
    assert match, message.body
    return match.group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# Happy paths ---------------------------------------------------------------------------------


def test_it_shows_the_form_for_a_published_group(client, group):
    response = client.get(reverse("groups:interest-create-for-group", args=[group.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'autocomplete="name"' in html and 'autocomplete="email"' in html
    assert 'autocomplete="tel"' in html
    assert "<legend" in html and 'class="mb-3 hp-field"' in html
    assert 'name="place"' not in html  # the group's municipality is the place
    assert "<script" not in html.split("<main")[1] and "style=" not in html


def test_it_registers_interest_in_a_group_and_routes_it_to_the_groups_contact_point(
    post, group, topic, cp_user
):
    response = post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:interest-thanks")
    interest = Interest.objects.get()
    assert interest.group == group
    assert interest.contact_point == group.contact_point
    assert interest.district_office is None
    assert interest.municipality.name == "Dovre"
    assert (interest.name, interest.email, interest.phone) == (
        "Kanari Testesen",
        "kanari@example.test",
        "+47 912 34 567",
    )
    assert len(mail.outbox) == 2
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 2


def test_it_stores_the_consent_version_time_and_channel(post, group, topic):
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))

    interest = Interest.objects.get()
    assert interest.consent_text_version == CURRENT_CONSENT_VERSION
    assert interest.consent_given_at is not None
    assert interest.consent_channel == "nett"


def test_it_routes_a_topic_and_place_to_the_contact_point_serving_it(post, contact_point, topic):
    response = post(CREATE_URL + "?tema=sorg&sted=2660", _data(topic))

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.contact_point == contact_point
    assert interest.group is None


def test_it_prefills_topic_and_place_from_the_query_string(client, topic):
    html = client.get(CREATE_URL + "?tema=sorg&sted=Lesja").content.decode()
    assert f'<option value="{topic.pk}" selected>' in html
    assert 'value="Lesja"' in html


def test_it_sends_interest_to_the_chosen_contact_point(
    post, contact_point, other_contact_point, topic
):
    response = post(CREATE_URL + f"?kontaktpunkt={other_contact_point.slug}", _data(topic))

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.contact_point == other_contact_point  # even though Dombås lies elsewhere
    assert [m.to for m in mail.outbox] == [["kanari@example.test"], ["link@oslo.example"]]


def test_it_routes_to_the_nearest_contact_point_that_serves_the_municipality(post, topic):
    far = factories.make_contact_point("Lillehammer frivilligsentral", postcode="2609")
    near = factories.make_contact_point("Lesja frivilligsentral", postcode="2660")
    lesja = PostalCode.objects.get(code="2665").municipality
    far.municipalities_served.add(lesja)
    near.municipalities_served.add(lesja)
    factories.make_contact_point("Vågå frivilligsentral", postcode="2680")  # near, not serving

    post(CREATE_URL, _data(topic, place="2665"))

    assert Interest.objects.get().contact_point == near


def test_it_skips_unpublished_contact_points_when_routing(post, topic, district_office):
    factories.make_contact_point("Skjult kontaktpunkt", postcode="2660", is_published=False)

    post(CREATE_URL, _data(topic, place="2660"))

    interest = Interest.objects.get()
    assert interest.contact_point is None
    assert interest.district_office == district_office


def test_it_falls_back_to_the_district_office_when_no_contact_point_serves_the_place(
    post, contact_point, topic, district_office, district_user
):
    response = post(CREATE_URL, _data(topic, place="Lesja"))

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.contact_point is None
    assert interest.district_office == district_office
    notification = mail.outbox[1]
    assert notification.to == ["distrikt@example.test"]
    assert "Lesja" in notification.subject


# Emails --------------------------------------------------------------------------------------


def test_the_receipt_goes_to_the_person_with_a_withdraw_link(post, group, topic):
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))

    receipt = mail.outbox[0]
    assert receipt.to == ["kanari@example.test"]
    assert receipt.subject == "Vi har fått meldingen din"
    assert "Sorggruppe Dombås" in receipt.body
    html = receipt.alternatives[0][0]
    assert "Dombås frivilligsentral" in html
    link = _withdraw_link(receipt)
    assert link in html
    assert "kanari" not in link.lower() and "Kanari" not in link
    assert OutgoingEmail.objects.filter(kind="interest-receipt", to="kanari@example.test").exists()


def test_a_person_who_writes_in_english_gets_the_receipt_in_english(post, group, topic, cp_user):
    with translation.override("en"):
        url = reverse("groups:interest-create-for-group", args=[group.slug])
    post(url, _data(topic))

    receipt, notification = mail.outbox
    assert receipt.to == ["kanari@example.test"]
    assert receipt.subject == "We have received your message"
    assert "/en/grupper/meld-interesse/trekk/" in _withdraw_link(receipt)
    assert notification.subject == "Ny interessemelding: Sorg i Dovre"  # staff read Norwegian


def test_the_staff_notification_has_no_personal_details(post, group, topic, cp_user):
    data = _data(topic, note="Jeg heter Kanari")
    post(reverse("groups:interest-create-for-group", args=[group.slug]), data)

    notification = mail.outbox[1]
    assert notification.to == ["kontaktpunkt@example.test"]
    assert notification.subject == "Ny interessemelding: Sorg i Dovre"
    html = notification.alternatives[0][0]
    interest = Interest.objects.get()
    staff_link = f"/kontaktpunkt/dombas-frivilligsentral/interesser/{interest.public_id}/"
    assert staff_link in notification.body and staff_link in html
    for text in (notification.subject, notification.body, html):
        assert "Kanari" not in text
        assert "kanari@example.test" not in text
        assert "912 34 567" not in text
    row = OutgoingEmail.objects.get(kind="interest-notification")
    assert "Kanari" not in row.body_text + row.body_html


def test_the_notification_goes_to_the_contact_points_email_when_it_has_no_staff(post, group, topic):
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))

    assert mail.outbox[1].to == ["post@kontaktpunkt.example"]


def test_no_receipt_is_sent_when_the_person_gave_only_a_phone(post, group, topic):
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic, email=""))

    assert Interest.objects.get().phone == "+47 912 34 567"
    assert [m.to for m in mail.outbox] == [["post@kontaktpunkt.example"]]


# Withdrawing ---------------------------------------------------------------------------------


def test_the_withdraw_link_asks_first_then_deletes(client, post, group, topic):
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))
    path = _path(_withdraw_link(mail.outbox[0]))

    response = client.get(path)
    assert response.status_code == 200
    assert "Trekk interessemelding" in response.content.decode()
    assert Interest.objects.count() == 1  # GET changes nothing

    response = client.post(path)
    assert response.status_code == 200
    assert "Meldingen er trukket" in response.content.decode()
    assert not Interest.objects.exists()


def test_withdrawing_deletes_the_receipt_counts_it_and_rechecks_demand(
    client, post, group, topic, settings
):
    settings.DEMAND_THRESHOLD = 1
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))
    assert DemandNotice.objects.filter(closed_at=None).count() == 1
    receipt = OutgoingEmail.objects.get(kind="interest-receipt")
    assert receipt.status == OutgoingEmail.Status.SENT
    municipality = Interest.objects.get().municipality

    client.post(_path(_withdraw_link(mail.outbox[0])))

    assert not OutgoingEmail.objects.filter(to__iexact=PERSON["email"]).exists()
    tally = InterestTally.objects.get()
    assert (tally.reason, tally.topic, tally.municipality, tally.count) == (
        InterestTally.Reason.WITHDRAWN,
        topic,
        municipality,
        1,
    )
    assert not DemandNotice.objects.filter(closed_at=None).exists()


def test_a_used_withdraw_link_shows_a_calm_message(client, post, group, topic):
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))
    path = _path(_withdraw_link(mail.outbox[0]))
    client.post(path)

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 200
        assert "Ingenting å trekke" in response.content.decode()


def test_a_tampered_withdraw_link_shows_a_calm_message_and_deletes_nothing(
    client, post, group, topic
):
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))
    token = interest_withdraw_token(Interest.objects.get())
    path = reverse("groups:interest-withdraw", args=[token[:-3] + "abc"])

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 200
        assert "Ingenting å trekke" in response.content.decode()
    assert Interest.objects.count() == 1


# Validation ----------------------------------------------------------------------------------


def test_it_needs_an_email_or_a_phone(post, group, topic):
    response = post(
        reverse("groups:interest-create-for-group", args=[group.slug]),
        _data(topic, email="", phone="", note="Helst kveld"),
    )

    assert response.status_code == 200
    form = response.context["interest_form"]
    assert form.errors["email"] == [
        "Skriv e-post eller telefonnummer, så kontaktpunktet kan nå deg."
    ]
    html = response.content.decode()
    assert 'value="Kanari Testesen"' in html and "Helst kveld" in html
    assert not Interest.objects.exists() and not OutgoingEmail.objects.exists()


def test_it_needs_consent(post, group, topic):
    response = post(
        reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic, consent=None)
    )

    assert response.status_code == 200
    assert "Du må krysse av for samtykke" in response.context["interest_form"].errors["consent"][0]
    assert not Interest.objects.exists()


def test_it_rejects_an_invalid_email(post, group, topic):
    response = post(
        reverse("groups:interest-create-for-group", args=[group.slug]),
        _data(topic, email="kanari-at-example"),
    )

    assert "gyldig e-postadresse" in response.context["interest_form"].errors["email"][0]
    assert not Interest.objects.exists()


@pytest.mark.parametrize("phone", ["12 34", "ring meg", "912-34-567"])
def test_it_rejects_a_phone_that_is_not_a_phone_number(post, group, topic, phone):
    response = post(
        reverse("groups:interest-create-for-group", args=[group.slug]),
        _data(topic, email="", phone=phone),
    )

    assert "telefonnummer" in response.context["interest_form"].errors["phone"][0]
    assert not Interest.objects.exists()


def test_it_rejects_an_unknown_place(post, topic, contact_point):
    response = post(CREATE_URL, _data(topic, place="Atlantis"))

    assert response.status_code == 200
    assert "Vi finner ikke" in response.context["interest_form"].errors["place"][0]
    assert not Interest.objects.exists()


def test_it_returns_404_for_an_unpublished_group(client, contact_point, topic):
    hidden = factories.make_group(contact_point, topics=[topic], is_published=False)
    url = reverse("groups:interest-create-for-group", args=[hidden.slug])

    assert client.get(url).status_code == 404
    assert client.post(url, _data(topic)).status_code == 404
    assert not Interest.objects.exists()


# Spam ----------------------------------------------------------------------------------------


def test_a_filled_honeypot_pretends_success_and_saves_nothing(post, group, topic):
    response = post(
        reverse("groups:interest-create-for-group", args=[group.slug]),
        _data(topic, website="http://spam.example"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:interest-thanks")
    assert not Interest.objects.exists()
    assert not OutgoingEmail.objects.exists() and not mail.outbox


def test_it_limits_submissions_per_ip(post, group, topic, settings):
    settings.RATE_LIMIT_INTEREST_PER_IP = 2
    url = reverse("groups:interest-create-for-group", args=[group.slug])
    for n in range(2):
        assert post(url, _data(topic, email=f"person{n}@example.test")).status_code == 302

    response = post(url, _data(topic, email="person9@example.test"))

    assert response.status_code == 429
    assert "Vent en time" in response.content.decode()
    assert Interest.objects.count() == 2
    assert post(url, _data(topic, email="x@example.test"), ip="198.51.100.1").status_code == 302


def test_behind_the_proxy_it_counts_each_visitor_on_their_own(post, group, topic, settings):
    settings.RATE_LIMIT_INTEREST_PER_IP = 2
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("groups:interest-create-for-group", args=[group.slug])
    proxy = "10.0.0.1"  # every request reaches Django from the TLS proxy

    def from_visitor(address: str, n: int):
        data = _data(topic, email=f"person{n}@example.test")
        return post(url, data, ip=proxy, HTTP_X_FORWARDED_FOR=address)

    assert [from_visitor("198.51.100.1", n).status_code for n in range(3)] == [302, 302, 429]
    assert from_visitor("198.51.100.2", 3).status_code == 302
    # A forged left part does not help: the proxy appends the real address.
    assert from_visitor("203.0.113.99, 198.51.100.1", 4).status_code == 429


def test_it_limits_submissions_per_email(post, group, topic, settings):
    settings.RATE_LIMIT_INTEREST_PER_EMAIL = 2
    url = reverse("groups:interest-create-for-group", args=[group.slug])
    for n in range(2):
        assert post(url, _data(topic), ip=f"198.51.100.{n}").status_code == 302

    response = post(url, _data(topic, email="KANARI@example.test"), ip="198.51.100.9")

    assert response.status_code == 429
    assert Interest.objects.count() == 2


def test_the_rate_limiter_keeps_emails_out_of_the_cache_keys(group, topic, post):
    post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))

    keys = list(caches["default"]._cache.keys())  # LocMemCache in tests
    assert keys and not any("kanari" in key or "203.0.113.7" in key for key in keys)


def test_the_rate_limiter_fails_open_when_the_cache_is_down(
    post, group, topic, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    backend = caches["default"]  # the real backend, not the per-thread proxy
    monkeypatch.setattr(backend, "add", broken)
    monkeypatch.setattr(backend, "incr", broken)

    response = post(reverse("groups:interest-create-for-group", args=[group.slug]), _data(topic))

    assert response.status_code == 302
    assert Interest.objects.count() == 1
    assert "cache unavailable" in caplog.text
    assert "kanari" not in caplog.text.lower() and "203.0.113.7" not in caplog.text


# Issue 8: a specific group fixes topic and place; errors summed up at the top ----------------


def test_a_group_decides_topic_and_municipality_whatever_is_posted(post, group, topic):
    other_topic = factories.make_topic("Angst")

    response = post(
        reverse("groups:interest-create-for-group", args=[group.slug]),
        _data(other_topic, place="Oslo"),
    )

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.topic == topic
    assert interest.municipality == group.municipality


def test_a_digital_group_still_asks_where_the_person_lives(client, contact_point, topic):
    digital = factories.make_group(
        contact_point, topics=[topic], format="digital", municipality=None, public_area=""
    )

    html = client.get(
        reverse("groups:interest-create-for-group", args=[digital.slug])
    ).content.decode()

    assert 'name="place"' in html and 'name="topic"' not in html


def test_a_form_with_errors_sums_them_up_at_the_top_and_says_so_in_the_title(post, group, topic):
    response = post(
        reverse("groups:interest-create-for-group", args=[group.slug]),
        _data(topic, name="", consent=None),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>Feil: Meld interesse", html)
    summary = html.split('class="alert alert-danger error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_name">Skriv navnet ditt. Det holder med fornavnet.</a>' in summary
    assert '<a href="#id_consent">' in summary
    assert html.index("error-summary") < html.index("<h1")
    assert 'value="kanari@example.test"' in html
    assert not Interest.objects.exists()


def test_a_form_with_errors_keeps_each_fields_label_ids_aria_and_input(post, group, topic):
    response = post(
        reverse("groups:interest-create-for-group", args=[group.slug]),
        _data(topic, name="", email="kanari@", note="Ring meg <etter> 16", consent=None),
    )

    assertContains(
        response,
        '<label for="id_name" class="form-label requiredField">Navn eller fornavn'
        '<span class="asteriskField">*</span></label>',
        html=True,
    )
    assertContains(
        response,
        '<input type="text" name="name" autocomplete="name" maxlength="100" required'
        ' class="textinput form-control is-invalid" aria-invalid="true"'
        ' aria-describedby="id_name_error" id="id_name">',
        html=True,
    )
    assertContains(
        response,
        '<div id="id_name_error" class="invalid-feedback"><span id="error_1_id_name">'
        "<strong>Skriv navnet ditt. Det holder med fornavnet.</strong></span></div>",
        html=True,
    )
    assertContains(
        response,
        '<input type="email" name="email" value="kanari@" autocomplete="email" maxlength="320"'
        ' class="emailinput form-control is-invalid" aria-invalid="true"'
        ' aria-describedby="id_email_helptext id_email_error" id="id_email">',
        html=True,
    )
    assertContains(
        response,
        '<div id="id_email_helptext" class="form-text">Oppgi e-post, telefon eller begge deler.'
        "</div>",
        html=True,
    )
    assertContains(
        response,
        '<input type="checkbox" name="consent" class="checkboxinput form-check-input is-invalid"'
        ' required aria-invalid="true" aria-describedby="id_consent_error" id="id_consent">',
        html=True,
    )
    assertContains(response, '<span id="error_1_id_consent">', count=1)
    html = response.content.decode()
    assert "Ring meg &lt;etter&gt; 16</textarea>" in html
    assert 'aria-describedby="id_note_helptext"' in html and 'id="id_note_error"' not in html
    assert 'value="+47 912 34 567"' in html
    assert f'<input type="hidden" name="consent_version" value="{CURRENT_CONSENT_VERSION}"' in html


def test_a_place_named_like_a_groups_area_works_in_the_form_too(post, group, topic):
    group.public_area = "Dombås sentrum"
    group.save()

    response = post(CREATE_URL + "?sted=Domb%C3%A5s+sentrum", _data(topic, place="Dombås sentrum"))

    assert response.status_code == 302
    assert Interest.objects.get().municipality == group.municipality
