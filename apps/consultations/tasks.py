"""Background work (huey): recomputing a conversation's opinion map after votes, computing a synthesis,
adding up a questionnaire's answers after new ones."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from apps.consultations.mapping import store_map


@db_task()
def recompute_map(conversation_id: int) -> None:
    store_map(conversation_id)


@db_task()
def compute_synthesis(synthesis_id: int) -> None:
    from apps.consultations.synthesis.services import synthesis_compute

    synthesis_compute(synthesis_id)


@db_task()
def refresh_questionnaire_results(questionnaire_id: int) -> None:
    from apps.consultations.questionnaires.snapshots import refresh

    refresh(questionnaire_id)
