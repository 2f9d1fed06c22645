"""A stable Message-ID for every outbox row, and a mark for a delivery the relay never confirmed.

Rows already in the table get a Message-ID of their own before the column becomes unique."""

from django.db import migrations, models

import selvhjelp.models


def give_each_row_a_message_id(apps, schema_editor):
    OutgoingEmail = apps.get_model("selvhjelp", "OutgoingEmail")
    for email in OutgoingEmail.objects.filter(message_id__isnull=True).only("pk").iterator():
        email.message_id = selvhjelp.models.new_message_id()
        email.save(update_fields=["message_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("selvhjelp", "0003_auditentry"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="message_id",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(give_each_row_a_message_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outgoingemail",
            name="message_id",
            field=models.CharField(
                default=selvhjelp.models.new_message_id,
                editable=False,
                max_length=255,
                unique=True,
                verbose_name="Message-ID",
            ),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="delivery_uncertain",
            field=models.BooleanField(default=False, verbose_name="kanskje levert"),
        ),
    ]
