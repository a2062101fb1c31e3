"""The fishbone editor: state the problem, build the bones, grow causes, attach evidence.

Everything is done with standard, labelled controls and works from the keyboard:
type a cause and press Enter to add it; pick a cause in the list (arrow keys) to
edit, move, mark, ground in evidence or delete it. Each committed entry is saved at
once through the session and the diagram redraws from the saved project, so an
edit merged in from another browser (or a conflict) shows up the same way.

Values a browser sends are never trusted: every id is looked up again in the
project being edited (the rules in `ciwidgets.analysis.rootcause` raise a sentence
when it is gone) and every text goes through the model's validation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import escape

from ..analysis.rootcause import (
    RootCauseError,
    add_category,
    add_cause,
    add_evidence,
    branch_ids,
    cause_trees,
    delete_cause,
    evidence_choices,
    move_cause,
    remove_category,
    rename_category,
    rename_cause,
    tally,
)
from ..analysis.words import shortened
from ..model import Cause, Project
from ..render.fishbone import fishbone_svg
from ..session import EditResult, Session
from . import lean as W
from .common import ConfirmButton, DiagramView, Feedback, SaveStatus, field

CONTROL_OPTIONS = (("not decided yet", "unknown"), ("yes, in our control", "yes"),
                   ("no, outside our control", "no"))
_CONTROL_VALUE = {"unknown": None, "yes": True, "no": False}
_DELETE = "__delete__"


# Scoped to the root-cause views: prose in HTML widgets gets normal line spacing (the
# widget default is one input-height per line) and long checkbox labels wrap.
STYLE = (
    "<style>"
    ".ciw-rootcause .widget-html-content{line-height:1.45}"
    ".ciw-rootcause .widget-html-content h3{margin:.7em 0 .25em}"
    ".ciw-rootcause .widget-html-content p{margin:.25em 0}"
    ".ciw-rootcause .widget-checkbox{height:auto;min-height:var(--jp-widgets-inline-height)}"
    ".ciw-rootcause .widget-checkbox label.widget-label-basic,.ciw-rootcause .widget-checkbox span"
    "{white-space:normal;overflow:visible;text-overflow:clip;line-height:1.35}"
    ".ciw-rootcause .ciw-sources{list-style:none;padding:0;margin:.3em 0}"
    ".ciw-rootcause .ciw-sources li{border-left:3px solid #0f6b6b;padding:.3em .7em;margin:.45em 0;"
    "background:#f6f4ef;border-radius:0 6px 6px 0;overflow-wrap:anywhere}"
    ".ciw-rootcause .ciw-source-finding{white-space:pre-line}"
    ".ciw-rootcause .ciw-sources a{color:#0f6b6b;text-decoration:underline;font-weight:600}"
    ".ciw-rootcause .ciw-chooser-row>.widget-dropdown{flex:1 1 0;min-width:0}"
    "</style>"
)


def chooser_row(chooser: W.Dropdown, go: W.Button) -> W.HBox:
    """A chooser and its button on one line; the chooser takes the room the button leaves."""
    row = W.HBox([chooser, go], layout=W.Layout(align_items="center"))
    row.add_class("ciw-chooser-row")
    return row


def button(**kwargs) -> W.Button:
    """A button as wide as its words (the default width cuts labels off), also beside a
    full-width chooser, which gives way instead."""
    kwargs.setdefault("tooltip", kwargs.get("description", ""))
    return W.Button(layout=W.Layout(width="auto", flex="0 0 auto"), **kwargs)


def control_key(value: bool | None) -> str:
    return {None: "unknown", True: "yes", False: "no"}[value]


def cause_options(project: Project, *, with_votes: bool = True) -> list[tuple[str, str]]:
    """(label, cause id) for every cause in diagram reading order, sub-causes indented."""
    votes = {t.cause.id: t.votes for t in tally(project.fishbone)} if with_votes else {}
    options = []
    trees = cause_trees(project.fishbone)
    for category in project.fishbone.categories:
        for node in trees[category.id]:
            dots = votes.get(node.cause.id, 0)
            suffix = f"  ({dots} dot{'s' if dots != 1 else ''})" if dots else ""
            # A sub-cause follows its parent, so its category goes without saying.
            lead = ("\u00a0\u00a0\u00a0\u00a0" * node.depth + "↳ ") if node.depth else f"{shortened(category.name, 28)} · "
            options.append((f"{lead}{shortened(node.cause.text, 70)}{suffix}", node.cause.id))
    return options


def find_cause(project: Project, cause_id: str | None) -> Cause | None:
    return next((c for c in project.fishbone.causes if c.id == cause_id), None)


class Editor(W.VBox):
    """Base of the root-cause views: a session, a sync guard, and edits with feedback."""

    def __init__(self, session: Session, children: list[W.Widget]):
        self.session = session
        self._syncing = False
        super().__init__([W.HTML(STYLE), *children])
        self.add_class("ciw-rootcause")
        session.observe(self._on_change)

    @contextmanager
    def syncing(self) -> Iterator[None]:
        """Set widget values from the model without treating them as user edits."""
        was, self._syncing = self._syncing, True
        try:
            yield
        finally:
            self._syncing = was

    def _on_change(self, session: Session) -> None:
        with self.syncing():
            self.sync(session.doc)

    def sync(self, doc: Project) -> None:  # pragma: no cover - every view overrides it
        raise NotImplementedError

    def edit(self, change: Callable[[Project], object], what: str, feedback: Feedback | None = None,
             ok_text: str = "") -> EditResult:
        result = self.session.edit(change, what=what)
        if feedback is not None:
            feedback.show(result, ok_text=ok_text)
        return result

    @staticmethod
    def gone_meanwhile(feedback: Feedback, what: str) -> None:
        """Say that what this page had open in its form was deleted by someone else: the
        form closes, and words typed into it and not yet saved go with it."""
        feedback.show(text=f"{what} was deleted by someone else meanwhile; anything typed into it "
                           "and not yet saved went with it.")

    def on_commit(self, widget: W.Widget, handler: Callable[[object], None]) -> None:
        """Call `handler(new value)` when the user (not a redraw) changes `widget`."""

        def changed(change: dict) -> None:
            if not self._syncing:
                handler(change["new"])

        widget.observe(changed, "value")


class ChosenEditor(Editor):
    """A list with one form for the chosen entity (`selected_id`, of `chosen_kind`),
    so the page stays the same size however long the list grows. `feedback`, under the
    form, says what became of the last change to it."""

    chosen_kind: type
    selected_id: str | None
    feedback: Feedback

    def _select(self, entity_id: str | None) -> None:
        self.selected_id = entity_id
        self.feedback.show()
        self._on_change(self.session)

    def _refuse(self, text: str) -> None:
        """Say why a change was not made; the form shows what is saved again."""
        self.feedback.show(text=text)
        self._on_change(self.session)

    def _edit_chosen(self, change: Callable[[object], object], what: str) -> None:
        chosen_id, kind = self.selected_id, self.chosen_kind

        def apply(p: Project) -> None:
            entity = p.find(chosen_id)
            if isinstance(entity, kind):
                change(entity)

        self.edit(apply, what, self.feedback)  # refused: every field shows what is saved


def set_options(widget: W.Widget, options: list[tuple[str, object]], value: object) -> None:
    """Replace a chooser's options (only when they changed) and select `value`."""
    if tuple(widget.options) != tuple(options):
        widget.options = options
    values = [v for _, v in options]
    widget.value = value if value in values else (values[0] if values and not isinstance(widget, W.Select) else None)


