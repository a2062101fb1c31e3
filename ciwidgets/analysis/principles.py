"""The principle tracker: where a team stands on the six principles of improvement
science, derived from what the team has actually done.

A principle counts only when the team's own work shows it (interviews logged,
causes mapped, data entered, cycles linked, learning shared). The team's
self-assessment notes are shown beside that evidence, never in its place: the
study behind this product found teams that *said* they used improvement science
while their work showed only some of its principles.

    report = track_principles(project, network=network, today=dt.date(2026, 3, 2))
    report.verdict            # "authentic" | "partially authentic" | "not yet"
    report["inquiry"].status  # "met" | "partly" | "not yet"
    report.next_step.text     # one sentence that names the workbook to open

Also `phase_progress` (what is done in each phase 1-7) and `recent_activity`
(a store's revision list, grouped into who did what, when).

Pure: no Jupyter, no I/O; the clock is read only when `today`/`now` is not given."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from ciwidgets.model import (
    PHASES,
    PRINCIPLES,
    STAKEHOLDER_GROUPS,
    EmpathyInterview,
    Measure,
    Network,
    PDSACycle,
    Project,
    Team,
)

Status = Literal["met", "partly", "not yet"]
Verdict = Literal["authentic", "partially authentic", "not yet"]

# The thresholds the tracker applies, named so tests and coaches can see them.
MIN_STAKEHOLDER_GROUPS = 2  # one voice is a start; two let a team see the problem from two sides
MIN_FISHBONE_CATEGORIES = 3  # causes in one or two bones usually mean the team looked where it always looks
RUN_CHART_POINTS = 10  # fewer points than this do not show a run chart's signals
MIN_SUBGROUPS = 2  # "for whom" needs at least two groups to compare
AT_LEAST_MONTHLY = ("daily", "weekly", "every two weeks", "monthly")
MONTHLY_GAP_DAYS = 35  # a typical gap between data points above this is not "monthly" any more
STALE_AFTER_DAYS = 62  # no new data for two months: collection has stopped

# The order a team meets the principles on its journey; the next step follows it,
# so a team is sent back to the foundation (whose voice is missing?) before the roof.
JOURNEY_ORDER = ("user_centered", "system", "measurement", "inquiry", "variability", "networks")

_GROUP_WORDS = {
    "student": "students", "family": "families", "teacher": "teachers", "staff": "staff",
    "leader": "school leaders", "community": "community members",
}
_SOURCE_WORDS = {"research": ("piece of research", "pieces of research"),
                 "school": ("other school", "other schools"), "setting": ("setting like ours", "settings like ours")}
# Voices a school team most often misses, asked for first.
_VOICES_FIRST = ("student", "family", "teacher", "staff", "community", "leader")


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class NextStep:
    """One concrete thing to do next, in one workbook (phase 0-8)."""

    phase: int
    text: str

    @property
    def workbook(self) -> str:
        """The workbook's name as the phase list shows it, e.g. '5. Test'."""
        return workbook_label(self.phase)


@dataclass(frozen=True)
class SelfNote:
    """The team's own rating and note on a principle (shown, never counted)."""

    date: dt.date
    rating: int | None
    note: str


@dataclass(frozen=True)
class PrincipleStatus:
    """One principle: its status, the evidence found, and what is missing."""

    key: str
    label: str
    status: Status
    evidence: tuple[str, ...]
    missing: tuple[str, ...]
    next_step: NextStep | None
    self_notes: tuple[SelfNote, ...] = ()  # newest first

    @property
    def met(self) -> bool:
        return self.status == "met"

    @property
    def self_rating(self) -> int | None:
        """The team's latest own rating (1-5), if it gave one."""
        return next((n.rating for n in self.self_notes if n.rating is not None), None)


