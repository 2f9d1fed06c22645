"""Permission matrix rows for the newsletter (merged into tests/test_permissions.py)."""

from django.utils import timezone

from newsletter.models import Issue
from selvhjelp.models import DistrictOffice
from tests import factories

PERSONAS = factories.PERSONAS


def _statuses(**given: int) -> dict[str, int]:
    return {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, **given}


EVERYONE = dict.fromkeys(PERSONAS, 200)
NATIONAL = _statuses(national_admin=200)
NATIONAL_POST = _statuses(national_admin=405)
OFFICE = _statuses(district_user=200, national_admin=200)
OFFICE_POST = _statuses(district_user=405, national_admin=405)


def _national(o):
    return {"pk": o["national_issue"].pk}


def _office(o):
    return {"slug": "innlandet"}


def _office_issue(o):
    return {"slug": "innlandet", "pk": o["office_issue"].pk}


_ACTIONS = ["issue-test", "issue-schedule", "issue-cancel", "issue-pause", "issue-resume"]
_PAGES = ["issue-detail", "issue-update", "issue-text", "issue-progress"]

ROWS: dict = {
    "newsletter:archive": (None, EVERYONE),
    "newsletter:archive-detail": (lambda o: {"pk": o["sent_issue"].pk}, EVERYONE),
    "newsletter:feed": (None, EVERYONE),
    "newsletter:subscribe": (None, EVERYONE),
    "newsletter:subscribe-done": (None, EVERYONE),
    # Links that are not valid get a calm page, not an error.
    "newsletter:confirm": (lambda o: {"token": "tampered"}, EVERYONE),
    "newsletter:preferences": (lambda o: {"token": "tampered"}, EVERYONE),
    "newsletter:unsubscribe": (lambda o: {"token": "tampered"}, EVERYONE),
    "newsletter:bounce-webhook": (None, dict.fromkeys(PERSONAS, 405)),
    "newsletter:staff-subscribe": (None, {**EVERYONE, "anonymous": 302}),
    "newsletter:issue-list": (None, NATIONAL),
    "newsletter:issue-create": (None, NATIONAL),
    **{f"newsletter:{name}": (_national, NATIONAL) for name in _PAGES},
    **{f"newsletter:{name}": (_national, NATIONAL_POST) for name in _ACTIONS},
    "district:newsletter-issue-list": (_office, OFFICE),
    "district:newsletter-issue-create": (_office, OFFICE),
    **{f"district:newsletter-{name}": (_office_issue, OFFICE) for name in _PAGES},
    **{f"district:newsletter-{name}": (_office_issue, OFFICE_POST) for name in _ACTIONS},
}

HIDDEN = [
    # Not sent yet, or written by a district office: not in the public archive.
    (
        "newsletter:archive-detail",
        lambda o: {"pk": o["national_issue"].pk},
        dict.fromkeys(PERSONAS, 404),
    ),
    (
        "newsletter:archive-detail",
        lambda o: {"pk": o["sent_office_issue"].pk},
        dict.fromkeys(PERSONAS, 404),
    ),
    # An office's issue on the national desk, a national one on an office's desk, another
    # office's issue on this office's desk.
    ("newsletter:issue-detail", lambda o: {"pk": o["office_issue"].pk}, _statuses()),
    (
        "district:newsletter-issue-detail",
        lambda o: {"slug": "innlandet", "pk": o["national_issue"].pk},
        _statuses(),
    ),
    (
        "district:newsletter-issue-detail",
        lambda o: {"slug": "innlandet", "pk": o["other_office_issue"].pk},
        _statuses(),
    ),
    (
        "district:newsletter-issue-pause",
        lambda o: {"slug": "innlandet", "pk": o["other_office_issue"].pk},
        _statuses(),
    ),
]


def extra_objects(objects: dict) -> dict:
    innlandet = DistrictOffice.objects.get(slug="innlandet")
    oslo = DistrictOffice.objects.get(slug="oslo")

    def issue(**extra):
        return Issue.objects.create(subject="Nytt", body_markdown="Hei", **extra)

    return {
        "national_issue": issue(),
        "sent_issue": issue(status=Issue.Status.SENT, sent_at=timezone.now()),
        "office_issue": issue(office=innlandet),
        "sent_office_issue": issue(
            office=innlandet, status=Issue.Status.SENT, sent_at=timezone.now()
        ),
        "other_office_issue": issue(office=oslo),
    }
