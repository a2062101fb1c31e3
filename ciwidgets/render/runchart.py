"""Run charts of a team's measures: drawn as SVG in Python for the widget, and as
a Vega-Lite specification / Altair chart for researchers.

What a chart shows, for one measure of a project:

* the data in time order, joined by a line;
* the centre line of each phase (a run chart's median; the baseline median
  solid over the baseline points, dashed where it is extended);
* the goal line from the measure's target;
* the team's PDSA cycles as thin rules at their start dates, with labels laid
  out in lanes so that they never overlap;
* the points behind each signal highlighted (colour *and* shape, so colour-blind
  readers see them), each point with a plain-language tooltip;
* points the team marked as astronomical (a judgement, not a rule);
* optionally, one small chart per subgroup, each analysed on its own, with a
  warning when a subgroup has too few points to judge.

Chart kinds are strategies (`ChartKind`): a kind analyses a series and names the
reference lines to draw. `RunChartKind` draws medians; control charts (XmR, P,
U) add a kind whose reference lines are a mean and control limits, and whose
analysis flags points outside them; everything else (points, signals, goal,
PDSA annotations, subgroups, export) is shared.

What each panel shows is worked out once (`build_panel`: points with their
category and hover text, centre lines, the names of the lines, subtitle) and
drawn by either of two renderers.

Display choice: the widget shows `run_chart_svg`, drawn directly as SVG in
Python (`runchart_draw`, like the fishbone and driver diagrams): a few
milliseconds and ~10-40 KB per chart, no JavaScript, works offline in Voilà;
hover texts are SVG <title> elements, which browsers show. It is also exactly
what "Download SVG" saves and what the PNG is made from (`chart_png`). It
replaced converting the Vega-Lite chart with vl-convert (an embedded V8 engine,
~100 ms per chart), which made every edit in the Study app wait. The Vega-Lite
specification (`run_chart_spec`) and the Altair chart (`run_chart`) remain for
researchers who want to restyle or combine the chart; `chart_svg` converts any
such chart offline with vl-convert.

Pure: Altair and vl-convert are imported inside the functions that need them
(never on the widget's path); no Jupyter imports. Every user string reaches
the drawn chart through `svg.esc`, and the Vega chart as data (Vega escapes it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..analysis.numbers import format_number
from ..analysis.runchart import (
    FEWEST_TO_JUDGE,
    RULE_SETS,
    RuleComparison,
    SeriesAnalysis,
    analyze_series,
    compare_rule_sets,
    format_date,
)
from ..model import Measure, PDSACycle, Project
from .svg import INK, MUTED, PALETTE, document, esc, text_width, wrap

View = Literal["signals", "disagreement"]

BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION = PALETTE[:6]
GRID = "#e4e7eb"
LABEL_SIZE = 11
LANE_HEIGHT = 15
MAX_LABEL_WIDTH = 190

# Point categories: the legend order, with colour and shape for each.
STATUS_STYLE = {
    "Data": (BLUE, "circle"),
    "Part of a signal": (VERMILLION, "diamond"),
    "Marked astronomical": (INK, "triangle-up"),
}
AGREEMENT_STYLE = {
    "No signal": (BLUE, "circle"),
    "Both rule sets": (VERMILLION, "diamond"),
    "IHI only": (ORANGE, "square"),
    "Anhøj only": (PURPLE, "triangle-down"),
}
_AGREEMENT_NAMES = {"both": "Both rule sets", "IHI only": "IHI only", "Anhøj only": "Anhøj only"}


# --------------------------------------------------------------------------- the data to draw


@dataclass(frozen=True)
class ChartSeries:
    """One line of a chart: the whole group, or one subgroup. In time order."""

    label: str
    dates: tuple[dt.date, ...]
    values: tuple[float, ...]
    observation_ids: tuple[str | None, ...]


def measure_series(project: Project, measure_id: str) -> tuple[ChartSeries | None, list[ChartSeries]]:
    """The main series of a measure and one series per subgroup.

    The main series is the observations without a subgroup. When a team records
    only subgroups, the main series combines them per date: weighted by the
    denominators when every observation of that date has one, else their mean."""
    observations = project.observations_of(measure_id)
    whole = [o for o in observations if o.subgroup is None]
    groups: dict[str, list] = {}
    for o in observations:
        if o.subgroup is not None:
            groups.setdefault(o.subgroup, []).append(o)
    subgroups = [
        ChartSeries(name, tuple(o.date for o in obs), tuple(o.value for o in obs), tuple(o.id for o in obs))
        for name, obs in sorted(groups.items(), key=lambda item: item[0].lower())
    ]
    if whole:
        main = ChartSeries(
            "Everyone", tuple(o.date for o in whole), tuple(o.value for o in whole), tuple(o.id for o in whole)
        )
    elif groups:
        main = _combined(observations)
    else:
        main = None
    return main, subgroups


def _combined(observations) -> ChartSeries:
    by_date: dict[dt.date, list] = {}
    for o in observations:
        by_date.setdefault(o.date, []).append(o)
    values = []
    for day in sorted(by_date):
        obs = by_date[day]
        if all(o.denominator for o in obs):
            values.append(sum(o.value * o.denominator for o in obs) / sum(o.denominator for o in obs))
        else:
            values.append(sum(o.value for o in obs) / len(obs))
    days = tuple(sorted(by_date))
    return ChartSeries("All subgroups combined", days, tuple(values), tuple(None for _ in days))


def related_cycles(project: Project, measure: Measure) -> list[PDSACycle]:
    """The dated PDSA cycles worth marking on a measure's chart.

    An outcome measure (or one linked to nothing in particular) shows every
    cycle; another measure shows the cycles of the change ideas it follows,
    directly or through the drivers it is linked to."""
    dated = sorted((y for y in project.pdsa_cycles if y.start_date), key=lambda y: y.start_date)
    dd = project.driver_diagram
    linked = set(measure.linked_ids)
    secondaries = {s.id for s in dd.secondary_drivers if s.id in linked or set(s.primary_ids) & linked}
    ideas = {x.id for x in dd.change_ideas if x.id in linked or set(x.secondary_ids) & secondaries}
    if measure.kind == "outcome" or not ideas:
        return dated
    return [y for y in dated if y.change_idea_id in ideas]


# --------------------------------------------------------------------------- chart kinds


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line over a stretch of dates (a median, a mean, a limit)."""

    label: str
    value: float
    first: dt.date
    last: dt.date
    dashed: bool = False
    colour: str = INK


