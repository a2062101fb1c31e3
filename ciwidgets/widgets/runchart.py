"""The run chart of a measure, and the few decisions a team makes about it.

The chart is an SVG drawn in Python by `ciwidgets.render.runchart` (a few
milliseconds, tens of kilobytes, hover titles on every point), shown with SVG/PNG downloads.
Under it, every signal in plain language. The team's decisions about how to
read the chart are saved on the measure, so the whole team sees the same
chart: the frozen baseline, the phases, the points judged astronomical. The
rule set and the subgroup view are each viewer's own choice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from html import escape
from typing import Any

from ..analysis.numbers import format_number
from ..analysis.runchart import FEWEST_TO_JUDGE, compare_rule_sets, format_date
from ..model import Measure, Project
from ..render import runchart as R
from ..session import Session
from . import lean as W
from .common import DiagramView, Room, SaveStatus, file_name, keyed_rows, note, set_children
from .observations import MeasurePicker, fill_picker

_STYLE = {"description_width": "9em"}
READINGS = [("IHI rules", "ihi"), ("Anhøj rules", "anhoej"), ("Where they disagree", "compare")]
MAX_BASELINE = 10_000
CHART_WIDTH = 900  # the width of a laptop's page: a long series gets room
# Narrower screens (a tablet) get the chart drawn to their width, its words at full size,
# down to this; below it the chart shrinks, then scrolls sideways.
NARROWEST_CHART = 480


SHOWN_AT_ONCE = 8  # sentences under a chart before the rest fold away (a long daily series has hundreds)


def _bullets(sentences: list[str], noun: str, css: str) -> str:
    """The sentences as a list; past the first few, behind "N more …" (escaped here)."""
    if not sentences:
        return ""

    def items(part: list[str]) -> str:
        return (f"<ul class='{css}'>" if css else "<ul>") + "".join(f"<li>{escape(s)}</li>" for s in part) + "</ul>"

    first, rest = sentences[:SHOWN_AT_ONCE], sentences[SHOWN_AT_ONCE:]
    if not rest:
        return items(first)
    return (items(first) + f"<details><summary>{len(rest)} more {noun}{'s' if len(rest) != 1 else ''}"
            f"</summary>{items(rest)}</details>")


def _points(n: int) -> str:
    return f"{n} point{'s' if n != 1 else ''}"


def _first_phase_points(main, measure: Measure) -> int:
    """How many points of the main series a baseline can use: those before the first new phase."""
    if main is None:
        return 0
    end = min(measure.phase_starts, default=None)
    return sum(1 for day, value in zip(main.dates, main.values, strict=True)
               if value is not None and (end is None or day < end))


class RunChartView(W.VBox):
    """A measure's run chart, its signals, and the team's reading of it."""

    def __init__(self, session: Session, *, measure_id: str | None = None, rules: str = "ihi",
                 subgroups: bool = False):
        self.session = session
        self._quiet = False
        self._cache: tuple[str, int, str] | None = None  # (what it shows, width, the SVG)
        self.chart: DiagramView | None = None
        self._phase_date_of: str | None = None  # the measure whose last point the phase date box shows

        self.measure_picker = MeasurePicker(session, measure_id)
        self.measure_picker.on_choose(self._measure_chosen)
        self.reading = W.ToggleButtons(
            options=READINGS, value=rules if rules in dict(READINGS).values() else "ihi",
            description="Read with", style={**_STYLE, "button_width": "auto"},
            tooltips=["The IHI run-chart rules (shift, trend, runs)",
                      "The Anhøj rules (longest run, crossings)",
                      "Both rule sets, and where they differ"],
        )
        self.reading.observe(lambda _: self._changed(), "value")
        self.subgroups = W.Checkbox(value=bool(subgroups), description="Show each subgroup on its own chart",
                                    indent=False, layout=W.Layout(width="auto"))
        self.subgroups.observe(lambda _: self._changed(), "value")
        self.empty = W.HTML()
        self.room = Room()  # the chart is drawn to the width the screen gives it
        self.room.observe(lambda _: self._resized(), "width")
        self.chart_box = W.VBox()
        self.signals = W.HTML()
        self.signals.add_class("ciw-signals")

        # The team's decisions, saved on the measure.
        self.baseline_state = W.HTML()
        self.baseline_points = W.BoundedIntText(value=12, min=1, max=MAX_BASELINE, description="Baseline points",
                                                style=_STYLE, layout=W.Layout(width="16em"))
        self.freeze = W.Button(description="Freeze the baseline", layout=W.Layout(width="auto"),
                               tooltip="Use the median of the first N points for the whole chart")
        self.freeze.on_click(lambda _: self.freeze_baseline())
        self.unfreeze = W.Button(description="Use all points", layout=W.Layout(width="auto"),
                                 tooltip="The median of all points, not a frozen baseline")
        self.unfreeze.on_click(lambda _: self.unfreeze_baseline())
        self.phase_date = W.DatePicker(description="New phase from", style=_STYLE, layout=W.Layout(width="20em"))
        self.add_phase = W.Button(description="Start a new phase", layout=W.Layout(width="auto"),
                                  tooltip="From this date the chart gets a new median and its own analysis")
        self.add_phase.on_click(lambda _: self.start_phase())
        self.phases = W.VBox()
        self.phase_rows: dict[tuple[str, dt.date], W.HBox] = {}
        self.point_picker = W.Dropdown(description="Point", style=_STYLE, layout=W.Layout(width="28em"))
        self.point_picker.observe(lambda _: self._label_astronomical(), "value")
        self.astronomical = W.Button(description="Mark as astronomical", layout=W.Layout(width="auto"),
                                     tooltip="A point so unusual the team knows it has a special cause")
        self.astronomical.on_click(lambda _: self.toggle_astronomical())
        self.message = W.HTML()
        decisions = W.VBox([
            W.HTML("<h3>How your team reads this chart</h3>"
                   "<p class='ciw-muted'>Saved for the whole team.</p>"),
            self.baseline_state,
            W.HBox([self.baseline_points, self.freeze, self.unfreeze], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.phase_date, self.add_phase], layout=W.Layout(flex_flow="row wrap")),
            self.phases,
            W.HTML("<p class='ciw-muted'>An <em>astronomical</em> point is one so far from the others that "
                   "everyone agrees something special happened (a snow day, a test glitch). It is your "
                   "judgement, not a rule.</p>"),
            W.HBox([self.point_picker, self.astronomical], layout=W.Layout(flex_flow="row wrap")),
            self.message,
        ])
        self.body = W.VBox([
            W.HBox([self.reading], layout=W.Layout(flex_flow="row wrap")), self.subgroups,
            self.room, self.chart_box, self.signals, decisions,
        ])
        super().__init__([self.measure_picker, self.empty, self.body, SaveStatus(session)])
        self.add_class("ciw-runchart")
        session.observe(lambda _s: self.redraw(), first=True)
        self.redraw()

    # ------------------------------------------------------------------ the model
    @property
    def measure(self) -> Measure | None:
        return self.measure_picker.measure(self.session.doc)

    @property
    def view(self) -> str:
        return "disagreement" if self.reading.value == "compare" else "signals"

    @property
    def rules(self) -> str:
        return self.reading.value if self.reading.value in ("ihi", "anhoej") else "ihi"

    # ------------------------------------------------------------------ drawing
    def _changed(self) -> None:
        if not self._quiet:
            self.redraw()

    @property
    def chart_width(self) -> int:
        """CHART_WIDTH, or the screen's width where it is narrower (not below NARROWEST_CHART)."""
        room = self.room.width
        return CHART_WIDTH if room <= 0 else max(NARROWEST_CHART, min(CHART_WIDTH, room))

    def _resized(self) -> None:
        if self.chart is not None and self._cache is not None and self._cache[1] != self.chart_width:
            self.chart.refresh()

    def _measure_chosen(self) -> None:
        self.message.value = ""  # it was about the measure shown before
        self._changed()

    def redraw(self) -> None:
        project = self.session.doc
        self.measure_picker.refill(project)
        measure = self.measure
        if measure is None:
            W.show(self.measure_picker, False)
            W.show(self.body, False)
            self.empty.value = note(
                "There are no measures yet. Add your family of measures in step 3 (Theory of "
                "improvement) and record some data; the run chart appears here."
            )
            return
        W.show(self.measure_picker, True)
        W.show(self.body, True)
        self.empty.value = ""
        main, groups = R.measure_series(project, measure.id)
        W.show(self.subgroups, groups)
        if self.chart is None:  # made on first use: without a measure there is no chart
            self.chart = DiagramView(self.svg, file_name(measure.name, "run-chart"))
            self.chart_box.children = [self.chart]
        else:
            self.chart.rename(file_name(measure.name, "run-chart"))  # downloads are named after the measure shown
            self.chart.refresh()
        self.signals.value = self.signal_list(project, measure)
        self._draw_decisions(project, measure, _first_phase_points(main, measure))

    def options(self) -> dict[str, Any]:
        return {"rules": self.rules, "view": self.view,
                "subgroups": bool(self.subgroups.value) and self.subgroups.layout.display != "none"}

    def svg(self) -> str:
        """The chart as SVG; drawn again only when something it shows has changed."""
        project, measure = self.session.doc, self.measure
        if measure is None:
            return ""
        key, width = self._fingerprint(project, measure), self.chart_width
        if self._cache is None or self._cache[:2] != (key, width):
            self._cache = (key, width, R.run_chart_svg(project, measure.id, width=width, **self.options()))
        return self._cache[2]

    def _fingerprint(self, project: Project, measure: Measure) -> str:
        cycles = R.related_cycles(project, measure)
        ideas = {y.change_idea_id for y in cycles}
        parts = {
            "measure": measure.model_dump(mode="json"),
            "observations": [o.model_dump(mode="json") for o in project.observations_of(measure.id)],
            "cycles": [y.model_dump(mode="json") for y in cycles],
            "ideas": [x.text for x in project.driver_diagram.change_ideas if x.id in ideas],
            "options": self.options(),
        }
        return hashlib.blake2s(json.dumps(parts, sort_keys=True).encode(), digest_size=16).hexdigest()

    def signal_list(self, project: Project, measure: Measure) -> str:
        """What the chart says, in sentences, as HTML (every sentence escaped)."""
        main, groups = R.measure_series(project, measure.id)
        if main is None:
            return ""
        if self.view == "disagreement":
            comparison = compare_rule_sets(main.dates, main.values, baseline=measure.baseline_points,
                                           phase_starts=measure.phase_starts)
            headline, items = comparison.summary(), list(comparison.differences)
            notes = comparison.ihi.notes()
        else:
            analysis = R.RUN_CHART.analyse(main, measure, self.rules)
            headline = analysis.summary()
            items = analysis.explain(desired_direction=measure.desired_direction)
            notes = analysis.notes()
        marked = [o for o in project.observations_of(measure.id) if o.id in measure.astronomical_ids]
        notes += [
            f"You marked {format_date(o.date)} ({format_number(o.value)}) as astronomical: note its special "
            "cause, and do not let it decide the median by itself." for o in marked
        ]
        notes = [n for n in notes if n != headline]  # e.g. 'nothing to judge yet' is both
        parts = [f"<p><strong>{escape(headline)}</strong></p>", _bullets(items, "signal", ""),
                 _bullets(notes, "note", "ciw-muted")]
        if self.options()["subgroups"]:
            parts += [self._group_signals(group, measure) for group in groups]
        return f"<section aria-label='What the chart says'>{''.join(parts)}</section>"

    def _group_signals(self, group, measure: Measure) -> str:
        """One subgroup's chart in sentences, under its name (they had run into one grey line)."""
        analysis = R.RUN_CHART.analyse(group, measure, self.rules)
        name = f"<strong>{escape(group.label)}:</strong>"
        if analysis.too_few_to_judge:
            return (f"<p>{name} <span class='ciw-muted'>too few points to judge ({analysis.useful_observations} "
                    f"off the median; at least {FEWEST_TO_JUDGE} needed).</span></p>")
        found = analysis.explain(desired_direction=measure.desired_direction)
        return f"<p>{name}{'' if found else ' no signal.'}</p>" + _bullets(found, "signal", "")

    def _phase_row(self, key: tuple[str, dt.date]) -> W.HBox:
        start = key[1]
        remove = W.Button(description="Remove", tooltip=f"Remove the phase from {format_date(start)}",
                          layout=W.Layout(width="auto"))
        remove.on_click(lambda _b: self.remove_phase(start))
        return W.HBox([W.HTML(f"<span>New phase from {escape(format_date(start))}</span>"), remove])

    def _draw_decisions(self, project: Project, measure: Measure, points: int) -> None:
        observations = project.observations_of(measure.id)
        if measure.baseline_points:
            n = measure.baseline_points
            fewer = (f" The chart has {_points(points)} so far{' in its first phase' if measure.phase_starts else ''}, "
                     "so the median is of all of them until then." if points < n else "")
            self.baseline_state.value = (
                f"<p>Baseline: the median of the <strong>first {_points(n)}</strong>, "
                f"frozen and extended over the later points.{fewer}</p>"
            )
        else:
            self.baseline_state.value = (
                "<p>Baseline: the median of <strong>all points</strong>. Once you have a stable stretch "
                "(often 12 or more points), freeze it to judge later changes against it.</p>"
            )
        self.unfreeze.disabled = measure.baseline_points is None
        if measure.baseline_points:  # the box shows what is saved (after a reload, or a teammate's freeze)
            self._quiet = True
            try:
                self.baseline_points.value = min(measure.baseline_points, MAX_BASELINE)
            finally:
                self._quiet = False
        if observations and (self.phase_date.value is None or self._phase_date_of != measure.id):
            self.phase_date.value = observations[-1].date  # this measure's last point, not another's
            self._phase_date_of = measure.id
        starts = [(measure.id, start) for start in sorted(measure.phase_starts)]
        set_children(self.phases, keyed_rows(self.phase_rows, starts, self._phase_row))
        self._quiet = True
        try:
            # Newest first, the chart's own points (everyone) before the subgroups' points.
            newest = sorted(reversed(observations), key=lambda o: o.subgroup is not None)
            options = [
                (f"{format_date(o.date)}: {format_number(o.value)}" + (f" ({o.subgroup})" if o.subgroup else ""), o.id)
                for o in newest
            ]
            fill_picker(self.point_picker, options, self.point_picker.value)
        finally:
            self._quiet = False
        self._label_astronomical()

    def _label_astronomical(self) -> None:
        measure = self.measure
        marked = measure is not None and self.point_picker.value in measure.astronomical_ids
        self.astronomical.description = "Unmark astronomical" if marked else "Mark as astronomical"
        self.astronomical.disabled = self.point_picker.value is None

    # ------------------------------------------------------------------ decisions
    def _edit_measure(self, change, what: str) -> None:
        measure = self.measure
        if measure is None:
            return
        measure_id = measure.id

        def apply(project: Project) -> None:
            target = next((m for m in project.measures if m.id == measure_id), None)
            if target is not None:
                change(target)

        result = self.session.edit(apply, what)
        self.message.value = "" if result.ok else note(result.message, "error")

    def freeze_baseline(self) -> None:
        """Freeze the baseline at the number of points typed (the 'Freeze' button)."""
        n = self.baseline_points.value
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_BASELINE:
            self.message.value = note(f"Type how many points the baseline has (1 to {MAX_BASELINE}).", "warn")
            return
        measure = self.measure
        points = 0 if measure is None else _first_phase_points(R.measure_series(self.session.doc, measure.id)[0],
                                                               measure)
        if n > points:
            where = " in its first phase" if measure is not None and measure.phase_starts else ""
            self.message.value = note(f"The chart has {_points(points)}{where}: a baseline can use at most that "
                                      "many.", "warn")
            return
        self._edit_measure(lambda m: setattr(m, "baseline_points", n), f"froze the baseline at {n} points")

    def unfreeze_baseline(self) -> None:
        self._edit_measure(lambda m: setattr(m, "baseline_points", None), "used all points for the median")

    def start_phase(self) -> None:
        """Start a new phase at the chosen date (the 'Start a new phase' button)."""
        measure, day = self.measure, self.phase_date.value
        if measure is None:
            return
        if not isinstance(day, dt.date):
            self.message.value = note("Choose the date the new phase starts.", "warn")
            return
        dates = [o.date for o in self.session.doc.observations_of(measure.id)]
        if not dates or day <= dates[0]:
            first = format_date(dates[0]) if dates else "the first point"
            self.message.value = note(f"A new phase starts after the first point ({first}); choose a later date.",
                                      "warn")
            return
        if day in measure.phase_starts:
            self.message.value = note(f"A phase already starts on {format_date(day)}.", "warn")
            return
        self._edit_measure(lambda m: setattr(m, "phase_starts", sorted([*m.phase_starts, day])),
                           f"started a new phase on {format_date(day)}")
        if day > dates[-1] and not self.message.value:  # saved, for data still to come
            self.message.value = note(f"No points from {format_date(day)} yet: the new phase shows on the chart "
                                      "once data from that date is recorded.", "warn")

    def remove_phase(self, day: dt.date) -> None:
        self._edit_measure(lambda m: setattr(m, "phase_starts", [d for d in m.phase_starts if d != day]),
                           f"removed the phase from {format_date(day)}")

    def toggle_astronomical(self) -> None:
        """Mark or unmark the chosen point as astronomical."""
        measure, oid = self.measure, self.point_picker.value
        if measure is None or oid not in {o.id for o in self.session.doc.observations_of(measure.id)}:
            return
        if oid in measure.astronomical_ids:
            self._edit_measure(lambda m: setattr(m, "astronomical_ids", [i for i in m.astronomical_ids if i != oid]),
                               "unmarked an astronomical point")
        else:
            self._edit_measure(lambda m: setattr(m, "astronomical_ids", [*m.astronomical_ids, oid]),
                               "marked a point as astronomical")
