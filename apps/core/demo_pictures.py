"""Pictures of the demo city, drawn with Pillow: calm flat illustrations (a park, a street, a
river, a square, a school yard, a skyline), chosen from the words of what they illustrate, in
the colours of its quartier, each with a French description of what it shows.

They go through the same path as an upload (``apps.core.covers.cover_apply``: re-encoded, smaller
copies), so the demo shows exactly what a city gets. No model of a module is named here: every
concrete model with the cover fields (``Covered``) is found through Django's registry.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from apps.core.covers import Covered, cover_apply

WIDTH, HEIGHT = 1200, 675
# Sky, ground and accent per tint (the same six families as the fallback's ``.tint-N``).
PALETTES = (
    ((214, 232, 244), (120, 170, 120), (0, 58, 97)),
    ((227, 243, 232), (96, 150, 96), (30, 77, 43)),
    ((255, 236, 210), (150, 170, 110), (190, 100, 20)),
    ((247, 226, 236), (120, 160, 130), (110, 17, 64)),
    ((232, 228, 246), (110, 150, 140), (61, 42, 115)),
    ((220, 242, 240), (90, 150, 140), (0, 80, 74)),
)
SKY_WORDS = {0: "un ciel bleu pâle", 1: "un ciel vert d'eau", 2: "un ciel orangé de fin de journée",
             3: "un ciel rosé", 4: "un ciel mauve", 5: "un ciel turquoise"}  # fmt: skip

Scene = Callable[[ImageDraw.ImageDraw, tuple[Any, ...], random.Random], str]


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    """Darker below 1; above 1, a blend towards white (pastel, never a harsher hue)."""
    if factor <= 1:
        return (int(colour[0] * factor), int(colour[1] * factor), int(colour[2] * factor))
    share = min(factor - 1, 1.6) / 2
    return tuple(int(c + (255 - c) * share) for c in colour)  # type: ignore[return-value]


def _sky_and_ground(draw: ImageDraw.ImageDraw, palette: tuple[Any, ...], horizon: int) -> None:
    sky, ground, _accent = palette
    for y in range(horizon):  # a soft vertical gradient
        draw.line([(0, y), (WIDTH, y)], fill=_shade(sky, 0.92 + 0.08 * y / horizon))
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=ground)


def _tree(draw: ImageDraw.ImageDraw, x: int, base: int, size: int, leaves: tuple[int, int, int]) -> None:
    draw.rectangle([x - size // 10, base - size, x + size // 10, base], fill=(110, 80, 55))
    draw.ellipse([x - size // 2, base - size * 2, x + size // 2, base - size // 2], fill=leaves)


def _park(draw: ImageDraw.ImageDraw, palette: tuple[Any, ...], rng: random.Random) -> str:
    _sky_and_ground(draw, palette, 420)
    draw.ellipse([880, 70, 1010, 200], fill=(255, 214, 120))
    count = rng.randint(3, 5)
    for index in range(count):
        x = 150 + index * (900 // count) + rng.randint(-30, 30)
        _tree(draw, x, 470 + rng.randint(-20, 30), rng.randint(110, 150), _shade(palette[1], 0.7))
    draw.rectangle([520, 520, 700, 540], fill=(140, 95, 60))  # a bench
    draw.rectangle([535, 540, 545, 575], fill=(90, 60, 40))
    draw.rectangle([675, 540, 685, 575], fill=(90, 60, 40))
    return f"un parc avec {count} arbres et un banc au soleil"


def _street(draw: ImageDraw.ImageDraw, palette: tuple[Any, ...], rng: random.Random) -> str:
    _sky_and_ground(draw, palette, 360)
    accent = palette[2]
    x = 0
    while x < WIDTH:  # a row of façades
        width = rng.randint(120, 200)
        height = rng.randint(160, 300)
        draw.rectangle([x, 360 - height, x + width - 8, 360], fill=_shade(accent, rng.uniform(1.6, 2.6)))
        for wy in range(360 - height + 30, 340, 55):
            for wx in range(x + 20, x + width - 40, 45):
                draw.rectangle([wx, wy, wx + 22, wy + 30], fill=(250, 250, 240))
        x += width
    draw.polygon([(0, HEIGHT), (WIDTH, HEIGHT), (760, 360), (440, 360)], fill=(90, 90, 100))
    draw.polygon([(380, HEIGHT), (520, HEIGHT), (590, 360), (570, 360)], fill=(120, 190, 120))  # cycle lane
    for y in range(400, HEIGHT, 70):
        draw.rectangle([600 + (y - 360) // 6, y, 612 + (y - 360) // 5, y + 35], fill=(245, 245, 245))
    return "une rue bordée d'immeubles, avec une piste cyclable verte au milieu de la chaussée"


def _river(draw: ImageDraw.ImageDraw, palette: tuple[Any, ...], rng: random.Random) -> str:
    _sky_and_ground(draw, palette, 330)
    draw.polygon([(0, 470), (WIDTH, 430), (WIDTH, 560), (0, 600)], fill=(90, 150, 200))
    for _ in range(14):
        x, y = rng.randint(0, WIDTH - 80), rng.randint(470, 560)
        draw.line([(x, y), (x + 60, y - 3)], fill=(200, 225, 245), width=4)
    draw.arc([260, 300, 940, 700], start=200, end=340, fill=palette[2], width=22)  # a footbridge
    for x in (180, 980, 1100):
        _tree(draw, x, 440, 90, _shade(palette[1], 0.7))
    return "un fleuve traversé par une passerelle, des arbres sur les berges"


def _square(draw: ImageDraw.ImageDraw, palette: tuple[Any, ...], rng: random.Random) -> str:
    _sky_and_ground(draw, palette, 380)
    accent = palette[2]
    draw.rectangle([330, 170, 870, 380], fill=_shade(accent, 2.4))  # a hall
    draw.polygon([(300, 175), (900, 175), (600, 80)], fill=_shade(accent, 1.3))
    for x in range(370, 840, 90):
        draw.rectangle([x, 230, x + 45, 380], fill=(250, 250, 240))
    people = rng.randint(5, 8)
    for index in range(people):
        x = 120 + index * (960 // people) + rng.randint(-20, 20)
        colour = _shade(accent, rng.uniform(0.8, 1.8))
        draw.ellipse([x, 470, x + 34, 504], fill=(120, 90, 70))
        draw.rounded_rectangle([x - 8, 506, x + 42, 600], radius=18, fill=colour)
    return f"une place devant un bâtiment public, où {people} personnes se retrouvent"


def _school(draw: ImageDraw.ImageDraw, palette: tuple[Any, ...], rng: random.Random) -> str:
    _sky_and_ground(draw, palette, 400)
    draw.rectangle([60, 200, 520, 400], fill=(240, 200, 150))
    for x in range(100, 480, 80):
        draw.rectangle([x, 250, x + 45, 310], fill=(250, 250, 240))
    draw.polygon([(700, 400), (760, 230), (820, 400)], outline=palette[2], width=10)  # a slide
    draw.line([(760, 230), (960, 400)], fill=palette[2], width=14)
    for index, colour in enumerate(((230, 90, 80), (80, 140, 220), (250, 200, 60))):
        draw.ellipse([560 + index * 160, 560, 620 + index * 160, 620], fill=colour)
    return "une cour d'école avec un toboggan et des ballons de couleur"


def _skyline(draw: ImageDraw.ImageDraw, palette: tuple[Any, ...], rng: random.Random) -> str:
    _sky_and_ground(draw, palette, 520)
    accent = palette[2]
    x = 20
    while x < WIDTH - 40:
        width, height = rng.randint(70, 150), rng.randint(150, 380)
        draw.rectangle([x, 520 - height, x + width, 520], fill=_shade(accent, rng.uniform(1.0, 2.2)))
        for wy in range(520 - height + 25, 500, 48):
            for wx in range(x + 14, x + width - 24, 36):
                draw.rectangle([wx, wy, wx + 16, wy + 24], fill=(250, 245, 225))
        x += width + rng.randint(4, 30)
    draw.ellipse([100, 60, 190, 150], fill=(255, 240, 200))
    return "les toits et les immeubles d'un quartier"


# Scene by the words of the title (first match wins); the skyline otherwise.
SCENES: tuple[tuple[tuple[str, ...], Scene], ...] = (
    (("parc", "jardin", "arbre", "vert", "végétal", "nature", "potager", "climat"), _park),
    (("vélo", "rue", "piste", "mobilit", "circulation", "trottoir", "chemin", "route"), _street),
    (("loire", "eau", "fleuve", "rivière", "erdre", "berge", "quai"), _river),
    (("école", "enfant", "jeu", "jeune", "sport", "cour"), _school),
    (("conseil", "place", "marché", "atelier", "jury", "débat", "maison", "centre", "culture"), _square),
)


def illustration(title: str, tint: int, rng: random.Random) -> tuple[bytes, str]:
    """A PNG illustrating ``title`` in the colours of ``tint``, and its French description."""
    words = title.lower()
    scene = next((draw for keys, draw in SCENES if any(key in words for key in keys)), _skyline)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    palette = PALETTES[tint % len(PALETTES)]
    what = scene(ImageDraw.Draw(image), palette, rng)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), f"Illustration pour « {title} » : {what}, sous {SKY_WORDS[tint % len(PALETTES)]}."


def _label(obj: Any) -> str:
    return str(getattr(obj, "title", "") or getattr(obj, "name", "") or obj)


def _tint(obj: Any) -> int:
    for path in ("territory_id", "process.territory_id", "envelope.territory_id"):
        value: Any = obj
        for part in path.split("."):
            value = getattr(value, part, None)
        if value:
            return int(value)
    return 0


def illustrate_demo(rng: random.Random, *, per_model: int) -> int:
    """Give up to ``per_model`` rows of every model with a cover its picture; returns how many."""
    made = 0
    for model in apps.get_models():
        if not issubclass(model, Covered):
            continue
        for obj in model._default_manager.filter(cover="").order_by("pk")[:per_model]:
            content, alt = illustration(_label(obj), _tint(obj), rng)
            cover_apply(obj, upload=ContentFile(content, name="illustration.png"), alt=alt)
            obj.save(update_fields=["cover", "cover_width", "cover_height", "cover_alt"])
            made += 1
    return made
