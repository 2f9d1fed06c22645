"""The workspace's groups tab: every group of the contact point by stage, each linking to its
page with the next step its stage allows; the group pages keep the workspace's navigation."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Group
from groups.services import approval as approval_services
from groups.services import lifecycle as lifecycle_services
from tests.groups.lifecycle_data import approved, ready_draft, submitted

NEXT_STEP = {
    "utkast": "Neste steg: fyll ut det som mangler",
    "sendt-tilbake": "Neste steg: gjør endringene distriktskontoret ber om",
    "venter": "Distriktskontoret ser på gruppen",
    "publisert": "Gruppen vises på nettsidene. Hold den oppdatert",
    "skjult": "Gruppen er skjult på nettsidene fordi den ikke er bekreftet",
    "avsluttet": "Gruppen er avsluttet og vises ikke på nettsidene",
    "avslatt": "Distriktskontoret har avslått gruppen",
}


@pytest.fixture
def staff(client, cp_user):
    client.force_login(cp_user)
    return client


def list_url(contact_point) -> str:
    return reverse("workspace:group-list", kwargs={"slug": contact_point.slug})


def detail_url(group) -> str:
    return reverse(
        "workspace:group-detail", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
    )


@pytest.fixture
def one_of_each(contact_point, cp_user, national_admin) -> dict[str, Group]:
    """A group in every stage, each brought there by the real workflow where there is one."""
    draft = ready_draft(contact_point, name="Utkastgruppe")
    sent_back = submitted(contact_point, name="Tilbakegruppe")
    approval_services.group_send_back(
        group=sent_back, actor=national_admin, comment="Skriv litt mer om hvem gruppen er for."
    )
    waiting = ready_draft(contact_point, name="Ventegruppe")
    approval_services.group_submit(group=waiting, actor=cp_user)
    published = submitted(contact_point, name="Publisertgruppe")
    approval_services.group_approve(group=published, actor=national_admin)
    hidden = approved(
        contact_point,
        name="Skjultgruppe",
        confirmation_requested_at=timezone.now(),
        stale_since=timezone.now(),
    )
    ended = approved(contact_point, name="Avsluttetgruppe")
    lifecycle_services.group_set_status(
        group=ended, actor=cp_user, status=Group.Status.ENDED, open_for_new_members=False
    )
    rejected = submitted(contact_point, name="Avslåttgruppe")
    approval_services.group_reject(group=rejected, actor=national_admin, comment="Finnes allerede.")
    return {
        "utkast": draft,
        "sendt-tilbake": sent_back,
        "venter": waiting,
        "publisert": published,
        "skjult": hidden,
        "avsluttet": ended,
        "avslatt": rejected,
    }


def _section(html: str, stage: str) -> str:
    """The HTML of one stage's section on the groups tab."""
    match = re.search(rf'<section aria-labelledby="stage-{stage}".*?</section>', html, re.S)
    assert match, f"no section for {stage}"
    return match.group(0)


def test_every_stage_has_its_own_word(one_of_each):
    for stage, group in one_of_each.items():
        group.refresh_from_db()
        assert group.stage == stage, group.name


def test_the_groups_tab_lists_every_group_by_stage_with_a_link_and_the_next_step(
    staff, contact_point, one_of_each
):
    response = staff.get(list_url(contact_point))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for stage, group in one_of_each.items():
        section = _section(html, stage)
        assert f'href="{detail_url(group)}">{group.name}</a>' in section, stage
        assert NEXT_STEP[stage] in section, stage
        others = [g.name for s, g in one_of_each.items() if s != stage]
        assert not any(f">{name}</a>" in section for name in others), stage
    # The district office's comment is where the contact point needs it.
    assert "Skriv litt mer om hvem gruppen er for." in _section(html, "sendt-tilbake")
    # The tab is marked as the current page.
    assert re.search(r'class="nav-link active" aria-current="page" href="[^"]+/grupper/"', html)


def test_each_stage_offers_only_the_actions_it_allows(staff, contact_point, one_of_each):
    html = staff.get(list_url(contact_point)).content.decode()

    def links(stage: str) -> set[str]:
        group = one_of_each[stage]
        section = _section(html, stage)
        found = set()
        for name in ("group-edit", "group-submit", "group-status"):
            if reverse(f"workspace:{name}", args=[contact_point.slug, group.pk]) in section:
                found.add(name)
        starts = reverse(
            "workspace:group-starts-email",
            kwargs={"slug": contact_point.slug, "pk": group.pk},
        )
        if starts in section:
            found.add("group-starts-email")
        return found

    assert links("utkast") == {"group-edit", "group-submit"}
    assert links("sendt-tilbake") == {"group-edit", "group-submit"}
    assert links("venter") == set()
    assert links("publisert") == {"group-edit", "group-status", "group-starts-email"}
    assert links("skjult") == {"group-edit", "group-status", "group-starts-email"}
    assert links("avsluttet") == {"group-status"}
    assert links("avslatt") == set()


