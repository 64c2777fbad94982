"""``{% memo name=value ... %}…{% endmemo %}``: a piece of template rendered once per process.

Some parts of a page are the same for every request that passes the same few values: a
breadcrumb and a title made of the process's name and URL, in one language. Each
``{% translate %}`` costs some ninety Python calls and each ``{% url %}`` over a hundred, on
every request; the memo renders the piece once and then costs a dictionary lookup.

It cannot go stale through a forgotten dependency: the enclosed template sees **only** the
values named on the tag (no request, no user, no CSRF token, nothing else of the page's
context), and those values, with the language and the URLconf, are the memo's key. A renamed
process is another key, so the change shows at once; what else the piece shows (templates,
translations, URL patterns) changes only with a deploy. The memo is emptied when a test
changes a setting.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.urls import get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_MEMO_LIMIT = 2048  # pieces are small; a bound in case the values vary a lot
# key -> (the node, its rendering). The node is kept alive with its entry, so its ``id`` (in the
# key) cannot be reused by another node while the entry exists (templates parsed anew on each
# request when the template loader does not cache).
_memo: dict[tuple[Any, ...], tuple[Node, SafeString]] = {}


def _clear(**_kwargs: Any) -> None:
    _memo.clear()


setting_changed.connect(_clear, dispatch_uid="apps.core.memo.clear")


class MemoNode(Node):
    def __init__(self, nodelist: NodeList, values: dict[str, FilterExpression]) -> None:
        self.nodelist = nodelist
        self.values = values

    def render(self, context: template.Context) -> SafeString:
        values = {name: expression.resolve(context) for name, expression in self.values.items()}
        # The type is part of the key: a str and a SafeString of the same text render apart.
        parts = tuple((name, type(value), value) for name, value in values.items())
        key = (id(self), get_language(), get_urlconf(), context.autoescape, parts)
        entry = _memo.get(key)
        if entry is not None and entry[0] is self:
            return entry[1]
        # A context of its own (no request, no context processors), bound to the page's template
        # as the tags inside expect (its engine's settings).
        isolated = template.Context(
            values, autoescape=context.autoescape, use_l10n=context.use_l10n, use_tz=context.use_tz
        )
        page = context.template
        with isolated.bind_template(page) if page is not None else contextlib.nullcontext():
            html = mark_safe(self.nodelist.render(isolated))
        if len(_memo) >= _MEMO_LIMIT:
            _memo.clear()
        _memo[key] = (self, html)
        return html


@register.tag
def memo(parser: Parser, token: Token) -> MemoNode:
    """``{% memo title=process.title slug=process.slug %}…{% endmemo %}`` (see the module)."""
    bits = token.split_contents()[1:]
    values: dict[str, FilterExpression] = {}
    for bit in bits:
        name, sep, expression = bit.partition("=")
        if not sep or not name.isidentifier() or name in values:
            raise template.TemplateSyntaxError(f"memo: expected name=value pairs, got {bit!r}")
        values[name] = parser.compile_filter(expression)
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, values)
