"""The English catalogue is complete, compiled, and actually served.

French is the source language and the default; English is chosen with the language
switcher (Django's ``set_language`` view, which sets the ``django_language`` cookie) or
the browser's Accept-Language header.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]|%%")


def _unquote(text: str) -> str:
    text = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def _parse_po(path: Path) -> list[dict[str, Any]]:
    """Just enough of the PO format for these checks (no obsolete ``#~`` entries)."""
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] = {"flags": set(), "msgstr": {}}
    field: tuple[Any, ...] | None = None

    def flush() -> None:
        nonlocal current
        if "msgid" in current:
            entries.append(current)
        current = {"flags": set(), "msgstr": {}}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            field = None
        elif line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert field is not None, f"continuation line without a keyword: {raw!r}"
            if field[0] == "msgstr":
                current["msgstr"][field[1]] += _unquote(line)
            else:
                current[field[0]] += _unquote(line)
        else:
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
            assert match, f"unexpected line in {path.name}: {raw!r}"
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword.startswith("msgstr"):
                key = int(index) if index is not None else None
                current["msgstr"][key] = value
                field = ("msgstr", key)
            else:
                current[keyword] = value
                field = (keyword,)
    flush()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict[str, Any]]:
    assert PO_FILE.exists(), "run: manage.py makemessages -l en"
    return _parse_po(PO_FILE)


def test_header_declares_english_utf8_and_plural_forms(po_entries: list[dict[str, Any]]) -> None:
    header = po_entries[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    text = header["msgstr"][None]
    assert "Language: en\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text


def test_every_entry_is_translated_and_none_is_fuzzy(po_entries: list[dict[str, Any]]) -> None:
    entries = po_entries[1:]
    assert len(entries) > 500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    wrong_plurals = [e["msgid"] for e in entries if "msgid_plural" in e and sorted(e["msgstr"]) != [0, 1]]
    assert fuzzy == [], f"fuzzy entries: {fuzzy}"
    assert untranslated == [], f"untranslated entries: {untranslated}"
    assert wrong_plurals == [], f"plural entries without msgstr[0] and msgstr[1]: {wrong_plurals}"


def test_placeholders_and_edge_whitespace_are_kept(po_entries: list[dict[str, Any]]) -> None:
    def placeholders(text: str) -> list[str]:
        return sorted(_PLACEHOLDER.findall(text))

    problems = []
    for entry in po_entries[1:]:
        for index, translation in entry["msgstr"].items():
            source = entry["msgid_plural"] if index == 1 else entry["msgid"]
            if index == 0:
                # The singular of a plural entry may drop the counter ("A similar proposal…").
                allowed = set(placeholders(entry["msgid"])) | set(placeholders(entry["msgid_plural"]))
                ok = set(placeholders(translation)) <= allowed
            else:
                ok = placeholders(translation) == placeholders(source)
            for blank in (" ", "\n"):
                ok = ok and source.startswith(blank) == translation.startswith(blank)
                ok = ok and source.endswith(blank) == translation.endswith(blank)
            if not ok:
                problems.append((source, translation))
    assert problems == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_msgfmt_accepts_the_catalogue_and_counts_no_untranslated_entry(tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO_FILE)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics


def test_compiled_catalogue_is_up_to_date(po_entries: list[dict[str, Any]]) -> None:
    assert MO_FILE.exists(), "run: manage.py compilemessages"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries[1:]:
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            pairs = [
                (compiled.ngettext(msgid, entry["msgid_plural"], n), entry["msgstr"][i]) for i, n in ((0, 1), (1, 2))
            ]
        else:
            pairs = [(compiled.gettext(msgid), entry["msgstr"][None])]
        stale += [(entry["msgid"], got) for got, want in pairs if got != want]
    assert stale == [], "django.mo is older than django.po: run manage.py compilemessages"


def _english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_home_page_is_french_by_default() -> None:
    html = Client().get(reverse("pages:home")).content.decode()
    assert '<html lang="fr">' in html
    assert "Ce qui se discute près de chez vous" in html
    assert "Aller au contenu" in html


@pytest.mark.django_db
def test_home_page_in_english_with_the_language_cookie() -> None:
    response = _english_client().get(reverse("pages:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for text in (
        "What is being discussed near you",
        "Skip to content",
        "Processes",
        "Commitment follow-up",
        "Open data",
        "Create an account",
        "Accessibility: partially compliant",
    ):
        assert text in html, text
    assert "Ce qui se discute près de chez vous" not in html
    assert "Aller au contenu" not in html


@pytest.mark.django_db
def test_sign_up_page_in_english_with_the_language_cookie() -> None:
    html = _english_client().get(reverse("accounts:signup")).content.decode()
    assert '<html lang="en">' in html
    for text in (
        "Create my account",
        "Email address",
        "Display name",
        "Password",
        "(required)",
        "Already registered?",
        "Representativeness statistics (optional)",
    ):
        assert text in html, text
    for french in ("Créer mon compte", "Nom affiché", "(obligatoire)", "Déjà inscrit"):
        assert french not in html, french


@pytest.mark.django_db
def test_sign_up_page_is_french_by_default() -> None:
    html = Client().get(reverse("accounts:signup")).content.decode()
    assert '<html lang="fr">' in html
    assert "Créer mon compte" in html
    assert "(obligatoire)" in html


@pytest.mark.django_db
def test_language_switcher_and_accept_language_choose_english() -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("pages:home")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("pages:home")).content.decode()

    html = Client().get(reverse("pages:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").content.decode()
    assert '<html lang="en">' in html
    assert "What is being discussed near you" in html
