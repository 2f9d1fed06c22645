"""A group meets in a municipality its contact point covers: the edit and plan forms offer only
those, and the services refuse any other posted id."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import Group
from groups.services import lifecycle as lifecycle_services
from groups.services import planning as planning_services
from selvhjelp.models import Municipality
from tests.factories import logged_in_client
from tests.groups.lifecycle_data import ready_draft

pytestmark = pytest.mark.django_db


def _edit_url(group) -> str:
    return reverse(
        "workspace:group-edit", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
    )


def test_the_draft_edit_form_offers_only_the_contact_points_municipalities(cp_user, contact_point):
    group = ready_draft(contact_point)
    form = logged_in_client(cp_user).get(_edit_url(group)).context["form"]
    offered = set(form.fields["municipality"].queryset.values_list("name", flat=True))
    assert offered == {"Dovre"}


def test_a_draft_cannot_be_moved_to_another_region_by_posting_its_id(cp_user, contact_point):
    group = ready_draft(contact_point)
    oslo = Municipality.objects.get(name="Oslo")
    response = logged_in_client(cp_user).post(
        _edit_url(group),
        {
            "name": group.name,
            "description": group.description,
            "topics": [t.pk for t in group.topics.all()],
            "audience": group.audience,
            "format": group.format,
            "weekday": group.weekday,
            "start_time": "18:00",
            "frequency": group.frequency,
            "municipality": oslo.pk,
            "public_area": "Grünerløkka",
            "venue_address": group.venue_address,
            "facilitators": [f.pk for f in group.facilitators.all()],
        },
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()
    group.refresh_from_db()
    assert group.municipality.name == "Dovre"


def test_the_update_service_refuses_a_municipality_the_contact_point_does_not_cover(
    cp_user, contact_point
):
    group = ready_draft(contact_point)
    with pytest.raises(ValidationError) as error:
        lifecycle_services.group_update(
            group=group, actor=cp_user, data={"municipality": Municipality.objects.get(name="Oslo")}
        )
    assert "municipality" in error.value.message_dict
    group.refresh_from_db()
    assert group.municipality.name == "Dovre"


def test_the_plan_service_refuses_a_municipality_the_contact_point_does_not_cover(
    cp_user, contact_point, sorg
):
    with pytest.raises(ValidationError) as error:
        planning_services.group_plan(
            contact_point=contact_point,
            actor=cp_user,
            name="Sorg i Oslo",
            topics=[sorg],
            municipality=Municipality.objects.get(name="Oslo"),
            public_area="Sentrum",
        )
    assert "municipality" in error.value.message_dict
    assert not Group.objects.exists()
