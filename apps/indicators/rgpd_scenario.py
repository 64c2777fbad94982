"""The indicators' rows in the RGPD « everywhere » test (``tests/accounts/test_rgpd_everywhere.py``):
``build(person)`` makes the person an agent of a structure, the one link to an account the module
declares. Used by that test only."""

from __future__ import annotations

from typing import Any

from apps.indicators.models import Structure


def build(person: Any) -> None:
    structure = Structure.objects.create(name="Centre social du scénario RGPD", kind=Structure.Kind.SOCIAL_CENTRE)
    structure.agents.add(person)
