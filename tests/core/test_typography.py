"""French spacing before « : ; ? ! » on every page (issue 8, item 16)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Territory
from apps.core.typography import fix_html, fix_text
from tests.conftest import Personas
from tests.security.url_matrix import ROUTES
from tests.security.world import build_world

NBSP, NARROW = "\u00a0", "\u202f"


def test_the_spaces_before_double_signs_are_unbreakable() -> None:
    assert fix_text("Lieu : place Viarme") == f"Lieu{NBSP}: place Viarme"
    assert fix_text("Où ? (facultatif)") == f"Où{NARROW}? (facultatif)"
    assert fix_text("Merci ! Votre vote ; votre reçu") == f"Merci{NARROW}! Votre vote{NARROW}; votre reçu"
    assert fix_text("Attention :") == f"Attention{NBSP}:"
    # Not clauses: times, URLs, ratios, already right.
    for text in ("18:30", "https://example.org/?a=1", "1:2", f"Déjà{NBSP}: bien", "a ?b"):
        assert fix_text(text) == text


def test_only_text_nodes_change() -> None:
    html = (
        '<p title="Titre : x">Lieu : <a href="/?q=1">place</a></p>'
        '<input value="Bonjour !"><textarea>Mon texte : tel quel</textarea>'
        "<script>var a = b ? c : d;</script><pre>x : y</pre><code>a ; b</code><strong>Nom</strong> : Awa"
    )
    assert fix_html(html) == (
        f'<p title="Titre : x">Lieu{NBSP}: <a href="/?q=1">place</a></p>'
        '<input value="Bonjour !"><textarea>Mon texte : tel quel</textarea>'
        f"<script>var a = b ? c : d;</script><pre>x : y</pre><code>a ; b</code><strong>Nom</strong>{NBSP}: Awa"
    )


def _text_nodes(html: str) -> str:
    html = re.sub(r"<(script|style|pre|code|textarea)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return " ".join(re.findall(r">([^<]+)<", html))


# The agent sees the public pages and the back office of the quartier.
@pytest.mark.parametrize("persona", ["agent"])
def test_no_page_breaks_a_line_before_a_double_sign(
    persona: str,
    personas: Personas,
    quartier: Territory,
    other_quartier: Territory,
    client_for: Callable[[User | None], Client],
) -> None:
    world = build_world(personas, quartier, other_quartier)
    client = client_for(world.user(persona))
    seen, problems = 0, []
    for route in ROUTES:
        if route.get is None or route.get[persona] != "ok":
            continue
        response = client.get(reverse(route.name, kwargs=route.kwargs(world)) + route.query)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        seen += 1
        text = _text_nodes(response.content.decode())
        problems += [f"{route.id}: …{m.group(0)}…" for m in re.finditer(r"\S{1,20} [:;?!](?=\s|$)", text)]
    assert seen > 30
    assert not problems, problems[:20]


def test_english_pages_are_left_alone(db: None, client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get(reverse("pages:home")).content.decode()
    assert NARROW + "?" not in html and NBSP + ":" not in html


def test_the_fast_pass_agrees_with_the_reference_on_any_markup() -> None:
    """``fix_html`` visits only the text nodes with a candidate; whatever the markup (stray
    ``<`` and ``>``, unclosed raw elements, signs in attributes), it must give what the
    node-by-node reference gives."""
    import random

    from apps.core.typography import fix_html_by_pieces

    pieces = [
        "<", ">", " :", " ;", " ?", " !", "a", " ", "\n", ":", '"', "»", ")", "'",
        "<p>", "</p>", "<script>", "</script>", "<SCRIPT x>", "</scriptx>", "<pre>", "</pre>",
        "<code>", "</code>", "<textarea>", "</textarea>", '<a title="x : y">', "</a>", "<style", "</style>",
    ]  # fmt: skip
    rng = random.Random(15)
    for _ in range(20_000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert fix_html(html) == fix_html_by_pieces(html), html


def test_the_space_first_pattern_finds_what_the_look_behind_found() -> None:
    """``_MISSING`` starts with its space so the scan can jump to it; on any text it must find
    the same signs as the plain rule « a non-space, a space, the sign » written look-behind
    first (the form it replaced), including the edges: a sign at the very start, doubled
    spaces, tabs and newlines before the sign."""
    import random

    from apps.core.typography import _MISSING, _spaced

    plain_rule = re.compile(r"(?<=\S) ([:;?!])(?=\s|$|»|\"|'|\))")
    alphabet = [" ", " :", " ;", " ?", " !", ":", "a", "é", "\t", "\n", '"', "'", "»", ")", "\u00a0"]
    rng = random.Random(16)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert _MISSING.sub(_spaced, text) == plain_rule.sub(_spaced, text), repr(text)
