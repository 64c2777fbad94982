from __future__ import annotations

import pytest

from apps.core.models import Territory
from apps.councils.models import Council
from tests.councils.factories import CouncilFactory


@pytest.fixture
def council(quartier: Territory) -> Council:
    return CouncilFactory.create(
        territory=quartier, name="Conseil citoyen de Malakoff", slug="conseil-citoyen-malakoff"
    )
