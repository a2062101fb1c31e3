"""The network convening overview: every team side by side, and the learning they shared.

Two steps, both pure:

1. `convening_overview(network, teams, projects)` reads each team's project once and
   keeps only what a card shows (`TeamCard`): phase, aim sentence, a driver-diagram
   thumbnail, PDSA cycles and ramps, the latest run-chart signal of each measure,
   the principle tracker's summary, the team's voices — and the feed of shared
   learnings, newest first.
2. `convening_html(overview)` draws the cards as an HTML fragment (for the widget);
   `convening_page(overview)` wraps the same fragment in a standalone page that
   opens offline and prints cleanly (the coach's download).

Every user string is escaped. With `shared_only=True` a team that has not shared
its work with the network shows only its name, school and phase: that is the
version to project in a room of eight schools or to hand out."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..analysis.inquiry import ramp_summary
from ..analysis.principles import current_phase, phase_progress
from ..analysis.runchart import analyze_series
from ..analysis.team import missing_voices
from ..analysis.theory import aim_statement
from ..model import PHASES, Measure, Network, Project, Team
from .svg import esc

log = logging.getLogger(__name__)

JOURNEY = range(1, 8)  # the phases a team walks through (0 is home, 8 the convening)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PRINCIPLE_SHORT = {
    "user_centered": "User-centred",
    "variability": "Variability",
    "system": "System",
    "measurement": "Measurement",
    "inquiry": "Inquiry",
    "networks": "Networks",
}
STAGE_WORDS = {"adopt": "adopted", "adapt": "adapted", "abandon": "abandoned",
               "planning": "planning", "doing": "testing now", "studying": "studying"}
SIGNALS_SHOWN = 3
RAMPS_SHOWN = 2
FEED_TEXT = 320  # characters of a shared learning shown in the feed
KIND_WORDS = {"pdsa": "PDSA learning", "run chart": "run chart", "storyboard": "storyboard",
              "driver diagram": "driver diagram", "note": "note"}


# --------------------------------------------------------------------------- what a card holds


@dataclass(frozen=True)
class MeasureReading:
    """One measure's run chart, in a few words: 'a shift up since 12 Oct'."""

    measure_id: str
    measure: str
    words: str
    tone: str  # "good" (a signal the way the team wants), "bad", "signal", "quiet", "few"
    points: int
    full: str = ""  # the analysis' own sentence, for a closer look

    @property
    def is_signal(self) -> bool:
        return self.tone in ("good", "bad", "signal")


@dataclass(frozen=True)
class RampLine:
    change_idea: str
    cycles: int
    scales: tuple[str, ...]  # first and latest scale, when the team wrote them
    stage: str


@dataclass(frozen=True)
class PrincipleSummary:
    """The principle tracker's reading of a team, as a card shows it."""

    overall: str  # "Authentic", "Partially authentic", "Not yet"
    principles: tuple[tuple[str, str], ...]  # (short name, "met" | "partly" | "not yet")
    next_step: str

    @property
    def met(self) -> int:
        return sum(status == "met" for _, status in self.principles)

    @property
    def partly(self) -> int:
        return sum(status == "partly" for _, status in self.principles)


@dataclass(frozen=True)
class TeamCard:
    """Everything the convening shows of one team, computed once."""

    team_id: str
    name: str
    school: str
    phase: int
    shared: bool
    has_project: bool
    title: str = ""
    aim: str = ""
    problem: str = ""
    driver_svg: str = ""  # the full diagram; "" when there is none yet
    cycles: int = 0
    cycles_decided: int = 0
    ramps: tuple[RampLine, ...] = ()
    linked_ramps: int = 0
    readings: tuple[MeasureReading, ...] = ()
    principles: PrincipleSummary | None = None
    people: int = 0
    missing_voices: tuple[str, ...] = ()

    @property
    def phase_name(self) -> str:
        return PHASES[self.phase] if 0 <= self.phase < len(PHASES) else ""

    @property
    def signals(self) -> int:
        return sum(r.is_signal for r in self.readings)


@dataclass(frozen=True)
class FeedItem:
    date: dt.date
    team: str
    kind: str
    title: str
    text: str
    taken_up_by: tuple[tuple[str, str], ...] = ()  # (team id, name): schools that took it into their work