@dataclass(frozen=True)
class PrincipleReport:
    """The six principles in the order of `PRINCIPLES`, the overall verdict and
    the single most useful next step."""

    principles: tuple[PrincipleStatus, ...]
    verdict: Verdict
    next_step: NextStep
    as_of: dt.date

    def __getitem__(self, key: str) -> PrincipleStatus:
        for principle in self.principles:
            if principle.key == key:
                return principle
        raise KeyError(key)

    def __iter__(self):
        return iter(self.principles)

    @property
    def met_count(self) -> int:
        return sum(p.status == "met" for p in self.principles)

    @property
    def partly_count(self) -> int:
        return sum(p.status == "partly" for p in self.principles)

    @property
    def verdict_label(self) -> str:
        return {"authentic": "Authentic", "partially authentic": "Partially authentic",
                "not yet": "Not yet"}[self.verdict]

    @property
    def summary(self) -> str:
        """'4 of 6 principles met, 1 partly.'"""
        text = f"{self.met_count} of 6 principles met"
        if self.partly_count:
            text += f", {self.partly_count} partly"
        return text + "."

    @property
    def verdict_sentence(self) -> str:
        if self.verdict == "authentic":
            return "Your work shows all six principles of improvement science."
        if self.verdict == "partially authentic":
            return (f"Your work shows {self.met_count} of the six principles; "
                    "the others are within reach.")
        return ("Your work does not show any of the six principles fully yet. "
                "That is where every team starts.")


def workbook_label(phase: int) -> str:
    """'5. Test' for phase 5."""
    return f"{phase}. {PHASES[phase]}"


@dataclass
class _Gap:
    """Something missing, said twice: as a sentence, and as an action in a workbook."""

    sentence: str
    action: str
    phase: int

    def step(self) -> NextStep:
        return NextStep(self.phase, f"{_capital(self.action)} in “{workbook_label(self.phase)}”.")


@dataclass
class _Finding:
    status: Status
    evidence: list[str] = field(default_factory=list)
    gaps: list[_Gap] = field(default_factory=list)


# ----------------------------------------------------------------------------- words


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quoted(text: str, limit: int = 60) -> str:
    return f"“{_short(text, limit)}”"


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def _join(words: Sequence[str], last: str = "and") -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _first(words: Sequence[str], n: int) -> list[str]:
    """At most n words, then 'k more'."""
    words = list(words)
    return words if len(words) <= n else words[:n] + [f"{len(words) - n} more"]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


# ----------------------------------------------------------------------------- 1 user-centered


def interviews_heard(project: Project) -> list[EmpathyInterview]:
    """The interviews that say what was heard (a quote, a theme or a note): a logged
    date alone hears no one."""
    return [i for i in project.interviews if i.quotes or i.themes or i.notes.strip()]


def _user_centered(project: Project, team: Team | None) -> _Finding:
    problem = project.problem_statement.strip() or project.fishbone.problem.strip()
    heard_from = interviews_heard(project)
    counts = Counter(i.stakeholder_group for i in heard_from)
    groups = [g for g in STAKEHOLDER_GROUPS if counts[g]]
    found = _Finding("not yet")
    if team is not None and not team.members:  # who is on the team comes before the problem
        found.gaps.append(_Gap("Nobody is on the design team yet: name its members and their roles, and see "
                               "whose voice is missing.", "add your team's members and their roles", 1))
    if problem:
        found.evidence.append(f"Problem statement: {_quoted(problem, 140)}")
    else:
        found.gaps.append(_Gap("No problem statement yet: name a specific problem, as the people who live it see it.",
                               "write your problem statement", 2))
    if groups:
        heard = _join([f"{_GROUP_WORDS[g]} ({counts[g]})" for g in groups])
        found.evidence.append(f"{_count(len(heard_from), 'empathy interview')} with {heard}")
    if len(heard_from) < len(project.interviews):
        empty = len(project.interviews) - len(heard_from)
        found.gaps.append(_Gap(
            f"{_count(empty, 'empathy interview')} {'says' if empty == 1 else 'say'} nothing of what was heard "
            "yet: add a quote, a theme or a note, so it counts.",
            "write down what you heard in your interviews", 2))
    if project.sources:
        kinds = Counter(s.kind for s in project.sources)
        found.evidence.append("What others have learned: " + _join(
            [_count(n, *_SOURCE_WORDS[k]) for k, n in kinds.items()]))
    missing_voices = [g for g in _VOICES_FIRST if not counts[g]][:2]
    suggestion = _join([_GROUP_WORDS[g] for g in missing_voices], "or")
    if not groups:
        found.gaps.append(_Gap(
            f"No empathy interviews yet: hear at least {MIN_STAKEHOLDER_GROUPS} groups who live the "
            f"problem (e.g. {suggestion}).",
            f"interview {suggestion} about the problem", 2))
    elif len(groups) < MIN_STAKEHOLDER_GROUPS:
        found.gaps.append(_Gap(
            f"You have heard from {_GROUP_WORDS[groups[0]]} only; whose voice is missing? "
            f"Interview a second group (e.g. {suggestion}).",
            f"interview {suggestion}, a second voice on the problem", 2))
    if problem and len(groups) >= MIN_STAKEHOLDER_GROUPS:
        found.status = "met"
    elif problem or groups:
        found.status = "partly"
    voices = [m for m in team.members if m.role in ("family", "student")] if team else []
    if voices and found.status != "not yet":
        # Families and students on the design team add to the evidence (never replace it).
        found.evidence.append("On the design team: " + _join([f"{m.name} ({m.role})" for m in voices]))
    return found


