"""Permission matrix rows for the district office area, approvals and applications
(merged into tests/test_permissions.py).

ROWS: name -> (kwargs builder taking the objects dict, {persona: status}).
HIDDEN: [(name, kwargs builder, {persona: status})] for objects outside the persona's reach.
extra_objects(objects) adds the objects these rows need to the shared objects dict.
"""

from contactpoints.models import ContactPointApplication
from groups.models import Group, Interest
from selvhjelp.models import DistrictOffice, PostalCode
from tests import factories
from tests.permissions_workspace import make_interest

PERSONAS = factories.PERSONAS


def _statuses(**given: int) -> dict[str, int]:
    """404 for everyone not named (anonymous: the login redirect)."""
    return {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, **given}


# Innlandet's district office: its staff and national admins.
OFFICE = _statuses(district_user=200, national_admin=200)
# A group of Dombås frivilligsentral: its staff may change it; the district office may look.
GROUP_VIEW = _statuses(cp_user=200, district_user=200, national_admin=200)
GROUP_EDIT = _statuses(cp_user=200, district_user=403, national_admin=200)
# Deciding: the district office of its counties; the group's own contact point gets 403.
GROUP_DECIDE = _statuses(cp_user=403, district_user=200, national_admin=200)


def _redirect(statuses: dict[str, int]) -> dict[str, int]:
    return {p: 302 if status == 200 else status for p, status in statuses.items()}


def _group(o):
    return {"slug": o["group"].contact_point.slug, "pk": o["group"].pk}


def _oslo_group(o):
    return {"slug": o["oslo_group"].contact_point.slug, "pk": o["oslo_group"].pk}


def _office(o):
    return {"slug": "innlandet"}


def _office_interest(o):
    return {"slug": "innlandet", "public_id": o["office_interest"].public_id}


ROWS: dict = {
    "district:dashboard": (_office, OFFICE),
    "district:queue": (_office, OFFICE),
    "district:needs-attention": (_office, OFFICE),
    "district:group-list": (_office, OFFICE),
    "district:contactpoint-list": (_office, OFFICE),
    "district:contactpoint-create": (_office, OFFICE),
    "district:application-list": (_office, OFFICE),
    # The office's own interest list (no contact point serves the place). POST-only URLs answer
    # a GET with 405 after the access check.
    "district:interest-list": (_office, OFFICE),
    "district:interest-detail": (_office_interest, OFFICE),
    "district:interest-update": (
        _office_interest,
        _statuses(district_user=405, national_admin=405),
    ),
    "district:interest-note-add": (
        _office_interest,
        _statuses(district_user=405, national_admin=405),
    ),
    "district:interest-export": (
        _office_interest,
        _statuses(district_user=405, national_admin=405),
    ),
    "district:interest-erase": (_office_interest, OFFICE),
    "district:group-review": (lambda o: {"pk": o["submitted_group"].pk}, GROUP_DECIDE),
    "district:application-review": (lambda o: {"pk": o["application"].pk}, OFFICE),
    "workspace:group-detail": (_group, GROUP_VIEW),
    "workspace:group-edit": (_group, GROUP_EDIT),
    "workspace:group-submit": (_group, GROUP_EDIT),
    "workspace:group-status": (_group, GROUP_EDIT),
    # Links in emails sent before the move: the same access check, then a redirect.
    "workspace:group-old-link": (lambda o: {"pk": o["group"].pk}, _redirect(GROUP_VIEW)),
    "workspace:group-old-page": (
        lambda o: {"pk": o["group"].pk, "page": "endre"},
        _redirect(GROUP_VIEW),
    ),
    # Public: a broken confirm link gets a calm page, never an error.
    "groups:group-confirm": (lambda o: {"token": "tampered"}, dict.fromkeys(PERSONAS, 200)),
    "contactpoints:application-create": (None, dict.fromkeys(PERSONAS, 200)),
    "contactpoints:application-thanks": (None, dict.fromkeys(PERSONAS, 200)),
}

