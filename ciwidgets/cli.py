"""`ciwidgets`: build the demo, add teams, export/import, history/restore, serve."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .model import ModelError, Network, Project, Team, new_join_code
from .model.understand import web_address
from .render.cards import DEFAULT_URL, join_cards_html, join_link
from .store import Store, StoreError, export_network, export_project, import_file, json_schema
from .store.db import redacted

CONVENING = "08-network-convening"


class UserError(Exception):
    """A mistake in what was asked; printed without a traceback."""


def _store(args) -> Store:
    return Store(args.db)


def _only_network(store: Store, name: str | None) -> Network:
    networks = store.networks()
    if name:
        found = [n for n in networks if name in (n.id, n.name)]
        if not found:
            raise UserError(f"There is no network called '{name}'. Networks: {', '.join(n.name for n in networks) or 'none'}.")
        return found[0]
    if len(networks) == 1:
        return networks[0]
    if not networks:
        return store.create(Network(name="My network")).doc
    raise UserError("There are several networks; name one with --network.")


def _project(store: Store, ref: str) -> Project:
    """A project by id, or the current project of a team by join code or name."""
    kind = store.kind_of(ref)
    if kind is Project:
        return store.load(Project, ref)[0]
    team = store.by_code(ref)
    if not isinstance(team, Team):
        team = _team_by_name(store, ref)
    return store.current_project(team.id)


def _team_by_name(store: Store, ref: str) -> Team:
    """A team by id or name; a unique part of a name will do ('Fox')."""
    if not ref.strip():
        raise UserError("Name the team: its name (or part of it), its join code or a project id.")
    teams = [t for n in store.networks() for t in store.teams(n.id)]
    exact = [t for t in teams if ref in (t.id, t.name)]
    partial = [t for t in teams if ref.casefold() in t.name.casefold()]
    found = exact or partial
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(f"'{ref}' matches several teams: {', '.join(t.name for t in found)}.")
    raise UserError(f"'{ref}' is not a project id, a team's join code or a team's name.")


def cmd_demo(args) -> None:
    from .demo import build_demo

    store = _store(args)
    if args.if_empty and store.networks():
        print(f"The store {redacted(store.url)} already has a network; leaving it as it is.")
    else:
        network = build_demo(store)
        print(f"Built the demo network '{network.name}' in {redacted(store.url)}.")
    for network in store.networks():
        print(f"\n{network.name} — coach's hub: {join_link(args.url, network.hub_code, 'hub', CONVENING)}")
        for team in store.teams(network.id):
            print(f"  {team.name}: {join_link(args.url, team.join_code)}")


def cmd_team_add(args) -> None:
    store = _store(args)
    network = _only_network(store, args.network)
    team = store.create(Team(network_id=network.id, name=args.name, school=args.school or args.name)).doc
    store.current_project(team.id)
    print(f"Added {team.name} to {network.name}. Join code: {team.join_code}")
    print(f"Join link: {join_link(args.url, team.join_code)}")


def _team(store: Store, ref: str) -> Team:
    """A team by join code, id or name."""
    found = store.by_code(ref)
    return found if isinstance(found, Team) else _team_by_name(store, ref)


def _base_url(url: str) -> str:
    try:
        return web_address(url, "http")
    except ValueError as e:
        raise UserError(f"--url {e}.") from None


def cmd_team_cards(args) -> None:
    store = _store(args)
    if not store.networks():
        raise UserError("There is no network yet: add a team first (ciwidgets team add NAME).")
    network = _only_network(store, args.network)
    teams = store.teams(network.id)
    path = Path(args.output)
    path.write_text(join_cards_html(network, teams, _base_url(args.url)), encoding="utf-8")
    print(f"Wrote {len(teams)} join card{'s' if len(teams) != 1 else ''} for {network.name} to {path}; "
          "open it in a browser and print it, two cards to a page.")


def cmd_team_new_code(args) -> None:
    """A lost card: the team gets a new code, and the old one opens nothing any more."""
    store, base_url = _store(args), _base_url(args.url)  # a mistyped --url changes nothing
    team, revision = store.load(Team, _team(store, args.team).id)
    team.join_code = new_join_code()
    store.save(team, revision, "coach", "gave the team a new join code")
    print(f"{team.name} has a new join code: {team.join_code}. The old code no longer opens anything;")
    print("pages already open keep working until they are reloaded.")
    print(f"Join link: {join_link(base_url, team.join_code)}")


def cmd_hub_new_code(args) -> None:
    """A hub link that went too far (projected, forwarded): the network gets a new hub code."""
    store, base_url = _store(args), _base_url(args.url)
    if not store.networks():
        raise UserError("There is no network yet: add a team first (ciwidgets team add NAME).")
    network, revision = store.load(Network, _only_network(store, args.network).id)
    network.hub_code = new_join_code()
    store.save(network, revision, "coach", "gave the network a new hub code")
    print(f"{network.name} has a new hub code: {network.hub_code}. The old one no longer opens anything.")
    print(f"Coach's hub: {join_link(base_url, network.hub_code, 'hub', CONVENING)}")


def cmd_team_list(args) -> None:
    store = _store(args)
    for network in store.networks():
        print(f"{network.name} (hub code {network.hub_code})")
        for team in store.teams(network.id):
            print(f"  {team.name}: {team.join_code}")


def cmd_export(args) -> None:
    store = _store(args)
    if args.network:
        text = export_network(store, _only_network(store, args.network).id)
    elif args.project:
        text = export_project(store, _project(store, args.project).id)
    else:
        raise UserError("Say what to export: --project (id, join code or team name) or --network (id or name).")
    _write(args.output, text)


def _write(output: str | None, text: str) -> None:
    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
        print(f"Wrote {output}.", file=sys.stderr)


def cmd_import(args) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"There is no file '{args.file}'.")
    parsed = import_file(_store(args), path.read_bytes())
    what = parsed.project.title or "the project" if parsed.kind == "project" else parsed.network.name
    print(f"Imported {parsed.kind} '{what}'.")


def cmd_history(args) -> None:
    store = _store(args)
    project = _project(store, args.project)
    team = store.load(Team, project.team_id)[0]
    print(f"History of {_named(project, team)} ({project.id}), newest first:")
    _print_revisions(store, project.id)
    print(f"\nHistory of the team {team.name} (people, norms, routine; {team.id}), newest first:")
    _print_revisions(store, team.id)


def _print_revisions(store: Store, doc_id: str) -> None:
    for rev in store.history(doc_id):
        when = rev.saved_at[:19].replace("T", " ")  # to the second, in UTC as stored
        print(f"  {rev.number:>5}  {when} UTC  {rev.author or '-':<16} {rev.message}")


def _named(project: Project, team: Team) -> str:
    """'Fox Elementary, 2026-27' (a project's title when it has one): what a coach calls it."""
    return f"'{project.title or team.name}' ({team.name}, {project.school_year})"


def cmd_restore(args) -> None:
    store = _store(args)
    project = _project(store, args.project)
    saved = store.restore(Project, project.id, args.revision, author=args.author)
    team = store.load(Team, project.team_id)[0]
    print(f"Restored revision {args.revision} of {_named(project, team)} as revision {saved.revision}.")


def cmd_tables(args) -> None:
    from .api.frames import network_frames, project_frames, write_tables

    store = _store(args)
    if args.project:
        frames = project_frames(_project(store, args.project))
    else:
        frames = network_frames(store, _only_network(store, args.network).id)
    for path in write_tables(frames, args.out, fmt=args.format):
        print(f"Wrote {path}.")


def cmd_schema(args) -> None:
    _write(args.output, json.dumps(json_schema(), indent=2, sort_keys=True) + "\n")


def cmd_serve(args) -> None:
    from .serve import serve

    store = _store(args)
    if not store.networks():
        print("The store is empty: run `ciwidgets demo` or `ciwidgets team add NAME` first.", file=sys.stderr)
    raise SystemExit(serve(db=store.url, port=args.port, host=args.host, open_browser=args.open,
                           preheat=not args.no_preheat))


def cmd_new_workbook(args) -> None:
    from .scaffold import ScaffoldError, new_workbook

    try:
        path = new_workbook(args.name, title=args.title, phase=args.phase, view=args.view, folder=args.folder)
    except ScaffoldError as e:
        raise UserError(str(e)) from None
    print(f"Created {path}. Fill in the TODOs and replace the view cell; see docs/extending.md.")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ciwidgets", description="Guided improvement-science workbooks for school teams.")
    top.add_argument("--db", help="SQLite file or database URL (default: $CIWIDGETS_DB or ./ciwidgets.db)")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="build the demo network (Fox and Eagle elementary)")
    demo.add_argument("--if-empty", action="store_true", help="only if the store has no network yet")
    demo.add_argument("--url", default=DEFAULT_URL, help="where the app is served, for the printed links")
    demo.set_defaults(func=cmd_demo)

    team = sub.add_parser("team", help="add or list teams").add_subparsers(dest="action", required=True, metavar="ACTION")
    add = team.add_parser("add", help="add a team and print its join link")
    add.add_argument("name")
    add.add_argument("--school")
    add.add_argument("--network", help="network id or name (needed when there are several)")
    add.add_argument("--url", default=DEFAULT_URL)
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
    export.add_argument("--project", help="project id, team join code or team name")
    export.add_argument("--network", help="network id or name")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="import a project or network JSON file")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_import)

    history = sub.add_parser("history", help="list the saved revisions of a project")
    history.add_argument("project", help="project id, team join code or team name")
    history.set_defaults(func=cmd_history)

    restore = sub.add_parser("restore", help="make an old revision of a project the newest again")
    restore.add_argument("project", help="project id, team join code or team name")
    restore.add_argument("revision", type=int)
    restore.add_argument("--author", default="restore")
    restore.set_defaults(func=cmd_restore)

    tables = sub.add_parser("tables", help="write tidy CSV/Excel tables of a network or project for analysis")
    tables.add_argument("--network", help="network id or name (default: the only one)")
    tables.add_argument("--project", help="one project: id, team join code or team name")
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
    new.add_argument("--folder", default="workbooks", help="where to write it (default: ./workbooks)")
    new.set_defaults(func=cmd_new_workbook)

    serve = sub.add_parser("serve", help="serve the workbooks as Voila apps")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--open", action="store_true", help="open a browser")
    serve.add_argument("--no-preheat", action="store_true",
                       help="start kernels only when a page is opened (less memory, slower first open)")
    serve.set_defaults(func=cmd_serve)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except (UserError, StoreError, ModelError) as e:
        print(f"ciwidgets: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`
        sys.stderr.close()
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
