"""Three-way merge of documents at the level of entities.

Two people of one team edit the same project from two browsers. When a save is
based on a revision that is no longer the newest, we compare three versions:
the base both started from, mine and theirs. A document is seen as a set of
*atoms*: the plain fields of each entity (a cause, a PDSA cycle, its plan, the
aim) keyed by its path. Atoms changed on one side only are taken from that side;
an atom changed differently on both sides is a conflict, reported with both
versions. New entities from both sides are kept, in a sensible order.

Pure functions over pydantic models; no I/O."""

from __future__ import annotations

import datetime as dt
import functools
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from ..model import Document, Entity
from ..model.errors import _COLLECTION_WORDS, explain

Path = tuple[str, ...]


@dataclass
class Flat:
    atoms: dict[Path, dict[str, Any]] = field(default_factory=dict)
    orders: dict[Path, list[str]] = field(default_factory=dict)
    parents: dict[Path, Path] = field(default_factory=dict)  # atom -> enclosing atom


@dataclass(frozen=True)
class Clash:
    """One entity both sides changed: what each side made of it (None = deleted)."""

    path: Path
    label: str
    mine: dict[str, Any] | None
    theirs: dict[str, Any] | None


class MergeConflict(Exception):
    """The two versions cannot be combined safely; `clashes` says where."""

    def __init__(self, clashes: list[Clash], reason: str = ""):
        self.clashes = clashes
        self.reason = reason
        names = ", ".join(c.label for c in clashes)
        super().__init__(reason or f"Both versions changed {names}.")


@functools.cache
def _shape(cls: type[BaseModel]) -> dict[str, str]:
    """For each field of `cls`: 'entities' (a list of entities), 'record'
    (a nested model) or 'value' (anything else)."""
    shape = {}
    for name, info in cls.model_fields.items():
        ann = info.annotation
        args = typing.get_args(ann)
        if typing.get_origin(ann) is list and args and _is_model(args[0], Entity):
            shape[name] = "entities"
        elif _is_model(ann, BaseModel):
            shape[name] = "record"
        else:
            shape[name] = "value"
    return shape


def _is_model(ann: Any, base: type) -> bool:
    return isinstance(ann, type) and issubclass(ann, base)


def flatten(model: BaseModel) -> Flat:
    """The atoms of a document, the order of each entity list, and who encloses whom."""
    flat = Flat()
    _flatten(model, (), flat)
    return flat


def _flatten(model: BaseModel, path: Path, flat: Flat) -> None:
    atom: dict[str, Any] = {}
    for name, kind in _shape(type(model)).items():
        value = getattr(model, name)
        if kind == "entities":
            flat.orders[path + (name,)] = [item.id for item in value]
            for item in value:
                flat.parents[path + (name, item.id)] = path
                _flatten(item, path + (name, item.id), flat)
        elif kind == "record":
            flat.parents[path + (name,)] = path
            _flatten(value, path + (name,), flat)
        else:
            atom[name] = model.__pydantic_serializer__.to_python(model, mode="json", include={name})[name]
    flat.atoms[path] = atom


def _build(flat: Flat, path: Path, cls: type[BaseModel]) -> dict[str, Any]:
    data = dict(flat.atoms[path])
    for name, kind in _shape(cls).items():
        ann = cls.model_fields[name].annotation
        if kind == "entities":
            item_cls = typing.get_args(ann)[0]
            data[name] = [
                _build(flat, path + (name, i), item_cls)
                for i in flat.orders.get(path + (name,), [])
                if path + (name, i) in flat.atoms
            ]
        elif kind == "record" and path + (name,) in flat.atoms:
            data[name] = _build(flat, path + (name,), ann)
    return data


def _label(path: Path, atom: dict[str, Any] | None, is_entity: bool, kind: str) -> str:
    if not path:
        return f"the {kind}'s details"
    if not is_entity:  # a record such as ('aim',) or ('pdsa_cycles', id, 'plan')
        return "the " + path[-1].replace("_", " ")
    noun = _COLLECTION_WORDS.get(path[-2], path[-2].rstrip("s"))
    atom = atom or {}
    for key in ("text", "name", "title", "start", "voter"):
        if atom.get(key):
            text = str(atom[key])
            return f"the {noun} '{text[:40]}{'…' if len(text) > 40 else ''}'"
    if "cycle_number" in atom:
        return f"{noun} {atom['cycle_number']}"
    if atom.get("date"):
        return f"the {noun} of {_day(atom['date'])}"
    return f"a {noun}"