# ----------------------------------------------------------------------------- 2 variability


def _series(project: Project) -> dict[tuple[str, str | None], int]:
    """Observations per (measure, subgroup); subgroup None is the whole group."""
    counts: Counter[tuple[str, str | None]] = Counter()
    for o in project.observations:
        counts[(o.measure_id, o.subgroup or None)] += 1
    return counts


def _measure_name(project: Project, measure_id: str) -> str:
    measure = project.find(measure_id)
    return measure.name if isinstance(measure, Measure) else "a measure"


def _variability(project: Project) -> _Finding:
    series = _series(project)
    found = _Finding("not yet")
    charts = [(key, n) for key, n in series.items() if n >= RUN_CHART_POINTS]
    if charts:
        (measure_id, subgroup), n = max(charts, key=lambda kv: kv[1])
        whose = f" ({subgroup})" if subgroup else ""
        found.evidence.append(
            f"Run chart of {_quoted(_measure_name(project, measure_id))}{whose}: {n} points in time order")
    subgroups: dict[str, list[str]] = defaultdict(list)
    for measure_id, subgroup in series:
        if subgroup:
            subgroups[measure_id].append(subgroup)
    compared = {m: groups for m, groups in subgroups.items() if len(groups) >= MIN_SUBGROUPS}
    for measure_id, groups in compared.items():
        found.evidence.append(
            f"Data by subgroup on {_quoted(_measure_name(project, measure_id))}: {_join(sorted(groups))}")
    if not charts:
        if series:
            (measure_id, subgroup), n = max(series.items(), key=lambda kv: kv[1])
            name = _quoted(_measure_name(project, measure_id))
            found.gaps.append(_Gap(
                f"{name} has {_count(n, 'data point')}; a run chart needs at least {RUN_CHART_POINTS} in "
                "time order to show whether a change is real.",
                f"keep entering {name} until it has {RUN_CHART_POINTS} points for a run chart", 6))
        else:
            found.gaps.append(_Gap(
                f"No run chart yet: put one measure's data in time order ({RUN_CHART_POINTS} points or "
                "more) instead of comparing two points.",
                f"enter at least {RUN_CHART_POINTS} data points of one measure for a run chart", 6))
    if not compared:
        if subgroups:
            measure_id, groups = next(iter(subgroups.items()))
            found.gaps.append(_Gap(
                f"{_quoted(_measure_name(project, measure_id))} has data for {groups[0]} only; add a "
                "second group to see for whom the change works.",
                f"enter {_quoted(_measure_name(project, measure_id))} for a second subgroup", 6))
        else:
            found.gaps.append(_Gap(
                "No data by subgroup yet: ask who experiences this differently (e.g. multilingual "
                "learners and English-only students) and enter data for each group.",
                "enter data by subgroup (e.g. multilingual learners and English-only students)", 6))
    if charts and compared:
        found.status = "met"
    elif charts or compared:
        found.status = "partly"
    return found


