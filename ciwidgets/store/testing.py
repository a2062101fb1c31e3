"""Helpers for tests: a fresh store holding one network, team and project."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..model import Member, Network, Project, Team
from .store import Store


def make_project_store(path: str | Path | None = None) -> tuple[Store, Team, Project]:
    """A new SQLite store (in a temp dir unless `path`) with a network, a team of
    three members and an empty project."""
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="ciwidgets-")) / "test.db"
    store = Store(path)
    network = store.create(Network(name="Test network")).doc
    team = Team(
        network_id=network.id,
        name="Fox Elementary",
        school="Fox Elementary School",
        members=[
            Member(name="Ana", role="principal"),
            Member(name="Ben", role="teacher"),
            Member(name="Cy", role="coach"),
        ],
    )
    store.create(team)
    project = store.create(Project(team_id=team.id, title="Math for all")).doc
    return store, team, project
