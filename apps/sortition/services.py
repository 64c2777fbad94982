"""Writes of the sortition module: keyword-only, validated, atomic, audited.

The order of a draw is enforced here: pool → probabilities → announcement (page public, pool
frozen, hashes published, future public event named) → final draw (once, after the event, with
its result as the seed) → invitations and alternates. Announcing freezes the pool, the quotas and
the probabilities, so that nobody can try seeds or pools until a wished panel comes out.
"""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core import participation
from apps.core.models import Process, Territory, audit
from apps.core.roles import has_role
from apps.core.rules_kit import require
from apps.sortition import bridge, rules
from apps.sortition.engine import (
    InfeasibleQuotas,
    Pool,
    PoolError,
    PoolIssue,
    audit_report,
    check_quotas,
    draw_alternates,
    draw_panel,
    legacy,
    leximin,
    read_pool,
    timeline,
)
from apps.sortition.engine import __version__ as engine_version
from apps.sortition.models import Draw, DrawAttempt, PoolMember, VolunteerApplication

if TYPE_CHECKING:
    from apps.accounts.models import User

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PURGE_DELAY = datetime.timedelta(days=2 * 366)
# Pools up to this size are computed during the request; larger ones by a background task.
SYNC_COMPUTE_LIMIT = 600
LEXIMIN_TIME_LIMIT = 600.0
LEGACY_RUNS = 2000
# The members who count in the panel (a declined member stays listed but no longer counts).
ACTIVE = (
    PoolMember.Status.SELECTED,
    PoolMember.Status.INVITED,
    PoolMember.Status.CONFIRMED,
    PoolMember.Status.ALTERNATE,
)
NEXT_STATUSES: dict[str, set[str]] = {
    PoolMember.Status.SELECTED: {PoolMember.Status.INVITED, PoolMember.Status.CONFIRMED, PoolMember.Status.DECLINED},
    PoolMember.Status.ALTERNATE: {PoolMember.Status.INVITED, PoolMember.Status.CONFIRMED, PoolMember.Status.DECLINED},
    PoolMember.Status.INVITED: {PoolMember.Status.CONFIRMED, PoolMember.Status.DECLINED},
    PoolMember.Status.CONFIRMED: {PoolMember.Status.DECLINED},
}