@dataclass(frozen=True)
class ConveningOverview:
    network: str
    description: str
    cards: tuple[TeamCard, ...]
    feed: tuple[FeedItem, ...]
    today: dt.date

    def card(self, team_id: str) -> TeamCard | None:
        return next((c for c in self.cards if c.team_id == team_id), None)


# --------------------------------------------------------------------------- reading a project


def short_date(day: dt.date, today: dt.date) -> str:
    """'12 Oct' this year, '12 Oct 2025' otherwise."""
    words = f"{day.day} {MONTHS[day.month - 1]}"
    return words if day.year == today.year else f"{words} {day.year}"


def measure_reading(project: Project, measure: Measure, today: dt.date) -> MeasureReading | None:
    """The latest signal of a measure's whole-group run chart (subgroups aside)."""
    points = [o for o in project.observations_of(measure.id) if o.subgroup is None]
    if not points:
        return None
    dates = [o.date for o in points]
    series = analyze_series(dates, [o.value for o in points], baseline=measure.baseline_points,
                            phase_starts=measure.phase_starts)
    n = len(points)
    point_signals = [(p, s) for p, s in series.signals() if s.is_point_signal]
    if point_signals:
        _, latest = max(point_signals, key=lambda ps: (ps[1].last, ps[1].rule == "shift"))
        up = latest.direction in ("above", "up")
        kind = "trend" if latest.rule == "trend" else "shift"
        start = short_date(dates[latest.first], today)
        full = latest.describe(dates, desired_direction=measure.desired_direction)
        if latest.last == n - 1:  # still going on: where the measure is now
            words = f"a {kind} {'up' if up else 'down'} since {start}"
            tone = "good" if up == (measure.desired_direction == "up") else "bad"
            return MeasureReading(measure.id, measure.name, words, tone, n, full)
        # Over: a stretch *below* the median before a change is what a later rise
        # looks like, so a finished shift is reported, not judged.
        side = ("above" if up else "below") if kind == "shift" else ("going up" if up else "going down")
        where = f"{side} the median" if kind == "shift" else side
        words = f"a {kind} {where} from {start} to {short_date(dates[latest.last], today)}"
        return MeasureReading(measure.id, measure.name, words, "signal", n, full)
    whole = [s for _, s in series.signals()]
    if whole:
        words = {"too few runs": "too few runs: long stretches on one side of the median",
                 "too many runs": "too many runs: check for mixed data sources",
                 "few crossings": "too few crossings of the median"}.get(whole[-1].rule, "a signal")
        return MeasureReading(measure.id, measure.name, words, "signal", n, whole[-1].describe(dates))
    if series.too_few_to_judge:
        return MeasureReading(measure.id, measure.name, f"{n} point{'s' if n != 1 else ''} so far: too few to judge",
                              "few", n)
    return MeasureReading(measure.id, measure.name, "no signal yet: the variation looks like chance", "quiet", n)


def _readings(project: Project, today: dt.date) -> tuple[MeasureReading, ...]:
    found = [r for m in project.measures if (r := measure_reading(project, m, today)) is not None]
    # Signals first (the reason to look), then charts still growing; stable otherwise.
    order = {"good": 0, "bad": 0, "signal": 1, "quiet": 2, "few": 3}
    return tuple(sorted(found, key=lambda r: order[r.tone]))


def _ramps(project: Project) -> tuple[tuple[RampLine, ...], int, int]:
    lines, linked, decided = [], 0, 0
    for ramp in ramp_summary(project):
        steps = ramp.steps
        decided += sum(s.act is not None for s in steps)
        if len(steps) > 1:
            linked += 1
        scales = tuple(dict.fromkeys(s.scale.strip() for s in (steps[0], steps[-1]) if s.scale.strip()))
        lines.append(RampLine(ramp.change_idea, len(steps), scales, STAGE_WORDS.get(steps[-1].stage, "")))
    lines.sort(key=lambda r: -r.cycles)
    return tuple(lines), linked, decided


def _has_theory(project: Project) -> bool:
    dd = project.driver_diagram
    return bool(dd.primary_drivers or dd.secondary_drivers or dd.change_ideas)


