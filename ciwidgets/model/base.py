"""Shared building blocks of the data model: ids, bounded text, the base classes."""

from __future__ import annotations

import functools
import secrets
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Bounds keep a hostile or accidental paste (50 MB of junk) out of the store and
# keep every diagram readable; they are generous for what a team really types.
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Rating = Annotated[int, Field(ge=1, le=5)]


def new_id(prefix: str = "") -> str:
    """A short random id, unique enough within one network (48 random bits)."""
    return f"{prefix}{secrets.token_hex(6)}"


class Record(BaseModel):
    """A piece of the model. Assignments are validated, so a widget (or a visitor
    who sets a synced trait by hand) can never put an invalid value in."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


def entity_id(prefix: str = ""):
    """The `id` field of an entity: a new id starting with `prefix` (`c-` for a cause)
    unless one is given. A default factory, not a custom `__init__`: validating a
    stored project then stays inside pydantic's core, about twice as fast."""
    return Field(default_factory=functools.partial(new_id, prefix))


class Entity(Record):
    """A record with its own identity inside a document (a cause, a driver, a cycle).

    Entities are what the store merges: two people editing different entities of
    the same project at once both keep their edits."""

    id: Id = entity_id()


class Document(Entity):
    """A unit of storage with its own revision history (network, team, project)."""

    kind: ClassVar[str] = ""
