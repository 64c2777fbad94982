"""Dates are typed as JJ/MM/AAAA whatever the browser (issue 8, item 16)."""

from __future__ import annotations

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.utils import timezone, translation

import apps
from apps.backoffice.forms import CommitmentUpdateForm, PhaseForm
from apps.core.forms import DateInput, DateTimeInput


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(apps.__path__, "apps."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "backoffice_forms"} or ".forms" in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("apps."):
                found.append(sub)
    return found


def test_every_date_field_of_every_form_uses_the_shared_text_widget() -> None:
    offenders = []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():  # type: ignore[attr-defined]  # set by the forms metaclass
            expected = (
                DateTimeInput
                if isinstance(field, forms.DateTimeField)
                else DateInput
                if isinstance(field, forms.DateField)
                else None
            )
            if expected is not None and not isinstance(field.widget, expected):
                offenders.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert len(_form_classes()) > 20
    assert not offenders, offenders


def test_a_date_field_renders_a_text_input_with_the_format() -> None:
    with translation.override("fr"):
        form = CommitmentUpdateForm(initial={"date": datetime.date(2026, 3, 1)})
        html = str(form["date"])
        assert 'type="text"' in html and 'value="01/03/2026"' in html and 'placeholder="JJ/MM/AAAA"' in html
        phase = PhaseForm(
            initial={"starts_at": datetime.datetime(2026, 5, 12, 18, 30, tzinfo=timezone.get_current_timezone())}
        )
        assert 'value="12/05/2026 18:30"' in str(phase["starts_at"])


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("typed", ["01/03/2026", "2026-03-01"])
def test_dates_typed_day_first_or_iso_are_read_the_same_in_both_languages(language: str, typed: str) -> None:
    with translation.override(language):
        form = CommitmentUpdateForm(data={"date": typed, "body": "Point", "progress": 10, "state": "in_progress"})
        form.is_valid()
        assert form.cleaned_data["date"] == datetime.date(2026, 3, 1)


def test_the_label_gives_the_format() -> None:
    from django.template.loader import render_to_string

    with translation.override("fr"):
        html = render_to_string("includes/field.html", {"field": CommitmentUpdateForm()["date"]})
    assert "(format JJ/MM/AAAA)" in html
