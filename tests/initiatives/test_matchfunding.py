"""Matchfunding: pledges get a payment reference, agents reconcile, the fund matches within the
call's ratio and caps, every movement is in an append-only ledger that balances, nothing is
counted twice — also under concurrent reconciliations on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Territory
from apps.initiatives import matchfunding, services
from apps.initiatives.models import Call, Initiative, LedgerEntry, LedgerImmutable, Pledge
from tests.conftest import Personas, body_of
from tests.factories import UserFactory
from tests.initiatives.factories import make_call, submitted

D = Decimal


def _campaign(personas: Personas, quartier: Territory, **match: str) -> Initiative:
    agent = personas["agent"]
    settings = {"match_ratio": D(match.get("ratio", "1")), "match_cap_project": D(match.get("project", "0"))}
    settings["match_cap_donor"] = D(match.get("donor", "0"))
    call = make_call(agent, quartier, mode=Call.Mode.OPEN, budget=match.get("budget", "1000.00"), **settings)
    idea = submitted(personas["resident"], quartier, call, amount="200.00")
    services.decision_record(actor=agent, initiative=idea, outcome="accepted", amount=D(200), reasons="Conforme.")
    idea.refresh_from_db()
    return idea


def _balanced(idea: Initiative) -> bool:
    return bool(LedgerEntry.objects.filter(initiative=idea).aggregate(total=Sum("amount"))["total"] == 0)


@pytest.mark.django_db
def test_a_pledge_counts_once_reconciled_and_is_matched(personas: Personas, quartier: Territory) -> None:
    idea = _campaign(personas, quartier, ratio="1")
    pledge = matchfunding.pledge_create(donor=personas["other_resident"], initiative=idea, amount=D("25.50"))
    assert pledge.reference.startswith("AR-") and pledge.state == Pledge.State.PENDING
    assert matchfunding.totals(idea).total == 0 and matchfunding.totals(idea).pending == D("25.50")
    agent = personas["agent"]
    with pytest.raises(ValidationError, match="diffère"):
        matchfunding.pledge_receive(actor=agent, reference=pledge.reference, amount=D("25.00"))
    matchfunding.pledge_receive(actor=agent, reference=pledge.reference.lower(), amount=D("25.50"))
    with pytest.raises(ValidationError, match="deux fois"):
        matchfunding.pledge_receive(actor=agent, reference=pledge.reference, amount=D("25.50"))
    totals = matchfunding.totals(idea)
    assert (totals.donors, totals.fund, totals.total, totals.pending) == (D("25.50"), D("25.50"), D("51.00"), D(0))
    assert _balanced(idea)
    idea.call.refresh_from_db()  # type: ignore[union-attr]
    assert idea.call.committed == D("225.50")  # type: ignore[union-attr]  # the grant, then the match
    with pytest.raises(ValidationError):
        matchfunding.pledge_receive(actor=personas["admin_elsewhere"], reference=pledge.reference, amount=D(1))


@pytest.mark.django_db
def test_the_project_and_donor_caps_limit_the_match(personas: Personas, quartier: Territory) -> None:
    idea = _campaign(personas, quartier, ratio="2", project="100", donor="30")
    agent, donor, other = personas["agent"], personas["other_resident"], personas["elu"]
    first = matchfunding.pledge_create(donor=donor, initiative=idea, amount=D(20))
    matchfunding.pledge_receive(actor=agent, reference=first.reference, amount=D(20))  # matched 40
    second = matchfunding.pledge_create(donor=donor, initiative=idea, amount=D(20))
    matchfunding.pledge_receive(actor=agent, reference=second.reference, amount=D(20))  # donor cap: 10 € more → 20
    third = matchfunding.pledge_create(donor=other, initiative=idea, amount=D(30))
    matchfunding.pledge_receive(actor=agent, reference=third.reference, amount=D(30))  # project cap: 40 left
    fund = [-e.amount for e in LedgerEntry.objects.filter(account="fund").order_by("pk")]
    assert fund == [D(40), D(20), D(40)]
    assert matchfunding.totals(idea).fund == D(100) and _balanced(idea)


@pytest.mark.django_db
def test_only_supported_matchfunding_projects_take_pledges(personas: Personas, quartier: Territory) -> None:
    plain = make_call(personas["agent"], quartier, mode=Call.Mode.OPEN)
    idea = submitted(personas["resident"], quartier, plain)
    with pytest.raises(ValidationError):
        matchfunding.pledge_create(donor=personas["other_resident"], initiative=idea, amount=D(10))
    assert not Pledge.objects.exists()


@pytest.mark.django_db
def test_the_ledger_is_append_only(personas: Personas, quartier: Territory) -> None:
    idea = _campaign(personas, quartier)
    pledge = matchfunding.pledge_create(donor=personas["other_resident"], initiative=idea, amount=D(10))
    matchfunding.pledge_receive(actor=personas["agent"], reference=pledge.reference, amount=D(10))
    line = LedgerEntry.objects.first()
    assert line is not None
    with pytest.raises(LedgerImmutable):
        line.save()
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.all().update(amount=0)
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.all().delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE initiatives_ledgerentry SET amount = 0")
    assert _balanced(idea)


@pytest.mark.django_db
def test_pledging_and_reconciling_through_the_pages(
    personas: Personas, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    idea = _campaign(personas, quartier)
    donor = client_for(personas["other_resident"])
    response = donor.post(reverse("initiatives:pledge", kwargs={"pk": idea.pk}), {"amount": "15,00"})
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and pledge.amount == D(15)
    page = body_of(donor.get(idea.get_absolute_url())).decode()
    assert pledge.reference in page and "Aucune donnée bancaire" in page
    # Another visitor never sees someone else's reference.
    assert pledge.reference not in body_of(client_for(personas["resident"]).get(idea.get_absolute_url())).decode()
    agent = client_for(personas["agent"])
    url = reverse("initiatives_admin:reconcile")
    statement = f"reference;montant\n{pledge.reference};15,00\nAR-INCONNUE;3\n".encode()
    upload = SimpleUploadedFile("releve.csv", statement, content_type="text/csv")
    assert agent.post(url, {"statement": upload}).status_code == 302
    pledge.refresh_from_db()
    assert pledge.state == Pledge.State.RECEIVED and matchfunding.totals(idea).total == D(30)
    assert agent.post(url, {"reference": "", "amount": ""}).status_code == 400


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reconciliations_count_each_pledge_once(personas: Personas, quartier: Territory) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")
    # 20 pledges of 10 €, a project cap of 150 €, and every payment reconciled twice at once.
    idea = _campaign(personas, quartier, ratio="1", project="150")
    donors = UserFactory.create_batch(20)
    references = [matchfunding.pledge_create(donor=d, initiative=idea, amount=D(10)).reference for d in donors]
    jobs = references * 2
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    agent = personas["agent"]

    def worker(reference: str) -> None:
        try:
            barrier.wait(timeout=60)
            matchfunding.pledge_receive(actor=agent, reference=reference, amount=D(10))
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append("twice" if "deux fois" in str(error) else repr(error))
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(reference,)) for reference in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["booked"] * 20 + ["twice"] * 20, outcomes
    totals = matchfunding.totals(idea)
    assert (totals.donors, totals.fund) == (D(200), D(150)) and _balanced(idea)
    assert LedgerEntry.objects.filter(account="donors").count() == 20
