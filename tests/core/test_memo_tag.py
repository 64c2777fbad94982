"""``{% memo %}`` (apps.core.templatetags.memo): a piece rendered once per process, language and
set of named values, which sees only those values."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from apps.core.templatetags import memo


@pytest.fixture(autouse=True)
def _empty_memo() -> None:
    memo._memo.clear()


PIECE = Template("{% load i18n memo %}{% memo title=process.title %}<h1>{{ title }}</h1>{% endmemo %}")


class Process:
    def __init__(self, title: str) -> None:
        self.title = title


def test_a_new_value_shows_at_once_and_a_known_one_comes_from_the_memo() -> None:
    assert PIECE.render(Context({"process": Process("Budget 2026")})) == "<h1>Budget 2026</h1>"
    assert PIECE.render(Context({"process": Process("Budget 2027")})) == "<h1>Budget 2027</h1>"
    assert len(memo._memo) == 2
    first_key, (node, _rendered) = next(iter(memo._memo.items()))  # Budget 2026's entry
    memo._memo[first_key] = (node, mark_safe("<h1>from the memo</h1>"))
    assert PIECE.render(Context({"process": Process("Budget 2026")})) == "<h1>from the memo</h1>"


def test_the_piece_sees_only_the_named_values() -> None:
    template = Template("{% load memo %}{% memo title=title %}{{ title }}|{{ user }}|{{ csrf_token }}{% endmemo %}")
    html = template.render(Context({"title": "Démarche", "user": "Camille", "csrf_token": "secret"}))
    assert html == "Démarche||"


def test_escaping_follows_the_value_and_its_safety() -> None:
    assert PIECE.render(Context({"process": Process("<b>Quartiers</b>")})) == "<h1>&lt;b&gt;Quartiers&lt;/b&gt;</h1>"
    safe = PIECE.render(Context({"process": Process(mark_safe("<b>Quartiers</b>"))}))
    assert safe == "<h1><b>Quartiers</b></h1>"


def test_each_language_has_its_own_rendering() -> None:
    template = Template('{% load i18n memo %}{% memo %}{% translate "Propositions" %}{% endmemo %}')
    with translation.override("fr"):
        assert template.render(Context()) == "Propositions"
    with translation.override("en"):
        assert template.render(Context()) == "Proposals"
    with translation.override("fr"):
        assert template.render(Context()) == "Propositions"


def test_a_malformed_tag_is_a_syntax_error() -> None:
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load memo %}{% memo process.title %}{% endmemo %}")
