from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelvhjelpConfig(AppConfig):
    name = "selvhjelp"
    verbose_name = _("Selvhjelp")
