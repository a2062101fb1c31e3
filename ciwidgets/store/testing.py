"""Helpers for tests: a fresh store holding one network, team and project; a full disk."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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


class _FullDisk:
    """A SQLite connection whose COMMIT fails as it does on a full disk."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def execute(self, sql: str, *params):
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self.connection.execute(sql, *params)

    def __getattr__(self, name: str):
        return getattr(self.connection, name)


@contextmanager
def full_disk(store: Store) -> Iterator[None]:
    """Inside, every write to this SQLite store fails as on a full disk."""
    working = store.db._connection
    store.db._connection = _FullDisk(working)
    try:
        yield
    finally:
        store.db._connection = working
