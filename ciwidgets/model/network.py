"""The people: a network of schools, its teams and their members."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field, StringConstraints

from .base import Document, Entity, Id, Name, Text, entity_id

ROLES = (
    "principal",
    "assistant principal",
    "teacher leader",
    "teacher",
    "coach",
    "staff",
    "family",
    "student",
    "district",
    "other",
)
Role = Literal[
    "principal",
    "assistant principal",
    "teacher leader",
    "teacher",
    "coach",
    "staff",
    "family",
    "student",
    "district",
    "other",
]

# Codes a person can read aloud or type from a slide: no 0/O, 1/l/I.
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_join_code(length: int = 10) -> str:
    """An unguessable join code (~49 bits), e.g. 'k7m2-x9qp-ab'."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + 4] for i in range(0, length, 4))


def canonical_code(typed: str) -> str:
    """A code as people type it from a card or a slide: any case, with spaces or dashes
    where they fall ('STXU ZQME NZ', 'stxuzqmenz') -> 'stxu-zqme-nz'. A code not made by
    `new_join_code` (an imported one) is only trimmed and lowercased."""
    text = (typed or "").strip().lower()
    bare = re.sub(r"[\s._-]+", "", text)
    if len(bare) == 10 and all(c in _CODE_ALPHABET for c in bare):
        return "-".join(bare[i : i + 4] for i in range(0, 10, 4))
    return text


def _code_shape(code: str) -> str:
    # A code opens a team's work: one anyone could guess ('a', '') would not do. (Capitals
    # are lowered first, as people's typing is: a code with capitals could not be reached.)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", code) or len(code.replace("-", "")) < 8:
        raise ValueError("must be at least 8 letters and digits (dashes allowed), as "
                         "`ciwidgets team new-code` makes them")
    return code


JoinCode = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=64),
                     AfterValidator(_code_shape)]


class Member(Entity):
    id: Id = entity_id("m-")
    name: Name
    role: Role = "teacher"


class SharedLearning(Entity):
    """Something a team shared with the network: a PDSA learning, a chart, a storyboard."""

    id: Id = entity_id("s-")
    team_id: Id
    date: dt.date
    title: Name
    text: Text = ""
    kind: Literal["pdsa", "run chart", "storyboard", "driver diagram", "note"] = "note"


class Network(Document):
    """A networked improvement community: schools working on a common problem."""

    kind: ClassVar[str] = "network"
    id: Id = entity_id("n-")
    name: Name
    description: Text = ""
    hub_code: JoinCode = Field(default_factory=new_join_code)
    shared_learnings: list[SharedLearning] = []

    def newest_learnings(self) -> list[SharedLearning]:
        """Shared learnings, newest first: by date, and those of one day (a convening's)
        in the reverse of the order they were shared in (each share is added at the end)."""
        return sorted(reversed(self.shared_learnings), key=lambda s: s.date, reverse=True)


class Team(Document):
    """A school's design team."""

    kind: ClassVar[str] = "team"
    id: Id = entity_id("t-")
    network_id: Id
    name: Name
    school: Name = ""
    join_code: JoinCode = Field(default_factory=new_join_code)
    members: list[Member] = []
    norms: list[Name] = []
    meeting_routine: Text = ""
