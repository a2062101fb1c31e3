"""The theory of improvement for researchers: build a driver diagram from code or a
dict, read it back as nested data, and analyse it as tidy pandas tables.

```python
from ciwidgets.api.theory import driver_diagram_from_dict, change_ideas_frame
project = driver_diagram_from_dict({
    "aim": "By May 2026, at least 35% of Fox students will meet the state math standard.",
    "primary": [
        {"text": "Data-driven instruction", "secondary": [
            {"text": "Planning through coaching cycles",
             "change_ideas": ["Exit tickets as data points", "DDI meetings twice a week"]}]},
        {"text": "Teacher mindsets", "secondary": [
            {"text": "Planning through coaching cycles"}]},   # shared: one node, two links
    ],
})
change_ideas_frame(project)
```
A node that appears under several parents (same `id`, or the same words at the same
level) is one node with several links: the many-to-many diagram. The result is an
ordinary validated `Project`, so it exports to the same JSON as every other project
(`project.model_dump(mode="json")`). pandas is imported only when a frame is asked for."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ciwidgets.analysis.theory import (
    AIM_ID,
    add_change_idea,
    add_primary_driver,
    add_secondary_driver,
    display_order,
    find_orphans,
    link,
    move,
    quadrant,
    rename,
    set_links,
    unlink,
)
from ciwidgets.analysis.words import word_key
from ciwidgets.model import Aim, ChangeIdea, ModelError, Project, validated

from .frames import _frame
from .pictures import save_picture

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "add_change_idea", "add_primary_driver", "add_secondary_driver", "change_ideas_frame",
    "driver_diagram_from_dict", "driver_diagram_to_dict", "drivers_frame", "link",
    "measures_frame", "move", "rename", "sample_project", "save_driver_diagram", "save_matrix", "set_links",
    "theory_links_frame", "unlink",
]

_IDEA_FIELDS = ("status", "benefit", "effort", "cause_ids")


class _Builder:
    """Builds the diagram node by node, finding shared nodes by id or by words."""

    def __init__(self, project: Project):
        self.project = project
        self.seen: dict[tuple[str, str], Any] = {}

    def node(self, level: str, entry: Any, where: str, make):
        if isinstance(entry, str):
            entry = {"text": entry}
        if not isinstance(entry, Mapping) or not str(entry.get("text", "")).strip():
            raise ModelError([f"{where}: needs some text (a string, or a dict with 'text')."])
        node_id = entry.get("id")
        found = self.seen.get((level, f"id:{node_id}" if node_id else word_key(entry["text"])))
        if found is None:
            found = make(entry["text"])
            if node_id:
                try:
                    found.id = node_id
                except ValueError:
                    raise ModelError([f"{where}: {str(node_id)[:40]!r} is not a valid id "
                                      "(letters, digits, - and _ only)."]) from None
            self.seen[(level, "id:" + found.id)] = found
            self.seen.setdefault((level, word_key(found.text)), found)
        return found, entry


def _aim(value: Any) -> Aim:
    if value is None:
        return Aim()
    if isinstance(value, str):
        return Aim(text=value)
    if isinstance(value, Aim):
        return value
    return validated(Aim, dict(value), "Aim")


def _apply_idea_fields(idea: ChangeIdea, entry: Mapping, where: str) -> None:
    for name in _IDEA_FIELDS:
        if name not in entry:
            continue
        try:
            current = getattr(idea, name)
            fresh = ChangeIdea.model_validate({"text": idea.text, name: entry[name]})
            value = getattr(fresh, name)
        except ValidationError as e:
            raise ModelError([f"{where}: {name} {entry[name]!r} is not valid."]) from e
        if current not in (None, [], "idea") and current != value:
            raise ModelError([f"{where}: '{idea.text}' appears twice with a different {name}."])
        setattr(idea, name, value)


def driver_diagram_from_dict(data: Mapping, project: Project | None = None, *,
                             team_id: str = "t-local") -> Project:
    """A project whose aim and driver diagram come from `data` (see the module doc).

    With `project`, everything else (fishbone, measures, cycles...) is copied from it
    and its driver diagram is replaced; the original is not changed. Raises ModelError
    with one sentence per problem."""
    if not isinstance(data, Mapping):
        raise ModelError(["The driver diagram must be a dict with 'aim' and 'primary'."])
    unknown = set(data) - {"aim", "primary", "title"}
    if unknown:
        raise ModelError([f"Unknown key(s) {sorted(unknown)}: use 'aim' and 'primary'."])
    draft = project.model_copy(deep=True) if project is not None else Project(team_id=team_id)
    draft.driver_diagram.primary_drivers.clear()
    draft.driver_diagram.secondary_drivers.clear()
    draft.driver_diagram.change_ideas.clear()
    if "aim" in data:
        draft.aim = _aim(data["aim"])
    if "title" in data:
        draft.title = str(data["title"])
    builder = _Builder(draft)
    for i, p_entry in enumerate(data.get("primary") or [], start=1):
        where = f"Primary driver {i}"
        primary, p_entry = builder.node("primary", p_entry, where,
                                        lambda text: add_primary_driver(draft, text, unique=False))
        for j, s_entry in enumerate(p_entry.get("secondary") or [], start=1):
            where_s = f"{where}, secondary driver {j}"
            secondary, s_entry = builder.node("secondary", s_entry, where_s,
                                              lambda text: add_secondary_driver(draft, text, unique=False))
            link(draft, secondary.id, primary.id)
            for k, x_entry in enumerate(s_entry.get("change_ideas") or [], start=1):
                where_x = f"{where_s}, change idea {k}"
                idea, x_entry = builder.node("change idea", x_entry, where_x,
                                             lambda text: add_change_idea(draft, text, unique=False))
                link(draft, idea.id, secondary.id)
                _apply_idea_fields(idea, x_entry, where_x)
    return validated(Project, draft.model_dump(), "")


def driver_diagram_to_dict(project: Project) -> dict:
    """The aim and driver diagram as nested data that `driver_diagram_from_dict` reads
    back; a shared node appears under each parent, with its id."""
    order = display_order(project)
    aim = project.aim.model_dump(mode="json", exclude_defaults=True)

    def idea(x: ChangeIdea) -> dict:
        out = {"id": x.id, "text": x.text, "status": x.status}
        out.update({k: v for k in ("benefit", "effort") if (v := getattr(x, k)) is not None})
        if x.cause_ids:
            out["cause_ids"] = list(x.cause_ids)
        return out

    return {
        "aim": aim,
        "primary": [
            {"id": p.id, "text": p.text, "secondary": [
                {"id": s.id, "text": s.text,
                 "change_ideas": [idea(x) for x in order.change_ideas if s.id in x.secondary_ids]}
                for s in order.secondary if p.id in s.primary_ids
            ]}
            for p in order.primary
        ],
    }


def sample_project(n_primary: int = 3, n_secondary: int = 2, n_ideas: int = 2, *,
                   cross_links: bool = True) -> Project:
    """A synthetic project of a given size, for trying layouts and timing renders:
    `n_primary` primary drivers, each with `n_secondary` secondary drivers, each with
    `n_ideas` change ideas. With `cross_links`, the first secondary driver of each
    primary driver also moves the next primary driver, and the first change idea of
    each secondary driver also moves the secondary driver two further down."""
    import datetime as dt

    p = Project(team_id="t-sample", title="Reading")
    p.aim = Aim(what="read on grade level", for_whom="third graders", baseline=40, target=60, unit="%",
                by_when=dt.date(2030, 5, 31))
    primaries = [add_primary_driver(p, f"Primary driver {i} about reading instruction") for i in range(n_primary)]
    secondaries = []
    for i, primary in enumerate(primaries):
        for j in range(n_secondary):
            links = [primary.id]
            if cross_links and j == 0 and n_primary > 1:
                links.append(primaries[(i + 1) % n_primary].id)
            secondaries.append(add_secondary_driver(p, f"Secondary driver {i}.{j}", links))
    for k, secondary in enumerate(secondaries):
        for m in range(n_ideas):
            links = [secondary.id]
            if cross_links and m == 0 and len(secondaries) > 2:
                links.append(secondaries[(k + 2) % len(secondaries)].id)
            add_change_idea(p, f"Change idea {k}.{m}: a small test of a change", links)
    return p


# --------------------------------------------------------------------------- pictures


def save_driver_diagram(project: Project, path: str | Path, *, school: str = "") -> Path:
    """Write the driver diagram to `path`: SVG or PNG, chosen by the file's suffix."""
    from ciwidgets.render.driver import driver_diagram_svg

    return save_picture(driver_diagram_svg(project, school=school), path, "driver diagram")


