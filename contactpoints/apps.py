from django.apps import AppConfig


class ContactpointsConfig(AppConfig):
    name = "contactpoints"
