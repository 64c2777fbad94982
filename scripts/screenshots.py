"""Screenshots of the demo city for the README: home, ballot, results, draw page and back office,
each on a phone (375 px) and a laptop (1,280 px), written to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py            # builds a fresh demo in a temporary folder
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000   # a demo you already run

Drives Debian's Chromium through Playwright (``executable_path``); the PNGs are reduced to 256
colours so that the repository stays small.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_server import CHROMIUM, CHROMIUM_ARGS, ROOT, demo_site, django_setup

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "demo-archipel-2026"  # noqa: S105 (the demo's public password, see README)
RESIDENT = "habitante@demo.archipel.fr"
AGENT = "agent@demo.archipel.fr"
VOTING_BUDGET = "budget-participatif-2026-2027"
COUNTED_BUDGET = "budget-participatif-2024-2025"
DRAW = "conseil-citoyen-bellevue-2026"
WIDTHS = {"phone": (375, 812), "desktop": (1280, 800)}


def _reverse(name: str, **kwargs: object) -> str:
    django_setup()
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


def _sign_in(page: Page, email: str) -> None:
    page.goto(_reverse("accounts:login"))
    form = page.locator("#contenu form[method=post i]").first
    form.locator("input[type=email], input[name=username], input[name=email]").first.fill(email)
    form.locator("input[type=password]").first.fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


def _ballot(page: Page) -> None:
    page.goto(_reverse("budgets:vote", slug=VOTING_BUDGET))
    links = page.locator("#contenu a").evaluate_all("nodes => nodes.map(n => n.getAttribute('href'))")
    ballots = [href for href in links if href and re.search(r"/vote/\d+/$", href)]
    if ballots:
        page.goto(ballots[0])


def _save(png: bytes, target: Path) -> None:
    with Image.open(io.BytesIO(png)) as image:
        image.convert("RGB").quantize(colors=256).save(target, optimize=True)


@contextmanager
def _pages(browser: Browser, url: str, width: int, height: int, email: str | None) -> Iterator[Page]:
    context = browser.new_context(base_url=url, viewport={"width": width, "height": height}, locale="fr-FR")
    context.route(re.compile(r"^https?://(?!(127\.0\.0\.1|localhost)[:/])"), lambda route: route.abort())
    page = context.new_page()
    if email:
        _sign_in(page, email)
    try:
        yield page
    finally:
        context.close()


def take(url: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    shots: list[tuple[str, str | None, Callable[[Page], object]]] = [
        ("home", None, lambda page: page.goto("/")),
        ("ballot", RESIDENT, _ballot),
        ("results", None, lambda page: page.goto(_reverse("budgets:results", slug=COUNTED_BUDGET))),
        ("draw", None, lambda page: page.goto(_reverse("sortition:detail", slug=DRAW))),
        ("backoffice", AGENT, lambda page: page.goto(_reverse("backoffice:dashboard"))),
    ]
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for name, email, visit in shots:
            for label, (width, height) in WIDTHS.items():
                with _pages(browser, url, width, height, email) as page:
                    visit(page)
                    page.evaluate("() => document.fonts.ready")
                    target = OUT / f"{name}-{label}.png"
                    _save(page.screenshot(animations="disabled", caret="hide"), target)
                    written.append(target)
                    print(f"{target.relative_to(ROOT)}  {page.url}  {target.stat().st_size // 1024} KB")
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running demo (default: build a fresh one in a temporary folder)")
    args = parser.parse_args()
    with nullcontext(args.url) if args.url else demo_site() as url:
        take(url)


if __name__ == "__main__":
    main()
