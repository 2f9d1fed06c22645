from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from selvhjelp.audit import AuditedAdminMixin
from selvhjelp.models import (
    County,
    DistrictOffice,
    DistrictOfficeMembership,
    Municipality,
    OutgoingEmail,
    PostalCode,
    User,
)


class DistrictOfficeMembershipInline(admin.TabularInline):
    model = DistrictOfficeMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_national_admin", "is_active"]
    list_filter = ["is_national_admin", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "name", "password"]}),
        (_("Roller"), {"fields": ["is_national_admin", "is_staff", "is_active", "is_superuser"]}),
        (_("Datoer"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "name", "password1", "password2"]})]
    inlines = [DistrictOfficeMembershipInline]


class CountyInline(admin.TabularInline):
    model = County
    fields = ["number", "name"]
    readonly_fields = ["number", "name"]
    extra = 0
    can_delete = False


@admin.register(DistrictOffice)
class DistrictOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CountyInline, DistrictOfficeMembershipInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "district_office"]
    list_editable = ["district_office"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county"]
    list_filter = ["county"]
    search_fields = ["name", "number"]


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "place", "municipality"]
    search_fields = ["code", "place"]
    list_select_related = ["municipality"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "delivery_uncertain",
        "last_error",
    ]
    list_filter = ["status", "delivery_uncertain", "kind"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Prøv å sende på nytt"))
    def retry_now(self, request, queryset):
        from django.utils import timezone

        queryset.exclude(status=OutgoingEmail.Status.SENT).update(
            status=OutgoingEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