# ----------------------------------------------------------------------------- 3 system


def _system(project: Project) -> _Finding:
    fb, dd = project.fishbone, project.driver_diagram
    names = {c.id: c.name for c in fb.categories}
    used = [names[c] for c in dict.fromkeys(cause.category_id for cause in fb.causes) if c in names]
    primary_ids = {p.id for p in dd.primary_drivers}
    linked_secondaries = [s for s in dd.secondary_drivers if set(s.primary_ids) & primary_ids]
    has_diagram = bool(linked_secondaries)
    chains = [c for c in project.why_chains if any(w.strip() for w in c.whys)]
    steps = project.process_map.steps
    found = _Finding("not yet")
    if steps:
        breaks = sum(s.breaks_down for s in steps)
        found.evidence.append(
            f"Process map: {_count(len(steps), 'step')}, {_count(breaks, 'place', 'places')} where it breaks down")
    if fb.causes:
        found.evidence.append(
            f"Fishbone: {_count(len(fb.causes), 'cause')} in {_count(len(used), 'category', 'categories')} "
            f"({_join(_first(used, 4))})")
    if chains:
        found.evidence.append(f"{_count(len(chains), '5-whys chain')} asked down to a root cause")
    if dd.primary_drivers:
        found.evidence.append(
            f"Driver diagram: {_count(len(dd.primary_drivers), 'primary driver')}, "
            f"{_count(len(dd.secondary_drivers), 'secondary driver')}, "
            f"{_count(len(dd.change_ideas), 'change idea')}")
    if not fb.causes:
        found.gaps.append(_Gap(
            f"No fishbone yet: map what produces today's results, across at least "
            f"{MIN_FISHBONE_CATEGORIES} categories, before choosing fixes.",
            f"map causes on the fishbone, across at least {MIN_FISHBONE_CATEGORIES} categories", 2))
    elif len(used) < MIN_FISHBONE_CATEGORIES:
        others = [n for n in names.values() if n not in used][:2]
        found.gaps.append(_Gap(
            f"Your causes sit in {_count(len(used), 'category', 'categories')} of the fishbone; look wider — "
            f"at least {MIN_FISHBONE_CATEGORIES} (e.g. {_join(others, 'or')}).",
            f"look for causes under {_join(others, 'or')} on the fishbone", 2))
    if not dd.primary_drivers:
        found.gaps.append(_Gap(
            "No driver diagram yet: connect your aim to the drivers that move it and the changes to test.",
            "build a driver diagram from your aim", 3))
    elif not has_diagram:
        found.gaps.append(_Gap(
            "Your driver diagram has primary drivers but no secondary drivers under them yet.",
            "add secondary drivers under your primary drivers", 3))
    if len(used) >= MIN_FISHBONE_CATEGORIES and has_diagram:
        found.status = "met"
    elif fb.causes or dd.primary_drivers or chains or steps:
        found.status = "partly"
    return found


# ----------------------------------------------------------------------------- 4 measurement


@dataclass(frozen=True)
class _Collection:
    """How a measure's data has really been collected."""

    measure: Measure
    dates: tuple[dt.date, ...]

    @property
    def typical_gap(self) -> float | None:
        gaps = [(b - a).days for a, b in zip(self.dates, self.dates[1:], strict=False)]
        return statistics.median(gaps) if gaps else None

    @property
    def planned_often(self) -> bool:
        return self.measure.frequency in AT_LEAST_MONTHLY

    def comes_often(self) -> bool:
        gap = self.typical_gap
        return gap is not None and gap <= MONTHLY_GAP_DAYS

    def fresh(self, today: dt.date) -> bool:
        return bool(self.dates) and (today - self.dates[-1]).days <= STALE_AFTER_DAYS

    def ok(self, today: dt.date) -> bool:
        return self.planned_often and self.comes_often() and self.fresh(today)

    def rank(self, today: dt.date) -> tuple:
        return (self.ok(today), self.planned_often, self.comes_often(), len(self.dates))


