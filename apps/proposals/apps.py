from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    label = "proposals"
    verbose_name = _("Propositions")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.followup.models import Commitment
        from apps.proposals import answering, manifest  # noqa: F401  (register the module and its answers)

        # The proposal page caches the link to its commitment: any write of a commitment (the
        # follow-up's services, the admin) shows on the page at once.
        post_save.connect(_commitment_changed, sender=Commitment, dispatch_uid="proposals.commitment.save")
        post_delete.connect(_commitment_changed, sender=Commitment, dispatch_uid="proposals.commitment.delete")


def _commitment_changed(instance: Any, **_kwargs: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    from apps.proposals import fragments
    from apps.proposals.models import Proposal

    if instance.source_id is not None and instance.source_type_id == ContentType.objects.get_for_model(Proposal).pk:
        fragments.bump_comments(instance.source_id)
