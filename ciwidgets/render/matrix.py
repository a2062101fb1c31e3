"""The benefit-effort matrix as SVG: effort left to right (1-5), benefit bottom to top
(1-5), four named quadrants, each change idea a numbered, labelled point.

Ideas that share a cell are stacked inside it (the cell grows), so points and labels
never overlap however many ideas a team rates the same. A numbered key beside the chart
gives every idea's full text, quadrant and status. Abandoned ideas are left out (they
are no longer candidates); ideas not yet rated are listed below the chart.

`matrix_layout()` returns the geometry so tests can check it."""

from __future__ import annotations

from dataclasses import dataclass

from ciwidgets.analysis.theory import HIGH_FROM, QUADRANTS, display_order, quadrant
from ciwidgets.model import ChangeIdea, Project

from .driver import STATUS_COLOURS, status_icon
from .svg import INK, MUTED, Box, block_height, document, esc, text_block, text_width, wrap

MARGIN = 24.0
AXIS = 52.0  # room left of the chart for the benefit axis
CELL_W = 134.0
MIN_ROW = 64.0
BAND = 26.0  # the quadrant name strip at the top of a quadrant
CELL_PAD = 6.0
R = 9.0  # marker radius
LABEL = 11.0
ITEM_GAP = 4.0
KEY_X_GAP = 26.0
KEY_W = 236.0

QUADRANT_FILLS = {
    "quick wins": "#e6f4ee",
    "big bets": "#e7f0f8",
    "fill-ins": "#f3f4f6",
    "reconsider": "#fbeee6",
}
QUADRANT_INK = {
    "quick wins": "#00694d",
    "big bets": "#00507d",
    "fill-ins": "#4b5563",
    "reconsider": "#9a3d00",
}


@dataclass
class MatrixPoint:
    """One placed change idea: its number, marker and label boxes."""

    idea_id: str
    number: int
    benefit: int
    effort: int
    marker: Box
    label: Box
    lines: list[str]
    status: str


@dataclass
class MatrixLayout:
    width: float
    height: float
    chart: Box
    cells: dict[tuple[int, int], Box]  # (benefit, effort) -> cell
    quadrants: dict[str, Box]
    points: list[MatrixPoint]
    numbers: dict[str, int]  # idea id -> its number in the key
    unrated: list[ChangeIdea]
    key_x: float


def _candidates(project: Project) -> list[ChangeIdea]:
    return [x for x in display_order(project).change_ideas if x.status != "abandoned"]


def _label_lines(text: str) -> list[str]:
    return wrap(text, CELL_W - 2 * CELL_PAD - 2 * R - 6, LABEL, max_lines=3)


def _item_height(lines: list[str]) -> float:
    return max(2 * R + 2, block_height(len(lines), LABEL))


