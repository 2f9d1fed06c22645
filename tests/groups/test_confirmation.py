"""Every published group is confirmed twice a year with one click; unconfirmed groups are
hidden after the grace days and shown to the district office as needing attention."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from groups.models import Group, GroupEvent
from groups.services import confirmation as confirmation_services
from groups.services import lifecycle as lifecycle_services
from selvhjelp.jobs import DAILY_JOBS
from tests.groups.lifecycle_data import approved

pytestmark = pytest.mark.django_db

START = "2026-01-05 09:00"
SIX_MONTHS_LATER = "2026-07-06 09:00"  # 182 days
AFTER_GRACE = "2026-08-04 09:00"  # 29 days after the reminder


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return {
                "reminders": confirmation_services.group_confirmation_reminders(),
                "hidden": confirmation_services.group_hide_stale(),
            }

    return run


@pytest.fixture
def group(contact_point, cp_user):
    with freeze_time(START):
        return approved(contact_point, name="Sorggruppe Dovre")


def _confirm_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/grupper/bekreft/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _listed(group) -> bool:
    return Group.objects.published().filter(pk=group.pk).exists()


def test_the_jobs_are_registered_as_daily_jobs():
    assert (
        DAILY_JOBS["group_confirmation_reminders"]
        is confirmation_services.group_confirmation_reminders
    )
    assert DAILY_JOBS["group_hide_stale"] is confirmation_services.group_hide_stale


def test_nothing_is_asked_before_the_interval_has_passed(group, run_jobs):
    with freeze_time("2026-07-01 09:00"):
        assert run_jobs() == {"reminders": 0, "hidden": 0}
    assert mail.outbox == []


def test_six_months_later_the_contact_point_gets_one_confirm_email(group, cp_user, run_jobs):
    with freeze_time(SIX_MONTHS_LATER):
        assert run_jobs()["reminders"] == 1
        assert run_jobs()["reminders"] == 0  # a second run sends nothing more
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cp_user.email]
    assert message.subject == "Er gruppen fortsatt aktuell? Sorggruppe Dovre"
    assert "Ett klikk på lenken bekrefter gruppen. Du trenger ikke logge inn." in message.body
    html = message.alternatives[0][0]
    assert "Ja, gruppen er aktuell" in html and "/grupper/bekreft/" in html
    assert group.events.filter(kind=GroupEvent.Kind.REMINDER_SENT).count() == 1


def test_one_click_keeps_the_group_listed(group, run_jobs):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
        path = _confirm_path(mail.outbox[0])
        # Opening the link is the one click: no login, no second button.
        page = Client().get(path)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Takk, gruppen er bekreftet" in html
        assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    group.refresh_from_db()
    assert group.confirmation_requested_at is None
    assert str(group.last_confirmed_on) == "2026-07-06"
    with freeze_time(AFTER_GRACE):
        assert run_jobs() == {"reminders": 0, "hidden": 0}
    assert _listed(group)
    assert group.events.filter(kind=GroupEvent.Kind.CONFIRMED).count() == 1


def test_opening_the_link_twice_confirms_once(group, run_jobs):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
        path = _confirm_path(mail.outbox[0])
        Client().get(path)
        again = Client().get(path)
    assert again.status_code == 200
    assert "Ingenting å bekrefte" in again.content.decode()
    assert group.events.filter(kind=GroupEvent.Kind.CONFIRMED).count() == 1


def test_without_a_click_the_group_is_hidden_and_needs_attention(group, run_jobs, district_user):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
    assert _listed(group)  # still listed while the contact point has time to answer
    with freeze_time(AFTER_GRACE):
        assert run_jobs() == {"reminders": 0, "hidden": 1}
        assert run_jobs() == {"reminders": 0, "hidden": 0}
    group.refresh_from_db()
    assert group.stale_since is not None
    assert not _listed(group)
    assert "Sorggruppe Dovre" not in Client().get("/grupper/sorggruppe-dovre/").content.decode()
    assert len(mail.outbox) == 1  # no second reminder
    client = Client()
    client.force_login(district_user)
    url = reverse("district:needs-attention", kwargs={"slug": "innlandet"})
    assert "Sorggruppe Dovre" in client.get(url).content.decode()


def test_a_late_click_brings_a_hidden_group_back(group, run_jobs):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
    path = _confirm_path(mail.outbox[0])
    with freeze_time(AFTER_GRACE):
        run_jobs()
        Client().post(path)
    group.refresh_from_db()
    assert group.stale_since is None and _listed(group)


def test_an_ended_group_leaves_the_needs_attention_list(group, run_jobs, cp_user):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
    with freeze_time(AFTER_GRACE):
        run_jobs()
    lifecycle_services.group_set_status(
        group=group, actor=cp_user, status=Group.Status.ENDED, open_for_new_members=False
    )
    assert not Group.objects.all().needs_attention().exists()


def test_a_link_used_twice_gets_a_calm_message_and_changes_nothing(group, run_jobs):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
        path = _confirm_path(mail.outbox[0])
        client = Client()
        client.post(path)
        events = group.events.count()
        again = client.post(path)
    assert again.status_code == 200
    assert "Ingenting å bekrefte" in again.content.decode()
    assert group.events.count() == events


def test_a_tampered_link_gets_a_calm_message(group, run_jobs):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
        path = _confirm_path(mail.outbox[0])
        tampered = path.replace("/bekreft/", "/bekreft/x")
        response = Client().post(tampered)
    assert response.status_code == 200
    assert "Ingenting å bekrefte" in response.content.decode()
    group.refresh_from_db()
    assert group.confirmation_requested_at is not None


def test_a_link_for_another_group_cannot_be_forged(group, run_jobs, contact_point):
    other = approved(contact_point, name="Annen gruppe")
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
    group.refresh_from_db()
    forged = signing.dumps(
        {"g": other.pk, "r": group.confirmation_requested_at.isoformat()}, salt="wrong-salt"
    )
    response = Client().get(reverse("groups:group-confirm", kwargs={"token": forged}))
    assert "Ingenting å bekrefte" in response.content.decode()


def test_an_expired_link_gets_a_calm_message(group, run_jobs):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
        path = _confirm_path(mail.outbox[0])
    with freeze_time("2027-02-01 09:00"):  # more than an interval later
        response = Client().post(path)
    assert "Ingenting å bekrefte" in response.content.decode()
    group.refresh_from_db()
    assert group.confirmation_requested_at is not None


def test_an_old_link_fails_after_a_newer_reminder(group, run_jobs):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
        old_path = _confirm_path(mail.outbox[0])
        Client().post(old_path)
    with freeze_time("2027-01-05 09:00"):
        run_jobs()
        assert len(mail.outbox) == 2
        response = Client().post(old_path)
        assert "Ingenting å bekrefte" in response.content.decode()
        assert "Takk" in Client().post(_confirm_path(mail.outbox[1])).content.decode()


def test_staff_can_confirm_from_the_workspace(group, run_jobs, cp_user):
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
    client = Client()
    client.force_login(cp_user)
    client.post(
        reverse(
            "workspace:group-status", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
        ),
        {"bekreft": "1"},
    )
    group.refresh_from_db()
    assert group.confirmation_requested_at is None


def test_the_reminder_goes_to_the_contact_points_address_without_staff(contact_point, run_jobs):
    with freeze_time(START):
        approved(contact_point, name="Uten ansatte")
    with freeze_time(SIX_MONTHS_LATER):
        run_jobs()
    assert [m.to for m in mail.outbox] == [["post@kontaktpunkt.example"]]


def _digest_links(message) -> dict[str, str]:
    """Each group's name in the digest mapped to the confirm path under it."""
    found = re.findall(
        r"^- (.+?) \(sist bekreftet .+?\)\n\s+Ja, gruppen er aktuell: https?://[^/\s]+(/\S+)$",
        message.body,
        re.M,
    )
    return dict(found)


