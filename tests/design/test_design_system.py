"""Archipel's design system: icons, the city theme, the components' living page, the language
link and the home page's "what you can do now"."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core import theme
from apps.core.checks import theme_is_usable
from apps.core.icons import ICONS, MODULE_ICONS
from apps.core.models import Phase, Process
from apps.pages import now
from tests.conftest import Personas
from tests.factories import ProcessFactory, TerritoryFactory

ROOT = Path(settings.BASE_DIR)
SPRITE = ROOT / "static" / "vendor" / "lucide" / "sprite.svg"


def _render(source: str, **context: object) -> str:
    return Template("{% load design %}" + source).render(Context(context))


# ---- icons ---------------------------------------------------------------------------------------


def test_the_sprite_holds_every_icon_the_tag_accepts_and_keeps_its_licence() -> None:
    symbols = set(re.findall(r'<symbol id="([^"]+)"', SPRITE.read_text()))
    assert symbols == set(ICONS)
    assert set(MODULE_ICONS.values()) <= ICONS
    assert "ISC License" in (SPRITE.parent / "LICENSE").read_text()
    assert "lucide" in (ROOT / "static" / "vendor" / "README.md").read_text()


def test_a_decorative_icon_is_hidden_from_screen_readers_and_a_lone_one_has_a_text() -> None:
    decorative = _render('{% icon "vote" %}')
    assert 'aria-hidden="true"' in decorative and "role=" not in decorative
    assert decorative.count("sprite.svg#vote") == 1
    alone = _render('{% icon "bell" label=text %}', text='Alertes "<b>"')
    assert 'role="img"' in alone and 'aria-label="Alertes &quot;&lt;b&gt;&quot;"' in alone
    assert "aria-hidden" not in alone


def test_an_unknown_icon_fails_loudly() -> None:
    with pytest.raises(TemplateSyntaxError, match="unknown icon"):
        _render('{% icon "vote\\" onload=\\"x" %}')


# ---- theme ---------------------------------------------------------------------------------------


def test_contrast_is_the_wcag_ratio() -> None:
    assert theme.contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert theme.contrast_with_white("#000000") == pytest.approx(21.0)
    assert theme.contrast_with_white("#00558c") > 4.5 > theme.contrast_with_white("#3399ff")


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"primary": "#ffd700"}, "primary"),  # yellow: white text unreadable
        ({"primary": "red;} body { display: none"}, "primary"),
        ({"font": "Arial; } body { display: none"}, "font"),
        ({"logo": "../../etc/passwd"}, "logo"),
        ({"logo": "javascript:alert(1)"}, "logo"),
    ],
)
def test_a_bad_theme_is_refused_at_start_and_never_reaches_the_stylesheet(value: dict[str, str], field: str) -> None:
    with override_settings(THEME=value):
        errors = theme_is_usable()
        assert [error.id for error in errors] == ["archipel.E020"] and field in errors[0].msg
        css = theme.stylesheet()
        assert "display" not in css and "--brand: #00558c;" in css
        assert theme.logo() == ""


@pytest.mark.django_db
def test_the_city_theme_sets_the_brand_tokens_and_changes_the_stylesheet_url(client: Client) -> None:
    default_version = theme.version()
    with override_settings(THEME={"primary": "#7a1f5c", "font": '"Luciole", Arial', "logo": "favicon.svg"}):
        assert theme_is_usable() == []
        response = client.get(reverse("pages:theme_css"))
        assert response["Content-Type"] == "text/css; charset=utf-8"
        css = response.content.decode()
        assert "--brand: #7a1f5c;" in css and "--brand-dark: #551640;" in css
        assert '--font-body: "Luciole", Arial, system-ui, sans-serif;' in css
        assert theme.version() != default_version
        html = client.get(reverse("pages:home")).content.decode()
        assert f"{reverse('pages:theme_css')}?v={theme.version()}" in html
        assert 'class="brand-logo" src="/static/favicon.svg" alt=""' in html


# ---- styleguide ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_styleguide_shows_every_component_to_staff_only(
    client_for: Callable[[User | None], Client], personas: Personas
) -> None:
    url = reverse("backoffice:styleguide")
    html = client_for(personas["agent"]).get(url).content.decode()
    components = sorted(p.stem for p in (ROOT / "templates" / "components").glob("*.html"))
    assert len(components) == 16  # a new component comes with its styleguide example and a check here
    for css_class in ("card-media", "badge-open", "stepper", "tabs", "accordion", "alert-warning", "empty-state"):
        assert f'class="{css_class}' in html or f" {css_class}" in html, css_class
    for css_class in ("stat-tile", "timeline-steps", 'aria-current="step"', "chart-svg", "chart-stacked"):
        assert css_class in html
    assert all(f"sprite.svg#{name}" in html for name in ICONS)
    assert client_for(personas["resident"]).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


# ---- language link -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_language_link_remembers_the_language_and_returns_to_the_page(client: Client) -> None:
    back = reverse("pages:process_list") + "?theme=a&quartier=b"
    html = client.get(back).content.decode()
    link = reverse("pages:language", kwargs={"code": "en"}) + "?next=/demarches/%3Ftheme%3Da%26quartier%3Db"
    assert f'href="{link}"' in html and 'hreflang="en"' in html
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == back
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(back).content.decode()
    assert '<html lang="en">' in english
    assert f'href="{reverse("pages:language", kwargs={"code": "fr"})}?next=' in english


@pytest.mark.parametrize(
    "next_url", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x", ""]
)
@pytest.mark.django_db
def test_the_language_link_never_sends_off_site(client: Client, next_url: str) -> None:
    response = client.get(reverse("pages:language", kwargs={"code": "en"}), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("pages:home")


@pytest.mark.django_db
def test_the_language_link_knows_only_the_site_languages(client: Client) -> None:
    assert client.get(reverse("pages:language", kwargs={"code": "de"})).status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert client.post(reverse("pages:language", kwargs={"code": "en"})).status_code == 405


# ---- home: what a resident can do now ------------------------------------------------------------


def _process_with(module: str, kind: str, ends_in_days: int, **fields: object) -> Process:
    process = ProcessFactory.create(**fields)
    start = timezone.now() - datetime.timedelta(days=3)
    Phase.objects.create(
        process=process, module=module, kind=kind, title=f"{module} {kind}", starts_at=start,
        ends_at=timezone.now() + datetime.timedelta(days=ends_in_days),
    )  # fmt: skip
    return process


@pytest.mark.django_db
def test_a_vote_comes_first_then_the_other_acts_by_deadline_and_nothing_to_do_last(client: Client) -> None:
    city = TerritoryFactory.create()
    idea = _process_with("proposals", "collect", 5, territory=city, title="Idées pour la place")
    vote = _process_with("budgets", "vote", 40, territory=city, title="Budget de la ville")
    analysis = _process_with("proposals", "analysis", 1, territory=city, title="En instruction")
    support = _process_with("proposals", "support", 2, territory=city, title="Soutiens du parc")
    processes = list(
        Process.objects.filter(pk__in=[idea.pk, vote.pk, analysis.pk, support.pk]).prefetch_related("phases")
    )
    invitations = now.invitations(processes)
    assert [i.process.pk for i in invitations] == [vote.pk, support.pk, idea.pk]
    assert [str(i.verb) for i in invitations] == ["Votez", "Soutenez des propositions", "Proposez une idée"]
    assert [p.pk for p in now.by_urgency(processes)] == [vote.pk, support.pk, idea.pk, analysis.pk]
    # The resident's quartier comes first among acts of the same rank; a process given twice counts once.
    assert [i.process.pk for i in now.invitations(processes + processes, near_ids={idea.pk})][:2] == [vote.pk, idea.pk]

    html = client.get(reverse("pages:home")).content.decode()
    section = html[html.index('id="now-title"') : html.index('id="open-title"')]
    assert section.index("Votez avant le") < section.index("Soutenez des propositions avant le")
    assert section.index("Soutenez des propositions") < section.index("Proposez une idée avant le")
    assert "En instruction" not in section
    cards = html[html.index('id="open-title"') :]
    assert cards.index("Budget de la ville") < cards.index("Soutiens du parc") < cards.index("En instruction")


# ---- development: the French 404 -----------------------------------------------------------------


@pytest.mark.django_db
def test_in_development_a_missing_page_is_the_french_404_not_the_debug_page(client: Client) -> None:
    with override_settings(DEBUG=True):
        for url in ("/cette-page-n-existe-pas/", reverse("pages:process", kwargs={"slug": "inconnue"})):
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 404 and "Page introuvable" in html and "URLconf" not in html, url
        assert client.get("/demarches").status_code == 301  # the missing slash is still added
        with override_settings(DEBUG_404_PAGE=True):
            assert "URLconf" in client.get("/cette-page-n-existe-pas/").content.decode()
