"""How a group's public status and "when" are worded: one place for the search results (worded
once per request, for speed), the group page and every page that includes
templates/groups/includes/_group_status.html or _group_when.html (through group_wording tags),
which translate only the words their group needs."""

from __future__ import annotations

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from groups.models import Group

# The phrases, translated where they are used: words() translates them all at once for a list.
_PHRASES = {
    "when_with_time": gettext_lazy("%(weekday)ser kl. %(time)s, %(frequency)s"),
    "when": gettext_lazy("%(weekday)ser, %(frequency)s"),
    "when_unknown": gettext_lazy("Dag og tid avtales når gruppen starter"),
    "next_start": gettext_lazy("Neste oppstart %(date)s"),
    "status_open": gettext_lazy("Gruppen har plass"),
    "status_full": gettext_lazy("Gruppen er full: meld interesse, så får du beskjed"),
    "status_planned": gettext_lazy("Oppstart er planlagt: meld interesse for å bli med"),
    "status_gathering": gettext_lazy("Starter når nok har meldt seg"),
    "status_paused": gettext_lazy("Gruppen har pause nå: meld interesse, så får du beskjed"),
    "status_ended": gettext_lazy("Gruppen er avsluttet"),
}


def words() -> dict[str, object]:
    """The words, translated once (per request in a result list)."""
    return {
        **{key: str(phrase) for key, phrase in _PHRASES.items()},
        "weekdays": {value: capfirst(str(label)) for value, label in Group.Weekday.choices},
        "frequencies": {value: str(label).lower() for value, label in Group.Frequency.choices},
    }


def _words_for(group: Group) -> dict[str, object]:
    """The words one group's "when" uses, and only those translated (a page shows one group)."""
    weekday = dict(Group.Weekday.choices).get(group.weekday)
    frequency = dict(Group.Frequency.choices).get(group.frequency)
    return {
        **_PHRASES,
        "weekdays": {group.weekday: capfirst(str(weekday))} if weekday else {},
        "frequencies": {group.frequency: str(frequency).lower()} if frequency else {},
    }


def when_text(group: Group, labels: dict | None = None) -> str:
    """ "Tirsdager kl. 18.00, hver uke", with the next start when the group is planned."""
    labels = labels or _words_for(group)
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
        when = str(labels["when_unknown"])
    # Only a planned group has a start date that holds; one gathering interest starts when
    # enough people have signed up, whatever date was pencilled in.
    if group.starts_on and group.status == Group.Status.PLANNED:
        when += ". " + labels["next_start"] % {
            "date": formats.date_format(group.starts_on, "j. F Y")
        }
    return when


def status_text(group: Group, labels: dict | None = None) -> str:
    """The group's status in plain words (never colour alone)."""
    labels = labels or _PHRASES
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
