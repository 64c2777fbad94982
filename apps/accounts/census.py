"""The census (or electoral) list: proof of residence without an agent.

An agent of the city uploads the list as CSV (nom, prénom, date de naissance, adresse, code
postal, quartier optional). Each row is kept only as an HMAC, keyed by ``settings.CENSUS_KEY``,
of the normalised name, birth date and address, with its quartier: a database backup does not
give the list back, and a guess cannot be checked without the key. The list is deleted at its
purge date (a year at most; ``manage.py census_purge`` runs daily) or when a new one replaces it.

A resident types the same facts on "Vérifier mon adresse"; an equal digest makes the account
``verified`` (method census) in the row's quartier. Each row proves one account only.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import rules
from apps.accounts.models import CensusEntry, CensusImport, User, VerificationRecord
from apps.core.models import Territory, audit
from apps.core.spreadsheets import decode_spreadsheet, spreadsheet_rows

MAX_KEEP = datetime.timedelta(days=365)
MAX_ERRORS = 50

# Street-type abbreviations of French address lists, expanded before comparing.
_ABBREVIATIONS = {
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "boul": "boulevard",
    "pl": "place",
    "imp": "impasse",
    "all": "allee",
    "ch": "chemin",
    "chem": "chemin",
    "rte": "route",
    "sq": "square",
    "crs": "cours",
    "fg": "faubourg",
    "fbg": "faubourg",
    "st": "saint",
    "ste": "sainte",
}
_HEADERS = {
    "nom": ("nom", "nomdenaissance", "nomdusage"),
    "prenom": ("prenom", "prenoms"),
    "naissance": ("datedenaissance", "datenaissance", "naissance", "nele"),
    "adresse": ("adresse",),
    "code_postal": ("codepostal", "cp"),
    "quartier": ("quartier",),
}
_REQUIRED = ("nom", "prenom", "naissance", "adresse", "code_postal")


# --- normalisation and digest --------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Lower-case ASCII words: accents, case, punctuation and spacing do not matter."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.findall(r"[a-z0-9]+", ascii_text)


def normalise_name(nom: str, prenom: str) -> str:
    # Lists give every first name ("Marie Claire Anne"), people type one: the first counts.
    # A hyphenated first name stays whole ("Jean-Pierre" → "jeanpierre").
    first = re.split(r"[\s,]+", prenom.strip(), maxsplit=1)[0] if prenom.strip() else ""
    return "".join(_words(nom)) + "|" + "".join(_words(first))


def normalise_address(address: str, postal_code: str) -> str:
    words = [_ABBREVIATIONS.get(word, word) for word in _words(address)]
    return "".join(words) + "|" + re.sub(r"\D", "", postal_code)


def census_digest(*, nom: str, prenom: str, birth_date: datetime.date, address: str, postal_code: str) -> str:
    message = "\n".join(
        (normalise_name(nom, prenom), birth_date.isoformat(), normalise_address(address, postal_code))
    ).encode()
    return hmac.new(settings.CENSUS_KEY.encode(), message, hashlib.sha256).hexdigest()


# --- reading the file ------------------------------------------------------------------------


@dataclass(frozen=True)
class CensusIssue:
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            _("ligne %(line)s : %(message)s") % {"line": self.line, "message": self.message}
            if self.line
            else self.message
        )


class CensusError(Exception):
    """Every problem of the file, each with its line number, in French."""

    def __init__(self, issues: list[CensusIssue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


def parse_date(value: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            # Only the calendar date is kept: the zone given to the parsed midnight does not matter.
            return datetime.datetime.strptime(value.strip(), pattern).replace(tzinfo=datetime.UTC).date()
        except ValueError:
            continue
    return None


def _columns(header: list[str]) -> dict[str, int]:
    folded = ["".join(_words(cell)) for cell in header]
    found: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for index, name in enumerate(folded):
            if name in names and key not in found:
                found[key] = index
    return found


def _quartiers(city: Territory) -> dict[str, Territory]:
    quartiers = Territory.objects.filter(pk__in=city.descendant_ids(), kind=Territory.Kind.QUARTIER)
    index: dict[str, Territory] = {}
    for quartier in quartiers:
        index["".join(_words(quartier.name))] = quartier
        index["".join(_words(quartier.slug))] = quartier
    return index


def read_census(raw: bytes, city: Territory) -> list[tuple[str, Territory | None]]:
    """(digest, quartier) of every row, or ``CensusError`` listing the problems."""
    issues: list[CensusIssue] = []

    def add(line: int | None, message: str) -> None:
        if len(issues) < MAX_ERRORS:
            issues.append(CensusIssue(line, message))

    rows = spreadsheet_rows(decode_spreadsheet(raw))
    if not rows:
        raise CensusError([CensusIssue(None, _("Le fichier est vide."))])
    header_line, header = rows[0]
    columns = _columns(header)
    missing = [key for key in _REQUIRED if key not in columns]
    if missing:
        expected = _("nom, prénom, date de naissance, adresse, code postal, quartier (facultatif)")
        raise CensusError(
            [
                CensusIssue(
                    header_line,
                    _("colonnes absentes : %(missing)s (attendu : %(expected)s)")
                    % {"missing": ", ".join(missing), "expected": expected},
                )
            ]
        )
    quartiers = _quartiers(city)
    seen: dict[str, int] = {}
    entries: list[tuple[str, Territory | None]] = []
    for line, cells in rows[1:]:
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        value = {key: cells[index] for key, index in columns.items()}
        empty = [key for key in _REQUIRED if not value[key]]
        if empty:
            add(line, _("valeur manquante (%(columns)s)") % {"columns": ", ".join(empty)})
            continue
        born = parse_date(value["naissance"])
        if born is None or born > timezone.localdate() or born.year < 1900:
            add(
                line,
                _("date de naissance « %(value)s » illisible (attendu : JJ/MM/AAAA)") % {"value": value["naissance"]},
            )
            continue
        if not re.fullmatch(r"\d{5}", re.sub(r"\s", "", value["code_postal"])):
            add(line, _("code postal « %(value)s » : 5 chiffres attendus") % {"value": value["code_postal"]})
            continue
        quartier = None
        if value.get("quartier"):
            quartier = quartiers.get("".join(_words(value["quartier"])))
            if quartier is None:
                add(
                    line,
                    _("quartier « %(value)s » inconnu dans %(city)s") % {"value": value["quartier"], "city": city.name},
                )
                continue
        digest = census_digest(
            nom=value["nom"],
            prenom=value["prenom"],
            birth_date=born,
            address=value["adresse"],
            postal_code=value["code_postal"],
        )
        if digest in seen:
            add(line, _("même personne qu'à la ligne %(line)s") % {"line": seen[digest]})
            continue
        seen[digest] = line
        entries.append((digest, quartier))
    if issues:
        raise CensusError(issues)
    if not entries:
        raise CensusError([CensusIssue(None, _("Le fichier ne contient aucune personne."))])
    return entries


# --- services --------------------------------------------------------------------------------


@transaction.atomic
def census_import(*, actor: User, city: Territory, raw: bytes, purge_on: datetime.date | None = None) -> CensusImport:
    """Replace the city's list by this file. Raises ``CensusError`` (nothing is changed then)."""
    if not rules.census_cities(actor).filter(pk=city.pk).exists():
        raise PermissionDenied(_("Seuls les agents de toute la ville importent la liste."))
    today = timezone.localdate()
    purge_on = purge_on or today + MAX_KEEP
    if purge_on <= today or purge_on > today + MAX_KEEP:
        raise ValidationError({"purge_on": _("La liste est supprimée au plus tard un an après son import.")})
    entries = read_census(raw, city)
    previous = list(CensusImport.objects.filter(city=city))
    # Claims survive a new list: the same identity still proves one account only.
    claims = dict(
        CensusEntry.objects.filter(census__in=previous, claimed_by__isnull=False).values_list("digest", "claimed_by_id")
    )
    claimed_at = dict(
        CensusEntry.objects.filter(census__in=previous, claimed_by__isnull=False).values_list("digest", "claimed_at")
    )
    for old in previous:
        audit(actor, "census.replaced", old, rows=old.row_count)
    CensusImport.objects.filter(pk__in=[old.pk for old in previous]).delete()
    census = CensusImport(city=city, imported_by=actor, purge_on=purge_on, row_count=len(entries))
    census.full_clean()
    census.save()
    CensusEntry.objects.bulk_create(
        [
            CensusEntry(
                census=census,
                digest=digest,
                quartier=quartier,
                claimed_by_id=claims.get(digest),
                claimed_at=claimed_at.get(digest),
            )
            for digest, quartier in entries
        ],
        batch_size=2000,
    )
    audit(actor, "census.imported", census, rows=len(entries), purge_on=purge_on.isoformat())
    return census


