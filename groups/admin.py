from django.contrib import admin

from groups.models import Group, Interest, InterestTally, Topic
from groups.services import privacy as privacy_services
from selvhjelp.audit import AuditedAdminMixin
from selvhjelp.models import AuditEntry


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_cross_cutting", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "contact_point",
        "format",
        "status",
        "is_published",
        "last_confirmed_on",
    ]
    list_filter = ["is_published", "status", "format", "topics"]
    search_fields = ["name", "public_area"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["contact_point", "municipality"]
    filter_horizontal = ["topics", "facilitators"]
    list_select_related = ["contact_point"]


@admin.register(Interest)
class InterestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "topic", "contact_point", "district_office", "status", "created_at"]
    list_filter = ["status", "topic"]
    readonly_fields = ["public_id", "consent_text_version", "consent_given_at", "consent_channel"]
    list_select_related = ["topic", "contact_point", "district_office"]

    # Deleting here is an erasure like the staff pages': the same path (outbox, demand, tally).
    def delete_model(self, request, obj):
        self._audit(request, AuditEntry.Action.ERASE, obj=obj)
        privacy_services.interests_delete(
            interests=Interest.objects.filter(pk=obj.pk), reason=InterestTally.Reason.ERASED
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit(request, AuditEntry.Action.ERASE, obj=obj)
        privacy_services.interests_delete(
            interests=queryset.model.objects.filter(pk__in=queryset.values("pk")),
            reason=InterestTally.Reason.ERASED,
        )
