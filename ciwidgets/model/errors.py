"""Validation errors as sentences a coach understands."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

# Field names as a coach says them.
_FIELD_WORDS = {
    "by_when": "by when",
    "for_whom": "for whom",
    "stakeholder_group": "stakeholder group",
    "operational_definition": "operational definition",
    "desired_direction": "desired direction",
    "cycle_number": "cycle number",
    "school_year": "school year",
    "join_code": "join code",
    "hub_code": "hub code",
    "votes_per_member": "votes per member",
    "in_our_control": "in our control",
}
_COLLECTION_WORDS = {
    "interviews": "interview",
    "categories": "category",
    "causes": "cause",
    "steps": "step",
    "votes": "vote",
    "why_chains": "why chain",
    "whys": "why",
    "primary_drivers": "primary driver",
    "secondary_drivers": "secondary driver",
    "change_ideas": "change idea",
    "measures": "measure",
    "observations": "observation",
    "pdsa_cycles": "PDSA cycle",
    "predictions": "prediction",
    "principle_evidence": "principle note",
    "pulses": "pulse rating",
    "meeting_notes": "meeting note",
    "members": "member",
    "quotes": "quote",
    "questions": "question",
    "themes": "theme",
    "norms": "norm",
    "evidence": "evidence",
    "shared_learnings": "shared learning",
}


class ModelError(ValueError):
    """Invalid input, explained. `messages` holds one sentence per problem."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


def _where(loc: tuple[Any, ...]) -> str:
    words: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            continue
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(nxt, int) and part in _COLLECTION_WORDS:
            words.append(f"{_COLLECTION_WORDS[part]} {nxt + 1}")
        else:
            words.append(_FIELD_WORDS.get(str(part), str(part).replace("_", " ")))
    return ", ".join(words)


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "...'"


def _sentence(err: dict) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        return "is required"
    if kind == "string_too_short":
        return "needs a few words"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return f"{_shown(value)} is not a date (use YYYY-MM-DD, e.g. 2026-10-12)"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return f"{_shown(value)} is not a number"
    if kind == "finite_number":  # NaN or Infinity, which no chart or sentence can use
        return "must be a finite number"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "greater_than":
        return f"must be more than {ctx.get('gt')}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')} (not {_shown(value)})"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} is not a valid id"
    if kind == "extra_forbidden":
        return "is not something this version knows about"
    if kind in ("bool_parsing", "bool_type"):
        return f"must be yes or no (not {_shown(value)})"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return "has the wrong shape"
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    return err.get("msg", "is not valid").lower()


_PREDICATES = ("is ", "must ", "needs ", "has ")  # sentences that go on from the field's name


def explain(error: ValidationError, subject: str = "") -> ModelError:
    """Turn a pydantic error into sentences such as
    "Observation 7, date: '2026-02-31' is not a date (use YYYY-MM-DD, e.g. 2026-10-12)."""
    messages = []
    for err in error.errors():
        where = _where(tuple(err["loc"]))
        prefix = " ".join(p for p in (subject, where) if p)
        # A whole-document check reports several problems joined by "; ".
        for body in _sentence(err).split("; "):
            # "Scale is too long …", "Join code must be …"; but "Date: '2026-02-31' is not a date".
            joined = " " if body.startswith(_PREDICATES) else ": "
            sentence = f"{prefix}{joined}{body}" if prefix else body
            sentence = sentence[0].upper() + sentence[1:]
            messages.append(sentence if sentence.endswith(".") else sentence + ".")
    return ModelError(messages)


def validated(model: type[BaseModel], data: Any, subject: str = "") -> Any:
    """`model.model_validate(data)`, raising ModelError with readable sentences."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise explain(e, subject) from None