def save_matrix(project: Project, path: str | Path) -> Path:
    """Write the benefit-effort matrix to `path`: SVG or PNG, chosen by the file's suffix."""
    from ciwidgets.render.matrix import matrix_svg

    return save_picture(matrix_svg(project), path, "matrix")


# --------------------------------------------------------------------------- frames


def drivers_frame(project: Project) -> pd.DataFrame:
    """One row per driver: `driver_id`, `level` ('primary'/'secondary'), `text`,
    `position` (display order, 1-based within its level), `n_parents`,
    `n_change_ideas` (reachable below it), `loose` (a loose end)."""
    order = display_order(project)
    loose = {o.node_id for o in find_orphans(project)}
    ideas_below = {s.id: [x.id for x in order.change_ideas if s.id in x.secondary_ids] for s in order.secondary}
    rows = []
    for i, p in enumerate(order.primary, start=1):
        below = {x for s in order.secondary if p.id in s.primary_ids for x in ideas_below[s.id]}
        rows.append(dict(driver_id=p.id, level="primary", text=p.text, position=i, n_parents=1,
                         n_change_ideas=len(below), loose=p.id in loose))
    for i, s in enumerate(order.secondary, start=1):
        rows.append(dict(driver_id=s.id, level="secondary", text=s.text, position=i,
                         n_parents=len(s.primary_ids), n_change_ideas=len(ideas_below[s.id]),
                         loose=s.id in loose))
    return _frame(project, rows, ["driver_id", "level", "text", "position", "n_parents", "n_change_ideas",
                                  "loose"])


