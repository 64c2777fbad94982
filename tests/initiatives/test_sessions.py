"""Appels à agir in sessions: dossiers gathered by cutoff, every conforming dossier supported
without a ranking vote, pro rata (published, deterministic, to the cent) when a session's dossiers
ask for more than it has, leftovers rolling to the next session; examinations racing on
PostgreSQL grant once."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Territory
from apps.initiatives import services, sessions
from apps.initiatives.models import Call, CallSession, Decision, Initiative
from tests.conftest import Personas, body_of
from tests.initiatives.factories import make_call, submitted

pytestmark = pytest.mark.django_db

D = Decimal


def _sessions_call(
    agent: User, quartier: Territory, budget: str = "2000.00", tranches: tuple[str, ...] = ("1000.00", "1000.00")
) -> tuple[Call, list[CallSession]]:
    call = make_call(agent, quartier, mode=Call.Mode.SESSIONS, budget=budget)
    today = timezone.localdate()
    made = [
        sessions.session_add(
            actor=agent,
            call=call,
            title=f"Session {n + 1}",
            cutoff=today + datetime.timedelta(days=3 * n),
            examines_on=today + datetime.timedelta(days=3 * n + 1),
            tranche=D(tranche),
        )
        for n, tranche in enumerate(tranches)
    ]
    return call, made


def _close_cutoff(session: CallSession, days_ago: int = 1) -> None:
    """The session's cutoff day is over (the dossiers were filed before it)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=days_ago)
    CallSession.objects.filter(pk=session.pk).update(cutoff=yesterday, examines_on=yesterday)
    session.refresh_from_db()


# --- the rule --------------------------------------------------------------------------------


def test_everything_asked_is_granted_when_it_fits() -> None:
    rule, shares = sessions.allocate(D("1000.00"), [(1, D("300.00")), (2, D("700.00"))])
    assert rule == CallSession.Rule.FULL and shares == {1: D("300.00"), 2: D("700.00")}


def test_pro_rata_to_the_cent_with_the_remaining_cents_in_filing_order() -> None:
    rule, shares = sessions.allocate(D("1000.00"), [(7, D("300.00")), (3, D("500.00")), (5, D("400.00"))])
    # 1000 × 300/1200 = 250, × 500/1200 = 416.666…, × 400/1200 = 333.333…: 999.99 rounded down,
    # the cent left goes to the first filed (pk 7), not the smallest pk.
    assert rule == CallSession.Rule.PRO_RATA
    assert shares == {7: D("250.01"), 3: D("416.66"), 5: D("333.33")}
    assert sum(shares.values()) == D("1000.00")
    assert sessions.allocate(D("1000.00"), [(7, D("300.00")), (3, D("500.00")), (5, D("400.00"))])[1] == shares


def test_pro_rata_never_exceeds_what_is_available_nor_what_is_asked() -> None:
    asked = [(n, D(f"{13 + 7 * n}.{n % 100:02d}")) for n in range(1, 60)]
    for available in (D("0.00"), D("0.05"), D("99.99"), D("1234.56")):
        _rule, shares = sessions.allocate(available, asked)
        assert sum(shares.values()) <= available
        assert all(D(0) <= shares[pk] <= amount for pk, amount in asked)


# --- the flow --------------------------------------------------------------------------------


def test_a_session_supports_every_conforming_dossier_pro_rata_and_publishes_why(
    personas: Personas, quartier: Territory
) -> None:
    agent, resident = personas["agent"], personas["resident"]
    call, (first, _second) = _sessions_call(agent, quartier)
    dossiers = [
        submitted(resident, quartier, call, amount=amount, title=f"Projet {amount}")
        for amount in ("300.00", "500.00", "400.00")
    ]
    off_topic = submitted(resident, quartier, call, amount="200.00", title="Hors critères")
    assert {d.session_id for d in [*dossiers, off_topic]} == {first.pk}
    assert all(d.submitted_at is not None for d in dossiers)
    # A grant outside the session's examination is refused; a reasoned refusal is not.
    with pytest.raises(ValidationError, match="examen de leur session"):
        services.decision_record(actor=agent, initiative=dossiers[0], outcome="accepted", amount=D(300), reasons="Oui.")
    services.decision_record(
        actor=agent, initiative=off_topic, outcome="refused", amount=D(0), reasons="Hors critères."
    )
    with pytest.raises(ValidationError, match="ouverts jusqu'au"):
        sessions.session_examine(actor=agent, session=first, conforming=dossiers)
    _close_cutoff(first)
    with pytest.raises(ValidationError) as missing:
        sessions.session_examine(actor=agent, session=first, conforming=dossiers[:2])
    assert "Projet 400.00" in str(missing.value)
    decisions = sessions.session_examine(actor=agent, session=first, conforming=dossiers, note="Session du printemps.")
    amounts = {d.initiative_id: d.amount for d in decisions}
    assert amounts == {dossiers[0].pk: D("250.01"), dossiers[1].pk: D("416.66"), dossiers[2].pk: D("333.33")}
    assert all("prorata" in d.reasons and d.sitting_id is None for d in decisions)
    call.refresh_from_db()
    first.refresh_from_db()
    assert call.committed == D("1000.00") == first.granted == first.available
    assert first.requested == D("1200.00") and first.rule == CallSession.Rule.PRO_RATA and first.rolled_over == 0
    assert Initiative.objects.filter(pk__in=[d.pk for d in dossiers], stage=Initiative.Stage.FUNDED).count() == 3
    with pytest.raises(ValidationError, match="déjà été examinée"):
        sessions.session_examine(actor=agent, session=first, conforming=[])


