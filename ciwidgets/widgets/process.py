"""The process map: the process that produces today's results, step by step, as it
happens now (not as it should), with the steps where it breaks down marked. Those
are where to look for causes on the fishbone.

The picture shows the whole process; one form edits the step chosen in the list, so
the page stays the same size however long the process grows."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..analysis.rootcause import cause_from_step
from ..analysis.words import shortened
from ..model import ProcessStep, Project
from ..render.process import process_map_svg
from ..session import Session
from . import lean as W
from .common import ConfirmButton, DiagramView, SaveStatus, field, focus_after_move
from .fishbone import ChosenEditor, Feedback, button, find_cause, set_options

NO_WORDS = "A step needs a few words: what happens?"


def step_label(number: int, step: ProcessStep) -> str:
    mark = " · breaks down" if step.breaks_down else ""
    return f"{number}. {shortened(step.text, 60)}{mark}"


class ProcessMapEditor(ChosenEditor):
    """Map a process step by step; mark where it breaks down; download the picture."""

    chosen_kind = ProcessStep

    def __init__(self, session: Session):
        self.session = session
        self.selected_id: str | None = None
        self.status = SaveStatus(session)
        self.process = field("Process", W.Text, continuous_update=False,
                             placeholder="e.g. How a student who is stuck in math gets help")
        self.on_commit(self.process, self._rename)
        self.process_feedback = Feedback()
        self.diagram = DiagramView(self._svg, "process-map", session)
        self.new_step = field("New step", W.Text, continuous_update=False,
                              placeholder="What happens next? (Enter adds it after the chosen step)")
        self.on_commit(self.new_step, lambda v: self._add(v, asked=False))
        self.add_button = button(description="Add step", icon="plus")
        self.add_button.on_click(lambda _: self._add(self.new_step.value, asked=True))
        self.new_feedback = Feedback()
        self._build_step_form()
        super().__init__(session, [
            self.status,
            W.HTML('<p class="ciw-muted">Walk through the process as it happens today, one step at a '
                   "time, with the people who live it. Mark the steps where it breaks down: that is "
                   "where to look for causes.</p>"),
            self.process, self.process_feedback, self.diagram,
            self.new_step, W.HBox([self.add_button]), self.new_feedback, self.step_box,
        ])
        self.add_class("ciw-process")
        self._on_change(session)

    def _build_step_form(self) -> None:
        self.step_list = field("Step", W.Dropdown)
        self.on_commit(self.step_list, self._select)
        self.text = field("What happens", W.Text, continuous_update=False)
        self.on_commit(self.text, self._retext)
        self.who = field("Who", W.Text, continuous_update=False, placeholder="e.g. teacher, counselor, family")
        self.on_commit(self.who, lambda v: self._edit_step(lambda s: setattr(s, "who", v)))
        self.breaks_down = W.Checkbox(description="It breaks down here", indent=False)
        self.on_commit(self.breaks_down, lambda v: self._edit_step(lambda s: setattr(s, "breaks_down", v)))
        self.why = field("What goes wrong", W.Textarea, rows=2, continuous_update=False,
                         placeholder="What goes wrong here, and for whom?")
        self.on_commit(self.why, lambda v: self._edit_step(lambda s: setattr(s, "why", v)))
        self.category = field("Fishbone category", W.Dropdown)
        self.to_fishbone = button(description="Put it on the fishbone", icon="arrow-right")
        self.to_fishbone.on_click(lambda _: self._to_fishbone())
        self.on_fishbone = W.HTML()
        self.cause_box = W.VBox([self.category, W.HBox([self.to_fishbone]), self.on_fishbone])
        self.earlier = button(description="Move earlier", icon="arrow-up")
        self.earlier.on_click(lambda _: self._move(-1))
        self.later = button(description="Move later", icon="arrow-down")
        self.later.on_click(lambda _: self._move(1))
        self.remove = ConfirmButton("Remove step", "Really remove this step?", self._remove,
                                    tooltip="Remove this step from the map (asks once more)")
        self.feedback = Feedback()
        self.step_box = W.VBox([
            W.HTML("<h3>Change a step</h3>"), self.step_list, self.text, self.who, self.breaks_down,
            self.why, self.cause_box,
            W.HBox([self.earlier, self.later, self.remove], layout=W.Layout(flex_flow="row wrap")),
            self.feedback,
        ], layout=W.Layout(border="1px solid #d9d4c9", padding="0.5em 0.8em", margin="0.5em 0"))

    def _svg(self) -> str:
        return process_map_svg(self.session.doc.process_map)

    # -- showing the model -------------------------------------------------------------------
    def sync(self, doc: Project) -> None:
        process_map = doc.process_map
        self.process.value = process_map.process
        steps = process_map.steps
        ids = [s.id for s in steps]
        if self.selected_id not in ids:
            self.selected_id = ids[-1] if ids else None
        set_options(self.step_list, [(step_label(n, s), s.id) for n, s in enumerate(steps, start=1)],
                    self.selected_id)
        W.show(self.step_box, bool(steps))
        step = doc.find(self.selected_id) if self.selected_id else None
        if step is None:
            return
        self.text.value, self.who.value = step.text, step.who
        self.breaks_down.value, self.why.value = step.breaks_down, step.why
        W.show(self.why, step.breaks_down)
        self._sync_cause(doc, step)
        at = ids.index(step.id)
        self.earlier.disabled, self.later.disabled = at == 0, at == len(ids) - 1
        self.remove.concern(step.id)

    def _sync_cause(self, doc: Project, step: ProcessStep) -> None:
        """Where the step breaks down, the way onto the fishbone (and where it is there)."""
        W.show(self.cause_box, step.breaks_down)
        cause = find_cause(doc, step.cause_id)
        categories = [(c.name, c.id) for c in doc.fishbone.categories]
        set_options(self.category, categories, cause.category_id if cause else self.category.value)
        if cause is None:
            self.to_fishbone.description = "Put it on the fishbone"
            self.on_fishbone.value = ('<p class="ciw-muted">What goes wrong here is a cause to look at: '
                                      "put it on the fishbone below.</p>")
            return
        self.to_fishbone.description = "Update it on the fishbone"
        bone = next((name for name, cid in categories if cid == cause.category_id), "")
        self.on_fishbone.value = (f'<p class="ciw-muted">On the fishbone under {escape(bone)}: '
                                  f"“{escape(shortened(cause.text, 80))}”</p>")

    # -- editing -----------------------------------------------------------------------------
    def _to_fishbone(self) -> None:
        step_id, category_id = self.selected_id, self.category.value
        self.edit(lambda p: cause_from_step(p, step_id, category_id), "put a process step on the fishbone",
                  self.feedback, ok_text="It is on the fishbone now.")

    def _rename(self, value: str) -> None:
        self.edit(lambda p: setattr(p.process_map, "process", value), "named the process",
                  self.process_feedback)

    def _add(self, value: str, *, asked: bool) -> None:
        """Add a step after the chosen one (the last one added, while a team maps in order);
        `asked` is a click on Add (an emptied box is not a request)."""
        text = value.strip()
        if not text:
            if asked:
                self.new_feedback.show(text=NO_WORDS)
            return
        ids = [s.id for s in self.session.doc.process_map.steps]
        after = ids.index(self.selected_id) + 1 if self.selected_id in ids else len(ids)
        step = ProcessStep(text=text)
        self.selected_id = step.id  # the new step is the one to change next (who, where it breaks down)
        result = self.edit(lambda p: p.process_map.steps.insert(after, step),
                           f"added the step '{shortened(text, 60)}' to the process map", self.new_feedback,
                           ok_text=f"Added step {after + 1}.")
        if result.ok:
            self.feedback.show()  # the form now shows the new step: what it said of another is gone
            with self.syncing():
                self.new_step.value = ""

    def _retext(self, value: str) -> None:
        if not value.strip():
            return self._refuse(NO_WORDS)
        self._edit_step(lambda s: setattr(s, "text", value))

    def _edit_step(self, change: Callable[[ProcessStep], object]) -> None:
        self._edit_chosen(change, "changed a step of the process map")

    def _move(self, by: int) -> None:
        step_id = self.selected_id

        def apply(p: Project) -> None:
            steps = p.process_map.steps
            at = next((i for i, s in enumerate(steps) if s.id == step_id), None)
            if at is not None and 0 <= at + by < len(steps):
                steps[at], steps[at + by] = steps[at + by], steps[at]

        if self.edit(apply, "reordered the process map", self.feedback).ok:
            focus_after_move(self.earlier, self.later, by)

    def _remove(self) -> None:
        steps = self.session.doc.process_map.steps
        ids = [s.id for s in steps]
        step_id = self.selected_id
        if step_id not in ids:
            return
        at = ids.index(step_id)
        # The neighbour stays chosen: the one before, or the new first step.
        self.selected_id = ids[at - 1] if at else (ids[1] if len(ids) > 1 else None)
        self.edit(lambda p: setattr(p.process_map, "steps", [s for s in p.process_map.steps if s.id != step_id]),
                  "removed a step from the process map", self.feedback, ok_text="Removed the step.")
