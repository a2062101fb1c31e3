"""The theory of improvement, checked: aim statements, the SMART check, driver-diagram
orphans, family-of-measures nudges, the benefit-effort quadrants, and the small edits
a driver diagram is made of (add, rename, link, unlink, move, delete).

Pure functions on model objects. The edit helpers mutate the `Project` they are given
(the copy a `Session.edit` hands out) and raise `ModelError` with a sentence a coach
understands when an edit cannot be made."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from ciwidgets.model import (
    Aim,
    ChangeIdea,
    Measure,
    ModelError,
    PrimaryDriver,
    Project,
    SecondaryDriver,
    explain,
)
from ciwidgets.model.project import AIM_ID  # a measure of the aim names this id

from .numbers import format_number
from .words import same_words, shortened

_PERCENT_WORDS = {"%", "percent", "per cent", "percentage", "percent of"}


# --------------------------------------------------------------------------- numbers


def is_percent(unit: str) -> bool:
    """Whether the aim's unit is a percentage ('%', 'percent')."""
    return unit.strip().lower() in _PERCENT_WORDS


def _amount(value: float, unit: str) -> str:
    unit = unit.strip()
    if not unit:
        return format_number(value)
    if is_percent(unit) or unit.startswith("%"):
        rest = "" if is_percent(unit) else unit[1:]
        return f"{format_number(value)}%{rest}"
    return f"{format_number(value)} {unit}"


# --------------------------------------------------------------------------- aim sentence


def _when(day: dt.date) -> str:
    """'May 2026' for the last day of a month (the usual 'by the end of May'),
    else 'May 15, 2026'."""
    last = calendar.monthrange(day.year, day.month)[1]
    month = calendar.month_name[day.month]
    return f"{month} {day.year}" if day.day == last else f"{month} {day.day}, {day.year}"


_SCHOOL_WORDS = {"elementary", "middle", "high", "school", "academy", "primary", "charter",
                 "k-8", "k8", "community", "public", "magnet", "junior", "senior", "es", "ms", "hs"}


def school_short_name(school: str) -> str:
    """How people name a school in a sentence: 'Fox Elementary School' -> 'Fox'."""
    words = school.split()
    while len(words) > 1 and words[-1].lower().strip(".,") in _SCHOOL_WORDS:
        words.pop()
    return " ".join(words)


def _whom(aim: Aim, school: str) -> str:
    """'students at Fox Elementary', or the team's words alone when they name the school.
    (The school goes after the team's words: put in front, 'all students in grade 4'
    would read 'Fox all students…', and 'New School' would shrink to 'New'.)"""
    whom, school = aim.for_whom.strip(), " ".join(school.split())
    if not (whom and school) or _names_school(whom, school):
        return whom
    return f"{whom} at {school}"


def _names_school(words: str, school: str) -> bool:
    """Whether `words` name the school ('Fox students' names Fox Elementary; a short
    name counts only as a capitalised word, so 'new students' does not name New School)."""
    short = school_short_name(school)
    return school.lower() in words.lower() or re.search(rf"\b{re.escape(short)}\b", words) is not None


def aim_sentence(aim: Aim, school: str = "", *, placeholders: bool = True) -> str:
    """The aim as one sentence, worded for the direction of change:

    "By May 2026, at least 35% of students at Fox Elementary will meet or exceed the
    state math standard, up from 17%."  A target below the baseline reads "at most ... down from".

    Missing parts show as bracketed hints ("[for whom]") so a team sees where the gap
    is; with `placeholders=False` they are left out. An empty aim gives ""."""
    what, whom = aim.what.strip(), _whom(aim, school)
    has_numbers = aim.target is not None
    if not (what or whom or has_numbers or aim.by_when):
        return ""

    def part(text: str, hint: str) -> str:
        return text or (f"[{hint}]" if placeholders else "")

    what = part(what, "what will change")
    whom = part(whom, "for whom")
    opening = f"By {_when(aim.by_when)}, " if aim.by_when else (
        "By [when], " if placeholders else ""
    )
    change = _change_words(aim)

    if has_numbers and (is_percent(aim.unit) or not aim.unit.strip()) and whom:
        amount = _amount(aim.target, aim.unit)
        qualifier = change["qualifier"]
        core = f"{qualifier}{amount} of {whom} will {what}".strip()
    elif has_numbers:
        core = f"{whom} will {what}: {change['qualifier']}{_amount(aim.target, aim.unit)}"
    else:
        core = f"{whom} will {what}".strip()
    core = " ".join(core.split())
    sentence = opening + (core if opening else core[:1].upper() + core[1:])
    if change["since"]:
        sentence += f", {change['since']}"
    return sentence.rstrip(" :,") + "."


