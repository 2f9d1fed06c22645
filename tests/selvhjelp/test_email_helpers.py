"""The one helper per concept in selvhjelp, as every app's emails use it: absolute links, staff
addresses, and the district office for a place."""

from __future__ import annotations

import pytest

from contactpoints import services as contactpoint_services
from groups.models import Group
from groups.services import approval as approval_services
from selvhjelp.emails import absolute_url, staff_addresses
from selvhjelp.models import DistrictOffice, OutgoingEmail, PostalCode
from selvhjelp.text import unique_slug
from tests import factories
from tests.groups.lifecycle_data import ready_draft, submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("site_url", ["https://selvhjelp.example", "https://selvhjelp.example/"])
def test_every_link_in_emails_is_whole_whether_or_not_site_url_ends_in_a_slash(
    settings, site_url, cp_user, district_user, contact_point
):
    settings.SITE_URL = site_url
    group = ready_draft(contact_point)
    approval_services.group_submit(group=group, actor=cp_user)  # to the district office
    approval_services.group_approve(group=group, actor=district_user)  # to the contact point
    postal = PostalCode.objects.get(code="2660")
    contactpoint_services.application_submit(
        organisation="Dombås frivilligsentral",
        host_kind="frivilligsentral",
        street_address="Sentrum 1",
        postal_code=postal,
        municipalities=[postal.municipality],
        contact_name="Sara Søker",
        contact_email="sara@example.test",
    )
    sent = OutgoingEmail.objects.order_by("pk")
    assert {e.kind for e in sent} == {"group-submitted", "group-approved", "application-received"}
    for email in sent:
        assert "https://selvhjelp.example/" in email.body_text, email.kind
        assert "selvhjelp.example//" not in email.body_text + email.body_html, email.kind


def test_absolute_url_joins_with_one_slash(settings):
    settings.SITE_URL = "https://selvhjelp.example/"
    assert absolute_url("/grupper/") == "https://selvhjelp.example/grupper/"
    settings.SITE_URL = "https://selvhjelp.example"
    assert absolute_url("grupper/") == "https://selvhjelp.example/grupper/"


def test_staff_addresses_fall_back_to_the_place_address_only_without_staff(
    cp_user, contact_point, district_office, other_contact_point
):
    other_contact_point.email = "post@annet.example"
    other_contact_point.save()
    assert staff_addresses(contact_point) == [cp_user.email]
    assert staff_addresses(other_contact_point) == ["post@annet.example"]
    assert staff_addresses(contact_point, other_contact_point, None) == sorted(
        [cp_user.email, "post@annet.example"]
    )
    cp_user.is_active = False
    cp_user.save()
    assert staff_addresses(contact_point) == ([contact_point.email] if contact_point.email else [])


def test_a_closed_district_office_is_not_asked_to_approve(cp_user, district_user, contact_point):
    """Every lookup of "the office for a place" honours DistrictOffice.is_active."""
    office = DistrictOffice.objects.get(slug="innlandet")
    office.is_active = False
    office.save()
    group = submitted(contact_point)
    assert group.district_office() is None
    approval_services.group_submit(group=ready_draft(contact_point, name="Ny"), actor=cp_user)
    assert not OutgoingEmail.objects.filter(kind="group-submitted").exists()
    postal = PostalCode.objects.get(code="2660")
    assert contactpoint_services.district_office_for(postal.municipality) is None


def test_unique_slugs_count_up(contact_point):
    factories.make_group(contact_point, name="Sorg")
    assert unique_slug(Group, "Sorg", fallback="gruppe") == "sorg-2"
    assert unique_slug(DistrictOffice, "!!!", fallback="kontor") == "kontor"
