"""The design team: who is on it, the norms it keeps, when it meets.

Pure functions over a `Team`: the edits the team editor makes (each raises a
`ModelError` with a sentence when it cannot be done, e.g. because a teammate
removed that member meanwhile), the role-diversity reading with its gentle
nudges, and a look at whether the meeting routine says when, where and how long.

Edits identify norms by their words, not by position: two browsers may each add
or remove a norm at the same moment, and an edit re-applied on top of a
teammate's newer list must still mean what its author meant."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import ROLES, Member, ModelError, Team
from .words import same_words

# Who brings which voice. A teacher leader is a teacher; a family member and a
# student both bring the voice of the people a school serves.
TEACHER_ROLES = frozenset({"teacher", "teacher leader"})
COMMUNITY_ROLES = frozenset({"family", "student"})
LEADER_ROLES = frozenset({"principal", "assistant principal"})

# The voices a design team needs, each with the roles that bring it.
VOICES = (
    ("Leaders", ("principal", "assistant principal")),
    ("Teachers", ("teacher leader", "teacher")),
    ("Coaches, staff & others", ("coach", "staff", "district", "other")),
    ("Students & families", ("student", "family")),
)

# Norms other design teams started from; offered when a team has none yet.
SUGGESTED_NORMS = (
    "Start and end on time",
    "Every voice before decisions",
    "Data, not blame",
    "Assume good intent",
    "Test small, learn fast",
)

SMALL_TEAM = 3  # fewer people than this rarely bring enough perspectives
LARGE_TEAM = 12  # more than this struggle to decide anything in a 45-minute meeting


# --------------------------------------------------------------------------- members


def _words(text: str, what: str) -> str:
    words = " ".join(str(text).split())
    if not words:
        raise ModelError([f"Type the {what} first."])
    return words


def _role(role: str) -> str:
    # A Voila visitor can send any value through a synced trait: check it here.
    if role not in ROLES:
        raise ModelError([f"'{str(role)[:40]}' is not a role; choose one of {', '.join(ROLES)}."])
    return role


def find_member(team: Team, member_id: str) -> Member:
    for member in team.members:
        if member.id == member_id:
            return member
    raise ModelError(["This person is no longer on the team (someone may have removed them)."])


def add_member(team: Team, name: str, role: str = "teacher") -> Member:
    """Add a person to the design team (at the end of the list)."""
    member = Member(name=_words(name, "person's name"), role=_role(role))
    team.members.append(member)
    return member


def rename_member(team: Team, member_id: str, name: str) -> None:
    find_member(team, member_id).name = _words(name, "person's name")


def set_role(team: Team, member_id: str, role: str) -> None:
    find_member(team, member_id).role = _role(role)


def remove_member(team: Team, member_id: str) -> None:
    member = find_member(team, member_id)
    team.members = [m for m in team.members if m.id != member.id]


# --------------------------------------------------------------------------- norms


def add_norm(team: Team, text: str) -> None:
    """Add a norm; one the team already has (in any capitalisation) is refused."""
    words = _words(text, "norm")
    if any(same_words(words, norm) for norm in team.norms):
        raise ModelError([f"'{words[:60]}' is already one of your norms."])
    team.norms = [*team.norms, words]


def _index_of_norm(team: Team, text: str) -> int:
    for i, norm in enumerate(team.norms):
        if norm == text:
            return i
    raise ModelError([f"The norm '{text[:60]}' was changed or removed by someone else meanwhile."])


def reword_norm(team: Team, old: str, new: str) -> None:
    """Replace the norm `old` (as the editor last saw it) by `new`."""
    words = _words(new, "norm")
    i = _index_of_norm(team, old)
    if any(same_words(words, norm) for j, norm in enumerate(team.norms) if j != i):
        raise ModelError([f"'{words[:60]}' is already one of your norms."])
    norms = list(team.norms)
    norms[i] = words
    team.norms = norms


def remove_norm(team: Team, text: str) -> None:
    i = _index_of_norm(team, text)
    team.norms = team.norms[:i] + team.norms[i + 1 :]


def move_norm(team: Team, text: str, step: int) -> bool:
    """Move a norm up (-1) or down (+1); False at either end."""
    i = _index_of_norm(team, text)
    j = i + step
    if not 0 <= j < len(team.norms):
        return False
    norms = list(team.norms)
    norms[i], norms[j] = norms[j], norms[i]
    team.norms = norms
    return True


def suggested_norms(team: Team, limit: int = 4) -> list[str]:
    """Starter norms the team does not have yet (shown as one-click suggestions)."""
    return [s for s in SUGGESTED_NORMS if not any(same_words(s, n) for n in team.norms)][:limit]


# --------------------------------------------------------------------------- role diversity


@dataclass(frozen=True)
class Nudge:
    """A suggestion, never a rule: `text` says what and why."""

    key: str
    text: str


@dataclass(frozen=True)
class RoleDiversity:
    """Which roles the team has, in the order of `ROLES`, and what is missing."""

    counts: dict[str, int]  # role -> people, every role of ROLES (0 when absent)
    size: int
    nudges: tuple[Nudge, ...]

    @property
    def present(self) -> list[str]:
        return [role for role in ROLES if self.counts[role]]

    @property
    def missing(self) -> list[str]:
        return [role for role in ROLES if not self.counts[role]]

    def summary(self) -> str:
        """'7 people in 6 roles: principal, ...' — one line for a newcomer."""
        if not self.size:
            return "No one is on the team yet."
        people = "1 person" if self.size == 1 else f"{self.size} people"
        n = len(self.present)
        roles = "1 role" if n == 1 else f"{n} roles"
        return f"{people} in {roles}: {', '.join(self.present)}."


def missing_voices(members: list[Member]) -> list[str]:
    """The names of the voices (see `VOICES`) no member brings yet."""
    present = {m.role for m in members}
    return [title for title, roles in VOICES if not present & set(roles)]


def role_diversity(members: list[Member]) -> RoleDiversity:
    """Read the team's mix of roles and say, gently, whose voice is missing."""
    tally = Counter(m.role for m in members)
    counts = {role: tally.get(role, 0) for role in ROLES}
    present = {role for role, n in counts.items() if n}
    nudges: list[Nudge] = []
    if not members:
        nudges.append(Nudge("empty", "Add the people on your design team: who leads, who teaches, "
                                     "who supports, and whose experience the problem is about."))
    else:
        if not present & TEACHER_ROLES:
            nudges.append(Nudge("teacher", "No teacher voice yet. Teachers live the problem in "
                                           "classrooms every day and will run most PDSA tests: "
                                           "invite a teacher or a teacher leader."))
        if not present & COMMUNITY_ROLES:
            nudges.append(Nudge("community", "No student or family voice yet. The teams that thrived "
                                             "brought families and students in: invite one, or plan "
                                             "empathy interviews with them in the next phase."))
        if not present & LEADER_ROLES:
            nudges.append(Nudge("leader", "No principal or assistant principal on the team. A leader "
                                          "at the table can protect meeting time and act on what "
                                          "you learn."))
        if len(members) < SMALL_TEAM:
            nudges.append(Nudge("small", "A design team is usually four to eight people, so that "
                                         "several perspectives shape the work."))
        elif len(members) > LARGE_TEAM:
            nudges.append(Nudge("large", "A large team finds it hard to decide in a short meeting; "
                                         "consider a core design team of four to eight and invite "
                                         "others to specific meetings."))
    return RoleDiversity(counts=counts, size=len(members), nudges=tuple(nudges))