class ChartKind:
    """How one kind of chart analyses a series and which lines it draws."""

    key = ""
    name = ""
    centre_name = ""

    def analyse(self, series: ChartSeries, measure: Measure, rules: str) -> SeriesAnalysis:
        raise NotImplementedError

    def reference_lines(self, analysis: SeriesAnalysis) -> list[ReferenceLine]:
        raise NotImplementedError

    def describe(self, analysis: SeriesAnalysis, measure: Measure) -> str:
        """A subtitle: what the chart's lines are."""
        raise NotImplementedError


class RunChartKind(ChartKind):
    """A run chart: the median of each phase, judged by the IHI or Anhøj rules."""

    key = "run"
    name = "Run chart"
    centre_name = "Median"

    def analyse(self, series: ChartSeries, measure: Measure, rules: str) -> SeriesAnalysis:
        return analyze_series(
            series.dates, series.values, rules=rules, baseline=measure.baseline_points,
            phase_starts=measure.phase_starts,
        )

    def reference_lines(self, analysis: SeriesAnalysis) -> list[ReferenceLine]:
        lines = []
        dates = analysis.dates
        for phase in analysis.phases:
            result = phase.result
            if result.median is None:
                continue
            first, last = dates[phase.first], dates[phase.last]
            frozen = phase.number == 1 and result.baseline_count < result.observations
            if frozen:
                base_last = dates[phase.first + result.baseline_count - 1]
                lines.append(ReferenceLine("Baseline median", result.median, first, base_last))
                lines.append(ReferenceLine("Baseline median, extended", result.median, base_last, last, dashed=True))
            else:
                lines.append(ReferenceLine("Median", result.median, first, last))
        return lines

    def describe(self, analysis: SeriesAnalysis, measure: Measure) -> str:
        rules = RULE_SETS[analysis.rules]
        first = analysis.phases[0].result
        parts = [f"{self.name}, {rules} rules"]
        if first.baseline_count < first.observations:
            parts.append(f"median of the first {first.baseline_count} points (baseline)")
        if len(analysis.phases) > 1:
            parts.append(f"{len(analysis.phases)} phases, each with its own median")
        return "; ".join(parts)