def test_the_district_office_sees_the_groups_but_no_actions(
    client, district_user, contact_point, one_of_each
):
    client.force_login(district_user)
    html = client.get(list_url(contact_point)).content.decode()
    assert "Publisertgruppe" in html
    assert (
        reverse(
            "workspace:group-status",
            kwargs={
                "slug": one_of_each["publisert"].contact_point.slug,
                "pk": one_of_each["publisert"].pk,
            },
        )
        not in html
    )
    assert (
        reverse(
            "workspace:group-edit",
            kwargs={
                "slug": one_of_each["utkast"].contact_point.slug,
                "pk": one_of_each["utkast"].pk,
            },
        )
        not in html
    )


def test_groups_of_another_contact_point_are_not_listed(staff, contact_point, other_contact_point):
    approved(contact_point, name="Vår gruppe")
    approved(other_contact_point, name="Deres gruppe", slug="deres-gruppe")
    html = staff.get(list_url(contact_point)).content.decode()
    assert "Vår gruppe" in html and "Deres gruppe" not in html


def test_the_home_page_counts_the_groups_by_stage_and_links_to_the_tab(
    staff, contact_point, one_of_each
):
    html = staff.get(
        reverse("workspace:home", kwargs={"slug": contact_point.slug})
    ).content.decode()
    assert f'href="{list_url(contact_point)}#stage-publisert">Publisert: <strong>1</strong>' in html
    assert f'href="{list_url(contact_point)}#stage-sendt-tilbake">' in html
    assert "Utkastgruppe" not in html  # names live on the tab, not on the home page


def _many_groups(contact_point, count: int) -> None:
    for n in range(count):
        approved(contact_point, name=f"Gruppe nummer {n}", slug=f"gruppe-nummer-{n}")


@pytest.mark.parametrize("count", [3, 30])
def test_the_groups_tab_keeps_its_query_budget(
    staff, contact_point, count, django_assert_max_num_queries
):
    _many_groups(contact_point, count)
    with django_assert_max_num_queries(12):
        response = staff.get(list_url(contact_point))
    assert response.context["total"] == count
    with django_assert_max_num_queries(16):
        staff.get(reverse("workspace:home", kwargs={"slug": contact_point.slug}))


def test_the_groups_tab_query_count_does_not_grow_with_the_groups(staff, contact_point):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            staff.get(list_url(contact_point))
        return len(captured)

    _many_groups(contact_point, 2)
    small = queries()
    for n in range(20):
        approved(contact_point, name=f"Flere {n}", slug=f"flere-{n}")
    assert queries() == small


# The group pages keep the area's navigation and always say what comes next -------------------


def test_the_group_page_has_the_workspace_tabs_and_a_way_back(staff, contact_point, one_of_each):
    group = one_of_each["utkast"]
    html = staff.get(detail_url(group)).content.decode()
    assert 'aria-label="Arbeidsområdet for kontaktpunktet"' in html
    assert f'href="{reverse("workspace:home", kwargs={"slug": contact_point.slug})}"' in html
    assert f'href="{list_url(contact_point)}">Tilbake til alle gruppene</a>' in html
    for name in ("group-edit", "group-submit", "group-status"):
        page = staff.get(reverse(f"workspace:{name}", args=[contact_point.slug, group.pk]))
        assert 'aria-label="Arbeidsområdet for kontaktpunktet"' in page.content.decode(), name


@pytest.mark.parametrize("stage", list(NEXT_STEP))
def test_the_group_page_says_what_comes_next_in_every_stage(staff, one_of_each, stage):
    html = staff.get(detail_url(one_of_each[stage])).content.decode()
    actions = re.search(r'<section aria-labelledby="actions-heading".*?</section>', html, re.S)
    assert actions and NEXT_STEP[stage] in actions.group(0)


def test_after_submitting_the_page_says_what_happens_next(staff, one_of_each):
    group = one_of_each["utkast"]
    response = staff.post(
        reverse(
            "workspace:group-submit", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
        ),
        follow=True,
    )
    html = response.content.decode()
    assert "Hva vil du gjøre?" in html
    assert "Du får en e-post når de har bestemt seg" in html


def test_a_draft_is_not_offered_the_starts_email(staff, one_of_each):
    for stage in ("utkast", "sendt-tilbake", "venter"):
        group = one_of_each[stage]
        html = staff.get(detail_url(group)).content.decode()
        assert "/oppstart/" not in html, stage
    assert "/oppstart/" in staff.get(detail_url(one_of_each["publisert"])).content.decode()


def test_the_district_review_page_keeps_the_district_navigation(client, district_user, one_of_each):
    client.force_login(district_user)
    group = one_of_each["venter"]
    html = client.get(reverse("district:group-review", kwargs={"pk": group.pk})).content.decode()
    assert 'aria-label="Distriktskontoret"' in html
    assert f'href="{reverse("district:dashboard", kwargs={"slug": "innlandet"})}"' in html