def _change_words(aim: Aim) -> dict[str, str]:
    """'at least' / 'up from 17%' for an increase, 'at most' / 'down from' for a decrease."""
    if aim.target is None or aim.baseline is None:
        return {"qualifier": "", "since": ""}
    base = _amount(aim.baseline, aim.unit)
    if aim.target > aim.baseline:
        return {"qualifier": "at least ", "since": f"up from {base}"}
    if aim.target < aim.baseline:
        return {"qualifier": "at most ", "since": f"down from {base}"}
    return {"qualifier": "", "since": f"the same as now ({base})"}


def aim_statement(aim: Aim, school: str = "") -> str:
    """What to show as the team's aim: its own wording if it wrote one, else the
    assembled sentence (without placeholders)."""
    return aim.text.strip() or aim_sentence(aim, school, placeholders=False)


# --------------------------------------------------------------------------- SMART check


@dataclass(frozen=True)
class AimGap:
    """One thing the aim still needs. `part` is a stable key for code and tests;
    `smart` the SMART letter it serves; `message` what a coach reads."""

    part: str
    smart: Literal["Specific", "Measurable", "Time-bound"]
    message: str


def smart_check(aim: Aim, today: dt.date) -> list[AimGap]:
    """Everything that keeps the aim from being specific, measurable and time-bound,
    each in plain words. An empty list means the aim is SMART enough to start."""
    gaps: list[AimGap] = []
    if not aim.what.strip():
        gaps.append(AimGap("what", "Specific", "Say what will change, e.g. 'meet or exceed the state math standard'."))
    if not aim.for_whom.strip():
        gaps.append(AimGap(
            "population", "Specific",
            "Say for whom: which students, staff or families (e.g. 'third graders', "
            "'multilingual learners').",
        ))
    if aim.target is None:
        gaps.append(AimGap(
            "number", "Measurable",
            "Add a number: how much will change? A target tells everyone what success looks like.",
        ))
    if aim.baseline is None:
        gaps.append(AimGap(
            "baseline", "Measurable",
            "Add where you are now (the baseline), so the size of the change is clear.",
        ))
    if (aim.target is not None or aim.baseline is not None) and not aim.unit.strip():
        gaps.append(AimGap(
            "unit", "Measurable",
            "Say what the numbers count: %, students, days, points…",
        ))
    if aim.target is not None and aim.baseline is not None and aim.target == aim.baseline:
        gaps.append(AimGap(
            "no change", "Measurable",
            f"The target ({_amount(aim.target, aim.unit)}) is the same as the baseline: "
            "an aim should be a change from where you are now.",
        ))
    if is_percent(aim.unit):
        for label, value in (("target", aim.target), ("baseline", aim.baseline)):
            if value is not None and not 0 <= value <= 100:
                gaps.append(AimGap(
                    "percent range", "Measurable",
                    f"The {label} is {format_number(value)}%, but a percentage lies between 0 and 100.",
                ))
    if aim.by_when is None:
        gaps.append(AimGap(
            "date", "Time-bound",
            "Add a date: by when? An aim without a deadline drifts.",
        ))
    elif aim.by_when <= today:
        gaps.append(AimGap(
            "past date", "Time-bound",
            f"The date {_when(aim.by_when)} has already passed: choose a date ahead.",
        ))
    return gaps


# --------------------------------------------------------------------------- display order


