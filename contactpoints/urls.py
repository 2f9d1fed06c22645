from django.urls import path

from contactpoints import views

app_name = "contactpoints"

urlpatterns = [
    path("", views.contactpoint_search, name="contactpoint-search"),
    path("<slug:slug>/", views.contactpoint_detail, name="contactpoint-detail"),
]
