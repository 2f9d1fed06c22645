"""The contact point opens each of its groups from the workspace and changes a status, by
clicking: from the workspace home to the groups tab, into each group, to its status page, and
back to the tab, never typing an address."""

from __future__ import annotations

import pytest

from groups.models import Group
from tests import factories
from tests.browser.conftest import axe_check, log_in
from tests.groups.lifecycle_data import approved, ready_draft

pytestmark = pytest.mark.browser

# group name -> what the contact point does on its status page
CHANGES = {
    "Sorggruppe Dombås": ("Pause", None),
    "Pårørendegruppe Dovre": ("Avsluttet", None),
    "Samtalegruppe Lesja": (None, False),  # full: no longer open for new members
}


@pytest.fixture
def data(transactional_db):
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    cp_user = factories.make_user("kontaktpunkt@example.test", name="Kari Kontakt")
    factories.add_contact_point_member(cp_user, contact_point)
    for n, name in enumerate(CHANGES):
        approved(contact_point, name=name, slug=f"gruppe-{n}")
    ready_draft(contact_point, name="Utkast til ny gruppe", slug="utkast")
    return {"contact_point": contact_point, "cp_user": cp_user}


def test_the_contact_point_opens_each_group_from_the_workspace_and_changes_its_status(page, data):
    log_in(page, data["cp_user"].email)
    page.goto(f"/kontaktpunkt/{data['contact_point'].slug}/")
    nav = page.get_by_role("navigation", name="Arbeidsområdet for kontaktpunktet")
    nav.get_by_role("link", name="Grupper", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Gruppene deres"
    axe_check(page)

    for name, (status, open_for_new_members) in CHANGES.items():
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == name
        page.get_by_role("link", name="Endre status eller bekreft").click()
        page.wait_for_load_state()
        if status:
            page.get_by_label(status, exact=True).check()
        if open_for_new_members is False:
            page.get_by_label("Åpen for nye deltakere").uncheck()
        page.get_by_role("button", name="Lagre status").click()
        page.wait_for_load_state()
        assert page.get_by_text("Statusen er lagret.").count() == 1, name
        # Back on the group page, with the workspace's way back to the tab.
        page.get_by_role("link", name="Tilbake til alle gruppene").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Gruppene deres"

    groups = {g.name: g for g in Group.objects.all()}
    assert groups["Sorggruppe Dombås"].status == Group.Status.PAUSED
    assert groups["Pårørendegruppe Dovre"].status == Group.Status.ENDED
    assert groups["Samtalegruppe Lesja"].open_for_new_members is False
    assert groups["Samtalegruppe Lesja"].status == Group.Status.RUNNING
    for name in CHANGES:
        assert groups[name].events.filter(kind="status").count() == 1, name

    # The ended group has moved to its own section of the tab; the draft is still a draft.
    ended = page.locator('section[aria-labelledby="stage-avsluttet"]')
    assert ended.get_by_role("link", name="Pårørendegruppe Dovre", exact=True).count() == 1
    draft = page.locator('section[aria-labelledby="stage-utkast"]')
    assert draft.get_by_role("link", name="Utkast til ny gruppe", exact=True).count() == 1
    axe_check(page)