@dataclass(frozen=True)
class DisplayOrder:
    """Drivers and change ideas in the order the diagram shows them: a secondary
    driver under its first (highest) primary driver, a change idea under its first
    secondary driver, each group in list order; unlinked ones last."""

    primary: list[PrimaryDriver]
    secondary: list[SecondaryDriver]
    change_ideas: list[ChangeIdea]

    def group_of(self, node_id: str) -> tuple[str, int]:
        """(level, group) of a node; nodes sharing both are siblings for reordering."""
        for level, nodes, parents in (
            ("primary", self.primary, None),
            ("secondary", self.secondary, self.primary),
            ("change idea", self.change_ideas, self.secondary),
        ):
            for node in nodes:
                if node.id == node_id:
                    return level, (0 if parents is None else _first_parent(node, _index(parents)))
        raise _gone()


def _parent_ids(node) -> list[str]:
    if isinstance(node, SecondaryDriver):
        return node.primary_ids
    if isinstance(node, ChangeIdea):
        return node.secondary_ids
    return []


def _index(parents: Sequence) -> dict[str, int]:
    return {p.id: i for i, p in enumerate(parents)}


def _first_parent(node, index: dict[str, int]) -> int:
    """Display index of the node's highest parent; len(index) when it has none."""
    return min((index[pid] for pid in _parent_ids(node) if pid in index), default=len(index))


def display_order(project: Project) -> DisplayOrder:
    """Drivers and change ideas in the order the diagram shows them (see DisplayOrder)."""
    dd = project.driver_diagram
    primary = list(dd.primary_drivers)
    by_primary = _index(primary)
    secondary = sorted(dd.secondary_drivers, key=lambda s: _first_parent(s, by_primary))
    by_secondary = _index(secondary)
    ideas = sorted(dd.change_ideas, key=lambda x: _first_parent(x, by_secondary))
    return DisplayOrder(primary, secondary, ideas)


# --------------------------------------------------------------------------- orphans


@dataclass(frozen=True)
class Orphan:
    """A loose end in the driver diagram, worded gently."""

    node_id: str
    level: Literal["primary", "secondary", "change idea"]
    problem: Literal["no secondary driver", "no primary driver", "no change idea", "no driver"]
    message: str


def find_orphans(project: Project) -> list[Orphan]:
    """Change ideas linked to no driver, secondary drivers linked to no primary
    driver, and drivers with no change idea yet (a primary driver with no secondary
    driver at all is named as such)."""
    dd = project.driver_diagram
    orphans: list[Orphan] = []
    children_of: dict[str, list[str]] = {}
    for s in dd.secondary_drivers:
        for pid in s.primary_ids:
            children_of.setdefault(pid, []).append(s.id)
    ideas_of: dict[str, int] = {}
    for x in dd.change_ideas:
        for sid in x.secondary_ids:
            ideas_of[sid] = ideas_of.get(sid, 0) + 1

    for p in dd.primary_drivers:
        secondaries = children_of.get(p.id, [])
        if not secondaries:
            orphans.append(Orphan(p.id, "primary", "no secondary driver",
                                  f"'{p.text}' has no secondary driver yet. What would move it?"))
        elif not any(ideas_of.get(sid) for sid in secondaries):
            orphans.append(Orphan(p.id, "primary", "no change idea",
                                  f"'{p.text}' has no change idea yet under any of its secondary drivers."))
    for s in dd.secondary_drivers:
        if not s.primary_ids:
            orphans.append(Orphan(s.id, "secondary", "no primary driver",
                                  f"'{s.text}' is not linked to a primary driver yet."))
        if not ideas_of.get(s.id):
            orphans.append(Orphan(s.id, "secondary", "no change idea",
                                  f"'{s.text}' has no change idea yet. What could you try?"))
    for x in dd.change_ideas:
        if not x.secondary_ids:
            orphans.append(Orphan(x.id, "change idea", "no driver",
                                  f"'{x.text}' is not linked to a driver yet. Which driver would it move?"))
    return orphans


# --------------------------------------------------------------------------- measure nudges


@dataclass(frozen=True)
class Nudge:
    """A suggestion, never a block. `situation` is a stable key for code and tests."""

    situation: str
    message: str


_SLOW = {"semester", "annual"}


