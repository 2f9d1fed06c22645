"""axe (WCAG 2.0/2.1 A and AA) on the newsletter pages: the subscribe form (empty, with errors,
done), the preferences and unsubscribe pages, the archive, and the desk's compose, preview and
progress pages; and the progress bar refreshing from its JSON without a reload."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from newsletter.models import Delivery, Issue
from newsletter.services import sending
from newsletter.services.subscriptions import manage_token
from tests import factories
from tests.browser.conftest import axe_check, check_page, log_in
from tests.newsletter.conftest import make_issue, make_subscriber

pytestmark = pytest.mark.browser


def test_the_public_newsletter_pages_have_no_axe_violations(page, transactional_db):
    subscriber = make_subscriber("leser@example.test")
    sent = make_issue(
        subject="Høstens nyhetsbrev", status=Issue.Status.SENT, sent_at=timezone.now()
    )
    token = manage_token(subscriber.public_id)
    check_page(page, "/nyhetsbrev/")
    check_page(page, f"/nyhetsbrev/arkiv/{sent.pk}/")
    check_page(page, "/nyhetsbrev/abonner/")
    page.locator("main form button[type=submit]").click()  # empty: errors next to the fields
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .is-invalid").count() > 0
    axe_check(page)
    page.fill("input[name=email]", "ny@example.test")
    page.check("input[name=lists][value=general]")
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/nyhetsbrev/abonner/takk/")
    axe_check(page)
    check_page(page, f"/nyhetsbrev/innstillinger/{token}/")
    check_page(page, f"/nyhetsbrev/avmeld/{token}/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Du er meldt av"
    axe_check(page)


def test_the_desk_pages_have_no_axe_violations_and_the_bar_moves(page, transactional_db):
    admin = factories.make_user("admin@example.test", is_national_admin=True)
    for i in range(6):
        make_subscriber(f"r{i}@example.test")
    draft = make_issue(body_markdown="## Kurs\n\nHei <script>alert(1)</script>")
    sending_issue = make_issue(subject="Sendes nå", status=Issue.Status.SENDING)
    sending.deliveries_create(issue=sending_issue)
    log_in(page, admin.email)
    for path in (
        "/nyhetsbrev/redaksjon/",
        "/nyhetsbrev/redaksjon/ny/",
        f"/nyhetsbrev/redaksjon/{draft.pk}/",
        f"/nyhetsbrev/redaksjon/{draft.pk}/endre/",
        f"/nyhetsbrev/redaksjon/{draft.pk}/tekst/",
        f"/nyhetsbrev/redaksjon/{sending_issue.pk}/",
        "/nyhetsbrev/mine/",
    ):
        check_page(page, path)
    # The progress page, then three rows go out: the script shows it without a reload.
    page.goto(f"/nyhetsbrev/redaksjon/{sending_issue.pk}/")
    assert page.locator('[data-count="remaining"]').inner_text() == "6"
    ids = Delivery.objects.filter(issue=sending_issue).order_by("pk").values("pk")[:3]
    Delivery.objects.filter(pk__in=ids).update(status="sent")
    expect(page.locator('[data-count="remaining"]')).to_have_text("3", timeout=15000)
    assert page.locator("progress").get_attribute("value") == "3"
    # Empty subject: the message next to the field passes axe too.
    page.goto("/nyhetsbrev/redaksjon/ny/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Skriv et emne." in page.content()
    axe_check(page)
