"""PDSA worksheet and ramp view: disciplined inquiry, one small test at a time.

`PDSAWorksheet` is the team's worksheet for one cycle of one change idea:
Plan (question, predictions with confidence, who/what/when/where/scale/data),
Do, Study (did each prediction hold?) and Act (adopt, adapt or abandon), with
"Plan the next cycle" as the natural end of Act. Coach-style nudges sit beside
the form and never block. Every edit is saved at once through the session.

`RampView` draws each change idea's cycles in order, with scale and decision.

What a widget holds besides the model is only which cycle is open. Values a
browser sends (any synced trait can be set by a visitor) reach the model only
through `Session.edit`, whose validation turns bad input into a sentence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from ..analysis.inquiry import (
    Nudge,
    cycle_label,
    cycle_nudges_and_set_aside,
    delete_cycle,
    new_cycle,
    plan_next_cycle,
    ramp_summary,
    set_aside_nudge,
)
from ..analysis.theory import add_change_idea, aim_statement
from ..model import ChangeIdea, ModelError, PDSACycle, Prediction, Project
from ..render.ramp import ramp_svg
from ..render.worksheet import render_worksheet, worksheet_filename
from ..session import EditResult, Session
from . import lean as W
from .common import (
    ConfirmButton,
    DiagramView,
    DownloadButton,
    SaveStatus,
    field,
    keyed_rows,
    note,
    set_children,
)

CONFIDENCE_OPTIONS = (("low", "low"), ("medium", "medium"), ("high", "high"))
RESULT_OPTIONS = (("not studied yet", ""), ("held", "held"), ("partly held", "partly"),
                  ("did not hold", "did not hold"))
ACT_OPTIONS = (("not decided yet", ""), ("Adopt: keep it and test it wider", "adopt"),
               ("Adapt: change it and test again", "adapt"),
               ("Abandon: stop, and say what we learned", "abandon"))
STEP_NAMES = {"plan": "Plan", "do": "Do", "study": "Study", "act": "Act"}
_UNSET = object()
# A button as wide as its words, at the start of a column (a column stretches them).
_SMALL_BUTTON = W.Layout(width="auto", align_self="flex-start")
# The shared download button is sized for short labels; this one says more.
_LOCAL_STYLE = "<style>.ciw-pdsa .ciw-download { width: auto; padding: 0 1em; }</style>"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cycle_in(project: Project, cycle_id: str | None) -> PDSACycle:
    """The cycle inside an edit's copy; a sentence if someone else removed it."""
    cycle = project.find(cycle_id) if cycle_id else None
    if not isinstance(cycle, PDSACycle):
        raise ModelError(["This PDSA cycle no longer exists (someone may have removed it)."])
    return cycle


def _prediction_in(cycle: PDSACycle, prediction_id: str) -> Prediction:
    for p in cycle.predictions:
        if p.id == prediction_id:
            return p
    raise ModelError(["This prediction no longer exists (someone may have removed it)."])


def _text(description: str, *, rows: int = 0, placeholder: str = "") -> W.Widget:
    """A labelled text input that saves on Enter or when the field is left."""
    if rows:
        return field(description, W.Textarea, rows=rows, placeholder=placeholder, continuous_update=False)
    return field(description, W.Text, placeholder=placeholder, continuous_update=False)


def _heading(letter: str, title: str, hint: str) -> W.HTML:
    return W.HTML(
        f'<h3 class="ciw-pdsa-step" style="margin:.8em 0 .2em">'
        f'<span aria-hidden="true" style="display:inline-block;width:1.5em;height:1.5em;'
        f'border-radius:50%;text-align:center;line-height:1.5em;margin-right:.4em;'
        f'background:#1f2933;color:#fff">{letter}</span>{title}</h3>'
        f'<p class="ciw-muted" style="margin:0 0 .3em">{hint}</p>'
    )


