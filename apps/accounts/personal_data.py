"""What the platform itself holds about a person (RGPD): the account, its roles, its
verifications, and Django's and core's own tables. Declared in the accounts manifest like
any module's, so the completeness test and the deletion read one list from the registry.

The account section itself, acts done in a role and the audit entries are built by
:mod:`apps.accounts.rgpd.export` from every manifest's holdings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import AUDIT, KEPT_ROLE_ACT, STAFF, Fate, Holding
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
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
    # --- Django's own tables
    Holding("admin.LogEntry", ("user",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
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
)


def _roles(user: User) -> Rows:
    from apps.core.models import RoleAssignment

    queryset = RoleAssignment.objects.filter(user=user).select_related("territory", "process", "service")
    return [
        {
            "role": r.role,
            "role_label": str(r.get_role_display()),
            "territory": r.territory.name if r.territory else None,
            "process": r.process.title if r.process else None,
            "service": r.service.name if r.service else None,
        }
        for r in queryset.order_by("pk")
    ]


def export(user: User) -> dict[str, Rows]:
    return {"role_assignments": _roles(user)}


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    labels={
        "role_assignments": _("Rôles (agent·e, élu·e, modération, administration)"),
        "verifications": _("Vérifications de votre compte"),
        "census_matches": _("Rapprochements avec la liste de la Ville (preuve de résidence)"),
        STAFF: _("Actes faits dans un rôle (réponses, notes, saisies…)"),
        AUDIT: _("Entrées du journal d'audit vous concernant"),
    },
)