RUN_CHART = RunChartKind()
CHART_KINDS: dict[str, ChartKind] = {RUN_CHART.key: RUN_CHART}


# --------------------------------------------------------------------------- layout helpers


@dataclass(frozen=True)
class CycleLabel:
    """A PDSA annotation placed in a lane above the plot."""

    date: dt.date
    text: str
    tooltip: str
    lane: int
    x: float
    align: Literal["left", "right"] = "left"


def _fit(text: str, width: float, size: float = LABEL_SIZE) -> str:
    """`text` on one line of at most `width` px, cut with an ellipsis if needed."""
    text = " ".join(str(text).split())
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def layout_cycle_labels(
    project: Project,
    cycles: Sequence[PDSACycle],
    domain: tuple[dt.date, dt.date],
    width: float,
    label_width: float = MAX_LABEL_WIDTH,
    overhang: float = 90,
) -> list[CycleLabel]:
    """Give each cycle label the lowest lane where it overlaps no other label, placing
    the latest first: where labels overlap, an earlier cycle's sits higher, so they
    read top to bottom in time order and no cycle's rule crosses another's words.

    Positions come from the x scale's fixed domain, so the layout is exact;
    label widths are estimated generously (`svg.text_width`). A label may reach
    `overhang` px past the right end of the plot (into the margin) before it
    turns to the left of its rule."""
    start, end = domain
    span = max((end - start).days, 1)
    later: list[tuple[float, int]] = []  # (leftmost point, lane) of each label placed so far
    placed = []
    for cycle in sorted(cycles, key=lambda y: y.start_date or dt.date.min, reverse=True):
        if not start <= cycle.start_date <= end:
            continue
        idea = project.find(cycle.change_idea_id)
        idea_text = " ".join((getattr(idea, "text", "") or "PDSA").split())
        number = f" #{cycle.cycle_number}"
        label = _fit(idea_text, label_width - text_width(number, LABEL_SIZE)) + number
        x = (cycle.start_date - start).days / span * width
        left = x + 3
        right = left + text_width(label, LABEL_SIZE) + 6
        align = "left"
        if right > width + overhang:  # past the right margin: put the text to the left of the rule
            left, right, align = x - 3 - (right - left), x - 3, "right"
        # Above every later label (and rule) this one reaches over: none of theirs crosses it.
        lane = 1 + max((k for start_x, k in later if start_x < right), default=-1)
        later.append((min(x, left), lane))
        scale = f" ({cycle.plan.scale})" if cycle.plan.scale else ""
        question = f" {cycle.question}" if cycle.question else ""
        tooltip = (
            f"PDSA cycle {cycle.cycle_number} of '{idea_text}'{scale}, from "
            f"{format_date(cycle.start_date)}.{question}"
        )
        placed.append(CycleLabel(cycle.start_date, label, tooltip, lane, x, align))
    return placed[::-1]  # in time order again


MIN_SPAN_DAYS = 60


def _domain(dates: Sequence[dt.date], cycles: Sequence[PDSACycle]) -> tuple[dt.date, dt.date]:
    first, last = min(dates), max(dates)
    # A cycle started after the last point still shows, up to two months ahead.
    ahead = [y.start_date for y in cycles if last < y.start_date <= last + dt.timedelta(days=60)]
    last = max([last, *ahead])
    pad = dt.timedelta(days=max(1, round((last - first).days * 0.03)))
    # A point or two close together get a month either side, not a scale of single days.
    pad = max(pad, (dt.timedelta(days=MIN_SPAN_DAYS) - (last - first)) / 2)
    return first - pad, last + pad


# --------------------------------------------------------------------------- what one panel shows
#
# Worked out once, in plain Python, and drawn by either renderer: the Vega-Lite
# layers below (for researchers) or `runchart_draw` (the SVG the widget shows).

GOAL_INK = "#006b4f"  # the goal's green, dark enough to read as text


@dataclass(frozen=True)
class PointMark:
    """One point as the chart shows it: its category (colour and shape) and hover text."""

    date: dt.date
    value: float
    status: str
    tip: str