def _day(value: object) -> str:
    """A stored date as people read it elsewhere in the app: '23 Mar 2026'."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%b %Y}"


def _merge_order(base: list[str], mine: list[str], theirs: list[str], keep: set[str]) -> list[str]:
    """Theirs' order, with my new (or kept) items placed after the item they follow in
    mine; if only I reordered the shared items, my order of them wins."""
    common_b = [i for i in base if i in mine and i in theirs]
    common_m = [i for i in mine if i in base and i in theirs]
    common_t = [i for i in theirs if i in base and i in mine]
    order = list(theirs)
    if common_m != common_b and common_t == common_b:
        slots = iter(common_m)
        order = [next(slots) if i in common_b else i for i in theirs]
    for pos, item in enumerate(mine):
        if item in order or item not in keep:  # (an item of the base they deleted is kept only by Keep mine)
            continue
        prev = next((p for p in reversed(mine[:pos]) if p in order), None)
        after = next((p for p in mine[pos + 1 :] if p in order), None)
        if prev is not None:
            at = order.index(prev) + 1
            while at < len(order) and order[at] not in base and order[at] not in mine:
                at += 1  # what they added there first stays first
            order.insert(at, item)
        elif after is not None:
            order.insert(order.index(after), item)
        else:
            order.append(item)
    return [i for i in order if i in keep]


def merge(base: Document, mine: Document, theirs: Document, *, prefer_mine: bool = False) -> Document:
    """The combination of my changes (base→mine) and theirs (base→theirs).

    Raises MergeConflict when both changed (or one deleted) the same entity
    differently, or when the combination would be invalid (I added a cause to a
    category they deleted).

    `prefer_mine` is 'Keep mine' after such a conflict: where both changed the same
    entity, mine wins, and what they deleted that my version still needs comes back;
    everything else they changed stays theirs."""
    fb, fm, ft = flatten(base), flatten(mine), flatten(theirs)
    parents = {**fb.parents, **fm.parents, **ft.parents}
    out = Flat(atoms=dict(ft.atoms), orders={}, parents=parents)
    clashes, kept = [], set()
    for path in fb.atoms.keys() | fm.atoms.keys() | ft.atoms.keys():
        b, m, t = fb.atoms.get(path), fm.atoms.get(path), ft.atoms.get(path)
        if m == b or m == t:
            continue
        both = _fields_merged(b, m, t)
        if t == b or both is not None or prefer_mine:
            if m is None:
                out.atoms.pop(path, None)
            else:
                out.atoms[path] = m if both is None else both
                if t is None:  # they deleted it; Keep mine brings it back
                    kept.add(path)
        else:
            is_entity = path[:-1] in {**fb.orders, **fm.orders, **ft.orders}
            clashes.append(Clash(path, _label(path, b or m or t, is_entity, theirs.kind), m, t))
    if clashes:
        raise MergeConflict(sorted(clashes, key=lambda c: c.path))
    _keep_enclosed(out, fm, ft, kept)
    try:
        return _combined(out, fb, fm, ft, type(theirs))
    except MergeConflict:
        if not prefer_mine:
            raise
    # Mine needs something they deleted (a sub-cause of the cause they removed): keep
    # what my version still has of it.
    for path, atom in fm.atoms.items():
        if path in fb.atoms and path not in ft.atoms:
            out.atoms[path] = atom
    return _combined(out, fb, fm, ft, type(theirs))


def _fields_merged(b: dict | None, m: dict | None, t: dict | None) -> dict | None:
    """One entity both changed, in different fields (who ran a PDSA and where): both
    changes. None when a field changed on both sides, or one side deleted it."""
    if b is None or m is None or t is None:
        return None
    mine = {k for k in m.keys() | b.keys() if m.get(k) != b.get(k)}
    theirs = {k for k in t.keys() | b.keys() if t.get(k) != b.get(k)}
    if mine & theirs:
        return None
    return {**t, **{k: m[k] for k in mine if k in m}}


def _keep_enclosed(out: Flat, fm: Flat, ft: Flat, kept: set[Path]) -> None:
    """What Keep mine brings back of an entity they deleted, it brings back whole: a PDSA
    cycle with its plan and predictions, not only the field that was edited."""
    if not kept:
        return
    for path, atom in fm.atoms.items():
        if path in out.atoms or path in ft.atoms:
            continue
        parent = out.parents.get(path)
        while parent is not None and parent not in kept:
            parent = out.parents.get(parent) if parent else None
        if parent is not None:
            out.atoms[path] = atom


def _combined(out: Flat, fb: Flat, fm: Flat, ft: Flat, cls: type[Document]) -> Document:
    """`out`'s atoms as a document, in the merged order (MergeConflict if invalid)."""
    out = Flat(atoms=dict(out.atoms), orders={}, parents=out.parents)
    _drop_orphans(out)
    for key in fm.orders.keys() | ft.orders.keys():
        present = {p[-1] for p in out.atoms if p[:-1] == key}
        out.orders[key] = _merge_order(
            fb.orders.get(key, []), fm.orders.get(key, []), ft.orders.get(key, []), present
        )
    data = _build(out, (), cls)
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        reason = " ".join(explain(e).messages)
        raise MergeConflict([], f"The two versions do not fit together: {reason}") from None


def _drop_orphans(flat: Flat) -> None:
    """An entity deleted on one side takes what it encloses (a cycle's plan) with it."""
    for path in sorted(flat.atoms, key=len):
        parent = flat.parents.get(path)
        if path and parent not in flat.atoms:
            del flat.atoms[path]
