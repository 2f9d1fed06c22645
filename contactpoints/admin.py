from django.contrib import admin

from contactpoints.models import ContactPoint, ContactPointMembership, Facilitator
from selvhjelp.audit import AuditedAdminMixin


class MembershipInline(admin.TabularInline):
    model = ContactPointMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ["name", "host_kind", "municipality", "is_published"]
    list_filter = ["host_kind", "is_published", "municipality__county"]
    search_fields = ["name", "host_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["postal_code", "municipality", "municipalities_served"]
    inlines = [MembershipInline]


@admin.register(Facilitator)
class FacilitatorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "trained_on", "trained_where"]
    search_fields = ["name"]
    filter_horizontal = ["contact_points"]
