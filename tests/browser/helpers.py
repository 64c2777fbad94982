"""Small helpers of the browser suite: axe-core scans, forms submitted with errors, keyboard walks."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_AXE = Axe()
# Every WCAG 2.0/2.1 A and AA rule, plus axe's best practices (landmarks, headings, regions):
# RGAA 4.1 maps onto WCAG 2.1 AA.
AXE_OPTIONS: dict[str, Any] = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}


def axe_violations(page: Page) -> list[dict[str, Any]]:
    results = _AXE.run(page, options=AXE_OPTIONS)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {node['target']}: {node.get('html', '')[:160]} | {summary[:240]}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, label: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {label or page.url}:\n{describe_violations(violations)}"


def submit_with_errors(
    page: Page, fill: dict[str, str] | None = None, form: str = "#contenu form[method=post i]"
) -> None:
    """Submit the page's main form with server-side errors: the browser's own checks are
    switched off so that the server's French error messages and summary are shown."""
    target = page.locator(form).first
    target.evaluate("f => { f.noValidate = true; }")
    for selector, value in (fill or {}).items():
        target.locator(selector).fill(value)
    with page.expect_navigation():
        target.locator("button[type=submit], input[type=submit]").last.click()


def focused(page: Page) -> dict[str, Any]:
    """What has the keyboard focus: tag, id, name, type, text and href."""
    info: dict[str, Any] = page.evaluate(
        """() => { const e = document.activeElement; return e ? {
            tag: e.tagName.toLowerCase(), id: e.id || '', name: e.getAttribute('name') || '',
            type: e.getAttribute('type') || '', text: (e.innerText || e.value || '').trim().slice(0, 80),
            href: e.getAttribute('href') || '' } : {}; }"""
    )
    return info


def tab_to(page: Page, predicate: Any, limit: int = 80, backwards: bool = False) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until ``predicate(focused)`` holds; fail after ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        current = focused(page)
        seen.append(current)
        if predicate(current):
            return current
    raise AssertionError(f"focus never reached the target after {limit} × {key}; last: {seen[-5:]}")


def no_horizontal_scroll(page: Page) -> tuple[int, int]:
    widths: list[int] = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return widths[0], widths[1]
