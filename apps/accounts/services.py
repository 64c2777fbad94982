"""Writes of the accounts app: sign-up, profile, RGPD export and deletion."""

from __future__ import annotations

import datetime
import enum
import secrets
from typing import Any, Final

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Territory


class Unchanged(enum.Enum):
    """A field the caller did not send (a sentinel, since None is a value: "no birth date")."""

    TOKEN = 0


UNCHANGED: Final = Unchanged.TOKEN


def _demographics(consent: bool, age_band: str, gender: str) -> tuple[str, str]:
    # Without consent nothing is stored, whatever the form posted: the consent is the
    # only legal basis for keeping these two sensitive-ish answers.
    if not consent:
        return "", ""
    return (
        age_band if age_band in User.AgeBand.values else "",
        gender if gender in User.Gender.values else "",
    )


@transaction.atomic
def account_signup(
    *,
    email: str,
    display_name: str,
    password: str,
    home_territory: Territory | None = None,
    demographics_consent: bool = False,
    age_band: str = "",
    gender: str = "",
) -> User:
    email = User.objects.normalize_email(email.strip())
    age_band, gender = _demographics(demographics_consent, age_band, gender)
    user = User(
        email=email,
        username=email.lower(),
        display_name=display_name.strip(),
        home_territory=home_territory,
        demographics_consent=demographics_consent,
        age_band=age_band,
        gender=gender,
        # Unconfirmed until the mailed link is opened (apps/accounts/verification.py).
        verification=User.Verification.NONE,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    home_territory: Territory | None,
    email_frequency: str,
    demographics_consent: bool,
    age_band: str = "",
    gender: str = "",
    birth_date: datetime.date | Unchanged | None = UNCHANGED,
) -> User:
    """Withdrawing the consent erases the age band and gender at once. The birth date, once
    fixed by a first ballot, is refused here (``verification.check_birth_date_change``)."""
    fields = ["display_name", "home_territory", "email_frequency", "demographics_consent", "age_band", "gender"]
    if not isinstance(birth_date, Unchanged):
        from apps.accounts.verification import check_birth_date_change

        # Read under a row lock: a ballot may be fixing the birth date at this very moment.
        locked = User.objects.select_for_update().filter(pk=user.pk).values_list("birth_date_locked_at", flat=True)
        user.birth_date_locked_at = locked.first()
        check_birth_date_change(user, birth_date)
        user.birth_date = birth_date
        fields.append("birth_date")
    user.display_name = display_name.strip()
    user.home_territory = home_territory
    user.email_frequency = email_frequency
    user.demographics_consent = demographics_consent
    user.age_band, user.gender = _demographics(demographics_consent, age_band, gender)
    user.full_clean()
    user.save(update_fields=fields)
    return user


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def account_export_data(user: User) -> dict[str, Any]:
    """Every personal datum Archipel holds about ``user`` (RGPD article 15 and 20)."""
    from apps.core.models import RoleAssignment
    from apps.notifications.models import Follow, Notification
    from apps.proposals.models import Comment, Proposal, Support

    proposals = Proposal.objects.filter(author=user).select_related("process", "theme", "territory").order_by("pk")
    comments = Comment.objects.filter(author=user).select_related("proposal").order_by("pk")
    supports = Support.objects.filter(user=user).select_related("proposal").order_by("pk")
    follows = Follow.objects.filter(user=user).select_related("process", "territory", "proposal").order_by("pk")
    notifications = Notification.objects.filter(user=user).order_by("pk")
    roles = RoleAssignment.objects.filter(user=user).select_related("territory", "process", "service").order_by("pk")
    from apps.budgets.models import VoterRecord

    # That the person voted, never how: ballots hold no link to anyone (apps/budgets/models.py).
    budget_votes = (
        VoterRecord.objects.filter(user=user).select_related("envelope__budget__process", "envelope__territory")
    ).order_by("pk")
    return {
        "format": "archipel-account-export/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "home_territory": user.home_territory.name if user.home_territory else None,
            "demographics_consent": user.demographics_consent,
            "age_band": user.age_band,
            "gender": user.gender,
            "email_frequency": user.email_frequency,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "proposals": [
            {
                "id": p.pk,
                "process": p.process.title,
                "title": p.title,
                "body": p.body,
                "theme": p.theme.name if p.theme else None,
                "territory": p.territory.name if p.territory else None,
                "address": p.address,
                "latitude": str(p.latitude) if p.latitude is not None else None,
                "longitude": str(p.longitude) if p.longitude is not None else None,
                "status": p.status,
                "is_withdrawn": p.is_withdrawn,
                "created_at": _iso(p.created_at),
            }
            for p in proposals
        ],
        "comments": [
            {
                "id": c.pk,
                "proposal_id": c.proposal_id,
                "proposal": c.proposal.title,
                "body": c.body,
                "stance": c.stance,
                "parent_id": c.parent_id,
                "is_hidden": c.is_hidden,
                "created_at": _iso(c.created_at),
            }
            for c in comments
        ],
        "supports": [
            {"proposal_id": s.proposal_id, "proposal": s.proposal.title, "created_at": _iso(s.created_at)}
            for s in supports
        ],
        "follows": [
            {
                "kind": "process" if f.process_id else "territory" if f.territory_id else "proposal",
                "target": str(f.process or f.territory or f.proposal),
                "created_at": _iso(f.created_at),
            }
            for f in follows
        ],
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
                "emailed_at": _iso(n.emailed_at),
            }
            for n in notifications
        ],
        "role_assignments": [
            {
                "role": r.role,
                "territory": r.territory.name if r.territory else None,
                "process": r.process.title if r.process else None,
                "service": r.service.name if r.service else None,
            }
            for r in roles
        ],
        "budget_votes": [
            {
                "budget": v.envelope.budget.process.title,
                "envelope": str(v.envelope),
                "voted": True,
                "channel": v.channel,
                "voted_on": _iso(v.voted_on),
            }
            for v in budget_votes
        ],
    }


def _delete_sessions(user: User) -> None:
    """Database sessions of ``user`` are deleted. Whatever the session engine, the
    unusable password changes the session auth hash, so any other session is refused
    on its next request anyway."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=1000):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()


def _anonymise_budget_votes(user: User) -> None:
    """Budget participations stay counted (turnout) but no longer name the account: the
    link is replaced by a random opaque identity, as for a paper voter."""
    from apps.budgets.models import VoterRecord

    for record in VoterRecord.objects.filter(user=user).only("pk"):
        VoterRecord.objects.filter(pk=record.pk).update(user=None, paper_identity=secrets.token_hex(32))


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Anonymise the account: contributions stay, shown as from a deleted participant;
    every personal field is erased and the account can no longer sign in."""
    from apps.core.models import RoleAssignment
    from apps.notifications.models import Follow, Notification

    # ``.invalid`` is reserved (RFC 2606): the placeholder can never route an email.
    placeholder = f"supprime-{user.pk}-{secrets.token_hex(8)}@compte-supprime.invalid"
    user.email = placeholder
    user.username = placeholder
    user.first_name = ""
    user.last_name = ""
    user.display_name = ""
    user.home_territory = None
    user.demographics_consent = False
    user.age_band = ""
    user.gender = ""
    user.email_frequency = User.EmailFrequency.NEVER
    user.last_login = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_deleted = True
    user.set_unusable_password()
    user.save()
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    # A deleted account holds no power any more.
    RoleAssignment.objects.filter(user=user).delete()
    _anonymise_budget_votes(user)
    user.groups.clear()
    user.user_permissions.clear()
    _delete_sessions(user)
    return user
