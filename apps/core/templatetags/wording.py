"""``{% load wording %}``: small French wording helpers shared by the templates.

- ``name|de_name``: « de Bruno V. » but « d’Anne K. » (élision before a vowel or a mute h);
- ``form|error_items``: the (anchor, label, message) rows of a form's error summary, so that
  the number announced above the list is the number of items in it.
"""

from __future__ import annotations

import unicodedata
from typing import Any, NamedTuple

from django import template
from django.forms import BaseForm
from django.utils.translation import gettext

register = template.Library()

VOWELS = set("aeiouœæ")


def _elides(name: str) -> bool:
    """Whether « de » elides before ``name``: a vowel (accents ignored), a mute h (names in
    h almost always are: « d’Hélène », « d’Hugo »), or a y sounding like a vowel (« d’Yves »,
    but « de Yasmine »)."""
    letters = [
        char
        for char in unicodedata.normalize("NFKD", name.strip().casefold())
        if char.isalpha() and not unicodedata.combining(char)
    ]
    if not letters:
        return False
    first, following = letters[0], (letters[1] if len(letters) > 1 else "")
    if first in VOWELS or first == "h":
        return True
    return first == "y" and following not in VOWELS and following != ""


@register.filter
def de_name(name: Any) -> str:
    text = str(name).strip()
    if _elides(text):
        return gettext("d’%(name)s") % {"name": text}
    return gettext("de %(name)s") % {"name": text}


class ErrorItem(NamedTuple):
    anchor: str  # id of the field to jump to; empty for a form-wide error
    label: str
    message: str


@register.filter
def error_items(form: BaseForm | None) -> list[ErrorItem]:
    """Every error message of ``form``, fields first (in their order), then form-wide ones."""
    if form is None or not form.errors:
        return []
    items = [
        ErrorItem(field.id_for_label or "", str(field.label or field.name), str(error))
        for field in form
        for error in field.errors
    ]
    items += [ErrorItem("", "", str(error)) for error in form.non_field_errors()]
    return items
