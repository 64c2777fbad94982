"""Writes of the vote: cast or change a ballot, close the vote (erase the locators).

Integrity: one ``VoterRecord`` per person, budget and scope (city-wide, or one quartier) is
a unique constraint; the cast inserts it with ``ON CONFLICT DO NOTHING`` (a parallel insert
of the same row waits for the first transaction), or, when it already exists, locks that
row, so parallel submissions of one person run one after the other; the ballot is found by
its locator (unique). A change of ballot names the receipt it replaces: a stale form (the
back button, a second tab) cannot silently replace a newer ballot.

Secrecy (docs/BALLOT_SECRECY.md): the ballot carries no person, no time and no channel, and
has a random key. Its locator (an HMAC of envelope and person under
``settings.BALLOT_LOCATOR_KEY``) lets the voter see and change it while the vote is open,
and is erased at the close. Physical row order could still betray who voted what (the n-th
voter record and the n-th ballot were written together), so the close also rewrites the
ballots of each envelope in a random order, with fresh keys.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import random
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.verification import lock_birth_date
from apps.budgets.models import (
    Ballot,
    BallotChoice,
    BallotType,
    Budget,
    Envelope,
    Project,
    ReplacedReceipt,
    VoterRecord,
    random_key,
)
from apps.budgets.voting import ballots, loading, rules
from apps.core import participation
from apps.core.sql import build, prepared_cursor

_SYSTEM_RANDOM = random.SystemRandom()


def ballot_locator(envelope: Envelope, user: User) -> str:
    message = f"{envelope.pk}:{user.pk}".encode()
    return hmac.new(settings.BALLOT_LOCATOR_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_receipt() -> str:
    """16 characters of base32 in four groups (80 random bits): easy to copy, impossible to guess."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def current_ballot(user: User, envelope: Envelope) -> Ballot | None:
    """The person's ballot while the vote is open (None once the locators are erased)."""
    if not user.is_authenticated or envelope.budget.locators_erased_at is not None:
        return None
    ballot = (
        Ballot.objects.filter(envelope=envelope, locator=ballot_locator(envelope, user))
        .prefetch_related("choices")
        .first()
    )
    if ballot is not None:
        ballot.envelope = envelope  # its budget is loaded already
    return ballot


def ballot_content(ballot: Ballot) -> ballots.Choices:
    return {
        choice.project_id: (choice.rank or 0)
        if ballot.envelope.budget.ballot_type == BallotType.RANKED
        # approval and knapsack store 1, cumulative the points
        else choice.points
        for choice in ballot.choices.all()
    }


def has_voted(user: User, envelope: Envelope) -> bool:
    return user.is_authenticated and envelope.pk in rules.votes_in_budget(user, envelope.budget).envelope_ids


class StaleBallotForm(ValidationError):
    """The confirmation replaces a receipt that is no longer the person's current one."""


def write_choices(ballot: Ballot, budget: Budget, choices: ballots.Choices) -> None:
    ranked = budget.ballot_type == BallotType.RANKED
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(
                ballot=ballot,
                project_id=pk,
                points=1 if ranked else value,
                rank=value if ranked else None,
            )
            for pk, value in choices.items()
        ]
    )


def _check_choices(
    budget: Budget, envelope: Envelope, choices: ballots.Choices, projects: Sequence[Project] | None = None
) -> ballots.Choices:
    if projects is None:
        definition = ballots.ballot_definition(budget, envelope.pk)
        projects = definition.projects if definition is not None else ()
    errors = ballots.validate(budget, envelope, list(projects), choices)
    if errors:
        raise ValidationError(errors)
    return ballots.normalise(budget, choices)