def test_one_digest_per_contact_point_with_a_link_for_each_group(
    contact_point, other_contact_point, cp_user, run_jobs
):
    with freeze_time(START):
        ours = [approved(contact_point, name=f"Gruppe {n}", slug=f"gruppe-{n}") for n in range(3)]
        theirs = approved(other_contact_point, name="Oslogruppe", slug="oslogruppe")
        approved(contact_point, name="Nylig bekreftet", slug="nylig")
    Group.objects.filter(slug="nylig").update(last_confirmed_on="2026-07-01")
    with freeze_time(SIX_MONTHS_LATER):
        assert run_jobs()["reminders"] == 4
        assert run_jobs()["reminders"] == 0  # the second run the same night sends nothing
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cp_user.email, other_contact_point.email]
    )
    digest = next(m for m in mail.outbox if m.to == [cp_user.email])
    assert digest.subject == "Er gruppene fortsatt aktuelle? 3 grupper hos Dombås frivilligsentral"
    links = _digest_links(digest)
    assert set(links) == {"Gruppe 0", "Gruppe 1", "Gruppe 2"}
    assert len(set(links.values())) == 3
    html = digest.alternatives[0][0]
    assert html.count("/grupper/bekreft/") == 3
    assert "/kontaktpunkt/dombas-frivilligsentral/grupper/" in digest.body
    assert "Nylig bekreftet" not in digest.body and "Oslogruppe" not in digest.body

    # Each link confirms its own group only.
    with freeze_time(SIX_MONTHS_LATER):
        assert "Takk" in Client().get(links["Gruppe 1"]).content.decode()
    requested = dict(Group.objects.values_list("name", "confirmation_requested_at"))
    assert requested["Gruppe 1"] is None
    assert requested["Gruppe 0"] is not None and requested["Gruppe 2"] is not None
    assert requested["Oslogruppe"] is not None
    for group in [*ours, theirs]:
        assert group.events.filter(kind=GroupEvent.Kind.REMINDER_SENT).count() == 1
