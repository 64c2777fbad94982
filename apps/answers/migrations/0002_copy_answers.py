"""Copy the two kinds of reasoned answers into ``answers.Answer``, with nothing lost.

- ``proposals.Answer`` (published) keep their primary keys: paper contacts' ``sent_answer``
  and the ``answer_id`` of audit entries stay right;
- ``proposals.AnswerDraft`` (pending) and ``workshops.RecommendationAnswer`` get new keys after
  them; the links of recommendation answers to their commitments follow them;
- ``proposals.SignatureDelegation`` keep their primary keys.

Audit entries are append-only (a trigger refuses updates): they keep naming
``proposals.signaturedelegation`` by the same key, which is the same delegation.
"""

from django.core.management.color import no_style
from django.db import migrations

from apps.core.richtext import render_rich_text


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def copy(apps, schema_editor):
    Answer = apps.get_model("answers", "Answer")
    Delegation = apps.get_model("answers", "SignatureDelegation")
    OldAnswer = apps.get_model("proposals", "Answer")
    OldDraft = apps.get_model("proposals", "AnswerDraft")
    OldDelegation = apps.get_model("proposals", "SignatureDelegation")
    RecommendationAnswer = apps.get_model("workshops", "RecommendationAnswer")
    AnswerCommitment = apps.get_model("workshops", "AnswerCommitment")

    proposal_type = _content_type(apps, "proposals", "proposal")
    recommendation_type = _content_type(apps, "workshops", "recommendation")

    rows = []
    for old in OldAnswer.objects.select_related("proposal").order_by("pk").iterator():
        rows.append(
            Answer(
                pk=old.pk,
                source_type=proposal_type,
                source_id=old.proposal_id,
                process_id=old.proposal.process_id,
                status=old.status,
                body=old.body,
                body_html=old.body_html or render_rich_text(old.body),
                state="published",
                author_id=old.author_id,
                signer_id=old.signer_id,
                signed_by=old.signed_by,
                signed_at=old.created_at,
                created_at=old.created_at,
                updated_at=old.created_at,
            )
        )
    next_pk = max([row.pk for row in rows], default=0) + 1
    for old in OldDraft.objects.select_related("proposal").order_by("pk").iterator():
        rows.append(
            Answer(
                pk=next_pk,
                source_type=proposal_type,
                source_id=old.proposal_id,
                process_id=old.proposal.process_id,
                status=old.status,
                body=old.body,
                body_html=render_rich_text(old.body),
                state=old.state,
                author_id=old.author_id,
                created_at=old.updated_at,
                updated_at=old.updated_at,
            )
        )
        next_pk += 1
    new_pk_of = {}
    olds = RecommendationAnswer.objects.select_related(
        "recommendation__opinion__workshop", "signed_by"
    ).order_by("pk")
    for old in olds.iterator():
        signer = old.signed_by
        name = f"{signer.first_name} {signer.last_name}".strip() or signer.display_name
        new_pk_of[old.pk] = next_pk
        rows.append(
            Answer(
                pk=next_pk,
                source_type=recommendation_type,
                source_id=old.recommendation_id,
                process_id=old.recommendation.opinion.workshop.process_id,
                status=old.status,
                body=old.reasons,
                body_html=render_rich_text(old.reasons),
                state="published",
                author_id=old.author_id,
                signer_id=old.signed_by_id,
                signed_by=name,
                signed_at=old.updated_at,
                created_at=old.created_at,
                updated_at=old.updated_at,
            )
        )
        next_pk += 1
    Answer.objects.bulk_create(rows, batch_size=500)
    for link in AnswerCommitment.objects.order_by("pk").iterator():
        AnswerCommitment.objects.filter(pk=link.pk).update(new_answer_id=new_pk_of[link.answer_id])

    Delegation.objects.bulk_create(
        [
            Delegation(
                pk=old.pk,
                user_id=old.user_id,
                title=old.title,
                territory_id=old.territory_id,
                process_id=old.process_id,
                granted_by_id=old.granted_by_id,
                created_at=old.created_at,
                revoked_at=old.revoked_at,
            )
            for old in OldDelegation.objects.order_by("pk").iterator()
        ],
        batch_size=500,
    )
    # Rows were inserted with explicit keys: move the sequences past them.
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Answer, Delegation]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0001_initial"),
        ("proposals", "0006_upload_random_names"),
        ("workshops", "0004_answer_commitment_new_answer"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop, elidable=False)]
