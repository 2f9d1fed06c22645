"""A contact point serves only municipalities in its district office's counties, so no office
can route another region's interests to itself (through the public application, its approval,
or a contact point it creates)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contactpoints import services
from contactpoints.models import ContactPoint, ContactPointApplication
from selvhjelp.models import Municipality, PostalCode
from tests.factories import logged_in_client

pytestmark = pytest.mark.django_db

OUTSIDE = "Disse ligger utenfor: Oslo."


def _application(**overrides) -> dict:
    data = {
        "organisation": "Dovre frivilligsentral",
        "host_kind": "frivilligsentral",
        "street_address": "Storgata 1",
        "postcode": "2660",
        "municipalities": "Dovre, Oslo",
        "contact_name": "Sara Søker",
        "contact_email": "sara@example.test",
        "website": "",
    }
    data.update(overrides)
    return data


def test_an_application_for_municipalities_in_another_region_is_refused_next_to_the_field(client):
    response = client.post("/bli-kontaktpunkt/", _application(), REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 200
    html = response.content.decode()
    assert OUTSIDE in html
    assert 'id="error_1_id_municipalities"' in html or "is-invalid" in html
    assert "Dovre frivilligsentral" in html  # the rest of the input is kept
    assert not ContactPointApplication.objects.exists()


def test_an_application_within_the_office_counties_is_accepted(client):
    # Dovre and Hamar are both in Innlandet.
    response = client.post(
        "/bli-kontaktpunkt/",
        _application(municipalities="Dovre, Hamar"),
        REMOTE_ADDR="203.0.113.21",
    )
    assert response.status_code == 302
    assert ContactPointApplication.objects.get().municipalities.count() == 2


def test_approving_an_old_application_that_lists_another_region_is_refused(district_user):
    postal = PostalCode.objects.get(code="2660")
    application = ContactPointApplication.objects.create(
        organisation="Dovre frivilligsentral",
        host_kind="frivilligsentral",
        street_address="Storgata 1",
        postal_code=postal,
        contact_name="Sara Søker",
        contact_email="sara@example.test",
    )
    application.municipalities.set([postal.municipality, Municipality.objects.get(name="Oslo")])
    url = reverse("district:application-review", kwargs={"pk": application.pk})

    response = logged_in_client(district_user).post(url, {"godkjenn": "1"}, follow=True)

    assert OUTSIDE in response.content.decode()
    application.refresh_from_db()
    assert application.status == ContactPointApplication.Status.PENDING
    assert not ContactPoint.objects.exists()


def test_a_district_office_cannot_create_a_contact_point_serving_another_region(district_user):
    url = reverse("district:contactpoint-create", kwargs={"slug": "innlandet"})
    response = logged_in_client(district_user).post(
        url,
        {
            "name": "Dovre-punkt",
            "host_kind": "kommunal",
            "postcode": "2660",
            "municipalities": "Oslo",
        },
    )
    assert response.status_code == 200
    assert OUTSIDE in response.content.decode()
    assert not ContactPoint.objects.exists()


def test_the_service_refuses_served_municipalities_outside_the_office(db):
    with pytest.raises(ValidationError) as error:
        services.contact_point_create(
            name="Dovre-punkt",
            host_kind="kommunal",
            street_address="",
            postal_code=PostalCode.objects.get(code="2660"),
            municipalities=[Municipality.objects.get(name="Oslo")],
        )
    assert error.value.message_dict["municipalities"] == [
        "Et kontaktpunkt kan bare dekke kommuner i fylkene til sitt distriktskontor. " + OUTSIDE
    ]
    assert not ContactPoint.objects.exists()


def test_national_admins_are_held_to_the_same_rule(national_admin):
    url = reverse("district:contactpoint-create", kwargs={"slug": "innlandet"})
    response = logged_in_client(national_admin).post(
        url,
        {
            "name": "Dovre-punkt",
            "host_kind": "kommunal",
            "postcode": "2660",
            "municipalities": "Oslo",
        },
    )
    assert response.status_code == 200 and OUTSIDE in response.content.decode()
    assert not ContactPoint.objects.exists()


def test_the_admin_holds_contact_points_to_the_same_rule(national_admin, contact_point):
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = national_admin
    form_class = admin.site._registry[ContactPoint].get_form(request, contact_point, change=True)
    data = {
        **{
            f: getattr(contact_point, f) for f in ("name", "slug", "host_organisation", "host_kind")
        },
        "postal_code": contact_point.postal_code_id,
        "municipality": contact_point.municipality_id,
        "municipalities_served": [Municipality.objects.get(name="Oslo").pk],
    }
    form = form_class(data=data, instance=contact_point)
    assert not form.is_valid()
    assert OUTSIDE in str(form.errors["municipalities_served"])
