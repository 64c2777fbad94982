"""Build ``static/vendor/lucide/sprite.svg``: the Lucide icons Archipel uses, as one SVG sprite.

Usage (no build step at run time; the sprite is committed)::

    mkdir /tmp/lucide && cd /tmp/lucide && npm pack lucide-static@1 && tar xzf lucide-static-*.tgz
    python scripts/build_icon_sprite.py /tmp/lucide/package

The list of icons is ``apps.core.templatetags.design.ICONS`` (the ``{% icon %}`` tag refuses any
other name, so a template never points at a symbol the sprite lacks). Each icon becomes a
``<symbol id="NAME">`` with Lucide's stroke attributes, so ``<use href="sprite.svg#NAME">``
draws it in ``currentColor``.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.core.icons import ICONS  # noqa: E402

TARGET = ROOT / "static" / "vendor" / "lucide"
_BODY = re.compile(r"<svg[^>]*>(.*)</svg>", re.S)


def main(package: Path) -> None:
    version = re.search(r'"version":\s*"([^"]+)"', (package / "package.json").read_text()).group(1)  # type: ignore[union-attr]
    symbols = []
    for name in sorted(ICONS):
        match = _BODY.search((package / "icons" / f"{name}.svg").read_text())
        if match is None:
            raise SystemExit(f"no <svg> in {name}.svg")
        body = " ".join(line.strip() for line in match.group(1).splitlines() if line.strip())
        symbols.append(
            f'<symbol id="{name}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
            f'stroke-linecap="round" stroke-linejoin="round">{body}</symbol>'
        )
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "sprite.svg").write_text(
        f"<!-- lucide-static {version}, ISC licence (LICENSE beside this file); built by "
        "scripts/build_icon_sprite.py -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round">\n' + "\n".join(symbols) + "\n</svg>\n"
    )
    shutil.copyfile(package / "LICENSE", TARGET / "LICENSE")
    print(f"{len(symbols)} icons from lucide-static {version}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