@transaction.atomic
def census_delete(*, actor: User, census: CensusImport) -> None:
    if not rules.census_cities(actor).filter(pk=census.city_id).exists():
        raise PermissionDenied(_("Seuls les agents de toute la ville suppriment la liste."))
    audit(actor, "census.deleted", census, rows=census.row_count)
    census.delete()


def census_purge(*, today: datetime.date | None = None) -> int:
    """Delete every list whose purge date has come; returns how many."""
    today = today or timezone.localdate()
    count = 0
    for census in CensusImport.objects.filter(purge_on__lte=today).order_by("pk"):
        with transaction.atomic():
            audit(None, "census.purged", census, rows=census.row_count)
            census.delete()
            count += 1
    return count


def census_available() -> bool:
    return CensusImport.objects.filter(purge_on__gt=timezone.localdate()).exists()


@transaction.atomic
def census_match(
    *, user: User, nom: str, prenom: str, birth_date: datetime.date, address: str, postal_code: str
) -> VerificationRecord:
    """The resident's own proof of residence. Raises ``ValidationError`` (French) on no match."""
    digest = census_digest(nom=nom, prenom=prenom, birth_date=birth_date, address=address, postal_code=postal_code)
    entry = (
        CensusEntry.objects.select_for_update(of=("self",))
        .select_related("census__city", "quartier")
        .filter(digest=digest, census__purge_on__gt=timezone.localdate())
        .first()
    )
    if entry is None:
        raise ValidationError(
            _(
                "Ces informations ne correspondent à personne sur la liste de la Ville. Vérifiez l'orthographe "
                "et l'adresse (telle qu'elle figure sur la liste électorale), ou présentez-vous à l'accueil "
                "d'une mairie avec un justificatif de domicile."
            )
        )
    if entry.claimed_by_id is not None and entry.claimed_by_id != user.pk:
        raise ValidationError(
            _(
                "Ces informations ont déjà servi à vérifier un autre compte. Si ce n'est pas vous, "
                "présentez-vous à l'accueil d'une mairie."
            )
        )
    person = User.objects.select_for_update().get(pk=user.pk)
    previous_level = person.verification
    person.verification = User.Verification.VERIFIED
    # The birth date is now the city's: fixed, as after a first ballot.
    person.birth_date = birth_date
    person.birth_date_locked_at = person.birth_date_locked_at or timezone.now()
    fields = ["verification", "birth_date", "birth_date_locked_at"]
    if entry.quartier is not None:
        person.home_territory = entry.quartier
        fields.append("home_territory")
    person.full_clean(validate_unique=False)
    person.save(update_fields=fields)
    entry.claimed_by = person
    entry.claimed_at = timezone.now()
    entry.save(update_fields=["claimed_by", "claimed_at"])
    record = VerificationRecord(
        user=person,
        level=User.Verification.VERIFIED,
        method=VerificationRecord.Method.CENSUS,
        territory=entry.quartier or entry.census.city,
    )
    record.full_clean()
    record.save()
    audit(
        person,
        "account.verified",
        person,
        method=VerificationRecord.Method.CENSUS,
        quartier=entry.quartier.name if entry.quartier else None,
        previous_level=previous_level,
    )
    for name in fields:
        setattr(user, name, getattr(person, name))
    return record
