"""The `ciwidgets` command, as a coach types it."""

import json
import subprocess
import sys

import pytest

from ciwidgets.cli import main
from ciwidgets.model import Network, Team
from ciwidgets.store import Store


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
    network = tmp_path / "network.json"
    assert run(capsys, "--db", db, "export", "--network", "Riverside Improvement Network", "-o", str(network))[0] == 0
    elsewhere = str(tmp_path / "elsewhere.db")
    assert run(capsys, "--db", elsewhere, "import", str(network))[0] == 0  # import starts a store
    code, out, _ = run(capsys, "--db", elsewhere, "history", "Fox")
    assert code == 0 and "imported" in out
    code, out, _ = run(capsys, "--db", db, "history", "Fox")
    assert code == 0 and "demo network" in out
    assert out.startswith("History of 'Math for every Fox student' (Fox Elementary, 20")  # not only an id
    assert "History of the team Fox Elementary (name, school, people, norms, routine;" in out  # its own edits too
    code, out, _ = run(capsys, "--db", db, "restore", "Fox", "1")
    assert code == 0 and "as revision 2" in out


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
    Store(tmp_path / "x.db")
    result = subprocess.run([sys.executable, "-m", "ciwidgets.cli", "--db", str(tmp_path / "x.db"), "team", "list"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
    bad = subprocess.run([sys.executable, "-m", "ciwidgets.cli", "frobnicate"], capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr


def team_names(db):
    store = Store(db)
    return [t.name for n in store.networks() for t in store.teams(n.id)]


def refused(capsys, *args):
    """The sentence a command printed instead of doing what was asked."""
    code, out, err = run(capsys, *args)
    assert code == 2 and err.startswith("ciwidgets: ") and "Traceback" not in err, (code, out, err)
    return err


# -- the store --db names -----------------------------------------------------------
@pytest.mark.parametrize("command", [
    ["team", "list"], ["team", "cards"], ["team", "new-code", "Fox"], ["hub", "new-code"],
    ["export", "--network", "Riverside"], ["history", "Fox"], ["restore", "Fox", "1"], ["tables"],
])
def test_a_command_that_reads_refuses_a_store_that_is_not_there(capsys, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    typo = tmp_path / "demo.bd"
    err = refused(capsys, "--db", str(typo), *command)
    assert f"There is no store at {typo}: check --db" in err and "ciwidgets demo" in err
    assert list(tmp_path.iterdir()) == []  # no empty store, no tables folder, no cards


def test_a_store_is_started_by_adding_not_by_reading(capsys, tmp_path):
    first = str(tmp_path / "first.db")
    assert "There is no store at" in refused(capsys, "--db", first, "team", "list")
    assert run(capsys, "--db", first, "team", "add", "Solo School")[0] == 0
    assert "Solo School" in run(capsys, "--db", first, "team", "list")[1]
    assert run(capsys, "--db", str(tmp_path / "demo.db"), "demo")[0] == 0


@pytest.mark.parametrize("where, message", [
    ("nowhere/x.db", "There is no folder"),
    ("passwd", "is not a ciwidgets store (it is not a SQLite database)"),
    (".", "is a folder: --db names the store's file"),
    ("foo://bar", "is neither a file nor a database URL"),
    ("postgresql://someone@db.example.org:port/x", "is neither a file nor a database URL"),
])
def test_a_store_that_cannot_be_opened_is_explained(capsys, tmp_path, where, message):
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    db = where if "://" in where else str(tmp_path / where)
    assert message in refused(capsys, "--db", db, "team", "add", "Fox Elementary")
    assert (tmp_path / "passwd").read_text().startswith("root:")
    assert not (tmp_path / "nowhere").exists()


def test_an_unreachable_database_server_is_named_not_blamed_on_a_save(capsys):
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    url = "postgresql+psycopg://coach:secret@127.0.0.1:1/ciwidgets"  # port 1: nothing listens
    err = refused(capsys, "--db", url, "team", "list")
    assert "The store postgresql+psycopg://coach:***@127.0.0.1:1/ciwidgets could not be reached" in err
    assert "not saved" not in err and "secret" not in err
    assert len(err.splitlines()) == 1


def test_team_list_on_a_store_without_networks_says_so(capsys, db):
    Store(db)
    code, out, _ = run(capsys, "--db", db, "team", "list")
    assert code == 0 and "There are no networks yet" in out


# -- files written with -o and --out --------------------------------------------------
@pytest.mark.parametrize("command, message", [
    (["export", "--project", "Fox", "-o", "{tmp}/nowhere/fox.json"], "There is no folder"),
    (["export", "--project", "Fox", "-o", "{tmp}"], "is a folder: give -o the name of a file"),
    (["schema", "-o", "{tmp}"], "is a folder: give -o the name of a file"),
    (["team", "cards", "-o", "{tmp}/nowhere/cards.html"], "There is no folder"),
    (["tables", "--out", "{tmp}/cli.db"], "is a file: --out names the folder"),
])
def test_a_file_that_cannot_be_written_is_explained(capsys, db, tmp_path, command, message):
    run(capsys, "--db", db, "demo")
    before = sorted(tmp_path.iterdir())
    err = refused(capsys, "--db", db, *[part.format(tmp=tmp_path) for part in command])
    assert message in err
    assert sorted(tmp_path.iterdir()) == before


def test_tables_of_a_network_without_teams_writes_nothing(capsys, db, tmp_path):
    Store(db).create(Network(name="New network"))
    good = tmp_path / "tables" / "ciwidgets.xlsx"
    good.parent.mkdir()
    good.write_bytes(b"last week's workbook")
    err = refused(capsys, "--db", db, "tables", "--format", "xlsx", "--out", str(good.parent))
    assert "New network has no teams yet" in err and "nothing was written" in err
    assert good.read_bytes() == b"last week's workbook"


def test_tables_never_makes_a_network(capsys, db):
    Store(db)
    assert "There is no network yet" in refused(capsys, "--db", db, "tables")
    assert Store(db).networks() == []


# -- team names ------------------------------------------------------------------------
def test_a_name_too_long_is_refused_without_echoing_it(capsys, db):
    run(capsys, "--db", db, "demo")
    err = refused(capsys, "--db", db, "team", "add", "x" * 5000)
    assert "A team's name can have at most 200 characters" in err and "has 5000" in err
    assert len(err) < 300 and "school" not in err
    assert "at most 200 characters" in refused(capsys, "--db", db, "team", "add", "Maple", "--school", "y" * 300)
    assert len(team_names(db)) == 4


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_a_team_needs_a_name(capsys, db, name):
    run(capsys, "--db", db, "demo")
    assert "A team needs a name" in refused(capsys, "--db", db, "team", "add", name)
    assert len(team_names(db)) == 4


def test_a_name_is_one_line_and_names_one_team(capsys, db):
    run(capsys, "--db", db, "demo")
    code, out, _ = run(capsys, "--db", db, "team", "add", "Maple\tElementary\n School")
    assert code == 0 and "Added Maple Elementary School to" in out
    _, listing, _ = run(capsys, "--db", db, "team", "list")
    assert "  Maple Elementary School: " in listing
    for again in ("Fox Elementary", "  fox   ELEMENTARY "):
        err = refused(capsys, "--db", db, "team", "add", again)
        assert "already has a team called Fox Elementary (t-" in err
    assert team_names(db).count("Fox Elementary") == 1


def test_teams_of_one_name_are_told_apart_by_id(capsys, db):
    run(capsys, "--db", db, "demo")
    run(capsys, "--db", db, "demo")  # a second network, with a second Fox Elementary
    store = Store(db)
    foxes = [t for n in store.networks() for t in store.teams(n.id) if t.name == "Fox Elementary"]
    err = refused(capsys, "--db", db, "history", "Fox Elementary")
    assert f"Fox Elementary ({foxes[0].id})" in err and f"Fox Elementary ({foxes[1].id})" in err
    assert "its id or its join code" in err
    code, out, _ = run(capsys, "--db", db, "history", foxes[1].join_code)
    assert code == 0 and "Fox Elementary" in out


# -- networks ------------------------------------------------------------------------------
def test_a_network_name_that_matches_several_is_refused(capsys, db):
    assert run(capsys, "--db", db, "demo")[2] == ""  # the first demo has nothing to warn of
    code, _, err = run(capsys, "--db", db, "demo")
    assert code == 0
    assert "warning: the store already had a network, so a second demo network was added" in err
    ids = [n.id for n in Store(db).networks()]
    err = refused(capsys, "--db", db, "team", "add", "Maple", "--network", "Riverside Improvement Network")
    assert "matches several networks" in err and all(i in err for i in ids)
    code, out, _ = run(capsys, "--db", db, "team", "add", "Maple", "--network", ids[1])
    assert code == 0 and [t.name for t in Store(db).teams(ids[1])].count("Maple") == 1


# -- where teams reach the app ----------------------------------------------------------
@pytest.mark.parametrize("url, said", [
    ("javascript:alert(1)", "--url must be a web address"), ("not a url", "--url must be a web address"),
    ("mailto:coach@example.org", "--url must be a web address"),
    ("http://school.example.org/?x=1", "--url must be a web address"),
    ("https://school.example.org/#top", "--url must be a web address"),
    ("http://school.example.org/ci/?", "--url must be a web address"),  # a ? left over
    # pasted from the address bar: every card's link would repeat the workbook's path
    ("http://schoolserver:8866/voila/render/00-start-here.ipynb", "--url must be the server's address"),
])
def test_every_command_refuses_a_url_teams_cannot_open(capsys, db, url, said):
    assert said in refused(capsys, "--db", db, "demo", "--url", url)
    assert not __import__("os").path.exists(db)  # nothing built
    run(capsys, "--db", db, "demo")
    assert said in refused(capsys, "--db", db, "team", "add", "Maple", "--url", url)
    assert "Maple" not in team_names(db)


@pytest.mark.parametrize("url, start", [
    ("http://host:8866/sub/", "http://host:8866/sub/voila/render/"),  # a server behind a proxy, a bare host name
    ("school.example.org/ci", "http://school.example.org/ci/voila/render/"),
    ("localhost:8866", "http://localhost:8866/voila/render/"),
])
def test_a_server_under_a_path_gets_links_under_it(capsys, db, url, start):
    code, out, _ = run(capsys, "--db", db, "team", "add", "Maple", "--url", url)
    assert code == 0 and out.splitlines()[-1].startswith(f"Join link: {start}00-start-here.ipynb?team=")
    code, out, _ = run(capsys, "--db", db, "hub", "new-code", "--url", url)
    assert code == 0 and f"Coach's hub: {start}08-network-convening.ipynb?hub=" in out


# -- help and options ---------------------------------------------------------------------
def test_demo_help_names_the_teams_it_builds(capsys, db):
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    run(capsys, "--db", db, "demo")
    assert all(name.split()[0] in help_text for name in team_names(db))


@pytest.mark.parametrize("command", ["export", "tables"])
def test_project_and_network_are_one_or_the_other(capsys, db, command):
    run(capsys, "--db", db, "demo")
    with pytest.raises(SystemExit) as stopped:
        main(["--db", db, command, "--project", "Fox", "--network", "Riverside Improvement Network"])
    assert stopped.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


# -- history and restore --------------------------------------------------------------------
def test_restore_names_the_project_as_restored(capsys, db):
    run(capsys, "--db", db, "demo")
    store = Store(db)
    fox = next(t for n in store.networks() for t in store.teams(n.id) if t.name == "Fox Elementary")
    project = store.current_project(fox.id)
    first_title = project.title
    project.title = "A new title"
    store.save(project, store.head(project.id), "coach", "renamed")
    code, out, _ = run(capsys, "--db", db, "restore", "Fox", "1")
    assert code == 0 and f"of '{first_title}' (Fox Elementary" in out and "A new title" not in out
    assert store.load(type(project), project.id)[0].title == first_title


def test_history_says_which_list_restore_takes_its_number_from(capsys, db):
    run(capsys, "--db", db, "demo")
    code, out, _ = run(capsys, "--db", db, "history", "Fox Elementary")
    project_header, team_header = [line for line in out.splitlines() if line.startswith("History of")]
    store = Store(db)
    fox = store.current_project(_fox(store).id)
    assert f"(Fox Elementary, {fox.school_year}, {fox.id}), newest first" in project_header  # one parenthesis
    assert f"`ciwidgets restore {fox.id} N` makes revision N of this list current again" in project_header
    assert "`ciwidgets restore 'Fox Elementary' N --team` makes revision N of this list current again" in team_header


def test_a_teams_people_and_norms_can_be_restored_but_not_an_old_join_code(capsys, db):
    run(capsys, "--db", db, "demo")
    store = Store(db)
    fox = next(t for n in store.networks() for t in store.teams(n.id) if t.name == "Fox Elementary")
    first = store.head(fox.id)
    changed = fox.model_copy(update={"norms": [], "join_code": "newcode-after-a-leak"})
    store.save(changed, first, "coach", "cleared the norms and replaced the code")
    code, out, _ = run(capsys, "--db", db, "restore", "Fox", str(first), "--team")
    restored = store.load(type(fox), fox.id)[0]
    assert code == 0 and restored.norms == fox.norms != []
    assert restored.join_code == "newcode-after-a-leak" != fox.join_code  # the leaked code does not open again
    assert "its join code stays newcode-after-a-leak" in out and "as revision" in out
    assert store.by_code(fox.join_code) is None


def _fox(store: Store) -> Team:
    return next(t for n in store.networks() for t in store.teams(n.id) if t.name == "Fox Elementary")


def test_restoring_a_team_never_makes_two_teams_of_one_name(capsys, db):
    run(capsys, "--db", db, "demo")
    store = Store(db)
    eagle = next(t for n in store.networks() for t in store.teams(n.id) if t.name == "Eagle Elementary")
    first = store.head(eagle.id)
    store.save(eagle.model_copy(update={"name": "Hawk Elementary"}), first, "coach", "renamed")
    run(capsys, "--db", db, "team", "add", "Eagle Elementary")
    before = store.counts()
    err = refused(capsys, "--db", db, "restore", "Hawk", str(first), "--team")
    assert "names the team 'Eagle Elementary', as Eagle Elementary" in err and "Rename one of them first" in err
    assert store.counts() == before and store.load(Team, eagle.id)[0].name == "Hawk Elementary"


def test_an_older_export_is_imported_over_newer_work_only_with_replace(capsys, db, tmp_path):
    run(capsys, "--db", db, "demo")
    path = tmp_path / "fox.json"
    run(capsys, "--db", db, "export", "--project", "Fox", "-o", str(path))
    store = Store(db)
    fox = next(t for n in store.networks() for t in store.teams(n.id) if t.name == "Fox Elementary")
    project = store.current_project(fox.id)
    store.save(project.model_copy(update={"title": "Math, as we say it now"}), store.head(project.id))
    code, _, err = run(capsys, "--db", db, "import", str(path))
    assert code == 2 and "--replace" in err and "Traceback" not in err
    assert store.current_project(fox.id).title == "Math, as we say it now"  # nothing imported
    assert run(capsys, "--db", db, "import", str(path), "--replace")[0] == 0
    assert store.current_project(fox.id).title == "Math for every Fox student"


def test_serve_takes_a_folder_of_workbooks(capsys, db, tmp_path, monkeypatch):
    run(capsys, "--db", db, "demo")
    served = {}
    monkeypatch.setattr("ciwidgets.serve.serve", lambda **kwargs: served.update(kwargs) or 0)
    with pytest.raises(SystemExit):
        main(["--db", db, "serve", "--workbooks", str(tmp_path), "--no-preheat"])
    assert served["workbooks"] == str(tmp_path) and served["preheat"] is False


def test_an_empty_file_is_no_store_for_a_command_that_only_reads(capsys, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    assert "There is no store at" in refused(capsys, "--db", str(empty), "team", "list")
    assert empty.stat().st_size == 0  # left as it was


def test_a_name_that_differs_only_by_an_invisible_character_is_the_same_name(capsys, db):
    run(capsys, "--db", db, "demo")
    assert "already has a team called" in refused(capsys, "--db", db, "team", "add", "Fox Elementary\u200b")


def test_reading_a_team_without_a_project_says_so_and_makes_none(capsys, db):
    run(capsys, "--db", db, "demo")
    store = Store(db)
    store.create(Team(network_id=store.networks()[0].id, name="Wren Elementary"))
    before = store.counts()
    for command in (["export", "--project", "Wren"], ["history", "Wren"], ["tables", "--project", "Wren"]):
        assert "Wren Elementary has no project yet" in refused(capsys, "--db", db, *command)
    assert Store(db).counts() == before


def test_all_years_is_for_a_networks_tables(capsys, db, tmp_path):
    run(capsys, "--db", db, "demo")
    err = refused(capsys, "--db", db, "tables", "--project", "Fox", "--all-years", "--out", str(tmp_path / "t"))
    assert "--all-years stacks a network's years" in err and not (tmp_path / "t").exists()
    code, out, _ = run(capsys, "--db", db, "tables", "--all-years", "--out", str(tmp_path / "t"))
    assert code == 0 and (tmp_path / "t" / "observations.csv").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tables_of_teams_without_projects_say_so_and_write_nothing(capsys, db, tmp_path, fmt):
    store = Store(db)
    network = store.create(Network(name="New network")).doc
    store.create(Team(network_id=network.id, name="Wren Elementary"))
    err = refused(capsys, "--db", db, "tables", "--format", fmt, "--out", str(tmp_path / "t"))
    assert "No team of New network has a project yet" in err and "nothing was written" in err
    assert not (tmp_path / "t").exists()