def team_card(team: Team, project: Project | None, *, network: Network | None = None,
              today: dt.date | None = None) -> TeamCard:
    """Read one team's project into what its card shows."""
    today = today or dt.date.today()
    school = team.school or team.name
    people = dict(people=len(team.members), missing_voices=tuple(missing_voices(team.members)))
    if project is None:
        return TeamCard(team.id, team.name, team.school, 1, False, False, **people)
    from .driver import driver_diagram_svg  # only when there is a diagram to draw

    ramps, linked, decided = _ramps(project)
    return TeamCard(
        team_id=team.id, name=team.name, school=team.school, phase=current_phase(phase_progress(project, team)),
        shared=project.shared_with_network, has_project=True, title=project.title,
        aim=aim_statement(project.aim, school), problem=project.problem_statement,
        driver_svg=driver_diagram_svg(project, school=school) if _has_theory(project) else "",
        cycles=len(project.pdsa_cycles), cycles_decided=decided, ramps=ramps, linked_ramps=linked,
        readings=_readings(project, today),
        principles=principle_summary(project, team, network, today),
        **people,
    )


# --------------------------------------------------------------------------- the principle tracker


def principle_summary(project: Project, team: Team | None = None, network: Network | None = None,
                      today: dt.date | None = None) -> PrincipleSummary | None:
    """The principle tracker's verdict for the card, or None when the tracker is not
    installed or fails on this project: the card then leaves it out rather than
    the convening failing to open."""
    try:
        from ..analysis.principles import track_principles
    except ImportError:
        return None
    try:
        report = track_principles(project, team=team, network=network, today=today)
        return PrincipleSummary(
            overall=report.verdict_label,
            principles=tuple((PRINCIPLE_SHORT.get(p.key, p.label), p.status) for p in report.principles),
            next_step=report.next_step.text if report.next_step else "",
        )
    except Exception:
        log.exception("the principle tracker failed on project %s", project.id)
        return None


# --------------------------------------------------------------------------- the network


def shared_learning_feed(network: Network, teams: Iterable[Team],
                         projects: Mapping[str, Project | None] | None = None) -> tuple[FeedItem, ...]:
    """Shared learnings, newest first, each with the name of the team that shared it
    and the teams that took it into what they learn from (how learning spreads)."""
    names = {t.id: t.name for t in teams}
    taken: dict[str, list[tuple[str, str]]] = {}
    for team_id, project in (projects or {}).items():
        borrowed = {s.learning_id for s in project.sources if s.learning_id} if project else set()
        for learning_id in borrowed:
            taken.setdefault(learning_id, []).append((team_id, names.get(team_id, "")))
    items = network.newest_learnings()
    return tuple(
        FeedItem(s.date, names.get(s.team_id, "A team no longer in the network"), s.kind, s.title, s.text,
                 tuple((i, n) for i, n in taken.get(s.id, []) if n and i != s.team_id))
        for s in items
    )


def convening_overview(network: Network, teams: Sequence[Team], projects: Mapping[str, Project | None],
                       *, today: dt.date | None = None) -> ConveningOverview:
    """Every team's card (each project read once) and the feed. `projects` maps a
    team id to its current project (None or missing: the team has none yet)."""
    today = today or dt.date.today()
    cards = tuple(team_card(t, projects.get(t.id), network=network, today=today) for t in teams)
    return ConveningOverview(network.name, network.description, cards,
                             shared_learning_feed(network, teams, projects), today)


# --------------------------------------------------------------------------- drawing

