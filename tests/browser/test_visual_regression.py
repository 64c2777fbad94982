"""Visual regression: a dozen key pages photographed in Chromium and compared with the baselines
committed in ``tests/browser/baselines/``, with a tolerance, so that the look does not silently break.

Deterministic on purpose: the fixture world is built at a frozen date (``FROZEN``) with the
factories' sequences and random generator reset, the screenshots are of the viewport only, with
animations stopped and the caret hidden, and nothing leaves the machine (no map tiles, no web
fonts). One browser and one server serve the whole file, one page load per screenshot.

When a change of look is intended, refresh the baselines and commit them:

    ARCHIPEL_UPDATE_BASELINES=1 pytest tests/browser/test_visual_regression.py

A failed comparison leaves the new screenshot and a difference image (changed pixels in red) in
the test's temporary folder, named in the failure message.
"""

from __future__ import annotations

import datetime
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import factory
import factory.random
import pytest
import time_machine
from django.urls import reverse
from PIL import Image, ImageChops
from playwright.sync_api import Page
from pytest_django import DjangoDbBlocker

from tests.security.world import SharedWorld, World, build_whole_world
from tests.shared_rows import built_once

BASELINES = Path(__file__).parent / "baselines"
UPDATE = os.environ.get("ARCHIPEL_UPDATE_BASELINES") == "1"
FROZEN = datetime.datetime(2027, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
# A pixel counts as changed when a channel moves by more than CHANNEL_TOLERANCE (anti-aliasing
# moves a few levels); a page fails when more than MAX_CHANGED of its pixels changed.
CHANNEL_TOLERANCE = 32
MAX_CHANGED = 0.01


@dataclass(frozen=True)
class Shot:
    name: str
    url: Callable[[World], str]
    persona: str = "anonymous"
    viewport: tuple[int, int] = (DESKTOP["width"], DESKTOP["height"])


def _extra(world: World, part: str) -> Any:
    return world.extra[part]


SHOTS = [
    Shot("home", lambda w: reverse("pages:home")),
    Shot("home-phone", lambda w: reverse("pages:home"), viewport=(PHONE["width"], PHONE["height"])),
    Shot("process-list", lambda w: reverse("pages:process_list")),
    Shot("process", lambda w: reverse("pages:process", kwargs={"slug": w.process.slug})),
    Shot("proposal-list", lambda w: reverse("proposals:list", kwargs={"process_slug": w.process.slug})),
    Shot("proposal", lambda w: w.proposal.get_absolute_url()),
    Shot("budget-projects", lambda w: reverse("budgets:projects", kwargs={"slug": _extra(w, "budgets").process.slug})),
    Shot(
        "budget-results",
        lambda w: reverse(
            "budgets:results", kwargs={"slug": _extra(w, "budgets_voting").published_budget.process.slug}
        ),
    ),
    Shot("followup", lambda w: reverse("followup:index")),
    Shot("councils", lambda w: reverse("councils:list")),
    Shot("petitions", lambda w: reverse("petitions:list")),
    Shot("backoffice", lambda w: reverse("backoffice:dashboard"), persona="agent"),
    Shot(
        "backoffice-phone",
        lambda w: reverse("backoffice:dashboard"),
        persona="agent",
        viewport=(PHONE["width"], PHONE["height"]),
    ),
]


def _reset_factories() -> None:
    """Names like « Engagement 12 » come from the factories' counters: start them all at 0."""
    pending: list[type[Any]] = [factory.base.BaseFactory]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        try:
            cls.reset_sequence(0, force=True)
        except Exception:  # noqa: S112 (abstract factories have no counter)
            continue
    factory.random.reseed_random(2027)
    random.seed(2027)


@pytest.fixture(scope="module")
def _frozen_time() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture(scope="module", name="_shared_world")
def shared_world(
    _frozen_time: None,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SharedWorld]:
    # This module's own world, built at the frozen date with fresh counters.
    media = tmp_path_factory.mktemp("visual-world-media")
    _reset_factories()
    with built_once(django_db_blocker, build_whole_world, media=media) as world:
        yield SharedWorld(world=world, media=media)


def changed_ratio(before: Image.Image, after: Image.Image) -> tuple[float, Image.Image]:
    """Share of the pixels changed beyond the tolerance, and a picture of them (red on grey)."""
    if before.size != after.size:
        return 1.0, after
    difference = ImageChops.difference(before.convert("RGB"), after.convert("RGB"))
    strong = [
        Image.eval(channel, lambda level: 255 if level > CHANNEL_TOLERANCE else 0) for channel in difference.split()
    ]
    mask = ImageChops.lighter(ImageChops.lighter(strong[0], strong[1]), strong[2])
    ratio = mask.histogram()[255] / (mask.width * mask.height)
    picture = Image.composite(Image.new("RGB", after.size, (220, 0, 0)), after.convert("L").convert("RGB"), mask)
    return ratio, picture


def test_the_comparison_catches_a_visible_change_and_ignores_noise() -> None:
    # Guards the harness: a comparison that cannot fail would make the screenshots vacuous.
    base = Image.new("RGB", (100, 100), (255, 255, 255))
    noisy = Image.eval(base, lambda level: level - 10)  # a faint shift everywhere: anti-aliasing
    assert changed_ratio(base, noisy)[0] == 0.0
    broken = base.copy()
    broken.paste((0, 85, 140), (0, 0, 100, 5))  # a 5 % band of brand colour
    assert changed_ratio(base, broken)[0] == pytest.approx(0.05)
    assert changed_ratio(base, Image.new("RGB", (100, 90)))[0] == 1.0


@pytest.mark.parametrize("shot", SHOTS, ids=[shot.name for shot in SHOTS])
def test_the_page_looks_like_its_baseline(
    shot: Shot, world: World, page_for: Callable[..., Page], tmp_path: Path
) -> None:
    width, height = shot.viewport
    page: Page = page_for(world.user(shot.persona), viewport={"width": width, "height": height})
    response = page.goto(shot.url(world))
    assert response is not None and response.status == 200, shot.name
    page.evaluate("() => document.fonts.ready")
    png = page.screenshot(animations="disabled", caret="hide")
    baseline = BASELINES / f"{shot.name}.png"
    new = tmp_path / f"{shot.name}.png"
    new.write_bytes(png)
    if UPDATE:
        with Image.open(new) as image:
            image.convert("RGB").quantize(colors=256).save(baseline, optimize=True)
        return
    assert baseline.exists(), f"no baseline {baseline}: run with ARCHIPEL_UPDATE_BASELINES=1 and commit it"
    with Image.open(baseline) as before, Image.open(new) as after:
        ratio, picture = changed_ratio(before.convert("RGB"), after.convert("RGB"))
    if ratio > MAX_CHANGED:
        picture.save(tmp_path / f"{shot.name}-diff.png")
    assert ratio <= MAX_CHANGED, (
        f"{shot.name}: {ratio:.2%} of the pixels changed (tolerance {MAX_CHANGED:.0%}); "
        f"new screenshot and difference in {tmp_path}. If the change is intended, refresh the baselines "
        "(ARCHIPEL_UPDATE_BASELINES=1) and commit them."
    )