def _collections(project: Project, kind: str) -> list[_Collection]:
    dates: dict[str, set[dt.date]] = defaultdict(set)
    for o in project.observations:
        dates[o.measure_id].add(o.date)
    return [_Collection(m, tuple(sorted(dates[m.id]))) for m in project.measures if m.kind == kind]


def _measurement(project: Project, today: dt.date) -> _Finding:
    found = _Finding("not yet")
    if not project.measures:
        found.gaps.append(_Gap(
            "No measures yet: decide how you will know a change is an improvement — a family of "
            "measures with a process measure you can collect weekly.",
            "define a process measure you can collect weekly", 3))
        return found
    found.status = "partly"
    kinds = Counter(m.kind for m in project.measures)
    found.evidence.append("Family of measures: " + _join(
        [_count(kinds[k], k) for k in ("outcome", "driver", "process", "balancing") if kinds[k]]))
    process = sorted(_collections(project, "process"), key=lambda c: c.rank(today), reverse=True)
    good = [c for c in process if c.ok(today)]
    for c in good:
        found.evidence.append(
            f"{_quoted(c.measure.name)}, a process measure collected {c.measure.frequency}: "
            f"{_count(len(c.dates), 'data point')}, latest {_day(c.dates[-1])}")
    if good:
        found.status = "met"
        return found
    if not process:
        rare = all(m.frequency not in AT_LEAST_MONTHLY for m in project.measures)
        start = ("All your measures come a few times a year at most (like state test scores)"
                 if rare else "You have no process measure yet")
        found.gaps.append(_Gap(
            f"{start}; add a process measure — something about the change itself you can count "
            "weekly, such as exit-ticket mastery.",
            "add a process measure you can collect weekly", 3))
        return found
    best = process[0]
    name = _quoted(best.measure.name)
    if not best.planned_often:
        found.gaps.append(_Gap(
            f"Your process measure {name} is collected {best.measure.frequency}; collect it at least "
            "monthly so you see change while it happens.",
            f"plan {name} at least monthly (weekly is better)", 3))
    elif len(best.dates) < 2:
        have = "no data yet" if not best.dates else "one data point so far"
        found.gaps.append(_Gap(f"{_capital(name)} has {have}; enter the data as you collect it.",
                               f"enter the data of {name}", 6))
    elif not best.comes_often():
        weeks = round(best.typical_gap / 7)
        found.gaps.append(_Gap(
            f"{_capital(name)} is planned {best.measure.frequency}, but its data come about every "
            f"{weeks} weeks.",
            f"collect {name} {best.measure.frequency} as planned and enter the data", 6))
    else:
        found.gaps.append(_Gap(
            f"No new data for {name} since {_day(best.dates[-1])}: has collection stopped?",
            f"enter the latest data of {name}", 6))
    return found


# ----------------------------------------------------------------------------- 5 inquiry


def _has_prediction(cycle: PDSACycle) -> bool:
    return any(p.text.strip() for p in cycle.predictions)


def _linked_pairs(cycles: Sequence[PDSACycle]) -> set[tuple[str, str]]:
    """Pairs (earlier, later) of cycles that name each other as previous/next."""
    ids = {y.id for y in cycles}
    pairs = set()
    for y in cycles:
        if y.next_cycle_id in ids and y.next_cycle_id != y.id:
            pairs.add((y.id, y.next_cycle_id))
        if y.previous_cycle_id in ids and y.previous_cycle_id != y.id:
            pairs.add((y.previous_cycle_id, y.id))
    return pairs


def _ramps(cycles: Sequence[PDSACycle], pairs: set[tuple[str, str]]) -> list[list[PDSACycle]]:
    """Groups of cycles joined by links (connected components), longest first."""
    by_id = {y.id: y for y in cycles}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[str] = set()
    groups = []
    for y in cycles:
        if y.id in seen:
            continue
        stack, group = [y.id], []
        seen.add(y.id)
        while stack:
            current = stack.pop()
            group.append(by_id[current])
            for other in neighbours[current] - seen:
                seen.add(other)
                stack.append(other)
        groups.append(sorted(group, key=lambda c: c.cycle_number))
    return sorted(groups, key=len, reverse=True)