def _insert_voter_record(envelope: Envelope, user: User) -> bool:
    """Insert the person's online voter record unless they have one in this budget and
    scope: True when inserted.

    ``INSERT … ON CONFLICT DO NOTHING``: no savepoint, and a parallel transaction inserting
    the same (budget, person, scope) waits here until the first one commits or rolls back
    (PostgreSQL's speculative insertion), then inserts nothing."""
    meta = VoterRecord._meta
    connection = connections[router.db_for_write(VoterRecord)]
    quote = connection.ops.quote_name
    names = ("id", "budget", "scope", "envelope", "user", "paper_identity", "channel", "territory", "voted_on")
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)  # type: ignore[union-attr, arg-type]
    values: list[Any] = [
        random_key(),
        envelope.budget_id,
        VoterRecord.scope_of(envelope),
        envelope.pk,
        user.pk,
        "",
        VoterRecord.Channel.ONLINE.value,
        envelope.territory_id or rules.voting_quartier_id(user, envelope.budget),
        timezone.localdate(),  # as the field default fills it (Django sets the process zone to TIME_ZONE)
    ]
    placeholders = ", ".join(["%s"] * len(values))
    # Table and column names come from the model (quoted); the values are bound.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608
    sql += f"ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone() is not None


def freeze_rules(budget: Budget) -> None:
    """Freeze the rules at the first ballot: a conditional UPDATE, so only the first one writes."""
    now = timezone.now()
    if Budget.objects.filter(pk=budget.pk, rules_frozen_at__isnull=True).update(rules_frozen_at=now):
        budget.rules_frozen_at = now


def ballot_birth_date_fix(*, user: User, budget: Budget, birth_date: datetime.date | None) -> None:
    """The first ballot attempt in a vote with an age condition fixes the person's birth date
    (the one typed on the ballot when the account had none). :func:`ballot_cast` does it with
    the ballot; the ballot view calls this when the cast is refused, so that the date is
    committed on its own: a date refused for age cannot be retyped until it passes. An agent
    corrects a wrong date at the counter (``apps.accounts.verification``)."""
    if not budget.min_age:
        return
    with transaction.atomic():
        _store_birth_date(user, birth_date)
        lock_birth_date(user=user)


def _store_birth_date(user: User, birth_date: datetime.date | None) -> None:
    """Store the birth date typed on the ballot page, if the account had none."""
    if birth_date is None or user.birth_date is not None:
        return
    user.birth_date = birth_date
    user.full_clean(validate_unique=False)
    if not User.objects.filter(pk=user.pk, birth_date__isnull=True).update(birth_date=birth_date):
        user.refresh_from_db(fields=["birth_date"])  # a parallel request stored one first


def ballot_cast(
    *,
    user: User,
    envelope: Envelope,
    choices: ballots.Choices,
    birth_date: datetime.date | None = None,
    projects: Sequence[Project] | None = None,
    replaces: str | None = None,
) -> Ballot:
    """Cast, or replace, ``user``'s ballot in ``envelope``. Returns the ballot (its receipt
    is new at every change; the old one is kept as "replaced" for the receipt check).

    ``replaces``: the receipt the person saw when they chose to change their vote ("" for a
    first ballot). When given and it is not their current receipt, nothing is written
    (:class:`StaleBallotForm`). None (scripts, tests) skips the check.
    ``projects``: the envelope's ballot projects when the caller already has them (the
    ballot view: :func:`ballots.ballot_definition`), else they are loaded the same way.

    A cast that passes its checks also fixes the person's birth date in a vote with an age
    condition (:func:`apps.accounts.verification.lock_birth_date`), in the same write. The
    voting-day path, a first ballot once the rules are frozen, is **one SQL statement**
    (:func:`_insert_first_ballot`, on PostgreSQL); a change of ballot, the first ballot of all (it freezes
    the rules) and a birth date typed on the ballot take the transaction below."""
    budget = envelope.budget
    first_ballot = not replaces and budget.rules_frozen_at is not None
    # The one-statement path is PostgreSQL's SQL (CTEs that write, unnest, casts); the SQLite
    # demo takes the transaction below.
    one_statement = connections[router.db_for_write(Ballot)].vendor == "postgresql"
    if first_ballot and one_statement and (birth_date is None or user.birth_date is not None):
        normalised = _checked_ballot(user, envelope, choices, projects)
        ballot = _insert_first_ballot(envelope, user, normalised)
        if ballot is not None:
            rules.forget_votes(user)
            return ballot
        # The person has a voter record in this scope already: a change, checked below.
    known = (user.birth_date, user.birth_date_locked_at)
    try:
        return _ballot_cast_in_transaction(
            user=user, envelope=envelope, choices=choices, birth_date=birth_date, projects=projects, replaces=replaces
        )
    except BaseException:
        user.birth_date, user.birth_date_locked_at = known  # rolled back with the transaction
        raise


