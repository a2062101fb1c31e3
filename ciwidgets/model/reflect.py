"""Reflection: principle evidence, team pulse, meeting notes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from .base import Entity, Id, Name, Rating, Text, entity_id

PRINCIPLES = {
    "user_centered": "Be problem-focused and user-centered",
    "variability": "Attend to variability",
    "system": "See the system",
    "measurement": "Embrace measurement",
    "inquiry": "Learn through disciplined inquiry",
    "networks": "Organize as networks",
}
Principle = Literal["user_centered", "variability", "system", "measurement", "inquiry", "networks"]


class PrincipleEvidence(Entity):
    """A team's own note of how it lived a principle (the tracker also derives evidence)."""

    id: Id = entity_id("e-")
    principle: Principle
    date: dt.date
    note: Text
    rating: Rating | None = None  # self-assessment, 1 (not yet) .. 5 (a habit)


class Pulse(Entity):
    """One member's vitality and learning ratings at one meeting (collective thriving)."""

    id: Id = entity_id("u-")
    date: dt.date
    member: Name = ""
    vitality: Rating
    learning: Rating
    comment: Text = ""


class MeetingNote(Entity):
    id: Id = entity_id("mn-")
    date: dt.date
    title: Name = ""
    attendees: list[Name] = []
    notes: Text = ""
    decisions: Text = ""
