"""French typography of dates, numbers, percentages and file sizes (issue 8, item 16)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from pytest_django import Settings

from apps.core import formatting
from apps.core.models import Process
from apps.core.uploads import validate_image_upload
from apps.sortition.templatetags.sortition_tags import percent


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_first_of_the_month_reads_1er_in_french_and_1_in_english() -> None:
    first = datetime.date(2027, 1, 1)
    with translation.override("fr"):
        assert _render('{{ d|date:"j F Y" }}', d=first) == "1er janvier 2027"
        assert _render("{{ d|date }}", d=first) == "1er janvier 2027"
        assert _render('{{ d|date:"j F Y" }}', d=datetime.date(2027, 1, 11)) == "11 janvier 2027"
        # Numeric dates keep their digits.
        assert _render('{{ d|date:"d/m/Y" }}', d=first) == "01/01/2027"
        assert formatting.date_format(datetime.date(2027, 3, 1), "j F Y") == "1er mars 2027"
    with translation.override("en"):
        assert _render('{{ d|date:"j F Y" }}', d=first) == "1 January 2027"


def test_datetimes_keep_their_format_name_and_local_time() -> None:
    moment = datetime.datetime(2027, 2, 28, 23, 30, tzinfo=datetime.UTC)  # 1 March 00:30 in Paris
    with translation.override("fr"):
        assert _render('{{ t|date:"DATETIME_FORMAT" }}', t=moment) == "1er mars 2027 à 00:30"


def test_percentages_are_rounded_half_up_not_truncated() -> None:
    with translation.override("fr"):
        assert formatting.percent(12 / 84) == "14,3\u202f%"
        assert formatting.percent(12 / 84, 2) == "14,29\u202f%"
        assert percent(12 / 84, 2) == "14,29\u202f%"
        assert formatting.percent(0.0125, 1) == "1,3\u202f%"
        assert formatting.percent(None) == "—"


def test_thousands_are_grouped() -> None:
    with translation.override("fr"):
        assert _render("{{ n|nombre }}", n=36000) == "36\xa0000"
        assert formatting.number(1234567.891, 1) == "1\xa0234\xa0567,9"


@pytest.mark.parametrize(
    ("size", "text"),
    [(512, "512\xa0octets"), (840 * 1024, "840\xa0ko"), (5 * 1024 * 1024, "5\xa0Mo"), (20027801, "19,1\xa0Mo")],
)
def test_file_sizes_use_mo_and_ko(size: int, text: str) -> None:
    with translation.override("fr"):
        assert formatting.file_size(size) == text


def test_the_upload_limit_message_says_mo(settings: Settings) -> None:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_IMAGE_UPLOAD_BYTES = 5 * 1024 * 1024
    upload = SimpleUploadedFile("big.png", b"x" * (5 * 1024 * 1024 + 200_000), content_type="image/png")
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert "5\xa0Mo au maximum" in error.value.messages[0]
    assert "Mio" not in error.value.messages[0]


def test_the_map_zoom_buttons_are_titled_in_french(process_in_phase: Callable[..., Process], client: Client) -> None:
    from django.urls import reverse

    process = process_in_phase("collect")
    html = client.get(reverse("proposals:map", kwargs={"process_slug": process.slug})).content.decode()
    import json
    import re

    found = re.search(r'<script id="carte-config" type="application/json">(.*?)</script>', html)
    assert found is not None
    config = json.loads(found.group(1))
    assert (config["zoomInTitle"], config["zoomOutTitle"]) == ("Zoomer", "Dézoomer")
    with open("static/js/maps.js", encoding="utf-8") as script:
        source = script.read()
    assert "zoomControl: false" in source and "config.zoomInTitle" in source
