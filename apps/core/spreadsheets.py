"""Reading CSV files that people export from spreadsheets (census lists, sortition pools).

Pure Python, without Django: the sortition engine, a library usable on its own, reads its
pools with it too.
"""

from __future__ import annotations

import csv
import io


def decode_spreadsheet(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved on French Windows set-ups are often in Windows-1252.
        return raw.decode("cp1252", errors="replace")


def spreadsheet_rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their 1-based line number, separator sniffed from the header line."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    for record in reader:
        cells = [cell.strip() for cell in record]
        if any(cells):
            rows.append((line, cells))
        line = reader.line_num + 1
    return rows