def measure_nudges(project: Project) -> list[Nudge]:
    """Gentle suggestions for a better family of measures."""
    measures = project.measures
    if not measures:
        return [Nudge(
            "no measures",
            "Start with one outcome measure for your aim, then add a process measure you "
            "can collect every week.",
        )]
    kinds = {m.kind for m in measures}
    nudges: list[Nudge] = []
    if kinds == {"outcome"}:
        nudges.append(Nudge(
            "only outcome",
            "All your measures are outcome measures. Add a process measure that shows "
            "whether your change ideas are happening, e.g. the % of math lessons that "
            "end with an exit ticket.",
        ))
    elif "outcome" not in kinds:
        nudges.append(Nudge(
            "no outcome",
            "No outcome measure yet: how will you know the aim itself is being reached?",
        ))
    if all(m.frequency in _SLOW for m in measures):
        nudges.append(Nudge(
            "only slow",
            "Every measure is collected once a semester or once a year, too slowly to "
            "learn from. Add something you can collect weekly: exit tickets, attendance "
            "at data meetings, or a short pulse survey.",
        ))
    if "balancing" not in kinds:
        nudges.append(Nudge(
            "no balancing",
            "What could get worse while you improve this? A balancing measure watches for "
            "it, e.g. teachers' planning time or minutes of recess lost.",
        ))
    undefined = [f"'{m.name}'" for m in measures if not m.operational_definition.strip()]
    if undefined:
        which = (f"{undefined[0]} has" if len(undefined) == 1
                 else f"{', '.join(undefined[:-1])} and {undefined[-1]} have")
        nudges.append(Nudge(
            "no definition",
            f"{which} no operational definition yet: write exactly what is counted and how, "
            "so two people would get the same number.",
        ))
    return nudges


# --------------------------------------------------------------------------- quadrants

# Ratings of 3, 4 and 5 are high; 1 and 2 are low. A middling 3 counts as high on
# both scales on purpose: a benefit of 3 is worth a look, and an effort of 3 is an
# honest warning that the idea takes real work. The matrix draws its dividing lines
# between 2 and 3 accordingly.
HIGH_FROM = 3


@dataclass(frozen=True)
class Quadrant:
    key: Literal["quick wins", "big bets", "fill-ins", "reconsider"]
    title: str
    advice: str
    high_benefit: bool
    high_effort: bool


QUADRANTS = {
    q.key: q
    for q in (
        Quadrant("quick wins", "Quick wins", "High benefit, low effort: test these first.", True, False),
        Quadrant("big bets", "Big bets", "High benefit, high effort: break into a small first test.", True, True),
        Quadrant("fill-ins", "Fill-ins", "Low benefit, low effort: do them if they help along the way.", False, False),
        Quadrant("reconsider", "Reconsider", "Low benefit, high effort: set aside for now.", False, True),
    )
}


def quadrant(benefit: int | None, effort: int | None) -> Quadrant | None:
    """The quadrant of a change idea rated 1-5 on benefit and effort (None if unrated).
    A rating of 3 or more counts as high (see HIGH_FROM)."""
    if benefit is None or effort is None:
        return None
    for value in (benefit, effort):
        if not 1 <= value <= 5:
            raise ModelError([f"A rating must be between 1 and 5 (not {value})."])
    high_b, high_e = benefit >= HIGH_FROM, effort >= HIGH_FROM
    return next(q for q in QUADRANTS.values() if (q.high_benefit, q.high_effort) == (high_b, high_e))


# --------------------------------------------------------------------------- edits


def _gone() -> ModelError:
    return ModelError(["That item no longer exists: someone may have just deleted it."])


def _node(project: Project, node_id: str):
    """The driver or change idea with this id (a deleted one is explained)."""
    node = project.find(node_id)
    if not isinstance(node, PrimaryDriver | SecondaryDriver | ChangeIdea):
        raise _gone()
    return node


def find_measure(project: Project, measure_id: str) -> Measure:
    """The measure with this id (a deleted one is explained)."""
    measure = project.find(measure_id)
    if not isinstance(measure, Measure):
        raise _gone()
    return measure


