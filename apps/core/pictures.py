"""Responsive copies of an uploaded picture: smaller WebP files for phones, made once on upload.

The original is the re-encoded upload (apps.core.uploads). Each copy sits beside it as
``<name>-<width>.webp`` and is public exactly when the original is (apps.pages.media), so no
table lists them. A copy is made only for widths smaller than the original: never upscaled.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from PIL import Image

WIDTHS = (480, 960)
_QUALITY = 80


def variant_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}.webp"))


def original_of(name: str) -> str | None:
    """The stem (``folder/<random>``) a copy was made from, or None if ``name`` is not a copy."""
    path = PurePosixPath(name)
    stem, _, width = path.stem.rpartition("-")
    if path.suffix != ".webp" or not stem or not width.isdigit() or int(width) not in WIDTHS:
        return None
    return str(path.with_name(stem))


def dimensions(content: BinaryIO | File[Any]) -> tuple[int, int]:
    """Width and height of an image file (header only), its position kept."""
    position = content.tell()
    try:
        with Image.open(content) as image:
            return image.size
    finally:
        content.seek(position)


def make_variants(name: str) -> list[str]:
    """Write the smaller copies of the stored picture ``name``; return their names."""
    made = []
    with default_storage.open(name, "rb") as handle, Image.open(handle) as opened:
        opened.load()
        image = opened.convert("RGBA" if "A" in opened.getbands() else "RGB")
    for width in WIDTHS:
        if width >= image.width:
            continue
        copy = image.copy()
        copy.thumbnail((width, round(image.height * width / image.width) + 1))
        buffer = io.BytesIO()
        copy.save(buffer, format="WEBP", quality=_QUALITY)
        target = variant_name(name, width)
        if default_storage.exists(target):
            default_storage.delete(target)
        made.append(default_storage.save(target, ContentFile(buffer.getvalue())))
    return made


def delete_with_variants(name: str) -> None:
    for target in [name, *(variant_name(name, width) for width in WIDTHS)]:
        if target and default_storage.exists(target):
            default_storage.delete(target)


@dataclass(frozen=True)
class Picture:
    """What ``components/card.html`` and the pages need to draw a responsive ``<img>``."""

    src: str
    srcset: str
    alt: str
    width: int
    height: int
    sizes: str = "(min-width: 48rem) 22rem, 100vw"


def picture(name: str, alt: str, width: int | None, height: int | None) -> Picture | None:
    if not name or not width or not height:
        return None
    sources = [f"{default_storage.url(variant_name(name, w))} {w}w" for w in WIDTHS if w < width] + [
        f"{default_storage.url(name)} {width}w"
    ]
    return Picture(src=default_storage.url(name), srcset=", ".join(sources), alt=alt, width=width, height=height)
