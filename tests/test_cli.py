"""The `ciwidgets` command, as a coach types it."""

import json
import subprocess
import sys

import pytest

from ciwidgets.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.db")


def test_demo_prints_a_join_link_per_team_and_the_hub(capsys, db):
    code, out, _ = run(capsys, "--db", db, "demo")
    assert code == 0
    assert "Fox Elementary: http://127.0.0.1:8866/voila/render/00-start-here.ipynb?team=" in out
    assert "coach's hub: http://127.0.0.1:8866/voila/render/08-network-convening.ipynb?hub=" in out
    code, out, _ = run(capsys, "--db", db, "demo", "--if-empty")
    assert "already has a network" in out
    assert out.count("Riverside Improvement Network —") == 1


def test_team_add_prints_a_link_that_opens_that_team(capsys, db):
    run(capsys, "--db", db, "demo")
    code, out, _ = run(capsys, "--db", db, "team", "add", "Maple Elementary", "--url", "http://school.example:9000")
    assert code == 0
    link = out.splitlines()[-1].removeprefix("Join link: ")
    assert link.startswith("http://school.example:9000/voila/render/00-start-here.ipynb?team=")
    from ciwidgets.store import Store

    assert Store(db).by_code(link.split("team=")[1]).name == "Maple Elementary"


def test_team_add_on_an_empty_store_makes_a_network(capsys, db):
    code, out, _ = run(capsys, "--db", db, "team", "add", "Solo School")
    assert code == 0 and "to My network" in out
    _, listing, _ = run(capsys, "--db", db, "team", "list")
    assert "Solo School" in listing


def test_export_import_history_restore(capsys, db, tmp_path):
    run(capsys, "--db", db, "demo")
    path = tmp_path / "fox.json"
    assert run(capsys, "--db", db, "export", "--project", "Fox", "-o", str(path))[0] == 0
    assert json.loads(path.read_text())["team"]["name"] == "Fox Elementary"
    assert run(capsys, "--db", db, "import", str(path))[0] == 0
    code, out, _ = run(capsys, "--db", db, "history", "Fox")
    assert code == 0 and "imported" in out and "demo network" in out
    assert out.startswith("History of 'Math for every Fox student' (Fox Elementary, 20")  # not only an id
    assert "History of the team Fox Elementary (people, norms, routine;" in out  # the team's own edits too
    code, out, _ = run(capsys, "--db", db, "restore", "Fox", "1")
    assert code == 0 and "as revision 3" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["export"], "Say what to export"),
        (["export", "--project", "Nowhere"], "'Nowhere' is not a project id"),
        (["export", "--project", "Elementary"], "matches several teams"),
        (["import", "missing.json"], "There is no file 'missing.json'"),
        (["restore", "Fox", "99"], "has no revision 99"),
        (["history", "zzzz-zzzz-zz"], "is not a project id"),
        (["team", "new-code", " "], "Name the team"),
    ],
)
def test_wrong_arguments_get_a_sentence_not_a_traceback(capsys, db, args, message):
    run(capsys, "--db", db, "demo")
    code, _, err = run(capsys, "--db", db, *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_importing_junk_is_refused_with_a_reason(capsys, db, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    code, _, err = run(capsys, "--db", db, "import", str(junk))
    assert code == 2 and "not valid JSON" in err


def test_the_console_script_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ciwidgets.cli", "--db", str(tmp_path / "x.db"), "team", "list"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
    bad = subprocess.run([sys.executable, "-m", "ciwidgets.cli", "frobnicate"], capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr
