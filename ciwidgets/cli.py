"""`ciwidgets`: build the demo, add teams, export/import, history/restore, serve."""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import sqlite3
import sys
from pathlib import Path

from pydantic import ValidationError

from .analysis.words import same_words
from .model import ModelError, Network, Project, Team, explain, new_join_code
from .render.cards import DEFAULT_URL, join_cards_html, join_link, server_address
from .store import Store, StoreError, export_network, export_project, import_file, json_schema
from .store.db import Unavailable, redacted, resolve_url

CONVENING = "08-network-convening"
# The store logs a failing database with its traceback for a server's log; a command
# says it in one sentence instead (`_sentence`), so nothing else reaches the terminal.
_STORE_LOG_KEPT_QUIET = logging.NullHandler()


class UserError(Exception):
    """A mistake in what was asked; printed without a traceback."""


def _shown(text: str, limit: int = 40) -> str:
    """What someone typed, quoted, cut short: a 5000-character name is not echoed whole."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# -- the store ----------------------------------------------------------------
START_A_STORE = "add a team first (`ciwidgets team add NAME`) or build the demo (`ciwidgets demo`)"


def _store(args, *, create: bool = False) -> Store:
    """The store --db names. Only commands that add something (`create`) may start a new
    SQLite file: a mistyped path for a command that only reads would leave an empty
    store behind and show nothing."""
    url = resolve_url(args.db)
    path = _sqlite_file(url)
    empty = path is not None and path.is_file() and path.stat().st_size == 0  # not a store yet either
    if path is not None and (not path.exists() or empty):
        if not create:
            raise UserError(f"There is no store at {path}{' (the file is empty)' if empty else ''}: check --db "
                            f"(or $CIWIDGETS_DB), or start one: {START_A_STORE}.")
        if not path.parent.is_dir():
            raise UserError(f"There is no folder {path.parent} to keep the store {path.name} in: "
                            "create it first, or check --db.")
    return _open(url, path)


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite store, as `ciwidgets.store.db` opens it; None for a database
    server (always there, as far as a path can tell) or an in-memory store."""
    scheme, _, rest = url.partition("://")
    if scheme not in ("sqlite", "sqlite+pysqlite") or rest[1:] in ("", ":memory:"):
        return None
    return Path(rest[1:])


def _open(url: str, path: Path | None) -> Store:
    try:
        return Store(url)
    except sqlite3.DatabaseError as e:  # raised on opening only; later failures are `Unavailable`
        if path is not None and path.is_dir():
            raise UserError(f"{path} is a folder: --db names the store's file, e.g. {path / 'ciwidgets.db'}.") from None
        if "not a database" in str(e):
            raise UserError(f"{path} is not a ciwidgets store (it is not a SQLite database): check --db.") from None
        raise UserError(f"The store {path} could not be opened ({e}): check --db, and that you may read "
                        "and write it.") from None
    except ModuleNotFoundError as e:
        raise UserError(f"The database {redacted(url)} needs {e.name or 'SQLAlchemy'}, which is not installed "
                        "(for PostgreSQL: pip install 'ciwidgets[postgres]').") from None
    except _url_errors():
        raise UserError(f"--db {_shown(redacted(url), 80)} is neither a file nor a database URL that can be "
                        "used; a PostgreSQL URL looks like postgresql+psycopg://user:password@host/dbname.") from None


def _url_errors() -> tuple[type[Exception], ...]:
    """What SQLAlchemy raises for a URL it cannot use (no such dialect, a port that is no
    number). Looked up only after a failure, so SQLite alone never imports SQLAlchemy."""
    exc = sys.modules.get("sqlalchemy.exc")
    return (ValueError,) if exc is None else (ValueError, exc.ArgumentError)


def _unavailable(error: Unavailable, db: str | None) -> str:
    """The store's own words are for a team at a server; a command's user runs the
    database, so name it and the cause."""
    cause = error.__context__
    detail = str(getattr(cause, "orig", None) or cause or "").strip().splitlines()
    reason = f": {detail[0][:200]}" if detail else ""
    return (f"The store {redacted(resolve_url(db))} could not be reached or written{reason}. "
            "Check --db (or $CIWIDGETS_DB) and that its database server is running, then try again.")