STYLE = """
.ciw-cv { --cv-ink:#1f2933; --cv-muted:#52606d; --cv-line:#d9dee4; --cv-accent:#0b5cab;
  --cv-good:#1d6b3a; --cv-bad:#8f2d00; color:var(--cv-ink); font-family:system-ui,-apple-system,
  "Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; line-height:1.45; overflow-wrap:anywhere; }
.ciw-cv h2 { font-size:1.35rem; margin:0.2em 0 0.1em; border:0; padding:0; }
.ciw-cv h3 { font-size:1.15rem; margin:0; }
.ciw-cv .cv-muted { color:var(--cv-muted); }
.ciw-cv .cv-totals { display:flex; flex-wrap:wrap; gap:0.5em 1.6em; margin:0.6em 0 1em; padding:0;
  list-style:none; }
.ciw-cv .cv-totals li { font-size:0.95rem; color:var(--cv-muted); }
.ciw-cv .cv-totals strong { display:block; font-size:1.6rem; line-height:1.1; color:var(--cv-ink); }
.ciw-cv .cv-grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(20rem, 1fr));
  gap:1rem; margin:0; padding:0; list-style:none; }
.ciw-cv .cv-card { display:flex; flex-direction:column; gap:0.55em; background:#fff;
  border:1px solid var(--cv-line); border-top:5px solid var(--cv-accent); border-radius:10px;
  padding:0.8em 1em 1em; box-shadow:0 1px 2px rgba(31,41,51,0.06); min-width:0; }
.ciw-cv .cv-card.cv-private { border-top-color:#9aa5b1; background:#fafbfc; }
.ciw-cv .cv-school { font-size:0.9rem; color:var(--cv-muted); }
.ciw-cv .cv-phase { display:flex; flex-wrap:wrap; align-items:center; gap:0.2em 0.6em; font-size:0.9rem; }
.ciw-cv .cv-steps { display:flex; gap:3px; }
.ciw-cv .cv-steps span { width:1.1em; height:0.5em; border-radius:3px; background:#e4e7eb; }
.ciw-cv .cv-steps span.cv-done { background:var(--cv-accent); }
.ciw-cv .cv-aim { margin:0; padding:0.4em 0.7em; border-left:4px solid var(--cv-accent);
  background:#f0f6ff; font-size:0.95rem; }
.ciw-cv .cv-label { font-size:0.78rem; font-weight:700; letter-spacing:0.04em;
  text-transform:uppercase; color:var(--cv-muted); margin:0 0 0.15em; }
.ciw-cv .cv-thumb { margin:0; border:1px solid var(--cv-line); border-radius:6px; padding:4px;
  background:#fff; }
.ciw-cv .cv-thumb svg { display:block; width:100%; height:9.5rem; }
.ciw-cv .cv-thumb a { display:block; }
.ciw-cv .cv-thumb a:focus-visible { outline:3px solid #e69f00; outline-offset:2px; }
.ciw-cv .cv-thumb figcaption { font-size:0.8rem; color:var(--cv-muted); }
.ciw-cv .cv-full { margin:1.2em 0 0; overflow-x:auto; }
.ciw-cv .cv-full svg { max-width:100%; height:auto; }
.ciw-cv ul.cv-lines { margin:0; padding-left:1.1em; font-size:0.92rem; }
.ciw-cv ul.cv-lines li { margin:0.1em 0; }
.ciw-cv .cv-good { color:var(--cv-good); font-weight:600; }
.ciw-cv .cv-bad { color:var(--cv-bad); font-weight:600; }
.ciw-cv .cv-signal { font-weight:600; }
.ciw-cv .cv-dots { display:flex; flex-wrap:wrap; gap:0.25em 0.4em; margin:0.2em 0; padding:0;
  list-style:none; font-size:0.82rem; }
.ciw-cv .cv-dots li { padding:0.05em 0.5em; border-radius:1em; border:1px solid #9aa5b1;
  color:var(--cv-muted); }
.ciw-cv .cv-dots li.cv-yes { background:#e3f1e8; border-color:var(--cv-good); color:#12361f; }
.ciw-cv .cv-dots li.cv-partly { background:#fff8e6; border-color:#b07200; color:#3d2a00; }
.ciw-cv .cv-sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0);
  white-space:nowrap; }
.ciw-cv .cv-badge { display:inline-block; font-size:0.78rem; padding:0.05em 0.55em;
  border-radius:1em; background:#eef2f7; color:#1f3a5f; }
.ciw-cv .cv-badge.cv-warn { background:#fff3d6; color:#5c3b00; }
.ciw-cv .cv-feed { list-style:none; padding:0; margin:0.4em 0 0; }
.ciw-cv .cv-feed li { border-left:4px solid var(--cv-accent); background:#fff; padding:0.5em 0.9em;
  margin:0 0 0.6em; border-radius:0 8px 8px 0; border-top:1px solid var(--cv-line);
  border-right:1px solid var(--cv-line); border-bottom:1px solid var(--cv-line); }
.ciw-cv .cv-feed p { margin:0.2em 0 0; }
.ciw-cv .cv-feed .cv-taken { color:var(--cv-accent); font-weight:600; font-size:0.92rem; }
.ciw-cv .cv-section { margin-top:1.4em; }
@media print {
  /* A whole card is taller than most of a page: kept whole, it left the first page empty.
     Its parts stay whole instead, headings stay with what follows, and the full-size
     diagrams start on a page of their own, each kept whole. */
  .ciw-cv .cv-card { box-shadow:none; }
  .ciw-cv .cv-card > *, .ciw-cv .cv-feed li, .ciw-cv .cv-full { break-inside:avoid; }
  .ciw-cv h2, .ciw-cv h3, .ciw-cv .cv-label { break-after:avoid; }
  .ciw-cv .cv-appendix { break-before:page; }
}
"""


