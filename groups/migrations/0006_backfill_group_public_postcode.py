"""Give every existing physical group its own public point: the postcode its public area names
("Dombås sentrum" -> 2660 Dombås), else the postcode named like its municipality; and give the
usual topics their English names."""

from django.db import migrations

from selvhjelp.geo import best_postcode

TOPIC_NAMES_EN = {
    "angst": "Anxiety",
    "depresjon": "Depression",
    "sorg": "Grief",
    "parrende": "Relatives and carers",
    "parorende": "Relatives and carers",
    "rus-og-avhengighet": "Substance use and addiction",
    "samlivsbrudd": "Separation and divorce",
    "kreft": "Cancer",
    "kronisk-sykdom": "Chronic illness",
    "ensomhet": "Loneliness",
    "stress-og-utbrenthet": "Stress and burnout",
    "psykisk-helse": "Mental health",
    "pa-tvers-av-problem": "Open to all concerns",
}


def backfill(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    PostalCode = apps.get_model("selvhjelp", "PostalCode")
    Topic = apps.get_model("groups", "Topic")

    by_municipality: dict[str, list] = {}
    groups = (
        Group.objects.filter(municipality__isnull=False, public_postcode="")
        .exclude(format="digital")
        .select_related("municipality")
    )
    for group in groups.iterator():
        number = group.municipality_id
        if number not in by_municipality:
            by_municipality[number] = list(PostalCode.objects.filter(municipality_id=number))
        postcodes = by_municipality[number]
        postal = best_postcode(group.public_area, postcodes) or best_postcode(
            group.municipality.name, postcodes
        )
        if postal is None:
            continue
        Group.objects.filter(pk=group.pk).update(
            public_postcode=postal.code, latitude=postal.latitude, longitude=postal.longitude
        )

    for slug, name_en in TOPIC_NAMES_EN.items():
        Topic.objects.filter(slug=slug, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0005_group_public_postcode_topic_name_en"),
        ("selvhjelp", "0002_load_geography"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
