"""Planning a group from the interest list, and the "the group starts" email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from contactpoints.models import Facilitator
from groups.models import Group, GroupEvent, Interest
from groups.services import approval as approval_services
from groups.services import planning as planning_services
from tests import factories
from tests.factories import plan_data
from tests.groups.workspace_helpers import url
from tests.permissions_workspace import make_interest

# Planning a group ----------------------------------------------------------------------------


@pytest.fixture
def facilitator(contact_point):
    facilitator = Facilitator.objects.create(name="Fia Fasilitator", email="fia@example.test")
    facilitator.contact_points.add(contact_point)
    return facilitator


def test_the_plan_form_preselects_the_people_chosen_on_the_list(staff, contact_point, sorg):
    chosen = make_interest(contact_point, topic=sorg, name="Valgt Person")
    make_interest(contact_point, topic=sorg, name="Annen Person")
    response = staff.get(url("group-create", contact_point), {"interesse": [str(chosen.public_id)]})
    assert response.status_code == 200
    assert response.context["form"].initial["interests"] == [chosen.pk]
    assert re.search(rf'value="{chosen.pk}"[^>]*checked', response.content.decode())


def test_staff_plan_a_draft_group_from_selected_interests(
    staff, cp_user, contact_point, sorg, facilitator
):
    people = [make_interest(contact_point, topic=sorg) for _ in range(4)]
    left_out = make_interest(contact_point, topic=sorg)
    response = staff.post(url("group-create", contact_point), plan_data(sorg, facilitator, people))
    assert response.status_code == 302
    group = Group.objects.get(name="Sorggruppe Dombås høst")
    assert group.approval_status == Group.Approval.DRAFT
    assert group.is_published is False
    assert group.contact_point == contact_point
    assert group.venue_address == "Hemmeligveien 1"
    assert list(group.facilitators.all()) == [facilitator]
    assert set(group.interests.all()) == set(people)
    assert set(group.interests.values_list("status", flat=True)) == {"plassert"}
    left_out.refresh_from_db()
    assert left_out.status == "ny"
    assert GroupEvent.objects.get(group=group).kind == "opprettet"
    assert group not in Group.objects.published()


def test_a_group_can_be_planned_from_scratch(staff, contact_point, sorg):
    response = staff.post(url("group-create", contact_point), plan_data(sorg, None, []))
    assert response.status_code == 302
    assert Group.objects.get().interests.count() == 0


def test_planning_with_bad_input_saves_nothing_and_keeps_the_input(
    staff, contact_point, sorg, facilitator
):
    person = make_interest(contact_point, topic=sorg)
    response = staff.post(
        url("group-create", contact_point),
        plan_data(sorg, facilitator, [person], name="", municipality=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["Gi gruppen et navn."]
    assert errors["municipality"] == ["Velg kommunen der gruppen skal møtes."]
    assert 'value="Dombås sentrum"' in response.content.decode()
    assert not Group.objects.exists()
    person.refresh_from_db()
    assert person.status == "ny"


def test_people_and_facilitators_of_another_contact_point_cannot_be_planned(
    staff, contact_point, other_contact_point, sorg
):
    foreign_person = make_interest(other_contact_point, topic=sorg)
    foreign_facilitator = Facilitator.objects.create(name="Oda Oslo", phone="123")
    foreign_facilitator.contact_points.add(other_contact_point)
    response = staff.post(
        url("group-create", contact_point), plan_data(sorg, foreign_facilitator, [foreign_person])
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"facilitators", "interests"}
    assert not Group.objects.exists()


def test_an_interest_placed_meanwhile_cannot_be_placed_again(
    contact_point, cp_user, sorg, facilitator
):
    person = make_interest(contact_point, topic=sorg, status=Interest.Status.PLACED)
    with pytest.raises(ValidationError):
        planning_services.group_plan(
            contact_point=contact_point,
            actor=cp_user,
            name="Dobbelt",
            topics=[sorg],
            interests=[person],
            municipality=contact_point.municipality,
        )
    assert not Group.objects.exists()


# The "group starts" email --------------------------------------------------------------------


@pytest.fixture
def planned(contact_point, cp_user, sorg, facilitator):
    people = [
        make_interest(contact_point, topic=sorg, email="kanari1@example.test"),
        make_interest(contact_point, topic=sorg, email="kanari2@example.test"),
        make_interest(contact_point, topic=sorg, email="", phone="91234567"),
    ]
    group = planning_services.group_plan(
        contact_point=contact_point,
        actor=cp_user,
        name="Sorggruppe Dombås",
        description="En gruppe for deg som har mistet noen.",
        topics=[sorg],
        interests=people,
        facilitators=[facilitator],
        municipality=contact_point.municipality,
        public_area="Dombås sentrum",
        venue_address="Hemmeligveien 1",
        starts_on=timezone.localdate() + timedelta(days=14),
        weekday=2,
    )
    return group


@pytest.fixture
def approved_group(planned, cp_user, national_admin):
    """The planned group, submitted and approved through the real workflow."""
    approval_services.group_submit(group=planned, actor=cp_user)
    return approval_services.group_approve(group=planned, actor=national_admin)


def _starts_url(group) -> str:
    return url("group-starts-email", group.contact_point, pk=group.pk)


def _starts_mail():
    return [m for m in mail.outbox if "starter snart" in m.subject]


def test_the_preview_shows_the_email_without_sending(staff, approved_group):
    response = staff.get(_starts_url(approved_group))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gruppen «Sorggruppe Dombås» starter snart" in html
    assert "Hemmeligveien 1" in html
    assert "2 personer" in html
    assert mail.outbox == []


def test_the_preview_shows_names_with_markup_as_written_once(staff, approved_group):
    planned = approved_group
    planned.name = "Mat & <i>helse</i>"
    planned.venue_address = "Gate <b>1</b>"
    planned.save(update_fields=["name", "venue_address"])

    html = staff.get(_starts_url(planned)).content.decode()

    preview = html.split('id="preview-heading"', 1)[1]
    assert "Gruppen «Mat &amp; &lt;i&gt;helse&lt;/i&gt;» starter snart" in preview
    assert "Gate &lt;b&gt;1&lt;/b&gt;" in preview
    assert "&amp;amp;" not in preview and "&amp;lt;" not in preview  # not escaped twice
    assert "<i>helse</i>" not in preview and "<b>1</b>" not in preview


def test_staff_send_the_group_starts_email_once(
    staff, approved_group, django_capture_on_commit_callbacks
):
    planned = approved_group
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(_starts_url(planned), {})
    assert response.status_code == 302
    sent = _starts_mail()
    assert sorted(m.to[0] for m in sent) == ["kanari1@example.test", "kanari2@example.test"]
    assert sent[0].subject == "Gruppen «Sorggruppe Dombås» starter snart"
    assert "Du har fått plass i «Sorggruppe Dombås»" in sent[0].body
    assert "Hemmeligveien 1" in sent[0].alternatives[0][0]
    assert planned.events.filter(kind="oppstart-sendt").count() == 1

    # A second POST without the confirmation is refused; nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        again = staff.post(_starts_url(planned), {})
    assert again.status_code == 400
    assert "allerede sendt" in again.content.decode()
    assert len(_starts_mail()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = staff.post(_starts_url(planned), {"send_again": "on"})
    assert confirmed.status_code == 302
    assert len(_starts_mail()) == 4
    assert planned.events.filter(kind="oppstart-sendt").count() == 2


@pytest.mark.parametrize("state", ["utkast", "sendt-inn", "sendt-tilbake", "avslatt"])
def test_the_starts_email_waits_until_the_group_is_approved(
    staff, planned, cp_user, state, django_capture_on_commit_callbacks
):
    Group.objects.filter(pk=planned.pk).update(approval_status=state)
    page = staff.get(_starts_url(planned))
    assert page.status_code == 200
    html = page.content.decode()
    assert "når distriktskontoret har godkjent gruppen" in html
    assert "Hemmeligveien 1" not in html  # no preview: it names the venue
    assert "<textarea" not in html and "Send oppstartsmeldingen" not in html

    with django_capture_on_commit_callbacks(execute=True):
        refused = staff.post(_starts_url(planned), {"send_again": "on"})
    assert refused.status_code == 400
    with pytest.raises(ValidationError) as error:
        planning_services.group_starts_email_send(group=planned, actor=cp_user)
    assert error.value.code == "not_approved"
    assert _starts_mail() == []
    assert not planned.events.filter(kind="oppstart-sendt").exists()


def test_a_group_of_another_contact_point_has_no_starts_page(
    staff, contact_point, other_contact_point, sorg
):
    group = factories.make_group(other_contact_point, topics=[sorg], name="Oslo sorg")
    hidden = url("group-starts-email", contact_point, pk=group.pk)
    assert staff.get(hidden).status_code == 404
    assert staff.post(hidden, {}).status_code == 404