# -- networks and teams ---------------------------------------------------------
def _listed(docs: list[Network] | list[Team]) -> str:
    """'Fox Elementary (t-1a2b), Fox Elementary (t-3c4d)': names that may repeat, told apart."""
    return ", ".join(f"{d.name} ({d.id})" for d in docs)


def _only_network(store: Store, name: str | None, *, create: bool = False) -> Network:
    """The network --network names, or the only one; `create` starts 'My network' in an
    empty store (for a first team)."""
    networks = store.networks()
    if name:
        found = [n for n in networks if name in (n.id, n.name)]
        if not found:
            raise UserError(f"There is no network called '{name}'. Networks: {_listed(networks) or 'none'}.")
        if len(found) > 1:
            raise UserError(f"'{name}' matches several networks: {_listed(found)}. "
                            "Name one by its id with --network.")
        return found[0]
    if len(networks) == 1:
        return networks[0]
    if not networks:
        if create:
            return store.create(Network(name="My network")).doc
        raise UserError("There is no network yet: add a team first (ciwidgets team add NAME).")
    raise UserError(f"There are several networks: {_listed(networks)}. Name one with --network (its name or id).")


def _project(store: Store, ref: str) -> Project:
    """A project by id, or the current project of a team by join code or name."""
    kind = store.kind_of(ref)
    if kind is Project:
        return store.load(Project, ref)[0]
    team = store.by_code(ref)
    if not isinstance(team, Team):
        team = _team_by_name(store, ref)
    project = store.find_current_project(team.id)  # reading creates nothing
    if project is None:
        raise UserError(f"{team.name} has no project yet: it starts when the team first opens its workbook.")
    return project


def _team_by_name(store: Store, ref: str, *, projects_too: bool = True) -> Team:
    """A team by id or name; a unique part of a name will do ('Fox'). `projects_too`: the
    command also takes a project id (the words of a refusal say so)."""
    ids = "its join code or a project id" if projects_too else "its join code or its id"
    if not ref.strip():
        raise UserError(f"Name the team: its name (or part of it), {ids}.")
    teams = [t for n in store.networks() for t in store.teams(n.id)]
    exact = [t for t in teams if ref in (t.id, t.name)]
    partial = [t for t in teams if ref.casefold() in t.name.casefold()]
    found = exact or partial
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(f"'{ref}' matches several teams: {_listed(found)}. "
                        "Name one by its id or its join code (ciwidgets team list shows the codes).")
    raise UserError(f"'{ref}' is not {'a project id, ' if projects_too else ''}a team's join code or a team's name.")


def _one_line(text: str) -> str:
    """Runs of spaces, tabs and newlines as one space: a name is one line of `team list`."""
    return " ".join(text.split())


def _checked(text: str, what: str, field: str) -> str:
    """`text` on one line, refused in words when it is longer than a team's `field` holds."""
    text = _one_line(text)
    limit = next(m.max_length for m in Team.model_fields[field].metadata if getattr(m, "max_length", None))
    if len(text) > limit:
        raise UserError(f"{what} can have at most {limit} characters; {_shown(text)} has {len(text)}.")
    return text


def _base_url(url: str) -> str:
    try:
        return server_address(url)
    except ValueError as e:
        raise UserError(f"--url {e}.") from None


# -- commands -------------------------------------------------------------------
def cmd_demo(args) -> None:
    from .demo import build_demo

    base_url = _base_url(args.url)  # a mistyped --url builds nothing
    store = _store(args, create=True)
    had_network = bool(store.networks())
    if args.if_empty and had_network:
        print(f"The store {redacted(store.url)} already has a network; leaving it as it is.")
    else:
        network = build_demo(store)
        print(f"Built the demo network '{network.name}' in {redacted(store.url)}.")
        if had_network:
            print("ciwidgets: warning: the store already had a network, so a second demo network was added "
                  "beside it (--if-empty builds the demo only in an empty store).", file=sys.stderr)
    for network in store.networks():
        print(f"\n{network.name} — coach's hub: {join_link(base_url, network.hub_code, 'hub', CONVENING)}")
        for team in store.teams(network.id):
            print(f"  {team.name}: {join_link(base_url, team.join_code)}")