def matrix_layout(project: Project) -> MatrixLayout:
    """Where every cell, quadrant and idea goes."""
    ideas = _candidates(project)
    numbers = {x.id: i + 1 for i, x in enumerate(ideas)}
    rated = [x for x in ideas if x.benefit is not None and x.effort is not None]
    unrated = [x for x in ideas if x not in rated]
    in_cell: dict[tuple[int, int], list[ChangeIdea]] = {}
    for x in rated:
        in_cell.setdefault((x.benefit, x.effort), []).append(x)

    def band(benefit: int) -> float:  # the top row of each quadrant carries its name
        return BAND if benefit in (5, HIGH_FROM - 1) else 0.0

    top = MARGIN + 8
    rows: dict[int, tuple[float, float]] = {}
    y = top
    for benefit in range(5, 0, -1):
        needed = max(
            (sum(_item_height(_label_lines(x.text)) + ITEM_GAP for x in in_cell.get((benefit, e), []))
             for e in range(1, 6)),
            default=0.0,
        )
        h = max(MIN_ROW, band(benefit) + 2 * CELL_PAD + needed)
        rows[benefit] = (y, h)
        y += h
    chart = Box(MARGIN + AXIS, top, 5 * CELL_W, y - top)
    cells = {
        (b, e): Box(chart.x + (e - 1) * CELL_W, rows[b][0], CELL_W, rows[b][1])
        for b in range(1, 6) for e in range(1, 6)
    }
    split_x = chart.x + (HIGH_FROM - 1) * CELL_W
    split_y = rows[HIGH_FROM][0] + rows[HIGH_FROM][1]
    quadrants = {}
    for q in QUADRANTS.values():
        x0, x1 = (split_x, chart.right) if q.high_effort else (chart.x, split_x)
        y0, y1 = (chart.y, split_y) if q.high_benefit else (split_y, chart.bottom)
        quadrants[q.key] = Box(x0, y0, x1 - x0, y1 - y0)

    points = []
    for (benefit, effort), xs in in_cell.items():
        cell = cells[(benefit, effort)]
        cy = cell.y + band(benefit) + CELL_PAD
        for x in xs:
            lines = _label_lines(x.text)
            h = _item_height(lines)
            marker = Box(cell.x + CELL_PAD, cy + (h - 2 * R) / 2, 2 * R, 2 * R)
            lx = marker.right + 6
            label_w = max((text_width(line, LABEL) for line in lines), default=0.0)
            label = Box(lx, cy + (h - block_height(len(lines), LABEL)) / 2, label_w,
                        block_height(len(lines), LABEL))
            points.append(MatrixPoint(x.id, numbers[x.id], benefit, effort, marker, label, lines, x.status))
            cy += h + ITEM_GAP
    key_x = chart.right + KEY_X_GAP
    width = key_x + KEY_W + MARGIN
    key_h = MARGIN + 30 + sum(_key_height(x) for x in ideas)
    height = max(chart.bottom + 64, key_h) + MARGIN
    if unrated:
        height += 24 + 16 * len(unrated)
    return MatrixLayout(width, height, chart, cells, quadrants, points, numbers, unrated, key_x)


def _key_lines(x: ChangeIdea) -> list[str]:
    return wrap(x.text, KEY_W - 34, 12.0, max_lines=3)


def _key_height(x: ChangeIdea) -> float:
    return block_height(len(_key_lines(x)), 12.0) + 22


def _marker(p: MatrixPoint) -> str:
    cx, cy = p.marker.x + R, p.marker.y + R
    colour = STATUS_COLOURS.get(p.status, MUTED)
    filled = p.status != "idea"  # being tested or done: a filled marker (the key names the status)
    fill, ink = (colour, "#ffffff") if filled else ("#ffffff", INK)
    stroke = colour if filled else INK
    return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{R}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="1.5"/>'
            f'<text x="{cx:.1f}" y="{cy + 3.8:.1f}" font-size="10.5" font-weight="bold" '
            f'text-anchor="middle" fill="{ink}">{p.number}</text>')


def _axes(layout: MatrixLayout) -> str:
    c = layout.chart
    parts = []
    for e in range(1, 6):
        cell = layout.cells[(1, e)]
        parts.append(text_block([str(e)], cell.x + CELL_W / 2, c.bottom + 6, 12, anchor="middle", fill=MUTED))
    for b in range(1, 6):
        cell = layout.cells[(b, 1)]
        parts.append(text_block([str(b)], c.x - 10, cell.y + cell.h / 2 - 8, 12, anchor="end", fill=MUTED))
    parts.append(text_block(["Effort →  (1 = very little, 5 = a lot)"], c.x + c.w / 2, c.bottom + 26, 12.5,
                            anchor="middle", weight="bold", fill=INK))
    mid = c.y + c.h / 2
    parts.append(f'<text transform="translate({MARGIN + 14:.1f},{mid:.1f}) rotate(-90)" font-size="12.5" '
                 f'font-weight="bold" text-anchor="middle" fill="{INK}">'
                 "Benefit →  (1 = a little, 5 = a lot)</text>")
    return "".join(parts)


