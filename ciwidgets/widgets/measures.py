"""The family of measures: outcome, driver, process and balancing measures, each with
its operational definition, and gentle nudges toward a family a team can learn from
every week."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..analysis import theory as T
from ..analysis.words import shortened
from ..model import FREQUENCIES, MEASURE_KINDS, Measure, ModelError, Project
from ..session import Session
from . import lean as W
from .aim import FULL, number_or_none, number_text, parse_number
from .common import ConfirmButton, Feedback, SaveStatus, keyed_rows, set_children
from .drivers import LinkPicker

KIND_HELP = {
    "outcome": "Outcome: the aim itself (e.g. % of students meeting the standard).",
    "driver": "Driver: whether a driver is moving (e.g. % of teachers who find planning efficient).",
    "process": "Process: whether a change is happening as planned (e.g. lessons ending with an exit ticket).",
    "balancing": "Balancing: what could get worse (e.g. teachers' planning time).",
}
_STYLE = {"description_width": "12em"}


def link_options(project: Project) -> list[tuple[str, str]]:
    """What a measure can follow: the aim, each driver, each change idea (labelled)."""
    order = T.display_order(project)
    return (
        [(T.AIM_ID, "The aim")]
        + [(p.id, f"Primary driver: {shortened(p.text)}") for p in order.primary]
        + [(s.id, f"Secondary driver: {shortened(s.text)}") for s in order.secondary]
        + [(x.id, f"Change idea: {shortened(x.text)}") for x in order.change_ideas]
    )


class MeasureCard(W.VBox):
    """Every field of one measure, saved as it is changed."""

    def __init__(self, family: MeasureFamily, measure_id: str):
        self.family, self.measure_id = family, measure_id

        def text(label: str, placeholder: str = "", width: str = FULL) -> W.Text:
            return W.Text(description=label, placeholder=placeholder, continuous_update=False,
                          style=_STYLE, layout=W.Layout(width=width))

        self.name = text("Measure name", "e.g. Exit-ticket mastery")
        self.kind = W.Dropdown(options=list(MEASURE_KINDS), description="Kind", style=_STYLE,
                               layout=W.Layout(width="24em"))
        self.definition = W.Textarea(description="Operational definition", rows=2, continuous_update=False,
                                     placeholder="Exactly what is counted, how, and by whom",
                                     style=_STYLE, layout=W.Layout(width=FULL))
        self.unit = text("Unit", "e.g. % of students", "24em")
        self.frequency = W.Dropdown(options=list(FREQUENCIES), description="How often", style=_STYLE,
                                    layout=W.Layout(width="24em"))
        self.source = text("Data source", "e.g. Friday exit tickets")
        self.target = text("Target", "e.g. 35", "24em")
        self.direction = W.Dropdown(options=[("higher is better", "up"), ("lower is better", "down")],
                                    description="Desired direction", style=_STYLE, layout=W.Layout(width="24em"))
        self.kind_help = W.HTML()
        self.links = LinkPicker("What it tracks", self._set_links)
        self.tracks = W.HTML()
        self.delete = ConfirmButton("Delete measure", "Really delete?", lambda: family.delete(measure_id),
                                    tooltip="Delete this measure (asks again)")
        self.feedback = Feedback()  # why a change to this measure was refused, on its card
        self._quiet = False
        self._refused: W.ValueWidget | None = None  # a refused value stays until corrected
        fields: list[tuple[W.ValueWidget, Callable[[Measure, object], None]]] = [
            (self.name, lambda m, v: setattr(m, "name", _required(v))),
            (self.kind, lambda m, v: setattr(m, "kind", v)),
            (self.definition, lambda m, v: setattr(m, "operational_definition", v)),
            (self.unit, lambda m, v: setattr(m, "unit", v)),
            (self.frequency, lambda m, v: setattr(m, "frequency", v)),
            (self.source, lambda m, v: setattr(m, "data_source", v)),
            (self.target, lambda m, v: setattr(m, "target", parse_number(v, "Target"))),
            (self.direction, lambda m, v: setattr(m, "desired_direction", v)),
        ]
        for widget, apply in fields:
            widget.observe(lambda change, w=widget, a=apply: self._changed(w, a, change["new"]), "value")
        two = W.Layout(flex_flow="row wrap", align_items="center")
        super().__init__(
            [self.name, W.HBox([self.kind, self.kind_help], layout=two), self.definition,
             W.HBox([self.unit, self.frequency], layout=two), self.source,
             W.HBox([self.target, self.direction], layout=two),
             W.HBox([self.links.toggle, self.delete, self.tracks], layout=two), self.links.panel,
             self.feedback],
            layout=W.Layout(border="1px solid #d9d4c9", padding="10px 12px", margin="0 0 12px 0"),
        )
        self.add_class("ciw-measure")

    def _changed(self, widget: W.ValueWidget, apply: Callable[[Measure, object], None], value: object) -> None:
        if self._quiet:
            return

        def change(p: Project) -> None:
            apply(T.find_measure(p, self.measure_id), value)

        self._refused = widget
        result = self.family.session.edit(change, what="edited a measure")
        self.feedback.show(result if not result.ok else None)
        if result.ok:
            self._refused = None
            self.show(self.family.session.doc)

    def _set_links(self, ids: list[str]) -> None:
        self.family.session.edit(lambda p: T.set_measure_links(p, self.measure_id, ids),
                                 what="linked a measure")

    def show(self, project: Project, number: int | None = None) -> None:
        m = T.find_measure(project, self.measure_id)
        self._quiet = True
        try:
            if number is not None:
                self.name.description = f"Measure {number}"
            for widget, value in ((self.name, m.name), (self.kind, m.kind), (self.definition, m.operational_definition),
                                  (self.unit, m.unit), (self.frequency, m.frequency), (self.source, m.data_source),
                                  (self.direction, m.desired_direction)):
                if widget is not self._refused:
                    widget.value = value
            if self.target is not self._refused and number_or_none(self.target.value) != m.target:
                self.target.value = number_text(m.target)
        finally:
            self._quiet = False
        self.kind_help.value = f"<span class='ciw-muted' style='padding-left:8px'>{escape(KIND_HELP[m.kind])}</span>"
        options = link_options(project)
        self.links.show(options, m.linked_ids)
        names = [label for i, label in options if i in m.linked_ids]
        self.tracks.value = (f"<span class='ciw-muted' style='padding-left:8px'>{escape('; '.join(names))}</span>"
                             if names else "<span class='ciw-muted' style='padding-left:8px'>"
                             "Link it to the aim, a driver or a change idea.</span>")
        self.delete.disarm()


class MeasureFamily(W.VBox):
    """Define the team's measures; nudges suggest what the family still lacks."""

    def __init__(self, session: Session, **options):
        self.session = session
        self.nudges = W.HTML()
        self.cards: dict[str, MeasureCard] = {}
        self.list = W.VBox()
        self.new_name = W.Text(description="New measure", placeholder="Name it and press Enter",
                               continuous_update=False, style={"description_width": "auto"},
                               layout=W.Layout(flex="1 1 20em"))
        self.new_name.add_class("ciw-add-box")  # emptied once added (see TypingGuard)
        self.new_kind = W.Dropdown(options=list(MEASURE_KINDS), value="process", description="Kind",
                                   style={"description_width": "auto"}, layout=W.Layout(width="14em"))
        self.add_button = W.Button(description="Add measure", button_style="primary", layout=W.Layout(width="auto"))
        self.new_name.observe(lambda _: self.add(), "value")
        self.add_button.on_click(lambda _: self.add())
        adder = W.HBox([self.new_name, self.new_kind, self.add_button],
                       layout=W.Layout(flex_flow="row wrap", align_items="center"))
        help_ = "".join(f"<li>{escape(t)}</li>" for t in KIND_HELP.values())
        super().__init__(
            [W.HTML(f"<ul class='ciw-muted' style='margin:0.2em 0 0.6em'>{help_}</ul>"), self.nudges, self.list,
             adder, SaveStatus(session)],
            **options,
        )
        self.add_class("ciw-measures")
        session.observe(self._redraw)
        self._redraw(session)

    def add(self) -> bool:
        name = self.new_name.value.strip()
        kind = self.new_kind.value
        if not name or kind not in MEASURE_KINDS:
            return False
        if self.session.edit(lambda p: T.add_measure(p, name, kind=kind), what="added a measure").ok:
            self.new_name.value = ""
            return True
        return False

    def delete(self, measure_id: str) -> bool:
        return self.session.edit(lambda p: T.delete_measure(p, measure_id), what="deleted a measure").ok

    def _redraw(self, session: Session) -> None:
        project = session.doc
        cards = keyed_rows(self.cards, [m.id for m in project.measures], lambda m_id: MeasureCard(self, m_id))
        for number, card in enumerate(cards, start=1):
            card.show(project, number)
        set_children(self.list, cards)
        self.nudges.value = _nudges_html(T.measure_nudges(project))


def _required(value: object) -> str:
    if not str(value).strip():
        raise ModelError(["A measure needs a name."])
    return str(value)


def _nudges_html(nudges: list[T.Nudge]) -> str:
    if not nudges:
        return ("<div class='ciw-note ciw-ok' role='note'>✓ A balanced family: outcome, "
                "process and balancing measures, with something you can collect every week.</div>")
    items = "".join(f"<li>{escape(n.message)}</li>" for n in nudges)
    return ("<div class='ciw-note ciw-warn' role='note'><strong>Suggestions</strong>"
            f"<ul style='margin:0.3em 0'>{items}</ul></div>")
