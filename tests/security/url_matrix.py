"""The declarative permission matrix: every URL name of the platform, how to build it from
the fixture world (:mod:`tests.security.world`), and what each persona must get.

A route that exists but is not listed here makes ``test_every_url_is_in_the_matrix`` fail,
so no new route escapes review (Decidim's CVEs came from side routes nobody listed).

Expectations:

- ``ok``: 200
- ``login``: a redirect to the sign-in page (anonymous visitors)
- ``denied``: 403 or 404 (404 is fine where even the existence of the object is private)
- ``redirect``: a 302/303 (a successful form or action), never to another site
- ``done``: 200 or a 302/303 (an action that may answer with a page or a redirect)
- ``method``: 405 (a POST-only endpoint asked with GET)
- ``gone``: 404
- ``allowed``: past the permission check: 200, 400 (form errors) or a 302/303 not to sign-in
- ``invalid``: 400 (the request was refused for its content, not for who sent it)
- ``hidden``: sign-in, 403 or 404 (an anonymous visitor at a private object: hiding it is fine)
- ``preview``: 200, 403 or 404 (staff may or may not preview an unpublished object)

``get=None`` means the route is POST-only: a GET must answer 405 (or send anonymous
visitors to the sign-in page) and must not change any data.
"""

from __future__ import annotations

from typing import Any

from tests.security.matrix_base import (  # noqa: F401  (re-exported for the tests)
    AGENT_ONLY,
    BACKOFFICE_ALL_STAFF,
    BACKOFFICE_HOME,
    ELSEWHERE,
    GUEST,
    INSTRUCTION,
    MODERATION,
    PERSONAS,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    STAFF_OF_QUARTIER,
    STAFF_OF_QUARTIER_BO,
    TEMPLATES,
    Data,
    Expect,
    Kwargs,
    Route,
    _none,
    per,
    pk,
    process_slug,
    slug,
)
from tests.security.modules import module_routes
from tests.security.world import World


def pending_answer(world: World) -> dict[str, Any]:
    """A draft answer submitted for signature on ``world.proposal`` (built on first use)."""
    from apps.answers.selectors import pending_answer as pending_of
    from tests.factories import make_answer

    if pending_of(world.proposal) is None:
        make_answer(
            proposal=world.proposal,
            status="not_retained",
            state="submitted",
            author=world.people["agent"],
            body="Le trottoir est trop étroit pour des bancs ; nous étudions la place voisine.",
        )
    return {"pk": world.proposal.pk}


def _pending_pk(world: World) -> int:
    from apps.answers.selectors import pending_answer as pending_of

    pending = pending_of(world.proposal)
    assert pending is not None
    return pending.pk


def process_with_pending_answer(world: World) -> dict[str, Any]:
    pending_answer(world)
    return {"pk": world.process.pk}


def paper_letter(world: World) -> dict[str, Any]:
    """An answered paper contribution whose author left a postal address (built on first use)."""
    from apps.proposals.models import PaperContact, Proposal
    from tests.factories import make_answer

    proposal, created = Proposal.objects.get_or_create(
        process=world.process,
        title="Un banc devant la poste",
        defaults={"body": "Pour les personnes âgées.", "is_paper": True, "paper_author_name": "Mme G."},
    )
    if created:
        PaperContact.objects.create(proposal=proposal, postal_address="2 rue des Lilas\n44000 Nantes")
        make_answer(proposal=proposal, status="under_study", body="Nous étudions votre idée en détail.")
    return {"pk": proposal.pk}


def signature_delegation(world: World) -> dict[str, Any]:
    """A délégation de signature to the quartier's agent (built on first use)."""
    from apps.answers.models import SignatureDelegation

    delegation, _created = SignatureDelegation.objects.get_or_create(
        user=world.people["agent"], territory=world.quartier, defaults={"title": "chargée de mission"}
    )
    return {"pk": delegation.pk}


