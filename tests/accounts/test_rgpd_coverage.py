"""Every model of every app that holds personal data is covered by the RGPD export and
deletion (the ``personal_data`` of the manifests, read through ``all_holdings()``): a new
model linking to the account, or with a field named like personal data, fails here until its
app declares it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from apps.accounts.rgpd.coverage import PERSONAL_FIELD_NAMES, PERSONAL_NAME_PARTS, Fate
from apps.accounts.rgpd.export import account_export_data, section_names
from apps.core.registry import all_holdings, all_manifests
from tests.factories import UserFactory


def _looks_personal(field: models.Field) -> bool:  # type: ignore[type-arg]
    if field.is_relation and field.related_model is not None and field.related_model != "self":
        return bool(field.related_model._meta.label == settings.AUTH_USER_MODEL)
    return field.name in PERSONAL_FIELD_NAMES or any(part in field.name for part in PERSONAL_NAME_PARTS)


def personal_fields() -> set[tuple[str, str]]:
    """(model label, field name) of every concrete or many-to-many field that links to the
    account or is named like personal data, in every installed app."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created or not (field.concrete or field.many_to_many):
                continue
            if _looks_personal(field):  # type: ignore[arg-type]
                found.add((model._meta.label, field.name))
    return found


def declared() -> set[tuple[str, str]]:
    return {(holding.model, field) for holding in all_holdings() for field in holding.fields}


def test_every_personal_field_of_every_app_is_declared() -> None:
    missing = sorted(personal_fields() - declared())
    assert not missing, (
        "Personal data not covered by the RGPD export and deletion: declare it in the personal_data "
        f"of the app's manifest (apps/<app>/personal_data.py, with its export and anonymise): {missing}"
    )


def test_the_walk_sees_the_models_of_all_apps() -> None:
    labels = {model for model, _field in personal_fields()}
    for app in ("accounts", "core", "proposals", "followup", "notifications", "budgets", "sortition"):
        assert any(label.startswith(f"{app}.") for label in labels), app
    assert {"workshops.PanelMember", "councils.Membership", "sortition.VolunteerApplication"} <= labels


def test_declarations_name_real_fields() -> None:
    for holding in all_holdings():
        model = apps.get_model(holding.model)
        for name in holding.fields:
            model._meta.get_field(name)  # raises FieldDoesNotExist on a stale line


def test_reasons_are_given() -> None:
    for holding in all_holdings():
        if holding.export is None:
            assert holding.why, f"{holding.model}: say why it is not exported"
        if holding.fate in {Fate.KEPT, Fate.ACCOUNT, Fate.ERASED, Fate.UNLINKED}:
            assert holding.why, f"{holding.model}: say what stays and why"


@pytest.mark.django_db
def test_export_has_every_section() -> None:
    data = account_export_data(UserFactory.create())
    assert set(section_names()) <= set(data)
    assert {holding.export for holding in all_holdings() if holding.export} <= set(data)


def test_each_app_declares_its_own_models() -> None:
    """A manifest declares the personal data of its own app only (so that removing a module
    removes its declarations), except the accounts manifest, which declares the platform's
    tables (core, Django's admin log and sessions)."""
    platform = {"accounts", "core", "admin", "sessions"}
    for manifest in all_manifests():
        if manifest.personal_data is None:
            continue
        apps_declared = {holding.model.split(".")[0] for holding in manifest.personal_data.holdings}
        expected = platform if manifest.name == "accounts" else {manifest.name}
        assert apps_declared <= expected, manifest.name


@pytest.mark.django_db
def test_every_module_with_personal_data_is_in_the_export() -> None:
    """The export has every section of every app holding personal data: none is forgotten."""
    data = account_export_data(UserFactory.create())
    for manifest in all_manifests():
        if manifest.personal_data is None:
            continue
        sections = {holding.export for holding in manifest.personal_data.holdings if holding.export}
        assert sections <= set(data), manifest.name
        labels = manifest.personal_data.labels
        exported = set(manifest.personal_data.export(UserFactory.create()) if manifest.personal_data.export else {})
        assert exported <= sections | set(labels), manifest.name
    modules = {"proposals", "budgets", "sortition", "workshops", "councils"}
    assert modules <= {m.name for m in all_manifests() if m.personal_data is not None}


@pytest.mark.django_db
def test_a_section_without_its_own_function_is_exported_field_by_field() -> None:
    """A module declares a holding: its rows are exported even before it writes a
    dedicated function, without the links to other accounts."""
    from apps.accounts.rgpd.coverage import Holding
    from apps.accounts.rgpd.export import _generic_rows
    from apps.budgets.models import ProjectInvitation
    from tests.budgets.voting.factories import ProjectFactory

    person, author = UserFactory.create(), UserFactory.create(display_name="Tiers Secret")
    project = ProjectFactory.create(author=author, title="Un jardin")
    ProjectInvitation.objects.create(project=project, user=person, invited_by=author)
    holding = Holding("budgets.ProjectInvitation", ("user",), "invitations", Fate.DELETED)
    rows = _generic_rows(person, [holding])
    assert len(rows) == 1
    assert rows[0]["project"] == "Un jardin" and rows[0]["record"] == "budgets.ProjectInvitation"
    assert "invited_by" not in rows[0] and "user" not in rows[0]
    assert "Tiers Secret" not in str(rows)


def test_a_new_model_would_be_caught() -> None:
    """The walk itself: a model with a phone or a link to the account is found."""

    class Fake(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        contact_phone = models.CharField(max_length=20)
        title = models.CharField(max_length=20)

        class Meta:
            app_label = "rgpd_probe"

        def __str__(self) -> str:
            return self.title

    try:
        fields = {f.name for f in Fake._meta.get_fields() if _looks_personal(f)}  # type: ignore[arg-type]
        assert fields == {"owner", "contact_phone"}
    finally:
        apps.all_models["rgpd_probe"].pop("fake", None)
        apps.clear_cache()


def test_every_section_has_a_label_on_the_data_page() -> None:
    """« Mes données » names every section of the file: none is left out of the overview."""
    from apps.accounts.rgpd.overview import section_labels

    assert set(section_names()) - {"account"} <= set(section_labels())
