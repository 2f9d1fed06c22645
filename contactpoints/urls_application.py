"""The public application to become a contact point: /bli-kontaktpunkt/."""

from django.urls import path

from contactpoints import views_application

app_name = "applications"

urlpatterns: list = [
    path("", views_application.application_create, name="application-create"),
    path("takk/", views_application.application_thanks, name="application-thanks"),
]