def _idea_text(project: Project, cycle: PDSACycle) -> str:
    idea = project.find(cycle.change_idea_id)
    return getattr(idea, "text", "") or "the change idea"


def _inquiry(project: Project) -> _Finding:
    cycles = project.pdsa_cycles
    found = _Finding("not yet")
    if not cycles:
        found.gaps.append(_Gap(
            "No PDSA cycles yet: test a change idea on a small scale, with a prediction written first.",
            "plan a first small PDSA cycle, with a prediction", 5))
        return found
    found.status = "partly"
    predicted = {y.id for y in cycles if _has_prediction(y)}
    pairs = _linked_pairs(cycles)
    ramps = _ramps(cycles, pairs)
    found.evidence.append(
        f"{_count(len(cycles), 'PDSA cycle')}; {len(predicted)} with a prediction written first")
    longest = ramps[0]
    if len(longest) >= 2:
        found.evidence.append(
            f"A ramp of {len(longest)} linked cycles on {_quoted(_idea_text(project, longest[0]))}")
    good_pairs = [(a, b) for a, b in pairs if a in predicted and b in predicted]
    if good_pairs:
        found.status = "met"
        return found
    if not pairs:
        latest = max(cycles, key=lambda y: (y.start_date or dt.date.min, y.cycle_number))
        idea = _quoted(_idea_text(project, latest), 50)
        n = latest.cycle_number
        action = (f"plan cycle {n + 1} of {idea} from cycle {n}'s Act" if latest.act else
                  f"finish cycle {n} of {idea} (study it, decide in Act), then plan cycle {n + 1} from it")
        found.gaps.append(_Gap(
            "Your cycles stand alone; improvement comes from repeated cycles — plan the next one "
            "from the last one's Act, so they form a ramp.", action, 5))
    unpredicted = [y for y in cycles if y.id not in predicted]
    if unpredicted:
        names = _join([f"cycle {y.cycle_number}" for y in sorted(unpredicted, key=lambda y: y.cycle_number)][:4])
        found.gaps.append(_Gap(
            f"Write a prediction before each test ({names} {'has' if len(unpredicted) == 1 else 'have'} "
            "none): without one, a cycle cannot teach you anything surprising.",
            f"write a prediction for {names}", 5))
    return found


# ----------------------------------------------------------------------------- 6 networks


def _networks(project: Project, network: Network | None) -> _Finding:
    shared = [s for s in network.shared_learnings if s.team_id == project.team_id] if network else []
    found = _Finding("not yet")
    where = f"with {network.name}" if network else "with the network"
    if shared:
        latest = max(shared, key=lambda s: s.date)
        found.evidence.append(
            f"Shared {_count(len(shared), 'learning')} {where}, latest {_quoted(latest.title)} "
            f"({_day(latest.date)})")
    if project.shared_with_network:
        found.evidence.append("Your project is open to the network's convenings")
    borrowed = [s for s in project.sources if s.learning_id]
    if borrowed:
        who = "another school" if len(borrowed) == 1 else "other schools"
        found.evidence.append(f"Took {_count(len(borrowed), 'learning')} {who} shared into what you learn "
                              f"from, latest {_quoted(borrowed[-1].title)}")
    if shared or project.shared_with_network:
        found.status = "met"
        return found
    marked = [y for y in project.pdsa_cycles if y.shared]
    if marked or borrowed:  # half of a network's give and take
        found.status = "partly"
    if marked:
        found.evidence.append(f"{_count(len(marked), 'PDSA cycle')} marked to share")
    found.gaps.append(_Gap(
        "Nothing shared with the network yet: one learning — a PDSA cycle, a chart, your "
        "storyboard — helps another school and invites theirs.",
        "share one learning with the network", 7))
    return found


# ----------------------------------------------------------------------------- the report


def _self_notes(project: Project, key: str) -> tuple[SelfNote, ...]:
    notes = [e for e in project.principle_evidence if e.principle == key]
    notes.sort(key=lambda e: e.date, reverse=True)
    return tuple(SelfNote(e.date, e.rating, e.note) for e in notes)