@dataclass(frozen=True)
class LineLabel:
    """The name of a horizontal line. The last phase's centre line and the goal are
    named in the right margin (`end` None); an earlier phase's centre line at the
    right end of its line, inside the plot."""

    text: str
    value: float
    colour: str = INK
    end: dt.date | None = None

    @property
    def bold(self) -> bool:
        return self.colour != INK


@dataclass(frozen=True)
class Panel:
    """Everything one chart (the whole group, or one subgroup) shows."""

    title: str
    small: bool
    analysis: SeriesAnalysis
    comparison: RuleComparison | None
    domain: tuple[dt.date, dt.date]
    y_domain: tuple[float, float]
    lines: list[ReferenceLine]
    labels: list[LineLabel]
    marks: list[PointMark]
    subtitle: list[str]

    @property
    def too_few_to_judge(self) -> bool:
        return self.analysis.too_few_to_judge


def build_panel(measure: Measure, series: ChartSeries, strategy: ChartKind, rules: str, view: View,
                cycles: Sequence[PDSACycle], title: str, small: bool = False) -> Panel:
    """Analyse `series` and name what its panel shows."""
    analysis = strategy.analyse(series, measure, rules)
    comparison = compare_rule_sets(
        series.dates, series.values, baseline=measure.baseline_points, phase_starts=measure.phase_starts
    ) if view == "disagreement" else None
    lines = strategy.reference_lines(analysis)
    subtitle = [] if small else [strategy.describe(analysis, measure)]
    if comparison is not None and not small:
        subtitle = [comparison.summary(), subtitle[0].replace(f"{RULE_SETS[analysis.rules]} rules", "IHI and Anhøj rules")]
    if analysis.too_few_to_judge:
        subtitle = [_too_few_words(analysis), *subtitle]
    return Panel(
        title, small, analysis, comparison, _domain(series.dates, cycles), _y_domain(series, lines, measure), lines,
        line_labels(lines, measure, analysis, small), point_marks(series, analysis, comparison, measure, view),
        subtitle,
    )


def _y_domain(series: ChartSeries, lines: list[ReferenceLine], measure: Measure) -> tuple[float, float]:
    """The values shown, with a little room above and below (no rounding, so that
    labels can be placed in pixels exactly)."""
    y_values = [*series.values, *(line.value for line in lines)]
    if measure.target is not None:
        y_values.append(measure.target)
    y_min, y_max = min(y_values), max(y_values)
    margin = (y_max - y_min) * 0.08 or max(abs(y_max) * 0.1, 1)
    return y_min - margin, y_max + margin


def _too_few_words(analysis: SeriesAnalysis) -> str:
    n = analysis.useful_observations
    if n == 0:
        return "One point so far: nothing to judge yet." if len(analysis.values) == 1 else (
            "Every point is on the median: nothing to judge yet.")
    return f"Too few points to judge yet: {n} off the median; a run chart needs at least {FEWEST_TO_JUDGE}."


def line_labels(lines: list[ReferenceLine], measure: Measure, analysis: SeriesAnalysis,
                small: bool) -> list[LineLabel]:
    """The names of the centre lines and the goal (a small panel gives only numbers)."""
    last_first_date = analysis.dates[analysis.phases[-1].first]
    out = []
    for line in lines:
        if line.dashed is False and any(o.first == line.last and o.dashed for o in lines):
            continue  # a frozen baseline is named once, at the end of its extension
        name = line.label.split(",")[0]
        text = f"{'' if small else name + ' '}{format_number(line.value)}"
        out.append(LineLabel(text, line.value, INK, None if line.first >= last_first_date else line.last))
    if measure.target is not None:
        out.append(LineLabel(f"Goal {format_number(measure.target)}", measure.target, GOAL_INK))
    return out


def inside_offset(text: str, right: float, level: float, points: Sequence[tuple[float, float]]) -> float:
    """Where to put a line's name that ends at (`right`, `level`): the baseline just
    above the line, or below it when a point is in the way (px, SVG y down)."""
    left = right - text_width(text, LABEL_SIZE)
    free = [
        dy for dy in (-7, 14)
        if not any(left - 5 <= p_x <= right + 5 and abs(p_y - (level + dy - 4)) < 11 for p_x, p_y in points)
    ]
    return (free or [-7])[0]


