"""The driver diagram editor: add, rename, reorder, link and delete drivers and change
ideas; the diagram redraws after every save.

Every control is a standard, labelled ipywidget, so the whole editor works with the
keyboard (Tab, typing, Enter, Space). Rows are kept per node and updated in place, so a
teammate's edit arriving in the middle of typing does not steal the focus."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from html import escape

from ..analysis import theory as T
from ..analysis.rootcause import top_causes
from ..analysis.words import shortened
from ..model import CHANGE_IDEA_STATUSES, ChangeIdea, PrimaryDriver, Project, SecondaryDriver
from ..render.driver import driver_diagram_svg
from ..session import Session
from . import lean as W
from .common import (
    ConfirmButton,
    DiagramView,
    SaveStatus,
    close_all,
    focus_after_move,
    keyed_rows,
    set_children,
)

LEVEL_WORDS = {"primary": "primary driver", "secondary": "secondary driver", "change idea": "change idea"}
PARENT_WORDS = {"secondary": "primary drivers", "change idea": "secondary drivers"}
UNLINKED = "(not linked yet)"


def school_of(session: Session) -> str:
    team = session.team
    return (team.school or team.name) if team is not None else ""


class LinkPicker:
    """Many-to-many links as a list of checkboxes (one per possible parent), behind a
    button so a long diagram stays short. Checkboxes are made on first opening.
    Place `toggle` with the row's buttons and `panel` below the row."""

    def __init__(self, label: str, on_change: Callable[[list[str]], None]):
        self.label, self.on_change = label, on_change
        self.toggle = W.Button(description=label, layout=W.Layout(width="auto"), tooltip=self._tooltip(False))
        self.toggle.on_click(lambda _: self.set_open(not self.is_open))
        self.toggle.add_class("ciw-links-toggle")
        self.boxes: dict[str, W.Checkbox] = {}
        self.panel = W.VBox(layout=W.Layout(display="none", padding="4px 0 4px 12px"))
        self.panel.add_class("ciw-links")
        self.options: list[tuple[str, str]] = []
        self.selected: list[str] = []
        self._quiet = False

    @property
    def is_open(self) -> bool:
        return self.panel.layout.display != "none"

    def set_open(self, open_: bool) -> None:
        W.show(self.panel, open_)
        self.toggle.tooltip = self._tooltip(open_)  # says what a press does now: open or close
        if open_:
            self._fill()

    def _tooltip(self, open_: bool) -> str:
        return f"{'Hide' if open_ else 'Show'} the list: {self.label.lower()}"

    def show(self, options: Sequence[tuple[str, str]], selected: Sequence[str]) -> None:
        """options: (id, label) of every possible parent; selected: linked ids."""
        self.options, self.selected = list(options), list(selected)
        n = len(self.selected)
        self.toggle.description = f"{self.label} ({n})"
        if self.is_open:
            self._fill()

    def _fill(self) -> None:
        self._quiet = True
        try:
            boxes = keyed_rows(self.boxes, [i for i, _ in self.options], self._box)
            set_children(self.panel, boxes or [self.nothing_to_link])
            for i, label in self.options:
                self.boxes[i].description = label
                self.boxes[i].value = i in self.selected
        finally:
            self._quiet = False

    @functools.cached_property
    def nothing_to_link(self) -> W.HTML:
        return W.HTML('<span class="ciw-muted">Nothing to link to yet.</span>')

    def _box(self, option_id: str) -> W.Checkbox:
        box = W.Checkbox(indent=False, layout=W.Layout(width="auto"))
        box.observe(lambda change, i=option_id: self._ticked(i, change["new"]), "value")
        return box

    def _ticked(self, option_id: str, on: bool) -> None:
        if self._quiet:
            return
        chosen = [i for i, _ in self.options if (i == option_id and on) or (i != option_id and i in self.selected)]
        self.on_change(chosen)


def cause_choices(project: Project) -> list[tuple[str, str]]:
    """(id, label) of every fishbone cause, the top-voted ones said so."""
    top = {c.id for c in top_causes(project.fishbone)}
    return [(c.id, shortened(c.text) + (" · top-voted" if c.id in top else "")) for c in project.fishbone.causes]


