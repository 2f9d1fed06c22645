"""Permission matrix rows for the contact point workspace (merged into tests/test_permissions.py).

ROWS: name -> (kwargs builder taking the objects dict, {persona: status}).
HIDDEN: [(name, kwargs builder, {persona: status})] for objects outside the persona's reach.
extra_objects(objects) adds the objects these rows need to the shared objects dict.

The workspace of the Dombås contact point is open to its staff (cp_user), the Innlandet
district office (district_user) and national admins; everyone else logged in gets 404 and
anonymous visitors go to the login page. Pages with people's names or contact details (the
interest list and everything under it, the person search, planning a group from the list, the
"group starts" email with its recipients) are the contact point's own: the district office sees
counts, not people, and gets 404 there. POST-only URLs answer a GET with 405, but only after
the access check, so outsiders still get 404.
"""

from django.utils import timezone

from contactpoints.models import Facilitator
from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import Interest
from tests import factories


def workspace(status_for_staff: int = 200) -> dict[str, int]:
    return {
        "anonymous": 302,
        "outsider": 404,
        "facilitator_user": 404,
        "cp_user": status_for_staff,
        "district_user": status_for_staff,
        "national_admin": status_for_staff,
    }


def people(status_for_staff: int = 200) -> dict[str, int]:
    """A page with people on it: the district office gets 404 (it sees counts, not people)."""
    return {**workspace(status_for_staff), "district_user": 404}


def _cp(o: dict) -> dict:
    return {"slug": o["contact_point"].slug}


def _interest(o: dict) -> dict:
    return {**_cp(o), "public_id": o["interest"].public_id}


def _facilitator(o: dict) -> dict:
    return {**_cp(o), "pk": o["facilitator"].pk}


ROWS: dict = {
    "workspace:home": (_cp, workspace()),
    "workspace:interest-list": (_cp, people()),
    "workspace:interest-create": (_cp, people()),
    "workspace:interest-detail": (_interest, people()),
    "workspace:interest-update": (_interest, people(405)),
    "workspace:interest-note-add": (_interest, people(405)),
    "workspace:interest-export": (_interest, people(405)),
    "workspace:interest-erase": (_interest, people()),
    "workspace:person-search": (_cp, people()),
    "workspace:group-list": (_cp, workspace()),
    "workspace:group-create": (_cp, people()),
    "workspace:group-starts-email": (
        lambda o: {"slug": o["contact_point"].slug, "pk": o["group"].pk},
        people(),
    ),
    "workspace:facilitator-list": (_cp, workspace()),
    "workspace:facilitator-create": (_cp, workspace()),
    "workspace:facilitator-edit": (_facilitator, workspace()),
    "workspace:facilitator-unlink": (_facilitator, workspace()),
    "workspace:profile-edit": (_cp, workspace()),
}

# Staff of Dombås and the Innlandet office reach nothing at the Oslo contact point; an object of
# one contact point under another's address is 404 for everyone, national admins included.
_ONLY_NATIONAL = {
    "outsider": 404,
    "cp_user": 404,
    "district_user": 404,
    "national_admin": 200,
}
_NOBODY = {"cp_user": 404, "district_user": 404, "national_admin": 404}


def _other(o: dict) -> dict:
    return {"slug": o["ws_other_cp"].slug}


def _other_interest(o: dict) -> dict:
    return {**_other(o), "public_id": o["ws_other_interest"].public_id}


# The other contact point's objects under the Dombås address.
def _foreign_interest(o: dict) -> dict:
    return {**_cp(o), "public_id": o["ws_other_interest"].public_id}


def _foreign_facilitator(o: dict) -> dict:
    return {**_cp(o), "pk": o["ws_other_facilitator"].pk}


def _foreign_group(o: dict) -> dict:
    return {**_cp(o), "pk": o["ws_other_group"].pk}


HIDDEN: list = [
    ("workspace:home", _other, _ONLY_NATIONAL),
    ("workspace:interest-list", _other, _ONLY_NATIONAL),
    ("workspace:profile-edit", _other, _ONLY_NATIONAL),
    ("workspace:group-list", _other, _ONLY_NATIONAL),
    ("workspace:interest-detail", _other_interest, _ONLY_NATIONAL),
    ("workspace:interest-detail", _foreign_interest, _NOBODY),
    ("workspace:interest-erase", _foreign_interest, _NOBODY),
    ("workspace:facilitator-edit", _foreign_facilitator, _NOBODY),
    ("workspace:facilitator-unlink", _foreign_facilitator, _NOBODY),
    ("workspace:group-starts-email", _foreign_group, _NOBODY),
    ("workspace:home", lambda o: {"slug": "finnes-ikke"}, _NOBODY),
]


def make_interest(contact_point, *, topic=None, **extra) -> Interest:
    defaults = {
        "contact_point": contact_point,
        "topic": topic or factories.make_topic(),
        "municipality": contact_point.municipality if contact_point else None,
        "name": "Kanari Testesen",
        "email": "kanari@example.test",
        "consent_text_version": CURRENT_CONSENT_VERSION,
        "consent_given_at": timezone.now(),
        "consent_channel": Interest.Channel.WEB,
    }
    defaults.update(extra)
    return Interest.objects.create(**defaults)


def extra_objects(objects: dict) -> dict:
    contact_point = objects["contact_point"]
    other = factories.make_contact_point("Arbeidsrom Oslo", postcode="0182")
    facilitator = Facilitator.objects.create(name="Fia Fasilitator", email="fia@example.test")
    facilitator.contact_points.add(contact_point)
    other_facilitator = Facilitator.objects.create(name="Oda Oslo", email="oda@example.test")
    other_facilitator.contact_points.add(other)
    return {
        "interest": make_interest(contact_point),
        "facilitator": facilitator,
        "ws_other_cp": other,
        "ws_other_interest": make_interest(other, email="oslo-kanari@example.test"),
        "ws_other_facilitator": other_facilitator,
        "ws_other_group": factories.make_group(other, name="Arbeidsrom Oslo-gruppe"),
    }
