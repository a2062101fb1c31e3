"""The benefit-effort matrix: rate each change idea's expected benefit and effort with
sliders (1-5, arrow keys work), see it land in a named quadrant, and choose the ideas
to test next."""

from __future__ import annotations

from html import escape

from ..analysis import theory as T
from ..model import ModelError, Project
from ..render.matrix import matrix_layout, matrix_svg
from ..session import Session
from . import lean as W
from .common import DiagramView, SaveStatus, keyed_rows, set_children

_SLIDER_STYLE = {"description_width": "4.5em"}


def _rating(value: object) -> int:
    """A rating from a slider; a visitor can send anything, so check it."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ModelError([f"A rating must be a whole number from 1 to 5 (not {str(value)[:20]})."])
    return value


class IdeaRating(W.VBox):
    """One change idea: benefit and effort sliders, its quadrant, and 'Test next'."""

    def __init__(self, matrix: BenefitEffortMatrix, idea_id: str):
        self.matrix, self.idea_id = matrix, idea_id
        self.title = W.HTML()

        def slider(label: str, tooltip: str) -> W.IntSlider:
            s = W.IntSlider(value=3, min=1, max=5, step=1, description=label, continuous_update=False,
                            style=_SLIDER_STYLE, tooltip=tooltip, layout=W.Layout(width="19em"))
            s.observe(lambda _: self._rated(), "value")
            return s

        self.benefit = slider("Benefit", "How much would it help reach the aim? 1 = a little, 5 = a lot")
        self.effort = slider("Effort", "How much time and work would it take? 1 = very little, 5 = a lot")
        self.place = W.Button(description="Place at these ratings", layout=W.Layout(width="auto"),
                              tooltip="Put the idea on the matrix with the ratings shown")
        self.place.on_click(lambda _: self._rated())
        self.where = W.HTML(layout=W.Layout(min_width="12em"))
        self.test_next = W.Button(layout=W.Layout(width="auto"))
        self.test_next.on_click(lambda _: self._toggle_testing())
        self._quiet = False
        super().__init__(
            [self.title, W.HBox([self.benefit, self.effort, self.where, self.place, self.test_next],
                                layout=W.Layout(flex_flow="row wrap", align_items="center"))],
            layout=W.Layout(padding="6px 0", border_bottom="1px solid #eee"),
        )

    def show(self, project: Project, number: int) -> None:
        idea = project.find(self.idea_id)
        self.title.value = (f"<div style='font-weight:600'>{number}. {escape(idea.text)} "
                            f"<span class='ciw-muted' style='font-weight:400'>({escape(idea.status)})</span></div>")
        placed = idea.benefit is not None and idea.effort is not None
        self._quiet = True
        try:
            self.benefit.value = idea.benefit or 3
            self.effort.value = idea.effort or 3
        finally:
            self._quiet = False
        q = T.quadrant(idea.benefit, idea.effort)
        self.where.value = (f"<strong>{escape(q.title)}</strong>" if q
                            else "<span class='ciw-muted'>Not placed yet</span>")
        W.show(self.place, not placed)
        cycles = len(project.cycles_of(self.idea_id))
        if idea.status in ("idea", "abandoned"):
            self.test_next.description, self.test_next.button_style = "Test next", "primary"
            self.test_next.tooltip = "Mark this idea 'testing' and plan a PDSA cycle for it"
            W.show(self.test_next, True)
        elif idea.status == "testing" and cycles == 0:
            self.test_next.description, self.test_next.button_style = "Not now", ""
            self.test_next.tooltip = "Put this idea back to 'idea'"
            W.show(self.test_next, True)
        else:  # being tested with cycles, or already adopted/adapted: decided elsewhere
            W.show(self.test_next, False)

    def _rated(self) -> None:
        if self._quiet:
            return
        benefit, effort = self.benefit.value, self.effort.value

        def change(p: Project) -> None:
            idea = p.find(self.idea_id)
            idea.benefit, idea.effort = _rating(benefit), _rating(effort)

        self.matrix.session.edit(change, what="rated a change idea")

    def _toggle_testing(self) -> None:
        def change(p: Project) -> None:
            idea = p.find(self.idea_id)
            if idea.status in ("idea", "abandoned"):
                idea.status = "testing"
            elif idea.status == "testing" and not p.cycles_of(idea.id):
                idea.status = "idea"

        self.matrix.session.edit(change, what="chose a change idea to test next")


class BenefitEffortMatrix(W.VBox):
    """Rate the change ideas; the matrix redraws; choose what to test next."""

    def __init__(self, session: Session, **options):
        self.session = session
        self.view = DiagramView(lambda: matrix_svg(session.doc), "benefit-effort-matrix", session)
        self.rows: dict[str, IdeaRating] = {}
        self.list = W.VBox()
        self.summary = W.HTML()
        super().__init__(
            [self.view, self.summary, self.list, SaveStatus(session)], **options
        )
        self.add_class("ciw-matrix")
        session.observe(self._redraw)
        self._redraw(session)

    def _redraw(self, session: Session) -> None:
        project = session.doc
        numbers = matrix_layout(project).numbers
        ideas = [x for x in T.display_order(project).change_ideas if x.id in numbers]
        rows = keyed_rows(self.rows, [x.id for x in ideas], lambda idea_id: IdeaRating(self, idea_id))
        for row in rows:
            row.show(project, numbers[row.idea_id])
        set_children(self.list, rows)
        self.summary.value = _summary_html(project, len(ideas))


def _summary_html(project: Project, shown: int) -> str:
    if not project.driver_diagram.change_ideas:
        return ("<div class='ciw-muted'>No change ideas yet: add them to the driver diagram "
                "(workbook 3), then rate them here.</div>")
    testing = [x.text for x in project.driver_diagram.change_ideas if x.status == "testing"]
    abandoned = len(project.driver_diagram.change_ideas) - shown
    parts = []
    if testing:
        parts.append("<strong>Testing next:</strong> " + escape("; ".join(testing)) + ".")
    else:
        parts.append("Rate each idea, then choose one or two <strong>quick wins</strong> to test next.")
    if abandoned:
        parts.append(f"<span class='ciw-muted'>{abandoned} abandoned idea{'s' if abandoned != 1 else ''} "
                     "not shown.</span>")
    return f"<div style='margin:0.6em 0'>{' '.join(parts)}</div>"
