"""Disciplined inquiry: PDSA cycles, linked into ramps."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .base import Entity, Id, Name, Record, Text, entity_id

Confidence = Literal["low", "medium", "high"]
PredictionResult = Literal["held", "partly", "did not hold"]
ActDecision = Literal["adopt", "adapt", "abandon"]


class Prediction(Entity):
    id: Id = entity_id("pr-")
    text: Text
    confidence: Confidence = "medium"
    result: PredictionResult | None = None  # Study: did it hold?
    what_data_showed: Text = ""


class Plan(Record):
    who: Text = ""
    what: Text = ""
    when: Text = ""
    where: Text = ""
    scale: Name = ""  # e.g. "one teacher", "three teachers", "all math teachers"
    data_to_collect: Text = ""


class Suggestions(Record):
    """What the team made of the coach's suggestions (nudges) on one cycle. A record
    of its own, so setting one aside merges with a teammate's edit of the cycle."""

    # Codes of the nudges the team has read and set aside (a long test chosen on
    # purpose): they stop showing on this cycle, for everyone.
    set_aside: list[Id] = Field(default=[], max_length=50)


class PDSACycle(Entity):
    id: Id = entity_id("y-")
    change_idea_id: Id
    cycle_number: int = Field(default=1, ge=1)
    question: Text = ""
    predictions: list[Prediction] = []
    plan: Plan = Field(default_factory=Plan)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    do_notes: Text = ""
    surprises: Text = ""
    study_notes: Text = ""
    act: ActDecision | None = None
    act_reason: Text = ""
    previous_cycle_id: Id | None = None
    next_cycle_id: Id | None = None
    shared: bool = False
    suggestions: Suggestions = Field(default_factory=Suggestions)
