"""The run chart drawn as SVG in Python: what the widget shows, what "Download
SVG" saves and what the PNG is made from.

It draws the panels `runchart.build_panel` describes (the same points, lines,
labels and hover texts as the Vega-Lite chart for researchers) in a few
milliseconds, with no chart engine: an edit in the Study app shows at once.

Layout of one panel, top to bottom: the title and its subtitle lines; the lanes
of PDSA labels; the plot, with the y axis on the left and the names of the
centre line and goal in a right margin wide enough for them; the date axis. The
legend of point colours and shapes closes the chart. Everything stays inside
`width`, which the widget scales down on a narrow screen.

Every user string (measure name and unit, change ideas, subgroups) goes through
`svg.esc`. Pure: no Jupyter imports, no pandas or Altair."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Measure, PDSACycle, Project
from .runchart import (
    AGREEMENT_STYLE,
    CHART_KINDS,
    GOAL_INK,
    GREEN,
    LABEL_SIZE,
    LANE_HEIGHT,
    MAX_LABEL_WIDTH,
    STATUS_STYLE,
    VERMILLION,
    ChartSeries,
    CycleLabel,
    Panel,
    View,
    _fit,
    _spread,
    build_panel,
    inside_offset,
    layout_cycle_labels,
    related_cycles,
)
from .svg import INK, MUTED, esc, text_width, wrap

GRID = "#e4e7eb"
DATA_LINE = "#7b8794"
TICK_SIZE = 11
TITLE_SIZE, SMALL_TITLE_SIZE = 15, 13
SUBTITLE_SIZE = 11
PANEL_GAP = 24  # between small panels side by side
ROW_GAP = 18  # between rows of panels
SMALL_PANEL_MIN = 260  # narrower than this, subgroup panels go one per row
PAD = 8  # round the whole chart, so that nothing touches the edge
POINT_R = 5.2  # a circle of ~85 px², like the Vega chart's points, when there is room
# White round text, so that a line crossing a label does not hide it.
HALO = ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def draw_run_chart(project: Project, measure: Measure, main: ChartSeries, groups: Sequence[ChartSeries], *,
                   rules: str, view: View, subgroups: bool, kind: str, width: float,
                   height: float) -> tuple[str, float]:
    """The body of the chart and its total height: the main panel, then the
    subgroup panels two per row, then the legend. `height` is the main plot's."""
    strategy = CHART_KINDS[kind]
    cycles = related_cycles(project, measure)
    panel = build_panel(measure, main, strategy, rules, view, cycles, measure.name)
    inner = width - 2 * PAD
    parts: list[str] = []
    markup, bottom = _draw_panel(project, measure, panel, cycles, PAD, PAD, inner, height)
    parts.append(markup)
    panels = [panel]
    if subgroups and groups:
        small = [build_panel(measure, g, strategy, rules, view, cycles, g.label, small=True) for g in groups]
        panels += small
        per_row = 2 if (inner - PANEL_GAP) / 2 >= SMALL_PANEL_MIN else 1
        small_w = (inner - PANEL_GAP * (per_row - 1)) / per_row
        small_h = max(140, height * 2 // 3)
        for i in range(0, len(small), per_row):
            top, row_bottom = bottom + ROW_GAP, bottom
            for k, each in enumerate(small[i : i + per_row]):
                markup, panel_bottom = _draw_panel(project, measure, each, cycles, PAD + k * (small_w + PANEL_GAP),
                                                   top, small_w, small_h)
                parts.append(markup)
                row_bottom = max(row_bottom, panel_bottom)
            bottom = row_bottom
    styles = AGREEMENT_STYLE if view == "disagreement" else STATUS_STYLE
    shown = {m.status for p in panels for m in p.marks}
    legend, legend_h = _legend([(name, *styles[name]) for name in styles if name in shown], bottom + 12, width)
    parts.append(legend)
    return "".join(parts), bottom + 12 + legend_h + PAD


# --------------------------------------------------------------------------- one panel


@dataclass(frozen=True)
class Frame:
    """Where a panel's plot sits, and its scales (SVG px)."""

    left: float
    top: float
    right: float
    bottom: float
    domain: tuple[dt.date, dt.date]
    y_domain: tuple[float, float]

    @property
    def width(self) -> float:
        return self.right - self.left

    def x(self, day: dt.date) -> float:
        first, last = self.domain
        return self.left + (day - first).days / max((last - first).days, 1) * self.width

    def y(self, value: float) -> float:
        low, high = self.y_domain
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)


