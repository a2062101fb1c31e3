"""Apps load only what they need: a fishbone app must not pay for pandas or Altair, and a
SQLite store not for SQLAlchemy."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ciwidgets.workbook import CHARTS_ON_OPEN

PROBE = """
import json, os, sys
from ciwidgets.demo import build_demo
from ciwidgets.store import Store
store = Store(os.environ["CIWIDGETS_DB"])
network = build_demo(store)
fox = next(t for t in store.teams(network.id) if t.name.startswith("Fox"))
from ciwidgets.workbook import open_workbook
wb = open_workbook(fox.join_code, show=False)
wb.header()
for name in sys.argv[1:]:
    assert getattr(wb, name)() is not None
if os.environ.get("DOWNLOAD"):  # every download button clicked, as a visitor would
    from ipywidgets.widgets.widget import _instances
    from ciwidgets.widgets.common import DownloadButton
    for button in [w for w in _instances.values() if isinstance(w, DownloadButton)]:
        button.send = lambda content, buffers: None
        button._on_msg(button, {"event": "download"}, [])
print(json.dumps(sorted(m for m in ("pandas", "altair", "vl_convert", "numpy", "sqlalchemy") if m in sys.modules)))
"""


def heavy_modules(tmp_path, *views, download=False):
    env = {"CIWIDGETS_DB": str(tmp_path / "lean.db"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", PROBE, *views], capture_output=True, text=True,
                            env={**env, "DOWNLOAD": "1"} if download else env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("views", [
    ("problem", "interviews", "fishbone", "five_whys", "cause_voting"),
    ("aim", "driver_diagram", "measures"),
    ("matrix",),
    ("design_team",),
    ("pdsa", "ramps"),
])
def test_apps_without_charts_load_no_data_libraries(tmp_path, views):
    assert heavy_modules(tmp_path, *views) == []


def test_downloading_diagrams_as_png_starts_no_renderer_in_the_kernel(tmp_path):
    """The browser draws the PNG from the SVG: the kernel loads no renderer for it."""
    views = ("fishbone", "cause_voting", "driver_diagram", "matrix", "ramps", "pulse")
    assert heavy_modules(tmp_path, *views, download=True) == []


def test_the_run_chart_app_needs_only_numpy(tmp_path):
    """The chart is drawn in Python: no chart engine, no data frames."""
    assert heavy_modules(tmp_path, "observations", "run_chart") == ["numpy"]


DRAW_PROBE = """
import json, os, sys
from ciwidgets.demo import build_demo
from ciwidgets.store import Store
from ciwidgets.render.runchart import run_chart_svg
store = Store(os.environ["CIWIDGETS_DB"])
network = build_demo(store)
for team in store.teams(network.id):
    project = store.current_project(team.id)
    for measure in project.measures:
        for options in ({}, {"rules": "anhoej"}, {"view": "disagreement"}, {"subgroups": True}):
            assert run_chart_svg(project, measure.id, **options).startswith("<svg")
print(json.dumps(sorted(m for m in ("pandas", "altair", "vl_convert") if m in sys.modules)))
"""


def test_drawing_run_charts_imports_no_chart_engine_nor_data_frames(tmp_path):
    result = subprocess.run([sys.executable, "-c", DRAW_PROBE], capture_output=True, text=True,
                            env={"CIWIDGETS_DB": str(tmp_path / "draw.db"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


PREHEATED_PROBE = """
import json, os, sys
import nbformat
from ciwidgets.demo import build_demo
from ciwidgets.store import Store
from ciwidgets.workbook import prepare
store = Store(os.environ["CIWIDGETS_DB"])
network = build_demo(store)
fox = next(t for t in store.teams(network.id) if t.name.startswith("Fox"))
os.environ.update(CIWIDGETS_TEAM=fox.join_code, CIWIDGETS_HUB=network.hub_code)
HEAVY = ("pandas", "altair", "vl_convert", "numpy", "sqlalchemy")
notebook = nbformat.read(sys.argv[1], as_version=4)
opening, *views = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
phase = int(os.path.basename(sys.argv[1])[:2])
prepare(phase)  # as the kernel does before its visitor comes
from ciwidgets.render.page import _environment
ready = {m for m in HEAVY if m in sys.modules}
templates = set(_environment().cache.keys())
namespace = {}
exec(opening, namespace)
for source in views:
    exec(source, namespace)
after = [m for m in HEAVY if m in sys.modules and m not in ready]
after += [key[1] for key in _environment().cache.keys() if key not in templates]  # compiled only now
print(json.dumps({"ready": sorted(ready), "after": sorted(after)}))
"""


@pytest.mark.parametrize("notebook", sorted((Path(__file__).parents[1] / "workbooks").glob("0*.ipynb")),
                         ids=lambda path: path.stem)
def test_a_preheated_kernel_imports_before_its_visitor_what_the_phase_needs_and_no_more(tmp_path, notebook):
    result = subprocess.run([sys.executable, "-c", PREHEATED_PROBE, str(notebook)], capture_output=True, text=True,
                            env={"CIWIDGETS_DB": str(tmp_path / "pre.db"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout.strip().splitlines()[-1])
    assert imported["after"] == []  # nothing heavy is left for the visitor to wait for
    charts = int(notebook.name[:2]) in CHARTS_ON_OPEN
    assert imported["ready"] == (["numpy"] if charts else [])  # and a fishbone app's kernel stays light
