"""The project's URLs plus views that fail on purpose, for the error page tests."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.urls import path

from selvhjelp.urls import urlpatterns as project_urlpatterns


def refuse(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *project_urlpatterns,
    *i18n_patterns(
        path("test-403/", refuse),
        path("test-500/", crash),
        prefix_default_language=False,
    ),
]
