from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditLogEntry, Phase, Process, RoleAssignment, Service, Territory, Theme


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin[Territory]):
    list_display = ["name", "kind", "parent", "is_priority_area", "population"]
    prepopulated_fields = {"slug": ["name"]}


class PhaseInline(admin.TabularInline[Phase, Process]):
    model = Phase
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin[Process]):
    list_display = ["title", "territory", "participation_level", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PhaseInline]


admin.site.register(Theme)
admin.site.register(Service)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Shown, never written: the writes go through services that keep the audit trail."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    """Roles are granted and revoked on the back-office roles page only: its services check
    the granter's own scope and write the audit entry, which the admin would skip."""

    list_display = ["user", "role", "territory", "process", "where_to_change"]
    list_filter = ["role"]

    @admin.display(description=_("modifier"))
    def where_to_change(self, obj: RoleAssignment) -> str:
        return format_html('<a href="{}">{}</a>', reverse("backoffice:roles"), _("Page des rôles de la gestion"))

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        extra_context = {
            **(extra_context or {}),
            "title": _("Rôles (lecture seule : accordez et retirez-les dans la gestion, page « Rôles »)"),
        }
        return super().changelist_view(request, extra_context)


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdmin):
    """Append-only: nobody adds an entry by hand (in someone else's name), changes or deletes one."""

    list_display = ["created_at", "actor_label", "action", "target_label"]
    list_filter = ["action"]
