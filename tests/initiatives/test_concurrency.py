"""An appel à agir's envelope under 50 parallel accepts on PostgreSQL: never overspent, no grant
lost, the committed total equal to the sum of the grants."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum
from django.forms.models import model_to_dict

from apps.core.models import Territory
from apps.initiatives import services
from apps.initiatives.models import Call, Decision, Initiative
from tests.conftest import Personas
from tests.initiatives.factories import make_call, submitted

PARALLEL = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_accepts_never_overspend_the_envelope(personas: Personas, quartier: Territory) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")
    agent = personas["agent"]
    # 50 dossiers of 100 € each, an envelope of 3 000 €: exactly 30 fit.
    call = make_call(agent, quartier, mode=Call.Mode.OPEN, budget="3000.00")
    # One dossier through the services, 49 copies of it (the setup is not what is under test).
    first = submitted(personas["resident"], quartier, call, amount="100.00")
    copies = [
        Initiative(
            **{
                **model_to_dict(first, exclude=["id"]),
                "territory": quartier,
                "call": call,
                "holder": None,
                "filed_by": None,
                "referent": None,
                "referent_due": first.referent_due,
            }
        )
        for _ in range(PARALLEL - 1)
    ]
    dossiers = [first.pk, *(copy.pk for copy in Initiative.objects.bulk_create(copies))]
    barrier = threading.Barrier(PARALLEL)
    outcomes: list[str] = []

    def worker(pk: int) -> None:
        # The service the decision page calls, fifty times at once (requests through the test client
        # would add 10 s of session and middleware work and nothing to the locking under test).
        try:
            dossier = Initiative.objects.get(pk=pk)
            barrier.wait(timeout=60)
            services.decision_record(
                actor=agent, initiative=dossier, outcome="accepted", amount=Decimal(100), reasons="Conforme."
            )
            outcomes.append("granted")
        except ValidationError as error:
            outcomes.append("refused" if "enveloppe" in str(error) else repr(error))
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    call.refresh_from_db()
    granted = Decision.objects.filter(call=call, outcome="accepted")
    assert sorted(set(outcomes)) == ["granted", "refused"], outcomes  # refused with the French error
    assert outcomes.count("granted") == 30 and granted.count() == 30
    assert call.committed == Decimal("3000.00") == granted.aggregate(total=Sum("amount"))["total"]
    assert Initiative.objects.filter(call=call, stage=Initiative.Stage.FUNDED).count() == 30
