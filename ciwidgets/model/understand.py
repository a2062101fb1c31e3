"""Understanding the problem: empathy interviews, what others have learned, the process
map, the fishbone, 5 whys."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints

from .base import Entity, Id, Name, Record, Text, entity_id

STAKEHOLDER_GROUPS = ("student", "family", "teacher", "staff", "leader", "community")
StakeholderGroup = Literal["student", "family", "teacher", "staff", "leader", "community"]

DEFAULT_CATEGORIES = (
    "Students",
    "Teachers & instruction",
    "Curriculum & materials",
    "Policies & schedules",
    "Families & community",
    "School culture",
    "Data & measurement",
)


class EmpathyInterview(Entity):
    id: Id = entity_id("i-")
    stakeholder_group: StakeholderGroup
    date: dt.date
    interviewer: Name = ""
    questions: list[Text] = []
    quotes: list[Text] = []
    themes: list[Name] = []
    consent_note: Text = ""
    notes: Text = ""


SOURCE_KINDS = ("research", "school", "setting")
SourceKind = Literal["research", "school", "setting"]


def web_address(value: str, scheme: str = "https") -> str:
    """A link a team may open from the page: http(s) only (never `javascript:`). An
    address typed without its scheme (`www.example.org/x`, `192.168.1.20:8866`) gets
    `scheme`."""
    if not value:
        return value
    typed_scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) and not re.match(r"^[^/:]+:\d+(/|$)", value)
    link = value if typed_scheme else f"{scheme}://{value}"
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or "." not in parts.netloc or any(c.isspace() for c in link):
        raise ValueError(f"must be a web address such as https://www.example.org (not {value[:60]!r})")
    return link


Link = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(web_address)]


class Source(Entity):
    """What others have learned about the problem: research, another school, or an
    analogous setting (a clinic, a library, a club that solved a like problem). Read
    before choosing causes and changes, so the team does not start from zero."""

    id: Id = entity_id("rs-")
    kind: SourceKind = "research"
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    finding: Text = ""  # what they found, or what the team takes from it
    link: Link = ""
    learning_id: Id | None = None  # the learning another school shared with the network


class ProcessStep(Entity):
    """One step of the process as it happens today (not as it should), in order."""

    id: Id = entity_id("ps-")
    text: Text
    who: Name = ""
    breaks_down: bool = False
    why: Text = ""  # what goes wrong here, for whom
    cause_id: Id | None = None  # the fishbone cause this breakdown became (`cause_from_step`)


class ProcessMap(Record):
    """The process that produces today's results, mapped step by step before choosing
    fixes. Where it breaks down is where to look for causes (see the system)."""

    process: Name = ""  # e.g. "How a struggling student gets math help"
    steps: list[ProcessStep] = []


class Evidence(Record):
    """Why the team believes a cause: an interview theme or quote, what others have
    learned (a source), or a data note."""

    kind: Literal["theme", "quote", "source", "data", "note"]
    text: Text
    interview_id: Id | None = None
    source_id: Id | None = None


class FishboneCategory(Entity):
    id: Id = entity_id("k-")
    name: Name


class Cause(Entity):
    """A cause on the fishbone; `parent_id` makes it a sub-cause of another cause."""

    id: Id = entity_id("c-")
    category_id: Id
    parent_id: Id | None = None
    text: Text
    in_our_control: bool | None = None
    evidence: list[Evidence] = []


class Vote(Entity):
    """One dot of dot voting: a member's vote for a cause."""

    id: Id = entity_id("v-")
    voter: Name
    cause_id: Id


class Fishbone(Record):
    problem: Text = ""
    categories: list[FishboneCategory] = Field(
        default_factory=lambda: [FishboneCategory(name=n) for n in DEFAULT_CATEGORIES]
    )
    causes: list[Cause] = []
    votes: list[Vote] = []
    votes_per_member: int = Field(default=3, ge=1, le=10)


class WhyChain(Entity):
    """Asking 'why?' repeatedly, from a cause (or the problem) to a root cause."""

    id: Id = entity_id("w-")
    start: Text
    cause_id: Id | None = None
    whys: list[Text] = []
    promoted_cause_id: Id | None = None
