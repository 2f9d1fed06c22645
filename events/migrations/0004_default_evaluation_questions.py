"""Starting questions for every event kind; national staff change them in the admin."""

from django.db import migrations

QUESTIONS = [
    "Hvor nyttig var arrangementet for deg?",
    "Hvor godt ble du tatt imot?",
    "Hvor godt vet du nå hva du kan gjøre videre?",
]
KINDS = ["information", "network", "experience", "seminar", "webinar", "conference", "other"]


def add(apps, schema_editor):
    Question = apps.get_model("events", "EvaluationQuestion")
    for kind in KINDS:
        if not Question.objects.filter(kind=kind).exists():
            for order, text in enumerate(QUESTIONS):
                Question.objects.create(kind=kind, text=text, order=order)


class Migration(migrations.Migration):
    dependencies = [("events", "0003_evaluations")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
