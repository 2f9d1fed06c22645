"""The public application to become a contact point: /bli-kontaktpunkt/."""

from django.urls import path  # noqa: F401

app_name = "applications"

urlpatterns: list = []