class FishboneEditor(Editor):
    """Fishbone (cause-and-effect) diagram editor with SVG/PNG download.

    Options: `highlight_top` (how many top-voted ranks to highlight, default 3)."""

    def __init__(self, session: Session, *, highlight_top: int = 3):
        self.session = session
        self.highlight_top = highlight_top
        self.selected_id: str | None = None
        self._open_text = ""  # the words of the cause open in the form, to name it if it goes
        self.selected_category: str | None = None
        self._just_added = False
        self.status = SaveStatus(session)

        self.problem = field("Problem (fish head)", W.Textarea, rows=2, continuous_update=False,
                             placeholder="e.g. Only 17% of our students meet or exceed the state math standard")
        self.use_statement = button(description="Use our problem statement", icon="arrow-down",
                                      tooltip="Copy the problem statement into the fish head")
        self.problem_feedback = Feedback()
        self.diagram = DiagramView(self._svg, "fishbone", session)

        self._build_add_form()
        self._build_details()
        self._build_categories()

        super().__init__(session, [
            self.status,
            W.VBox([self.problem, W.HBox([self.use_statement]), self.problem_feedback]),
            self.diagram, self.add_box, self.list_box, self.details, self.categories_box,
        ])
        self.add_class("ciw-fishbone")
        self.on_commit(self.problem, self._set_problem)
        self.use_statement.on_click(lambda _: self._set_problem(self.session.doc.problem_statement))
        self._on_change(session)

    def _svg(self) -> str:
        return fishbone_svg(self.session.doc, highlight_top=self.highlight_top)

    # ------------------------------------------------------------ building

    def _build_add_form(self) -> None:
        self.add_category_pick = field("Category", W.Dropdown)
        self.add_control = field("In our control?", W.Dropdown, options=CONTROL_OPTIONS, value="unknown")
        self.add_text = field("New cause", W.Text, continuous_update=False,
                              placeholder="Type a cause and press Enter")
        self.add_text.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.add_button = button(description="Add cause", button_style="primary", icon="plus")
        self.add_feedback = Feedback()
        self.on_commit(self.add_text, lambda _: self._add_cause(from_enter=True))
        self.add_button.on_click(lambda _: self._add_cause(from_enter=False))
        self.add_box = W.VBox([
            W.HTML("<h3>Add a cause</h3>"),
            self.add_category_pick, self.add_control, self.add_text,
            W.HBox([self.add_button]), self.add_feedback,
        ])

    def _build_details(self) -> None:
        self.cause_list = field("Causes", W.Select, rows=10)
        self.list_box = W.VBox([W.HTML("<h3>Causes on the fishbone</h3>"), self.cause_list])
        self.on_commit(self.cause_list, self._select)
        # The chosen cause's form is made when a cause is first chosen: every control is a
        # model the page waits for when it opens, and most visits never open it.
        self.details = W.VBox(layout=W.Layout(display="none", border="1px solid #d9d4c9", padding="0.5em 0.8em",
                                              margin="0.5em 0"))

    def _details_form(self) -> None:
        """Make the chosen cause's form (once)."""
        if self.details.children:
            return
        self.cause_text = field("Cause", W.Text, continuous_update=False)
        self.cause_control = field("In our control?", W.Dropdown, options=CONTROL_OPTIONS)
        self.move_to = field("Move to", W.Dropdown, width="auto")
        self.move_button = button(description="Move", icon="arrows")
        self.sub_text = field("Add a sub-cause", W.Text, continuous_update=False,
                              placeholder="Why does this happen? Press Enter to add")
        self.evidence_list = field("Evidence", W.Select, rows=3)
        self.evidence_remove = button(description="Remove evidence", icon="times")
        self.evidence_pick = field("From interviews or sources", W.Dropdown, width="auto")
        self.evidence_attach = button(description="Attach", icon="paperclip")
        self.evidence_note = field("Data or note", W.Text, continuous_update=False,
                                   placeholder="e.g. 62% of exit tickets below mastery; press Enter")
        self.evidence_note.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.delete_button = ConfirmButton("Delete cause", self._delete_question, self._delete,
                                           tooltip="Delete this cause, its sub-causes and its dots (asks once more)",
                                           icon="trash")
        self.details_feedback = Feedback()
        self.details_title = W.HTML()

        self.on_commit(self.cause_text, self._set_text)
        self.on_commit(self.cause_control, self._set_control)
        self.move_button.on_click(lambda _: self._move())
        self.on_commit(self.sub_text, lambda _: self._add_sub())
        self.evidence_attach.on_click(lambda _: self._attach_chosen_evidence())
        self.on_commit(self.evidence_note, lambda _: self._attach_note())
        self.evidence_remove.on_click(lambda _: self._remove_evidence())

        self.details.children = [
            self.details_title, self.cause_text, self.cause_control,
            chooser_row(self.move_to, self.move_button),
            self.sub_text,
            self.evidence_list, W.HBox([self.evidence_remove]),
            chooser_row(self.evidence_pick, self.evidence_attach),
            self.evidence_note,
            W.HBox([self.delete_button]), self.details_feedback,
        ]

    def _build_categories(self) -> None:
        self.category_list = field("Categories", W.Select, rows=7)
        self.category_name = field("Rename to", W.Text, continuous_update=False)
        self.category_new = field("New category", W.Text, continuous_update=False,
                                  placeholder="e.g. Technology; press Enter")
        self.category_new.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.category_add = button(description="Add category", icon="plus")
        self.category_remove = button(description="Remove category", icon="trash")
        self.category_move = field("Its causes", W.Dropdown)
        self.category_remove_yes = button(description="Remove", button_style="danger")
        self.category_remove_no = button(description="Cancel")
        self.category_confirm_text = W.HTML()
        self.category_confirm = W.VBox([self.category_confirm_text, self.category_move,
                                        W.HBox([self.category_remove_yes, self.category_remove_no])],
                                       layout=W.Layout(display="none"))
        self.category_feedback = Feedback()
        self.on_commit(self.category_list, self._select_category)
        self.on_commit(self.category_name, self._rename_category)
        self.on_commit(self.category_new, lambda _: self._add_category())
        self.category_add.on_click(lambda _: self._add_category())
        self.category_remove.on_click(lambda _: self._ask_remove_category())
        self.category_remove_yes.on_click(lambda _: self._remove_category(confirmed=True))
        self.category_remove_no.on_click(lambda _: W.show(self.category_confirm, False))
        self.categories_box = W.VBox([
            W.HTML("<h3>Categories</h3><p class='ciw-muted'>Start from the school categories; "
                   "rename, add or remove bones to fit your problem.</p>"),
            self.category_list, self.category_name, W.HBox([self.category_remove]),
            self.category_confirm, self.category_new, W.HBox([self.category_add]),
            self.category_feedback,
        ])

    # ------------------------------------------------------------ drawing

    def sync(self, doc: Project) -> None:
        fb = doc.fishbone
        if self.problem.value != fb.problem:
            self.problem.value = fb.problem
        W.show(self.use_statement, bool(doc.problem_statement.strip())
             and doc.problem_statement.strip() != fb.problem)
        categories = [(shortened(c.name, 40), c.id) for c in fb.categories]
        set_options(self.add_category_pick, categories, self.add_category_pick.value)
        W.show(self.add_box, bool(categories))
        options = cause_options(doc)
        if find_cause(doc, self.selected_id) is None:
            if self.selected_id is not None:
                self.gone_meanwhile(self.add_feedback, f"The cause '{shortened(self._open_text, 60)}'")
            self.selected_id = None
        set_options(self.cause_list, options, self.selected_id)
        self.cause_list.rows = max(3, min(14, len(options)))
        W.show(self.list_box, bool(options))
        self._sync_details(doc)
        set_options(self.category_list, categories, self.selected_category)
        if self.category_list.value is None and categories:
            self.category_list.value = categories[0][1]
        self.selected_category = self.category_list.value
        self._sync_category(doc)

    def _sync_details(self, doc: Project) -> None:
        cause = find_cause(doc, self.selected_id)
        W.show(self.details, cause is not None)
        if cause is None:
            return
        self._details_form()
        self.delete_button.concern(self.selected_id)
        category = next(c.name for c in doc.fishbone.categories if c.id == cause.category_id)
        self.details_title.value = (f"<h3>Selected cause</h3><p class='ciw-muted'>In "
                                    f"<strong>{escape(category)}</strong>. Ground it in what people "
                                    "said or in data, then decide whether it is in your control.</p>")
        self._open_text = cause.text
        if self.cause_text.value != cause.text:
            self.cause_text.value = cause.text
        self.cause_control.value = control_key(cause.in_our_control)
        set_options(self.move_to, self._move_options(doc, cause), None)
        self.evidence_list.options = [
            (f"{e.kind}: {shortened(e.text, 80)}", str(i)) for i, e in enumerate(cause.evidence)] or [
            ("no evidence yet", "")]
        self.evidence_list.value = self.evidence_list.options[0][1]
        self.evidence_remove.disabled = not cause.evidence
        picks = [(shortened(label, 90), str(i)) for i, (label, _) in enumerate(evidence_choices(doc))]
        set_options(self.evidence_pick, picks or [("no interview themes, quotes or sources yet", "")], None)
        self.evidence_attach.disabled = not picks

    @staticmethod
    def _move_options(doc: Project, cause: Cause) -> list[tuple[str, str]]:
        blocked = branch_ids(doc.fishbone, cause.id)
        options = [("choose where…", "")]
        options += [(f"the {shortened(c.name, 40)} bone", f"k:{c.id}") for c in doc.fishbone.categories
                    if not (c.id == cause.category_id and cause.parent_id is None)]
        options += [(f"under: {label}", f"c:{cid}") for label, cid in cause_options(doc, with_votes=False)
                    if cid not in blocked and cid != cause.parent_id]
        return options

    def _sync_category(self, doc: Project) -> None:
        category = next((c for c in doc.fishbone.categories if c.id == self.selected_category), None)
        W.show(self.category_name, category is not None)
        W.show(self.category_remove, category is not None)
        if category is None:
            W.show(self.category_confirm, False)
            return
        if self.category_name.value != category.name:
            self.category_name.value = category.name

    # ------------------------------------------------------------ problem

    def _set_problem(self, text: object) -> None:
        text = str(text or "")

        def change(p: Project) -> None:
            p.fishbone.problem = text

        self.edit(change, "stated the problem", self.problem_feedback, "Problem saved.")

    # ------------------------------------------------------------ adding causes

    def _add_cause(self, *, from_enter: bool) -> None:
        text = str(self.add_text.value or "").strip()
        if not text:
            if not from_enter and not self._just_added:
                self.add_feedback.show(text="Type the cause first, then press Enter or Add cause.")
            self._just_added = False
            return
        category_id = self.add_category_pick.value
        control = _CONTROL_VALUE.get(self.add_control.value)
        made: list[str] = []

        def change(p: Project) -> None:
            made.append(add_cause(p, str(category_id), text, in_our_control=control).id)

        result = self.edit(change, f"added the cause '{shortened(text, 60)}'", self.add_feedback,
                           f"Added '{shortened(text, 60)}'. Type the next one, or pick it below to add evidence.")
        if result.ok:
            self._just_added = from_enter
            with self.syncing():
                self.add_text.value = ""

    def _add_sub(self) -> None:
        text = str(self.sub_text.value or "").strip()
        parent_id = self.selected_id
        if not text or parent_id is None:
            return

        def change(p: Project) -> None:
            add_cause(p, "", text, parent_id=parent_id)

        result = self.edit(change, f"added the sub-cause '{shortened(text, 60)}'", self.details_feedback,
                           f"Added the sub-cause '{shortened(text, 60)}'.")
        if result.ok:
            with self.syncing():
                self.sub_text.value = ""

    # ------------------------------------------------------------ the selected cause

    def _select(self, cause_id: object) -> None:
        doc = self.session.doc
        self.selected_id = cause_id if find_cause(doc, cause_id) else None
        if self.details.children:
            self.details_feedback.show()
        with self.syncing():
            self._sync_details(doc)

    def select(self, cause_id: str) -> None:
        """Open a cause in the details panel (as picking it in the list does)."""
        self.cause_list.value = cause_id

    def _cause_change(self, mutate: Callable[[Cause], None]) -> Callable[[Project], None]:
        cause_id = self.selected_id

        def change(p: Project) -> None:
            cause = find_cause(p, cause_id)
            if cause is None:
                raise RootCauseError("That cause is no longer on the fishbone (someone may have deleted it).")
            mutate(cause)

        return change

    def _set_text(self, text: object) -> None:
        text = str(text or "").strip()
        if self.selected_id is None:
            return
        if not text:
            self.details_feedback.show(text="A cause needs words. To remove it, use Delete cause.")
            with self.syncing():
                self._sync_details(self.session.doc)
            return

        cause_id = self.selected_id
        self.edit(lambda p: rename_cause(p, cause_id, text), f"edited the cause '{shortened(text, 60)}'",
                  self.details_feedback, "Saved.")

    def _set_control(self, key: object) -> None:
        if self.selected_id is None or key not in _CONTROL_VALUE:
            return
        value = _CONTROL_VALUE[key]

        def mutate(cause: Cause) -> None:
            cause.in_our_control = value

        self.edit(self._cause_change(mutate), "marked whether a cause is in our control",
                  self.details_feedback, "Saved.")

    def _move(self) -> None:
        target = str(self.move_to.value or "")
        cause_id = self.selected_id
        if cause_id is None or not target:
            self.details_feedback.show(text="Choose where to move it first.")
            return
        kind, _, target_id = target.partition(":")

        def change(p: Project) -> None:
            if kind == "k":
                move_cause(p, cause_id, category_id=target_id)
            elif kind == "c":
                move_cause(p, cause_id, parent_id=target_id)
            else:
                raise RootCauseError("Choose where to move it first.")

        self.edit(change, "moved a cause", self.details_feedback, "Moved.")

    def _attach_chosen_evidence(self) -> None:
        cause_id = self.selected_id
        choices = list(evidence_choices(self.session.doc))
        try:
            _, evidence = choices[int(self.evidence_pick.value)]
        except (TypeError, ValueError, IndexError):
            self.details_feedback.show(text="Log an interview (themes, quotes) or what others have learned first.")
            return
        if cause_id is None:
            return

        def change(p: Project) -> None:
            add_evidence(p, cause_id, evidence.kind, evidence.text, interview_id=evidence.interview_id,
                         source_id=evidence.source_id)

        self.edit(change, f"attached {evidence.kind} evidence to a cause", self.details_feedback,
                  "Evidence attached.")

    def _attach_note(self) -> None:
        text = str(self.evidence_note.value or "").strip()
        cause_id = self.selected_id
        if not text or cause_id is None:
            return

        def change(p: Project) -> None:
            add_evidence(p, cause_id, "data", text)

        if self.edit(change, "attached a data note to a cause", self.details_feedback,
                     "Evidence attached.").ok:
            with self.syncing():
                self.evidence_note.value = ""

    def _remove_evidence(self) -> None:
        try:
            index = int(self.evidence_list.value)
        except (TypeError, ValueError):
            return
        expected = self.session.doc
        cause = find_cause(expected, self.selected_id)
        if cause is None or not 0 <= index < len(cause.evidence):
            return
        gone = cause.evidence[index]

        def mutate(c: Cause) -> None:
            c.evidence = [e for e in c.evidence if e != gone]

        self.edit(self._cause_change(mutate), "removed evidence from a cause", self.details_feedback,
                  "Evidence removed.")

    def _delete_question(self) -> str | None:
        cause = find_cause(self.session.doc, self.selected_id)
        if cause is None:
            return None
        fishbone = self.session.doc.fishbone
        gone = branch_ids(fishbone, cause.id)
        subs = len(gone) - 1
        votes = sum(vote.cause_id in gone for vote in fishbone.votes)  # the dot voting loses them
        subs_words = f"{subs} sub-cause{'s' if subs != 1 else ''}"
        votes_words = f"{votes} vote{'s' if votes != 1 else ''}"
        if subs and votes:
            return f"Really delete it, its {subs_words} and {votes_words}?"
        if subs or votes:
            return f"Really delete it and its {subs_words if subs else votes_words}?"
        return "Really delete it?"

    def _delete(self) -> None:
        cause_id = self.selected_id
        if cause_id is None:
            return
        text = getattr(find_cause(self.session.doc, cause_id), "text", "")

        def change(p: Project) -> None:
            delete_cause(p, cause_id)

        self.selected_id = None  # closed by this page: no 'deleted by someone else'
        result = self.edit(change, f"deleted the cause '{shortened(text, 60)}'", self.add_feedback)
        if result.ok:
            self.add_feedback.show(text=f"Deleted '{shortened(text, 60)}'.")
            self.cause_list.focus()  # the keyboard stays in the list, not at the top of the page
        elif find_cause(self.session.doc, cause_id) is not None:
            self.select(cause_id)

    # ------------------------------------------------------------ categories

    def _select_category(self, category_id: object) -> None:
        self.selected_category = category_id if isinstance(category_id, str) else None
        W.show(self.category_confirm, False)
        with self.syncing():
            self._sync_category(self.session.doc)

    def _rename_category(self, name: object) -> None:
        category_id = self.selected_category
        if category_id is None:
            return
        name = str(name or "")

        def change(p: Project) -> None:
            rename_category(p, category_id, name)

        if not self.edit(change, "renamed a category", self.category_feedback, "Renamed.").ok:
            with self.syncing():
                self._sync_category(self.session.doc)

    def _add_category(self) -> None:
        name = str(self.category_new.value or "").strip()
        if not name:
            return
        made: list[str] = []

        def change(p: Project) -> None:
            made.append(add_category(p, name).id)

        if self.edit(change, f"added the category '{shortened(name, 60)}'", self.category_feedback,
                     f"Added the category '{shortened(name, 60)}'.").ok:
            self.selected_category = made[0]
            with self.syncing():
                self.category_new.value = ""
                self.sync(self.session.doc)

    def _ask_remove_category(self) -> None:
        doc = self.session.doc
        category = next((c for c in doc.fishbone.categories if c.id == self.selected_category), None)
        if category is None:
            return
        n = sum(1 for c in doc.fishbone.causes if c.category_id == category.id)
        if n == 0:
            self._remove_category(confirmed=True)
            return
        self.category_confirm_text.value = (f"<span>'{escape(shortened(category.name, 40))}' has {n} "
                                            f"cause{'s' if n != 1 else ''}. Move them or delete them?</span>")
        options = [(f"move them to {shortened(c.name, 40)}", c.id) for c in doc.fishbone.categories
                   if c.id != category.id] + [("delete them too", _DELETE)]
        with self.syncing():
            set_options(self.category_move, options, options[0][1])
        W.show(self.category_confirm, True)

    def _remove_category(self, *, confirmed: bool) -> None:
        category_id = self.selected_category
        if category_id is None:
            return
        asked = self.category_confirm.layout.display != "none"
        has_causes = any(c.category_id == category_id for c in self.session.doc.fishbone.causes)
        if has_causes and not asked:
            self._ask_remove_category()  # never delete causes without the question shown
            return
        target = self.category_move.value if asked else None
        move_to = None if target in (None, _DELETE) else str(target)

        def change(p: Project) -> None:
            remove_category(p, category_id, move_to=move_to)

        result = self.edit(change, "removed a category", self.category_feedback, "Category removed.")
        W.show(self.category_confirm, False)
        if result.ok:
            self.selected_category = None
            self._on_change(self.session)