def cmd_team_add(args) -> None:
    name = _checked(args.name, "A team's name", "name")
    if not name:
        raise UserError('A team needs a name, e.g. ciwidgets team add "Fox Elementary".')
    school = _checked(args.school or "", "A school's name (--school)", "school") or name
    base_url = _base_url(args.url)
    store = _store(args, create=True)
    network = _only_network(store, args.network, create=True)
    if same := [t for t in store.teams(network.id) if same_words(t.name, name)]:
        # Two teams of one name cannot be told apart by name in `history`, `export` or on the hub.
        raise UserError(f"{network.name} already has a team called {_listed(same)}: "
                        "give this one another name (e.g. with its town).")
    team = store.create(Team(network_id=network.id, name=name, school=school)).doc
    store.current_project(team.id)
    print(f"Added {team.name} to {network.name}. Join code: {team.join_code}")
    print(f"Join link: {join_link(base_url, team.join_code)}")


def _team(store: Store, ref: str) -> Team:
    """A team by join code, id or name."""
    found = store.by_code(ref)
    return found if isinstance(found, Team) else _team_by_name(store, ref, projects_too=False)


def cmd_team_cards(args) -> None:
    path, base_url = _output_file(args.output), _base_url(args.url)
    store = _store(args)
    network = _only_network(store, args.network)
    teams = store.teams(network.id)
    path.write_text(join_cards_html(network, teams, base_url), encoding="utf-8")
    print(f"Wrote {len(teams)} join card{'s' if len(teams) != 1 else ''} for {network.name} to {path}; "
          "open it in a browser and print it, two cards to a page.")


def cmd_team_new_code(args) -> None:
    """A lost card: the team gets a new code, and the old one opens nothing any more."""
    base_url = _base_url(args.url)  # a mistyped --url changes nothing
    store = _store(args)
    team, revision = store.load(Team, _team(store, args.team).id)
    team.join_code = new_join_code()
    store.save(team, revision, "coach", "gave the team a new join code")
    print(f"{team.name} has a new join code: {team.join_code}. The old code no longer opens anything;")
    print("pages already open keep working until they are reloaded.")
    print(f"Join link: {join_link(base_url, team.join_code)}")


def cmd_hub_new_code(args) -> None:
    """A hub link that went too far (projected, forwarded): the network gets a new hub code."""
    base_url = _base_url(args.url)
    store = _store(args)
    network, revision = store.load(Network, _only_network(store, args.network).id)
    network.hub_code = new_join_code()
    store.save(network, revision, "coach", "gave the network a new hub code")
    print(f"{network.name} has a new hub code: {network.hub_code}. The old one no longer opens anything.")
    print(f"Coach's hub: {join_link(base_url, network.hub_code, 'hub', CONVENING)}")


def cmd_team_list(args) -> None:
    store = _store(args)
    networks = store.networks()
    if not networks:
        print(f"There are no networks yet in {redacted(store.url)}: {START_A_STORE}.")
    for network in networks:
        print(f"{network.name} (hub code {network.hub_code})")
        for team in store.teams(network.id):
            print(f"  {team.name}: {team.join_code}")


def cmd_export(args) -> None:
    if not (args.network or args.project):
        raise UserError("Say what to export: --project (id, join code or team name) or --network (id or name).")
    output = _output(args.output)
    store = _store(args)
    if args.network:
        text = export_network(store, _only_network(store, args.network).id)
    else:
        text = export_project(store, _project(store, args.project).id)
    _write(output, text)


def _output(output: str | None) -> Path | None:
    """The file `-o` names, or None for standard output."""
    return None if output in (None, "-") else _output_file(output)


