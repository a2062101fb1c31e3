"""The one project format: a versioned JSON document for a project or a network.

```
{"format": "ciwidgets", "version": 1, "kind": "project",
 "team": {...Team...}, "project": {...Project...}}
{"format": "ciwidgets", "version": 1, "kind": "network",
 "network": {...}, "teams": [{"team": {...}, "projects": [{...}, ...]}, ...]}
```
Keys are sorted and the text is indented by two spaces, so export → import →
export gives the same bytes. The JSON Schema is `ciwidgets/schema/ciwidgets-v1.json`
(regenerate with `ciwidgets schema`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..model import Document, Network, Project, Team, validated
from ..model.errors import ModelError
from .store import NotFound, Store, StoreError

FORMAT = "ciwidgets"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024  # a network with years of weekly data is a few MB
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / f"ciwidgets-v{VERSION}.json"


class TeamWork(BaseModel):
    model_config = ConfigDict(extra="forbid")
    team: Team
    projects: list[Project]


class ProjectFile(BaseModel):
    """A project with its team."""

    model_config = ConfigDict(extra="forbid", title="ciwidgets project")
    format: Literal["ciwidgets"] = FORMAT
    version: Literal[1] = VERSION
    kind: Literal["project"] = "project"
    team: Team
    project: Project


class NetworkFile(BaseModel):
    """A whole network: its teams and their projects."""

    model_config = ConfigDict(extra="forbid", title="ciwidgets network")
    format: Literal["ciwidgets"] = FORMAT
    version: Literal[1] = VERSION
    kind: Literal["network"] = "network"
    network: Network
    teams: list[TeamWork]


def dumps(document: BaseModel) -> str:
    """Canonical text of an export: sorted keys, two-space indent, final newline."""
    return json.dumps(document.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def export_project(store: Store, project_id: str) -> str:
    project, _ = store.load(Project, project_id)
    team, _ = store.load(Team, project.team_id)
    return dumps(ProjectFile(team=team, project=project))


def export_network(store: Store, network_id: str) -> str:
    network, _ = store.load(Network, network_id)
    teams = [TeamWork(team=t, projects=store.projects(t.id)) for t in store.teams(network_id)]
    return dumps(NetworkFile(network=network, teams=teams))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of both file kinds (a `oneOf`)."""
    project = ProjectFile.model_json_schema(ref_template="#/$defs/{model}")
    network = NetworkFile.model_json_schema(ref_template="#/$defs/{model}")
    defs = {**project.pop("$defs", {}), **network.pop("$defs", {})}
    defs["ProjectFile"], defs["NetworkFile"] = project, network
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ciwidgets.org/schema/ciwidgets-v{VERSION}.json",
        "title": f"ciwidgets export, version {VERSION}",
        "oneOf": [{"$ref": "#/$defs/ProjectFile"}, {"$ref": "#/$defs/NetworkFile"}],
        "$defs": defs,
    }


def parse(text: str | bytes) -> ProjectFile | NetworkFile:
    """Check a file completely before anything touches the store.

    Raises ModelError with sentences a coach understands."""
    size = len(text)
    if size > MAX_BYTES:
        raise ModelError([f"The file is {size / 1e6:.1f} MB; a ciwidgets file is at most {MAX_BYTES // 2**20} MB."])
    if not text.strip():
        raise ModelError(["The file is empty: choose a .json file exported from ciwidgets."])
    try:
        data = json.loads(text)
    except RecursionError:  # thousands of nested brackets: no ciwidgets file is shaped so
        raise ModelError(["The file is nested too deeply to be a ciwidgets file."]) from None
    except UnicodeDecodeError:
        raise ModelError(["The file is not text: choose a .json file exported from ciwidgets."]) from None
    except json.JSONDecodeError as e:
        raise ModelError([f"The file is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})."]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(["This is not a ciwidgets file (it has no \"format\": \"ciwidgets\")."])
    if data.get("version") != VERSION:
        raise ModelError(
            [f"This file is of format version {data.get('version')!r}; this ciwidgets reads version {VERSION}."]
        )
    kinds = {"project": ProjectFile, "network": NetworkFile}
    if not isinstance(data.get("kind"), str) or data["kind"] not in kinds:
        raise ModelError([f"The file's kind must be 'project' or 'network' (not {data.get('kind')!r})."])
    parsed = validated(kinds[data["kind"]], data)
    _check_belonging(parsed)
    return parsed


def _check_belonging(parsed: ProjectFile | NetworkFile) -> None:
    if isinstance(parsed, ProjectFile):
        if parsed.project.team_id != parsed.team.id:
            raise ModelError(["The project does not belong to the team in the file."])
        return
    for work in parsed.teams:
        if work.team.network_id != parsed.network.id:
            raise ModelError([f"The team '{work.team.name}' does not belong to the network in the file."])
        for p in work.projects:
            if p.team_id != work.team.id:
                raise ModelError([f"A project of '{work.team.name}' names another team."])


def import_file(store: Store, text: str | bytes, author: str = "import", *,
                replace: bool = False) -> ProjectFile | NetworkFile:
    """Import an exported project or network: new documents are created; one already
    stored and different is refused unless `replace`, then gets the imported version as
    a new revision (the stored one stays in its history), keeping the codes it has here.
    All or nothing: on any error the store is exactly as it was."""
    parsed = parse(text)
    if isinstance(parsed, ProjectFile):
        try:
            store.load(Network, parsed.team.network_id)
        except NotFound:
            raise StoreError(
                f"The team '{parsed.team.name}' belongs to a network that is not in this store: "
                "import the network's file first."
            ) from None
        docs = [parsed.team, parsed.project]
    else:
        docs = [parsed.network] + [d for w in parsed.teams for d in (w.team, *w.projects)]
    store.put_all(_to_write(store, docs, replace), author=author, message="imported")
    return parsed


def _to_write(store: Store, docs: list[Document], replace: bool) -> list[Document]:
    """What an import writes: new documents, and (with `replace`) the stored ones it
    changes, with the codes they have here (an old file must not bring back a code
    given up since). Refuses to change stored work unless `replace`."""
    writes, replaced = [], []
    for doc in docs:
        try:
            stored = store.load(type(doc), doc.id)[0]
        except NotFound:
            writes.append(doc)
            continue
        codes = {k: getattr(stored, k) for k in ("join_code", "hub_code") if hasattr(stored, k)}
        doc = doc.model_copy(update=codes)
        if doc != stored:
            writes.append(doc)
            replaced.append(_named(doc))
    if replaced and not replace:
        raise StoreError(
            f"This file holds another version of {', '.join(replaced[:3])}"
            f"{f' and {len(replaced) - 3} more' if len(replaced) > 3 else ''}, already stored here: nothing "
            "was imported. To replace what is stored with the file's version, import it with --replace "
            "(what is stored now stays in the history)."
        )
    return writes


def _named(doc: Document) -> str:
    name = getattr(doc, "name", None) or getattr(doc, "title", "")
    return f"the {doc.kind} '{name}'" if name else f"a {doc.kind} ({doc.id})"