class PredictionRow:
    """A prediction's controls: in Plan the text, how sure and Remove; in Study what
    was predicted, whether it held and what the data showed. Numbered by `renumber`."""

    def __init__(self, sheet: PDSAWorksheet, pid: str, number: int):
        self.sheet, self.pid, self.number = sheet, pid, number

        def prediction(cycle: PDSACycle) -> Prediction:
            return _prediction_in(cycle, pid)

        self.text = sheet._bind(f"p:{pid}:text", _text(f"Prediction {number}"), lambda y: prediction(y).text,
                                lambda y, v: setattr(prediction(y), "text", v), lambda: f"prediction {self.number}")
        self.confidence = sheet._bind(
            f"p:{pid}:confidence",
            W.Dropdown(options=CONFIDENCE_OPTIONS, description="How sure?",
                       style={"description_width": "6em"}, layout=W.Layout(width="15em")),
            lambda y: prediction(y).confidence, lambda y, v: setattr(prediction(y), "confidence", v),
            lambda: f"confidence of prediction {self.number}")
        self.remove = W.Button(description="Remove", icon="trash", tooltip=f"Remove prediction {number}",
                               layout=W.Layout(width="auto", flex="0 0 auto"))
        self.remove.on_click(lambda _b: sheet._edit(lambda y: y.predictions.remove(prediction(y)),
                                                    "removed a prediction"))
        # The prediction gets the full width; how sure and Remove sit under it.
        self.plan = W.VBox([self.text, W.HBox([self.confidence, self.remove], layout=W.Layout(
            margin="0 0 .4em 5em", align_items="center", flex_flow="row wrap"))])

        self.label = W.HTML()
        sheet._fields[f"p:{pid}:label"] = (self.label, lambda y: (
            f'<strong>{self.number}.</strong> {escape(_short(prediction(y).text, 200)) or "<em>(empty)</em>"}'))
        self.result = sheet._bind(
            f"p:{pid}:result", field(f"Prediction {number} held?", W.Dropdown, options=RESULT_OPTIONS, width="auto"),
            lambda y: prediction(y).result or "", lambda y, v: setattr(prediction(y), "result", v or None),
            lambda: f"result of prediction {self.number}")
        self.showed = sheet._bind(
            f"p:{pid}:what_data_showed", _text(f"Data for prediction {number}", placeholder="What the data showed"),
            lambda y: prediction(y).what_data_showed, lambda y, v: setattr(prediction(y), "what_data_showed", v),
            lambda: f"data for prediction {self.number}")
        self.study = W.VBox([self.label, self.result, self.showed], layout=W.Layout(
            margin="0 0 .5em", border_left="3px solid #c9d1d9", padding="0 0 0 .6em"))

    def renumber(self, number: int) -> None:
        self.number = number
        self.text.description = f"Prediction {number}"
        self.remove.tooltip = f"Remove prediction {number}"
        self.result.description = f"Prediction {number} held?"
        self.showed.description = f"Data for prediction {number}"

    @property
    def children(self) -> tuple[W.Widget, W.Widget]:  # what `close_all` closes
        return self.plan, self.study

    def close(self) -> None:
        """Forget the fields of a prediction that is gone (its widgets are closed by `close_all`)."""
        for key in [k for k in self.sheet._fields if k.startswith(f"p:{self.pid}:")]:
            del self.sheet._fields[key]
            self.sheet._shown.pop(key, None)


class NudgeRow(W.VBox):
    """One suggestion with 'Set aside'. Rows are kept by position and show whichever
    nudge is there now, so a nudge giving way to the next one sends one new text."""

    def __init__(self, sheet: PDSAWorksheet):
        self.code = ""
        self.text = W.HTML()
        self.set_aside = W.Button(description="Set aside", icon="eye-slash", layout=_SMALL_BUTTON,
                                  tooltip="Stop showing this suggestion on this cycle, for the whole team")
        self.set_aside.on_click(lambda _b: sheet._edit(lambda y: set_aside_nudge(y, self.code),
                                                       "set aside a coach's suggestion"))
        super().__init__([self.text, self.set_aside], layout=W.Layout(margin="0 0 .6em"))

    def show(self, nudge: Nudge) -> None:
        self.code = nudge.code
        self.text.value = f'<span class="ciw-muted">{STEP_NAMES[nudge.step]}</span>{note(nudge.message)}'