def _words(text: str, what: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        raise ModelError([f"Type a few words for the {what}."])
    if len(text) > 5000:
        raise ModelError([f"That {what} is too long (at most 5000 characters)."])
    return text


def _build(cls, subject: str, **data):
    try:
        return cls(**data)
    except ValidationError as e:
        raise explain(e, subject) from None


def _check_parents(project: Project, parent_cls, parent_ids: Iterable[str]) -> list[str]:
    dd = project.driver_diagram
    pool = dd.primary_drivers if parent_cls is PrimaryDriver else dd.secondary_drivers
    known = {p.id for p in pool}
    ids: list[str] = []
    for pid in parent_ids:
        if pid not in known:
            raise _gone()
        if pid not in ids:
            ids.append(pid)
    return ids


def _new_words(project: Project, cls, text: str, *, unique: bool = True, node_id: str = "") -> str:
    """The words for a driver or change idea of kind `cls`. Two of one kind with the same
    words could not be told apart in the lists and pickers, so a second is refused
    (`unique=False` for rebuilding a diagram as it was, where its ids tell them apart)."""
    what = _LEVEL_WORDS[cls]
    words = _words(text, what)
    if unique:
        for node in _list_of(project, cls):
            if node.id != node_id and same_words(node.text, words):
                where = "" if cls is PrimaryDriver else (
                    " To have it under another driver too, link it there instead of adding it again.")
                raise ModelError([f"There is already a {what} '{shortened(node.text)}'.{where}"])
    return words


def add_primary_driver(project: Project, text: str, *, unique: bool = True) -> PrimaryDriver:
    """Append a primary driver; returns it."""
    node = _build(PrimaryDriver, "Primary driver", text=_new_words(project, PrimaryDriver, text, unique=unique))
    project.driver_diagram.primary_drivers.append(node)
    return node


def add_secondary_driver(project: Project, text: str, primary_ids: Iterable[str] = (), *,
                         unique: bool = True) -> SecondaryDriver:
    """Append a secondary driver linked to the given primary drivers; returns it."""
    ids = _check_parents(project, PrimaryDriver, primary_ids)
    words = _new_words(project, SecondaryDriver, text, unique=unique)
    node = _build(SecondaryDriver, "Secondary driver", text=words, primary_ids=ids)
    project.driver_diagram.secondary_drivers.append(node)
    return node


def add_change_idea(project: Project, text: str, secondary_ids: Iterable[str] = (), *,
                    unique: bool = True) -> ChangeIdea:
    """Append a change idea linked to the given secondary drivers; returns it."""
    ids = _check_parents(project, SecondaryDriver, secondary_ids)
    node = _build(ChangeIdea, "Change idea", text=_new_words(project, ChangeIdea, text, unique=unique),
                  secondary_ids=ids)
    project.driver_diagram.change_ideas.append(node)
    return node


_LEVEL_WORDS = {PrimaryDriver: "primary driver", SecondaryDriver: "secondary driver", ChangeIdea: "change idea"}


def level_word(node: PrimaryDriver | SecondaryDriver | ChangeIdea) -> str:
    """'primary driver', 'secondary driver' or 'change idea'."""
    return _LEVEL_WORDS[type(node)]


def rename(project: Project, node_id: str, text: str) -> None:
    """Change the words of a driver or change idea."""
    node = _node(project, node_id)
    node.text = _new_words(project, type(node), text, node_id=node_id)


def set_links(project: Project, child_id: str, parent_ids: Iterable[str]) -> None:
    """Make a secondary driver's primary drivers, or a change idea's secondary drivers,
    exactly `parent_ids` (many-to-many; an empty list unlinks it from all)."""
    node = _node(project, child_id)
    if isinstance(node, SecondaryDriver):
        node.primary_ids = _check_parents(project, PrimaryDriver, parent_ids)
    elif isinstance(node, ChangeIdea):
        node.secondary_ids = _check_parents(project, SecondaryDriver, parent_ids)
    else:
        raise ModelError(["A primary driver links to the aim; it has no drivers above it."])


def set_causes(project: Project, idea_id: str, cause_ids: Iterable[str]) -> None:
    """Make the fishbone causes a change idea addresses exactly `cause_ids`: the link
    from what the team found to what it will try (against solutionitis)."""
    idea = _node(project, idea_id)
    if not isinstance(idea, ChangeIdea):
        raise ModelError(["Only a change idea addresses causes; drivers link to drivers."])
    known = [c.id for c in project.fishbone.causes]
    chosen = list(dict.fromkeys(cause_ids))
    if any(c not in known for c in chosen):
        raise ModelError(["That cause is no longer on the fishbone (someone may have deleted it)."])
    idea.cause_ids = [c for c in known if c in chosen]  # in the fishbone's order


def link(project: Project, child_id: str, parent_id: str) -> None:
    """Add one link (secondary -> primary, or change idea -> secondary)."""
    node = _node(project, child_id)
    set_links(project, child_id, [*_parent_ids(node), parent_id])


def unlink(project: Project, child_id: str, parent_id: str) -> None:
    """Remove one link; the other links of the node stay."""
    node = _node(project, child_id)
    set_links(project, child_id, [p for p in _parent_ids(node) if p != parent_id])


def set_measure_links(project: Project, measure_id: str, target_ids: Iterable[str]) -> None:
    """Link a measure to the aim (AIM_ID), drivers and change ideas."""
    measure = find_measure(project, measure_id)
    dd = project.driver_diagram
    known = {AIM_ID} | {n.id for n in (*dd.primary_drivers, *dd.secondary_drivers, *dd.change_ideas)}
    ids: list[str] = []
    for tid in target_ids:
        if tid not in known:
            raise _gone()
        if tid not in ids:
            ids.append(tid)
    measure.linked_ids = ids


def _list_of(project: Project, kind: type) -> list:
    """The diagram's list of primary drivers, secondary drivers or change ideas."""
    dd = project.driver_diagram
    return {PrimaryDriver: dd.primary_drivers, SecondaryDriver: dd.secondary_drivers,
            ChangeIdea: dd.change_ideas}[kind]


def move(project: Project, node_id: str, step: int) -> bool:
    """Move a node up (step -1) or down (+1) among the nodes shown next to it (its
    siblings under the same first parent). Returns False when it is already at the end."""
    node = _node(project, node_id)
    order = display_order(project)
    group = order.group_of(node_id)
    items = _list_of(project, type(node))
    siblings = [i for i, n in enumerate(items) if order.group_of(n.id) == group]
    here = siblings.index(items.index(node))
    there = here + (1 if step > 0 else -1)
    if step == 0 or not 0 <= there < len(siblings):
        return False
    a, b = siblings[here], siblings[there]
    items[a], items[b] = items[b], items[a]
    return True


def delete_node(project: Project, node_id: str) -> None:
    """Delete a driver or change idea and every link to it. Nodes below it stay, unlinked
    (they show as loose ends). A change idea that has PDSA cycles is kept: its history
    matters, so mark it abandoned instead."""
    node = _node(project, node_id)
    if isinstance(node, ChangeIdea):
        cycles = project.cycles_of(node_id)
        if cycles:
            n = len(cycles)
            raise ModelError([
                f"'{node.text}' has {n} PDSA cycle{'s' if n != 1 else ''}, so it cannot be "
                "deleted without losing that learning. Mark it 'abandoned' instead."
            ])
    dd = project.driver_diagram
    _list_of(project, type(node)).remove(node)
    for s in dd.secondary_drivers:
        if node_id in s.primary_ids:
            s.primary_ids = [p for p in s.primary_ids if p != node_id]
    for x in dd.change_ideas:
        if node_id in x.secondary_ids:
            x.secondary_ids = [s for s in x.secondary_ids if s != node_id]
    for m in project.measures:
        if node_id in m.linked_ids:
            m.linked_ids = [t for t in m.linked_ids if t != node_id]


def add_measure(project: Project, name: str, **fields) -> Measure:
    """Append a measure (any Measure field may be given); returns it."""
    measure = _build(Measure, "Measure", name=_words(name, "measure name")[:200], **fields)
    project.measures.append(measure)
    return measure


def delete_measure(project: Project, measure_id: str) -> None:
    """Delete a measure. One with observations is kept: its data would be lost."""
    measure = find_measure(project, measure_id)
    n = len(project.observations_of(measure_id))
    if n:
        raise ModelError([
            f"'{measure.name}' has {n} data point{'s' if n != 1 else ''}; delete them on "
            "the run-chart page first if you really want it gone."
        ])
    project.measures.remove(measure)