def _locked(draw: Draw) -> Draw:
    return Draw.objects.select_for_update(of=("self",)).select_related("territory", "process").get(pk=draw.pk)


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "tirage")[:180]
    slug, n = base, 1
    while Draw.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def validate_purge_on(purge_on: datetime.date, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if purge_on <= today:
        raise ValidationError({"purge_on": _("La date de suppression doit être dans le futur.")})
    if purge_on > today + MAX_PURGE_DELAY:
        raise ValidationError({"purge_on": _("Les données personnelles ne peuvent pas être gardées plus de deux ans.")})


# ---- creating a draw and its pool ------------------------------------------------------------


@transaction.atomic
def draw_create(
    *,
    actor: User,
    title: str,
    territory: Territory,
    panel_size: int,
    list_source: str,
    legal_basis: str,
    purge_on: datetime.date,
    purpose: str = "",
    process: Process | None = None,
    algorithm: str = Draw.Algorithm.LEXIMIN,
    slug: str = "",
) -> Draw:
    require(rules.can_create_draw(actor) and has_role(actor, rules.RUNNERS, territory=territory))
    if process is not None and not has_role(actor, rules.RUNNERS, process=process):
        raise ValidationError({"process": _("Vous ne gérez pas cette démarche.")})
    validate_purge_on(purge_on)
    if list_source == Draw.ListSource.VOLUNTEERS and process is None:
        raise ValidationError({"process": _("Un appel à volontaires se fait dans une démarche : choisissez-la.")})
    draw = Draw(
        title=title.strip(),
        slug=slug or _unique_slug(title),
        purpose=purpose.strip(),
        process=process,
        territory=territory,
        panel_size=panel_size,
        algorithm=algorithm,
        list_source=list_source,
        legal_basis=legal_basis.strip(),
        purge_on=purge_on,
        created_by=actor,
    )
    draw.full_clean()
    draw.save()
    audit(actor, "sortition.draw_create", draw, panel_size=panel_size, list_source=list_source)
    return draw


def _check_pool_editable(draw: Draw) -> None:
    if draw.seed_announced_at is not None or draw.state == Draw.State.DRAWN:
        raise ValidationError(
            _("Le tirage est annoncé : la liste et les quotas ne peuvent plus changer (le tirage serait contestable).")
        )
    if draw.state == Draw.State.COMPUTING:
        raise ValidationError(_("Un calcul est en cours : attendez qu'il se termine."))


def _store_pool(
    draw: Draw, pool: Pool, personal: dict[str, dict[str, str]], users: dict[str, Any] | None = None
) -> None:
    """Store the members and the public pool file the engine will run on (``Draw.pool_csv``)."""
    draw.members.all().delete()
    pseudonyms = bridge.unique_pseudonyms(draw.pseudonym_salt, pool.ids)
    for _attempt in range(20):
        if pseudonyms is not None:
            break
        # Two identifiers share a pseudonym (rare, on very large lists): a new secret key fixes it.
        draw.pseudonym_salt = secrets.token_hex(16)
        pseudonyms = bridge.unique_pseudonyms(draw.pseudonym_salt, pool.ids)
    if pseudonyms is None:
        raise RuntimeError("no collision-free pseudonyms for this pool")
    categories = pool.categories
    features = {
        identifier: dict(zip(categories, vector, strict=True))
        for identifier, vector in zip(pool.ids, pool.features, strict=True)
    }
    PoolMember.objects.bulk_create(
        [
            PoolMember(
                draw=draw,
                identifier=identifier,
                pseudonym=pseudonyms[identifier],
                features=features[identifier],
                personal=personal.get(identifier, {}),
                user=(users or {}).get(identifier),
            )
            for identifier in pool.ids
        ],
        batch_size=1000,
    )
    draw.pool_csv = bridge.public_pool_csv(categories, [(pseudonyms[i], features[i]) for i in pool.ids])
    draw.pool_sha256 = bridge.sha256(draw.pool_csv.encode("utf-8"))
    draw.people_sha256 = pool.people_sha256
    draw.categories_sha256 = pool.categories_sha256
    draw.distribution = None
    draw.report = None
    draw.state = Draw.State.POOL_LOADED


@transaction.atomic
def pool_import(
    *,
    actor: User,
    draw: Draw,
    people: bytes,
    categories: bytes,
    people_name: str = "respondents.csv",
    categories_name: str = "categories.csv",
) -> Draw:
    """Replace the pool by the uploaded files. Raises ``PoolError`` (file, line, reason)."""
    require(rules.can_run_draw(actor, draw))
    draw = _locked(draw)
    _check_pool_editable(draw)
    for raw, name in ((people, people_name), (categories, categories_name)):
        if len(raw) > MAX_UPLOAD_BYTES:
            raise PoolError([PoolIssue(name, None, _("le fichier dépasse 5 Mo"))])
    # The quota file is published: keep it as UTF-8 text whose bytes are the hashed ones.
    categories = bridge.as_text(categories).encode("utf-8")
    pool = read_pool(
        people, categories, people_name=people_name, categories_name=categories_name, panel_size=draw.panel_size
    )
    if len(pool) < draw.panel_size:
        raise PoolError(
            [
                PoolIssue(
                    people_name,
                    None,
                    _("la liste compte %(n)s personnes, moins que la taille du panel (%(k)s)")
                    % {"n": len(pool), "k": draw.panel_size},
                )
            ]
        )
    draw.categories_csv = categories.decode("utf-8")
    _store_pool(draw, pool, bridge.personal_columns(people, pool))
    draw.save()
    audit(
        actor,
        "sortition.pool_import",
        draw,
        people=len(pool),
        people_sha256=pool.people_sha256,
        categories_sha256=pool.categories_sha256,
        pool_sha256=draw.pool_sha256,
    )
    return draw


@transaction.atomic
def quotas_import(*, actor: User, draw: Draw, categories: bytes, categories_name: str = "categories.csv") -> Draw:
    """Quotas of a call for volunteers, before anyone applies: they give the questions asked."""
    require(rules.can_run_draw(actor, draw))
    draw = _locked(draw)
    _check_pool_editable(draw)
    if draw.applications.exists():
        raise ValidationError(_("Des personnes ont déjà répondu à l'appel : les quotas ne peuvent plus changer."))
    if len(categories) > MAX_UPLOAD_BYTES:
        raise PoolError([PoolIssue(categories_name, None, _("le fichier dépasse 5 Mo"))])
    # The engine validates the quota file together with a respondents file: give it a one-person
    # file with the first value of each category and keep the issues about the quota file only.
    text = bridge.as_text(categories)
    categories = text.encode("utf-8")
    choices = bridge.features_and_choices(text)
    probe = bridge.people_csv([c for c, _v in choices], [("0", {c: v[0] for c, v in choices})])
    try:
        read_pool(probe, categories, categories_name=categories_name, panel_size=draw.panel_size)
    except PoolError as error:
        issues = [issue for issue in error.errors if issue.file == categories_name]
        if issues:
            raise PoolError(issues) from None
    draw.categories_csv = text
    draw.categories_sha256 = bridge.sha256(categories)
    draw.save(update_fields=["categories_csv", "categories_sha256"])
    audit(actor, "sortition.quotas_import", draw, categories_sha256=draw.categories_sha256)
    return draw


@transaction.atomic
def volunteer_apply(
    *, user: User, draw: Draw, features: dict[str, str], phone: str = "", consent: bool
) -> VolunteerApplication:
    require(rules.can_volunteer(user, draw))
    if not consent:
        raise ValidationError({"consent": _("Votre accord est nécessaire pour participer au tirage.")})
    allowed = dict(bridge.features_and_choices(draw.categories_csv))
    for category, values in allowed.items():
        if features.get(category) not in values:
            raise ValidationError({category: _("Choisissez une des réponses proposées.")})
    application, created = VolunteerApplication.objects.update_or_create(
        draw=draw,
        user=user,
        defaults={
            "features": {c: features[c] for c in allowed},
            "phone": phone.strip(),
            "consent_at": timezone.now(),
        },
    )
    if created:
        participation.record(module="sortition", kind="registration", person=user, process=draw.process)
    return application


@transaction.atomic
def pool_from_volunteers(*, actor: User, draw: Draw) -> Draw:
    """The applications become the pool (members linked to their accounts)."""
    require(rules.can_run_draw(actor, draw))
    draw = _locked(draw)
    _check_pool_editable(draw)
    if draw.list_source != Draw.ListSource.VOLUNTEERS or not draw.categories_csv:
        raise ValidationError(_("Ce tirage n'a pas d'appel à volontaires avec des quotas."))
    applications = list(draw.applications.select_related("user").order_by("pk"))
    if len(applications) < draw.panel_size:
        raise ValidationError(
            _("Seules %(n)s personnes ont répondu, moins que la taille du panel (%(k)s).")
            % {"n": len(applications), "k": draw.panel_size}
        )
    members = [(f"v{a.pk}", a.features) for a in applications]
    raw = bridge.people_csv(bridge.categories_of(draw.categories_csv), members)
    pool = read_pool(raw, draw.categories_csv.encode("utf-8"), people_name="volontaires.csv")
    personal = {
        f"v{a.pk}": {
            k: v for k, v in {"nom": a.user.display_name, "courriel": a.user.email, "téléphone": a.phone}.items() if v
        }
        for a in applications
    }
    _store_pool(draw, pool, personal, users={f"v{a.pk}": a.user for a in applications})
    draw.save()
    audit(
        actor,
        "sortition.pool_from_volunteers",
        draw,
        people=len(pool),
        people_sha256=pool.people_sha256,
        pool_sha256=draw.pool_sha256,
    )
    return draw


# ---- probabilities -------------------------------------------------------------------------


def member_key(draw: Draw) -> str:
    """The field of ``PoolMember`` that the engine's ids are: the pseudonym (the engine runs on the
    public pool file), or the list identifier for draws made before that file existed."""
    return "pseudonym" if draw.pool_csv else "identifier"


def load_pool(draw: Draw, exclude: set[str] | None = None) -> Pool:
    """The engine's pool: the public pool file (ids = pseudonyms), without ``exclude``."""
    if draw.pool_csv:
        return bridge.public_pool(draw.pool_csv, draw.categories_csv, exclude=exclude or ())
    # Draws made before the public pool file: the engine ran on the identifiers of the list.
    members = [
        (m.identifier, m.features)
        for m in draw.members.order_by("pk").only("identifier", "features")
        if not exclude or m.identifier not in exclude
    ]
    return bridge.pool_from_members(draw.categories_csv, members, draw.people_sha256, draw.categories_sha256)


def quota_problems(draw: Draw) -> InfeasibleQuotas | None:
    """The plain-French reason why no panel meets the quotas, or None."""
    if not draw.members.exists():
        return None
    try:
        check_quotas(load_pool(draw), draw.panel_size)
    except InfeasibleQuotas as error:
        return error
    return None


@transaction.atomic
def probabilities_request(*, actor: User, draw: Draw) -> Draw:
    """Compute now for small pools, else mark the draw "computing" and queue the computation."""
    require(rules.can_run_draw(actor, draw))
    draw = _locked(draw)
    _check_pool_editable(draw)
    if draw.state == Draw.State.DRAFT:
        raise ValidationError(_("Importez d'abord la liste des personnes."))
    if draw.members.count() <= SYNC_COMPUTE_LIMIT:
        probabilities_compute(actor=actor, draw=draw)
        draw.refresh_from_db()
        return draw
    draw.state = Draw.State.COMPUTING
    draw.save(update_fields=["state"])
    audit(actor, "sortition.compute_queued", draw)
    from apps.sortition.tasks import compute_probabilities

    draw_pk, actor_pk = draw.pk, actor.pk
    transaction.on_commit(lambda: compute_probabilities(draw_pk, actor_pk))
    return draw


@transaction.atomic
def probabilities_compute(*, actor: User | None, draw: Draw) -> DrawAttempt:
    """One preview attempt: leximin (or legacy) probabilities, kept and shown publicly."""
    draw = _locked(draw)
    if draw.seed_announced_at is not None or draw.state == Draw.State.DRAWN:
        raise ValidationError(_("Le tirage est annoncé : les probabilités ne peuvent plus changer."))
    pool = load_pool(draw)
    outcome: dict[str, Any] = {"algorithm": draw.algorithm, "people": len(pool), "version": engine_version}
    try:
        if draw.algorithm == Draw.Algorithm.LEGACY:
            number = draw.attempts.filter(kind=DrawAttempt.Kind.PREVIEW).count() + 1
            distribution = legacy(pool, draw.panel_size, seed=f"{draw.slug}:apercu:{number}", runs=LEGACY_RUNS)
        else:
            distribution = leximin(pool, draw.panel_size, time_limit=LEXIMIN_TIME_LIMIT)
    except InfeasibleQuotas as error:
        outcome.update(
            ok=False,
            explanation=error.explanation,
            relaxations=[
                {
                    "category": r.category,
                    "feature": r.feature,
                    "bound": r.bound,
                    "current": r.current,
                    "suggested": r.suggested,
                }
                for r in error.relaxations
            ],
        )
        draw.state = Draw.State.POOL_LOADED
    except (TimeoutError, RuntimeError) as error:
        outcome.update(ok=False, explanation=[str(error)], relaxations=[])
        draw.state = Draw.State.POOL_LOADED
    else:
        probabilities = distribution.probabilities
        key = member_key(draw)
        members = list(draw.members.only("pk", key))
        for member in members:
            member.probability = probabilities.get(getattr(member, key))
        PoolMember.objects.bulk_update(members, ["probability"], batch_size=1000)
        draw.distribution = bridge.distribution_to_json(distribution)
        draw.state = Draw.State.COMPUTED
        outcome.update(
            ok=True,
            min_probability=distribution.min_probability(),
            seconds=round(distribution.seconds, 3),
            panels=len(distribution.compositions),
        )
    draw.save(update_fields=["distribution", "state"])
    attempt = DrawAttempt.objects.create(draw=draw, kind=DrawAttempt.Kind.PREVIEW, actor=actor, outcome=outcome)
    audit(actor, "sortition.compute", draw, attempt=attempt.pk, ok=outcome["ok"])
    return attempt


# ---- seed and final draw ---------------------------------------------------------------------


@transaction.atomic
def seed_announce(
    *,
    actor: User,
    draw: Draw,
    seed_source: str,
    seed_event_at: datetime.datetime,
    seed_commitment: str = "",
) -> Draw:
    """Announce the draw: name the future public event whose result will be the seed (and, if
    given, the SHA-256 of the agent's secret), freeze the pool, publish the page and the hashes
    of the pool file and of the distribution. Why this makes the seed unchoosable:
    ``apps.sortition.engine.timeline``."""
    require(rules.can_run_draw(actor, draw))
    draw = _locked(draw)
    if draw.seed_announced_at is not None:
        raise ValidationError(_("Le tirage est déjà annoncé : l'événement qui fournit la graine ne peut plus changer."))
    if draw.state != Draw.State.COMPUTED or draw.distribution is None:
        raise ValidationError(_("Calculez d'abord les probabilités : le tirage s'annonce une fois la liste figée."))
    seed_source, seed_commitment = seed_source.strip(), seed_commitment.strip().lower()
    now = timezone.now()
    errors: dict[str, str] = {}
    if not seed_source:
        errors["seed_source"] = _("Nommez l'événement public dont le résultat sera la graine.")
    notice = datetime.timedelta(hours=settings.SORTITION_SEED_MIN_NOTICE_HOURS)
    if seed_event_at <= now:
        errors["seed_event_at"] = _(
            "Choisissez une date à venir : le résultat de l'événement ne doit pas être connu au moment de l'annonce."
        )
    elif seed_event_at < now + notice:
        errors["seed_event_at"] = _(
            "Laissez au moins %(hours)s heures entre l'annonce et l'événement (au plus tôt le %(date)s) : "
            "chacun doit pouvoir conserver les empreintes publiées avant que la graine existe."
        ) % {"hours": settings.SORTITION_SEED_MIN_NOTICE_HOURS, "date": _moment(now + notice)}
    if seed_commitment and not timeline.is_commitment(seed_commitment):
        errors["seed_commitment"] = _(
            "L'empreinte doit compter 64 caractères hexadécimaux (0-9, a-f), comme le donne sha256sum."
        )
    if errors:
        raise ValidationError(errors)
    draw.seed_mode = Draw.SeedMode.COMMIT_REVEAL if seed_commitment else Draw.SeedMode.PUBLIC_EVENT
    draw.seed_source, draw.seed_event_at, draw.seed_commitment = seed_source, seed_event_at, seed_commitment
    draw.seed_announced_at = now
    draw.distribution_sha256 = timeline.distribution_sha256(bridge.distribution_from_json(draw.distribution))
    # The page is public from the announcement on (``draw_publish`` refuses to withdraw it): the
    # pool file and the hashes are out before anybody can know the seed.
    draw.is_published = True
    draw.full_clean()
    draw.save()
    audit(
        actor,
        "sortition.seed_announce",
        draw,
        seed_source=seed_source,
        seed_event_at=seed_event_at.isoformat(),
        seed_commitment=seed_commitment,
        pool_sha256=draw.pool_sha256,
        distribution_sha256=draw.distribution_sha256,
    )
    return draw


def draw_timeline(draw: Draw) -> dict[str, Any]:
    """The timeline written into the audit report, checked by the verifier."""
    assert draw.seed_announced_at is not None and draw.seed_event_at is not None and draw.drawn_at is not None
    return {
        "mode": draw.seed_mode,
        "announced_at": draw.seed_announced_at.isoformat(),
        "pool_sha256": draw.pool_sha256,
        "distribution_sha256": draw.distribution_sha256,
        "event": draw.seed_source,
        "event_at": draw.seed_event_at.isoformat(),
        "event_result": draw.seed_event_result,
        "commitment": draw.seed_commitment,
        "secret": draw.seed_secret,
        "drawn_at": draw.drawn_at.isoformat(),
    }


def draw_report(draw: Draw, pool: Pool, panel: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The audit report. On the public pool file, its ids are already the pseudonyms: the report
    names the members as the published file does, so the verifier checks the exact panel."""
    assert draw.distribution is not None
    distribution = bridge.distribution_from_json(draw.distribution)
    if draw.pool_csv:
        report = audit_report(pool, distribution, list(panel), draw.seed, timeline=draw_timeline(draw))
        # The list as imported (not published: personal data), for observers holding it.
        report["files"]["imported_sha256"] = draw.people_sha256
        return report
    pseudonyms = dict(draw.members.values_list("identifier", "pseudonym"))
    return audit_report(
        pool, distribution, list(panel), draw.seed, pseudonymise=lambda identifier: pseudonyms[identifier]
    )


def _moment(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def final_refusal(draw: Draw, *, now: datetime.datetime | None = None) -> str | None:
    """Why the final draw cannot happen now (plain French), or None. Asked by the service, the
    back-office pages and their buttons, so that everyone gives the same reason."""
    now = now or timezone.now()
    if draw.state == Draw.State.DRAWN:
        return _("Ce tirage a déjà été effectué : il ne peut pas être refait.")
    if draw.seed_announced_at is None or draw.seed_event_at is None:
        return _(
            "Annoncez d'abord le tirage et l'événement public qui fournira la graine : "
            "le tirage n'est possible qu'après."
        )
    if not draw.is_published:
        return _("La page publique du tirage doit être en ligne depuis l'annonce : le tirage est impossible.")
    if now < draw.seed_event_at:
        return _(
            "Le résultat de l'événement public annoncé (« %(event)s ») n'est connu qu'à partir du %(date)s : "
            "le tirage est impossible avant."
        ) % {"event": draw.seed_source, "date": _moment(draw.seed_event_at)}
    if draw.state != Draw.State.COMPUTED or draw.distribution is None:
        return _("Calculez d'abord les probabilités.")
    return None


def draw_final(*, actor: User, draw: Draw, event_result: str, secret: str = "") -> DrawAttempt:
    """The one and only final draw, with the published result of the announced event (and the
    secret committed at the announcement, if any). Refusals are logged."""
    require(rules.can_run_draw(actor, draw))
    event_result, secret = timeline.normalise_result(event_result), secret.strip()
    refused: str | dict[str, str] | None = None
    try:
        with transaction.atomic():
            locked = _locked(draw)
            if locked.attempts.filter(kind=DrawAttempt.Kind.FINAL).exists():
                refused = _("Ce tirage a déjà été effectué : il ne peut pas être refait.")
            else:
                refused = final_refusal(locked) or _seed_errors(locked, event_result, secret) or None
            if refused is None:
                locked.seed_event_result, locked.seed_secret = event_result, secret
                locked.seed = timeline.combined_seed(event_result, secret)
                return _do_final(actor, locked)
    except IntegrityError:  # a concurrent final draw won the race
        refused = _("Ce tirage a déjà été effectué : il ne peut pas être refait.")
    reason = " ".join(refused.values()) if isinstance(refused, dict) else refused
    audit(actor, "sortition.final_refused", draw, reason=reason)
    raise ValidationError(refused)


def _seed_errors(draw: Draw, event_result: str, secret: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not event_result:
        errors["event_result"] = _("Recopiez le résultat publié de l'événement annoncé.")
    elif len(event_result) > 150:
        errors["event_result"] = _("Le résultat ne peut pas dépasser 150 caractères.")
    if draw.seed_mode == Draw.SeedMode.COMMIT_REVEAL:
        if not secret:
            errors["secret"] = _("Révélez le secret dont l'empreinte a été publiée à l'annonce.")
        elif timeline.commitment_of(secret) != draw.seed_commitment:
            errors["secret"] = _("Ce secret ne correspond pas à l'empreinte publiée à l'annonce.")
    elif secret:
        errors["secret"] = _("Aucun secret n'a été engagé à l'annonce : laissez ce champ vide.")
    return errors


def _do_final(actor: User, draw: Draw) -> DrawAttempt:
    assert draw.distribution is not None
    panel = draw_panel(bridge.distribution_from_json(draw.distribution), draw.seed)
    pool = load_pool(draw)
    key = member_key(draw)
    draw.members.filter(**{f"{key}__in": panel}).update(status=PoolMember.Status.SELECTED)
    pseudonyms = dict(draw.members.filter(**{f"{key}__in": panel}).values_list(key, "pseudonym"))
    attempt = DrawAttempt.objects.create(
        draw=draw,
        kind=DrawAttempt.Kind.FINAL,
        actor=actor,
        seed=draw.seed,
        outcome={"panel": sorted(pseudonyms[i] for i in panel), "version": engine_version},
    )
    draw.state = Draw.State.DRAWN
    draw.drawn_at = timezone.now()
    draw.report = draw_report(draw, pool, panel)
    draw.save(update_fields=["report", "state", "drawn_at", "seed", "seed_event_result", "seed_secret"])
    audit(
        actor,
        "sortition.final",
        draw,
        attempt=attempt.pk,
        seed=draw.seed,
        event_result=draw.seed_event_result,
        panel_size=len(panel),
    )
    return attempt


# ---- after the draw --------------------------------------------------------------------------


@transaction.atomic
def member_set_status(*, actor: User, member: PoolMember, status: str) -> PoolMember:
    require(rules.can_run_draw(actor, member.draw))
    member = PoolMember.objects.select_for_update().get(pk=member.pk)
    if status not in NEXT_STATUSES.get(member.status, set()):
        raise ValidationError(
            _("Passage impossible de « %(old)s » à « %(new)s ».")
            % {"old": member.get_status_display(), "new": PoolMember.Status(status).label}
        )
    old = member.status
    member.status = status
    member.save(update_fields=["status"])
    audit(actor, "sortition.member_status", member.draw, member=member.pseudonym, old=old, new=status)
    return member


def panel_identifiers(draw: Draw) -> tuple[list[str], list[str], set[str]]:
    """(members counting in the panel, declined members still to replace, replaced decliners),
    as the engine's ids (pseudonyms, see ``member_key``)."""
    key = member_key(draw)
    active = list(draw.members.filter(status__in=ACTIVE).values_list(key, flat=True))
    declined = draw.members.filter(status=PoolMember.Status.DECLINED)
    to_replace = list(declined.filter(replaced_by__isnull=True).values_list(key, flat=True))
    replaced = set(declined.filter(replaced_by__isnull=False).values_list(key, flat=True))
    return active, to_replace, replaced


@transaction.atomic
def alternates_draw(*, actor: User, draw: Draw) -> DrawAttempt:
    """Replace every declined member, keeping the quotas; seed = public seed + a counter."""
    require(rules.can_run_draw(actor, draw))
    draw = _locked(draw)
    if draw.state != Draw.State.DRAWN:
        raise ValidationError(_("Le tirage définitif n'a pas encore eu lieu."))
    active, to_replace, replaced = panel_identifiers(draw)
    if not to_replace:
        raise ValidationError(_("Personne n'a décliné : il n'y a personne à remplacer."))
    counter = draw.attempts.filter(kind=DrawAttempt.Kind.ALTERNATES).count() + 1
    seed = f"{draw.seed}#{counter}"
    # People already replaced once are out of the pool: they may not come back as alternates.
    pool = load_pool(draw, exclude=replaced)
    try:
        mapping = draw_alternates(pool, [*active, *to_replace], to_replace, seed)
    except InfeasibleQuotas as error:
        audit(actor, "sortition.alternates_impossible", draw, seed=seed)
        raise ValidationError(error.explanation) from None
    key = member_key(draw)
    members = {getattr(m, key): m for m in draw.members.filter(**{f"{key}__in": [*mapping, *mapping.values()]})}
    for declined_id, replacement_id in mapping.items():
        replacement = members[replacement_id]
        replacement.status = PoolMember.Status.ALTERNATE
        replacement.replaces = members[declined_id]
        replacement.save(update_fields=["status", "replaces"])
    attempt = DrawAttempt.objects.create(
        draw=draw,
        kind=DrawAttempt.Kind.ALTERNATES,
        actor=actor,
        seed=seed,
        outcome={
            "replacements": {members[d].pseudonym: members[r].pseudonym for d, r in mapping.items()},
            "version": engine_version,
        },
    )
    audit(actor, "sortition.alternates", draw, attempt=attempt.pk, seed=seed, replaced=len(mapping))
    return attempt


@transaction.atomic
def draw_publish(*, actor: User, draw: Draw, published: bool = True) -> Draw:
    require(rules.can_run_draw(actor, draw))
    draw = _locked(draw)
    if published and draw.state == Draw.State.DRAFT:
        raise ValidationError(_("Importez d'abord la liste : il n'y a rien à publier."))
    if not published and draw.seed_announced_at is not None:
        raise ValidationError(
            _("Le tirage est annoncé : sa page reste publique, pour que chacun puisse suivre et vérifier le tirage.")
        )
    draw.is_published = published
    draw.save(update_fields=["is_published"])
    audit(actor, "sortition.publish" if published else "sortition.unpublish", draw)
    return draw


# ---- RGPD ------------------------------------------------------------------------------------


def purge_personal_data(*, today: datetime.date | None = None) -> int:
    """Empty the personal data of every draw whose purge date has come; returns the draw count.

    Features, pseudonyms, probabilities and the public pool file stay: the draw remains verifiable.
    """
    today = today or timezone.localdate()
    count = 0
    for draw in Draw.objects.filter(purge_on__lte=today, purged_at__isnull=True).order_by("pk"):
        with transaction.atomic():
            members = draw.members.exclude(personal={}).update(personal={})
            draw.members.exclude(user=None).update(user=None)
            # Who answered the call is personal too; the pool keeps features and pseudonyms.
            applications, _deleted = draw.applications.all().delete()
            draw.purged_at = timezone.now()
            draw.save(update_fields=["purged_at"])
            audit(None, "sortition.purge", draw, members=members, applications=applications)
        count += 1
    return count
