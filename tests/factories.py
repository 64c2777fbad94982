"""factory_boy factories for the core model. Modules add theirs next to their tests.

Each factory is a ``DjangoModelFactory[Model]``: call ``XFactory.create(...)`` (typed, returns the
model) rather than ``XFactory(...)``, which mypy types as the factory itself."""

from __future__ import annotations

import datetime
import functools
from typing import Any

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import User
from apps.answers.models import Answer
from apps.core.models import Process, RoleAssignment, Service, Territory, Theme
from apps.discussion.models import Comment
from apps.discussion.targets import target_for
from apps.followup.models import Commitment
from apps.proposals.models import Proposal


class TerritoryFactory(factory.django.DjangoModelFactory[Territory]):
    class Meta:
        model = Territory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")
    kind = Territory.Kind.QUARTIER
    population = 30000


class ThemeFactory(factory.django.DjangoModelFactory[Theme]):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ServiceFactory(factory.django.DjangoModelFactory[Service]):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Direction {n}")


PASSWORD = "motdepasse-solide-42"


@functools.cache
def _password_hash(hasher: str) -> str:
    # Made once per hasher (``hasher``: the default one, the first of PASSWORD_HASHERS) and given
    # to every test account in its INSERT: setting it on each account after creating it cost an
    # UPDATE per account, some six per test that uses the personas.
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    display_name = factory.Sequence(lambda n: f"Personne {n}")
    # Existing tests act as confirmed residents; new sign-ups start at "none" (tests/accounts).
    verification = "email"
    # Every test account signs in with PASSWORD.
    password = factory.LazyFunction(lambda: _password_hash(settings.PASSWORD_HASHERS[0]))


class RoleFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)


class ProcessFactory(factory.django.DjangoModelFactory[Process]):
    class Meta:
        model = Process

    title = factory.Sequence(lambda n: f"Démarche {n}")
    slug = factory.Sequence(lambda n: f"demarche-{n}")
    summary = "Une démarche pour imaginer ensemble le quartier."
    territory = factory.SubFactory(TerritoryFactory)
    rules_open = "L'aménagement de la place."
    rules_closed = "Le budget global."
    rules_decider = "Le conseil municipal."
    rules_use = "Chaque proposition reçoit une réponse argumentée."
    answer_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))
    is_published = True


class ProposalFactory(factory.django.DjangoModelFactory[Proposal]):
    class Meta:
        model = Proposal

    process = factory.SubFactory(ProcessFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposition {n} : des bancs à l'ombre")
    body = "Installer des bancs et des arbres près de l'école."
    territory = factory.LazyAttribute(lambda o: o.process.territory)


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    """A comment on ``on`` (any registered object), or on ``proposal`` (a new one by default)."""

    class Meta:
        model = Comment
        exclude = ("on", "proposal", "discussed")

    on = None
    proposal = factory.Maybe("on", yes_declaration=None, no_declaration=factory.SubFactory(ProposalFactory))
    discussed = factory.LazyAttribute(lambda o: o.on if o.on is not None else o.proposal)
    target_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.discussed))
    target_id = factory.LazyAttribute(lambda o: o.discussed.pk)
    process = factory.LazyAttribute(lambda o: target_for(o.discussed).process_of(o.discussed))
    stance = factory.LazyAttribute(lambda o: Comment.Stance.NEUTRAL if target_for(o.discussed).stances else "")
    author = factory.SubFactory(UserFactory)
    parent = None
    root = factory.LazyAttribute(lambda o: (o.parent.root or o.parent) if o.parent is not None else None)
    body = "Bonne idée, il manque de l'ombre l'été."


class CommitmentFactory(factory.django.DjangoModelFactory[Commitment]):
    class Meta:
        model = Commitment

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Engagement {n}")


def make_answer(
    *,
    proposal: Proposal | None = None,
    source: Any = None,
    status: str,
    body: str,
    state: str = "published",
    **extra: Any,
) -> Answer:
    """A reasoned answer written straight to the database (no signing flow): published by
    default, to ``proposal`` or any ``source``."""
    source = source if source is not None else proposal
    process_id = source.process_id if hasattr(source, "process_id") else source.opinion.workshop.process_id
    return Answer.all_objects.create(
        source=source, process_id=process_id, status=status, body=body, state=state, **extra
    )