def _key(project: Project, layout: MatrixLayout) -> str:
    x, y = layout.key_x, MARGIN + 8
    parts = [text_block(["CHANGE IDEAS"], x, y, 11, weight="bold", fill=MUTED)]
    y += 22
    for idea in _candidates(project):
        q = quadrant(idea.benefit, idea.effort)
        where = q.title if q else "not placed yet"
        lines = _key_lines(idea)
        parts.append(f'<g class="key-item" data-id="{esc(idea.id)}">')
        parts.append(text_block([f"{layout.numbers[idea.id]}."], x, y, 12, weight="bold", fill=INK))
        parts.append(text_block(lines, x + 24, y, 12, fill=INK))
        ly = y + block_height(len(lines), 12.0) + 2
        parts.append(status_icon(idea.status, x + 29, ly + 6, r=4.5))
        parts.append(text_block([f"{idea.status} · {where}"], x + 38, ly, 10.5, fill=MUTED))
        parts.append("</g>")
        y += _key_height(idea)
    return "".join(parts)


def _description(project: Project, layout: MatrixLayout) -> str:
    parts = ["Benefit-effort matrix of the change ideas."]
    for q in QUADRANTS.values():
        names = [f"{p.number}. {project.find(p.idea_id).text} (benefit {p.benefit}, effort {p.effort}, {p.status})"
                 for p in layout.points if quadrant(p.benefit, p.effort) is q]
        parts.append(f"{q.title}: {'; '.join(names) if names else 'none'}.")
    if layout.unrated:
        parts.append("Not placed yet: " + "; ".join(x.text for x in layout.unrated) + ".")
    return " ".join(parts)


def matrix_svg(project: Project) -> str:
    """The project's benefit-effort matrix as a standalone, accessible SVG document."""
    layout = matrix_layout(project)
    c = layout.chart
    body = []
    for key, box in layout.quadrants.items():
        body.append(f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" '
                    f'fill="{QUADRANT_FILLS[key]}"/>')
    for cell in layout.cells.values():  # faint cell grid: a rating is a cell, not a point
        body.append(f'<rect x="{cell.x:.1f}" y="{cell.y:.1f}" width="{cell.w:.1f}" height="{cell.h:.1f}" '
                    f'fill="none" stroke="#ffffff" stroke-width="1.5"/>')
    split_x = layout.quadrants["big bets"].x
    split_y = layout.quadrants["fill-ins"].y
    body.append(f'<path d="M{split_x:.1f},{c.y:.1f} V{c.bottom:.1f} M{c.x:.1f},{split_y:.1f} H{c.right:.1f}" '
                f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="6 4"/>')
    body.append(f'<rect x="{c.x:.1f}" y="{c.y:.1f}" width="{c.w:.1f}" height="{c.h:.1f}" fill="none" '
                f'stroke="{MUTED}" stroke-width="1"/>')
    for key, box in layout.quadrants.items():
        q = QUADRANTS[key]
        body.append(text_block([q.title.upper()], box.x + 8, box.y + 6, 12.5, weight="bold",
                               fill=QUADRANT_INK[key]))
    body.append(_axes(layout))
    for p in layout.points:
        body.append(f'<g class="idea" data-id="{esc(p.idea_id)}"><title>{esc(project.find(p.idea_id).text)}</title>')
        body.append(_marker(p))
        body.append(text_block(p.lines, p.label.x, p.label.y, LABEL, fill=INK))
        body.append("</g>")
    body.append(_key(project, layout))
    if layout.unrated:
        y = max(c.bottom + 64, layout.height - MARGIN - 16 * len(layout.unrated) - 24)
        body.append(text_block(["Not placed yet: rate benefit and effort to place these ideas"],
                               MARGIN, y, 12, weight="bold", fill=MUTED))
        for i, x in enumerate(layout.unrated):
            body.append(text_block([f"{layout.numbers[x.id]}. {wrap(x.text, 600, 12, max_lines=1)[0]}"],
                                   MARGIN + 12, y + 18 + 16 * i, 12, fill=INK))
    if not _candidates(project):
        body.append(text_block(["Add change ideas on the driver diagram, then rate them here."],
                               c.x + 12, c.y + c.h / 2, 13, fill=MUTED))
    return document(layout.width, layout.height, "".join(body),
                    title="Benefit-effort matrix", desc=_description(project, layout))