_NOBODY = {"outsider": 404, "cp_user": 404, "district_user": 404}
_NOBODY_BUT_ADMIN = {**_NOBODY, "national_admin": 200}

HIDDEN: list = [
    # Another district office's area, groups and applications.
    ("district:dashboard", lambda o: {"slug": "oslo"}, _NOBODY_BUT_ADMIN),
    ("district:queue", lambda o: {"slug": "oslo"}, _NOBODY_BUT_ADMIN),
    ("district:dashboard", lambda o: {"slug": "finnes-ikke"}, {"national_admin": 404}),
    ("district:group-review", lambda o: {"pk": o["oslo_group"].pk}, _NOBODY_BUT_ADMIN),
    ("district:application-review", lambda o: {"pk": o["oslo_application"].pk}, _NOBODY_BUT_ADMIN),
    ("workspace:group-detail", _oslo_group, _NOBODY_BUT_ADMIN),
    ("workspace:group-edit", _oslo_group, _NOBODY),
    ("workspace:group-submit", _oslo_group, _NOBODY),
    ("workspace:group-status", _oslo_group, _NOBODY),
    ("workspace:group-old-link", lambda o: {"pk": o["oslo_group"].pk}, _NOBODY),
    (
        "workspace:group-detail",
        lambda o: {"slug": o["contact_point"].slug, "pk": 999999},
        {"national_admin": 404},
    ),
    # A group under another contact point's address: 404 for everyone, admins included.
    (
        "workspace:group-detail",
        lambda o: {"slug": o["contact_point"].slug, "pk": o["oslo_group"].pk},
        {**_NOBODY, "national_admin": 404},
    ),
    (
        "workspace:group-old-page",
        lambda o: {"pk": o["group"].pk, "page": "finnes-ikke"},
        {"cp_user": 404, "national_admin": 404},
    ),
    # Another office's list, and an interest of another office or of a contact point under
    # this office's address: 404 (national admins included for the wrong address).
    ("district:interest-list", lambda o: {"slug": "oslo"}, _NOBODY_BUT_ADMIN),
    (
        "district:interest-detail",
        lambda o: {"slug": "oslo", "public_id": o["oslo_office_interest"].public_id},
        _NOBODY_BUT_ADMIN,
    ),
    (
        "district:interest-detail",
        lambda o: {"slug": "innlandet", "public_id": o["oslo_office_interest"].public_id},
        {**_NOBODY, "national_admin": 404},
    ),
    (
        "district:interest-erase",
        lambda o: {"slug": "innlandet", "public_id": o["interest"].public_id},
        {**_NOBODY, "national_admin": 404},
    ),
]


def make_office_interest(office: DistrictOffice, **extra) -> Interest:
    """An interest routed to the office itself (no contact point serves the place)."""
    municipality = office.counties.first().municipalities.first()
    return make_interest(
        None, district_office=office, municipality=municipality, **{"email": "k@e.test", **extra}
    )


def _application(postcode: str) -> ContactPointApplication:
    postal = PostalCode.objects.get(code=postcode)
    application = ContactPointApplication.objects.create(
        organisation=f"Søker {postcode}",
        host_kind="frivilligsentral",
        street_address="Testveien 1",
        postal_code=postal,
        contact_name="Sara Søker",
        contact_email=f"soker{postcode}@example.test",
    )
    application.municipalities.add(postal.municipality)
    return application


def extra_objects(objects: dict) -> dict:
    oslo = factories.make_contact_point("LINK Oslo matrise", postcode="0182")
    return {
        "submitted_group": factories.make_group(
            objects["contact_point"],
            name="Til godkjenning",
            is_published=False,
            approval_status=Group.Approval.SUBMITTED,
        ),
        "oslo_group": factories.make_group(
            oslo, name="Oslo-gruppe", is_published=False, approval_status=Group.Approval.SUBMITTED
        ),
        "application": _application("2660"),
        "oslo_application": _application("0182"),
        "office_interest": make_office_interest(DistrictOffice.objects.get(slug="innlandet")),
        "oslo_office_interest": make_office_interest(DistrictOffice.objects.get(slug="oslo")),
    }
