"""A Lighthouse-style page-weight budget measured on the demo city, page by page.

For each public page (found by following the links from the home page, one page per route), it
loads the page in Chromium at 375 px and sums what the browser fetched:

- JavaScript + CSS, gzip-compressed (level 6, what a web server sends): budget 200 KB per page;
- image bytes, and the images that are not responsive (a bitmap with neither ``srcset`` nor a
  natural width at most twice the width it is shown at).

    .venv/bin/python scripts/page_weight.py            # builds a fresh demo in a temporary folder
    .venv/bin/python scripts/page_weight.py --url http://127.0.0.1:8000 [--markdown]

Exits 1 when a page is over budget or has a non-responsive image.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import deque
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_server import CHROMIUM, CHROMIUM_ARGS, demo_site, django_setup

BUDGET = 200 * 1024
MAX_PAGES = 60
SKIPPED = re.compile(
    r"^/(api|gestion|comptes|django-admin|i18n|media|static)/|\.(csv|json|pb|pdf|ics|xml|geojson|zip)$"
)
IMAGES_CHECK = """() => [...document.images]
  .filter(i => i.currentSrc && i.getBoundingClientRect().width > 0).map(i => ({
  src: i.currentSrc, srcset: !!i.getAttribute('srcset'), natural: i.naturalWidth,
  shown: i.getBoundingClientRect().width * window.devicePixelRatio, svg: /\\.svg(\\?|$)/.test(i.currentSrc)}))"""


@dataclass
class Weight:
    path: str
    route: str
    js_css_gzip: int = 0
    images: int = 0
    image_count: int = 0
    not_responsive: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.js_css_gzip <= BUDGET and not self.not_responsive


def _route(path: str) -> str | None:
    django_setup()
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _measure(page: Page, base: str, path: str, route: str) -> Weight:
    weight = Weight(path, route)
    responses: list[Response] = []

    def record(response: Response) -> None:
        responses.append(response)

    page.on("response", record)
    page.goto(base + path, wait_until="load")
    page.remove_listener("response", record)
    for response in responses:
        kind = response.request.resource_type
        if kind not in ("script", "stylesheet", "image") or response.status >= 400:
            continue
        try:
            body = response.body()
        except Exception:  # noqa: S112 (an aborted off-site request has no body)
            continue
        if kind == "image":
            weight.images += len(body)
            weight.image_count += 1
        else:
            weight.js_css_gzip += len(gzip.compress(body, compresslevel=6))
    for image in page.evaluate(IMAGES_CHECK):
        if not (image["svg"] or image["srcset"] or image["natural"] <= 2 * max(image["shown"], 1)):
            weight.not_responsive.append(image["src"])
    return weight


def measure(base: str) -> list[Weight]:
    seen_routes: set[str] = set()
    seen_paths: set[str] = set()
    queue: deque[str] = deque(["/"])
    weights: list[Weight] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
        context.route(re.compile(r"^https?://(?!(127\.0\.0\.1|localhost)[:/])"), lambda route: route.abort())
        page = context.new_page()
        while queue and len(weights) < MAX_PAGES:
            path = queue.popleft()
            route = _route(path)
            if route is None or route in seen_routes:
                continue
            seen_routes.add(route)
            try:
                weights.append(_measure(page, base, path, route))
            except PlaywrightError:  # a download, not a page
                continue
            hrefs = page.locator("a[href]").evaluate_all("nodes => nodes.map(n => n.href)")
            for href in hrefs:
                parts = urlsplit(urldefrag(href)[0])
                if f"{parts.scheme}://{parts.netloc}" != base or parts.query or SKIPPED.search(parts.path):
                    continue
                if parts.path not in seen_paths:
                    seen_paths.add(parts.path)
                    queue.append(parts.path)
        browser.close()
    return weights


def _kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def report(weights: list[Weight], markdown: bool) -> str:
    header = ("page", "route", "JS+CSS gzip KB", "images KB", "images", "not responsive", "budget")
    rows = [
        (
            w.path,
            w.route,
            _kb(w.js_css_gzip),
            _kb(w.images),
            str(w.image_count),
            str(len(w.not_responsive)),
            "ok" if w.ok else "OVER",
        )
        for w in weights
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in [header, *rows]
        ]
    heaviest = max(weights, key=lambda w: w.js_css_gzip)
    lines.append("")
    lines.append(
        f"{len(weights)} pages; heaviest JS+CSS: {_kb(heaviest.js_css_gzip)} KB gzip ({heaviest.path}); "
        f"budget {_kb(BUDGET)} KB; images not responsive: {sum(len(w.not_responsive) for w in weights)}."
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running demo (default: build a fresh one in a temporary folder)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    with nullcontext(args.url) if args.url else demo_site() as url:
        weights = measure(url.rstrip("/"))
    print(report(weights, args.markdown))
    for weight in weights:
        for src in weight.not_responsive:
            print(f"not responsive on {weight.path}: {src}", file=sys.stderr)
    return 0 if all(w.ok for w in weights) else 1


if __name__ == "__main__":
    sys.exit(main())
