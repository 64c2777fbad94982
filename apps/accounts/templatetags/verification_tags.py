"""Template questions of the verification back office (the dashboard links to it)."""

from __future__ import annotations

from typing import Any

from django import template

from apps.accounts import rules

register = template.Library()


@register.simple_tag
def can_verify_residents(user: Any) -> bool:
    return rules.can_verify_residents(user)


@register.simple_tag
def can_import_census(user: Any) -> bool:
    return rules.can_import_census(user)
