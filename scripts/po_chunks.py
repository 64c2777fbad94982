"""Split the untranslated entries of the English catalogue into JSON chunks, and merge them back.

French is the source language; every new string needs an English translation before the
suite passes (tests/test_translations.py). When a module adds hundreds of strings, the
work is shared out in chunks::

    python scripts/po_chunks.py export --size 300 --out var/po-chunks   # chunk-01.json ...
    # fill each file's "msgstr" (and "msgstr_plural" for plural entries)
    python scripts/po_chunks.py import var/po-chunks/*.json

Fuzzy entries (a guess by makemessages) count as untranslated: the guess is dropped.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polib

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt or ''}\x04{entry.msgid}"


def _needs_work(entry: polib.POEntry) -> bool:
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not all(entry.msgstr_plural.values())
    return not entry.msgstr


def export(size: int, out: Path) -> int:
    catalogue = polib.pofile(str(PO_FILE))
    todo = [entry for entry in catalogue if _needs_work(entry)]
    out.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(todo), size), start=1):
        rows = [
            {
                "msgctxt": entry.msgctxt,
                "msgid": entry.msgid,
                "msgid_plural": entry.msgid_plural or None,
                "where": [f"{path}:{line}" for path, line in entry.occurrences[:2]],
                "msgstr": "",
                "msgstr_plural": ["", ""] if entry.msgid_plural else None,
            }
            for entry in todo[start : start + size]
        ]
        (out / f"chunk-{number:02d}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return len(todo)


def merge(paths: list[Path]) -> tuple[int, list[str]]:
    catalogue = polib.pofile(str(PO_FILE))
    by_key = {_key(entry): entry for entry in catalogue if not entry.obsolete}
    done, problems = 0, []
    for path in paths:
        for row in json.loads(path.read_text()):
            entry = by_key.get(f"{row.get('msgctxt') or ''}\x04{row['msgid']}")
            if entry is None:
                problems.append(f"{path.name}: unknown msgid {row['msgid'][:60]!r}")
                continue
            if entry.msgid_plural:
                plural = row.get("msgstr_plural") or []
                if len(plural) != 2 or not all(plural):
                    problems.append(f"{path.name}: missing plural forms for {row['msgid'][:60]!r}")
                    continue
                entry.msgstr_plural = {0: plural[0], 1: plural[1]}
            else:
                if not row.get("msgstr"):
                    problems.append(f"{path.name}: empty msgstr for {row['msgid'][:60]!r}")
                    continue
                entry.msgstr = row["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            done += 1
    catalogue.save(str(PO_FILE))
    return done, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    export_parser = commands.add_parser("export")
    export_parser.add_argument("--size", type=int, default=300)
    export_parser.add_argument("--out", type=Path, default=Path("var/po-chunks"))
    import_parser = commands.add_parser("import")
    import_parser.add_argument("files", nargs="+", type=Path)
    options = parser.parse_args()
    if options.command == "export":
        print(f"{export(options.size, options.out)} entries to translate in {options.out}")
        return 0
    done, problems = merge(options.files)
    print(f"{done} entries merged")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
