"""Demo groups for development (filled in with the group finder)."""

from contactpoints.models import ContactPoint


def create_demo_groups(contact_points: list[ContactPoint]) -> int:
    return 0


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


def create_topics() -> None:
    from django.utils.text import slugify

    from groups.models import Topic

    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
    Topic.objects.update_or_create(
        slug="pa-tvers-av-problem",
        defaults={"name": "På tvers av problem", "position": 0, "is_cross_cutting": True},
    )