def _spread(positions: list[float], gap: float, limit: float) -> list[float]:
    """Move label positions apart by at least `gap`, keeping their order and
    staying within 0..limit where there is room."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [positions[i] for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    overflow = placed[-1] - limit if placed else 0
    if overflow > 0:
        placed = [p - overflow for p in placed]
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    out = [0.0] * len(positions)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def point_marks(series: ChartSeries, analysis: SeriesAnalysis, comparison: RuleComparison | None,
                measure: Measure, view: View) -> list[PointMark]:
    """Each point's category and its plain-language hover text: date, value and
    unit, then every signal it is part of."""
    flagged = analysis.flagged()
    reasons: dict[int, list[str]] = {}
    for _phase, signal in analysis.signals():
        if signal.is_point_signal:
            sentence = signal.describe(analysis.dates, desired_direction=measure.desired_direction)
            for i in range(signal.first, signal.last + 1):
                if i in flagged:
                    reasons.setdefault(i, []).append(sentence)
    astronomical = set(measure.astronomical_ids)
    unit = f" {measure.unit}" if measure.unit else ""
    marks = []
    for i, (day, value, oid) in enumerate(zip(series.dates, series.values, series.observation_ids, strict=True)):
        marked = oid is not None and oid in astronomical
        if view == "disagreement":
            status = _AGREEMENT_NAMES.get(comparison.agreement.get(i), "No signal")
        elif marked:
            status = "Marked astronomical"
        elif i in flagged:
            status = "Part of a signal"
        else:
            status = "Data"
        tip = f"{format_date(day)}: {format_number(value)}{unit}."
        if marked:
            tip += " Marked astronomical by the team: an unusual value, with a known cause to look into."
        if view == "disagreement" and status != "No signal":
            tip += f" Flagged by: {'both rule sets' if status == 'Both rule sets' else status}."
        for sentence in reasons.get(i, []):
            tip += f" {sentence}"
        marks.append(PointMark(day, value, status, tip))
    return marks


# --------------------------------------------------------------------------- the Vega-Lite chart
#
# The chart is built as a Vega-Lite specification in plain dictionaries (fast,
# deterministic) and handed to Altair only when an Altair object is asked for:
# composing Altair objects deep-copies every layer and row at each level, which
# costs seconds for a chart with hundreds of points and small multiples.

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def run_chart_spec(
    project: Project,
    measure_id: str,
    *,
    rules: str = "ihi",
    view: View = "signals",
    subgroups: bool = False,
    kind: str = "run",
    width: int = 640,
    height: int = 260,
) -> dict[str, Any] | None:
    """The chart of one measure as a Vega-Lite specification (None without data).

    `view`: "signals" (the chosen rule set) or "disagreement" (points coloured by
    which rule set flags them). `subgroups`: one small chart per subgroup under
    the main one, each analysed on its own. `kind`: a key of `CHART_KINDS`."""
    measure = _measure(project, measure_id)
    strategy = CHART_KINDS[kind]
    main, groups = measure_series(project, measure_id)
    if main is None:
        return None
    cycles = related_cycles(project, measure)
    datasets: dict[str, list[dict[str, Any]]] = {}
    spec = _panel(datasets, project, measure, main, strategy, rules, view, cycles, width, height, measure.name)
    if subgroups and groups:
        small_w, small_h = max(260, (width - 40) // 2), max(160, height * 2 // 3)
        small = [
            _panel(datasets, project, measure, g, strategy, rules, view, cycles, small_w, small_h, g.label,
                   small=True)
            for g in groups
        ]
        rows = [{"hconcat": small[i : i + 2], "spacing": 24} for i in range(0, len(small), 2)]
        spec = {"vconcat": [spec, *rows], "spacing": 28}
    return {"$schema": VEGA_LITE_SCHEMA, **spec, "datasets": datasets, "config": _CONFIG}


def run_chart(project: Project, measure_id: str, **options: Any):
    """`run_chart_spec` as an Altair chart, for researchers who want to restyle or
    combine it (None without data). Takes the same options."""
    import altair as alt

    spec = run_chart_spec(project, measure_id, **options)
    if spec is None:
        return None
    cls = alt.VConcatChart if "vconcat" in spec else alt.LayerChart
    return cls.from_dict(spec, validate=False)


_CONFIG = {
    "view": {"stroke": None},
    "axis": {"gridColor": GRID, "labelColor": MUTED, "titleColor": INK, "labelFontSize": 11,
             "titleFontSize": 12, "titleFontWeight": "normal"},
    "legend": {"orient": "bottom", "labelFontSize": 11, "titleFontSize": 11, "symbolSize": 90},
    "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 11, "subtitleColor": MUTED,
              "color": INK, "offset": 12},
}


def _measure(project: Project, measure_id: str) -> Measure:
    measure = next((m for m in project.measures if m.id == measure_id), None)
    if measure is None:
        raise ValueError("That measure is not part of this project.")
    return measure


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _field(name: str, kind: str = "nominal", **more: Any) -> dict[str, Any]:
    return {"field": name, "type": kind, **more}


def _layer(data: dict, mark: dict, **encoding: Any) -> dict[str, Any]:
    return {"data": data, "mark": mark, "encoding": encoding}


def _panel(datasets, project, measure, series, strategy, rules, view, cycles, width, height, title, small=False):
    def data(rows: list[dict[str, Any]]) -> dict[str, str]:
        # Rows are stored once, at the top, under a name derived from their content.
        name = "d" + hashlib.blake2s(json.dumps(rows, sort_keys=True).encode(), digest_size=6).hexdigest()
        datasets[name] = rows
        return {"name": name}

    panel = build_panel(measure, series, strategy, rules, view, cycles, title, small)
    domain, y_domain = panel.domain, panel.y_domain
    x = _field("date", "temporal", title=None,
               scale={"type": "utc", "domain": [_iso(domain[0]), _iso(domain[1])], "nice": False},
               axis={"format": "%-d %b", "labelOverlap": True, "tickCount": 8})
    unit = f" ({measure.unit})" if measure.unit else ""
    # A fixed domain (no "nice" rounding) lets labels be placed in pixels exactly.
    y = _field("value", "quantitative", scale={"domain": list(y_domain), "zero": False, "nice": False},
               title=None if small else _fit(f"{measure.name}{unit}", height, 12))

    label_width = MAX_LABEL_WIDTH * 2 // 3 if small else MAX_LABEL_WIDTH
    layers = []
    layers += _phase_layers(data, panel.analysis, x)
    layers += _cycle_layers(data, layout_cycle_labels(project, cycles, domain, width, label_width), x, height)
    if measure.target is not None:
        layers += _goal_layers(data, measure, domain, x, y)
    layers += _reference_layers(data, panel.lines, x, y)
    layers += _line_labels(data, panel, y, width, height)
    layers += _point_layers(data, panel.marks, x, y, view)
    header = {
        "text": title, "subtitle": panel.subtitle, "fontSize": 13 if small else 15,
        "subtitleColor": VERMILLION if panel.too_few_to_judge else MUTED,
    }
    return {"layer": layers, "width": width, "height": height, "title": header}


def _phase_layers(data, analysis: SeriesAnalysis, x):
    rows = [
        {"date": _iso(phase.start_date or analysis.dates[phase.first]), "label": f"Phase {phase.number}"}
        for phase in analysis.phases[1:]
    ]
    if not rows:
        return []
    source = data(rows)
    return [
        _layer(source, {"type": "rule", "color": MUTED, "strokeWidth": 1.5, "aria": False}, x=x),
        _layer(source, {"type": "text", "align": "left", "dx": 4, "dy": 2, "baseline": "top", "fontSize": 10,
                        "color": MUTED, "aria": False},
               x=x, y={"value": 0}, text=_field("label")),
    ]


def _cycle_layers(data, labels: list[CycleLabel], x, height: int):
    if not labels:
        return []
    rows = [
        {"date": _iso(label.date), "text": label.text, "tip": label.tooltip, "align": label.align,
         "top": -8 - label.lane * LANE_HEIGHT, "bottom": height}
        for label in labels
    ]
    top = _field("top", "quantitative", scale=None)
    layers = [_layer(data(rows), {"type": "rule", "color": GREEN, "strokeDash": [2, 3], "strokeWidth": 1.2,
                                  "aria": False},
                     x=x, y=top, y2={"field": "bottom"})]
    for align, dx in (("left", 3), ("right", -3)):
        chosen = [r for r in rows if r["align"] == align]
        if chosen:
            layers.append(_layer(
                data(chosen),
                {"type": "text", "align": align, "dx": dx, "baseline": "bottom", "fontSize": LABEL_SIZE,
                 "color": "#006b4f"},
                x=x, y=top, text=_field("text"), description=_field("tip"),
            ))
    return layers


def _goal_layers(data, measure: Measure, domain, x, y):
    rows = [{"date": _iso(domain[0]), "end": _iso(domain[1]), "value": measure.target}]
    return [_layer(data(rows), {"type": "rule", "color": GREEN, "strokeWidth": 2, "strokeDash": [8, 4],
                                "aria": False},
                   x=x, x2={"field": "end"}, y=y)]


def _reference_layers(data, lines: list[ReferenceLine], x, y):
    if not lines:
        return []
    rows = [
        {"date": _iso(line.first), "end": _iso(line.last), "value": line.value,
         "dash": "dashed" if line.dashed else "solid"}
        for line in lines
    ]
    dash = _field("dash", scale={"domain": ["solid", "dashed"], "range": [[1, 0], [6, 4]]}, legend=None)
    return [_layer(data(rows), {"type": "rule", "color": INK, "strokeWidth": 1.5, "aria": False},
                   x=x, x2={"field": "end"}, y=y, strokeDash=dash)]


def _line_labels(data, panel: Panel, y, width, height):
    """Name the lines (`line_labels`): in the right margin, pushed apart so they
    never overlap, or at the right end of an earlier phase's line, above or below
    it, wherever no point is."""
    (first_day, last_day), (low, high) = panel.domain, panel.y_domain
    span = max((last_day - first_day).days, 1)

    def py(value: float) -> float:
        return height * (high - value) / (high - low)

    def px(day: dt.date) -> float:
        return (day - first_day).days / span * width

    points = [(px(d), py(v)) for d, v in zip(panel.analysis.dates, panel.analysis.values, strict=True)]
    margin = [label for label in panel.labels if label.end is None]
    inside = [
        {"value": label.value, "text": label.text, "date": _iso(label.end),
         "dy": inside_offset(label.text, px(label.end), py(label.value), points)}
        for label in panel.labels if label.end is not None
    ]
    layers = []
    for dy in sorted({r["dy"] for r in inside}):
        layers.append(_layer(
            data([r for r in inside if r["dy"] == dy]),
            {"type": "text", "align": "right", "dy": dy, "fontSize": 11, "color": INK, "aria": False},
            x=_field("date", "temporal"), y=y, text=_field("text"),
        ))
    rows = [
        {"value": label.value, "text": label.text, "colour": label.colour, "py": top}
        for label, top in zip(margin, _spread([py(label.value) for label in margin], 13, height), strict=True)
    ]
    for colour in sorted({r["colour"] for r in rows}):
        layers.append(_layer(
            data([r for r in rows if r["colour"] == colour]),
            {"type": "text", "align": "left", "baseline": "middle", "dx": 6, "fontSize": 11, "color": colour,
             "fontWeight": "bold" if colour != INK else "normal", "aria": False},
            x={"value": width}, y=_field("py", "quantitative", scale=None), text=_field("text"),
        ))
    return layers


def _point_layers(data, marks: list[PointMark], x, y, view):
    rows = [{"date": _iso(m.date), "value": m.value, "status": m.status, "tip": m.tip} for m in marks]
    styles = AGREEMENT_STYLE if view == "disagreement" else STATUS_STYLE
    present = [name for name in styles if any(r["status"] == name for r in rows)]
    line = {"mark": {"type": "line", "color": "#7b8794", "strokeWidth": 1.5, "aria": False},
            "encoding": {"x": x, "y": y}}
    points = {
        "mark": {"type": "point", "filled": True, "size": 85, "opacity": 1, "stroke": "white", "strokeWidth": 0.8},
        "encoding": {
            "x": x, "y": y,
            "color": _field("status", title=None, scale={"domain": present, "range": [styles[n][0] for n in present]}),
            "shape": _field("status", title=None, scale={"domain": present, "range": [styles[n][1] for n in present]}),
            "description": _field("tip"),
        },
    }
    return [{"data": data(rows), "layer": [line, points]}]


# --------------------------------------------------------------------------- export


_TITLED = re.compile(r'<(path|text)(\s[^>]*?aria-label="([^"]*)"[^>]*?)(/?)>')


def _tooltips_as_titles(svg: str) -> str:
    """Give every mark that has a description a <title> child, which browsers show
    on hover. The label was attribute-escaped by Vega, so it is already safe text."""

    def add_title(m: re.Match) -> str:
        tag, attrs, label, closing = m.group(1), m.group(2), m.group(3), m.group(4)
        title = f"<title>{label}</title>"
        return f"<{tag}{attrs}>{title}</{tag}>" if closing else f"<{tag}{attrs}>{title}"

    return _TITLED.sub(add_title, svg)


def chart_svg(chart: Any, *, title: str, desc: str) -> str:
    """A chart (a Vega-Lite dict or an Altair chart) as a standalone, accessible
    SVG, offline via vl-convert (for researchers' own charts; the run chart has `run_chart_svg`)."""
    import vl_convert

    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])  # inline data only: no URL is fetched
    svg = _tooltips_as_titles(svg)
    head_end = svg.index(">") + 1
    opening = svg[:head_end].replace("<svg ", '<svg role="img" aria-label="' + esc(title) + '" ', 1)
    return f"{opening}<title>{esc(title)}</title><desc>{esc(desc)}</desc>{svg[head_end:]}"