def _output_file(output: str) -> Path:
    """The file `-o` names, checked before any work is done."""
    path = Path(output)
    if path.is_dir():
        raise UserError(f"{path} is a folder: give -o the name of a file to write.")
    if not path.parent.is_dir():
        raise UserError(f"There is no folder {path.parent} to write {path.name} into: create it first, "
                        "or give -o another path.")
    return path


def _write(output: Path | None, text: str) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"Wrote {output}.", file=sys.stderr)


def cmd_import(args) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"There is no file '{args.file}'.")
    parsed = import_file(_store(args, create=True), path.read_bytes(), replace=args.replace)
    what = parsed.project.title or "the project" if parsed.kind == "project" else parsed.network.name
    print(f"Imported {parsed.kind} '{what}'.")


def cmd_history(args) -> None:
    store = _store(args)
    project = _project(store, args.project)
    team = store.load(Team, project.team_id)[0]
    # Two numbered lists, and `restore` takes a number from the first only: each header says which.
    print(f"History of {_named(project, team, project.id)}, newest first; "
          f"`ciwidgets restore {project.id} N` makes revision N of this list current again:")
    _print_revisions(store, project.id)
    print(f"\nHistory of the team {team.name} (name, school, people, norms, routine; {team.id}), newest first; "
          f"`ciwidgets restore {shlex.quote(args.project)} N --team` makes revision N of this list current again:")
    _print_revisions(store, team.id)


def _print_revisions(store: Store, doc_id: str) -> None:
    for rev in store.history(doc_id):
        when = rev.saved_at[:19].replace("T", " ")  # to the second, in UTC as stored
        print(f"  {rev.number:>5}  {when} UTC  {rev.author or '-':<16} {rev.message}")


def _named(project: Project, team: Team, *more: str) -> str:
    """"'Math for every Fox student' (Fox Elementary, 2026-27)": what a coach calls it (the
    team's name when it has no title); `more` goes inside the parentheses too."""
    return f"'{project.title or team.name}' ({', '.join([team.name, project.school_year, *more])})"


def cmd_restore(args) -> None:
    store = _store(args)
    project = _project(store, args.project)
    if args.team:
        old = store.load_revision(Team, project.team_id, args.revision)
        if same := [t for t in store.teams(old.network_id) if t.id != old.id and same_words(t.name, old.name)]:
            raise UserError(f"Revision {args.revision} names the team {old.name!r}, as {_listed(same)} is called now: "
                            "two teams of one name cannot be told apart. Rename one of them first.")
        saved = store.restore(Team, project.team_id, args.revision, author=args.author)
        print(f"Restored revision {args.revision} of the team {saved.doc.name} (its name, school, people, norms "
              f"and routine) as revision {saved.revision}; its join code stays {saved.doc.join_code}.")
        return
    saved = store.restore(Project, project.id, args.revision, author=args.author)
    team = store.load(Team, project.team_id)[0]
    # Named as restored: the title may be one of the things the old revision brings back.
    print(f"Restored revision {args.revision} of {_named(saved.doc, team)} as revision {saved.revision}.")


def cmd_tables(args) -> None:
    from .api.frames import network_frames, project_frames, write_tables

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} is a file: --out names the folder to write the tables into.")
    store = _store(args)
    if args.project and args.all_years:
        raise UserError("--all-years stacks a network's years; --project names one project (one year).")
    if args.project:
        frames = project_frames(_project(store, args.project))
    else:
        network = _only_network(store, args.network)
        if not store.teams(network.id):  # no tables at all: an Excel file of no sheet is corrupt
            raise UserError(f"{network.name} has no teams yet, so there are no tables; nothing was written.")
        frames = network_frames(store, network.id, all_years=args.all_years)
        if not frames:
            raise UserError(f"No team of {network.name} has a project yet, so there are no tables; nothing was written.")
    for path in write_tables(frames, out, fmt=args.format):
        print(f"Wrote {path}.")


def cmd_schema(args) -> None:
    _write(_output(args.output), json.dumps(json_schema(), indent=2, sort_keys=True) + "\n")


