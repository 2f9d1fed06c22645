from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelvhjelpConfig(AppConfig):
    name = "selvhjelp"
    verbose_name = _("Selvhjelp")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from selvhjelp.geo import forget_places
        from selvhjelp.models import County, Municipality, PostalCode

        for model in (County, Municipality, PostalCode):
            post_save.connect(forget_places, sender=model, dispatch_uid=f"forget-{model.__name__}")
            post_delete.connect(
                forget_places, sender=model, dispatch_uid=f"forget-{model.__name__}-delete"
            )