def proposal_data(world: World) -> dict[str, Any]:
    return {
        "title": "Un abri vélo sécurisé devant la médiathèque",
        "body": "Un abri couvert pour une vingtaine de vélos.",
        "theme": world.theme.pk,
        "territory": world.quartier.pk,
        "address": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }


ROUTES: list[Route] = [
    # ---- pages (public site) -------------------------------------------------------------
    Route("pages:home", PUBLIC),
    Route("pages:process_list", PUBLIC, query="?etat=open"),
    Route("pages:process", PUBLIC, slug("process")),
    Route("pages:process", STAFF_OF_QUARTIER, slug("draft_process"), case="draft"),
    Route("pages:territory", PUBLIC, slug("quartier")),
    Route("pages:address_suggestions", PUBLIC, query="?q=jules"),
    Route("pages:address_suggestions", per("invalid"), query="?q=" + "r" * 101, case="too-long"),
    Route("pages:accessibility", PUBLIC),
    Route("pages:legal", PUBLIC),
    Route("pages:privacy", PUBLIC),
    Route("pages:terms", PUBLIC),
    Route("pages:cookies", PUBLIC),
    Route("pages:theme_css", PUBLIC),
    Route("pages:language", per("redirect"), lambda w: {"code": "en"}, query="?next=/demarches/"),
    Route("pages:language", per("gone"), lambda w: {"code": "xx"}, case="unknown-language"),
    Route("pages:media", PUBLIC, lambda w: {"path": w.image.image.name}),
    Route(
        "pages:media",
        per("denied", agent="preview", elu="preview", moderator="preview"),
        lambda w: {"path": w.draft_image.image.name},
        case="draft",
    ),
    Route("pages:media", per("gone"), lambda w: {"path": "proposals/absent.png"}, case="absent"),
    # ---- proposals ------------------------------------------------------------------------
    Route("proposals:list", PUBLIC, process_slug("process"), query="?tri=soutiens"),
    Route("proposals:list", STAFF_OF_QUARTIER, process_slug("draft_process"), case="draft"),
    Route("proposals:map", PUBLIC, process_slug("process")),
    Route("proposals:map", STAFF_OF_QUARTIER, process_slug("draft_process"), case="draft"),
    Route("proposals:similar", PUBLIC, process_slug("process"), query="?titre=bancs"),
    Route("proposals:similar", STAFF_OF_QUARTIER, process_slug("draft_process"), query="?titre=x", case="draft"),
    Route(
        "proposals:create",
        SIGNED_IN,
        process_slug("process"),
        post=per("redirect", anonymous="login"),
        data=proposal_data,
    ),
    Route(
        "proposals:create",
        per("denied", anonymous="hidden"),
        process_slug("draft_process"),
        post=per("denied", anonymous="hidden"),
        data=proposal_data,
        case="draft",
    ),
    Route("proposals:detail", PUBLIC, pk("proposal")),
    Route("proposals:detail", STAFF_OF_QUARTIER, pk("draft_proposal"), case="draft"),
    Route("proposals:detail", PUBLIC, pk("answered"), query="?page=1", case="answered"),
    Route(
        "proposals:edit",
        per("denied", anonymous="login", resident="ok"),
        pk("proposal"),
        post=per("denied", anonymous="login", resident="redirect"),
        data=proposal_data,
    ),
    Route(
        "proposals:withdraw",
        per("denied", anonymous="login", resident="ok"),
        pk("proposal"),
        post=per("denied", anonymous="login", resident="redirect"),
    ),
    Route("proposals:support", None, pk("proposal"), post=per("redirect", anonymous="login")),
    Route(
        "proposals:support",
        None,
        pk("draft_proposal"),
        post=per("denied", anonymous="hidden"),
        case="draft",
    ),
    Route("proposals:unsupport", None, pk("answered"), post=per("redirect", anonymous="login")),
    Route(
        "proposals:comment",
        None,
        pk("proposal"),
        post=per("redirect", anonymous="login"),
        data=lambda w: {"body": "Je soutiens, et pourquoi pas des fontaines ?", "stance": "agree"},
    ),
    Route(
        "proposals:comment",
        None,
        pk("draft_proposal"),
        post=per("denied", anonymous="hidden"),
        data=lambda w: {"body": "Commentaire", "stance": "neutral"},
        case="draft",
    ),
    Route(
        "proposals:comment_report",
        per("ok", anonymous="login", other_resident="denied"),
        pk("comment"),
        post=per("redirect", anonymous="login", other_resident="denied"),
        data=lambda w: {"reason": "Propos hors sujet"},
    ),
    Route(
        "proposals:comment_hide",
        MODERATION,
        pk("comment"),
        post=per("denied", anonymous="login", moderator="redirect"),
        data=lambda w: {"reason": "Propos insultants", "hidden_reason": "Propos insultants"},
    ),
    Route(
        "proposals:comment_unhide",
        None,
        pk("hidden_comment"),
        post=per("denied", anonymous="login", moderator="redirect"),
    ),
    # ---- accounts ---------------------------------------------------------------------------
    Route("accounts:signup", GUEST),
    Route("accounts:login", GUEST),
    Route("accounts:logout", None, post=per("redirect")),
    Route("accounts:magic_login", per("ok"), post=per("invalid"), data=lambda w: {"sesame": "jeton-invalide"}),
    Route("accounts:magic_link", GUEST),
    Route("accounts:password_reset", GUEST),
    Route("accounts:password_reset_done", GUEST),
    Route(
        "accounts:password_reset_confirm",
        per("done"),
        lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    Route("accounts:password_reset_complete", per("done")),
    Route("accounts:dashboard", SIGNED_IN),
    Route("accounts:profile", SIGNED_IN),
    Route("accounts:export", SIGNED_IN, post=per("ok", anonymous="login")),
    Route("accounts:delete", SIGNED_IN),
    Route(
        "accounts:confirm_email",
        per("ok"),
        query="?jeton=x",
        post=per("invalid"),
        data=lambda w: {"jeton": "jeton-invalide"},
    ),
    Route("accounts:resend_confirmation", None, post=per("redirect", anonymous="login")),
    Route(
        "accounts:census_check",
        SIGNED_IN,
        post=per("invalid", anonymous="login"),
        data=lambda w: {
            "nom": "Inconnue",
            "prenom": "Awa",
            "birth_date": "04/05/1980",
            "address": "1 rue A",
            "postal_code": "44000",
        },
    ),
    # ---- notifications ------------------------------------------------------------------------
    Route("notifications:inbox", SIGNED_IN),
    Route(
        "notifications:mark_read",
        None,
        post=per("redirect", anonymous="login"),
        data=lambda w: {"id": w.notification.pk},
    ),
    Route(
        "notifications:follow",
        None,
        post=per("redirect", anonymous="login"),
        data=lambda w: {"kind": "proposal", "id": w.proposal.pk},
    ),
    Route(
        "notifications:follow",
        None,
        post=per("denied", anonymous="login", agent="redirect", elu="redirect", moderator="redirect"),
        data=lambda w: {"kind": "process", "id": w.draft_process.pk},
        case="draft",
    ),
    Route(
        "notifications:follow",
        None,
        post=per("gone", anonymous="login"),
        data=lambda w: {"kind": "user", "id": w.people["resident"].pk},
        case="not-allowlisted",
    ),
    Route(
        "notifications:unfollow",
        None,
        post=per("redirect", anonymous="login"),
        data=lambda w: {"kind": "process", "id": w.process.pk},
    ),
    # ---- follow-up (public) -------------------------------------------------------------------
    Route("followup:index", PUBLIC),
    Route("followup:process", PUBLIC, slug("process")),
    Route("followup:process", STAFF_OF_QUARTIER, slug("draft_process"), case="draft"),
    Route("followup:timeline", PUBLIC, slug("process")),
    Route("followup:timeline", STAFF_OF_QUARTIER, slug("draft_process"), case="draft"),
    Route("followup:commitment", PUBLIC, pk("commitment")),
    Route("followup:commitment", STAFF_OF_QUARTIER, pk("draft_commitment"), case="draft"),
    # ---- open data ------------------------------------------------------------------------------
    Route("opendata:index", PUBLIC),
    Route("opendata:export", PUBLIC, lambda w: {"name": "proposals", "fmt": "csv"}),
    Route("opendata:export", PUBLIC, lambda w: {"name": "comments", "fmt": "json"}, case="comments"),
    Route("opendata:export", per("gone"), lambda w: {"name": "users", "fmt": "csv"}, case="unknown"),
    Route(
        "opendata:process_export",
        PUBLIC,
        lambda w: {"slug": w.process.slug, "name": "answers", "fmt": "json"},
    ),
    Route(
        "opendata:process_export",
        per("gone"),
        lambda w: {"slug": w.draft_process.slug, "name": "proposals", "fmt": "csv"},
        case="draft",
    ),
    # ---- read-only API ----------------------------------------------------------------------------
    Route("api:api-root", PUBLIC),
    Route("api:schema", PUBLIC),
    Route("api:territory-list", PUBLIC),
    Route("api:territory-detail", PUBLIC, slug("quartier")),
    Route("api:process-list", PUBLIC),
    Route("api:process-detail", PUBLIC, slug("process")),
    Route("api:process-detail", per("gone"), slug("draft_process"), case="draft"),
    Route("api:proposal-list", PUBLIC, query="?process=place-du-marche"),
    Route("api:proposal-detail", PUBLIC, pk("answered")),
    Route("api:proposal-detail", per("gone"), pk("draft_proposal"), case="draft"),
    Route("api:commitment-list", PUBLIC),
    Route("api:commitment-detail", PUBLIC, pk("commitment")),
    Route("api:commitment-detail", per("gone"), pk("draft_commitment"), case="draft"),
    # ---- back office -----------------------------------------------------------------------------
    Route("backoffice:dashboard", BACKOFFICE_HOME),
    Route("backoffice:styleguide", BACKOFFICE_HOME),
    Route("backoffice:todo", BACKOFFICE_HOME),
    Route(
        "backoffice:search",
        per("invalid"),  # apps.core.params refuses a NUL byte for everyone, before any permission check
        query="?q=pl%00ace",
        case="nul",
    ),
    # Last of its name: the one the cross-site checks of test_csrf_and_redirects use.
    Route("backoffice:search", BACKOFFICE_HOME, query="?q=place"),
    Route(
        "backoffice:process_create",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="allowed", admin_elsewhere="allowed"),
    ),
    Route("backoffice:process_edit", AGENT_ONLY, pk("process"), post=per("denied", anonymous="login", agent="allowed")),
    Route("backoffice:process_edit", AGENT_ONLY, pk("draft_process"), case="draft"),
    Route("backoffice:process_edit", ELSEWHERE, pk("other_process"), case="elsewhere"),
    Route("proposals_admin:instruction", INSTRUCTION, pk("process"), query="?etat=received"),
    Route("proposals_admin:instruction", ELSEWHERE, pk("other_process"), case="elsewhere"),
    Route(
        "proposals_admin:instruction_bulk",
        None,
        pk("process"),
        post=per("denied", anonymous="login", agent="redirect", elu="allowed"),
        data=lambda w: {"action": "study", "proposals": [w.proposal.pk]},
    ),
    Route(
        "proposals_admin:paper_entry",
        AGENT_ONLY,
        pk("process"),
        post=per("denied", anonymous="login", agent="redirect"),
        data=lambda w: {
            "paper_author_name": "Mme Girard",
            "title": "Un marché le dimanche",
            "body": "Recueilli en mairie annexe.",
        },
    ),
    Route("backoffice:commitments", INSTRUCTION, pk("process")),
    Route(
        "backoffice:commitment_create",
        INSTRUCTION,
        pk("process"),
        post=per("denied", anonymous="login", agent="redirect", elu="redirect"),
        data=lambda w: {"title": "Planter dix arbres rue Ménétrier"},
    ),
    Route("proposals_admin:proposal", INSTRUCTION, pk("proposal")),
    Route("proposals_admin:proposal", STAFF_OF_QUARTIER_BO, pk("draft_proposal"), case="draft"),
    Route("proposals_admin:proposal", ELSEWHERE, pk("other_proposal"), case="elsewhere"),
    Route(
        "proposals_admin:proposal_note",
        None,
        pk("proposal"),
        post=per("denied", anonymous="login", agent="redirect", elu="redirect"),
        data=lambda w: {"body": "Appeler le service voirie."},
    ),
    Route(
        "proposals_admin:proposal_assign",
        None,
        pk("proposal"),
        post=per("denied", anonymous="login", agent="redirect"),
        data=lambda w: {"service": w.service.pk},
    ),
    Route(
        "proposals_admin:proposal_study", None, pk("proposal"), post=per("denied", anonymous="login", agent="redirect")
    ),
    Route(
        "proposals_admin:proposal_answer",
        None,
        pk("proposal"),
        post=per("denied", anonymous="login", agent="redirect", elu="redirect"),
        data=lambda w: {
            "status": "not_retained",
            "step": "submit",
            "body": "Le trottoir est trop étroit pour des bancs ; nous étudions la place voisine.",
        },
    ),
    # The answer is the élue's: agents (and élus) read the preview; only the élue of the
    # quartier signs (here refused for its content: the process is in its collect phase).
    Route(
        "proposals_admin:proposal_answer_preview",
        INSTRUCTION,
        pending_answer,
        post=per("denied", anonymous="login", elu="invalid"),
    ),
    Route(
        "proposals_admin:answers_to_sign",
        INSTRUCTION,
        process_with_pending_answer,
        post=per("denied", anonymous="login", elu="invalid"),
        data=lambda w: {"drafts": [_pending_pk(w)]},
    ),
    Route("proposals_admin:answers_to_sign", ELSEWHERE, pk("other_process"), case="elsewhere"),
    # Letters to paper contributors: personal data, for the agents of the process only.
    Route("proposals_admin:paper_letters", AGENT_ONLY, pk("process")),
    Route("proposals_admin:paper_letters", ELSEWHERE, pk("other_process"), case="elsewhere"),
    Route("proposals_admin:paper_letter_pdf", AGENT_ONLY, paper_letter),
    Route(
        "proposals_admin:paper_letter_sent", None, paper_letter, post=per("denied", anonymous="login", agent="redirect")
    ),
    Route("backoffice:commitment", INSTRUCTION, pk("commitment")),
    Route(
        "backoffice:commitment_edit",
        None,
        pk("commitment"),
        post=per("denied", anonymous="login", agent="redirect", elu="redirect"),
        data=lambda w: {"service": w.service.pk, "planned_date": "2027-03-01"},
    ),
    Route(
        "backoffice:commitment_update",
        None,
        pk("commitment"),
        post=per("denied", anonymous="login", agent="redirect", elu="redirect"),
        data=lambda w: {
            "date": "2026-01-15",
            "body": "Les travaux commencent.",
            "progress": "50",
            "state": "in_progress",
        },
    ),
    Route("discussion:moderation", per("denied", anonymous="login", moderator="ok", admin_elsewhere="ok")),
    Route(
        "discussion:comment_hide",
        None,
        pk("comment"),
        post=per("denied", anonymous="login", moderator="redirect"),
        data=lambda w: {"reason": "Propos insultants"},
    ),
    Route(
        "discussion:report_dismiss",
        None,
        pk("comment"),
        post=per("denied", anonymous="login", moderator="redirect"),
    ),
    Route("proposals_admin:answer_templates", TEMPLATES),
    Route(
        "proposals_admin:answer_template_create",
        TEMPLATES,
        post=per("denied", anonymous="login", agent="redirect", admin_elsewhere="redirect"),
        data=lambda w: {"title": "Déjà prévu", "status": "accepted", "body": "Ce projet est déjà au programme."},
    ),
    Route(
        "proposals_admin:answer_template_edit",
        TEMPLATES,
        pk("answer_template"),
        post=per("denied", anonymous="login", agent="redirect", admin_elsewhere="redirect"),
        data=lambda w: {"title": "Hors compétence", "status": "not_retained", "body": "Relève de la Métropole."},
    ),
    Route("backoffice:audit_log", per("denied", anonymous="login", admin_elsewhere="ok")),
    # Verification at a counter: any agent or administrator opens the page, then acts within
    # their scope (the resident lives in ``quartier``: not the administrator of another one's).
    Route("backoffice:verification", TEMPLATES),
    Route(
        "backoffice:verification",
        per("denied", anonymous="login", agent="invalid", admin_elsewhere="invalid"),
        query="?email=inconnu@example.org",
        case="unknown",
    ),
    Route(
        "backoffice:verification_person",
        AGENT_ONLY,
        lambda w: {"pk": w.people["resident"].pk},
        post=per("denied", anonymous="login", agent="redirect"),
        data=lambda w: {"documents_checked": "on", "quartier": w.quartier.pk},
    ),
    # The census list is the whole city's: no persona of the matrix has the city in scope.
    Route("backoffice:census", per("denied", anonymous="login")),
    Route(
        "backoffice:census_delete",
        None,
        lambda w: {"pk": 999999},
        post=per("denied", anonymous="login"),
    ),
    # Roles: an administrator manages the assignments of their own scope only (here, the
    # administrator of the other quartier); nobody grants a scope wider than their own.
    Route("backoffice:roles", per("denied", anonymous="login", admin_elsewhere="ok"), query="?role=admin"),
    Route(
        "backoffice:roles",
        per("denied", anonymous="login", admin_elsewhere="ok"),
        query="?role=superuser",
        case="not-allowlisted",
    ),
    Route(
        "backoffice:role_grant",
        per("denied", anonymous="login", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", admin_elsewhere="redirect"),
        data=lambda w: {
            "email": w.people["other_resident"].email,
            "role": "moderator",
            "scope": f"t{w.other_quartier.pk}",
        },
    ),
    Route(
        "backoffice:role_grant",
        per("denied", anonymous="login", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", admin_elsewhere="invalid"),
        data=lambda w: {
            "email": w.people["other_resident"].email,
            "role": "agent",
            "scope": f"t{w.quartier.pk}",
        },
        case="outside-scope",
    ),
    # Délégations de signature: administrators of the scope only (the one elsewhere sees theirs,
    # cannot delegate to someone who is not an agent there, nor revoke a delegation here).
    Route(
        "answers_admin:signature_delegations",
        per("denied", anonymous="login", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", admin_elsewhere="invalid"),
        data=lambda w: {
            "email": w.people["other_resident"].email,
            "title": "directrice du dialogue citoyen",
            "scope": f"t{w.other_quartier.pk}",
        },
    ),
    Route(
        "answers_admin:signature_delegation_revoke",
        None,
        signature_delegation,
        post=per("denied", anonymous="login"),
    ),
    Route(
        "backoffice:role_revoke",
        None,
        lambda w: {"pk": w.people["agent"].role_assignments.get().pk},
        post=per("denied", anonymous="login"),
    ),
    Route(
        "backoffice:role_revoke",
        None,
        lambda w: {"pk": w.people["admin_elsewhere"].role_assignments.get().pk},
        post=per("denied", anonymous="login", admin_elsewhere="invalid"),
        case="own-last-admin",
    ),
]

# Each module (budgets, sortition, workshops) lists its own routes in tests/security/modules/.
ROUTES += module_routes()

# URL prefixes outside the matrix: the Django admin has its own test, i18n is Django's.
EXCLUDED_PREFIXES = ("django-admin/", "i18n/")
