"""Root-cause analysis for researchers: build a fishbone from code or a dict, draw it,
and read its causes and votes as tidy pandas tables.

```python
from ciwidgets.api.rootcause import fishbone_from_dict, causes_frame, save_fishbone
project = fishbone_from_dict({
    "problem": "Only 17% of our students meet the state math standard",
    "categories": {
        "Students": [
            "Many students are new to the school mid-year",
            {"text": "Math vocabulary is a barrier", "in_our_control": True,
             "subcauses": ["Word problems are dense"]},
        ],
        "Teachers & instruction": [{"text": "Lessons are not planned from the standards",
                                    "evidence": [{"kind": "quote", "text": "I plan from the book"}]}],
    },
    "votes": {"Ms. Chen": ["Math vocabulary is a barrier"]},   # by cause text or id
})
save_fishbone(project, "fishbone.png")       # or .svg; save_process_map(project, ...) likewise
causes_frame(project)                          # one row per cause
```
`categories` lists the bones in order (leave it out for the seven school categories).
A cause is a string or a dict with `text` and optionally `id`, `in_our_control`,
`evidence` and `subcauses`. The result is an ordinary validated `Project`.
Problems are reported as `ModelError` sentences. pandas is imported only when a
table is asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ciwidgets.analysis.rootcause import (
    add_cause,
    cause_rows,
    cause_trees,
    move_cause,
    place_vote,
    promote_why,
    stakeholder_coverage,
    tally,
    top_causes,
)
from ciwidgets.model import (
    Cause,
    Evidence,
    Fishbone,
    FishboneCategory,
    ModelError,
    ProcessMap,
    Project,
    explain,
)
from ciwidgets.render.fishbone import fishbone_png, fishbone_svg, layout_fishbone
from ciwidgets.render.process import process_map_svg

from .frames import tidy
from .pictures import save_picture

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "add_cause", "causes_frame", "fishbone_from_dict", "fishbone_png", "fishbone_svg",
    "fishbone_to_dict", "layout_fishbone", "move_cause", "place_vote", "process_map_svg", "promote_why",
    "save_fishbone", "save_process_map", "stakeholder_coverage", "tally", "top_causes", "votes_frame",
]

_TOP_KEYS = {"problem", "categories", "votes", "votes_per_member", "title"}
_CAUSE_KEYS = {"text", "id", "in_our_control", "evidence", "subcauses"}


def fishbone_from_dict(data: Mapping, project: Project | None = None, *,
                       team_id: str = "t-local") -> Project:
    """A project whose fishbone comes from `data` (see the module doc).

    With `project`, everything else is copied from it and its fishbone replaced; the
    original is not changed. Raises ModelError with one sentence per problem."""
    if not isinstance(data, Mapping):
        raise ModelError(["The fishbone must be a dict with 'problem' and 'categories'."])
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ModelError([f"Unknown key(s) {sorted(map(str, unknown))}: use "
                          f"{', '.join(sorted(_TOP_KEYS))}."])
    draft = project.model_copy(deep=True) if project is not None else Project(team_id=team_id)
    draft.fishbone = Fishbone()
    fb = draft.fishbone
    _set(fb, "problem", data.get("problem", ""), "Problem")
    if "title" in data:
        _set(draft, "title", data["title"], "Title")
    if "votes_per_member" in data:
        _set(fb, "votes_per_member", data["votes_per_member"], "Votes per member")
    if "categories" in data:
        fb.categories = [_category(name, i) for i, name in enumerate(_category_entries(data["categories"]))]
        for name, entries in _category_entries(data["categories"]).items():
            category_id = next(c.id for c in fb.categories if c.name == name.strip())
            for j, entry in enumerate(_as_list(entries, f"Category '{name}'"), start=1):
                _add(draft, category_id, None, entry, f"Category '{name}', cause {j}")
    _votes(draft, data.get("votes") or {})
    try:
        return Project.model_validate(draft.model_dump())
    except ValidationError as e:
        raise explain(e) from None


def _set(obj: Any, name: str, value: Any, where: str) -> None:
    try:
        setattr(obj, name, value)
    except ValidationError as e:
        raise explain(e, where) from None


def _category_entries(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        out: dict[str, Any] = {}
        for i, entry in enumerate(value, start=1):
            if isinstance(entry, str):
                out[entry] = []
            elif isinstance(entry, Mapping) and "name" in entry:
                out[str(entry["name"])] = entry.get("causes") or []
            else:
                raise ModelError([f"Category {i}: give a name, or a dict with 'name' and 'causes'."])
        return out
    raise ModelError(["'categories' must map each category name to its causes."])


def _category(name: str, index: int) -> FishboneCategory:
    if not name.strip():
        raise ModelError([f"Category {index + 1} needs a name."])
    try:
        return FishboneCategory(name=name)
    except ValidationError as e:
        raise explain(e, f"Category {index + 1}") from None


def _as_list(value: Any, where: str) -> list:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    if isinstance(value, Sequence):
        return list(value)
    raise ModelError([f"{where}: list the causes (strings or dicts with 'text')."])


def _add(project: Project, category_id: str, parent_id: str | None, entry: Any, where: str) -> Cause:
    if isinstance(entry, str):
        entry = {"text": entry}
    unknown = set(entry) - _CAUSE_KEYS if isinstance(entry, Mapping) else set()
    if unknown:  # named first: {'txt': ...} is a typo, not a cause without words
        raise ModelError([f"{where}: unknown key(s) {sorted(map(str, unknown))}; use "
                          f"{', '.join(sorted(_CAUSE_KEYS))}."])
    if not isinstance(entry, Mapping) or not str(entry.get("text", "")).strip():
        raise ModelError([f"{where}: needs some text (a string, or a dict with 'text')."])
    try:
        given_id = {"id": entry["id"]} if entry.get("id") is not None else {}  # else a new one
        cause = Cause(category_id=category_id, parent_id=parent_id, text=entry["text"],
                      in_our_control=entry.get("in_our_control"), **given_id,
                      evidence=[_evidence(e) for e in _as_list(entry.get("evidence"), where)])
    except ValidationError as e:
        raise explain(e, where) from None
    project.fishbone.causes.append(cause)
    for k, sub in enumerate(_as_list(entry.get("subcauses"), where), start=1):
        _add(project, category_id, cause.id, sub, f"{where}, sub-cause {k}")
    return cause


def _evidence(value: Any) -> Evidence:
    if isinstance(value, str):
        return Evidence(kind="note", text=value)
    return Evidence.model_validate(value)


def _votes(project: Project, votes: Mapping) -> None:
    if not isinstance(votes, Mapping):
        raise ModelError(["'votes' must map each member's name to the causes they voted for."])
    fb = project.fishbone
    for voter, picks in votes.items():
        for pick in _as_list(picks, f"Votes of {voter}"):
            matches = [c for c in fb.causes if pick in (c.id, c.text)]
            if len(matches) != 1:
                problem = "no cause" if not matches else "more than one cause"
                raise ModelError([f"Votes of {voter}: '{pick}' matches {problem}; use the cause's id."])
            place_vote(fb, str(voter), matches[0].id)


def fishbone_to_dict(project: Project | Fishbone) -> dict:
    """The fishbone as the dict `fishbone_from_dict` reads (ids kept, so it round-trips)."""
    fb = getattr(project, "fishbone", project)

    def entry(cause: Cause, subs: list[dict]) -> dict:
        out: dict[str, Any] = {"id": cause.id, "text": cause.text}
        if cause.in_our_control is not None:
            out["in_our_control"] = cause.in_our_control
        if cause.evidence:
            out["evidence"] = [e.model_dump(exclude_none=True) for e in cause.evidence]
        if subs:
            out["subcauses"] = subs
        return out

    categories: dict[str, list[dict]] = {}
    trees = cause_trees(fb)
    for category in fb.categories:
        stack: list[tuple[int, dict]] = []
        roots: list[dict] = []
        for node in trees[category.id]:
            item = entry(node.cause, [])
            while stack and stack[-1][0] >= node.depth:
                stack.pop()
            if stack:
                stack[-1][1].setdefault("subcauses", []).append(item)
            else:
                roots.append(item)
            stack.append((node.depth, item))
        categories[category.name] = roots
    votes: dict[str, list[str]] = {}
    for vote in fb.votes:
        votes.setdefault(vote.voter, []).append(vote.cause_id)
    return {"problem": fb.problem, "categories": categories, "votes": votes,
            "votes_per_member": fb.votes_per_member}


def save_fishbone(project: Project | Fishbone, path: str | Path, *, highlight_top: int = 3,
                  title: str | None = None) -> Path:
    """Write the fishbone to `path`: SVG or PNG, chosen by the file's suffix."""
    return save_picture(fishbone_svg(project, highlight_top=highlight_top, title=title), path, "fishbone")