class NodeRow(W.VBox):
    """One driver or change idea: its words, links, status, and Up/Down/Delete."""

    def __init__(self, editor: DriverDiagramEditor, node_id: str, level: str):
        self.editor, self.node_id, self.level = editor, node_id, level
        word = LEVEL_WORDS[level]
        self.text = W.Text(continuous_update=False, layout=W.Layout(flex="1 1 18em", min_width="12em"),
                           style={"description_width": "auto"}, description_allow_html=True)
        self.text.observe(self._renamed, "value")
        self.up = W.Button(description="Up", tooltip=f"Move this {word} up", layout=W.Layout(width="auto"))
        self.down = W.Button(description="Down", tooltip=f"Move this {word} down", layout=W.Layout(width="auto"))
        self.up.on_click(lambda _: editor.move(self, -1))
        self.down.on_click(lambda _: editor.move(self, +1))
        self.delete = ConfirmButton("Delete", "Really delete?", lambda: editor.delete(node_id),
                                    tooltip=f"Delete this {word} (asks again)")
        self.links: LinkPicker | None = None
        if level in PARENT_WORDS:
            self.links = LinkPicker(f"Linked {PARENT_WORDS[level]}", lambda ids: editor.set_links(node_id, ids))
        self.status: W.Dropdown | None = None
        self.causes: LinkPicker | None = None  # the fishbone causes a change idea addresses
        if level == "change idea":
            self.status = W.Dropdown(options=list(CHANGE_IDEA_STATUSES), description="Status",
                                     layout=W.Layout(width="13em"), style={"description_width": "auto"})
            self.status.observe(self._status_changed, "value")
            self.causes = LinkPicker("Root causes", lambda ids: editor.set_causes(node_id, ids))
        pickers = [p for p in (self.links, self.causes) if p is not None]
        row = W.Layout(flex_flow="row wrap", align_items="center")
        # The words and Up/Down/Delete keep the first line; links and status go on a second,
        # so a tablet does not wrap Delete alone onto a line of its own.
        children: list[W.Widget] = [W.HBox([self.text, self.up, self.down, self.delete], layout=row)]
        second = [w for w in (self.status, *(p.toggle for p in pickers)) if w is not None]
        if second:
            children.append(W.HBox(second, layout=W.Layout(flex_flow="row wrap", align_items="center",
                                                           margin="0 0 0 2.2em")))
        self.note = W.HTML()
        children += [p.panel for p in pickers]
        children.append(self.note)
        super().__init__(children, layout=W.Layout(padding="4px 0", border_bottom="1px solid #eee"))
        self._quiet = False

    def show(self, project: Project, number: int, order: T.DisplayOrder, loose: dict[str, list[str]],
             causes: Sequence[tuple[str, str]], ends: tuple[bool, bool]) -> None:
        """Update the controls from the model without sending anything back. `causes`:
        `cause_choices(project)`, made once for every row; `ends`: whether the row is the
        first and the last among those it moves between."""
        node = project.find(self.node_id)
        self._quiet = True
        try:
            # Seen as "1."; read aloud as "Primary driver 1" (the words are off-screen).
            self.text.description = (f"<span style='position:absolute;left:-10000px'>"
                                     f"{LEVEL_WORDS[self.level].capitalize()} </span>{number}.")
            self.text.value = node.text
            if self.status is not None and self.status.value != node.status:
                self.status.value = node.status
        finally:
            self._quiet = False
        self.delete.disarm()
        said = f"the {LEVEL_WORDS[self.level]} '{shortened(node.text, 40)}'"  # which one, read aloud
        self.up.tooltip, self.down.tooltip = f"Move {said} up", f"Move {said} down"
        self.up.disabled, self.down.disabled = ends
        self.delete.tooltip = f"Delete {said} (asks again)"
        parents = order.primary if self.level == "secondary" else order.secondary
        selected = node.primary_ids if self.level == "secondary" else getattr(node, "secondary_ids", [])
        if self.links is not None:
            self.links.show([(p.id, shortened(p.text)) for p in parents], selected)
        notes = []
        if self.level == "change idea":
            n = len(project.cycles_of(self.node_id))
            notes.append(f"{n} PDSA cycle{'s' if n != 1 else ''}" if n else "No PDSA cycles yet")
            source = project.find(node.source_id) if node.source_id else None
            if source is not None:
                notes.append(f"Borrowed from {shortened(source.title, 50)}")
        if self.links is not None and selected:
            names = {p.id: p.text for p in parents}
            notes.append("Moves: " + "; ".join(shortened(names[i], 40) for i in selected if i in names))
        if self.causes is not None:
            self.causes.show(causes, node.cause_ids)
            named = dict(causes)
            if node.cause_ids:
                notes.append("Addresses: " + "; ".join(shortened(named[i], 40) for i in node.cause_ids if i in named))
        notes += loose.get(self.node_id, [])
        self.note.value = (f'<div class="ciw-muted" style="font-size:0.9em;margin-left:2.2em">'
                           f'{escape(" · ".join(notes))}</div>') if notes else ""

    def _renamed(self, change) -> None:
        if not self._quiet:
            self.editor.rename(self.node_id, change["new"])

    def _status_changed(self, change) -> None:
        if not self._quiet:
            self.editor.set_status(self.node_id, change["new"])


