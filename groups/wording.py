"""How a group's public status and "when" are worded: one place for the search results (worded
once per request, for speed) and for every page that includes
templates/groups/includes/_group_status.html or _group_when.html (through group_wording tags)."""

from __future__ import annotations

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from groups.models import Group


def words() -> dict[str, object]:
    """The words, translated once (per request in a result list, per call on a page)."""
    return {
        "when_with_time": _("%(weekday)ser kl. %(time)s, %(frequency)s"),
        "when": _("%(weekday)ser, %(frequency)s"),
        "when_unknown": _("Dag og tid avtales når gruppen starter"),
        "next_start": _("Neste oppstart %(date)s"),
        "status_open": _("Gruppen har plass"),
        "status_full": _("Gruppen er full: meld interesse, så får du beskjed"),
        "status_planned": _("Oppstart er planlagt: meld interesse for å bli med"),
        "status_gathering": _("Starter når nok har meldt seg"),
        "status_paused": _("Gruppen har pause nå: meld interesse, så får du beskjed"),
        "status_ended": _("Gruppen er avsluttet"),
        "weekdays": {value: capfirst(str(label)) for value, label in Group.Weekday.choices},
        "frequencies": {value: str(label).lower() for value, label in Group.Frequency.choices},
    }


def when_text(group: Group, labels: dict | None = None) -> str:
    """ "Tirsdager kl. 18.00, hver uke", with the next start when the group is planned."""
    labels = labels or words()
    frequency = labels["frequencies"].get(group.frequency, group.frequency or "")
    weekday = labels["weekdays"].get(group.weekday, group.weekday)
    if group.weekday and group.start_time:
        when = labels["when_with_time"] % {
            "weekday": weekday,
            # As formats.time_format(…, "H.i") writes it, without its per-call parsing.
            "time": f"{group.start_time.hour:02d}.{group.start_time.minute:02d}",
            "frequency": frequency,
        }
    elif group.weekday:
        when = labels["when"] % {"weekday": weekday, "frequency": frequency}
    else:
        when = labels["when_unknown"]
    # Only a planned group has a start date that holds; one gathering interest starts when
    # enough people have signed up, whatever date was pencilled in.
    if group.starts_on and group.status == Group.Status.PLANNED:
        when += ". " + labels["next_start"] % {
            "date": formats.date_format(group.starts_on, "j. F Y")
        }
    return when


def status_text(group: Group, labels: dict | None = None) -> str:
    """The group's status in plain words (never colour alone)."""
    labels = labels or words()
    if group.status == Group.Status.RUNNING:
        key = "status_open" if group.open_for_new_members else "status_full"
    elif group.status == Group.Status.PLANNED:
        key = "status_planned"
    elif group.status == Group.Status.GATHERING:
        key = "status_gathering"
    elif group.status == Group.Status.PAUSED:
        key = "status_paused"
    else:
        key = "status_ended"
    return str(labels[key])