def save_process_map(project: Project | ProcessMap, path: str | Path) -> Path:
    """Write the process map to `path`: SVG or PNG, chosen by the file's suffix."""
    return save_picture(process_map_svg(getattr(project, "process_map", project)), path, "process map")


def causes_frame(project: Project | Fishbone, *, highlight_top: int = 3) -> pd.DataFrame:
    """One row per cause in reading order: category, text, depth, parent, 'in our
    control', votes, rank, top, voters and evidence (with `project_id` for a project)."""
    import pandas as pd

    fb = getattr(project, "fishbone", project)
    columns = ["cause_id", "category", "text", "depth", "parent_id", "parent_text",
               "in_our_control", "votes", "rank", "top", "voters", "evidence_count", "evidence"]
    df = pd.DataFrame(cause_rows(fb, highlight_top), columns=columns)
    return tidy(df, project if isinstance(project, Project) else None)


def votes_frame(project: Project | Fishbone) -> pd.DataFrame:
    """One row per dot: who voted for which cause."""
    import pandas as pd

    fb = getattr(project, "fishbone", project)
    texts = {c.id: c.text for c in fb.causes}
    rows = [{"vote_id": v.id, "voter": v.voter, "cause_id": v.cause_id, "cause": texts[v.cause_id]}
            for v in fb.votes if v.cause_id in texts]
    df = pd.DataFrame(rows, columns=["vote_id", "voter", "cause_id", "cause"])
    return tidy(df, project if isinstance(project, Project) else None)
