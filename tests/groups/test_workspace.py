"""The contact point workspace: access, the interest list and detail, adding an interest by
hand, optimistic locking, demand notices and planning a group."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from contactpoints.models import Facilitator
from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import DemandNotice, Group, GroupEvent, Interest
from groups.services import approval as approval_services
from groups.services import demand as demand_services
from groups.services import interests as interests_services
from groups.services import planning as planning_services
from selvhjelp.jobs import DAILY_JOBS
from selvhjelp.models import AuditEntry
from tests import factories
from tests.permissions_workspace import make_interest

PERSON = {"name": "Kanari Testesen", "email": "kanari@example.test", "phone": "+47 912 34 567"}
# The canary phone number in every form it could be stored or shown in.
CANARY_PHONES = ("+47 912 34 567", "912 34 567", "91234567", "+4791234567")


@pytest.fixture
def staff(client, cp_user):
    client.force_login(cp_user)
    return client


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the outbox's after-commit callbacks, so queued emails reach mail.outbox."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def url(name: str, contact_point, **kwargs) -> str:
    return reverse(f"workspace:{name}", kwargs={"slug": contact_point.slug, **kwargs})


def detail_url(interest: Interest) -> str:
    return url("interest-detail", interest.contact_point, public_id=interest.public_id)


def bulk_interests(contact_point, topic, count: int) -> None:
    now = timezone.now()
    Interest.objects.bulk_create(
        Interest(
            contact_point=contact_point,
            topic=topic,
            municipality=contact_point.municipality,
            name=f"Kanari {n}",
            email=f"kanari{n}@example.test",
            status=Interest.Status.NEW if n % 2 else Interest.Status.CONTACTED,
            consent_text_version=CURRENT_CONSENT_VERSION,
            consent_given_at=now,
            consent_channel=Interest.Channel.WEB,
        )
        for n in range(count)
    )


def no_personal_data_in_audit() -> None:
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_type} {entry.object_id} {entry.detail}"
        assert "Kanari" not in text and "@" not in text
        # Full forms only: object_id is a primary key that can be 912, 1912, … with --reuse-db.
        assert not any(phone in text for phone in CANARY_PHONES)


# Access --------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, contact_point):
    response = client.get(url("home", contact_point))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_outsiders_get_404(client, outsider, contact_point):
    client.force_login(outsider)
    assert client.get(url("home", contact_point)).status_code == 404


def test_staff_of_another_contact_point_cannot_open_its_interest(
    client, cp_user, other_contact_point, sorg
):
    interest = make_interest(other_contact_point, topic=sorg)
    client.force_login(cp_user)
    assert client.get(detail_url(interest)).status_code == 404
    # Nor through their own workspace address.
    own = reverse(
        "workspace:interest-detail",
        kwargs={"slug": "dombas-frivilligsentral", "public_id": interest.public_id},
    )
    assert client.get(own).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_district_office_enters_contact_points_in_its_counties_only(
    client, district_user, contact_point, other_contact_point
):
    client.force_login(district_user)
    assert client.get(url("home", contact_point)).status_code == 200
    assert client.get(url("home", other_contact_point)).status_code == 404


def test_a_national_admin_enters_every_workspace(client, national_admin, other_contact_point):
    client.force_login(national_admin)
    assert client.get(url("home", other_contact_point)).status_code == 200


def test_the_staff_home_links_to_the_workspace(staff, contact_point):
    html = staff.get(reverse("staff-home")).content.decode()
    assert url("home", contact_point) in html


# Home and list -------------------------------------------------------------------------------


def test_home_shows_counts_and_demand_per_topic_and_municipality(staff, contact_point, sorg):
    make_interest(contact_point, topic=sorg)
    make_interest(contact_point, topic=sorg, status=Interest.Status.CONTACTED)
    make_interest(contact_point, topic=sorg, status=Interest.Status.WITHDRAWN)
    response = staff.get(url("home", contact_point))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert re.search(r"<th scope=\"row\">Sorg</th><td>Dovre</td><td><a [^>]+>2</a>", html)
    assert "Trukket: <strong>1</strong>" in html


def test_the_list_shows_interests_and_writes_one_audit_entry(staff, cp_user, contact_point, sorg):
    make_interest(contact_point, topic=sorg)
    response = staff.get(url("interest-list", contact_point))
    assert response.status_code == 200
    assert "Kanari Testesen" in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.contact_point_id) == (
        "list",
        cp_user,
        contact_point.pk,
    )
    no_personal_data_in_audit()


def test_the_list_filters_by_topic_municipality_status_and_age(
    staff, contact_point, sorg, angst, lesja
):
    contact_point.municipalities_served.add(lesja)
    with freeze_time(timezone.now() - timedelta(days=100)):
        make_interest(contact_point, topic=sorg, name="Gammel Sorg")
    make_interest(contact_point, topic=sorg, name="Ny Sorg")
    make_interest(contact_point, topic=angst, name="Ny Angst", municipality=lesja)
    make_interest(contact_point, topic=sorg, name="Plassert Sorg", status=Interest.Status.PLACED)

    def names(**query) -> set[str]:
        page = staff.get(url("interest-list", contact_point), query).context["page"]
        return {interest.name for interest in page.object_list}

    assert names(tema=angst.pk) == {"Ny Angst"}
    assert names(kommune=lesja.pk) == {"Ny Angst"}
    assert names(status="plassert") == {"Plassert Sorg"}
    assert names(status="aktiv", tema=sorg.pk) == {"Gammel Sorg", "Ny Sorg"}
    assert names(alder="over-90") == {"Gammel Sorg"}
    assert names(alder="30") == {"Ny Sorg", "Ny Angst", "Plassert Sorg"}


def test_a_bad_filter_value_is_explained_and_nothing_breaks(staff, contact_point):
    response = staff.get(url("interest-list", contact_point), {"status": "tull"})
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_list_and_home_keep_their_query_budget(
    staff, contact_point, sorg, count, django_assert_max_num_queries
):
    bulk_interests(contact_point, sorg, count)
    with django_assert_max_num_queries(16):
        response = staff.get(url("interest-list", contact_point))
    assert len(response.context["page"].object_list) == min(count, 50)
    with django_assert_max_num_queries(16):
        staff.get(url("home", contact_point))
    with django_assert_max_num_queries(20):
        staff.get(url("group-create", contact_point))


def test_the_list_query_count_does_not_grow_with_the_rows(staff, contact_point, sorg):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            staff.get(url("interest-list", contact_point))
        return len(captured)

    bulk_interests(contact_point, sorg, 10)
    small = queries()
    bulk_interests(contact_point, sorg, 990)
    assert queries() == small


# Detail, notes, status -----------------------------------------------------------------------


def test_the_detail_page_shows_the_person_and_logs_every_view(staff, cp_user, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg, phone="+47 912 34 567")
    for _ in range(2):
        html = staff.get(detail_url(interest)).content.decode()
    assert "kanari@example.test" in html and "+47 912 34 567" in html
    assert html.count("<h1") == 1
    views = AuditEntry.objects.filter(action="view", object_type="interest")
    assert views.count() == 2
    assert {(e.actor_id, e.object_id, e.contact_point_id) for e in views} == {
        (cp_user.pk, str(interest.pk), contact_point.pk)
    }
    no_personal_data_in_audit()


def test_staff_add_a_short_note(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    response = staff.post(
        url("interest-note-add", contact_point, public_id=interest.public_id),
        {"text": "Ringt, ringer tilbake fredag"},
    )
    assert response.status_code == 302
    assert interest.notes.get().text == "Ringt, ringer tilbake fredag"
    assert "Ringt, ringer tilbake fredag" in staff.get(detail_url(interest)).content.decode()
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_an_empty_note_is_refused_with_a_message(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    response = staff.post(
        url("interest-note-add", contact_point, public_id=interest.public_id), {"text": ""}
    )
    assert response.status_code == 400
    assert "Skriv et kort notat." in response.content.decode()
    assert not interest.notes.exists()


def test_a_get_on_a_post_only_url_changes_nothing(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    update = url("interest-update", contact_point, public_id=interest.public_id)
    assert staff.get(update, {"status": "trukket", "version": 1}).status_code == 405
    interest.refresh_from_db()
    assert interest.status == Interest.Status.NEW


def test_marking_contacted_sets_the_time_and_bumps_the_version(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    response = staff.post(
        url("interest-update", contact_point, public_id=interest.public_id),
        {"status": "kontaktet", "version": 1},
    )
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.status == Interest.Status.CONTACTED
    assert interest.contacted_at is not None
    assert interest.version == 2


def test_a_stale_version_is_refused_and_nothing_is_overwritten(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    update = url("interest-update", contact_point, public_id=interest.public_id)
    # Two people opened the page at version 1; the first one saves.
    assert staff.post(update, {"status": "kontaktet", "version": 1}).status_code == 302
    response = staff.post(update, {"status": "trukket", "version": 1})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen andre har endret denne interessemeldingen" in html
    assert 'name="version" value="2"' in html  # the form now carries the current version
    interest.refresh_from_db()
    assert (interest.status, interest.version) == (Interest.Status.CONTACTED, 2)


def test_the_service_refuses_a_stale_version(contact_point, cp_user, sorg):
    interest = make_interest(contact_point, topic=sorg)
    interests_services.interest_update(
        interest=interest, version=1, actor=cp_user, status="kontaktet"
    )
    with pytest.raises(interests_services.StaleVersionError):
        interests_services.interest_update(
            interest=interest, version=1, actor=cp_user, status="trukket"
        )


# Adding an interest by hand ------------------------------------------------------------------


def _hand_data(topic, **overrides) -> dict:
    data = {
        **PERSON,
        "topic": topic.pk,
        "place": "2660",
        "preferred_format": "",
        "note": "",
        "consent_channel": "telefon",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_staff_add_an_interest_by_hand_with_oral_consent(
    staff, cp_user, contact_point, sorg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url("interest-create", contact_point), _hand_data(sorg))

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert response["Location"] == detail_url(interest)
    assert interest.contact_point == contact_point
    assert interest.consent_channel == "telefon"
    assert interest.consent_recorded_by == cp_user
    assert interest.consent_text_version == CURRENT_CONSENT_VERSION
    assert timezone.now() - interest.consent_given_at < timedelta(minutes=1)
    assert AuditEntry.objects.filter(action="create", object_id=str(interest.pk)).exists()
    receipt = next(m for m in mail.outbox if m.to == ["kanari@example.test"])
    assert receipt.subject == "Vi har fått meldingen din"


def test_staff_get_no_new_interest_email_for_an_interest_they_typed_in(
    staff, contact_point, sorg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url("interest-create", contact_point), _hand_data(sorg))

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["kanari@example.test"]]  # the receipt only
    assert not any("Ny interessemelding" in m.subject for m in mail.outbox)


def test_the_withdraw_link_works_for_a_hand_added_interest(
    staff, client, contact_point, sorg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url("interest-create", contact_point), _hand_data(sorg))
    receipt = next(m for m in mail.outbox if m.to == ["kanari@example.test"])
    link = re.search(r"https?://[^/\s]+(/grupper/meld-interesse/trekk/\S+/)", receipt.body)[1]
    client.logout()
    assert client.post(link).status_code == 200
    assert not Interest.objects.exists()


def test_adding_by_hand_without_a_way_to_reach_is_refused_and_input_kept(
    staff, contact_point, sorg
):
    response = staff.post(
        url("interest-create", contact_point), _hand_data(sorg, email="", phone="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Oppgi e-post eller telefon, så kontaktpunktet når personen." in html
    assert 'value="Kanari Testesen"' in html
    assert response.context["form"].errors["phone"]
    assert not Interest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": ""}, "consent", "Kryss av for at personen har gitt samtykke muntlig."),
        ({"consent_channel": "nett"}, "consent_channel", "Velg et gyldig valg"),
        ({"place": "Atlantis"}, "place", "Vi finner ikke «Atlantis»"),
        ({"email": "ikke-en-adresse"}, "email", "Skriv en gyldig e-postadresse"),
        # The same phone rule as the public form (selvhjelp.forms.validated_phone).
        ({"phone": "12 34"}, "phone", "Skriv et telefonnummer med minst åtte sifre"),
    ],
)
def test_bad_hand_input_gets_a_message_next_to_the_field(
    staff, contact_point, sorg, overrides, field, message
):
    response = staff.post(url("interest-create", contact_point), _hand_data(sorg, **overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Interest.objects.exists()


# Demand notices ------------------------------------------------------------------------------


def _register(contact_point, topic, n: int) -> Interest:
    return interests_services.interest_register(
        topic=topic,
        municipality=contact_point.municipality,
        name=f"Kanari {n}",
        email=f"kanari{n}@example.test",
        consent_text_version=CURRENT_CONSENT_VERSION,
        contact_point=contact_point,
    )


def _demand_mail():
    return [m for m in mail.outbox if m.subject.startswith("Nok folk for en gruppe")]


def test_the_staff_and_district_office_get_one_demand_notice(
    run_on_commit, contact_point, cp_user, district_user, sorg, settings
):
    settings.DEMAND_THRESHOLD = 5
    for n in range(4):
        run_on_commit(_register, contact_point, sorg, n)
    assert _demand_mail() == []

    run_on_commit(_register, contact_point, sorg, 4)
    notices = _demand_mail()
    assert sorted(m.to[0] for m in notices) == sorted([cp_user.email, district_user.email])
    message = notices[0]
    assert message.subject == "Nok folk for en gruppe om Sorg"
    assert "5 personer har meldt interesse" in message.body
    assert "Kanari" not in message.body
    html = message.alternatives[0][0]
    assert "Se interesselisten" in html and "/kontaktpunkt/dombas-frivilligsentral/" in html

    # More interests, and the daily job run twice: no second notice.
    run_on_commit(_register, contact_point, sorg, 5)
    run_on_commit(DAILY_JOBS["demand_notices"])
    run_on_commit(DAILY_JOBS["demand_notices"])
    assert len(_demand_mail()) == 2
    assert DemandNotice.objects.get().active_interests == 6


def test_a_notice_closes_when_demand_drops_and_a_later_rise_notifies_again(
    run_on_commit, contact_point, cp_user, sorg, settings
):
    settings.DEMAND_THRESHOLD = 2
    first = run_on_commit(_register, contact_point, sorg, 1)
    run_on_commit(_register, contact_point, sorg, 2)
    assert len(_demand_mail()) == 1  # cp_user only: Innlandet has no staff in this test

    interests_services.interest_update(
        interest=first, version=1, actor=cp_user, status=Interest.Status.WITHDRAWN
    )
    assert DemandNotice.objects.get().closed_at is not None
    run_on_commit(_register, contact_point, sorg, 3)
    assert len(_demand_mail()) == 2
    assert DemandNotice.objects.filter(closed_at=None).count() == 1


def test_the_daily_demand_job_notices_interests_that_came_in_another_way(
    run_on_commit, contact_point, cp_user, sorg, settings
):
    settings.DEMAND_THRESHOLD = 3
    bulk_interests(contact_point, sorg, 3)  # bulk rows skip the registration hook
    assert run_on_commit(DAILY_JOBS["demand_notices"]) == 1
    assert run_on_commit(DAILY_JOBS["demand_notices"]) == 0
    assert len(_demand_mail()) == 1


def test_interests_outside_the_contact_points_municipalities_do_not_count(
    run_on_commit, contact_point, sorg, oslo, settings
):
    settings.DEMAND_THRESHOLD = 2
    for _ in range(3):
        make_interest(contact_point, topic=sorg, municipality=oslo)
    assert run_on_commit(demand_services.demand_check, contact_point=contact_point) == 0


# Planning a group ----------------------------------------------------------------------------


@pytest.fixture
def facilitator(contact_point):
    facilitator = Facilitator.objects.create(name="Fia Fasilitator", email="fia@example.test")
    facilitator.contact_points.add(contact_point)
    return facilitator


def _plan_data(topic, facilitator, interests, **overrides) -> dict:
    data = {
        "name": "Sorggruppe Dombås høst",
        "topics": [topic.pk],
        "audience": "alle",
        "format": "fysisk",
        "description": "En gruppe for deg som har mistet noen.",
        "weekday": "2",
        "start_time": "18:00",
        "frequency": "ukentlig",
        "starts_on": "2026-12-01",
        "municipality": "3431",
        "public_area": "Dombås sentrum",
        "venue_address": "Hemmeligveien 1",
        "facilitators": [facilitator.pk] if facilitator else [],
        "interests": [i.pk for i in interests],
    }
    data.update(overrides)
    return data


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
    response = staff.post(url("group-create", contact_point), _plan_data(sorg, facilitator, people))
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
    response = staff.post(url("group-create", contact_point), _plan_data(sorg, None, []))
    assert response.status_code == 302
    assert Group.objects.get().interests.count() == 0


def test_planning_with_bad_input_saves_nothing_and_keeps_the_input(
    staff, contact_point, sorg, facilitator
):
    person = make_interest(contact_point, topic=sorg)
    response = staff.post(
        url("group-create", contact_point),
        _plan_data(sorg, facilitator, [person], name="", municipality=""),
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
        url("group-create", contact_point), _plan_data(sorg, foreign_facilitator, [foreign_person])
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
