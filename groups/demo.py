"""Demo groups for development: a few hundred realistic groups near the demo contact points.

Deterministic (a seeded random.Random) and idempotent (update_or_create on the slug), so running
`manage.py demo_data` twice gives the same rows.

Every demo group is in a state the real workflow can leave it in (groups/services/): public
groups are approved with exactly the fields `group_approve` sets, and each contact point also has
a draft, a group sent back with a comment, one waiting for approval, one hidden as unconfirmed,
an ended one and a rejected one, so every stage of the workspace's groups tab has an example."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from django.utils.text import slugify

from contactpoints.models import ContactPoint, Facilitator
from groups.models import Group, GroupEvent, Topic
from selvhjelp.geo import within_km
from selvhjelp.models import Municipality, PostalCode
from selvhjelp.text import fold

GROUPS_PER_CONTACT_POINT = 22
NEARBY_KM = 80
SEED = 20240903

# (name pattern, topic names, description)
KINDS = [
    ("Sorggruppe", ["Sorg"], "For deg som har mistet noen som sto deg nær."),
    ("Leve med angst", ["Angst", "Psykisk helse"], "Vi deler erfaringer med å leve med angst."),
    ("Når livet føles tungt", ["Depresjon", "Psykisk helse"], "For deg som kjenner på tungsinn."),
    ("Pårørendegruppe", ["Pårørende"], "For deg som står nær noen som er syk eller strever."),
    (
        "Pårørende til rusavhengige",
        ["Pårørende", "Rus og avhengighet"],
        "Et sted å dele det som er vanskelig å si høyt.",
    ),
    (
        "Veien videre etter rus",
        ["Rus og avhengighet"],
        "For deg som vil ha støtte i hverdagen uten rus.",
    ),
    (
        "Etter samlivsbruddet",
        ["Samlivsbrudd"],
        "For deg som står i eller har vært gjennom et brudd.",
    ),
    ("Leve med kreft", ["Kreft"], "For deg som har eller har hatt kreft."),
    (
        "Kronisk syk og i hverdagen",
        ["Kronisk sykdom"],
        "For deg som lever med langvarig sykdom eller smerter.",
    ),
    ("Fellesskap mot ensomhet", ["Ensomhet"], "For deg som savner noen å snakke med."),
    (
        "Utbrent og sliten",
        ["Stress og utbrenthet"],
        "For deg som kjenner at det har blitt for mye.",
    ),
    (
        "Psykisk helse i hverdagen",
        ["Psykisk helse"],
        "Vi snakker om det som er tungt, og det som hjelper.",
    ),
    ("Samtalegruppe på tvers", ["På tvers av problem"], "For alle, uansett hva du strever med."),
]
AREAS = ["sentrum", "sentrum", "sentrum", "nord", "sør", "øst", "vest"]
TIMES = [datetime.time(h, m) for h, m in ((10, 0), (12, 0), (17, 0), (18, 0), (18, 30), (19, 0))]

# Group number -> the stage it is left in at every contact point (the rest are published).
# The first four stay published and running, so that every README search finds something.
STAGE_SLOTS = {
    4: Group.Stage.DRAFT,
    5: Group.Stage.SENT_BACK,
    6: Group.Stage.WAITING,
    7: Group.Stage.HIDDEN,
    8: Group.Stage.ENDED,
    9: Group.Stage.REJECTED,
}
SENT_BACK_COMMENT = "Skriv litt mer om hvem gruppen passer for, og legg til en igangsetter."
REJECTED_COMMENT = "Det finnes allerede en slik gruppe i kommunen. Henvis heller dit."


def _stage_fields(stage: str, today: datetime.date) -> dict:
    """The fields the real workflow leaves a group with in `stage` (see groups/services/)."""
    now = timezone.now()
    not_public = {"is_published": False}
    if stage == Group.Stage.DRAFT:
        return {**not_public, "approval_status": Group.Approval.DRAFT}
    if stage == Group.Stage.SENT_BACK:
        return {**not_public, "approval_status": Group.Approval.SENT_BACK}
    if stage == Group.Stage.WAITING:
        return {**not_public, "approval_status": Group.Approval.SUBMITTED}
    if stage == Group.Stage.REJECTED:
        return {**not_public, "approval_status": Group.Approval.REJECTED}
    # group_approve: approved, published, just confirmed, nothing pending.
    approved = {
        "approval_status": Group.Approval.APPROVED,
        "is_published": True,
        "confirmation_requested_at": None,
        "stale_since": None,
    }
    if stage == Group.Stage.HIDDEN:
        # Asked to confirm (group_confirmation_reminders) and hidden after the grace days
        # (group_hide_stale), with no answer.
        return {
            **approved,
            "last_confirmed_on": today - datetime.timedelta(days=230),
            "confirmation_requested_at": now - datetime.timedelta(days=40),
            "stale_since": now - datetime.timedelta(days=12),
        }
    if stage == Group.Stage.ENDED:
        return {**approved, "open_for_new_members": False}
    return approved


# The history each stage has behind it, as the services write it.
_HISTORY = {
    Group.Stage.DRAFT: [(GroupEvent.Kind.CREATED, "")],
    Group.Stage.SENT_BACK: [
        (GroupEvent.Kind.CREATED, ""),
        (GroupEvent.Kind.SUBMITTED, ""),
        (GroupEvent.Kind.SENT_BACK, SENT_BACK_COMMENT),
    ],
    Group.Stage.WAITING: [(GroupEvent.Kind.CREATED, ""), (GroupEvent.Kind.SUBMITTED, "")],
    Group.Stage.REJECTED: [
        (GroupEvent.Kind.CREATED, ""),
        (GroupEvent.Kind.SUBMITTED, ""),
        (GroupEvent.Kind.REJECTED, REJECTED_COMMENT),
    ],
}
_APPROVED_HISTORY = [
    (GroupEvent.Kind.CREATED, ""),
    (GroupEvent.Kind.SUBMITTED, ""),
    (GroupEvent.Kind.APPROVED, ""),
]
_HISTORY[Group.Stage.PUBLISHED] = _APPROVED_HISTORY
_HISTORY[Group.Stage.HIDDEN] = [
    *_APPROVED_HISTORY,
    (GroupEvent.Kind.REMINDER_SENT, ""),
    (GroupEvent.Kind.HIDDEN_STALE, ""),
]
_HISTORY[Group.Stage.ENDED] = [*_APPROVED_HISTORY, (GroupEvent.Kind.STATUS_CHANGED, "")]


def _demo_facilitator(contact_point: ContactPoint) -> Facilitator:
    facilitator, _ = Facilitator.objects.get_or_create(
        email=f"igangsetter@{contact_point.slug}.example",
        defaults={"name": f"Igangsetter ved {contact_point.name}"},
    )
    facilitator.contact_points.add(contact_point)
    return facilitator


def create_demo_groups(contact_points: list[ContactPoint]) -> int:
    rng = random.Random(SEED)
    topics = {topic.name: topic for topic in Topic.objects.all()}
    today = timezone.localdate()
    postcodes: dict[str, list[PostalCode]] = {}
    for postal in PostalCode.objects.order_by("code"):
        postcodes.setdefault(postal.municipality_id, []).append(postal)
    count = 0
    for cp_index, contact_point in enumerate(contact_points):
        facilitator = _demo_facilitator(contact_point)
        nearby = list(
            within_km(
                Municipality.objects.all(),
                contact_point.latitude,
                contact_point.longitude,
                NEARBY_KM,
            ).order_by("distance_km", "number")
        ) or [contact_point.municipality]
        for n in range(GROUPS_PER_CONTACT_POINT):
            # Every contact point gets every kind of group, so each topic shows up everywhere.
            name_base, topic_names, description = KINDS[(n + cp_index) % len(KINDS)]
            # Half the groups sit in the contact point's own municipality, the rest nearby.
            municipality = nearby[0] if n % 2 == 0 else rng.choice(nearby)
            digital = n % 10 == 9
            fmt = (
                Group.Format.DIGITAL
                if digital
                else rng.choices([Group.Format.PHYSICAL, Group.Format.HYBRID], [85, 15])[0]
            )
            status = rng.choices(
                [
                    Group.Status.RUNNING,
                    Group.Status.GATHERING,
                    Group.Status.PLANNED,
                    Group.Status.PAUSED,
                    Group.Status.ENDED,
                ],
                [60, 15, 12, 8, 5],
            )[0]
            rng.random()  # was the old "published" draw; kept so the other draws stay put
            stage = STAGE_SLOTS.get(n, Group.Stage.PUBLISHED)
            if n < 4 or stage == Group.Stage.HIDDEN:
                status = Group.Status.RUNNING
            elif stage == Group.Stage.ENDED:
                status = Group.Status.ENDED
            elif stage != Group.Stage.PUBLISHED:
                status = Group.Status.PLANNED  # as group_plan leaves it until approval
            name = f"{name_base} (digital)" if digital else f"{name_base} i {municipality.name}"
            slug = slugify(fold(f"{name} {contact_point.slug} {n + 1}"))[:170]
            # A real postcode of the municipality gives the group its own public point.
            postal = _postcode(postcodes, municipality, n)
            area = "" if digital else f"{_place_name(postal, municipality)} {rng.choice(AREAS)}"
            starts_on = (
                today + datetime.timedelta(days=rng.randint(14, 120))
                if status in (Group.Status.GATHERING, Group.Status.PLANNED)
                else today - datetime.timedelta(days=rng.randint(30, 700))
            )
            group, _ = Group.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "description": (
                        f"{description} Tema: {', '.join(topic_names).lower()}. "
                        "Gruppen møtes fast, og alle har taushetsplikt."
                    ),
                    "audience": rng.choices(
                        [choice for choice, _label in Group.Audience.choices], [3, 3, 1, 1, 4]
                    )[0],
                    "format": fmt,
                    "weekday": rng.randint(1, 5) if rng.random() > 0.1 else rng.randint(6, 7),
                    "start_time": rng.choice(TIMES),
                    "frequency": rng.choices(
                        [Group.Frequency.WEEKLY, Group.Frequency.BIWEEKLY], [7, 3]
                    )[0],
                    "starts_on": starts_on,
                    "status": status,
                    "open_for_new_members": status != Group.Status.RUNNING or rng.random() > 0.35,
                    "municipality": None if digital else municipality,
                    "public_area": area,
                    "public_postcode": "" if digital or postal is None else postal.code,
                    "latitude": None if digital else (postal or municipality).latitude,
                    "longitude": None if digital else (postal or municipality).longitude,
                    "venue_address": f"Møterom {rng.randint(1, 9)}, {contact_point.name}",
                    "contact_point": contact_point,
                    "last_confirmed_on": today - datetime.timedelta(days=rng.randint(0, 200)),
                    **_stage_fields(stage, today),
                },
            )
            group.topics.set([topics[name] for name in topic_names if name in topics])
            # A draft and a group sent back for one may still lack a facilitator; everything
            # that reached the district office had one (Group.missing_for_approval).
            has_facilitator = stage not in (Group.Stage.DRAFT, Group.Stage.SENT_BACK)
            group.facilitators.set([facilitator] if has_facilitator else [])
            if not group.events.exists():
                GroupEvent.objects.bulk_create(
                    GroupEvent(group=group, kind=kind, comment=comment)
                    for kind, comment in _HISTORY[group.stage]
                )
            count += 1
    return count


def _postcode(postcodes: dict, municipality: Municipality, n: int) -> PostalCode | None:
    """One of the municipality's postcodes, the same one on every run."""
    codes = postcodes.get(municipality.number) or []
    return codes[n % len(codes)] if codes else None


