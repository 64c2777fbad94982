"""The module registry: each participatory module declares itself with a manifest, its only
plug point.

A phase of a process hosts one module and one of its phase kinds; the phase kind says which
actions are open while the phase runs. Everything else a module adds to the platform is
declared here too, and the foundation reads it from the registry instead of importing the
module: its URLs (mounted by a loop in ``archipel/urls.py``), its panel on a process page and
tab among the process's back-office pages, its navigation entries, its sections of « Mon
espace » and of the home and territory pages, its public uploaded files, its notice on the
profile's home quartier, its public meetings (listed by the neighbourhood agenda), its personal
data (export and anonymisation, read by the RGPD completeness test), what can be followed, its
timeline events and follow-up figures, its open data exports and REST API endpoints, its
participation figures (for the indicators) and its demo builder.

Every field but ``name``, ``verbose_name``, ``actions`` and ``phases`` is optional, so a module
declares only what it has.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from django.db.models import Model, Q, QuerySet
    from django.http import HttpRequest
    from django.utils.functional import _StrOrPromise

    from apps.core.models import Process, Territory
    from apps.core.personal_data import Holding

# An export yields flat rows (dicts of JSON-serialisable values); ``process`` is None for
# the platform-wide export. Rows must never contain personal data.
ExportRows = Callable[["Process | None"], Iterator[Mapping[str, Any]]]
# Who sees a navigation entry or may follow an object: the request's user (anonymous included).
UserRule = Callable[[Any], bool]
# Who sees a module's tab among a process's back-office pages: (user, process).
ProcessRule = Callable[[Any, "Process"], bool]
Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class PhaseKind:
    name: str
    verbose_name: _StrOrPromise
    allows: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ExportSpec:
    rows: ExportRows
    fields: tuple[str, ...]
    verbose_name: _StrOrPromise


def everyone(user: Any) -> bool:
    """The rule of what every visitor sees (anonymous included)."""
    return True


@dataclass(frozen=True)
class NavEntry:
    """A link in a navigation area, shown to the users for whom ``rule(user)`` is true.

    ``area`` is where it appears: the public site's links (shown in every page's footer), the
    back office's menu on its dashboard, or the links of « Mon espace ». ``url_name`` is
    reversed without arguments."""

    label: _StrOrPromise
    url_name: str
    rule: UserRule
    area: Literal["public", "backoffice", "account"]
    order: int = 100
    description: _StrOrPromise = ""


@dataclass(frozen=True)
class ProcessPanel:
    """What a module adds to one process: a panel of the public process page and, optionally,
    a tab among the process's back-office pages.

    ``context(request, process)`` returns the panel template's context (added to the page's:
    ``process``, ``phases``, ``current_phase``, ``state``), or None when the module has nothing
    on this process: then neither the panel nor the tab shows. The tab (``label``, linking to
    ``backoffice_url_name`` reversed with the process's pk) shows to the users for whom
    ``backoffice_rule(user, process)`` is true."""

    label: _StrOrPromise
    template: str
    context: Callable[[HttpRequest, Process], Mapping[str, Any] | None]
    order: int = 100
    backoffice_url_name: str = ""
    backoffice_rule: ProcessRule | None = None


@dataclass(frozen=True)
class AccountSection:
    """A section of « Mon espace ». ``context(request)`` returns the template's context (the
    person is ``request.user``, signed in; the request carries the page number of a paginated
    section), or None when the person has nothing here (the section is then left out)."""

    label: _StrOrPromise
    template: str
    context: Callable[[HttpRequest], Mapping[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class PageSection:
    """A section a module adds to a public page of the foundation: the home page, or a
    territory's page (then ``context(request, territory)`` receives it; None on the home page).
    ``context`` returns the template's context, or None to leave the section out."""

    page: Literal["home", "territory"]
    template: str
    context: Callable[[HttpRequest, Territory | None], Mapping[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class PersonalData:
    """What a module holds about a person (RGPD articles 15, 17 and 20).

    ``holdings`` lists every personal field of the module's models with its export section and
    its fate on deletion (the coverage test walks every model against them); ``export(user)``
    returns the module's sections of the data export; ``anonymise(user, label)`` runs inside the
    account deletion, before the account row is emptied, for what the generic fates do not
    cover; ``names(user)`` gives the names under which the person appears in the module (seats,
    paper entries), scrubbed from audit entries on deletion."""

    holdings: tuple[Holding, ...]
    export: Callable[[Any], Mapping[str, Rows]] | None = None
    anonymise: Callable[[Any, str], None] | None = None
    names: Callable[[Any], Iterable[str]] | None = None
    # The human label of each export section, shown on « Mes données » (never a column name).
    labels: Mapping[str, _StrOrPromise] = field(default_factory=dict)
    # Audit entries about the person beyond the account itself: ``(target_type, target ids)``
    # of the module's records that name the person (a council seat...), read before deletion.
    audit_targets: Callable[[Any], Iterable[tuple[str, Iterable[str]]]] | None = None


@dataclass(frozen=True)
class Followable:
    """An object people may follow (notifications on its news). ``kind`` is the value posted
    by the follow form (an allowlist: nobody can make the endpoint query another model)."""

    kind: str
    model: str  # "app_label.ModelName"
    can_follow: Callable[[Any, Model], bool]
    process_of: Callable[[Model], Process | None] = lambda obj: None
    # The labels of the follow button and of the list of follows in « Mon espace ».
    verbose_name: _StrOrPromise = ""
    follow_label: _StrOrPromise = ""
    unfollow_label: _StrOrPromise = ""
    # News about the object also reaches the followers of this quartier (its id), and these
    # people who do not follow it (its author).
    territory_id_of: Callable[[Model], int | None] = lambda obj: None
    audience: Callable[[Model], Iterable[int]] = lambda obj: ()


@dataclass(frozen=True)
class TimelineEvent:
    """One line of a process's public timeline."""

    sort_key: datetime.datetime
    when: datetime.date | datetime.datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""

    @property
    def iso(self) -> str:
        return self.when.isoformat()

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime.datetime)


@dataclass(frozen=True)
class Figure:
    """One figure of a process's public follow-up page (« Propositions reçues : 12 »);
    ``key`` names it in the page's context."""

    key: str
    label: _StrOrPromise
    value: int
    order: int = 100


@dataclass(frozen=True)
class ParticipationCount:
    """How many acts of one kind (« proposal », « ballot », « attendance »…) happened on one day
    in one territory through one channel (online, paper, counter, street, meeting). Counts only:
    never who, never what was voted."""

    kind: str
    day: datetime.date
    territory_id: int | None
    channel: str
    count: int


@dataclass(frozen=True)
class ServiceDelay:
    """How long residents waited for one step of a service a module gives them (an idea filed →
    its referent named, a first contact, a decision), over what was filed in a period: how many
    reached the step, the median wait in days, how many still wait, and how many reached it
    after the deadline the city promised or still wait past it (``deadline`` says which; empty
    when the step has none). Figures about a service, not about people: never who."""

    key: str
    label: str
    reached: int
    median_days: float | None
    waiting: int
    overdue: int | None = None
    deadline: str = ""

    @property
    def overdue_share(self) -> float | None:
        """The share (0–100) of the items due that missed the deadline, None without one."""
        due = self.reached + self.waiting
        return None if self.overdue is None or not due else 100 * self.overdue / due


# ``service_delays(start, end, territory_ids)``: the module's delays for what was filed between
# ``start`` and ``end`` included, in these territories (None: the whole city).
ServiceDelays = Callable[[datetime.date, datetime.date, "Sequence[int] | None"], Iterable[ServiceDelay]]


@dataclass(frozen=True)
class ToDo:
    """One line of the back office's « À faire » inbox: work that waits for this person (answers
    due, reports to moderate, sheets to type a second time, draws to run...), already limited to
    their scope by the module. ``due`` orders the inbox; ``overdue`` lines come first."""

    label: str
    count: int
    url: str
    due: datetime.date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class SearchHit:
    """One result of the back office's search: something of the module, in the person's scope,
    whose title matches. ``kind`` names what it is (« Proposition », « Tirage »...)."""

    kind: str
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class ApiRoute:
    """A read-only endpoint of the public REST API (``/api/v1/<prefix>/``), mounted by the
    open data app's router: ``viewset`` is the dotted path of a view set built on
    ``apps.opendata.api.views.PublicViewSet``; URL names are ``api:<basename>-list`` and
    ``api:<basename>-detail``."""

    prefix: str
    viewset: str
    basename: str


@dataclass(frozen=True)
class PublicMeeting:
    """A public meeting a module holds on its own (a council's sitting open to the public): the
    neighbourhood agenda lists it beside its rendez-vous and in the quartier's iCal feed, without
    importing the module. ``key`` is stable and unique across modules (the iCal UID)."""

    key: str
    title: str
    organiser: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    place: str
    territory_id: int
    url: str


# ``meetings(start, end)``: the module's public meetings starting in [start, end).
PublicMeetings = Callable[[datetime.datetime, datetime.datetime], Iterable[PublicMeeting]]

ReferralKind = Literal["council_agenda", "workshop_mandate"]


@dataclass(frozen=True)
class Referral:
    """A subject one module hands to another (a petition past its threshold that the city's
    answer puts on a council's agenda, or turns into a draft workshop mandate). The module that
    takes it returns the URL of what it did, so the sender links to it without importing it."""

    kind: ReferralKind
    title: str
    text: str
    territory_id: int
    source_url: str
    actor: Any

    @property
    def source_link(self) -> str:
        """The Markdown link to where the subject comes from (brackets of the title defused)."""
        return f"[{self.title.replace('[', '(').replace(']', ')')}]({self.source_url})"


# ``take_referral(referral)``: the URL of what the module did with it, or None when it does not
# take that kind (or has nowhere to put it, e.g. no council in that territory).
ReferralTaker = Callable[[Referral], str | None]


@dataclass(frozen=True)
class DemoBuilder:
    """Builds the module's part of the demo city. ``build(builder)`` receives the demo command's
    builder (city, quartiers, accounts, rng, now…) and returns counts for its summary; ``order``
    runs modules that use others' demo data later (workshops use draws)."""

    build: Callable[[Any], Mapping[str, int]]
    order: int = 100


@dataclass(frozen=True)
class ModuleManifest:
    name: str
    verbose_name: _StrOrPromise
    actions: frozenset[str]
    phases: tuple[PhaseKind, ...]
    exports: Mapping[str, ExportSpec] = field(default_factory=dict)
    # URL modules and the prefixes they are mounted under (public, and under /gestion/).
    urls: str | None = None
    url_prefix: str = ""
    backoffice_urls: str | None = None
    backoffice_prefix: str = ""
    process_panels: tuple[ProcessPanel, ...] = ()
    nav: tuple[NavEntry, ...] = ()
    account_sections: tuple[AccountSection, ...] = ()
    page_sections: tuple[PageSection, ...] = ()
    # Whether an uploaded file (its name relative to MEDIA_ROOT) belongs to something of the
    # module the public may see: ``/media/`` serves only such files.
    public_file: Callable[[str], bool] | None = None
    # What the profile page says next to the home quartier (and after the person changes it)
    # while the module keeps them tied to their former quartier (a budget vote), or None.
    quartier_notice: Callable[[Any], str | None] | None = None
    personal_data: PersonalData | None = None
    followables: tuple[Followable, ...] = ()
    timeline: Callable[[Process], Iterable[TimelineEvent]] | None = None
    public_meetings: PublicMeetings | None = None
    # The module's figures on the follow-up page of a process.
    figures: Callable[[Process], Iterable[Figure]] | None = None
    participation: Callable[[datetime.date, datetime.date], Iterable[ParticipationCount]] | None = None
    # The delays of the module's services to residents (for the indicators' « réponses et délais »).
    service_delays: ServiceDelays | None = None
    # True when the module records a ``ParticipationEvent`` per act (``apps.core.participation.record``):
    # the indicators then read its events (with who took part) instead of its counts.
    records_events: bool = False
    api: tuple[ApiRoute, ...] = ()
    demo: DemoBuilder | None = None
    # The back office: ``dashboard_counts(processes)`` annotates the processes of the dashboard
    # with the module's counts; ``audit_targets(processes)`` is the Q selecting the audit entries
    # about the module's objects on these processes (what a scoped administrator sees).
    dashboard_counts: Callable[[QuerySet[Process]], QuerySet[Process]] | None = None
    audit_targets: Callable[[QuerySet[Process]], Q] | None = None
    # ``todo(user)``: the lines of the « À faire » inbox this module has for the person (in their
    # scope, nothing when they have no role); ``search(user, query)``: the back office's search
    # in the module's objects of the person's scope (the query is already cleaned, never empty).
    todo: Callable[[Any], Iterable[ToDo]] | None = None
    search: Callable[[Any, str], Iterable[SearchHit]] | None = None
    take_referral: ReferralTaker | None = None
    # ``reference_population(territory_ids, dimension)``: the latest reference population of
    # these territories by category ("age" → {age band: people}); declared by the module that
    # holds the INSEE figures (indicators), read by others through :func:`reference_population`.
    reference_population: Callable[[Sequence[int], str], Mapping[str, int]] | None = None

    def phase_kind(self, name: str) -> PhaseKind | None:
        return next((kind for kind in self.phases if kind.name == name), None)

    def __post_init__(self) -> None:
        for kind in self.phases:
            unknown = kind.allows - self.actions
            if unknown:
                raise ValueError(f"{self.name}.{kind.name} allows undeclared actions {sorted(unknown)}")


_REGISTRY: dict[str, ModuleManifest] = {}


def register(manifest: ModuleManifest) -> ModuleManifest:
    existing = _REGISTRY.get(manifest.name)
    if existing is not None and existing != manifest:
        raise ValueError(f"module {manifest.name!r} is already registered")
    _REGISTRY[manifest.name] = manifest
    return manifest


def get_manifest(name: str) -> ModuleManifest | None:
    return _REGISTRY.get(name)


def all_manifests() -> Iterable[ModuleManifest]:
    return sorted(_REGISTRY.values(), key=lambda manifest: manifest.name)


def module_choices() -> list[tuple[str, str]]:
    return [(manifest.name, str(manifest.verbose_name)) for manifest in all_manifests()]


def phase_kind_choices() -> list[tuple[str, str]]:
    return [
        (f"{manifest.name}:{kind.name}", f"{manifest.verbose_name} — {kind.verbose_name}")
        for manifest in all_manifests()
        for kind in manifest.phases
    ]


def all_exports() -> Iterable[tuple[str, ExportSpec]]:
    for manifest in all_manifests():
        yield from sorted(manifest.exports.items())


def nav_entries(area: str, user: Any) -> list[NavEntry]:
    """The entries of one navigation area the user may see, in their declared order."""
    entries = [entry for manifest in all_manifests() for entry in manifest.nav if entry.area == area]
    return sorted((entry for entry in entries if entry.rule(user)), key=lambda entry: (entry.order, str(entry.label)))


def process_panels() -> list[tuple[ModuleManifest, ProcessPanel]]:
    """Every module's process panels, in their declared order."""
    panels = [(manifest, panel) for manifest in all_manifests() for panel in manifest.process_panels]
    return sorted(panels, key=lambda item: (item[1].order, item[0].name))


def account_sections() -> list[AccountSection]:
    sections = [section for manifest in all_manifests() for section in manifest.account_sections]
    return sorted(sections, key=lambda section: (section.order, str(section.label)))


def page_sections(page: str) -> list[PageSection]:
    sections = [section for manifest in all_manifests() for section in manifest.page_sections if section.page == page]
    return sorted(sections, key=lambda section: (section.order, section.template))


def is_public_file(name: str) -> bool:
    return any(manifest.public_file(name) for manifest in all_manifests() if manifest.public_file is not None)


def quartier_notice(user: Any) -> str | None:
    notices = [manifest.quartier_notice(user) for manifest in all_manifests() if manifest.quartier_notice is not None]
    return " ".join(notice for notice in notices if notice) or None


def reference_population(territory_ids: Sequence[int], dimension: str) -> dict[str, int]:
    """The reference population of these territories by category of ``dimension``, from the
    module that declares it (empty when none does or no figures were imported)."""
    for manifest in all_manifests():
        if manifest.reference_population is not None:
            return dict(manifest.reference_population(territory_ids, dimension))
    return {}


def demo_builders() -> list[tuple[str, DemoBuilder]]:
    """The modules' demo builders, in the order they run (then by module name)."""
    builders = [(manifest.name, manifest.demo) for manifest in all_manifests() if manifest.demo is not None]
    return sorted(builders, key=lambda item: (item[1].order, item[0]))


def all_holdings() -> list[Holding]:
    return [
        holding
        for manifest in all_manifests()
        if manifest.personal_data is not None
        for holding in manifest.personal_data.holdings
    ]


def public_meetings(
    start: datetime.datetime, end: datetime.datetime, territory_ids: Iterable[int] | None = None
) -> list[PublicMeeting]:
    """Every manifest's public meetings starting in [start, end), soonest first; only those of
    ``territory_ids`` when given."""
    wanted = set(territory_ids) if territory_ids is not None else None
    meetings = [
        meeting
        for manifest in all_manifests()
        if manifest.public_meetings
        for meeting in manifest.public_meetings(start, end)
        if wanted is None or meeting.territory_id in wanted
    ]
    return sorted(meetings, key=lambda meeting: (meeting.starts_at, meeting.key))


def refer(referral: Referral) -> str | None:
    """Hand ``referral`` to the first module that takes it; the URL of the result, or None."""
    for manifest in all_manifests():
        if manifest.take_referral and (url := manifest.take_referral(referral)):
            return url
    return None


def timeline_events(process: Process) -> list[TimelineEvent]:
    """Every manifest's events of ``process``, manifest by manifest (the caller sorts)."""
    return [event for manifest in all_manifests() if manifest.timeline for event in manifest.timeline(process)]


def process_figures(process: Process) -> list[Figure]:
    """Every manifest's figures of ``process``, in their declared order."""
    figures = [figure for manifest in all_manifests() if manifest.figures for figure in manifest.figures(process)]
    return sorted(figures, key=lambda figure: figure.order)


def all_followables() -> dict[str, Followable]:
    return {followable.kind: followable for manifest in all_manifests() for followable in manifest.followables}


def todo_items(user: Any) -> list[tuple[ModuleManifest, ToDo]]:
    """Every module's « À faire » lines for ``user``: overdue first, then by due date (undated
    last), then by module."""
    items = [(manifest, item) for manifest in all_manifests() if manifest.todo for item in manifest.todo(user)]
    return sorted(
        (pair for pair in items if pair[1].count > 0),
        key=lambda pair: (not pair[1].overdue, pair[1].due or datetime.date.max, pair[0].name, pair[1].label),
    )


def search_hits(user: Any, query: str, limit: int = 20) -> list[tuple[ModuleManifest, list[SearchHit]]]:
    """The back office's search, module by module (at most ``limit`` hits each)."""
    found = []
    for manifest in all_manifests():
        if manifest.search is None:
            continue
        hits = list(manifest.search(user, query))[:limit]
        if hits:
            found.append((manifest, hits))
    return found


def backoffice_menu(user: Any) -> list[tuple[ModuleManifest, list[NavEntry]]]:
    """The back office's navigation entries the person may see, grouped by module."""
    menu = []
    for manifest in all_manifests():
        entries = [entry for entry in manifest.nav if entry.area == "backoffice" and entry.rule(user)]
        if entries:
            menu.append((manifest, sorted(entries, key=lambda entry: (entry.order, str(entry.label)))))
    return sorted(menu, key=lambda pair: (min(entry.order for entry in pair[1]), str(pair[0].verbose_name)))
