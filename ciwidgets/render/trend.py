"""Small time-series charts drawn as plain SVG: the team pulse over time, and the
light run chart of the printable storyboard.

Cheap by design: no pandas, no Altair, no browser renderer; a chart is a few
kilobytes of SVG that prints crisply. Every label goes through the shared toolkit
(`svg.esc`), so a team's words are text, never markup.

Pure: no Jupyter imports, no I/O."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean

from ciwidgets.model import Pulse

from .svg import INK, MUTED, PALETTE, document, esc, text_width

FONT_SIZE = 12.0
GRID = "#e4e7eb"


@dataclass(frozen=True)
class Line:
    """One series: (date, value) points in any order; drawn joined, in time order."""

    name: str
    points: Sequence[tuple[dt.date, float]]
    colour: str = PALETTE[0]
    dashed: bool = False
    marker: str = "circle"  # "circle" or "square": a second cue besides colour


@dataclass(frozen=True)
class Rule:
    """A horizontal reference line (median, goal), optionally only between two dates."""

    label: str
    value: float
    colour: str = MUTED
    dash: str = "6 4"
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Marker:
    """A vertical line at a date with a short label (a PDSA cycle starting)."""

    date: dt.date
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    desc: str
    lines: Sequence[Line]
    y_min: float
    y_max: float
    y_ticks: Sequence[float] = ()
    y_label: str = ""
    rules: Sequence[Rule] = ()
    markers: Sequence[Marker] = ()
    highlighted: Sequence[tuple[dt.date, float]] = field(default=())  # points in a signal
    width: float = 640.0
    height: float = 260.0


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"


def _date_label(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def trend_svg(chart: Chart) -> str:
    """Draw `chart`: a legend on top, the plot, dates along the bottom."""
    points = [p for line in chart.lines for p in line.points]
    ticks = list(chart.y_ticks) or _nice_ticks(chart.y_min, chart.y_max)
    y_lo, y_hi = min(ticks[0], chart.y_min), max(ticks[-1], chart.y_max)
    label_w = max(text_width(_fmt(t), FONT_SIZE) for t in ticks) + 10
    left = label_w + (18 if chart.y_label else 4)
    top, right, bottom = 34.0, 16.0, 30.0
    plot_w, plot_h = chart.width - left - right, chart.height - top - bottom
    body: list[str] = []
    legend_x = left
    for line in chart.lines:
        body.append(_symbol(line, legend_x + 8, 14, legend=True))
        body.append(f'<text x="{legend_x + 20:.1f}" y="18" font-size="{FONT_SIZE:g}" fill="{INK}">{esc(line.name)}</text>')
        legend_x += 44 + text_width(line.name, FONT_SIZE)
    for rule in (r for r in chart.rules if r.label):
        body.append(f'<line x1="{legend_x:.1f}" y1="14" x2="{legend_x + 18:.1f}" y2="14" stroke="{rule.colour}" '
                    f'stroke-width="2" stroke-dasharray="{rule.dash}"/>')
        body.append(f'<text x="{legend_x + 24:.1f}" y="18" font-size="{FONT_SIZE:g}" fill="{INK}">{esc(rule.label)}</text>')
        legend_x += 44 + text_width(rule.label, FONT_SIZE)

    def y_of(value: float) -> float:
        return top + plot_h - (value - y_lo) / (y_hi - y_lo) * plot_h

    for tick in ticks:
        y = y_of(tick)
        body.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" font-size="{FONT_SIZE - 1:g}" fill="{MUTED}" '
                    f'text-anchor="end">{esc(_fmt(tick))}</text>')
    if chart.y_label:
        cy = top + plot_h / 2
        body.append(f'<text transform="translate(11 {cy:.1f}) rotate(-90)" font-size="{FONT_SIZE - 1:g}" '
                    f'fill="{MUTED}" text-anchor="middle">{esc(chart.y_label)}</text>')
    if not points:
        body.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" font-size="{FONT_SIZE + 1:g}" '
                    f'fill="{MUTED}" text-anchor="middle">No data yet</text>')
        return document(chart.width, chart.height, "".join(body), title=chart.title, desc=chart.desc)

    first = min(d for d, _ in points)
    last = max(d for d, _ in points)
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + 8 + (day - first).days / span * (plot_w - 16)

    for marker in chart.markers:
        if first <= marker.date <= last:
            x = x_of(marker.date)
            body.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + plot_h:.1f}" '
                        f'stroke="{PALETTE[3]}" stroke-width="1.5" stroke-dasharray="2 3"/>')
            body.append(f'<text x="{x + 3:.1f}" y="{top + 11:.1f}" font-size="{FONT_SIZE - 1:g}" '
                        f'fill="{INK}">{esc(marker.label)}</text>')
    for rule in chart.rules:
        x1 = x_of(max(rule.start, first)) if rule.start else left
        x2 = x_of(min(rule.end, last)) if rule.end else left + plot_w
        y = y_of(rule.value)
        body.append(f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="{rule.colour}" '
                    f'stroke-width="2" stroke-dasharray="{rule.dash}"/>')
    highlighted = set(chart.highlighted)
    for line in chart.lines:
        ordered = sorted(line.points)
        if len(ordered) > 1:
            path = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in ordered)
            dash = ' stroke-dasharray="5 3"' if line.dashed else ""
            body.append(f'<polyline points="{path}" fill="none" stroke="{line.colour}" stroke-width="2"{dash}/>')
        for d, v in ordered:
            body.append(_symbol(line, x_of(d), y_of(v), filled=(d, v) in highlighted))
    body.append(f'<line x1="{left:.1f}" y1="{top + plot_h:.1f}" x2="{left + plot_w:.1f}" y2="{top + plot_h:.1f}" '
                f'stroke="{MUTED}"/>')
    # Over more than a year, a day and month would read as one year: the month and year.
    tick_label = _date_label if (last - first).days <= 365 else (lambda day: f"{day:%b} {day.year}")
    for day in _date_ticks(first, last):
        body.append(f'<text x="{x_of(day):.1f}" y="{top + plot_h + 18:.1f}" font-size="{FONT_SIZE - 1:g}" '
                    f'fill="{MUTED}" text-anchor="middle">{esc(tick_label(day))}</text>')
    return document(chart.width, chart.height, "".join(body), title=chart.title, desc=chart.desc)


def _date_ticks(first: dt.date, last: dt.date, most: int = 6) -> list[dt.date]:
    if first == last:
        return [first]
    span = (last - first).days
    step = max(1, math.ceil(span / (most - 1)))
    days = [first + dt.timedelta(days=i) for i in range(0, span + 1, step)]
    if (last - days[-1]).days > step / 2:
        days.append(last)
    else:
        days[-1] = last
    return days


def _symbol(line: Line, x: float, y: float, *, legend: bool = False, filled: bool = False) -> str:
    fill = line.colour if (filled or legend or line.marker == "circle") else "#ffffff"
    if line.marker == "square":
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{fill}" '
                f'stroke="{line.colour}" stroke-width="1.5"/>')
    r = 5.0 if filled else 3.5
    ring = f' stroke="{INK}" stroke-width="1.5"' if filled else ""
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}"{ring}/>'


# ----------------------------------------------------------------------------- the team pulse


@dataclass(frozen=True)
class PulseDay:
    """The team's pulse at one meeting: the mean of the members' ratings."""

    date: dt.date
    vitality: float
    learning: float
    responses: int


def pulse_by_day(pulses: Sequence[Pulse]) -> list[PulseDay]:
    """One row per meeting date, in time order."""
    days: dict[dt.date, list[Pulse]] = defaultdict(list)
    for pulse in pulses:
        days[pulse.date].append(pulse)
    return [PulseDay(day, round(mean(p.vitality for p in group), 2), round(mean(p.learning for p in group), 2),
                     len(group))
            for day, group in sorted(days.items())]


def _pulse_desc(days: Sequence[PulseDay]) -> str:
    if not days:
        return "No pulse ratings yet."
    first, last = days[0], days[-1]
    text = (f"Team averages on a 1 to 5 scale over {len(days)} meeting"
            f"{'s' if len(days) != 1 else ''}. Latest, {_date_label(last.date)} {last.date.year}: "
            f"vitality {last.vitality:g}, learning {last.learning:g} "
            f"({last.responses} rating{'s' if last.responses != 1 else ''}).")
    if len(days) > 1:
        text += f" First, {_date_label(first.date)}: vitality {first.vitality:g}, learning {first.learning:g}."
    return text


def pulse_svg(pulses: Sequence[Pulse], *, width: float = 640.0, height: float = 240.0) -> str:
    """The team's vitality and learning over time (averages per meeting, 1-5)."""
    days = pulse_by_day(pulses)
    chart = Chart(
        title="Team pulse: vitality and learning over time",
        desc=_pulse_desc(days),
        lines=[Line("Vitality (energy)", [(d.date, d.vitality) for d in days], PALETTE[1], marker="square"),
               Line("Learning", [(d.date, d.learning) for d in days], PALETTE[0])],
        y_min=1, y_max=5, y_ticks=[1, 2, 3, 4, 5], y_label="team average (1–5)",
        width=width, height=height,
    )
    return trend_svg(chart)
