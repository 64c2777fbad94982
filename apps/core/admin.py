from __future__ import annotations

from django.contrib import admin

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
admin.site.register(RoleAssignment)


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin[AuditLogEntry]):
    list_display = ["created_at", "actor_label", "action", "target_label"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