def test_what_a_session_leaves_rolls_to_the_next(personas: Personas, quartier: Territory) -> None:
    agent, resident = personas["agent"], personas["resident"]
    call, (first, second) = _sessions_call(agent, quartier)
    early = submitted(resident, quartier, call, amount="400.00")
    _close_cutoff(first, days_ago=2)
    sessions.session_examine(actor=agent, session=first, conforming=[early])
    first.refresh_from_db()
    assert first.rule == CallSession.Rule.FULL and first.rolled_over == D("600.00")
    # Filed now, the dossiers go to the second session: 1 000 of its own + 600 left by the first.
    later = [submitted(resident, quartier, call, amount="500.00", title=f"Plus tard {n}") for n in range(4)]
    assert {d.session_id for d in later} == {second.pk}
    _close_cutoff(second)
    decisions = sessions.session_examine(actor=agent, session=second, conforming=later)
    second.refresh_from_db()
    assert second.available == D("1600.00") and second.requested == D("2000.00")
    assert sorted(d.amount for d in decisions) == [D("400.00")] * 4
    call.refresh_from_db()
    assert call.committed == D("2000.00") == call.budget


def test_sessions_are_examined_in_order_and_filing_closes_after_the_last(
    personas: Personas, quartier: Territory
) -> None:
    agent, resident = personas["agent"], personas["resident"]
    call, (first, second) = _sessions_call(agent, quartier)
    early = submitted(resident, quartier, call, amount="100.00")
    today = timezone.localdate()
    CallSession.objects.filter(pk=first.pk).update(cutoff=today - datetime.timedelta(days=2))
    _close_cutoff(second)
    with pytest.raises(ValidationError, match="Examinez d'abord la session « Session 1 »"):
        sessions.session_examine(actor=agent, session=second, conforming=[])
    with pytest.raises(ValidationError, match="plus de session à venir"):
        submitted(resident, quartier, call, amount="100.00", title="Trop tard")
    first.refresh_from_db()
    sessions.session_examine(actor=agent, session=first, conforming=[early])
    assert sessions.session_examine(actor=agent, session=second, conforming=[]) == []


def test_sessions_are_planned_within_the_envelope(personas: Personas, quartier: Territory) -> None:
    agent = personas["agent"]
    call, _made = _sessions_call(agent, quartier, budget="2500.00")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        sessions.session_add(
            actor=agent,
            call=call,
            title="Trop",
            cutoff=today + datetime.timedelta(days=9),
            examines_on=today + datetime.timedelta(days=9),
            tranche=D("500.01"),
        )
    assert "il reste 500.00 €" in str(error.value)
    jury = make_call(agent, quartier, slug="jury")
    with pytest.raises(ValidationError, match="en sessions"):
        sessions.session_add(actor=agent, call=jury, title="S", cutoff=today, examines_on=today, tranche=D(1))
    with pytest.raises(ValidationError, match="périmètre"):
        sessions.session_add(
            actor=personas["admin_elsewhere"],
            call=call,
            title="S",
            cutoff=today + datetime.timedelta(days=8),
            examines_on=today + datetime.timedelta(days=8),
            tranche=D(1),
        )


