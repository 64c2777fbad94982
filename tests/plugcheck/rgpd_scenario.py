"""The test module's rows in the RGPD « everywhere » scenario: ``build(person)`` gives the person
data in every personal field the module declares (here a pledge), so that the export-then-delete
test reaches them. Found next to the module's code like the security-matrix part."""

from __future__ import annotations

from typing import Any

from tests.factories import ProcessFactory
from tests.plugcheck.models import Pledge


def build(person: Any) -> None:
    Pledge.objects.create(process=ProcessFactory.create(), author=person, text="Promesse de la personne")