class AddRow(W.HBox):
    """'New primary driver: [...] [Add]' — Enter in the box adds too."""

    def __init__(self, level: str, on_add: Callable[[str, str | None], bool], parent_label: str | None = None):
        word = LEVEL_WORDS[level]
        self.level, self.on_add = level, on_add
        self.text = W.Text(placeholder=f"Type a {word} and press Enter", continuous_update=False,
                           description=f"New {word}", style={"description_width": "auto"},
                           layout=W.Layout(flex="1 1 20em"))
        self.text.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.parent: W.Dropdown | None = None
        children: list[W.Widget] = [self.text]
        if parent_label:
            self.parent = W.Dropdown(description=parent_label, style={"description_width": "auto"},
                                     layout=W.Layout(width="18em"))
            children.append(self.parent)
        self.button = W.Button(description="Add", button_style="primary", tooltip=f"Add the {word}",
                               layout=W.Layout(width="auto"))
        children.append(self.button)
        self.text.observe(lambda change: self._add(), "value")
        self.button.on_click(lambda _: self._add())
        super().__init__(children, layout=W.Layout(flex_flow="row wrap", align_items="center",
                                                   margin="6px 0 0 0"))

    def set_parents(self, options: Sequence[tuple[str, str]]) -> None:
        if self.parent is None:
            return
        choices = [(label, pid) for pid, label in options] + [(UNLINKED, "")]
        current = self.parent.value
        self.parent.options = choices
        ids = [pid for _, pid in choices]
        # Keep the driver chosen last (adding several under one driver is common);
        # otherwise start under the first driver, so nothing new is left unlinked by default.
        self.parent.value = current if current and current in ids else ids[0]

    def _add(self) -> None:
        words = self.text.value.strip()
        if not words:
            return
        parent = self.parent.value if self.parent is not None else None
        if self.on_add(words, parent or None):
            self.text.value = ""