# --------------------------------------------------------------------------- meeting routine

_WHEN = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(daily|weekly|biweekly|monthly|every|each)\b"
    r"|\b\d{1,2}(:\d{2})?\s*(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)
_HOW_LONG = re.compile(
    r"\b\d+\s*(min|mins|minutes|minute|h|hr|hrs|hour|hours)\b|\bhalf an hour\b|\ban hour\b"
    r"|\b\d{1,2}(:\d{2})?\s*(am|pm)?\s*(–|-|—|to|until)\s*\d{1,2}(:\d{2})?",
    re.IGNORECASE,
)
_WHERE = re.compile(
    r"\b(in|at)\s+(the\s+|room\s+|our\s+)?\w+|\b(room|library|office|classroom|cafeteria|"
    r"zoom|teams|meet|online|virtual|lounge|lab|hall)\b",
    re.IGNORECASE,
)


def routine_gaps(text: str) -> list[str]:
    """Which of when / where / how long the routine does not seem to say.

    A heuristic, so the editor phrases it as a question, never as an error."""
    text = text or ""
    if not text.strip():
        return ["when", "where", "how long"]
    gaps = []
    if not _WHEN.search(text):
        gaps.append("when")
    if not _WHERE.search(text):
        gaps.append("where")
    if not _HOW_LONG.search(text):
        gaps.append("how long")
    return gaps
