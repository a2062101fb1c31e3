"""The data model of the improvement journey: plain, validated data (pydantic).

Three documents carry a revision history in the store: `Network`, `Team` and
`Project`. Everything else is an entity inside a project (`Cause`, `ChangeIdea`,
`PDSACycle`, ...) or a plain record (`Aim`, `Plan`)."""

from .base import Document, Entity, Record, new_id
from .errors import ModelError, explain, validated
from .inquiry import PDSACycle, Plan, Prediction, Suggestions
from .network import ROLES, Member, Network, SharedLearning, Team, canonical_code, new_join_code
from .project import PHASES, Project, current_school_year
from .reflect import PRINCIPLES, MeetingNote, PrincipleEvidence, Pulse
from .theory import (
    CHANGE_IDEA_STATUSES,
    FREQUENCIES,
    MEASURE_KINDS,
    Aim,
    ChangeIdea,
    DriverDiagram,
    Measure,
    Observation,
    PrimaryDriver,
    SecondaryDriver,
)
from .understand import (
    DEFAULT_CATEGORIES,
    SOURCE_KINDS,
    STAKEHOLDER_GROUPS,
    Cause,
    EmpathyInterview,
    Evidence,
    Fishbone,
    FishboneCategory,
    ProcessMap,
    ProcessStep,
    Source,
    Vote,
    WhyChain,
)

DOCUMENT_TYPES = {cls.kind: cls for cls in (Network, Team, Project)}

__all__ = [
    "CHANGE_IDEA_STATUSES", "DEFAULT_CATEGORIES", "DOCUMENT_TYPES", "FREQUENCIES",
    "MEASURE_KINDS", "PHASES", "PRINCIPLES", "ROLES", "SOURCE_KINDS", "STAKEHOLDER_GROUPS",
    "Aim", "Cause", "ChangeIdea", "Document", "DriverDiagram", "EmpathyInterview",
    "Entity", "Evidence", "Fishbone", "FishboneCategory", "Measure", "MeetingNote",
    "Member", "ModelError", "Network", "Observation", "PDSACycle", "Plan", "Prediction",
    "PrimaryDriver", "PrincipleEvidence", "ProcessMap", "ProcessStep", "Project", "Pulse", "Record",
    "SecondaryDriver", "SharedLearning", "Source", "Suggestions", "Team", "Vote", "WhyChain", "current_school_year", "explain",
    "canonical_code", "new_id", "new_join_code", "validated",
]