class DriverDiagramEditor(W.VBox):
    """Aim -> primary drivers -> secondary drivers -> change ideas, edited in place."""

    def __init__(self, session: Session, **options):
        self.session = session
        self.view = DiagramView(lambda: driver_diagram_svg(session.doc, school=school_of(session)),
                                "driver-diagram", session)
        self.loose = W.HTML()
        self.rows: dict[str, NodeRow] = {}
        self.labels: dict[tuple[str, str], W.HTML] = {}
        self.lists = {level: W.VBox() for level in LEVEL_WORDS}
        self.adders = {
            "primary": AddRow("primary", lambda t, _p: self.add("primary", t, None)),
            "secondary": AddRow("secondary", lambda t, p: self.add("secondary", t, p), "Under"),
            "change idea": AddRow("change idea", lambda t, p: self.add("change idea", t, p), "Under"),
        }
        sections = []
        for level, title, hint in (
            ("primary", "Primary drivers",
             "The few big things that must change to reach the aim (3 to 5 is typical)."),
            ("secondary", "Secondary drivers",
             "Where, in your school's system, each primary driver can be moved. One may serve several."),
            ("change idea", "Change ideas",
             "Specific changes you could test with a PDSA cycle. One may move several drivers."),
        ):
            sections.append(W.HTML(f"<h3 style='margin:1em 0 0.2em'>{title}</h3>"
                                   f"<div class='ciw-muted' style='margin-bottom:0.3em'>{hint}</div>"))
            sections += [self.lists[level], self.adders[level]]
        super().__init__([self.view, self.loose, *sections, SaveStatus(session)], **options)
        self.add_class("ciw-driver-editor")
        session.observe(self._redraw)
        self._redraw(session)

    # -- edits (each one a saved change) ------------------------------------------------
    def _edit(self, change: Callable[[Project], object], what: str) -> bool:
        return self.session.edit(change, what=what).ok

    def add(self, level: str, text: str, parent_id: str | None) -> bool:
        parents = [parent_id] if parent_id else []
        adders = {"primary": lambda p: T.add_primary_driver(p, text),
                  "secondary": lambda p: T.add_secondary_driver(p, text, parents),
                  "change idea": lambda p: T.add_change_idea(p, text, parents)}
        return self._edit(adders[level], f"added the {LEVEL_WORDS[level]} '{shortened(text, 60)}'")

    def _named(self, node_id: str) -> str:
        """'the change idea 'Exit tickets'': what the history says an edit was about."""
        node = self.session.doc.find(node_id)
        if not isinstance(node, PrimaryDriver | SecondaryDriver | ChangeIdea):
            return "a driver or change idea"
        return f"the {T.level_word(node)} '{shortened(node.text, 60)}'"

    def rename(self, node_id: str, text: str) -> bool:
        return self._edit(lambda p: T.rename(p, node_id, text), f"renamed {self._named(node_id)} to '{shortened(text, 60)}'")

    def set_status(self, node_id: str, status: str) -> bool:
        if status not in CHANGE_IDEA_STATUSES:  # a visitor can send anything
            return False

        def change(p: Project) -> None:
            p.find(node_id).status = status

        return self._edit(change, f"marked {self._named(node_id)} '{status}'")

    def set_causes(self, node_id: str, cause_ids: list[str]) -> bool:
        return self._edit(lambda p: T.set_causes(p, node_id, cause_ids),
                          f"changed the root causes {self._named(node_id)} addresses")

    def set_links(self, node_id: str, parent_ids: list[str]) -> bool:
        return self._edit(lambda p: T.set_links(p, node_id, parent_ids), f"changed what {self._named(node_id)} is linked to")

    def move(self, row: NodeRow, step: int) -> bool:
        moved = {"done": False}

        def change(p: Project) -> None:
            moved["done"] = T.move(p, row.node_id, step)

        ok = self._edit(change, "reordered the driver diagram") and moved["done"]
        if ok:
            focus_after_move(row.up, row.down, step)
        return ok

    def delete(self, node_id: str) -> bool:
        return self._edit(lambda p: T.delete_node(p, node_id), f"deleted {self._named(node_id)} from the driver diagram")

    # -- drawing -------------------------------------------------------------------------
    def _redraw(self, session: Session) -> None:
        project = session.doc
        order = T.display_order(project)
        orphans = T.find_orphans(project)
        loose: dict[str, list[str]] = {}
        for o in orphans:
            loose.setdefault(o.node_id, []).append(o.message)
        causes = cause_choices(project) if order.change_ideas else []
        for level, nodes, groups in (
            ("primary", order.primary, None),
            ("secondary", order.secondary, order.primary),
            ("change idea", order.change_ideas, order.secondary),
        ):
            self._show_level(project, order, level, nodes, groups, loose, causes)
        self.adders["secondary"].set_parents([(p.id, shortened(p.text, 40)) for p in order.primary])
        self.adders["change idea"].set_parents([(s.id, shortened(s.text, 40)) for s in order.secondary])
        self.loose.value = _loose_html(orphans)

    def _show_level(self, project, order, level, nodes, groups, loose, causes) -> None:
        children: list[W.Widget] = []
        last_group = None
        in_group = [order.group_of(n.id) for n in nodes]  # a node moves among those of its group
        for number, node in enumerate(nodes, start=1):
            here = in_group[number - 1]
            ends = (number == 1 or in_group[number - 2] != here, number == len(nodes) or in_group[number] != here)
            if groups is not None:
                group = here[1]
                if group != last_group:
                    under = f"Under '{shortened(groups[group].text)}'" if group < len(groups) else "Not linked yet"
                    key = groups[group].id if group < len(groups) else ""
                    children.append(self._label(level, key, under, "margin-top:0.6em;font-weight:600"))
                    last_group = group
            row = self.rows.get(node.id)
            if row is None:
                row = self.rows[node.id] = NodeRow(self, node.id, level)
            row.show(project, number, order, loose, causes, ends)
            children.append(row)
        if not nodes:
            children.append(self._label(level, "none", f"No {LEVEL_WORDS[level]}s yet.", ""))
        known = {n.id for n in nodes}
        for node_id in [i for i, r in self.rows.items() if r.level == level and i not in known]:
            close_all(self.rows.pop(node_id))
        set_children(self.lists[level], children)

    def _label(self, level: str, key: str, words: str, style: str) -> W.HTML:
        """A small heading between rows, kept per (level, key) and updated in place."""
        label = self.labels.get((level, key))
        if label is None:
            label = self.labels[(level, key)] = W.HTML()
        label.value = f"<div class='ciw-muted' style='{style}'>{escape(words)}</div>"
        return label


def _loose_html(orphans: list[T.Orphan]) -> str:
    if not orphans:
        return ""
    items = "".join(f"<li>{escape(o.message)}</li>" for o in orphans)
    return ("<div class='ciw-note ciw-warn' role='note'><strong>Loose ends</strong> "
            "(no hurry: a theory grows over several meetings)<ul style='margin:0.2em 0'>"
            f"{items}</ul></div>")
