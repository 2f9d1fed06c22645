"""The contact point's own workspace pages: facilitators (igangsettere) and the public profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contactpoints.models import ContactPoint, Facilitator


@pytest.fixture
def staff(client, cp_user):
    client.force_login(cp_user)
    return client


@pytest.fixture
def facilitator(contact_point):
    facilitator = Facilitator.objects.create(
        name="Fia Fasilitator", email="fia@example.test", availability="Ettermiddager"
    )
    facilitator.contact_points.add(contact_point)
    return facilitator


def url(name: str, contact_point, **kwargs) -> str:
    return reverse(f"workspace:{name}", kwargs={"slug": contact_point.slug, **kwargs})


FACILITATOR = {
    "name": "Ivar Igangsetter",
    "email": "ivar@example.test",
    "phone": "",
    "trained_on": "2025-03-14",
    "trained_where": "Hamar",
    "availability": "Kvelder, fra januar",
}


# Facilitators --------------------------------------------------------------------------------


def test_the_list_shows_only_this_contact_points_facilitators(
    staff, contact_point, other_contact_point, facilitator
):
    other = Facilitator.objects.create(name="Oda Oslo", phone="123")
    other.contact_points.add(other_contact_point)
    response = staff.get(url("facilitator-list", contact_point))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fia Fasilitator" in html and "Ettermiddager" in html
    assert "Oda Oslo" not in html
    assert html.count("<h1") == 1 and '<th scope="col">' in html


def test_staff_add_a_facilitator_linked_to_the_contact_point(staff, contact_point):
    response = staff.post(url("facilitator-create", contact_point), FACILITATOR)
    assert response.status_code == 302
    facilitator = Facilitator.objects.get()
    assert facilitator.name == "Ivar Igangsetter"
    assert str(facilitator.trained_on) == "2025-03-14"
    assert facilitator.trained_where == "Hamar"
    assert list(facilitator.contact_points.all()) == [contact_point]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Skriv navnet på igangsetteren."),
        ({"email": "", "phone": ""}, "phone", "Oppgi e-post eller telefon"),
        ({"email": "ikke-epost"}, "email", "Skriv en gyldig e-postadresse"),
        ({"trained_on": "14.14.2025"}, "trained_on", "Skriv en gyldig dato"),
    ],
)
def test_bad_facilitator_input_gets_a_message_and_nothing_is_saved(
    staff, contact_point, overrides, field, message
):
    response = staff.post(url("facilitator-create", contact_point), {**FACILITATOR, **overrides})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="Hamar"' in response.content.decode()  # the other input is kept
    assert not Facilitator.objects.exists()


def test_staff_edit_a_facilitator(staff, contact_point, facilitator):
    response = staff.post(
        url("facilitator-edit", contact_point, pk=facilitator.pk),
        {**FACILITATOR, "name": "Fia F. Fasilitator"},
    )
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.name == "Fia F. Fasilitator"
    assert facilitator.availability == "Kvelder, fra januar"


def test_a_facilitator_of_another_contact_point_is_404(staff, contact_point, other_contact_point):
    other = Facilitator.objects.create(name="Oda Oslo", phone="123")
    other.contact_points.add(other_contact_point)
    for name in ("facilitator-edit", "facilitator-unlink"):
        target = url(name, contact_point, pk=other.pk)
        assert staff.get(target).status_code == 404
        assert staff.post(target, FACILITATOR).status_code == 404
    other.refresh_from_db()
    assert other.name == "Oda Oslo"
    assert other.contact_points.count() == 1


def test_unlinking_keeps_a_person_linked_elsewhere(
    staff, contact_point, other_contact_point, facilitator
):
    facilitator.contact_points.add(other_contact_point)
    confirm = staff.get(url("facilitator-unlink", contact_point, pk=facilitator.pk))
    assert confirm.status_code == 200
    assert Facilitator.objects.filter(contact_points=contact_point).exists()  # GET changes nothing

    response = staff.post(url("facilitator-unlink", contact_point, pk=facilitator.pk))
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert list(facilitator.contact_points.all()) == [other_contact_point]


def test_unlinking_the_last_link_removes_the_person(staff, contact_point, facilitator):
    staff.post(url("facilitator-unlink", contact_point, pk=facilitator.pk))
    assert not Facilitator.objects.exists()


def test_unlinking_keeps_a_facilitator_with_a_user_account(staff, contact_point, facilitator_user):
    facilitator = facilitator_user.facilitator
    staff.post(url("facilitator-unlink", contact_point, pk=facilitator.pk))
    assert Facilitator.objects.filter(pk=facilitator.pk, contact_points=None).exists()


# Profile -------------------------------------------------------------------------------------

PROFILE = {
    "description": "Vi hjelper deg i gang med en selvhjelpsgruppe.",
    "opening_hours": "Mandag–torsdag 10–15",
    "phone": "61 24 00 00",
    "email": "post@dombas.example",
    "website": "https://dombas.example",
}


def test_staff_edit_the_public_profile(staff, client, contact_point):
    response = staff.post(url("profile-edit", contact_point), PROFILE)
    assert response.status_code == 302
    contact_point.refresh_from_db()
    assert contact_point.opening_hours == "Mandag–torsdag 10–15"
    assert contact_point.website == "https://dombas.example"
    client.logout()
    public = client.get(contact_point.get_absolute_url()).content.decode()
    assert "Vi hjelper deg i gang med en selvhjelpsgruppe." in public


def test_a_bad_profile_is_refused_with_a_message_and_nothing_saved(staff, contact_point):
    response = staff.post(
        url("profile-edit", contact_point), {**PROFILE, "website": "ikke en adresse"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["website"] == [
        "Skriv en hel nettadresse, for eksempel https://eksempel.no."
    ]
    assert "Mandag–torsdag 10–15" in response.content.decode()
    assert ContactPoint.objects.get(pk=contact_point.pk).opening_hours == ""


def test_the_district_office_may_edit_the_profile_but_another_contact_point_may_not(
    client, district_user, contact_point, other_contact_point
):
    client.force_login(district_user)
    assert client.post(url("profile-edit", contact_point), PROFILE).status_code == 302
    assert client.post(url("profile-edit", other_contact_point), PROFILE).status_code == 404
    assert ContactPoint.objects.get(pk=other_contact_point.pk).opening_hours == ""


def test_anonymous_visitors_are_sent_to_log_in(client, contact_point):
    response = client.post(url("profile-edit", contact_point), PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert ContactPoint.objects.get(pk=contact_point.pk).opening_hours == ""
