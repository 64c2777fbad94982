from __future__ import annotations

import pytest

from apps.councils.models import Council
from tests.councils.factories import CouncilFactory


@pytest.fixture
def council(quartier) -> Council:  # type: ignore[no-untyped-def]
    return CouncilFactory(territory=quartier, name="Conseil citoyen de Malakoff", slug="conseil-citoyen-malakoff")