def _phase_html(card: TeamCard) -> str:
    steps = "".join(f"<span class='{'cv-done' if n <= card.phase else ''}'></span>" for n in JOURNEY)
    label = f"Phase {card.phase} · {card.phase_name}" if card.phase_name else f"Phase {card.phase}"
    return (f"<div class='cv-phase'><span class='cv-steps' aria-hidden='true'>{steps}</span>"
            f"<span>{esc(label)}</span></div>")


def scoped_svg(svg: str, prefix: str) -> str:
    """The same SVG with every id (and every reference to one) prefixed, so several
    diagrams, and two sizes of the same one, can share a page: each driver diagram
    has an element with the id "aim", and its title ids depend only on its content."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m[1]}"', svg)
    svg = re.sub(r'\baria-labelledby="([^"]+)"',
                 lambda m: 'aria-labelledby="' + " ".join(f"{prefix}-{i}" for i in m[1].split()) + '"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m[1]}"', svg)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m[1]})", svg)


def _thumbnail(card: TeamCard, *, linked: bool) -> str:
    if not card.driver_svg:
        return "<p class='cv-muted' style='margin:0'>No driver diagram yet.</p>"
    # Scale the diagram into the card: keep its viewBox, let CSS set the size.
    svg = re.sub(r'^<svg([^>]*?) width="[\d.]+" height="[\d.]+"', r"<svg\1",
                 scoped_svg(card.driver_svg, f"cv-thumb-{card.team_id}"), count=1)
    if linked:  # the exported page has every diagram full size at its end
        return (f"<figure class='cv-thumb'><a href='#cv-full-{esc(card.team_id)}' "
                f"aria-label='Driver diagram of {esc(card.name)}, full size'>{svg}</a>"
                "<figcaption>Driver diagram · full size at the end</figcaption></figure>")
    return (f"<figure class='cv-thumb'>{svg}<figcaption>Driver diagram · full size under "
            "“A closer look”</figcaption></figure>")


def full_diagram(card: TeamCard, prefix: str = "cv-full") -> str:
    """The team's whole driver diagram, with ids of its own on the page."""
    return scoped_svg(card.driver_svg, f"{prefix}-{card.team_id}") if card.driver_svg else ""


def _cycles_html(card: TeamCard) -> str:
    if not card.cycles:
        return "<p class='cv-muted' style='margin:0'>No PDSA cycles yet.</p>"
    head = f"{card.cycles} PDSA cycle{'s' if card.cycles != 1 else ''}"
    if card.cycles_decided:
        head += f", {card.cycles_decided} with a decision"
    if card.linked_ramps:
        head += f" · {card.linked_ramps} linked ramp{'s' if card.linked_ramps != 1 else ''}"
    lines = []
    for ramp in card.ramps[:RAMPS_SHOWN]:
        scale = f" ({' → '.join(ramp.scales)})" if ramp.scales else ""
        stage = f", {ramp.stage}" if ramp.stage else ""
        lines.append(f"<li>{esc(_short(ramp.change_idea, 70))}: {ramp.cycles} "
                     f"cycle{'s' if ramp.cycles != 1 else ''}{esc(scale)}{esc(stage)}</li>")
    return f"<p style='margin:0'>{esc(head)}</p><ul class='cv-lines'>{''.join(lines)}</ul>"


