"""A budget project with coordinates shows its place on a small map, with its text address."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from apps.budgets.models import Project


def test_project_page_shows_its_place_only_when_placed(client: Client, project: Project) -> None:
    assert 'data-map="place"' not in client.get(project.get_absolute_url()).content.decode()
    Project.objects.filter(pk=project.pk).update(
        address="square Daviais", latitude=Decimal("47.213123"), longitude=Decimal("-1.556789")
    )
    html = client.get(project.get_absolute_url()).content.decode()
    assert 'data-map="place"' in html and 'data-lat="47.2131"' in html and 'data-lon="-1.5568"' in html
    assert "square Daviais" in html and "47.213123" not in html
    assert "vendor/leaflet/leaflet.js" in html
