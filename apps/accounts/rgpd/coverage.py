"""Where Archipel holds personal data, and what the export and the deletion do with it.

One line per model: the personal fields (links to the account included), the section of the
data export where they appear, and their fate when the account is deleted. The export
(:mod:`apps.accounts.rgpd.export`) and the deletion (:mod:`apps.accounts.rgpd.erase`) follow this
table, and ``tests/accounts/test_rgpd_coverage.py`` walks every model of every app: a model
that links to the account or has a field named like personal data (``PERSONAL_FIELD_NAMES``)
and is missing here fails the test, so a new module cannot forget the RGPD.

``docs/`` quotes the ``why`` of what is kept: keep them exact.
"""

from __future__ import annotations

from apps.core.personal_data import AUDIT, STAFF, Fate, Holding
from apps.core.registry import all_holdings

__all__ = ["AUDIT", "HOLDINGS", "STAFF", "Fate", "Holding"]


# Field names (or parts of names) that hold personal data whatever the model: the coverage test
# asks every model having one of them to be declared below, even without a link to the account.
PERSONAL_FIELD_NAMES = frozenset(
    {
        "first_name",
        "last_name",
        "display_name",
        "full_name",
        "public_name",
        "author_label",
        "actor_label",
        "paper_author_name",
        "paper_identity",
        "personal",
        "signed_by",
        "reason",
        "gender",
        "age_band",
        "object_repr",
        "session_data",
        "user_agent",
    }
)
PERSONAL_NAME_PARTS = ("email", "phone", "birth", "address", "ip_addr", "contact", "postal")

KEPT_CONTRIBUTION = "Contribution to a public debate: it stays, shown as from « Participant·e supprimé·e »."
KEPT_ROLE_ACT = (
    "Act done in a role (agent, élu·e, moderator, administrator): the city must be able to show who "
    "acted; the account row is emptied, so the act is tied to a numbered deleted account only."
)

