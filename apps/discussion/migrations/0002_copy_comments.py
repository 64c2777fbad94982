"""Copies both former comment models into ``discussion``, losing nothing.

- ``proposals.Comment`` keeps its primary keys (links in notifications and emails,
  ``#commentaire-<pk>``, stay valid), its threads, stances and public hiding reasons;
  ``proposals.CommentReport`` keeps its rows and keys.
- ``budgets.ProjectComment`` gets keys after the proposals' ones (old key + the highest
  proposal comment key), no stance; a hidden one gets who hid it and when from the audit log.
- What pointed to an old comment follows it: audit log entries (their target; the log is
  append-only, so its trigger is suspended for this one statement, as the table owner) and
  commitments whose source was a comment.

Written in SQL: one statement per table whatever the number of rows, and ``created_at``
copied as is (``auto_now_add`` would overwrite it through the ORM)."""

from __future__ import annotations

from django.db import migrations

COPY_PROPOSAL_COMMENTS = """
INSERT INTO discussion_comment
    (id, target_type_id, target_id, process_id, author_id, parent_id, root_id, body, stance,
     is_hidden, hidden_reason, hidden_by_id, hidden_at, created_at)
SELECT c.id, %(proposal_type)s, c.proposal_id, p.process_id, c.author_id, c.parent_id, c.root_id,
       c.body, c.stance, c.is_hidden, c.hidden_reason, c.hidden_by_id,
       CASE WHEN c.is_hidden THEN (
           SELECT max(a.created_at) FROM core_auditlogentry a
           WHERE a.action = 'comment.hide' AND a.target_type = 'proposals.comment' AND a.target_id = CAST(c.id AS TEXT)
       ) END,
       c.created_at
FROM proposals_comment c JOIN proposals_proposal p ON p.id = c.proposal_id
"""

COPY_REPORTS = """
INSERT INTO discussion_report (id, comment_id, reporter_id, reason, created_at, resolved_at)
SELECT id, comment_id, reporter_id, reason, created_at, resolved_at FROM proposals_commentreport
"""

COPY_PROJECT_COMMENTS = """
INSERT INTO discussion_comment
    (id, target_type_id, target_id, process_id, author_id, parent_id, root_id, body, stance,
     is_hidden, hidden_reason, hidden_by_id, hidden_at, created_at)
SELECT pc.id + %(offset)s, %(project_type)s, pc.project_id, b.process_id, pc.author_id, NULL, NULL,
       pc.body, '', pc.is_hidden, '',
       CASE WHEN pc.is_hidden THEN (
           SELECT a.actor_id FROM core_auditlogentry a
           WHERE a.action = 'budget_comment.hide' AND a.target_type = 'budgets.projectcomment'
             AND a.target_id = CAST(pc.id AS TEXT)
           ORDER BY a.created_at DESC, a.id DESC LIMIT 1
       ) END,
       CASE WHEN pc.is_hidden THEN (
           SELECT max(a.created_at) FROM core_auditlogentry a
           WHERE a.action = 'budget_comment.hide' AND a.target_type = 'budgets.projectcomment'
             AND a.target_id = CAST(pc.id AS TEXT)
       ) END,
       pc.created_at
FROM budgets_projectcomment pc
JOIN budgets_project pr ON pr.id = pc.project_id
JOIN budgets_budget b ON b.id = pr.budget_id
"""

RESET_SEQUENCES = """
SELECT setval(pg_get_serial_sequence('discussion_comment', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL)
FROM discussion_comment;
SELECT setval(pg_get_serial_sequence('discussion_report', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL)
FROM discussion_report
"""

# Audit targets are numeric texts here (the services write the pk); the trigger that keeps the
# log append-only exists on PostgreSQL only (core 0003), so it is suspended there only.
REPOINT_AUDIT = """
UPDATE core_auditlogentry SET target_type = 'discussion.comment' WHERE target_type = 'proposals.comment';
UPDATE core_auditlogentry SET target_type = 'discussion.comment',
       target_id = CAST(CAST(target_id AS BIGINT) + %(offset)s AS TEXT)
WHERE target_type = 'budgets.projectcomment' AND {numeric}
"""
NUMERIC = {"postgresql": "target_id ~ '^[0-9]+$'", "sqlite": "target_id <> '' AND target_id NOT GLOB '*[^0-9]*'"}
SUSPEND_AUDIT_TRIGGER = "ALTER TABLE core_auditlogentry DISABLE TRIGGER core_auditlogentry_append_only"
RESUME_AUDIT_TRIGGER = "ALTER TABLE core_auditlogentry ENABLE TRIGGER core_auditlogentry_append_only"

REPOINT_COMMITMENTS = """
UPDATE followup_commitment SET source_type_id = %(comment_type)s WHERE source_type_id = %(old_comment_type)s;
UPDATE followup_commitment SET source_type_id = %(comment_type)s, source_id = source_id + %(offset)s
WHERE source_type_id = %(old_project_comment_type)s;
"""