def test_the_call_page_publishes_the_sessions_and_the_rule(
    personas: Personas, quartier: Territory, client: Client
) -> None:
    agent, resident = personas["agent"], personas["resident"]
    call, (first, _second) = _sessions_call(agent, quartier)
    dossier = submitted(resident, quartier, call, amount="500.00")
    _close_cutoff(first)
    sessions.session_examine(actor=agent, session=first, conforming=[dossier])
    page = body_of(client.get(call.get_absolute_url())).decode()
    assert "une part proportionnelle à son montant demandé" in page and "Session 1" in page
    assert "500,00 € reportés" in page and "1000,00 € disponibles" in page, page[page.index("sessions-title") :][:3000]


def test_the_back_office_examines_a_session(personas: Personas, quartier: Territory, client_for: object) -> None:
    agent, resident = personas["agent"], personas["resident"]
    call, (first, _second) = _sessions_call(agent, quartier)
    dossier = submitted(resident, quartier, call, amount="300.00")
    client = client_for(agent)  # type: ignore[operator]
    url = reverse("initiatives_admin:session", kwargs={"pk": first.pk})
    assert "s'examine le lendemain" in body_of(client.get(url)).decode()
    _close_cutoff(first)
    response = client.post(url, {"conforming": [], "note": ""})
    assert response.status_code == 400 and "doit être déclaré conforme" in body_of(response).decode()
    assert not Decision.objects.exists()
    response = client.post(url, {"conforming": [dossier.pk], "note": ""})
    assert response.status_code == 302
    assert Decision.objects.get(initiative=dossier).amount == D("300.00")


# --- concurrency -----------------------------------------------------------------------------