def _readings_html(card: TeamCard) -> str:
    if not card.readings:
        return "<p class='cv-muted' style='margin:0'>No measures with data yet.</p>"
    lines = []
    for r in card.readings[:SIGNALS_SHOWN]:
        tone = {"good": "cv-good", "bad": "cv-bad", "signal": "cv-signal"}.get(r.tone, "cv-muted")
        mark = {"good": "▲ ", "bad": "▼ "}.get(r.tone, "")
        lines.append(f"<li>{esc(_short(r.measure, 50))}: <span class='{tone}'>{mark}{esc(r.words)}</span></li>")
    more = len(card.readings) - SIGNALS_SHOWN
    if more > 0:
        lines.append(f"<li class='cv-muted'>and {more} more measure{'s' if more != 1 else ''}</li>")
    return f"<ul class='cv-lines'>{''.join(lines)}</ul>"


def _principles_html(card: TeamCard) -> str:
    p = card.principles
    if p is None:
        return ""
    count = f"{p.met} of {len(p.principles)} met" + (f", {p.partly} partly" if p.partly else "")
    marks = {"met": ("cv-yes", "✓ ", "met"), "partly": ("cv-partly", "◐ ", "partly")}
    dots = []
    for name, status in p.principles:
        cls, mark, words = marks.get(status, ("", "", "not yet"))
        dots.append(f"<li class='{cls}' title='{esc(name)}: {words}'>{mark}{esc(name)}"
                    f"<span class='cv-sr'>: {words}</span></li>")
    nxt = f"<p style='margin:0.1em 0 0;font-size:0.92rem'>Next: {esc(p.next_step)}</p>" if p.next_step else ""
    return (f"<div><p class='cv-label'>Principles</p><p style='margin:0'><strong>{esc(p.overall)}</strong>"
            f" · {esc(count)}</p><ul class='cv-dots'>{''.join(dots)}</ul>{nxt}</div>")


def _team_html(card: TeamCard) -> str:
    people = f"{card.people} {'person' if card.people == 1 else 'people'}"
    voices = (f" · <span class='cv-badge cv-warn'>missing: {esc(', '.join(card.missing_voices).lower())}</span>"
              if card.people and card.missing_voices else "")
    return f"<p class='cv-muted' style='margin:0;font-size:0.9rem'>{people}{voices}</p>"


def card_html(card: TeamCard, *, shared_only: bool = False, linked: bool = False) -> str:
    """One team's card; `linked` thumbnails point to the full diagrams of the exported page."""
    school = (f"<div class='cv-school'>{esc(card.school)}</div>"
              if card.school and card.school != card.name else "")
    top = f"<header><h3>{esc(card.name)}</h3>{school}</header>{_phase_html(card)}"
    if not card.has_project:
        body = "<p class='cv-muted' style='margin:0'>Has not started a project yet.</p>"
        return f"<li class='cv-card cv-private' data-team='{esc(card.team_id)}'>{top}{body}</li>"
    if shared_only and not card.shared:
        body = "<p class='cv-muted' style='margin:0'>Has not shared its work with the network yet.</p>"
        return f"<li class='cv-card cv-private' data-team='{esc(card.team_id)}'>{top}{body}</li>"
    badge = ("<span class='cv-badge'>Shared with the network</span>" if card.shared
             else "<span class='cv-badge cv-warn'>Not shared with the network yet</span>")
    aim = (f"<blockquote class='cv-aim'>{esc(card.aim)}</blockquote>" if card.aim
           else "<p class='cv-muted' style='margin:0'>No aim yet"
                + (f" — working on: {esc(_short(card.problem, 120))}" if card.problem else "") + "</p>")
    parts = [
        top, f"<div>{badge}</div>", aim, _thumbnail(card, linked=linked),
        f"<div><p class='cv-label'>Testing</p>{_cycles_html(card)}</div>",
        f"<div><p class='cv-label'>Run charts</p>{_readings_html(card)}</div>",
        _principles_html(card), _team_html(card),
    ]
    return f"<li class='cv-card' data-team='{esc(card.team_id)}'>{''.join(p for p in parts if p)}</li>"


def _totals_html(overview: ConveningOverview, cards: Sequence[TeamCard]) -> str:
    cycles = sum(c.cycles for c in cards)
    signals = sum(1 for c in cards if any(r.tone == "good" for r in c.readings))
    testing = sum(1 for c in cards if c.cycles)
    items = [
        (len(overview.cards), "school" if len(overview.cards) == 1 else "schools"),
        (testing, "testing changes"),
        (cycles, "PDSA cycle run" if cycles == 1 else "PDSA cycles run"),
        (signals, "with a signal of improvement"),
        (len(overview.feed), "shared learning" if len(overview.feed) == 1 else "shared learnings"),
    ]
    return "<ul class='cv-totals'>" + "".join(f"<li><strong>{n}</strong>{esc(w)}</li>" for n, w in items) + "</ul>"


