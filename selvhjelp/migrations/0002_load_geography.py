from django.db import migrations


def load(apps, schema_editor):
    from selvhjelp.geodata import load_geography

    load_geography(apps)


class Migration(migrations.Migration):
    dependencies = [("selvhjelp", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