def _keep_going(project: Project) -> NextStep:
    """The next step of a team whose work shows every principle: keep the cycles turning."""
    cycles = sorted(project.pdsa_cycles, key=lambda y: (y.start_date or dt.date.min, y.cycle_number))
    latest = cycles[-1] if cycles else None
    if latest is not None and latest.act is None:
        return _Gap("", f"study cycle {latest.cycle_number} of {_quoted(_idea_text(project, latest), 50)} "
                        "against its predictions and decide: adopt, adapt or abandon", 5).step()
    if latest is not None and latest.next_cycle_id is None and latest.act != "abandon":
        return _Gap("", f"plan cycle {latest.cycle_number + 1} of "
                        f"{_quoted(_idea_text(project, latest), 50)}, one step wider", 5).step()
    return _Gap("", "share your storyboard and your latest learning with the network", 7).step()


def track_principles(project: Project, team: Team | None = None, network: Network | None = None,
                     today: dt.date | None = None) -> PrincipleReport:
    """Where the team stands on each of the six principles, from its own work."""
    today = today or dt.date.today()
    findings = {
        "user_centered": _user_centered(project, team),
        "variability": _variability(project),
        "system": _system(project),
        "measurement": _measurement(project, today),
        "inquiry": _inquiry(project),
        "networks": _networks(project, network),
    }
    principles = tuple(
        PrincipleStatus(
            key=key, label=PRINCIPLES[key], status=findings[key].status,
            evidence=tuple(findings[key].evidence),
            missing=tuple(g.sentence for g in findings[key].gaps),
            next_step=findings[key].gaps[0].step() if findings[key].gaps else None,
            self_notes=_self_notes(project, key),
        )
        for key in PRINCIPLES
    )
    met = sum(p.met for p in principles)
    verdict: Verdict = "authentic" if met == len(principles) else "partially authentic" if met else "not yet"
    by_key = {p.key: p for p in principles}
    first_gap = next((by_key[k] for k in JOURNEY_ORDER if not by_key[k].met), None)
    step = first_gap.next_step if first_gap and first_gap.next_step else _keep_going(project)
    return PrincipleReport(principles, verdict, step, today)


# ----------------------------------------------------------------------------- phases


@dataclass(frozen=True)
class ProgressItem:
    label: str
    done: bool


@dataclass(frozen=True)
class PhaseProgress:
    """What is done in one phase of the journey."""

    phase: int
    items: tuple[ProgressItem, ...]

    @property
    def name(self) -> str:
        return PHASES[self.phase]

    @property
    def done_count(self) -> int:
        return sum(i.done for i in self.items)

    @property
    def state(self) -> Literal["done", "started", "not started"]:
        if self.items and self.done_count == len(self.items):
            return "done"
        return "started" if self.done_count else "not started"


