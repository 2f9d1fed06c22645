"""The demo data goes through the same states as real data: nothing public is unapproved, and the
demo contact point has a group in every stage of the workspace's groups tab."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from groups.demo import create_demo_groups, create_topics
from groups.models import Group, GroupEvent, Topic
from selvhjelp.models import PostalCode, User


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the command refuses to run in production
    call_command("demo_data", stdout=io.StringIO())


def test_no_published_group_is_unapproved(demo):
    assert Group.objects.count() > 100
    assert not Group.objects.filter(is_published=True).exclude(approval_status="godkjent").exists()
    assert not Group.objects.published().exclude(approval_status="godkjent").exists()
    # So the district dashboard counts no public group as a draft.
    drafts = Group.objects.filter(approval_status__in=["utkast", "sendt-tilbake"])
    assert drafts.exists() and not drafts.filter(is_published=True).exists()
    # What group_approve leaves behind, and the history that led there.
    for group in Group.objects.published().prefetch_related("events", "facilitators")[:50]:
        kinds = [event.kind for event in group.events.all()]
        assert kinds[:3] == ["opprettet", "sendt-inn", "godkjent"], group.name
        assert group.facilitators.all(), group.name
        assert group.missing_for_approval() == [], group.name


def test_the_demo_contact_point_has_a_group_in_every_stage(demo):
    dombaas = Group.objects.filter(contact_point__slug="dombas-frivilligsentral")
    stages = {group.stage for group in dombaas}
    assert stages == set(Group.Stage.values)
    sent_back = next(g for g in dombaas if g.stage == Group.Stage.SENT_BACK)
    assert sent_back.events.filter(kind=GroupEvent.Kind.SENT_BACK).exclude(comment="").exists()
    hidden = next(g for g in dombaas if g.stage == Group.Stage.HIDDEN)
    assert hidden.confirmation_requested_at < hidden.stale_since
    waiting = next(g for g in dombaas if g.stage == Group.Stage.WAITING)
    assert waiting.missing_for_approval() == []  # it could really have been submitted


def test_the_demo_login_sees_every_stage_on_the_groups_tab(demo, client, settings):
    settings.STAFF_MFA_REQUIRED = False  # as in development, where the demo logins are used
    client.force_login(User.objects.get(email="kontaktpunkt@selvhjelp.example"))
    response = client.get(
        reverse("workspace:group-list", kwargs={"slug": "dombas-frivilligsentral"})
    )
    assert response.status_code == 200
    for value, _label, rows in response.context["sections"]:
        assert rows, f"no demo group in stage {value}"


def test_running_demo_data_twice_changes_nothing(demo, settings):
    before = (Group.objects.count(), GroupEvent.objects.count())
    stages = dict(Group.objects.values_list("slug", "approval_status"))
    call_command("demo_data", stdout=io.StringIO())
    assert (Group.objects.count(), GroupEvent.objects.count()) == before
    assert dict(Group.objects.values_list("slug", "approval_status")) == stages


@pytest.mark.django_db
def test_demo_groups_sit_at_a_real_postcode_of_their_municipality(contact_point):
    create_topics()
    create_demo_groups([contact_point])

    physical = Group.objects.exclude(format=Group.Format.DIGITAL)
    assert physical.exists()
    postcodes = {
        p.code: p for p in PostalCode.objects.filter(code__in=physical.values("public_postcode"))
    }
    for group in physical:
        postal = postcodes[group.public_postcode]
        assert postal.municipality_id == group.municipality_id
        assert (group.latitude, group.longitude) == (postal.latitude, postal.longitude)
    # Not every group on one pin any more.
    assert physical.values("latitude", "longitude").distinct().count() > 1


@pytest.mark.django_db
def test_demo_topics_have_english_names():
    create_topics()

    assert not Topic.objects.filter(name_en="").exists()
    assert Topic.objects.get(slug="sorg").name_en == "Grief"