HOLDINGS: tuple[Holding, ...] = (
    # --- accounts
    Holding(
        "accounts.User",
        (
            "email",
            "username",
            "first_name",
            "last_name",
            "display_name",
            "home_territory",
            "birth_date",
            "verification",
            "demographics_consent",
            "age_band",
            "gender",
            "email_frequency",
            "last_login",
        ),
        "account",
        Fate.ERASED,
        "The row stays (contributions point to it) with a random unroutable address, no password, "
        "no name, no birth date, no demographics; date_joined stays.",
    ),
    # --- Django's own tables
    Holding(
        "admin.LogEntry",
        ("user",),
        STAFF,
        Fate.ACCOUNT,
        KEPT_ROLE_ACT,
    ),
    Holding(
        "admin.LogEntry",
        ("object_repr",),
        None,
        Fate.ERASED,
        "Entries about the account itself (not exported: they hold the admin's view of the account, "
        "whose fields are in the account section); their object_repr is replaced by the label.",
    ),
    Holding("sessions.Session", ("session_data",), None, Fate.DELETED, "A session is not data the person gave."),
    # --- core
    Holding("core.RoleAssignment", ("user",), "role_assignments", Fate.DELETED, "A deleted account holds no power."),
    Holding(
        "core.AuditLogEntry",
        ("actor", "actor_label", "target_label"),
        AUDIT,
        Fate.ERASED,
        "Legal retention of the trail of acts: entries stay; actor_label becomes « Participant·e supprimé·e "
        "n° <id> » (pseudonymised: the link to the emptied account row stays), and the person's names in "
        "the target_label of entries about them are replaced by the label.",
    ),
    Holding(
        "core.Service",
        ("email",),
        None,
        Fate.KEPT,
        "A city service's shared mailbox, not a person's.",
    ),
    # --- proposals
    Holding("proposals.Proposal", ("author",), "proposals", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding(
        "proposals.Proposal",
        ("address",),
        "proposals",
        Fate.KEPT,
        "The place a proposal is about (part of the public contribution), not the author's home.",
    ),
    Holding("proposals.Proposal", ("entered_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "proposals.Proposal",
        ("paper_author_name",),
        None,
        Fate.KEPT,
        "Name a paper contributor (who has no account) gave with the contribution: not any account's data.",
    ),
    Holding("proposals.Support", ("user",), "supports", Fate.ACCOUNT, "Counted support, tied to no name any more."),
    Holding("proposals.Comment", ("author",), "comments", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding("proposals.Comment", ("hidden_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "proposals.Comment",
        ("hidden_reason",),
        None,
        Fate.KEPT,
        "A moderator's public reason for hiding a comment, about the comment, not a person.",
    ),
    Holding(
        "proposals.CommentReport",
        ("reporter", "reason"),
        "reports",
        Fate.ERASED,
        "The report stays counted for moderation, tied to nobody, its reason replaced by « Motif effacé ».",
    ),
    Holding("proposals.InternalNote", ("author",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    # --- follow-up and notifications
    Holding("followup.CommitmentUpdate", ("author",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("notifications.Follow", ("user",), "follows", Fate.DELETED),
    Holding("notifications.Notification", ("user", "emailed_at"), "notifications", Fate.DELETED),
    # --- budgets
    Holding("budgets.Project", ("author", "coauthors"), "budget_projects", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding(
        "budgets.Project",
        ("address",),
        "budget_projects",
        Fate.KEPT,
        "The place a project is about (part of the public contribution).",
    ),
    Holding("budgets.ProjectInvitation", ("user",), "budget_invitations", Fate.DELETED),
    Holding("budgets.ProjectInvitation", ("invited_by",), "budget_invitations", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding("budgets.ProjectComment", ("author",), "budget_comments", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding(
        "budgets.VoterRecord",
        ("user",),
        "budget_votes",
        Fate.UNLINKED,
        "Turnout stays exact: the record is tied to a random identity instead of the account. The export "
        "says in which envelopes the person voted, never how (ballots hold no link to anyone).",
    ),
    Holding(
        "budgets.VoterRecord",
        ("paper_identity",),
        None,
        Fate.KEPT,
        "A keyed digest of a paper voter's identity (no account), or the random identity left by a deletion.",
    ),
    Holding("budgets.PaperSheet", ("first_by", "second_by"), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    # --- sortition
    Holding("sortition.Draw", ("created_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "sortition.PoolMember",
        ("user", "personal"),
        "sortition_pools",
        Fate.ERASED,
        "Link and contact data (name, email, phone) go; the pseudonym, the stratification answers and the "
        "status stay: they are the public pseudonymised record that lets anyone verify the draw.",
    ),
    Holding("sortition.DrawAttempt", ("actor",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("sortition.VolunteerApplication", ("user", "phone"), "volunteer_applications", Fate.DELETED),
    # --- workshops
    Holding("workshops.Workshop", ("answerer", "created_by"), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("workshops.MandateRevision", ("author",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "workshops.PanelMember",
        ("user", "full_name", "public_name"),
        "panel_memberships",
        Fate.ERASED,
        "The seat, its status, attendance and votes stay (the panel's composition and the opinion's vote are "
        "public records), tied to nobody and shown as « Participant·e supprimé·e ».",
    ),
    Holding(
        "workshops.RecommendationRevision",
        ("author", "author_label"),
        "recommendation_revisions",
        Fate.ERASED,
        KEPT_CONTRIBUTION + " The revision's author label is replaced.",
    ),
    # --- councils
    Holding("councils.Renewal", ("actor",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "councils.Membership",
        ("user", "full_name", "public_name"),
        "council_memberships",
        Fate.ERASED,
        "The seat, its term and attendance stay (the council's composition is a public record), tied to "
        "nobody and shown as « Participant·e supprimé·e ».",
    ),
    # --- accounts (h4)
    Holding(
        "accounts.User",
        ("birth_date_locked_at",),
        "account",
        Fate.ERASED,
        "Erased with the birth date.",
    ),
    Holding("accounts.VerificationRecord", ("user",), "verifications", Fate.DELETED),
    Holding("accounts.VerificationRecord", ("verified_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("accounts.CensusImport", ("imported_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "accounts.CensusEntry",
        ("claimed_by",),
        "census_matches",
        Fate.UNLINKED,
        "The keyed digest belongs to the city's list and goes at its purge date; only the claim by the account goes.",
    ),
    # --- proposals (h7)
    Holding(
        "proposals.PaperContact",
        ("email", "postal_address"),
        None,
        Fate.KEPT,
        "Contact a paper contributor (who has no account) gave: not any account's data; deleted once the "
        "answer is sent, or after PAPER_CONTACT_RETENTION_DAYS.",
    ),
)

# Apps that declare their holdings in their manifest (``PersonalData.holdings``) instead of above.
HOLDINGS += tuple(all_holdings())


def holdings_with_export(section: str) -> list[Holding]:
    return [holding for holding in HOLDINGS if holding.export == section]


def account_links(holding: Holding) -> list[str]:
    """The fields of ``holding`` that link to the account (foreign keys, many-to-many)."""
    from django.apps import apps
    from django.conf import settings

    model = apps.get_model(holding.model)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [name for name in holding.fields if model._meta.get_field(name).related_model is user_model]