def _record_ballot(user: User, budget: Budget) -> None:
    """The participation event of a first ballot: the envelope's process and the voter's
    snapshot, never the choices (see ``apps.core.participation``)."""
    participation.record(module="budgets", kind="ballot", person=user, process=budget.process)


def _checked_ballot(
    user: User, envelope: Envelope, choices: ballots.Choices, projects: Sequence[Project] | None
) -> ballots.Choices:
    """Eligibility, the birth date an age condition needs, then the content (normalised)."""
    reason = rules.ineligibility_reason(user, envelope)
    if reason is not None:
        raise PermissionDenied(reason)
    if rules.needs_birth_date(user, envelope.budget):
        raise ValidationError(_("Indiquez votre date de naissance : ce vote a une condition d'âge."))
    return _check_choices(envelope.budget, envelope, choices, projects)


def _birth_date_to_lock(user: User, budget: Budget) -> bool:
    return bool(budget.min_age) and user.birth_date is not None and user.birth_date_locked_at is None


def _insert_first_ballot(envelope: Envelope, user: User, choices: ballots.Choices) -> Ballot | None:
    """Write a first ballot in one statement (hence one transaction, and no BEGIN/COMMIT round
    trips): the voter record (``INSERT … ON CONFLICT DO NOTHING``, as
    :func:`_insert_voter_record`), the ballot and its choices only when that record was
    inserted, and the lock of the birth date when the vote has an age condition. Returns the
    ballot, or None when the person already had a voter record in this scope (nothing written
    but the birth-date lock, which their first attempt sets anyway)."""
    budget = envelope.budget
    connection = connections[router.db_for_write(Ballot)]
    ranked = budget.ballot_type == BallotType.RANKED
    ballot_values = (random_key(), envelope.pk, ballot_locator(envelope, user), new_receipt())
    params: list[Any] = [
        # the voter record, in the order of _RECORD_COLUMNS
        random_key(),
        budget.pk,
        VoterRecord.scope_of(envelope),
        envelope.pk,
        user.pk,
        "",
        VoterRecord.Channel.ONLINE.value,
        envelope.territory_id or rules.voting_quartier_id(user, budget),
        timezone.localdate(),
        # the ballot, in the order of _BALLOT_NAMES
        *ballot_values,
    ]
    locked_at = timezone.now() if _birth_date_to_lock(user, budget) else None
    if locked_at is not None:
        params += [locked_at, user.pk]
    # The participation event of the indicators (apps.core.participation), in the same statement.
    event_sql, event_params = participation.snapshot_sql(
        module="budgets", kind="ballot", person=user, process_id=budget.process_id
    )
    params += event_params
    pks = list(choices)
    params += [
        [random_key() for _pk in pks],
        pks,
        [1 if ranked else choices[pk] for pk in pks],
        [choices[pk] if ranked else None for pk in pks],
    ]
    # Prepared on the worker's connection: the text is the same at every ballot (two variants,
    # with or without the birth-date lock), so PostgreSQL parses and plans it once.
    with prepared_cursor(connection.alias) as cursor:
        cursor.execute(_first_ballot_sql(connection.alias, event_sql, lock_birth_date=locked_at is not None), params)
        written = len(cursor.fetchall())
    if locked_at is not None:
        user.birth_date_locked_at = locked_at
    if not written:
        return None
    # The row just written, as a loaded ballot (``apps.core.sql.build``, what ``from_db`` gives
    # without ``Model.__init__``'s per-field loop, ≈ 80 Python calls at every ballot), its
    # envelope the caller's (the row holds its id): as ``Ballot(envelope=envelope, …)`` saved.
    ballot = build(Ballot, list(_BALLOT_NAMES), ballot_values, connection.alias)
    Ballot.envelope.field.set_cached_value(ballot, envelope)
    return ballot


# Every concrete field of Ballot, by attribute name: the columns the statement writes, in the
# order of its values, and what build() fills the returned instance with.
_BALLOT_NAMES = ("id", "envelope_id", "locator", "receipt")
_RECORD_COLUMNS = ("id", "budget", "scope", "envelope", "user", "paper_identity", "channel", "territory", "voted_on")