def chart_png(svg: str, scale: float = 2.0) -> bytes:
    """A PNG of a chart SVG (offline)."""
    from .svg import to_png

    return to_png(svg, scale=scale)


def run_chart_svg(
    project: Project,
    measure_id: str,
    *,
    rules: str = "ihi",
    view: View = "signals",
    subgroups: bool = False,
    kind: str = "run",
    width: int = 640,
    height: int = 260,
) -> str:
    """The chart of one measure as a standalone, accessible SVG drawn in Python
    (`runchart_draw`); a short note when there is no data yet. The options are
    those of `run_chart_spec`; `width` is the whole picture's, `height` the main plot's."""
    # Imported here: the drawing builds on this module's panels and layout helpers.
    from .runchart_draw import draw_run_chart

    measure = _measure(project, measure_id)
    main, groups = measure_series(project, measure_id)
    if main is None:
        return empty_chart_svg(measure.name)
    body, total_height = draw_run_chart(project, measure, main, groups, rules=rules, view=view,
                                        subgroups=subgroups, kind=kind, width=width, height=height)
    return document(width, total_height, body, title=f"Run chart: {measure.name}",
                    desc=chart_description(project, measure_id, rules=rules, kind=kind))


def chart_description(
    project: Project, measure_id: str, *, rules: str = "ihi", kind: str = "run", **_: Any
) -> str:
    """A text equivalent of the chart for screen readers: centre line(s) and signals."""
    measure = _measure(project, measure_id)
    main, _groups = measure_series(project, measure_id)
    if main is None:
        return f"No data yet for {measure.name}."
    strategy = CHART_KINDS[kind]
    analysis = strategy.analyse(main, measure, rules)
    centres = ", ".join(
        f"{line.label.lower()} {format_number(line.value)}"
        for line in strategy.reference_lines(analysis)
        if not line.dashed
    )
    sentences = analysis.explain(desired_direction=measure.desired_direction) or [analysis.summary()]
    span = (f"1 point, on {format_date(main.dates[0])}" if len(main.values) == 1 else
            f"{len(main.values)} points from {format_date(main.dates[0])} to {format_date(main.dates[-1])}")
    return f"{span}; {centres}. " + " ".join(sentences)


def empty_chart_svg(measure_name: str, width: int = 640, height: int = 120) -> str:
    """A placeholder that says what to do next."""
    lines = wrap(f"No data yet for {measure_name}. Add the first observation to start the run chart.", width - 40, 14)
    body = "".join(
        f'<text x="20" y="{40 + 20 * i}" font-size="14" fill="{MUTED}">{esc(line)}</text>'
        for i, line in enumerate(lines)
    )
    return document(width, height, body, title=f"Run chart: {measure_name}", desc="No data yet.")