def _place_name(postal: PostalCode | None, municipality: Municipality) -> str:
    if postal is None:
        return municipality.name
    return postal.place.title() if postal.place.isupper() else postal.place


TOPICS = [
    "Angst",
    "Depresjon",
    "Sorg",
    "Pårørende",
    "Rus og avhengighet",
    "Samlivsbrudd",
    "Kreft",
    "Kronisk sykdom",
    "Ensomhet",
    "Stress og utbrenthet",
    "Psykisk helse",
]


# What English pages show, and what an English search word is matched against.
TOPIC_NAMES_EN = {
    "Angst": "Anxiety",
    "Depresjon": "Depression",
    "Sorg": "Grief",
    "Pårørende": "Relatives and carers",
    "Rus og avhengighet": "Substance use and addiction",
    "Samlivsbrudd": "Separation and divorce",
    "Kreft": "Cancer",
    "Kronisk sykdom": "Chronic illness",
    "Ensomhet": "Loneliness",
    "Stress og utbrenthet": "Stress and burnout",
    "Psykisk helse": "Mental health",
    "På tvers av problem": "Open to all concerns",
}


def create_topics() -> None:
    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            slug=slugify(name),
            defaults={"name": name, "name_en": TOPIC_NAMES_EN[name], "position": position},
        )
    Topic.objects.update_or_create(
        slug="pa-tvers-av-problem",
        defaults={
            "name": "På tvers av problem",
            "name_en": TOPIC_NAMES_EN["På tvers av problem"],
            "position": 0,
            "is_cross_cutting": True,
        },
    )
