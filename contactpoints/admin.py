from django import forms
from django.contrib import admin

from contactpoints.access import check_served_municipalities
from contactpoints.models import ContactPoint, ContactPointMembership, Facilitator
from selvhjelp.audit import AuditedAdminMixin


class MembershipInline(admin.TabularInline):
    model = ContactPointMembership
    extra = 0
    autocomplete_fields = ["user"]


class ContactPointAdminForm(forms.ModelForm):
    """The admin's fields come from ContactPointAdmin (modelform_factory)."""

    def clean(self):
        # The same rule as the district office's pages: no serving another office's region.
        data = super().clean()
        if data.get("municipality") and data.get("municipalities_served"):
            try:
                check_served_municipalities(
                    data["municipality"],
                    list(data["municipalities_served"]),
                    field="municipalities_served",
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    form = ContactPointAdminForm
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