class NudgePanel(W.VBox):
    """'A coach might ask', beside the form: the cycle's nudges. A team that has
    weighed one (a longer test chosen on purpose) sets it aside; it stops showing
    for everyone until someone brings the set-aside ones back."""

    def __init__(self, sheet: PDSAWorksheet):
        self.sheet = sheet
        self.quiet = W.HTML('<p class="ciw-muted">Nothing to point out on this cycle.</p>')
        self.items = W.VBox()
        self.bring_back = W.Button(icon="eye", layout=_SMALL_BUTTON,
                                   tooltip="Show again the suggestions set aside on this cycle")
        self.bring_back.on_click(lambda _b: sheet._edit(lambda y: setattr(y.suggestions, "set_aside", []),
                                                        "brought back the coach's suggestions"))
        self._rows: dict[int, NudgeRow] = {}
        super().__init__(
            [W.HTML('<h4 style="margin:.8em 0 .3em">A coach might ask</h4>'), self.quiet, self.items,
             self.bring_back],
            layout=W.Layout(flex="1 1 16em", min_width="14em", max_width="24em", padding="0 0 0 1em"))
        self.add_class("ciw-nudges")

    def draw(self, doc: Project, cycle: PDSACycle) -> None:
        nudges, set_aside = cycle_nudges_and_set_aside(doc, cycle, today=self.sheet.today)
        rows = keyed_rows(self._rows, list(range(len(nudges))), lambda _i: NudgeRow(self.sheet))
        for row, nudge in zip(rows, nudges, strict=True):
            row.show(nudge)
        set_children(self.items, rows)
        W.show(self.quiet, not nudges)
        hidden = len(set_aside)
        W.show(self.bring_back, hidden > 0)
        self.bring_back.description = (f"Show the {hidden} set aside" if hidden > 1
                                       else "Show the one set aside")