def _phase_items(project: Project, team: Team | None) -> dict[int, list[tuple[str, bool]]]:
    fb, dd, aim = project.fishbone, project.driver_diagram, project.aim
    groups = {i.stakeholder_group for i in interviews_heard(project)}
    kinds = {m.kind for m in project.measures}
    series = _series(project)
    subgroups = Counter(measure for measure, subgroup in series if subgroup)
    pairs = _linked_pairs(project.pdsa_cycles)
    members = team.members if team else []
    return {
        1: [
            ("A design team of at least three", len(members) >= 3),
            ("Different roles on the team", len({m.role for m in members}) >= 3),
            ("Team norms", bool(team and team.norms)),
            ("A regular meeting routine", bool(team and team.meeting_routine.strip())),
        ],
        2: [
            ("Problem statement", bool(project.problem_statement.strip() or fb.problem.strip())),
            (f"Empathy interviews with {MIN_STAKEHOLDER_GROUPS}+ groups", len(groups) >= MIN_STAKEHOLDER_GROUPS),
            ("What research or other schools have learned", bool(project.sources)),
            ("The process mapped, with where it breaks down", any(s.breaks_down for s in project.process_map.steps)),
            ("Causes on the fishbone", bool(fb.causes)),
            ("Top causes chosen (dot voting or 5 whys)",
             bool(fb.votes) or any(c.whys for c in project.why_chains)),
        ],
        3: [
            ("Aim: what, how much, by when", bool(aim.text.strip() or (aim.what.strip() and aim.target is not None
                                                                         and aim.by_when))),
            ("Driver diagram", any(s.primary_ids for s in dd.secondary_drivers)),
            ("Change ideas on the diagram", any(x.secondary_ids for x in dd.change_ideas)),
            ("Outcome and process measures", {"outcome", "process"} <= kinds),
        ],
        4: [
            ("Change ideas rated for benefit and effort",
             any(x.benefit is not None and x.effort is not None for x in dd.change_ideas)),
            ("An idea chosen to test", any(x.status != "idea" for x in dd.change_ideas)
             or bool(project.pdsa_cycles)),
        ],
        5: [
            ("A PDSA cycle with a prediction", any(_has_prediction(y) for y in project.pdsa_cycles)),
            ("A cycle studied and decided", any(y.act for y in project.pdsa_cycles)),
            ("A next cycle linked (a ramp)", bool(pairs)),
        ],
        6: [
            ("Data entered for a measure", bool(project.observations)),
            (f"A run chart ({RUN_CHART_POINTS}+ points)", any(n >= RUN_CHART_POINTS for n in series.values())),
            ("Data by subgroup", any(n >= MIN_SUBGROUPS for n in subgroups.values())),
        ],
        7: [
            ("Principle self-assessment", bool(project.principle_evidence)),
            ("Team pulse", bool(project.pulses)),
            ("Shared with the network", project.shared_with_network),
        ],
    }


def phase_progress(project: Project, team: Team | None = None) -> tuple[PhaseProgress, ...]:
    """Phases 1-7, each with its items done and to do (phase 1 needs the team)."""
    items = _phase_items(project, team)
    return tuple(PhaseProgress(phase, tuple(ProgressItem(label, bool(done)) for label, done in items[phase]))
                 for phase in sorted(items))


def current_phase(phases: Sequence[PhaseProgress]) -> int:
    """Where the team is, read from its work: the furthest phase it reached in order,
    every phase before it begun (1 when nothing yet). Baseline data entered before there
    is an aim does not make a team one that studies its tests. Reflecting and sharing (7)
    happen at the end of any meeting, along the way, so they do not move the team."""
    current = 1
    for p in sorted(phases, key=lambda p: p.phase):
        if p.phase > 6 or not p.done_count:
            break
        current = p.phase
    return current


# ----------------------------------------------------------------------------- activity


class RevisionLike(Protocol):
    number: int
    saved_at: str
    author: str
    message: str


@dataclass(frozen=True)
class Activity:
    """One thing someone did: consecutive saves of the same kind by one person count once."""

    when: dt.datetime  # the latest save of the group, aware (UTC)
    who: str
    what: str
    saves: int = 1


def _aware(text: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def recent_activity(revisions: Iterable[RevisionLike], limit: int = 8) -> list[Activity]:
    """Who did what, newest first, from a revision list (newest first, as
    `Store.history` gives it). Autosave writes a revision for every edit, so
    runs of the same message by the same person are folded into one line."""
    out: list[Activity] = []
    for rev in revisions:
        when = _aware(rev.saved_at)
        if when is None:
            continue
        who = (rev.author or "").strip() or "Someone"
        what = (rev.message or "").strip() or "saved a change"
        if out and out[-1].who == who and out[-1].what == what:
            last = out[-1]
            out[-1] = Activity(last.when, who, what, last.saves + 1)
            continue
        if len(out) == limit:
            break
        out.append(Activity(when, who, what))
    return out


def when_words(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """'just now', '5 minutes ago', '3 hours ago', 'yesterday', '4 days ago', '12 Mar 2026'."""
    now = now or dt.datetime.now(dt.UTC)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{_count(int(seconds // 60), 'minute')} ago"
    if seconds < 86400:
        return f"{_count(int(seconds // 3600), 'hour')} ago"
    days = int(seconds // 86400)
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return _day(when.date())
