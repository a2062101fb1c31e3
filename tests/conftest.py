"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from ciwidgets.model import Project
from ciwidgets.session import Session
from ciwidgets.store.testing import make_project_store

pytest_plugins = ["tests.pg"]



@pytest.fixture
def project_store(tmp_path):
    """(store, team, project): a fresh SQLite store with one team and an empty project."""
    store, team, project = make_project_store(tmp_path / "test.db")
    yield store, team, project
    store.close()


@pytest.fixture
def project_session(project_store):
    """A Session on a fresh project, as one browser of the team would have."""
    store, team, project = project_store
    return Session(store, Project, project.id, author="Ana")


@pytest.fixture
def second_session(project_store):
    """Another browser of the same team on the same project."""
    store, team, project = project_store
    return Session(store, Project, project.id, author="Ben")
