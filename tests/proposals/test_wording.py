"""Issue 8, item 16 (proposals and back office): élision, no double full stop, no « 0 commentaires »,
an error summary that counts what it lists."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Process
from apps.core.templatetags.wording import de_name, error_items
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import CommentFactory, UserFactory


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Anne K.", "d’Anne K."),
        ("Émile R.", "d’Émile R."),
        ("Hélène P.", "d’Hélène P."),
        ("Yves T.", "d’Yves T."),
        ("Yasmine B.", "de Yasmine B."),
        ("Bruno V.", "de Bruno V."),
        ("Œdipe", "d’Œdipe"),
        ("", "de "),
    ],
)
def test_de_name_elides_before_a_vowel_or_mute_h(name: str, expected: str) -> None:
    assert de_name(name) == expected


@pytest.mark.django_db
def test_reply_form_says_d_anne_without_a_double_full_stop(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal
) -> None:
    parent = CommentFactory.create(proposal=proposal, author=UserFactory.create(display_name="Anne K."))
    response = client_for(personas["resident"]).post(
        reverse("proposals:comment", kwargs={"pk": proposal.pk}), {"body": "", "parent": parent.pk}
    )
    content = response.content.decode()
    assert "En réponse au commentaire d’Anne K." in content
    assert "de Anne K." not in content and "K.." not in content


@pytest.mark.django_db
def test_zero_counts_are_singular_french(
    client_for: Callable[[User | None], Client], collect_process: Process, make_proposal: Callable[..., Proposal]
) -> None:
    proposal = make_proposal(collect_process, title="Des bancs")
    anonymous = client_for(None)
    listing = anonymous.get(reverse("proposals:list", args=[collect_process.slug])).content.decode()
    detail = anonymous.get(reverse("proposals:detail", kwargs={"pk": proposal.pk})).content.decode()
    for html in (listing, detail):
        assert "0 commentaires" not in html and "0 soutiens" not in html
    assert "aucun soutien" in listing and "aucun commentaire" in listing
    assert "Aucun commentaire" in detail and "Aucun soutien" in detail


class _TwoErrors(forms.Form):
    name = forms.CharField()
    email = forms.EmailField()

    def clean_name(self) -> str:
        raise forms.ValidationError(["Trop court.", "Caractères interdits."])


def test_error_summary_counts_every_listed_error() -> None:
    form = _TwoErrors({"name": "x", "email": "ok@example.org"})
    form.add_error(None, ["Première erreur générale.", "Deuxième erreur générale."])
    items = error_items(form)
    assert len(items) == 4  # two on one field, two form-wide: form.errors has 2 keys only
    html = Template('{% include "includes/form_errors.html" %}').render(Context({"form": form}))
    assert "Le formulaire contient 4 erreurs." in html
    assert html.count("<li>") == 4
