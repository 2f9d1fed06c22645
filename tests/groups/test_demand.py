"""Demand: enough active interests for a topic at a contact point opens one notice, emailed once."""

from __future__ import annotations

from django.core import mail

from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import DemandNotice, Interest
from groups.services import demand as demand_services
from groups.services import interests as interests_services
from selvhjelp.jobs import DAILY_JOBS
from tests.groups.workspace_helpers import bulk_interests
from tests.permissions_workspace import make_interest

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