def cmd_serve(args) -> None:
    store = _store(args)  # before Voilà is imported: a mistyped --db is told at once
    from .serve import serve

    if not store.networks():
        print("The store is empty: run `ciwidgets demo` or `ciwidgets team add NAME` first.", file=sys.stderr)
    raise SystemExit(serve(db=store.url, port=args.port, host=args.host, open_browser=args.open,
                           preheat=not args.no_preheat, workbooks=args.workbooks))


def cmd_new_workbook(args) -> None:
    from .scaffold import ScaffoldError, new_workbook

    try:
        path = new_workbook(args.name, title=args.title, phase=args.phase, view=args.view, folder=args.folder)
    except ScaffoldError as e:
        raise UserError(str(e)) from None
    print(f"Created {path}. Fill in the TODOs and replace the view cell; see docs/extending.md.")
    print(f"Open it in JupyterLab: jupyter lab {shlex.quote(str(path))}")
    print(_where_serve_looks(path))


def _where_serve_looks(path: Path) -> str:
    """Where `ciwidgets serve` looks unless told: a researcher must not wait for a new
    workbook that never appears on the landing page."""
    from .paths import resource_dir

    try:
        shipped = resource_dir("workbooks")
    except FileNotFoundError:
        shipped = None
    if shipped is not None and path.parent.resolve() == shipped.resolve():
        return "`ciwidgets serve` serves this folder (its landing page lists the numbered workbooks, NN-name.ipynb)."
    return (f"To open it as an app: `ciwidgets serve --workbooks {shlex.quote(str(path.parent))}` (that folder's "
            f"workbooks; `ciwidgets serve` alone serves the package's own{f', in {shipped}' if shipped else ''}).")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ciwidgets", description="Guided improvement-science workbooks for school teams.")
    top.add_argument("--db", help="SQLite file or database URL (default: $CIWIDGETS_DB or ./ciwidgets.db); "
                                  "only demo, team add and import start a new file")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    about_demo = "build the demo network (Fox, Eagle, Heron and Oak Elementary) and print its join links"
    demo = sub.add_parser("demo", help=about_demo, description=about_demo[0].upper() + about_demo[1:] + ".")
    demo.add_argument("--if-empty", action="store_true", help="only if the store has no network yet")
    demo.add_argument("--url", default=DEFAULT_URL, help="where the app is served, for the printed links")
    demo.set_defaults(func=cmd_demo)

    team = sub.add_parser("team", help="add or list teams").add_subparsers(dest="action", required=True, metavar="ACTION")
    add = team.add_parser("add", help="add a team and print its join link")
    add.add_argument("name")
    add.add_argument("--school")
    add.add_argument("--network", help="network id or name (needed when there are several)")
    add.add_argument("--url", default=DEFAULT_URL, help="where teams reach the app, for the printed link")
    add.set_defaults(func=cmd_team_add)
    team.add_parser("list", help="list networks and teams with their codes").set_defaults(func=cmd_team_list)
    cards = team.add_parser("cards", help="write printable join cards (link, code and QR code) for every team")
    cards.add_argument("--network", help="network id or name (needed when there are several)")
    cards.add_argument("--url", default=DEFAULT_URL, help="where teams reach the app, e.g. http://192.168.1.20:8866")
    cards.add_argument("-o", "--output", default="join-cards.html", help="file to write (default: join-cards.html)")
    cards.set_defaults(func=cmd_team_cards)
    new_code = team.add_parser("new-code", help="give a team a new join code (a card was lost)")
    new_code.add_argument("team", help="the team's join code, id or name")
    new_code.add_argument("--url", default=DEFAULT_URL)
    new_code.set_defaults(func=cmd_team_new_code)

    hub = sub.add_parser("hub", help="the coach's hub code").add_subparsers(dest="action", required=True,
                                                                           metavar="ACTION")
    hub_code = hub.add_parser("new-code", help="give the network a new hub code (the old link went too far)")
    hub_code.add_argument("--network", help="network id or name (needed when there are several)")
    hub_code.add_argument("--url", default=DEFAULT_URL)
    hub_code.set_defaults(func=cmd_hub_new_code)

    export = sub.add_parser("export", help="export a project or a network as JSON")
    which = export.add_mutually_exclusive_group()  # one or the other: neither silently wins
    which.add_argument("--project", help="project id, team join code or team name")
    which.add_argument("--network", help="network id or name")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="import a project or network JSON file")
    imp.add_argument("file")
    imp.add_argument("--replace", action="store_true",
                     help="replace what is stored of the same project, team or network with the file's version "
                          "(what is stored now stays in the history; codes given here are kept)")
    imp.set_defaults(func=cmd_import)

    history = sub.add_parser("history", help="list the saved revisions of a project (and of its team)")
    history.add_argument("project", help="project id, team join code or team name")
    history.set_defaults(func=cmd_history)

    restore = sub.add_parser("restore", help="make an old revision of a project (or of its team) the newest again")
    restore.add_argument("project", help="project id, team join code or team name")
    restore.add_argument("revision", type=int, help="a number from the project's list in `ciwidgets history` "
                                                    "(with --team, from the team's list)")
    restore.add_argument("--team", action="store_true",
                         help="restore the team (its name, school, people, norms, meeting routine) instead of the project")
    restore.add_argument("--author", default="restore")
    restore.set_defaults(func=cmd_restore)

    tables = sub.add_parser("tables", help="write tidy CSV/Excel tables of a network or project for analysis")
    which = tables.add_mutually_exclusive_group()
    which.add_argument("--network", help="network id or name (default: the only one)")
    which.add_argument("--project", help="one project: id, team join code or team name")
    tables.add_argument("--all-years", action="store_true",
                        help="every school year's project of each team, not only the current one")
    tables.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    tables.add_argument("--out", default="tables", help="folder to write into (default: ./tables)")
    tables.set_defaults(func=cmd_tables)

    schema = sub.add_parser("schema", help="write the JSON Schema of the export format")
    schema.add_argument("-o", "--output")
    schema.set_defaults(func=cmd_schema)

    new = sub.add_parser("new-workbook", help="start a new workbook notebook from the standard skeleton")
    new.add_argument("name", help="e.g. 09-community-walk (numbered by --phase if it has no number)")
    new.add_argument("--title", help="the heading (default: from the name)")
    new.add_argument("--phase", type=int, help="phase number, for the file name and open_workbook(phase=N)")
    new.add_argument("--view", help="the view cell to start from (default: the phase's usual view)")
    new.add_argument("--folder", default="workbooks",
                     help="where to write it (default: ./workbooks); serve it with `ciwidgets serve --workbooks`")
    new.set_defaults(func=cmd_new_workbook)

    serve = sub.add_parser("serve", help="serve the workbooks as Voila apps")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--open", action="store_true", help="open a browser")
    serve.add_argument("--no-preheat", action="store_true",
                       help="start kernels only when a page is opened (less memory, slower first open)")
    serve.add_argument("--workbooks", help="the folder of workbooks to serve (default: the package's own), "
                                           "e.g. one with a workbook of your own added")
    serve.set_defaults(func=cmd_serve)
    return top


def _sentence(error: Exception, db: str | None) -> str | None:
    """The known kinds of failure, in words; None for anything else (a bug keeps its traceback)."""
    if isinstance(error, Unavailable):
        return _unavailable(error, db)
    if isinstance(error, (UserError, StoreError, ModelError)):
        return str(error)
    if isinstance(error, ValidationError):
        return str(explain(error))
    if isinstance(error, OSError) and error.filename:  # a path the file system refused
        return f"Cannot use {_shown(str(error.filename), 80)}: {error.strerror or error}."
    return None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.getLogger("ciwidgets.store").addHandler(_STORE_LOG_KEPT_QUIET)  # once: the same handler
    try:
        args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`
        sys.stderr.close()
        return 0
    except Exception as e:
        sentence = _sentence(e, args.db)
        if sentence is None:
            raise
        print(f"ciwidgets: {sentence}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
