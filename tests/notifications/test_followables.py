"""Follows target any object a manifest declares followable: the declarations are sound,
deleting a followed object deletes its follows, and news reaches its followers."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation

from apps.core.models import Territory
from apps.core.registry import all_followables
from apps.notifications.models import Follow
from apps.notifications.services import follow, followers_of
from apps.notifications.targets import kind_of, process_of, resolve_target
from tests.factories import ProcessFactory, ProposalFactory, UserFactory


def test_every_followable_model_deletes_its_follows() -> None:
    """Each declared model has a GenericRelation to Follow on its generic target, so that
    deleting the object deletes its follows (Django cascades through it)."""
    followables = all_followables()
    assert "proposal" in followables
    assert not {"process", "territory"} & set(followables)  # core kinds are not redeclared
    for followable in followables.values():
        model = apps.get_model(followable.model)
        relations = [
            field
            for field in model._meta.private_fields
            if isinstance(field, GenericRelation) and field.related_model is Follow
        ]
        assert relations, f"{followable.model} needs a GenericRelation to notifications.Follow"
        assert relations[0].content_type_field_name == "target_type"
        assert relations[0].object_id_field_name == "target_id"
        assert followable.verbose_name and followable.follow_label and followable.unfollow_label


@pytest.mark.django_db
def test_a_proposal_is_followed_through_its_manifest(quartier: Territory) -> None:
    process = ProcessFactory.create(territory=quartier)
    proposal = ProposalFactory.create(process=process)
    person, by_process, by_quartier = UserFactory.create(), UserFactory.create(), UserFactory.create()
    assert follow(user=person, target=proposal) and not follow(user=person, target=proposal)
    follow(user=by_process, process=process)
    follow(user=by_quartier, territory=quartier)
    assert kind_of(proposal) == "proposal" and process_of(proposal) == process
    assert resolve_target("proposal", str(proposal.pk)) == proposal
    assert followers_of(proposal) == {person.pk, by_process.pk, by_quartier.pk, proposal.author_id}
    with pytest.raises(TypeError):
        follow(user=person, target=person)
    proposal.delete()
    assert not Follow.objects.filter(user=person).exists()
    assert Follow.objects.count() == 2
