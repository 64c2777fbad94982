"""Axe screens of the initiatives module: every page, each form also in its error state (one
screen covers both: scanned as loaded, then with the server's French errors)."""

from __future__ import annotations

from typing import Any

from tests.browser.screens import Screen, at_phone, errors, scanned_then, url

X = "extra.initiatives"
C = "extra.initiatives_closing"
PAGES: list[tuple[str, str, Any, bool]] = [
    # (name, persona, url, also in its error state)
    ("home", "anonymous", url("initiatives:home"), False),
    ("resources", "anonymous", url("initiatives:resources", query="?type=room"), False),
    ("file", "resident", url("initiatives:file"), True),
    ("detail-holder", "resident", url("initiatives:detail", pk=f"{X}.idea.pk"), True),
    ("detail-public", "anonymous", url("initiatives:detail", pk=f"{X}.granted.pk"), False),
    ("detail-donor", "other_resident", url("initiatives:detail", pk=f"{X}.granted.pk"), False),
    ("call", "anonymous", url("initiatives:call", slug=f"{X}.jury_call.slug"), False),
    ("stories", "anonymous", url("initiatives:stories"), False),
    ("review", "anonymous", url("initiatives:review"), False),
    ("join", "elu", url("initiatives:join", pk=f"{X}.idea.pk"), True),
    ("join-already", "other_resident", url("initiatives:join", pk=f"{X}.idea.pk"), False),
    ("time", "resident", url("initiatives:time", pk=f"{X}.idea.pk"), True),
    ("story", "resident", url("initiatives:story", pk=f"{X}.realised.pk"), True),
    ("detail-realised", "resident", url("initiatives:detail", pk=f"{X}.realised.pk"), False),
    ("bo-queue", "agent", url("initiatives_admin:queue"), False),
    ("bo-file", "agent", url("initiatives_admin:file"), True),
    ("bo-detail", "agent", url("initiatives_admin:detail", pk=f"{X}.idea.pk"), True),
    ("bo-decide", "agent", url("initiatives_admin:decide", pk=f"{X}.dossier.pk"), True),
    ("bo-payment", "agent", url("initiatives_admin:decide", pk=f"{X}.granted.pk"), True),
    ("bo-calls", "agent", url("initiatives_admin:calls"), False),
    ("bo-call-create", "agent", url("initiatives_admin:call_create"), True),
    ("bo-call", "agent", url("initiatives_admin:call", pk=f"{X}.jury_call.pk"), True),
    ("bo-resources", "agent", url("initiatives_admin:resources"), True),
    ("bo-reconcile", "agent", url("initiatives_admin:reconcile"), True),
    # The map, the directory of actors and the portes ouvertes.
    ("map", "anonymous", url("initiatives:map"), False),
    ("actors", "anonymous", url("initiatives:actors"), False),
    ("actor", "anonymous", url("initiatives:actor", pk=f"{X}.listed.pk"), False),
    ("actor-pending", "agent", url("initiatives:actor", pk=f"{X}.pending_actor.pk"), False),
    ("actor-contact", "resident", url("initiatives:actor_contact", pk=f"{X}.listed.pk"), True),
    ("actor-message", "other_resident", url("initiatives:actor_message", pk=f"{X}.message.pk"), True),
    (
        "actor-message-reported",
        "other_resident",
        url("initiatives:actor_message", pk=f"{X}.reported_message.pk"),
        False,
    ),
    ("bo-actor-messages", "agent", url("initiatives_admin:actor_messages"), False),
    ("my-entry", "resident", url("initiatives:my_entry"), True),
    ("my-entry-listed", "other_resident", url("initiatives:my_entry"), False),
    ("actor-propose", "resident", url("initiatives:actor_propose"), True),
    ("open-doors", "anonymous", url("initiatives:open_doors"), False),
    ("open-door-announce", "resident", url("initiatives:open_door_announce", pk=f"{X}.idea.pk"), True),
    ("bo-actors", "agent", url("initiatives_admin:actors"), False),
    # The end of a project and the sessions of an appel à agir.
    ("closing", "resident", url("initiatives:closing", pk=f"{C}.granted.pk"), True),
    ("call-sessions", "anonymous", url("initiatives:call", slug=f"{C}.call.slug"), False),
    ("bo-report", "agent", url("initiatives_admin:report", pk=f"{C}.granted.pk"), True),
    ("bo-sessions", "agent", url("initiatives_admin:sessions", pk=f"{C}.call.pk"), True),
    # Its only form examines the session, and an empty submission is valid (no dossier conforming).
    ("bo-session", "agent", url("initiatives_admin:session", pk=f"{C}.session.pk"), False),
]

# Pages with other forms (following, co-holding) before the one scanned in its error state.
FORMS = {
    "detail-holder": "#contenu form#present",
    "time": "#contenu form#temps",
    "open-door-announce": "#contenu form#annoncer",
    "closing": "#contenu form#ajouter-piece",
}

SCREENS: list[Screen] = [
    Screen(
        f"initiatives-{name}",
        builder,
        persona,
        action=scanned_then(errors(form=FORMS.get(name, "#contenu form[method=post i]"))) if with_errors else None,
    )
    for name, persona, builder, with_errors in PAGES
]

# Prefilled with the session as it is, the correction form is valid until a field is emptied.
SCREENS.append(
    Screen(
        "initiatives-bo-session-edit",
        url("initiatives_admin:session_edit", pk=f"{C}.session.pk"),
        "agent",
        action=scanned_then(errors({"[name=title]": ""})),
    )
)

# The time bank and the resources' tables at a phone's width, where they scroll (as loaded only:
# their error states are scanned above at the desktop width).
SCREENS += [
    at_phone(Screen(f"initiatives-{name}", builder, persona))
    for name, persona, builder, _ in PAGES
    if name in {"time", "bo-resources"}
]
