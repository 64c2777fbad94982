"""The data export (RGPD articles 15 and 20): everything the person gave or that is about them.

One function per section of the JSON; ``coverage.HOLDINGS`` names the section of each personal
field, and the coverage test checks that every named section is produced here. Budget votes say
in which envelopes the person voted, never how: ballots hold no link to anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.accounts.rgpd.coverage import AUDIT, HOLDINGS, STAFF, Holding, account_links, holdings_with_export

if TYPE_CHECKING:
    from apps.accounts.models import User

FORMAT = "archipel-account-export/2"
Rows = list[dict[str, Any]]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "home_territory": user.home_territory.name if user.home_territory else None,
        "birth_date": _iso(user.birth_date),
        "verification": user.verification,
        "verification_label": str(user.get_verification_display()),
        "demographics_consent": user.demographics_consent,
        "age_band": user.age_band,
        "age_band_label": str(user.get_age_band_display()) if user.age_band else "",
        "gender": user.gender,
        "gender_label": str(user.get_gender_display()) if user.gender else "",
        "email_frequency": user.email_frequency,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def _proposals(user: User) -> Rows:
    from apps.proposals.models import Proposal

    queryset = Proposal.objects.filter(author=user).select_related("process", "theme", "territory").order_by("pk")
    return [
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
            "images": [image.image.name for image in p.images.all()],
            "created_at": _iso(p.created_at),
        }
        for p in queryset.prefetch_related("images")
    ]


def _comments(user: User) -> Rows:
    from apps.proposals.models import Comment

    return [
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
        for c in Comment.objects.filter(author=user).select_related("proposal").order_by("pk")
    ]


def _supports(user: User) -> Rows:
    from apps.proposals.models import Support

    return [
        {"proposal_id": s.proposal_id, "proposal": s.proposal.title, "created_at": _iso(s.created_at)}
        for s in Support.objects.filter(user=user).select_related("proposal").order_by("pk")
    ]


def _reports(user: User) -> Rows:
    from apps.proposals.models import CommentReport

    return [
        {
            "comment_id": r.comment_id,
            "reason": r.reason,
            "created_at": _iso(r.created_at),
            "resolved_at": _iso(r.resolved_at),
        }
        for r in CommentReport.objects.filter(reporter=user).order_by("pk")
    ]


def _follows(user: User) -> Rows:
    from apps.notifications.models import Follow

    queryset = Follow.objects.filter(user=user).select_related("process", "territory", "proposal").order_by("pk")
    return [
        {
            "kind": "process" if f.process_id else "territory" if f.territory_id else "proposal",
            "target": str(f.process or f.territory or f.proposal),
            "created_at": _iso(f.created_at),
        }
        for f in queryset
    ]


def _notifications(user: User) -> Rows:
    from apps.notifications.models import Notification

    return [
        {
            "kind": n.kind,
            "title": n.title,
            "body": n.body,
            "url": n.url,
            "created_at": _iso(n.created_at),
            "read_at": _iso(n.read_at),
            "emailed_at": _iso(n.emailed_at),
        }
        for n in Notification.objects.filter(user=user).order_by("pk")
    ]


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


def _budget_projects(user: User) -> Rows:
    from apps.budgets.models import Project

    queryset = (
        Project.objects.filter(Q(author=user) | Q(coauthors=user))
        .distinct()
        .select_related("budget__process", "envelope__territory")
        .order_by("pk")
    )
    return [
        {
            "id": p.pk,
            "budget": p.budget.process.title,
            "role": "author" if p.author_id == user.pk else "coauthor",
            "collective": p.collective,
            "title": p.title,
            "description": p.description,
            "address": p.address,
            "latitude": str(p.latitude) if p.latitude is not None else None,
            "longitude": str(p.longitude) if p.longitude is not None else None,
            "estimated_cost": p.estimated_cost,
            "status": p.status,
            "created_at": _iso(p.created_at),
        }
        for p in queryset
    ]


def _budget_invitations(user: User) -> Rows:
    from apps.budgets.models import ProjectInvitation

    queryset = ProjectInvitation.objects.filter(Q(user=user) | Q(invited_by=user)).select_related("project")
    return [
        {
            "project_id": i.project_id,
            "project": i.project.title,
            "direction": "received" if i.user_id == user.pk else "sent",
            "created_at": _iso(i.created_at),
        }
        for i in queryset.order_by("pk")
    ]


def _budget_comments(user: User) -> Rows:
    from apps.budgets.models import ProjectComment

    queryset = ProjectComment.objects.filter(author=user).select_related("project").order_by("pk")
    return [
        {
            "id": c.pk,
            "project_id": c.project_id,
            "project": c.project.title,
            "body": c.body,
            "is_hidden": c.is_hidden,
            "created_at": _iso(c.created_at),
        }
        for c in queryset
    ]


def _budget_votes(user: User) -> Rows:
    """That the person voted, in which budget and envelope: never how (ballot secrecy)."""
    from apps.budgets.models import VoterRecord

    queryset = VoterRecord.objects.filter(user=user).select_related("envelope__budget__process", "envelope__territory")
    return [
        {
            "budget": v.envelope.budget.process.title,
            "envelope": str(v.envelope),
            "voted": True,
            "channel": v.channel,
            "voted_on": _iso(v.voted_on),
        }
        for v in queryset.order_by("pk")
    ]


def _volunteer_applications(user: User) -> Rows:
    from apps.sortition.models import VolunteerApplication

    queryset = VolunteerApplication.objects.filter(user=user).select_related("draw").order_by("pk")
    return [
        {
            "draw": a.draw.title,
            "answers": a.features,
            "phone": a.phone,
            "consent_at": _iso(a.consent_at),
            "created_at": _iso(a.created_at),
            "personal_data_deleted_on": _iso(a.draw.purge_on),
        }
        for a in queryset
    ]


def _sortition_pools(user: User) -> Rows:
    from apps.sortition.models import PoolMember

    queryset = PoolMember.objects.filter(user=user).select_related("draw").order_by("pk")
    return [
        {
            "draw": m.draw.title,
            "pseudonym": m.pseudonym,
            "answers": m.features,
            "contact": m.personal,
            "probability": m.probability,
            "status": m.status,
            "status_label": str(m.get_status_display()),
        }
        for m in queryset
    ]


def _panel_memberships(user: User) -> Rows:
    from apps.workshops.models import PanelMember

    queryset = (
        PanelMember.objects.filter(user=user)
        .select_related("workshop")
        .prefetch_related("attendances__sitting", "votes__recommendation")
        .order_by("pk")
    )
    return [
        {
            "workshop": m.workshop.title,
            "full_name": m.full_name,
            "public_name": m.public_name,
            "source": m.source,
            "status": m.status,
            "status_label": str(m.get_status_display()),
            "is_alternate": m.is_alternate,
            "attended": [
                {"session": a.sitting.title, "starts_at": _iso(a.sitting.starts_at)} for a in m.attendances.all()
            ],
            "recommendation_votes": [
                {"recommendation": v.recommendation.number, "choice": v.choice} for v in m.votes.all()
            ],
            "created_at": _iso(m.created_at),
        }
        for m in queryset
    ]


def _recommendation_revisions(user: User) -> Rows:
    from apps.workshops.models import RecommendationRevision

    queryset = RecommendationRevision.objects.filter(author=user).select_related("recommendation__opinion__workshop")
    return [
        {
            "workshop": r.recommendation.opinion.workshop.title,
            "recommendation": r.recommendation.number,
            "revision": r.number,
            "title": r.title,
            "text": r.text,
            "author_label": r.author_label,
            "created_at": _iso(r.created_at),
        }
        for r in queryset.order_by("pk")
    ]


def _council_memberships(user: User) -> Rows:
    from apps.councils.models import Membership

    queryset = (
        Membership.objects.filter(user=user)
        .select_related("council")
        .prefetch_related("attendances__sitting")
        .order_by("pk")
    )
    return [
        {
            "council": m.council.name,
            "college": m.college,
            "college_label": str(m.get_college_display()),
            "full_name": m.full_name,
            "public_name": m.public_name,
            "origin": m.origin,
            "term_start": _iso(m.term_start),
            "term_end": _iso(m.term_end),
            "status": m.status,
            "status_label": str(m.get_status_display()),
            "attendance": [
                {"meeting": a.sitting.title, "starts_at": _iso(a.sitting.starts_at), "status": a.status}
                for a in m.attendances.all()
            ],
        }
        for m in queryset
    ]


def _staff_records(user: User) -> Rows:
    """Acts done in a role (answers, notes, draws, paper entries...): which records name the
    account, not their content, which belongs to the city or to other people."""
    rows: Rows = []
    for holding in HOLDINGS:
        if holding.export != STAFF:
            continue
        model = apps.get_model(holding.model)
        for field in holding.fields:
            for pk in model._default_manager.filter(**{field: user}).order_by("pk").values_list("pk", flat=True):
                rows.append({"record": holding.model, "role": field, "id": pk})
    return rows


def audit_targets(user: User) -> Q:
    """Entries about the person: whose target is the account, one of its roles or one of its
    council seats (their labels name the person)."""
    from apps.councils.models import Membership

    memberships = [str(pk) for pk in Membership.objects.filter(user=user).values_list("pk", flat=True)]
    return (
        Q(target_type="accounts.user", target_id=str(user.pk))
        | Q(target_type="core.roleassignment", details__user=user.pk)
        | Q(target_type="councils.membership", target_id__in=memberships)
    )


def _audit_entries(user: User) -> Rows:
    from apps.core.models import AuditLogEntry

    about = audit_targets(user)
    about_ids = set(AuditLogEntry.objects.filter(about).values_list("pk", flat=True))
    rows: Rows = []
    for entry in AuditLogEntry.objects.filter(about | Q(actor=user)).order_by("created_at", "pk"):
        rows.append(
            {
                "created_at": _iso(entry.created_at),
                "action": entry.action,
                "by_me": entry.actor_id == user.pk,
                "target_type": entry.target_type,
                "target_id": entry.target_id,
                # What the person acted on in a role may name a third person: its label is
                # exported only when the entry is about the person.
                "target_label": entry.target_label if entry.pk in about_ids else None,
            }
        )
    return rows


SECTIONS: dict[str, Callable[[User], Any]] = {
    "account": _account,
    "proposals": _proposals,
    "comments": _comments,
    "supports": _supports,
    "reports": _reports,
    "follows": _follows,
    "notifications": _notifications,
    "role_assignments": _roles,
    "budget_projects": _budget_projects,
    "budget_invitations": _budget_invitations,
    "budget_comments": _budget_comments,
    "budget_votes": _budget_votes,
    "volunteer_applications": _volunteer_applications,
    "sortition_pools": _sortition_pools,
    "panel_memberships": _panel_memberships,
    "recommendation_revisions": _recommendation_revisions,
    "council_memberships": _council_memberships,
    STAFF: _staff_records,
    AUDIT: _audit_entries,
}


def _generic_rows(user: User, holdings: list[Holding]) -> Rows:
    """A section declared in ``HOLDINGS`` without its own function above: every field of the
    rows that link to the person, except links to other accounts (third parties)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    rows: Rows = []
    for holding in holdings:
        model = apps.get_model(holding.model)
        links = account_links(holding)
        if not links:
            continue
        mine = Q()
        for name in links:
            mine |= Q(**{name: user})
        for obj in model._default_manager.filter(mine).order_by("pk"):
            row: dict[str, Any] = {"record": holding.model, "id": obj.pk}
            for field in model._meta.concrete_fields:
                if field.primary_key or field.related_model is user_model:
                    continue
                value = getattr(obj, field.name)
                row[field.name] = (
                    value
                    if value is None or isinstance(value, bool | int | float | str | dict | list)
                    else (_iso(value) if hasattr(value, "isoformat") else str(value))
                )
            rows.append(row)
    return rows


def account_export_data(user: User) -> dict[str, Any]:
    """Every personal datum Archipel holds about ``user`` (RGPD article 15 and 20)."""
    data: dict[str, Any] = {"format": FORMAT, "exported_at": timezone.now().isoformat()}
    for key, build in SECTIONS.items():
        data[key] = build(user)
    for key in sorted({h.export for h in HOLDINGS if h.export is not None} - set(SECTIONS)):
        data[key] = _generic_rows(user, holdings_with_export(key))
    return data