class PDSAWorksheet(W.VBox):
    """The PDSA worksheet of one cycle, with a chooser of change idea and cycle.

    Options: `change_idea_id` and/or `cycle_id` to open; `today` fixes the date
    the nudges use (tests)."""

    def __init__(self, session: Session, *, change_idea_id: str | None = None,
                 cycle_id: str | None = None, today: dt.date | None = None):
        self.session = session
        self.today = today
        self.idea_id: str | None = change_idea_id
        self.cycle_id: str | None = cycle_id
        self._syncing = False
        self._shown: dict[str, Any] = {}
        self._fields: dict[str, tuple[W.Widget, Callable[[PDSACycle], Any]]] = {}
        self._prediction_rows_by_id: dict[str, PredictionRow] = {}
        self.prediction_controls: list[tuple[W.Text, W.Dropdown, W.Button]] = []
        self.study_controls: list[tuple[W.HTML, W.Dropdown, W.Text]] = []

        self._build_chooser()
        self._build_plan()
        self._build_do_study_act()
        self.nudges = NudgePanel(self)
        self.download = DownloadButton("Printable worksheet", "pdsa-cycle.html",
                                       "text/html;charset=utf-8", self._printable)
        self.form = W.VBox(
            [*self.plan_section, *self.do_section, *self.study_section, *self.act_section,
             W.HBox([self.download], layout=W.Layout(margin="1em 0 0"))],
            layout=W.Layout(flex="3 1 32em", min_width="20em"),
        )
        self.empty = W.HTML()
        self.body = W.HBox([self.form, self.nudges], layout=W.Layout(flex_flow="row wrap",
                                                                      align_items="flex-start"))
        self.status = SaveStatus(session)
        super().__init__([self.intro, self.chooser, self.status, self.empty, self.body])
        self.add_class("ciw-pdsa")
        self._pick_defaults(session.doc)
        session.observe(self._on_session)
        self._redraw(force=True)

    # -- building -----------------------------------------------------------------------
    def _build_chooser(self) -> None:
        self.intro = W.HTML(_intro())
        self.idea_picker = field("Change idea", W.Dropdown, options=[])
        self.cycle_picker = field("Cycle", W.Dropdown, options=[], width="auto")
        self.new_cycle_button = ConfirmButton("Start a new cycle", self._undecided_question, self._start_cycle,
                                              tooltip="Start the next PDSA cycle of this change idea",
                                              asking_style="warning", icon="plus")
        self.delete_cycle_button = ConfirmButton(
            "Delete this cycle", "Really delete this cycle?", self._on_delete_cycle,
            tooltip="Delete this cycle and all it records, e.g. one started by mistake (asks again; "
                    "your coach can bring it back from the project's history)")
        self.new_idea = _text("New change idea",
                              placeholder="Only if it is not in your driver diagram yet; press Enter")
        self.new_idea.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.idea_picker.observe(self._on_pick_idea, "value")
        self.cycle_picker.observe(self._on_pick_cycle, "value")
        self.new_idea.observe(self._on_new_idea, "value")
        self.chooser = W.VBox([
            self.idea_picker,
            W.HBox([self.cycle_picker, self.new_cycle_button, self.delete_cycle_button],
                   layout=W.Layout(flex_flow="row wrap")),
            self.new_idea,
        ])

    def _build_plan(self) -> None:
        self.question = self._bind("question", _text(
            "Question", rows=2, placeholder="What will this test tell us?"),
            lambda y: y.question, lambda y, v: setattr(y, "question", v))
        self.predictions_box = W.VBox()
        self.no_predictions = W.HTML('<p class="ciw-muted">Add predictions in Plan; study each one here.</p>')
        self.new_prediction = _text("New prediction",
                                    placeholder="We predict that … (press Enter to add)")
        self.new_prediction.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.new_prediction.observe(self._on_new_prediction, "value")
        plan_fields = []
        for name, label, rows, hint in (
            ("who", "Who", 0, "Who will run the test?"),
            ("what", "What", 2, "What exactly will they try?"),
            ("when", "When", 0, "e.g. the week of 5 October"),
            ("where", "Where", 0, "e.g. grade 4 math classes"),
            ("scale", "Scale", 0, "e.g. one teacher, three teachers"),
            ("data_to_collect", "Data to collect", 2, "What will show whether the predictions held?"),
        ):
            widget = self._bind(f"plan.{name}", _text(label, rows=rows, placeholder=hint),
                                lambda y, n=name: getattr(y.plan, n),
                                lambda y, v, n=name: setattr(y.plan, n, v))
            plan_fields.append(widget)
        self.plan_fields = {name: w for name, w in zip(
            ("who", "what", "when", "where", "scale", "data_to_collect"), plan_fields, strict=True)}
        self.start_date = self._bind("start_date", field("Starts", W.DatePicker, width="auto"),
                                     lambda y: y.start_date, lambda y, v: setattr(y, "start_date", v))
        self.end_date = self._bind("end_date", field("Ends", W.DatePicker, width="auto"),
                                   lambda y: y.end_date, lambda y, v: setattr(y, "end_date", v))
        self.plan_section = [
            _heading("P", "Plan", "The question, what you predict, and the details of a small test."),
            self.question,
            W.HTML('<strong>Predictions</strong> <span class="ciw-muted">what you expect, and how sure you are</span>'),
            self.predictions_box, self.new_prediction,
            *plan_fields,
            W.HBox([self.start_date, self.end_date], layout=W.Layout(flex_flow="row wrap")),
        ]

    def _build_do_study_act(self) -> None:
        self.do_notes = self._bind("do_notes", _text(
            "What happened", rows=3, placeholder="What did you do? What did you observe?"),
            lambda y: y.do_notes, lambda y, v: setattr(y, "do_notes", v))
        self.surprises = self._bind("surprises", _text(
            "Surprises", rows=2, placeholder="Anything you did not expect?"),
            lambda y: y.surprises, lambda y, v: setattr(y, "surprises", v))
        self.do_section = [_heading("D", "Do", "Run the test; write down what happened."),
                           self.do_notes, self.surprises]

        self.study_box = W.VBox()
        self.study_notes = self._bind("study_notes", _text(
            "What we learned", rows=3, placeholder="Compare the data with the predictions."),
            lambda y: y.study_notes, lambda y, v: setattr(y, "study_notes", v))
        self.study_section = [
            _heading("S", "Study", "For each prediction: did it hold, and what did the data show?"),
            self.study_box, self.study_notes,
        ]

        self.act = self._bind("act", field("Decision", W.RadioButtons, options=ACT_OPTIONS, width="auto"),
                              lambda y: y.act or "", lambda y, v: setattr(y, "act", v or None))
        self.act_reason = self._bind("act_reason", _text(
            "Why", rows=2, placeholder="What in the data led to this decision?"),
            lambda y: y.act_reason, lambda y, v: setattr(y, "act_reason", v))
        self.next_button = W.Button(description="Plan the next cycle", icon="arrow-right",
                                    button_style="primary", layout=W.Layout(width="auto"))
        self.next_button.on_click(self._on_next)
        self.next_hint = W.HTML()
        self.act_section = [
            _heading("A", "Act", "Adopt, adapt or abandon, and why. Then plan the next cycle."),
            self.act, self.act_reason, W.HBox([self.next_button, self.next_hint]),
        ]

    def _bind(self, key: str, widget: W.Widget, get: Callable[[PDSACycle], Any],
              put: Callable[[PDSACycle, Any], None], what: str | Callable[[], str] = "") -> W.Widget:
        """Show `get(cycle)` in `widget`; a user's change is saved through `put`
        (validated by the model: a value a visitor forged is refused there)."""
        self._fields[key] = (widget, get)
        what = what or key.replace("plan.", "").replace("_", " ")

        def changed(change: dict) -> None:
            if self._syncing:
                return
            value = change["new"]
            self._edit(lambda y: put(y, value), what() if callable(what) else what)

        widget.observe(changed, "value")
        return widget

    # -- which cycle is open ----------------------------------------------------------------
    def _pick_defaults(self, doc: Project) -> None:
        """Open the requested cycle, else the newest cycle still open, else the newest."""
        cycle = doc.find(self.cycle_id) if self.cycle_id else None
        if isinstance(cycle, PDSACycle):
            self.idea_id = cycle.change_idea_id
            return
        self.cycle_id = None
        cycles = [y for y in doc.pdsa_cycles if self.idea_id in (None, y.change_idea_id)]
        open_cycles = [y for y in cycles if y.act is None]
        chosen = (open_cycles or cycles or [None])[-1]
        if chosen is not None:
            self.cycle_id, self.idea_id = chosen.id, chosen.change_idea_id
        elif self.idea_id is None and doc.driver_diagram.change_ideas:
            self.idea_id = doc.driver_diagram.change_ideas[0].id

    def open_cycle(self, cycle_id: str) -> None:
        """Show the cycle with this id."""
        cycle = self.session.doc.find(cycle_id)
        if isinstance(cycle, PDSACycle):
            self.cycle_id, self.idea_id = cycle.id, cycle.change_idea_id
            self._redraw(force=True)

    @property
    def cycle(self) -> PDSACycle | None:
        """The open cycle as saved."""
        cycle = self.session.doc.find(self.cycle_id) if self.cycle_id else None
        return cycle if isinstance(cycle, PDSACycle) else None

    # -- user actions ---------------------------------------------------------------------
    def _edit(self, change: Callable[[PDSACycle], None], what: str) -> EditResult:
        cycle_id = self.cycle_id
        label = cycle_label(self.cycle) if self.cycle else "PDSA cycle"
        return self.session.edit(lambda p: change(_cycle_in(p, cycle_id)), f"{label}: {what}")

    def _on_pick_idea(self, change: dict) -> None:
        if self._syncing or not isinstance(self.session.doc.find(change["new"] or ""), ChangeIdea):
            return
        self.idea_id, self.cycle_id = change["new"], None
        ramp = self.session.doc.cycles_of(self.idea_id)
        open_cycles = [y for y in ramp if y.act is None]
        if ramp:
            self.cycle_id = (open_cycles or ramp)[-1].id
        self._redraw(force=True)

    def _on_pick_cycle(self, change: dict) -> None:
        if self._syncing or not change["new"]:
            return
        self.open_cycle(change["new"])

    def _undecided_question(self) -> str | None:
        """Asked when the last test of the idea is not decided yet."""
        ramp = self.session.doc.cycles_of(self.idea_id) if self.idea_id else []
        if not ramp or ramp[-1].act is not None:
            return None
        return f"{cycle_label(ramp[-1])} has no decision yet: start cycle {ramp[-1].cycle_number + 1} anyway?"

    def _start_cycle(self) -> None:
        idea_id = self.idea_id
        if not isinstance(self.session.doc.find(idea_id or ""), ChangeIdea):
            return
        created: list[str] = []
        result = self.session.edit(lambda p: created.append(new_cycle(p, idea_id).id),
                                   "started a PDSA cycle")
        if result.ok and created:
            self.open_cycle(created[0])

    def _on_delete_cycle(self) -> None:
        cycle = self.cycle
        if cycle is not None:  # the redraw after the save opens the idea's newest open cycle
            self.session.edit(lambda p: delete_cycle(p, cycle.id), f"deleted {cycle_label(cycle).lower()}")

    def _on_new_idea(self, change: dict) -> None:
        text = change["new"].strip() if isinstance(change["new"], str) else ""
        if self._syncing or not text:
            return
        created: list[str] = []

        def add(p: Project) -> None:
            created.append(add_change_idea(p, text).id)

        result = self.session.edit(add, "added a change idea")
        if result.ok and created:
            self.idea_id, self.cycle_id = created[0], None
            self._syncing = True
            self.new_idea.value = ""
            self._syncing = False
            self._redraw(force=True)

    def _on_new_prediction(self, change: dict) -> None:
        text = change["new"].strip() if isinstance(change["new"], str) else ""
        if self._syncing or not text or self.cycle is None:
            return
        result = self._edit(lambda y: y.predictions.append(Prediction(text=text)), "added a prediction")
        if result.ok:
            self._syncing = True
            self.new_prediction.value = ""
            self._syncing = False

    def _on_next(self, _button=None) -> None:
        cycle = self.cycle
        if cycle is None:
            return
        if cycle.next_cycle_id and isinstance(self.session.doc.find(cycle.next_cycle_id), PDSACycle):
            self.open_cycle(cycle.next_cycle_id)
            return
        if cycle.act in (None, "abandon"):
            return  # no next cycle until Act is decided, nor after abandon; a forged click does nothing
        created: list[str] = []
        cycle_id = cycle.id

        def plan(p: Project) -> None:
            created.append(plan_next_cycle(p, _cycle_in(p, cycle_id)).id)

        result = self.session.edit(plan, f"{cycle_label(cycle)}: planned the next cycle")
        if result.ok and created:
            self.open_cycle(created[0])

    def _printable(self) -> bytes:
        cycle = self.cycle
        if cycle is None:
            return b""
        team = self.session.team
        doc = self.session.doc
        aim = aim_statement(doc.aim, team.school if team else "")
        html = render_worksheet(doc, cycle, team=team, today=self.today, aim=aim)
        return html.encode("utf-8")

    # -- predictions rows -------------------------------------------------------------------
    def _prediction_rows(self, cycle: PDSACycle) -> list[PredictionRow]:
        """One row per prediction, kept while the prediction exists: adding one sends
        one new row, not every row rebuilt."""
        ids = [p.id for p in cycle.predictions]
        rows = keyed_rows(self._prediction_rows_by_id, ids, lambda pid: PredictionRow(self, pid, ids.index(pid) + 1))
        for number, row in enumerate(rows, start=1):
            row.renumber(number)
        return rows

    def _place_prediction_rows(self, rows: list[PredictionRow]) -> None:
        set_children(self.predictions_box, [row.plan for row in rows])
        set_children(self.study_box, [row.study for row in rows] or [self.no_predictions])
        self.prediction_controls = [(row.text, row.confidence, row.remove) for row in rows]
        self.study_controls = [(row.label, row.result, row.showed) for row in rows]

    # -- drawing ----------------------------------------------------------------------------
    def _on_session(self, _session: Session) -> None:
        self._redraw()

    def _redraw(self, force: bool = False) -> None:
        doc = self.session.doc
        if force:
            self._shown.clear()
        self._syncing = True
        try:
            self._draw_chooser(doc)
            cycle = self.cycle
            W.show(self.body, cycle)
            self.empty.value = self._empty_message(doc) if cycle is None else ""
            previous = doc.find(cycle.previous_cycle_id) if cycle is not None and cycle.previous_cycle_id else None
            self.intro.value = _intro(previous if isinstance(previous, PDSACycle) else None)
            if cycle is None:
                return
            rows = self._prediction_rows(cycle)
            self._fill_fields(cycle)  # a new row is filled in before it is placed: shown with its words
            self._place_prediction_rows(rows)
            self._draw_act(doc, cycle)
            self.nudges.draw(doc, cycle)
            self.download.filename = worksheet_filename(doc, cycle, self.session.team)
        finally:
            self._syncing = False

    def _fill_fields(self, cycle: PDSACycle) -> None:
        """Every bound field shows the cycle's value (sent only where it changed)."""
        for key, (widget, get) in self._fields.items():
            value = get(cycle)
            if self._shown.get(key, _UNSET) != value:
                widget.value = value
                self._shown[key] = value

    def _draw_chooser(self, doc: Project) -> None:
        ideas = [(_short(x.text) or "(unnamed change idea)", x.id) for x in doc.driver_diagram.change_ideas]
        if self.cycle is None and self.cycle_id is not None:
            self.cycle_id = None  # removed by someone else
        if self.idea_id not in {i for _, i in ideas}:
            self.idea_id = ideas[0][1] if ideas else None
        if tuple(self.idea_picker.options) != tuple(ideas):
            self.idea_picker.options = ideas
        self.idea_picker.value = self.idea_id
        W.show(self.idea_picker, ideas)
        ramp = doc.cycles_of(self.idea_id) if self.idea_id else []
        if self.cycle_id is None and ramp:  # e.g. the open cycle was removed elsewhere
            self.cycle_id = ([y for y in ramp if y.act is None] or ramp)[-1].id
        cycles = [(self._cycle_option(y), y.id) for y in ramp]
        if tuple(self.cycle_picker.options) != tuple(cycles):
            self.cycle_picker.options = cycles
        self.cycle_picker.value = self.cycle_id if cycles else None
        W.show(self.cycle_picker, cycles)
        W.show(self.new_cycle_button, self.idea_id)
        W.show(self.delete_cycle_button, self.cycle_id)
        self.delete_cycle_button.concern(self.cycle_id)
        number = (ramp[-1].cycle_number + 1) if ramp else 1
        self.new_cycle_button.concern((self.idea_id, number))  # a question about another cycle is withdrawn
        self.new_cycle_button.reword(f"Start cycle {number}")

    @staticmethod
    def _cycle_option(cycle: PDSACycle) -> str:
        parts = [cycle_label(cycle)]
        if cycle.plan.scale:
            parts.append(_short(cycle.plan.scale, 40))
        parts.append(cycle.act or "open")
        return " · ".join(parts)

    def _empty_message(self, doc: Project) -> str:
        if not doc.driver_diagram.change_ideas:
            return note("A PDSA cycle tests a change idea. Add change ideas to your driver diagram "
                        "(workbook 3) or type one below, then start its first cycle.")
        return note("This change idea has no PDSA cycle yet. Choose 'Start cycle 1' to plan a "
                    "small first test.")

    def _draw_act(self, doc: Project, cycle: PDSACycle) -> None:
        following = doc.find(cycle.next_cycle_id) if cycle.next_cycle_id else None
        if isinstance(following, PDSACycle):
            self.next_button.description = f"Open {cycle_label(following).lower()}"
            self.next_button.disabled = False
            self.next_hint.value = ""
        else:
            self.next_button.description = "Plan the next cycle"
            self.next_button.disabled = cycle.act in (None, "abandon")
            self.next_hint.value = '<span class="ciw-muted">' + _NEXT_HINTS[cycle.act] + "</span>"


