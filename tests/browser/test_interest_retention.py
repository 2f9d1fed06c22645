"""Interest in a group that has been running for years survives the nightly jobs: the person
registers in the browser, the daily jobs run, and the contact point still finds them on its
interest list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Interest
from selvhjelp.jobs import run_all
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_interest_in_a_running_group_is_still_on_the_list_after_the_nightly_jobs(page, settings):
    settings.INTEREST_RETENTION_AFTER_GROUP_START_DAYS = 90
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    staff = factories.make_user("stab@example.test")
    factories.add_contact_point_member(staff, contact_point)
    group = factories.make_group(
        contact_point,
        name="Sorggruppe som går",
        topics=[factories.make_topic("Sorg")],
        starts_on=timezone.localdate() - timedelta(days=2 * 365),
    )

    assert page.goto(reverse("groups:interest-create-for-group", args=[group.slug])).ok
    page.fill("main input[name=name]", "Kari Langtidsgruppe")
    page.fill("main input[name=email]", "kari.langtid@example.test")
    page.check("main input[name=consent]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert Interest.objects.filter(group=group).count() == 1, page.locator("main").inner_text()

    run_all()  # the nightly jobs, as beat or `make jobs` runs them

    log_in(page, staff.email)
    assert page.goto(reverse("workspace:interest-list", args=[contact_point.slug])).ok
    assert "Kari Langtidsgruppe" in page.locator("main").inner_text()
