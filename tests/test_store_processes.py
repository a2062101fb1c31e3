"""Several OS processes (one Voila kernel per browser) writing one store at once."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ciwidgets.model import Cause, Project
from ciwidgets.store import Store

WORKER = Path(__file__).with_name("store_worker.py")
ROOT = WORKER.parent.parent


def worker(*args, **popen):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(WORKER), *map(str, args)], stdout=subprocess.PIPE,
                            text=True, env=env, **popen)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, project_store, tmp_path):
    """A store location holding one project with two causes, as (location, project id, cause ids)."""
    if request.param == "sqlite":
        store, _, project = project_store
        location = store.url
    else:
        from ciwidgets.store.testing import make_project_store

        location = request.getfixturevalue("fresh_postgres_url")
        store, _, project = make_project_store(location)
    category = project.fishbone.categories[0].id
    project.fishbone.causes += [Cause(category_id=category, text="one"), Cause(category_id=category, text="two")]
    store.overwrite(project)
    yield location, project.id, [c.id for c in project.fishbone.causes]
    store.close()


def run_pair(location, project_id, edits, tmp_path):
    go = tmp_path / "go"
    procs = [worker("edit", location, project_id, 2, cause, text, go) for cause, text in edits]
    go.touch()
    return sorted(p.communicate(timeout=120)[0].strip() for p in procs)


def causes(location, project_id):
    return [c.text for c in Store(location).load(Project, project_id)[0].fishbone.causes]


def test_two_processes_editing_the_same_cause_one_wins_one_is_told(db, tmp_path):
    location, project_id, (first, _) = db
    outcomes = run_pair(location, project_id, [(first, "Ana's words"), (first, "Ben's words")], tmp_path)
    assert outcomes == ["conflict", "saved"]
    texts = causes(location, project_id)
    assert texts[0] in ("Ana's words", "Ben's words") and texts[1] == "two"
    assert Store(location).head(project_id) == 3  # exactly one save landed


def test_two_processes_editing_different_causes_both_land(db, tmp_path):
    location, project_id, (first, second) = db
    outcomes = run_pair(location, project_id, [(first, "Ana's words"), (second, "Ben's words")], tmp_path)
    assert outcomes == ["merged", "saved"]
    assert causes(location, project_id) == ["Ana's words", "Ben's words"]


def test_concurrent_bursts_lose_no_update(db):
    location, project_id, _ = db
    procs = [worker("burst", location, project_id, name, 25) for name in ("ana", "ben", "cy")]
    outputs = [p.communicate(timeout=300)[0].split("\n") for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    texts = set(causes(location, project_id))
    for name in ("ana", "ben", "cy"):
        assert {f"{name}-{i}" for i in range(25)} <= texts
    assert Store(location).head(project_id) == 2 + 75


def test_a_writer_killed_mid_burst_loses_nothing_it_acknowledged(db):
    location, project_id, _ = db
    proc = worker("burst", location, project_id, "ana", 100_000)
    acked = []
    for line in proc.stdout:
        if line.startswith("ack"):
            acked.append(int(line.split()[1]))
        if len(acked) == 40:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    proc.stdout.close()
    store = Store(location)
    texts = set(causes(location, project_id))
    assert {f"ana-{i}" for i in acked} <= texts
    head = store.head(project_id)
    assert head >= 2 + len(acked)
    for rev in store.history(project_id):  # every revision is intact and readable
        store.load_revision(Project, project_id, rev.number)
    if location.startswith("sqlite"):
        with store.db.transaction() as tx:
            assert tx.value("PRAGMA integrity_check") == "ok"
