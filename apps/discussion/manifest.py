"""Discussion is a shared primitive, not a module: no phase, no action of its own. It declares
the moderation queue (under ``/gestion/moderation/``), the reported comments column of the
back-office dashboard, the audit entries of moderation and the personal data it holds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.registry import ModuleManifest, PersonalData, register
from apps.discussion import personal_data, selectors

MANIFEST = register(
    ModuleManifest(
        name="discussion",
        verbose_name=_("Discussion"),
        actions=frozenset(),
        phases=(),
        backoffice_urls="apps.discussion.backoffice_urls",
        backoffice_prefix="moderation/",
        dashboard_counts=selectors.dashboard_counts,
        audit_targets=selectors.audit_targets,
        todo=selectors.moderation_todo,
        personal_data=PersonalData(
            holdings=personal_data.HOLDINGS,
            export=personal_data.export_for,
            anonymise=personal_data.anonymise_for,
            labels=personal_data.LABELS,
        ),
    )
)
