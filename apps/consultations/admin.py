"""The Django admin of conversations, for superusers. Moderators and agents use the back office's
queue (``/gestion/consultations/moderation/``); here too, the status « Masquée » requires a public
reason (a DB constraint), shown on the conversation page."""

from __future__ import annotations

from django.contrib import admin

from apps.consultations.models import Conversation, Statement


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin[Conversation]):
    list_display = ["question", "process", "moderation"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin[Statement]):
    list_display = ["text", "conversation", "status", "created_at"]
    list_filter = ["status"]
    fields = ["conversation", "text", "status", "moderation_reason"]
    readonly_fields = ["conversation", "text"]