def feed_html(feed: Sequence[FeedItem], today: dt.date, shown: Iterable[str] | None = None) -> str:
    """The feed; `shown` limits which teams may be named as taking a learning up (in
    projecting mode, only those that share their work)."""
    if not feed:
        return ("<p class='cv-muted'>Nothing shared yet. When a team shares a PDSA learning, a chart or "
                "its storyboard, it appears here for every school.</p>")
    visible = None if shown is None else set(shown)
    items = []
    for item in feed:
        text = f"<p>{esc(_short(item.text, FEED_TEXT))}</p>" if item.text else ""
        takers = [name for team_id, name in item.taken_up_by if visible is None or team_id in visible]
        taken = (f"<p class='cv-taken'><span aria-hidden='true'>↪ </span>Taken up by {esc(', '.join(takers))}</p>"
                 if takers else "")
        items.append(f"<li><div class='cv-muted' style='font-size:0.88rem'>{esc(short_date(item.date, today))} · "
                     f"<strong>{esc(item.team)}</strong> · <span class='cv-badge'>{esc(KIND_WORDS.get(item.kind, item.kind))}</span></div>"
                     f"<strong>{esc(item.title)}</strong>{text}{taken}</li>")
    return f"<ol class='cv-feed'>{''.join(items)}</ol>"


def convening_html(overview: ConveningOverview, *, shared_only: bool = False, heading: bool = True,
                   full_diagrams: bool = False) -> str:
    """The overview as an HTML fragment (styles included): totals, one card per team,
    the feed of shared learnings. `heading=False` leaves out the network's name and
    description (the workbook's header already shows them); `full_diagrams` adds every
    shown team's driver diagram at full size at the end (the exported page)."""
    shown = [c for c in overview.cards if c.has_project and (c.shared or not shared_only)]
    cards = "".join(card_html(c, shared_only=shared_only, linked=full_diagrams) for c in overview.cards)
    appendix = ""
    if full_diagrams:
        figures = "".join(
            f"<figure class='cv-full' id='cv-full-{esc(c.team_id)}'><figcaption><strong>{esc(c.name)}</strong>"
            f"{' · ' + esc(c.school) if c.school and c.school != c.name else ''}</figcaption>{full_diagram(c)}</figure>"
            for c in shown if c.driver_svg)
        appendix = (f"<div class='cv-section cv-appendix'><h3>Driver diagrams, full size</h3>{figures}</div>"
                    if figures else "")
    description = f"<p class='cv-muted' style='margin:0'>{esc(overview.description)}</p>" if overview.description else ""
    top = f"<h2>{esc(overview.network)}</h2>{description}" if heading else ""
    return (
        f"<style>{STYLE}</style><section class='ciw-cv' aria-label='Network convening'>"
        f"{top}{_totals_html(overview, shown)}"
        f"<ul class='cv-grid' aria-label='Teams'>{cards or '<li>No teams in this network yet.</li>'}</ul>"
        f"<div class='cv-section'><h3>Shared learnings, newest first</h3>"
        f"{feed_html(overview.feed, overview.today, [c.team_id for c in shown] if shared_only else None)}</div>"
        f"{appendix}</section>"
    )


def convening_page(overview: ConveningOverview, *, shared_only: bool = False) -> str:
    """A standalone HTML page of the overview: opens offline, prints cleanly."""
    when = f"{overview.today.day} {MONTHS[overview.today.month - 1]} {overview.today.year}"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(overview.network)} — convening overview, {esc(when)}</title>"
        "<style>body{margin:0;background:#f6f4ef;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}main{max-width:90rem;margin:0 auto;padding:1.5rem}"
        "footer{color:#52606d;font-size:0.85rem;margin-top:2rem}</style></head><body><main>"
        f"{convening_html(overview, shared_only=shared_only, full_diagrams=True)}"
        f"<footer>Convening overview exported on {esc(when)}.</footer></main></body></html>"
    )


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
