"""Reference populations from INSEE's tables by IRIS: the age bands rebuilt from INSEE's
columns, clear French errors (nothing imported from a file with one), the back-office upload
(city-wide administrators only) and the management command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Role, Territory
from apps.indicators import insee
from apps.indicators.models import ReferencePopulation
from tests.conftest import Personas
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = ";".join(
    ["IRIS", "LIBIRIS"]
    + [f"P21_{name}" for name in ("POP", "POP0002", "POP0305", "POP0610", "POP1117", "POP0014", "POP1529")]
    + [f"P21_{name}" for name in ("POP3044", "POP4559", "POP6074", "POP75P", "POPH", "POPF")]
    + ["QUARTIER"]
)


def _row(iris: str, quartier: str, scale: float = 1.0) -> str:
    # 1000 people: under 18 = 30+30+50+60 = 170; 0-14 = 150; 15-29 = 300 → 18-29 = 280.
    values = [1000, 30, 30, 50, 60, 150, 300, 200, 160, 130, 60, 480, 520]
    return ";".join([iris, f"IRIS {iris}", *(f"{v * scale:.2f}" for v in values), quartier])


def test_the_insee_table_becomes_the_quartiers_figures(quartier: Territory) -> None:
    quartier.is_priority_area = True
    quartier.save()
    raw = "\n".join([HEADER, _row("441090101", quartier.name), _row("441090102", quartier.slug.upper(), 0.5)])
    parsed = insee.parse(raw.encode("cp1252"))
    figures = parsed.figures[quartier.pk]
    assert parsed.year == 2021 and parsed.rows == 2
    assert figures[("total", "")] == 1500
    assert figures[("age", "u18")] == pytest.approx(255)
    assert figures[("age", "18-29")] == pytest.approx(420)
    assert figures[("age", "75+")] == pytest.approx(90)
    assert figures[("gender", "f")] == pytest.approx(780)
    assert figures[("qpv", "")] == 1500, "a QPV quartier: its whole population (same definition as the events)"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "vide"),
        (b"IRIS;LIBIRIS\n1;x\n", "P20_POP"),
        ((b"IRIS;P21_POP;QUARTIER\n1;2;x\n"), "Colonnes manquantes : P21_POP0002"),
        (f"{HEADER}\n{_row('1', 'Atlantide')}\n".encode(), "Ligne 2 : quartier « Atlantide » inconnu."),
        (
            f"{HEADER}\n{_row('1', '{q}').replace('1000.00', '１０００')}\n".encode(),
            "Ligne 2 : « １０００ » n'est pas un nombre.",
        ),
        (b"IRIS;P21_POP\x00\n", "octets nuls"),
    ],
)
def test_a_bad_file_is_refused_with_a_french_error(quartier: Territory, raw: bytes, message: str) -> None:
    raw = raw.replace(b"{q}", quartier.name.encode())
    with pytest.raises(insee.InseeError) as error:
        insee.parse(raw)
    assert any(message in text for text in error.value.messages), error.value.messages


def test_upload_by_a_city_wide_administrator_only(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory, tmp_path: Path
) -> None:
    admin = UserFactory.create()
    RoleFactory.create(user=admin, role=Role.ADMIN)
    url = reverse("indicators_admin:reference")
    good = f"{HEADER}\n{_row('1', quartier.name)}\n".encode()
    assert client_for(personas["agent"]).post(url, {"file": SimpleUploadedFile("a.csv", good)}).status_code == 403
    assert not ReferencePopulation.objects.exists()

    client: Client = client_for(admin)
    bad = good.replace(quartier.name.encode(), b"Atlantide")
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", bad)})
    assert response.status_code == 400
    assert "quartier « Atlantide » inconnu" in response.content.decode()
    assert not ReferencePopulation.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", good)})
    assert response.status_code == 302
    assert ReferencePopulation.objects.get(territory=quartier, year=2021, dimension="total").count == 1000
    # A new import of the year replaces the quartier's figures.
    client.post(url, {"file": SimpleUploadedFile("a.csv", good.replace(b"1000.00", b"1200.00"))})
    assert ReferencePopulation.objects.get(territory=quartier, year=2021, dimension="total").count == 1200

    path = tmp_path / "insee.csv"
    path.write_bytes(bad)
    with pytest.raises(CommandError, match="Atlantide"):
        call_command("import_insee", str(path))
    path.write_bytes(good.replace(b"P21_", b"P22_"))
    call_command("import_insee", str(path))
    assert ReferencePopulation.objects.filter(year=2022).count() == 10
