from django.contrib import admin

from events.models import EvaluationQuestion, Event


@admin.register(EvaluationQuestion)
class EvaluationQuestionAdmin(admin.ModelAdmin):
    """National staff set the evaluation questions per event kind here."""

    list_display = ["text", "kind", "order", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "contact_point", "district_office"]
    list_filter = ["kind", "status", "format"]
    search_fields = ["title"]
    readonly_fields = ["slug", "uid", "sequence", "starts_at", "ends_at"]