@functools.cache
def _first_ballot_sql(alias: str, event_sql: str, *, lock_birth_date: bool) -> str:
    """The statement of :func:`_insert_first_ballot` (built once per variant): table and column
    names come from the models (quoted); every value is bound."""
    quote = connections[alias].ops.quote_name

    def columns(model: type[Any], names: Sequence[str]) -> str:
        return ", ".join(loading.quoted_column(model, name) for name in names)

    ballot_columns = columns(Ballot, _BALLOT_NAMES)
    sql = (
        f"WITH record AS (INSERT INTO {quote(VoterRecord._meta.db_table)} ({columns(VoterRecord, _RECORD_COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(_RECORD_COLUMNS))}) ON CONFLICT DO NOTHING RETURNING 1), "
        f"ballot AS (INSERT INTO {quote(Ballot._meta.db_table)} ({ballot_columns}) "
        f"SELECT %s::bigint, %s::bigint, %s, %s FROM record RETURNING {loading.quoted_column(Ballot, 'id')} AS id) "
    )
    if lock_birth_date:
        user_table = quote(User._meta.db_table)
        born, locked, pk = (loading.quoted_column(User, name) for name in ("birth_date", "birth_date_locked_at", "id"))
        sql += (
            f", birth AS (UPDATE {user_table} SET {locked} = %s WHERE {pk} = %s "  # noqa: S608 (model names, bound values)
            f"AND {born} IS NOT NULL AND {locked} IS NULL RETURNING 1) "
        )
    sql += f", event AS ({event_sql} FROM record RETURNING 1) "
    sql += (
        f"INSERT INTO {quote(BallotChoice._meta.db_table)} "  # noqa: S608 (model names, bound values)
        f"({columns(BallotChoice, ('id', 'ballot', 'project', 'points', 'rank'))}) "
        "SELECT c.id, ballot.id, c.project, c.points, c.rank FROM ballot, "
        "unnest(%s::bigint[], %s::bigint[], %s::smallint[], %s::smallint[]) AS c(id, project, points, rank) "
        "RETURNING 1"
    )
    return sql


@transaction.atomic
def _ballot_cast_in_transaction(
    *,
    user: User,
    envelope: Envelope,
    choices: ballots.Choices,
    birth_date: datetime.date | None,
    projects: Sequence[Project] | None,
    replaces: str | None,
) -> Ballot:
    """The general cast: a change of ballot, the first ballot of all (it freezes the rules),
    a birth date typed on the ballot page."""
    budget = envelope.budget
    _store_birth_date(user, birth_date)
    normalised = _checked_ballot(user, envelope, choices, projects)

    locator = ballot_locator(envelope, user)
    ballot: Ballot | None = None
    if _insert_voter_record(envelope, user):
        _record_ballot(user, budget)
    else:
        # Already voted in this scope: this is a change of ballot. Parallel submissions of the
        # same person queue here, one at a time, on the row lock of their voter record.
        scope = VoterRecord.scope_of(envelope)
        voted_in = list(
            VoterRecord.objects.select_for_update()
            .filter(budget_id=budget.pk, user=user, scope=scope)
            .values_list("envelope_id", flat=True)
        )
        if voted_in != [envelope.pk]:
            # Their quartier ballot is in another quartier (a parallel request just wrote it).
            raise PermissionDenied(_("Votre vote dans ce budget reste attaché au quartier où vous avez voté."))
        ballot = Ballot.objects.filter(locator=locator).first()
    if replaces is not None and replaces != (ballot.receipt if ballot is not None else ""):
        raise StaleBallotForm(
            _(
                "Ce formulaire de vote n'est plus à jour : votre vote enregistré n'a pas changé. "
                "Pour le modifier, utilisez « Modifier mon vote »."
            )
        )
    # A first voter record and its ballot are written together, so a new record has no
    # ballot yet: insert it straight away.
    if ballot is None:
        ballot = Ballot.objects.create(envelope=envelope, locator=locator, receipt=new_receipt())
    else:
        BallotChoice.objects.filter(ballot=ballot).delete()
        ReplacedReceipt.objects.create(budget_id=budget.pk, receipt=ballot.receipt)
        ballot.receipt = new_receipt()
        ballot.save(update_fields=["receipt"])
    write_choices(ballot, budget, normalised)
    if budget.min_age:
        lock_birth_date(user=user)
    if budget.rules_frozen_at is None:
        freeze_rules(budget)
    rules.forget_votes(user)
    return ballot


