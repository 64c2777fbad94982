"""Hostile and ordinary files for the upload tests, made in memory."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

from tests.security.world import png_bytes

SCRIPT = b"<html><body><script>fetch('/gestion/roles/').then(r => r.text())</script></body></html>"


def polyglot_png() -> bytes:
    """A valid PNG with an HTML page after its last chunk: browsers that sniff see a page."""
    return png_bytes((16, 16)) + SCRIPT


def bomb_png(side: int = 30_000) -> bytes:
    """A real 1-bit PNG of ``side`` x ``side`` pixels (900 million for 30,000): about 110 KB on
    disk, gigabytes once decoded. Written chunk by chunk so the test never holds the pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    rows_per_step = 1000
    data = [compressor.compress(row * rows_per_step) for _ in range(side // rows_per_step)]
    data.append(compressor.compress(row * (side % rows_per_step)))
    data.append(compressor.flush())
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(data)) + chunk(b"IEND", b"")


def jpeg_with_gps_and_rotation() -> bytes:
    """A 40 x 20 JPEG whose EXIF says "rotate 90°" and holds a GPS position (a resident's home)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (47.0, 13.0, 6.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (1.0, 33.0, 13.0)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#c04000").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (10, 10), 3).save(buffer, format="GIF")
    return buffer.getvalue()


def pdf_bytes(text: str = "Compte rendu de séance") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()