def change_ideas_frame(project: Project) -> pd.DataFrame:
    """One row per change idea: `change_idea_id`, `text`, `status`, `benefit`, `effort`,
    `quadrant`, `n_pdsa_cycles`, `n_secondary_drivers`, `n_causes`, `position`, `loose`."""
    loose = {o.node_id for o in find_orphans(project)}
    rows = []
    for i, x in enumerate(display_order(project).change_ideas, start=1):
        q = quadrant(x.benefit, x.effort)
        rows.append(dict(
            change_idea_id=x.id, text=x.text, status=x.status, benefit=x.benefit, effort=x.effort,
            quadrant=q.key if q else None, n_pdsa_cycles=len(project.cycles_of(x.id)),
            n_secondary_drivers=len(x.secondary_ids), n_causes=len(x.cause_ids), position=i,
            loose=x.id in loose,
        ))
    df = _frame(project, rows, ["change_idea_id", "text", "status", "benefit", "effort", "quadrant",
                       "n_pdsa_cycles", "n_secondary_drivers", "n_causes", "position", "loose"])
    for col in ("benefit", "effort"):
        df[col] = df[col].astype("Int64")
    return df


def measures_frame(project: Project) -> pd.DataFrame:
    """One row per measure, every field but the run-chart settings, plus
    `n_observations`, `follows_aim` and `n_links` (see `theory_links_frame`)."""
    rows = []
    for m in project.measures:
        rows.append(dict(
            measure_id=m.id, name=m.name, kind=m.kind, operational_definition=m.operational_definition,
            unit=m.unit, frequency=m.frequency, data_source=m.data_source, target=m.target,
            desired_direction=m.desired_direction, n_observations=len(project.observations_of(m.id)),
            follows_aim=AIM_ID in m.linked_ids, n_links=len(m.linked_ids),
        ))
    return _frame(project, rows, ["measure_id", "name", "kind", "operational_definition", "unit",
                                  "frequency", "data_source", "target", "desired_direction",
                                  "n_observations", "follows_aim", "n_links"])


def theory_links_frame(project: Project) -> pd.DataFrame:
    """One row per link of the theory: `from_id`, `from_kind`, `relation`, `to_id`,
    `to_kind`. Join `from_id`/`to_id` with the ids of the other frames."""
    dd = project.driver_diagram
    kinds = {AIM_ID: "aim"}
    kinds.update({p.id: "primary driver" for p in dd.primary_drivers})
    kinds.update({s.id: "secondary driver" for s in dd.secondary_drivers})
    kinds.update({x.id: "change idea" for x in dd.change_ideas})
    kinds.update({c.id: "cause" for c in project.fishbone.causes})
    rows = [dict(from_id=p.id, from_kind="primary driver", relation="moves", to_id=AIM_ID, to_kind="aim")
            for p in dd.primary_drivers]
    rows += [dict(from_id=s.id, from_kind="secondary driver", relation="moves", to_id=pid,
                  to_kind="primary driver") for s in dd.secondary_drivers for pid in s.primary_ids]
    rows += [dict(from_id=x.id, from_kind="change idea", relation="moves", to_id=sid,
                  to_kind="secondary driver") for x in dd.change_ideas for sid in x.secondary_ids]
    rows += [dict(from_id=x.id, from_kind="change idea", relation="addresses", to_id=cid, to_kind="cause")
             for x in dd.change_ideas for cid in x.cause_ids]
    rows += [dict(from_id=m.id, from_kind="measure", relation="follows", to_id=t,
                  to_kind=kinds.get(t, "unknown")) for m in project.measures for t in m.linked_ids]
    return _frame(project, rows, ["from_id", "from_kind", "relation", "to_id", "to_kind"])

