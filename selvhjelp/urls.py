from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

import contactpoints.urls
import events.urls
import groups.urls
import materials.urls
import newsletter.urls
from selvhjelp import views

admin.site.site_header = _("Selvhjelp – administrasjon")
admin.site.site_title = _("Selvhjelp")
# The admin's own password form would skip the second factor: log in through allauth instead.
admin.site.login = secure_admin_login(admin.site.login)

# The staff areas are compositions: every app contributes its own pages to the contact point's
# workspace and to the district office's area, and this file (the only one that imports every app)
# joins them into one namespace per area.
workspace_urlpatterns = [
    *contactpoints.urls.workspace_urlpatterns,
    *groups.urls.workspace_urlpatterns,
    *events.urls.workspace_urlpatterns,
    *materials.urls.workspace_urlpatterns,
    *newsletter.urls.workspace_urlpatterns,
]
district_urlpatterns = [
    path("<slug:slug>/", views.district_dashboard, name="dashboard"),
    *contactpoints.urls.district_urlpatterns,
    *groups.urls.district_urlpatterns,
    *events.urls.district_urlpatterns,
    *materials.urls.district_urlpatterns,
    *newsletter.urls.district_urlpatterns,
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("helse/", views.health, name="health"),
]

# Norwegian pages have no prefix; English pages live under /en/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("om-dataene/", views.about_data, name="about-data"),
    path("personvern/", views.privacy, name="privacy"),
    path("mitt-arbeid/", views.staff_home, name="staff-home"),
    path("konto/", include("allauth.urls")),
    path("grupper/", include("groups.urls")),
    path("", include("contactpoints.urls")),  # /kontaktpunkter/… and /bli-kontaktpunkt/…
    path("arrangementer/", include("events.urls")),
    path("bevis/", include((events.urls.certificate_urlpatterns, "certificates"))),
    path("materiell/", include("materials.urls")),
    path("nyhetsbrev/", include("newsletter.urls")),
    path("kontaktpunkt/", include((workspace_urlpatterns, "workspace"))),
    path("distriktskontor/", include((district_urlpatterns, "district"))),
    path("revisjonslogg/", views.audit_log, name="audit-log"),
    prefix_default_language=False,
)


def media(request, path: str):
    """Uploaded files (material covers and PDFs) in development. Production serves them from
    the proxy or object storage (README, "Uploaded files"): here they are 404 then."""
    if not settings.DEBUG or not settings.STORAGES["default"]["BACKEND"].endswith(
        "FileSystemStorage"
    ):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns += [re_path(r"^media/(?P<path>.*)$", media, name="media")]
