"""Every workbook, run top to bottom against a demo store, shows the team's work:
the header names the team and each one-line view cell draws a widget."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from ciwidgets.demo import build_demo
from ciwidgets.paths import resource_dir
from ciwidgets.store import Store

WORKBOOKS = sorted(resource_dir("workbooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    db = tmp_path_factory.mktemp("workbooks") / "demo.db"
    store = Store(db)
    network = build_demo(store)
    fox = next(t for t in store.teams(network.id) if t.name.startswith("Fox"))
    store.close()
    return {"CIWIDGETS_DB": str(db), "CIWIDGETS_TEAM": fox.join_code, "CIWIDGETS_HUB": network.hub_code}


def run(path: Path, env: dict) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return nb


def test_there_is_a_workbook_per_phase():
    assert [p.stem[:2] for p in WORKBOOKS] == [f"{n:02d}" for n in range(9)]


@pytest.mark.parametrize("path", WORKBOOKS, ids=[p.stem for p in WORKBOOKS])
def test_each_view_cell_draws_the_teams_work(path, demo_env):
    nb = run(path, demo_env)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "open_workbook" in code[0].source
    opening = [o for o in code[0].outputs if WIDGET in o.get("data", {})]
    assert opening, "the opening cell shows the header"
    for cell in code[1:]:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
        widgets = [o for o in cell.outputs if WIDGET in o.get("data", {})]
        assert widgets, f"'{cell.source}' showed nothing: was the team not opened?"
    texts = " ".join(o["data"].get("text/plain", "") for c in code for o in c.outputs if "data" in o)
    assert "Traceback" not in texts


def test_markdown_says_why_how_long_and_whats_next():
    for path in WORKBOOKS:
        prose = " ".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        lowered = prose.lower()
        assert "minutes" in lowered, path.name
        assert "next" in lowered, path.name


def test_every_landing_card_says_what_the_team_does_there():
    from ciwidgets.serve.catalog import list_workbooks

    entries = list_workbooks(resource_dir("workbooks"))
    assert [e.number for e in entries] == list(range(9))
    for entry in entries:  # not the line every workbook opens with, the same on every card
        assert entry.summary and not entry.summary.startswith(("Principle", "*Principle")), entry.filename
