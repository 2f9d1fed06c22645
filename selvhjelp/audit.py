"""The audit log: who looked at, exported, changed or erased personal data."""

from __future__ import annotations

from selvhjelp.models import AuditEntry


def audit_log(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: object = "",
    contact_point_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one append-only row. `detail` must never hold personal data (ids and counts only)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        contact_point_id=contact_point_id,
        detail=detail[:250],
    )


class AuditedAdminMixin:
    """For a ModelAdmin of personal data: every list, view, change, action and deletion in the
    Django admin writes an audit row, like the staff pages (ids and counts only)."""

    def audit_contact_point_id(self, obj) -> int | None:
        return getattr(obj, "contact_point_id", None)

    def _audit(self, request, action: str, *, obj=None, detail: str = "") -> None:
        audit_log(
            actor=request.user,
            action=action,
            object_type=self.model._meta.model_name,
            object_id=obj.pk if obj is not None else "",
            contact_point_id=self.audit_contact_point_id(obj) if obj is not None else None,
            detail=f"admin {detail}".strip(),
        )

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("action"):
            # An admin action (export, resend, ...) over the selected rows.
            selected = len(request.POST.getlist("_selected_action"))
            self._audit(
                request,
                AuditEntry.Action.UPDATE,
                detail=f"action={request.POST['action'][:40]} selected={selected}",
            )
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            self._audit(request, AuditEntry.Action.LIST, detail=f"rows={changelist.result_count}")
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if object_id and request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                self._audit(request, AuditEntry.Action.VIEW, obj=obj)
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        fields = ",".join(form.changed_data)[:150] if form is not None else ""
        self._audit(request, action, obj=obj, detail=f"fields={fields}")

    def delete_model(self, request, obj):
        self._audit(request, AuditEntry.Action.ERASE, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit(request, AuditEntry.Action.ERASE, obj=obj)
        super().delete_queryset(request, queryset)