def _draw_panel(project: Project, measure: Measure, panel: Panel, cycles: Sequence[PDSACycle],
                left: float, top: float, width: float, plot_height: float) -> tuple[str, float]:
    """One panel at (`left`, `top`), `width` wide; returns its markup and its bottom."""
    header, header_h = _header(panel, left, top, width)
    ticks = nice_ticks(*panel.y_domain, most=max(3, int(plot_height // 42)))
    tick_labels = format_ticks(ticks)
    axis_w = max(text_width(t, TICK_SIZE) for t in tick_labels) + 8 if ticks else 8
    y_title = "" if panel.small else _y_title(measure, plot_height)
    plot_left = left + axis_w + (20 if y_title else 2)
    margin = [label for label in panel.labels if label.end is None]
    right_w = max([text_width(m.text, LABEL_SIZE) * (1.1 if m.bold else 1) + 10 for m in margin], default=8)
    plot_w = max(width - (plot_left - left) - right_w, 40.0)  # a chart narrower than its labels still draws
    label_width = min(MAX_LABEL_WIDTH * (2 / 3 if panel.small else 1), plot_w * 0.45)
    labels = layout_cycle_labels(project, cycles, panel.domain, plot_w, label_width, overhang=right_w - 4)
    lanes = 1 + max((label.lane for label in labels), default=-1)
    plot_top = top + header_h + (lanes * LANE_HEIGHT + 10 if lanes else 8)
    frame = Frame(plot_left, plot_top, plot_left + plot_w, plot_top + plot_height, panel.domain, panel.y_domain)

    parts = ['<g class="panel">', header]
    parts += _y_axis(frame, ticks, tick_labels, y_title, left)
    parts += _phase_rules(frame, panel)
    parts += _cycle_marks(frame, labels)
    if measure.target is not None:
        parts.append(_hline(frame.left, frame.right, frame.y(measure.target), GREEN, 2, "8 4", "goal"))
    for line in panel.lines:
        x1, x2 = frame.x(line.first), frame.x(line.last)
        if line.first == line.last:  # one point: the median is its value, still worth a visible line
            x1, x2 = (x1 + x2) / 2 - 8, (x1 + x2) / 2 + 8
        parts.append(_hline(x1, x2, frame.y(line.value), INK, 1.5, "6 4" if line.dashed else "", "centre"))
    parts += _points(frame, panel)
    parts += _line_names(frame, panel)  # over the data line; placed where no point is
    x_axis, axis_bottom = _x_axis(frame, left, left + width)
    parts += x_axis
    parts.append("</g>")
    return "".join(parts), axis_bottom


def _header(panel: Panel, left: float, top: float, width: float) -> tuple[str, float]:
    """The panel's title (wrapped to two lines at most) and its subtitle lines."""
    size = SMALL_TITLE_SIZE if panel.small else TITLE_SIZE
    parts, y = [], top
    for line in wrap(panel.title, width, size, max_lines=2):
        y += size * 1.25
        parts.append(f'<text class="title" x="{left:.1f}" y="{y - size * 0.25:.1f}" font-size="{size}" '
                     f'font-weight="bold" fill="{INK}">{esc(line)}</text>')
    colour = VERMILLION if panel.too_few_to_judge else MUTED
    for sentence in panel.subtitle:
        for line in wrap(sentence, width, SUBTITLE_SIZE):
            y += SUBTITLE_SIZE * 1.35
            parts.append(f'<text class="subtitle" x="{left:.1f}" y="{y - 3:.1f}" font-size="{SUBTITLE_SIZE}" '
                         f'fill="{colour}">{esc(line)}</text>')
    return "".join(parts), y - top + 4


def _y_title(measure: Measure, plot_height: float) -> str:
    unit = f" ({measure.unit})" if measure.unit else ""
    return _fit(f"{measure.name}{unit}", plot_height, 12)


def _hline(x1: float, x2: float, y: float, colour: str, stroke: float, dash: str = "", cls: str = "") -> str:
    return _line(x1, y, x2, y, colour, stroke, dash, cls)


def _vline(x: float, y1: float, y2: float, colour: str, stroke: float, dash: str = "", cls: str = "") -> str:
    return _line(x, y1, x, y2, colour, stroke, dash, cls)


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, stroke: float, dash: str, cls: str) -> str:
    extra = (f' class="{cls}"' if cls else "") + (f' stroke-dasharray="{dash}"' if dash else "")
    return (f'<line{extra} x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{stroke}"/>')


# --------------------------------------------------------------------------- axes


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round values (steps of 1, 2 or 5 times a power of ten) between `low` and
    `high`, at most about `most` of them. No 2.5: counts (staff members, students)
    keep whole-number ticks."""
    if not high > low:
        return [low]
    raw = (high - low) / max(most, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def format_ticks(ticks: Sequence[float]) -> list[str]:
    """Tick labels with as many decimals as the step needs, all alike (0.0, 0.5, 1.0)."""
    if len(ticks) < 2:
        return [f"{t:,g}" for t in ticks]
    step = ticks[1] - ticks[0]
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    return [f"{0.0 if abs(t) < step * 1e-9 else t:,.{decimals}f}" for t in ticks]


def _y_axis(frame: Frame, ticks, tick_labels, y_title: str, panel_left: float) -> list[str]:
    parts = []
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = frame.y(tick)
        parts.append(_hline(frame.left, frame.right, y, GRID, 1))
        parts.append(f'<text class="y-tick" x="{frame.left - 6:.1f}" y="{y + 4:.1f}" font-size="{TICK_SIZE}" '
                     f'fill="{MUTED}" text-anchor="end">{esc(label)}</text>')
    parts.append(_vline(frame.left, frame.top, frame.bottom, MUTED, 1))
    if y_title:
        middle = (frame.top + frame.bottom) / 2
        parts.append(f'<text class="y-title" transform="translate({panel_left + 11:.1f} {middle:.1f}) rotate(-90)" '
                     f'font-size="12" fill="{INK}" text-anchor="middle">{esc(y_title)}</text>')
    return parts


@dataclass(frozen=True)
class DateTick:
    date: dt.date
    label: str


def date_ticks(frame: Frame, panel_left: float, panel_right: float) -> list[tuple[float, DateTick]]:
    """The finest of days, weeks, months, quarters or years whose labels fit side
    by side without touching; each at its x, moved in from the panel's edges."""
    first, last = frame.domain
    placed: list[tuple[float, DateTick]] = []
    for unit, step in _TICK_STEPS:
        # A label needs some 30 px: far too many ticks are not even listed.
        if (last - first).days / (_UNIT_DAYS[unit] * step) > frame.width / 30:
            continue
        ticks = _date_ticks(first, last, unit, step)
        placed = []
        for tick in ticks:
            half = text_width(tick.label, TICK_SIZE) / 2
            x = min(max(frame.x(tick.date), panel_left + half), panel_right - half)
            placed.append((x, tick))
        if all(_gap(a, b) >= 10 for a, b in zip(placed, placed[1:], strict=False)):
            return placed
    return placed[:1]  # the coarsest step, and even that too tight: one tick


def _gap(a: tuple[float, DateTick], b: tuple[float, DateTick]) -> float:
    return (b[0] - text_width(b[1].label, TICK_SIZE) / 2) - (a[0] + text_width(a[1].label, TICK_SIZE) / 2)


_UNIT_DAYS = {"day": 1, "week": 7, "month": 28, "year": 365}  # at least this long
_TICK_STEPS = (("day", 1), ("day", 2), ("week", 1), ("week", 2), ("month", 1), ("month", 2), ("month", 3),
               ("month", 6), ("year", 1), ("year", 2), ("year", 5), ("year", 10), ("year", 50))


def _date_ticks(first: dt.date, last: dt.date, unit: str, step: int) -> list[DateTick]:
    """Ticks on whole days, Mondays, first days of months, or new years. The year
    is written on the first tick and on the first of each new year when the chart
    spans more than one."""
    days: list[dt.date] = []
    if unit in ("day", "week"):
        day = first if unit == "day" else first + dt.timedelta(days=-first.weekday() % 7)
        stride = dt.timedelta(days=step * (7 if unit == "week" else 1))
        while day <= last:
            days.append(day)
            day += stride
    elif unit == "month":
        year, month = first.year, first.month
        while (day := dt.date(year, month, 1)) <= last:
            if day >= first and (month - 1) % step == 0:
                days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        for year in range(first.year, last.year + 1):
            if year % step == 0 and first <= dt.date(year, 1, 1) <= last:
                days.append(dt.date(year, 1, 1))
    many_years = first.year != last.year
    ticks, seen_year = [], None
    for day in days:
        if unit == "year":
            label = str(day.year)
        else:
            label = _MONTHS[day.month - 1] if unit == "month" else f"{day.day} {_MONTHS[day.month - 1]}"
            if many_years and day.year != seen_year:
                label += f" {day.year}"
        seen_year = day.year
        ticks.append(DateTick(day, label))
    return ticks


def _x_axis(frame: Frame, panel_left: float, panel_right: float) -> tuple[list[str], float]:
    parts = [_hline(frame.left, frame.right, frame.bottom, MUTED, 1)]
    for x, tick in date_ticks(frame, panel_left, panel_right):
        tick_x = frame.x(tick.date)
        parts.append(_vline(tick_x, frame.bottom, frame.bottom + 4, MUTED, 1))
        parts.append(f'<text class="x-tick" x="{x:.1f}" y="{frame.bottom + 17:.1f}" font-size="{TICK_SIZE}" '
                     f'fill="{MUTED}" text-anchor="middle">{esc(tick.label)}</text>')
    return parts, frame.bottom + 22


# --------------------------------------------------------------------------- what is on the plot


def _phase_rules(frame: Frame, panel: Panel) -> list[str]:
    """A rule where each later phase starts, named at the top of the plot."""
    parts = []
    analysis = panel.analysis
    for phase in analysis.phases[1:]:
        x = frame.x(phase.start_date or analysis.dates[phase.first])
        parts.append(_vline(x, frame.top, frame.bottom, MUTED, 1.5, cls="phase"))
        parts.append(f'<text class="phase" x="{x + 4:.1f}" y="{frame.top + 11:.1f}" font-size="10" fill="{MUTED}">'
                     f'{esc(f"Phase {phase.number}")}</text>')
    return parts


def _cycle_marks(frame: Frame, labels: list[CycleLabel]) -> list[str]:
    """Each PDSA cycle: a thin rule from its label's lane down through the plot,
    and the label (with the cycle's question as its hover title)."""
    parts = []
    for label in labels:
        x = frame.left + label.x
        top = frame.top - 8 - label.lane * LANE_HEIGHT
        parts.append(_vline(x, top, frame.bottom, GREEN, 1.2, "2 3", "pdsa"))
        text_x, anchor = (x + 3, "start") if label.align == "left" else (x - 3, "end")
        # A halo: the rule of a label in a higher lane may cross this one.
        parts.append(f'<text class="pdsa" x="{text_x:.1f}" y="{top - 3:.1f}" font-size="{LABEL_SIZE}" '
                     f'fill="{GOAL_INK}" text-anchor="{anchor}"{HALO}><title>{esc(label.tooltip)}</title>{esc(label.text)}</text>')
    return parts


def _line_names(frame: Frame, panel: Panel) -> list[str]:
    """The centre lines' and the goal's names: in the right margin, pushed apart so
    they never overlap, or at the right end of an earlier phase's line."""
    points = [(frame.x(d), frame.y(v)) for d, v in zip(panel.analysis.dates, panel.analysis.values, strict=True)]
    parts = []
    for label in panel.labels:
        if label.end is not None:
            right, level = frame.x(label.end), frame.y(label.value)
            dy = inside_offset(label.text, right - frame.left, level - frame.top,
                               [(x - frame.left, y - frame.top) for x, y in points])
            parts.append(f'<text class="line-name" x="{right:.1f}" y="{level + dy:.1f}" font-size="{LABEL_SIZE}" '
                         f'fill="{INK}" text-anchor="end"{HALO}>{esc(label.text)}</text>')
    margin = [label for label in panel.labels if label.end is None]
    plot_h = frame.bottom - frame.top
    spread = _spread([frame.y(m.value) - frame.top for m in margin], 13, plot_h)
    for label, middle in zip(margin, spread, strict=True):
        weight = ' font-weight="bold"' if label.bold else ""
        parts.append(f'<text class="line-name" x="{frame.right + 6:.1f}" y="{frame.top + middle + 4:.1f}" '
                     f'font-size="{LABEL_SIZE}" fill="{label.colour}"{weight}>{esc(label.text)}</text>')
    return parts


def _points(frame: Frame, panel: Panel) -> list[str]:
    """The data in time order joined by a line, then a marker per point, coloured
    and shaped by its category, with its plain-language hover title."""
    styles = {**STATUS_STYLE, **AGREEMENT_STYLE}
    xy = [(frame.x(m.date), frame.y(m.value)) for m in panel.marks]
    scale = _marker_scale(frame, len(xy))
    parts = []
    if len(xy) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(f'<polyline class="data" points="{path}" fill="none" stroke="{DATA_LINE}" '
                     f'stroke-width="1.5" stroke-linejoin="round"/>')
    parts.append('<g class="points" stroke="#ffffff" stroke-width="0.8">')
    for (x, y), mark in zip(xy, panel.marks, strict=True):
        colour, shape = styles[mark.status]
        parts.append(_symbol(shape, x, y, colour, f"<title>{esc(mark.tip)}</title>", scale))
    parts.append("</g>")
    return parts


def _marker_scale(frame: Frame, n: int) -> float:
    """Full-size markers while points are a marker apart; smaller (down to half)
    as they crowd, so that a long series stays a line, not a smear."""
    if n < 2:
        return 1.0
    spacing = frame.width / n
    return min(1.0, max(0.5, spacing / (2 * POINT_R)))


def _symbol(shape: str, x: float, y: float, colour: str, inner: str = "", scale: float = 1.0) -> str:
    """A point marker: the shape is a second cue beside the colour. Each shape has
    about the area of the circle."""
    data_shape = f' data-shape="{shape}"'
    if shape == "circle":
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{POINT_R * scale:.1f}" fill="{colour}"{data_shape}>'
                f'{inner}</circle>')
    outline = " ".join(f"{dx * scale:.1f},{dy * scale:.1f}" for dx, dy in _SHAPES[shape])
    return (f'<path transform="translate({x:.1f} {y:.1f})" d="M{outline}Z" fill="{colour}"{data_shape}>'
            f'{inner}</path>')


# Corners of each shape around its centre (px at full size, SVG y down).
_SHAPES: dict[str, tuple[tuple[float, float], ...]] = {
    "diamond": ((0, -6.2), (6.2, 0), (0, 6.2), (-6.2, 0)),
    "square": ((-4.6, -4.6), (4.6, -4.6), (4.6, 4.6), (-4.6, 4.6)),
    "triangle-up": ((0, -6.6), (6.4, 4.4), (-6.4, 4.4)),
    "triangle-down": ((0, 6.6), (6.4, -4.4), (-6.4, -4.4)),
}


# --------------------------------------------------------------------------- the legend


def _legend(entries: list[tuple[str, str, str]], top: float, width: float) -> tuple[str, float]:
    """What each point colour and shape means, on as many rows as the width needs."""
    start = PAD + POINT_R
    parts, x, y = [], start, top + 8
    for name, colour, shape in entries:
        w = 18 + text_width(name, TICK_SIZE) + 18
        if x > start and x + w - 18 > width - PAD:
            x, y = start, y + 18
        parts.append(_symbol(shape, x, y, colour))
        parts.append(f'<text x="{x + 11:.1f}" y="{y + 4:.1f}" font-size="{TICK_SIZE}" fill="{INK}">'
                     f'{esc(name)}</text>')
        x += w
    return f'<g class="legend">{"".join(parts)}</g>', (y - top + 10) if entries else 0