def _type(apps, app_label: str, model: str) -> int:  # type: ignore[no-untyped-def]
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.get_or_create(app_label=app_label, model=model)[0].pk


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Portable SQL: production runs PostgreSQL, the demo and first runs SQLite.
    postgresql = schema_editor.connection.vendor == "postgresql"
    old_comment = apps.get_model("proposals", "Comment")
    offset = old_comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    params = {
        "proposal_type": _type(apps, "proposals", "proposal"),
        "project_type": _type(apps, "budgets", "project"),
        "comment_type": _type(apps, "discussion", "comment"),
        "old_comment_type": _type(apps, "proposals", "comment"),
        "old_project_comment_type": _type(apps, "budgets", "projectcomment"),
        "offset": offset,
    }
    with schema_editor.connection.cursor() as cursor:
        for script in (COPY_PROPOSAL_COMMENTS, COPY_REPORTS, COPY_PROJECT_COMMENTS):
            cursor.execute(script, params)
        if postgresql:  # SQLite's AUTOINCREMENT follows the highest key inserted by itself
            _run(cursor, RESET_SEQUENCES, params)
            cursor.execute(SUSPEND_AUDIT_TRIGGER)
        _run(cursor, REPOINT_AUDIT.format(numeric=NUMERIC[schema_editor.connection.vendor]), params)
        if postgresql:
            cursor.execute(RESUME_AUDIT_TRIGGER)
        _run(cursor, REPOINT_COMMITMENTS, params)


COPY_BACK_PROPOSAL_COMMENTS = """
INSERT INTO proposals_comment
    (id, proposal_id, author_id, parent_id, root_id, body, stance, is_hidden, hidden_reason, hidden_by_id, created_at)
SELECT id, target_id, author_id, parent_id, root_id, body, coalesce(nullif(stance, ''), 'neutral'),
       is_hidden, hidden_reason, hidden_by_id, created_at
FROM discussion_comment WHERE target_type_id = %(proposal_type)s
"""

COPY_BACK_REPORTS = """
INSERT INTO proposals_commentreport (id, comment_id, reporter_id, reason, created_at, resolved_at)
SELECT r.id, r.comment_id, r.reporter_id, r.reason, r.created_at, r.resolved_at
FROM discussion_report r JOIN discussion_comment c ON c.id = r.comment_id
WHERE c.target_type_id = %(proposal_type)s
"""

RESET_OLD_SEQUENCES = """
SELECT setval(pg_get_serial_sequence('proposals_comment', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL)
FROM proposals_comment;
SELECT setval(pg_get_serial_sequence('proposals_commentreport', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL)
FROM proposals_commentreport;
SELECT setval(pg_get_serial_sequence('budgets_projectcomment', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL)
FROM budgets_projectcomment
"""

REPOINT_AUDIT_BACK = """
ALTER TABLE core_auditlogentry DISABLE TRIGGER core_auditlogentry_append_only;
UPDATE core_auditlogentry a SET target_type = 'proposals.comment'
FROM discussion_comment c
WHERE a.target_type = 'discussion.comment' AND a.target_id = c.id::text AND c.target_type_id = %(proposal_type)s;
UPDATE core_auditlogentry a SET target_type = 'budgets.projectcomment'
FROM discussion_comment c
WHERE a.target_type = 'discussion.comment' AND a.target_id = c.id::text AND c.target_type_id = %(project_type)s;
ALTER TABLE core_auditlogentry ENABLE TRIGGER core_auditlogentry_append_only
"""

REPOINT_COMMITMENTS_BACK = """
UPDATE followup_commitment f SET source_type_id = CASE c.target_type_id
    WHEN %(proposal_type)s THEN %(old_comment_type)s ELSE %(old_project_comment_type)s END
FROM discussion_comment c
WHERE f.source_type_id = %(comment_type)s AND f.source_id = c.id
"""


def _run(cursor, script: str, params: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    for statement in filter(None, (part.strip() for part in script.split(";"))):
        cursor.execute(statement, params if "%(" in statement else None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back to the two former models (their tables are recreated, empty, by the migrations
    that deleted them): proposal comments and their reports as they were; project comments
    keep their discussion keys, flattened (the former model had no threads), and lose their
    reports (it had none). The discussion rows are then removed, so going forward again
    copies them once."""
    from apps.core.richtext import render_rich_text

    if schema_editor.connection.vendor != "postgresql":
        raise RuntimeError("this migration needs PostgreSQL")
    params = {
        "proposal_type": _type(apps, "proposals", "proposal"),
        "project_type": _type(apps, "budgets", "project"),
        "comment_type": _type(apps, "discussion", "comment"),
        "old_comment_type": _type(apps, "proposals", "comment"),
        "old_project_comment_type": _type(apps, "budgets", "projectcomment"),
    }
    comment = apps.get_model("discussion", "Comment")
    with schema_editor.connection.cursor() as cursor:
        _run(cursor, COPY_BACK_PROPOSAL_COMMENTS, params)
        _run(cursor, COPY_BACK_REPORTS, params)
        rows = comment.objects.filter(target_type_id=params["project_type"]).order_by("pk")
        for row in rows.iterator(chunk_size=500):
            cursor.execute(
                "INSERT INTO budgets_projectcomment (id, project_id, author_id, body, body_html, is_hidden, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    row.pk,
                    row.target_id,
                    row.author_id,
                    row.body,
                    render_rich_text(row.body),
                    row.is_hidden,
                    row.created_at,
                ],
            )
        _run(cursor, RESET_OLD_SEQUENCES, params)
        _run(cursor, REPOINT_AUDIT_BACK, params)
        _run(cursor, REPOINT_COMMITMENTS_BACK, params)
        cursor.execute("DELETE FROM discussion_report")
        cursor.execute("DELETE FROM discussion_comment")


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
        ("proposals", "0006_upload_random_names"),
        ("budgets", "0005_ballot_secrecy_constraints"),
        ("followup", "0002_upload_random_names"),
        ("core", "0004_audit_log_rgpd_erasure"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
