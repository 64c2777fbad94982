"""The one parser of integer parameters (issue 8, item 11)."""

from __future__ import annotations

import pytest

from apps.core.params import parse_id, parse_int, parse_page


@pytest.mark.parametrize(
    "raw",
    [
        "²",
        "①",
        "②",
        "١",
        "٣",
        "０",
        "1²",
        "\x00",
        "1\x00",
        "",
        " 7",
        "7 ",
        "1.5",
        "1e3",
        "+3",
        "0x1",
        "🙂",
        "9" * 19,
        "9" * 100_000,
        None,
        1.0,
        True,
    ],
)
def test_parse_int_refuses_anything_but_ascii_digits(raw: object) -> None:
    assert parse_int(raw) is None
    assert parse_int(raw, default=4) == 4


def test_parse_int_reads_plain_numbers_and_bounds() -> None:
    assert parse_int("42") == 42
    assert parse_int("-3") == -3
    assert parse_int(7) == 7
    assert parse_int("-3", minimum=0) is None
    assert parse_int("12", maximum=10, default=10) == 10
    assert parse_int("9" * 18) == 10**18 - 1


def test_parse_id_and_page() -> None:
    assert parse_id("12") == 12
    assert parse_id("0") is None
    assert parse_id("②") is None
    assert parse_page("3") == 3
    assert parse_page("²") == 1
    assert parse_page("-2") == 1
    assert parse_page(None) == 1
