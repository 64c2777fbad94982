"""The secrecy migrations (0003–0005) on existing data: the demo and any running vote have
sequential keys and voter records without budget or scope.

The test migrates the budgets app back to 0002, writes rows with the historical models
(including the exploit of issue 8 item 2: one account in two quartier envelopes), migrates
forward and checks the data: same ballots and choices, random keys, budgets and scopes
filled, duplicates detached, counted paper sheets scrubbed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import ProcessFactory, TerritoryFactory, UserFactory
from tests.migrations_kit import latest as _latest
from tests.migrations_kit import migrate as _migrate

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [("budgets", "0002_projects")]


def test_the_secrecy_migrations_keep_every_ballot_and_rekey_them() -> None:
    # Territories, the process and the accounts do not change: made with today's factories.
    city = TerritoryFactory.create(name="Ville", slug="ville-m", kind="city", parent=None)
    north = TerritoryFactory.create(name="Nord", slug="nord-m", parent=city)
    south = TerritoryFactory.create(name="Sud", slug="sud-m", parent=city)
    process = ProcessFactory.create(territory=city, slug="bp-migration")
    people = [UserFactory.create() for _ in range(5)]
    old = _migrate(BEFORE)
    try:
        Budget = old.get_model("budgets", "Budget")
        Envelope = old.get_model("budgets", "Envelope")
        Project = old.get_model("budgets", "Project")
        VoterRecord = old.get_model("budgets", "VoterRecord")
        Ballot = old.get_model("budgets", "Ballot")
        BallotChoice = old.get_model("budgets", "BallotChoice")
        PaperSheet = old.get_model("budgets", "PaperSheet")

        budget = Budget.objects.create(process_id=process.pk, total_amount=100_000)
        envelopes = {
            None: Envelope.objects.create(budget=budget, territory_id=None, amount=50_000),
            "north": Envelope.objects.create(budget=budget, territory_id=north.pk, amount=25_000),
            "south": Envelope.objects.create(budget=budget, territory_id=south.pk, amount=25_000),
        }
        projects = {
            key: Project.objects.create(
                budget=budget, envelope=envelope, title=f"P {key}", description="x", estimated_cost=1_000
            )
            for key, envelope in envelopes.items()
        }
        for person in people:
            for key in (None, "north"):
                VoterRecord.objects.create(envelope=envelopes[key], user_id=person.pk, territory_id=north.pk)
                ballot = Ballot.objects.create(envelope=envelopes[key], receipt=f"R-{person.pk}-{key}", locator=None)
                BallotChoice.objects.create(ballot=ballot, project=projects[key])
        # The hole of item 2: the first person also voted in the south.
        VoterRecord.objects.create(envelope=envelopes["south"], user_id=people[0].pk, territory_id=south.pk)
        ballot = Ballot.objects.create(envelope=envelopes["south"], receipt="R-south", locator=None)
        BallotChoice.objects.create(ballot=ballot, project=projects["south"])
        entry = {"choices": {str(projects[None].pk): 1}, "identity": "vérifiée"}
        PaperSheet.objects.create(
            envelope=envelopes[None],
            number="P-1",
            first_entry=entry,
            second_entry=entry,
            first_by_id=people[1].pk,
            second_by_id=people[2].pk,
            state="confirmed",
            ballot=ballot,
        )
        old_ballot_keys = set(Ballot.objects.values_list("pk", flat=True))
        contents = sorted(BallotChoice.objects.values_list("ballot__receipt", "project_id"))
    finally:
        new = _migrate(_latest())

    VoterRecord = new.get_model("budgets", "VoterRecord")
    Ballot = new.get_model("budgets", "Ballot")
    BallotChoice = new.get_model("budgets", "BallotChoice")
    PaperSheet = new.get_model("budgets", "PaperSheet")
    assert sorted(BallotChoice.objects.values_list("ballot__receipt", "project_id")) == contents
    new_keys = set(Ballot.objects.values_list("pk", flat=True))
    assert len(new_keys) == 11 and not new_keys & old_ballot_keys and min(new_keys) > 10**9
    assert min(VoterRecord.objects.values_list("pk", flat=True)) > 10**9
    assert min(BallotChoice.objects.values_list("pk", flat=True)) > 10**9
    assert set(VoterRecord.objects.values_list("budget_id", flat=True)) == {budget.pk}
    assert VoterRecord.objects.filter(scope="city").count() == 5
    assert VoterRecord.objects.filter(scope="quartier").count() == 6
    # One quartier record per account: the extra one is kept (its ballot counts) but detached.
    assert VoterRecord.objects.filter(user_id=people[0].pk, scope="quartier").count() == 1
    assert VoterRecord.objects.filter(user__isnull=True, scope="quartier").count() == 1
    assert PaperSheet.objects.values("first_entry", "second_entry").get() == {"first_entry": {}, "second_entry": None}
    assert timezone.localdate() >= VoterRecord.objects.first().voted_on