def _intro(previous: PDSACycle | None = None) -> str:
    """What the worksheet is, and which cycle the one shown builds on (if any)."""
    builds_on = (f" This cycle builds on {escape(cycle_label(previous).lower())} ({escape(previous.act or 'open')})."
                 if previous is not None else "")
    return (_LOCAL_STYLE + '<p class="ciw-muted">One small test of one change idea: write what you expect before '
            "you try it, then compare. Everything is saved as you go (press Enter or move to the next field)."
            + builds_on + "</p>")


# Beside "Plan the next cycle", by the decision in Act. An abandoned idea's ramp ends:
# its next test is of another idea, not a bigger one of this.
_NEXT_HINTS = {
    None: "Decide adopt, adapt or abandon first.",
    "adopt": "Carries the question, predictions and plan over.",
    "adapt": "Carries the question, predictions and plan over.",
    "abandon": "This change idea's ramp ends here. Choose another change idea above and start its "
               "first cycle (the benefit–effort matrix, workbook 4, helps pick one).",
}


class RampView(W.VBox):
    """Each change idea's PDSA cycles in order, with scale and decision.

    Options: `change_idea_id` to show one ramp; `include_untested` to list
    change ideas with no cycle yet."""

    def __init__(self, session: Session, *, change_idea_id: str | None = None,
                 include_untested: bool = False):
        self.session = session
        self.change_idea_id = change_idea_id
        self.include_untested = include_untested
        self.diagram = DiagramView(self._svg, "pdsa-ramps", session)
        self.summary = W.HTML()
        super().__init__([
            W.HTML('<p class="ciw-muted">Each change idea\'s cycles in order: a ramp grows from a '
                   "small test to many people, deciding adopt, adapt or abandon each time.</p>"),
            self.diagram, self.summary,
        ])
        self.add_class("ciw-ramps")
        session.observe(self._on_session)
        self._draw_summary()

    def ramps(self):
        ramps = ramp_summary(self.session.doc, include_untested=self.include_untested)
        if self.change_idea_id:
            ramps = [r for r in ramps if r.change_idea_id == self.change_idea_id]
        return ramps

    def _svg(self) -> str:
        return ramp_svg(self.ramps())

    def _on_session(self, _session: Session) -> None:
        self._draw_summary()

    def _draw_summary(self) -> None:
        ramps = self.ramps()
        one_and_done = [r for r in ramps if len(r.steps) == 1 and r.steps[0].act in ("adopt", "adapt")]
        if one_and_done:
            names = ", ".join(f"'{_short(r.change_idea, 60)}'" for r in one_and_done)
            self.summary.value = note(  # note() escapes the team's words
                f"Only one cycle so far for {names}. Improvement comes from repeated cycles: "
                "plan the next one from the worksheet."
            )
        else:
            self.summary.value = ""
