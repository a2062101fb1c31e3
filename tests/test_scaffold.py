"""`ciwidgets new-workbook`: a valid notebook in the standard shape, never an overwrite,
and a sentence instead of a traceback when something is off."""

from __future__ import annotations

import ast

import nbformat
import pytest

from ciwidgets.cli import main
from ciwidgets.scaffold import ScaffoldError, new_workbook, workbook_filename
from ciwidgets.serve.catalog import list_workbooks

OPENING = "from ciwidgets.workbook import open_workbook\nwb = open_workbook(phase=9)"


def test_the_new_notebook_is_valid_and_has_the_standard_shape(tmp_path):
    path = new_workbook("community walk", title="Community walk", phase=9, folder=tmp_path)
    assert path == tmp_path / "09-community-walk.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].source == OPENING
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    for cell in code:
        ast.parse(cell.source)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[0].source.startswith("# 9. Community walk")
    for part in ("Principles served", "Time:", "## Why this step matters", "An example from Fox Elementary",
                 "## What's next", "Organize as networks"):
        assert part in markdown
    assert code[-1].source.splitlines()[-1] == "wb.home()"
    assert nb.metadata["ciwidgets"]["title"] == "Community walk"


def test_the_landing_page_lists_it_by_its_number_and_title(tmp_path):
    new_workbook("walk", title="Community walk", phase=9, folder=tmp_path)
    [entry] = list_workbooks(tmp_path)
    assert (entry.number, entry.title, entry.audience) == (9, "Community walk", "team")


def test_a_phase_brings_its_usual_view(tmp_path):
    nb = nbformat.read(new_workbook("02-more-interviews", folder=tmp_path), as_version=4)
    assert "open_workbook(phase=2)" in nb.cells[1].source
    assert nb.cells[-2].source.endswith("wb.fishbone()")
    assert nb.cells[0].source.startswith("# 2. More interviews")
    nb = nbformat.read(new_workbook("01-more-voices", folder=tmp_path), as_version=4)
    assert nb.cells[-2].source.endswith("wb.design_team()")
    nb = nbformat.read(new_workbook("helper", view="run_chart", folder=tmp_path), as_version=4)
    assert nb.cells[1].source.endswith("wb = open_workbook()") and nb.cells[-2].source.endswith("wb.run_chart()")


def test_it_refuses_to_overwrite(tmp_path):
    existing = tmp_path / "01-form-the-team.ipynb"
    existing.write_text("the team's own notebook", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="already exists; nothing was changed"):
        new_workbook("form the team", phase=1, folder=tmp_path)
    assert existing.read_text(encoding="utf-8") == "the team's own notebook"


@pytest.mark.parametrize(("name", "options", "message"), [
    ("../escape", {}, "looks like a path"),
    ("!!!", {}, "not a usable name"),
    ("03-aim", {"phase": 4}, "starts with 03 but --phase is 4"),
    ("walk", {"phase": 100}, "from 0 to 99"),
    ("walk", {"view": "spreadsheet"}, "There is no view called 'spreadsheet'"),
])
def test_mistakes_are_explained(tmp_path, name, options, message):
    with pytest.raises(ScaffoldError, match=message):
        new_workbook(name, folder=tmp_path, **options)
    assert list(tmp_path.iterdir()) == []


def test_file_names(tmp_path):
    assert workbook_filename("Community Walk!", 9) == "09-community-walk.ipynb"
    assert workbook_filename("09-walk.ipynb") == "09-walk.ipynb"
    assert workbook_filename("walk") == "walk.ipynb"
    assert workbook_filename("Écoute des élèves 🦊", 9) == "09-ecoute-des-eleves.ipynb"  # accents kept as letters


def test_the_command_creates_then_refuses_with_a_sentence(tmp_path, capsys):
    args = ["new-workbook", "community-walk", "--phase", "9", "--title", "Community walk", "--folder", str(tmp_path)]
    assert main(args) == 0
    assert f"Created {tmp_path / '09-community-walk.ipynb'}" in capsys.readouterr().out
    before = (tmp_path / "09-community-walk.ipynb").read_bytes()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "Traceback" not in err
    assert (tmp_path / "09-community-walk.ipynb").read_bytes() == before
    assert main(["new-workbook", "x", "--folder", str(tmp_path / "nowhere")]) == 2
    assert "There is no folder" in capsys.readouterr().err


def test_a_name_too_long_for_a_file_is_refused_in_words(tmp_path, capsys):
    with pytest.raises(ScaffoldError, match="too long for a file name"):
        new_workbook("walk " * 60, folder=tmp_path)
    assert main(["new-workbook", "x" * 300, "--folder", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "too long for a file name (300 characters)" in err and "Traceback" not in err
    assert len(err) < 300  # not the whole name back
    assert list(tmp_path.iterdir()) == []


def test_the_command_says_how_to_open_it_and_what_serve_shows(tmp_path, capsys):
    from ciwidgets.paths import resource_dir

    assert main(["new-workbook", "walk", "--phase", "9", "--folder", str(tmp_path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Open it in JupyterLab: jupyter lab {tmp_path / '09-walk.ipynb'}" in out
    assert f"To open it as an app: `ciwidgets serve --workbooks {tmp_path}`" in out
    assert f"serves the package's own, in {resource_dir('workbooks')}" in out


def test_a_workbook_in_the_served_folder_is_said_to_be_served(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("ciwidgets.paths.resource_dir", lambda name: tmp_path)
    assert main(["new-workbook", "walk", "--phase", "9", "--folder", str(tmp_path)]) == 0
    assert "`ciwidgets serve` serves this folder" in capsys.readouterr().out


def test_the_folder_option_says_what_serve_shows(capsys):
    with pytest.raises(SystemExit):
        main(["new-workbook", "--help"])
    assert "serve it with `ciwidgets serve --workbooks`" in " ".join(capsys.readouterr().out.split())