PARALLEL = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_examinations_of_a_session_grant_once(
    personas: Personas, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    """Twelve agents press « Examiner » at once (parallel POST requests): one examination, each
    dossier decided once, the envelope spent once."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    agent, resident = personas["agent"], personas["resident"]
    call, (first, _second) = _sessions_call(agent, quartier)
    dossiers = [submitted(resident, quartier, call, amount="300.00", title=f"D{n}") for n in range(5)]
    _close_cutoff(first)
    url = reverse("initiatives_admin:session", kwargs={"pk": first.pk})
    clients = [client_for(agent) for _ in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []

    def worker(client: Client) -> None:
        try:
            barrier.wait(timeout=60)
            statuses.append(client.post(url, {"conforming": [d.pk for d in dossiers], "note": ""}).status_code)
        except BaseException as error:
            statuses.append(-1)
            raise error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    # One redirect after the examination; the others answer the form with « déjà été examinée ».
    assert sorted(statuses) == [302] + [400] * (PARALLEL - 1), statuses
    call.refresh_from_db()
    granted = Decision.objects.filter(call=call)
    assert granted.count() == 5
    assert call.committed == D("1000.00") == granted.aggregate(total=Sum("amount"))["total"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_filings_racing_an_examination_land_in_one_session_only(personas: Personas, quartier: Territory) -> None:
    """Holders file while the agent examines: each dossier is either examined now (filed before the
    lock) or waits for the next session — never attached to a session already examined."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    agent, resident = personas["agent"], personas["resident"]
    call, (first, second) = _sessions_call(agent, quartier)
    # The first session's cutoff is today (filing open); the examining thread moves it back to
    # yesterday (the day turning) and examines it while the holders file.
    ideas = [
        services.initiative_file(
            title=f"Idée {n}",
            description="d",
            place="p",
            territory=quartier,
            who="w",
            category="nature",
            helps=["money"],
            is_public=True,
            holder=resident,
        )
        for n in range(10)
    ]
    barrier = threading.Barrier(len(ideas) + 1)
    outcomes: list[str] = []

    def file(idea: Initiative) -> None:
        try:
            barrier.wait(timeout=60)
            services.initiative_submit(holder=resident, initiative=idea, call=call, amount_requested=D("150.00"))
            outcomes.append("filed")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    def examine() -> None:
        try:
            barrier.wait(timeout=60)
            _close_cutoff(first)
            sessions.session_examine(
                actor=agent, session=first, conforming=Initiative.objects.filter(session=first, decision__isnull=True)
            )
            outcomes.append("examined")
        except ValidationError as error:
            # A dossier that joined the session between the read of the form and the lock.
            outcomes.append("retry" if "déclaré conforme" in str(error) else repr(error))
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=(idea,)) for idea in ideas] + [threading.Thread(target=examine)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes.count("filed") + sum(1 for o in outcomes if "plus de session" in o) == len(ideas), outcomes
    first.refresh_from_db()
    # Every dossier of an examined session has its decision; none waits in it undecided.
    if first.examined_at is not None:
        assert not Initiative.objects.filter(session=first, decision__isnull=True).exists()
    assert not Initiative.objects.filter(call=call).exclude(session__in=[first, second]).exists()
    call.refresh_from_db()
    assert call.committed == (Decision.objects.filter(call=call).aggregate(total=Sum("amount"))["total"] or 0)


def test_an_idea_merged_into_another_leaves_its_session(personas: Personas, quartier: Territory) -> None:
    from apps.initiatives import community

    agent, resident = personas["agent"], personas["resident"]
    call, (first, _second) = _sessions_call(agent, quartier)
    kept = submitted(resident, quartier, call, amount="300.00", title="Gardé")
    joined = submitted(resident, quartier, call, amount="200.00", title="Rejoint")
    community.initiative_merge(actor=agent, source=joined, target=kept)
    assert list(sessions.pending(first)) == [kept]
    _close_cutoff(first)
    decisions = sessions.session_examine(actor=agent, session=first, conforming=[kept])
    assert [d.initiative_id for d in decisions] == [kept.pk]
    first.refresh_from_db()
    assert first.requested == D("300.00")


# --- correcting a session ----------------------------------------------------------------------


def test_a_session_is_corrected_until_examined_and_its_cutoff_holds_once_a_dossier_waits(
    personas: Personas, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    agent = personas["agent"]
    call, (first, second) = _sessions_call(agent, quartier)
    today = timezone.localdate()
    edit_url = reverse("initiatives_admin:session_edit", kwargs={"pk": first.pk})
    session_page = body_of(client_for(agent).get(reverse("initiatives_admin:session", kwargs={"pk": first.pk})))
    assert edit_url in session_page.decode()
    # The élu·e reads the back office but does not plan; another resident, an agent elsewhere: no.
    for persona in ("elu", "resident", "admin_elsewhere"):
        assert client_for(personas[persona]).get(edit_url).status_code == 403, persona
    form = {
        "title": "Session de printemps",
        "cutoff": (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        "examines_on": (today + datetime.timedelta(days=2)).strftime("%d/%m/%Y"),
        "tranche": "900",
    }
    assert client_for(agent).post(edit_url, form).status_code == 302
    first.refresh_from_db()
    assert (first.title, first.cutoff, first.tranche) == (
        "Session de printemps",
        today + datetime.timedelta(days=1),
        D("900"),
    )
    # The envelope and the calendar still hold: errors in French, what was typed kept.
    too_much = client_for(agent).post(edit_url, {**form, "tranche": "1100", "title": "Trop gros"})
    page = body_of(too_much).decode()
    assert too_much.status_code == 400 and "dépasseraient l" in page and 'value="Trop gros"' in page
    same_day = (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y")  # the second session's cutoff
    response = client_for(agent).post(edit_url, {**form, "cutoff": same_day, "examines_on": same_day})
    assert response.status_code == 400 and "déjà cette date limite" in body_of(response).decode()
    # A dossier waits for it: its cutoff no longer moves, the rest may.
    submitted(personas["resident"], quartier, call, amount="100.00")
    assert Initiative.objects.filter(session=first).exists()
    later = {**form, "cutoff": (today + datetime.timedelta(days=2)).strftime("%d/%m/%Y")}
    response = client_for(agent).post(edit_url, later)
    assert response.status_code == 400 and "Des dossiers attendent déjà cette session" in body_of(response).decode()
    postponed = {**form, "examines_on": (today + datetime.timedelta(days=5)).strftime("%d/%m/%Y")}
    assert client_for(agent).post(edit_url, postponed).status_code == 302
    first.refresh_from_db()
    assert first.examines_on == today + datetime.timedelta(days=5) and first.cutoff == today + datetime.timedelta(
        days=1
    )
    # Examined: it no longer changes, and the page offers no correction.
    _close_cutoff(first)
    sessions.session_examine(actor=agent, session=first, conforming=list(sessions.pending(first)), note="")
    assert client_for(agent).get(edit_url).status_code == 403
    with pytest.raises(ValidationError, match="examinée ne change plus"):
        sessions.session_update(
            actor=agent, session=first, title="x", cutoff=first.cutoff, examines_on=first.examines_on, tranche=D("1")
        )
    assert (
        edit_url
        not in body_of(client_for(agent).get(reverse("initiatives_admin:session", kwargs={"pk": first.pk}))).decode()
    )
    assert second.title == "Session 2"
