"""The theory of improvement: aim, driver diagram, change ideas, family of measures."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, FiniteFloat

from .base import Entity, Id, Name, Rating, Record, Text, entity_id

CHANGE_IDEA_STATUSES = ("idea", "testing", "adopted", "adapted", "abandoned")
ChangeIdeaStatus = Literal["idea", "testing", "adopted", "adapted", "abandoned"]
MEASURE_KINDS = ("outcome", "driver", "process", "balancing")
MeasureKind = Literal["outcome", "driver", "process", "balancing"]
FREQUENCIES = ("daily", "weekly", "every two weeks", "monthly", "quarterly", "semester", "annual")
Frequency = Literal["daily", "weekly", "every two weeks", "monthly", "quarterly", "semester", "annual"]
Direction = Literal["up", "down"]


class Aim(Record):
    """What, for whom, how much, by when. `text` is the team's own wording, if any."""

    what: Text = ""
    for_whom: Text = ""
    baseline: FiniteFloat | None = None
    target: FiniteFloat | None = None
    unit: Name = ""
    by_when: dt.date | None = None
    text: Text = ""


class PrimaryDriver(Entity):
    id: Id = entity_id("p-")
    text: Text


class SecondaryDriver(Entity):
    id: Id = entity_id("d-")
    text: Text
    primary_ids: list[Id] = []


class ChangeIdea(Entity):
    id: Id = entity_id("x-")
    text: Text
    secondary_ids: list[Id] = []
    cause_ids: list[Id] = []
    benefit: Rating | None = None
    effort: Rating | None = None
    status: ChangeIdeaStatus = "idea"
    source_id: Id | None = None  # borrowed from what others have learned (research, another school)


class DriverDiagram(Record):
    """Aim -> primary drivers -> secondary drivers -> change ideas.

    Links are many-to-many and stored on the child (a secondary driver names its
    primary drivers, a change idea its secondary drivers)."""

    primary_drivers: list[PrimaryDriver] = []
    secondary_drivers: list[SecondaryDriver] = []
    change_ideas: list[ChangeIdea] = []


class Measure(Entity):
    id: Id = entity_id("me-")
    name: Name
    kind: MeasureKind = "process"
    operational_definition: Text = ""
    unit: Name = ""
    frequency: Frequency = "weekly"
    data_source: Text = ""
    target: FiniteFloat | None = None
    desired_direction: Direction = "up"
    linked_ids: list[Id] = []  # drivers or change ideas this measure follows
    # How the team reads its run chart:
    baseline_points: int | None = Field(default=None, ge=1)
    phase_starts: list[dt.date] = []
    astronomical_ids: list[Id] = []  # observations the team judged astronomical


class Observation(Entity):
    id: Id = entity_id("o-")
    measure_id: Id
    date: dt.date
    value: FiniteFloat
    subgroup: Name | None = None
    denominator: FiniteFloat | None = Field(default=None, gt=0)
    note: Text = ""