def receipt_state(budget: Budget, code: str) -> str | None:
    """ "counted" when a ballot of the budget carries this receipt, "replaced" when a change of
    ballot replaced it, None when nobody ever had it."""
    if Ballot.objects.filter(envelope__budget=budget, receipt=code).exists():
        return "counted"
    if ReplacedReceipt.objects.filter(budget=budget, receipt=code).exists():
        return "replaced"
    return None


# --- closing ----------------------------------------------------------------------------------


def _rewrite_voter_records(envelope: Envelope) -> None:
    """Rewrite the envelope's voter records in a random order with fresh random keys, so that
    after the close their physical order and writing transaction no longer tell the order in
    which people voted (and cannot be lined up with the audit log of the paper sheets)."""
    fields = [f.attname for f in VoterRecord._meta.concrete_fields if f.attname != "id"]
    rows = list(VoterRecord.objects.filter(envelope=envelope).values(*fields))
    _SYSTEM_RANDOM.shuffle(rows)
    VoterRecord.objects.filter(envelope=envelope).delete()
    VoterRecord.objects.bulk_create([VoterRecord(**row) for row in rows], batch_size=2000)


def shuffle_ballots(envelope: Envelope) -> int:
    """Rewrite the envelope's ballots in a random order with fresh random keys (same
    receipts, same choices, no locator), so that neither keys nor physical order (nor the
    transaction that wrote them) link anybody to a ballot; the voter records too."""
    _rewrite_voter_records(envelope)
    old = list(Ballot.objects.filter(envelope=envelope).prefetch_related("choices"))
    if not old:
        return 0
    contents = [(b.receipt, [(c.project_id, c.points, c.rank) for c in b.choices.all()]) for b in old]
    _SYSTEM_RANDOM.shuffle(contents)
    Ballot.objects.filter(envelope=envelope).delete()
    fresh = Ballot.objects.bulk_create([Ballot(envelope=envelope, locator=None, receipt=item[0]) for item in contents])
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot_id=ballot.pk, project_id=project_id, points=points, rank=rank)
            for ballot, item in zip(fresh, contents, strict=True)
            for project_id, points, rank in item[1]
        ],
        batch_size=2000,
    )
    return len(fresh)


@transaction.atomic
def vote_close(*, budget: Budget) -> bool:
    """Erase every locator of the budget and shuffle its ballots, once the vote phase is
    over. Idempotent; returns True when this call closed the vote."""
    if not rules.vote_is_closed(budget):
        return False
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if locked.locators_erased_at is not None:
        budget.locators_erased_at = locked.locators_erased_at
        return False
    Ballot.objects.filter(envelope__budget=budget).update(locator=None)
    for envelope in budget.envelopes.all():
        shuffle_ballots(envelope)
    participation.reshuffle(process_id=budget.process_id, kind="ballot")
    now = timezone.now()
    Budget.objects.filter(pk=budget.pk).update(locators_erased_at=now)
    budget.locators_erased_at = now
    from apps.budgets.voting.results import compute_results
    from apps.core.models import audit

    # A first count for the agents' preview (not public until they publish it).
    compute_results(budget)

    audit(None, "budget.vote_closed", budget, ballots=Ballot.objects.filter(envelope__budget=budget).count())
    return True


def close_if_ended(budget: Budget) -> None:
    """Called by the vote and results pages: the first request after the end closes the vote
    (the periodic task does it too, for budgets nobody looks at)."""
    if budget.locators_erased_at is None and rules.vote_is_closed(budget):
        vote_close(budget=budget)


def close_ended_votes() -> int:
    """Close every vote whose phase ended (the periodic task)."""
    closed = 0
    for budget in Budget.objects.filter(locators_erased_at__isnull=True).select_related("process"):
        if rules.vote_is_closed(budget) and vote_close(budget=budget):
            closed += 1
    return closed
