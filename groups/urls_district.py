"""The district office area: /distriktskontor/<slug>/... (its staff and national admins)."""

from django.urls import path  # noqa: F401

app_name = "district"

urlpatterns: list = []
