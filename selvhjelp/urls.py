from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from selvhjelp import views

admin.site.site_header = _("Selvhjelp – administrasjon")
admin.site.site_title = _("Selvhjelp")
# The admin's own password form would skip the second factor: log in through allauth instead.
admin.site.login = secure_admin_login(admin.site.login)

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
    path("kontaktpunkter/", include("contactpoints.urls")),
    path("bli-kontaktpunkt/", include("contactpoints.urls_application")),
    path("kontaktpunkt/", include("groups.urls_workspace")),
    path("distriktskontor/", include("groups.urls_district")),
    path("revisjonslogg/", views.audit_log, name="audit-log"),
    prefix_default_language=False,
)
