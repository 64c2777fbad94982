from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    label = "proposals"
    verbose_name = _("Propositions")

    def ready(self) -> None:
        from apps.followup.signals import commitment_changed
        from apps.proposals import answering, manifest  # noqa: F401  (register the module and its answers)
        from apps.proposals.models import Proposal

        # The proposal page caches the link to its commitment: the follow-up announces any
        # change of a proposal's commitment, which then shows on the page at once.
        commitment_changed.connect(_commitment_changed, sender=Proposal, dispatch_uid="proposals.commitment_changed")


def _commitment_changed(source_id: int, **_kwargs: Any) -> None:
    from apps.proposals import fragments

    fragments.bump_comments(source_id)
