"""A team's improvement project: everything the team builds on its journey."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from .base import Document, Id, Name, Text, entity_id
from .inquiry import PDSACycle
from .reflect import MeetingNote, PrincipleEvidence, Pulse
from .theory import Aim, DriverDiagram, Measure, Observation
from .understand import EmpathyInterview, Fishbone, ProcessMap, Source, WhyChain

PHASES = (
    "Start here",
    "Form the team",
    "Understand the problem",
    "Theory of improvement",
    "Choose change ideas",
    "Test",
    "Study",
    "Reflect and share",
    "Network convening",
)
Phase = Literal[0, 1, 2, 3, 4, 5, 6, 7, 8]
AIM_ID = "aim"  # what a measure of the aim names in `Measure.linked_ids`


def current_school_year(today: dt.date | None = None) -> str:
    """'2026-27' from August on, else '2025-26'."""
    today = today or dt.date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


class Project(Document):
    kind: ClassVar[str] = "project"
    id: Id = entity_id("pj-")
    team_id: Id
    title: Name = ""
    problem_statement: Text = ""
    equity_focus: Text = ""
    # Read by nothing: where a team is comes from its work (`analysis.principles.current_phase`).
    # Kept so that files written with it still import.
    phase: Phase = 1
    school_year: Name = Field(default_factory=current_school_year)
    shared_with_network: bool = False
    interviews: list[EmpathyInterview] = []
    sources: list[Source] = []
    process_map: ProcessMap = Field(default_factory=ProcessMap)
    fishbone: Fishbone = Field(default_factory=Fishbone)
    why_chains: list[WhyChain] = []
    aim: Aim = Field(default_factory=Aim)
    driver_diagram: DriverDiagram = Field(default_factory=DriverDiagram)
    measures: list[Measure] = []
    observations: list[Observation] = []
    pdsa_cycles: list[PDSACycle] = []
    principle_evidence: list[PrincipleEvidence] = []
    pulses: list[Pulse] = []
    meeting_notes: list[MeetingNote] = []

    @field_validator("school_year")
    @classmethod
    def _school_year(cls, v: str) -> str:
        m = re.fullmatch(r"(\d{4})-(\d{2})", v)
        if not m or (int(m[1]) + 1) % 100 != int(m[2]):
            raise ValueError("must look like 2025-26")
        return v

    @model_validator(mode="after")
    def _links_point_somewhere(self) -> Project:
        problems = list(self.broken_links())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def broken_links(self) -> Iterable[str]:
        """Sentences naming every reference to something that does not exist."""
        fb, dd = self.fishbone, self.driver_diagram
        categories = {c.id for c in fb.categories}
        causes = {c.id for c in fb.causes}
        primaries = {p.id for p in dd.primary_drivers}
        secondaries = {s.id for s in dd.secondary_drivers}
        ideas = {x.id for x in dd.change_ideas}
        measures = {m.id for m in self.measures}
        cycles = {y.id for y in self.pdsa_cycles}
        for c in fb.causes:
            if c.category_id not in categories:
                yield f"the cause '{c.text}' is in a fishbone category that does not exist"
            if c.parent_id is not None and c.parent_id not in causes:
                yield f"the cause '{c.text}' is a sub-cause of a cause that does not exist"
        for v in fb.votes:
            if v.cause_id not in causes:
                yield f"{v.voter}'s vote is for a cause that does not exist"
        for s in dd.secondary_drivers:
            if set(s.primary_ids) - primaries:
                yield f"the secondary driver '{s.text}' is linked to a primary driver that does not exist"
        for x in dd.change_ideas:
            if set(x.secondary_ids) - secondaries:
                yield f"the change idea '{x.text}' is linked to a secondary driver that does not exist"
            if set(x.cause_ids) - causes:
                yield f"the change idea '{x.text}' is linked to a cause that does not exist"
        followable = {AIM_ID} | primaries | secondaries | ideas
        for m in self.measures:
            if set(m.linked_ids) - followable:
                yield f"the measure '{m.name}' follows something that is not in the driver diagram"
        for o in self.observations:
            if o.measure_id not in measures:
                yield f"the observation of {o.date.isoformat()} belongs to a measure that does not exist"
        for y in self.pdsa_cycles:
            if y.change_idea_id not in ideas:
                yield f"PDSA cycle {y.cycle_number} tests a change idea that does not exist"
            for link in (y.previous_cycle_id, y.next_cycle_id):
                if link is not None and link not in cycles:
                    yield f"PDSA cycle {y.cycle_number} is linked to a cycle that does not exist"
        for label, items in self._collections():
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    yield f"two {label} share the id '{item.id}'"
                seen.add(item.id)

    def _collections(self):
        fb, dd = self.fishbone, self.driver_diagram
        return (
            ("interviews", self.interviews),
            ("sources", self.sources),
            ("process steps", self.process_map.steps),
            ("fishbone categories", fb.categories),
            ("causes", fb.causes),
            ("votes", fb.votes),
            ("why chains", self.why_chains),
            ("primary drivers", dd.primary_drivers),
            ("secondary drivers", dd.secondary_drivers),
            ("change ideas", dd.change_ideas),
            ("measures", self.measures),
            ("observations", self.observations),
            ("PDSA cycles", self.pdsa_cycles),
            ("principle notes", self.principle_evidence),
            ("pulse ratings", self.pulses),
            ("meeting notes", self.meeting_notes),
        )

    # Small lookups the widgets and analyses share.
    def find(self, entity_id: str):
        """The entity with this id anywhere in the project, or None."""
        for _, items in self._collections():
            for item in items:
                if item.id == entity_id:
                    return item
        return None

    def observations_of(self, measure_id: str) -> list[Observation]:
        """A measure's observations in time order."""
        return sorted((o for o in self.observations if o.measure_id == measure_id), key=lambda o: o.date)

    def cycles_of(self, change_idea_id: str) -> list[PDSACycle]:
        """A change idea's PDSA cycles in ramp order."""
        return sorted(
            (y for y in self.pdsa_cycles if y.change_idea_id == change_idea_id),
            key=lambda y: y.cycle_number,
        )


