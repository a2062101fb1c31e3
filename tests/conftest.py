"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from ciwidgets.demo import build_demo
from ciwidgets.model import Network, Project
from ciwidgets.session import Session
from ciwidgets.store import Store
from ciwidgets.store.testing import make_project_store

pytest_plugins = ["tests.pg"]


@pytest.fixture(autouse=True)
def answers_without_a_pause(monkeypatch):
    """Tests answer a question ('Really delete?') the moment it is asked; a person must
    wait a moment (`ANSWER_PAUSE_S`), and the tests of that put the pause back."""
    monkeypatch.setattr("ciwidgets.widgets.common.ANSWER_PAUSE_S", 0)


@pytest.fixture
def clock(monkeypatch):
    """A person's pace: a question waits for its answer (`ANSWER_PAUSE_S`); `clock.wait()` lets it pass."""
    now = [1000.0]
    monkeypatch.setattr("ciwidgets.widgets.common.ANSWER_PAUSE_S", 0.5)
    monkeypatch.setattr("ciwidgets.widgets.common.time.monotonic", lambda: now[0])

    class Clock:
        @staticmethod
        def wait(seconds: float = 1.0) -> None:
            now[0] += seconds

    return Clock



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
def session(project_session):
    """The browser a test works in (`project_session`, by its short name)."""
    return project_session


@pytest.fixture
def second_session(project_store):
    """Another browser of the same team on the same project."""
    store, team, project = project_store
    return Session(store, Project, project.id, author="Ben")


def _demo_network(path: Path, request) -> tuple[Store, Network, dict]:
    """The demo network built in a new store as on the test module's TODAY (today's
    date when it has none, as the app does): (store, the network as loaded back,
    {first word of a team's name: team})."""
    store = Store(path)
    network = build_demo(store, today=getattr(request.module, "TODAY", None))
    teams = {t.name.split()[0]: t for t in store.teams(network.id)}
    return store, store.load(Network, network.id)[0], teams


@pytest.fixture(scope="module")
def demo_network(request, tmp_path_factory):
    """The demo network, built once for a test module whose tests only read it."""
    store, network, teams = _demo_network(tmp_path_factory.mktemp("demo") / "demo.db", request)
    yield store, network, teams
    store.close()


@pytest.fixture
def fresh_demo_network(request, tmp_path):
    """The demo network built anew for one test, which may change it."""
    store, network, teams = _demo_network(tmp_path / "demo.db", request)
    yield store, network, teams
    store.close()
