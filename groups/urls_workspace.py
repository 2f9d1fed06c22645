"""The contact point workspace: /kontaktpunkt/<slug>/... (staff of that contact point, its
district office, national admins)."""

from django.urls import path  # noqa: F401

app_name = "workspace"

urlpatterns: list = []
