"""The fishbone (cause-and-effect, Ishikawa) diagram as SVG.

Layout: the problem sits in the fish head on the right; the spine runs to it from the
left; each category is a bone, alternately above and below the spine (so the halves
hold the same number of categories, give or take one). A category's causes are
stacked beside its bone as wrapped text boxes, each followed by its sub-causes,
indented. Every box is placed in its own column and row, so nothing overlaps however
long the text (`layout_fishbone` exposes the boxes so tests can prove it).

Marks, each explained in a legend and never by colour alone:
- a filled green bar on a cause's left edge: "in our control"; a dashed grey bar:
  outside our control; no bar: not decided yet;
- a blue disc with a number: the dots (votes) the cause received;
- a thick vermillion border and a star: one of the top-voted causes.

Pure: no Jupyter imports, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from ciwidgets.analysis.rootcause import CauseNode, cause_trees, tally
from ciwidgets.model import Cause, Fishbone, FishboneCategory

from .svg import (
    INK,
    MUTED,
    PALETTE,
    Box,
    block_height,
    document,
    esc,
    text_block,
    text_width,
    to_png,
    wrap,
)

MARGIN = 24
CAUSE_W = 180  # width of a cause box on the bone
INDENT = 18  # per level of sub-cause
MAX_DEPTH_SHOWN = 3  # deeper sub-causes are drawn at this indent
BONE_GAP = 14  # from the right edge of the boxes to the bone
SLANT = 36  # how far a bone leans towards the head
COLUMN_GAP = 22
COLUMN_W = CAUSE_W + BONE_GAP + SLANT + COLUMN_GAP
HEAD_W = 196
ARROW = 16
SPINE_CLEAR = 20  # between the spine and the nearest box
STACK_GAP = 8  # between stacked boxes
PAD_X, PAD_Y = 8, 6
BAR_W = 5  # the "in our control" bar
BADGE_R = 9  # the dots disc
BADGE_SPACE = 2 * BADGE_R + 8  # kept free in every box so voting never reflows text
CAUSE_SIZE, SUB_SIZE, LABEL_SIZE, HEAD_SIZE, LEGEND_SIZE = 12.5, 11.5, 13.0, 15.0, 11.5
CAUSE_LINES, SUB_LINES, LABEL_LINES, HEAD_LINES = 7, 6, 3, 9
TOP_STROKE = "#D55E00"  # vermillion: top-voted causes
TOP_FILL = "#FFF1E6"
CONTROL_FILL = "#009E73"  # bluish green: in our control
DOT_FILL = "#0072B2"  # blue: dots
BOX_STROKE = "#9aa5b1"
SUB_FILL = "#F5F7FA"
# Browsers often fall back to a wide face (DejaVu Sans); wrap to a little less than
# the estimate allows so text stays inside its box whatever font is found.
FONT_SLACK, BOLD_SLACK = 1.12, 1.22


@dataclass
class PlacedCause:
    """A cause box as laid out."""

    cause: Cause
    depth: int
    box: Box
    lines: list[str]
    size: float
    votes: int
    rank: int
    top: bool


@dataclass
class PlacedCategory:
    """A category bone: its label, its bone line and its causes."""

    category: FishboneCategory
    side: str  # "top" or "bottom"
    colour: str
    label: Box
    label_lines: list[str]
    bone: tuple[float, float, float, float]  # x1, y1 (label end), x2, y2 (on the spine)
    causes: list[PlacedCause] = field(default_factory=list)
    empty_note: Box | None = None

    def bone_x(self, y: float) -> float:
        """Where the bone is at height `y` (to join a cause to it)."""
        x1, y1, x2, y2 = self.bone
        if y2 == y1:
            return x2
        t = min(1.0, max(0.0, (y - y1) / (y2 - y1)))
        return x1 + t * (x2 - x1)


@dataclass
class FishboneLayout:
    """Everything `fishbone_svg` draws, with its geometry."""

    width: float
    height: float
    spine_y: float
    spine_x0: float
    head: Box
    head_lines: list[str]
    categories: list[PlacedCategory]
    legend: list[tuple[Box, str]]
    heading: Box | None = None
    heading_lines: list[str] = field(default_factory=list)

    def boxes(self) -> list[tuple[str, Box]]:
        """Every box that carries text, named, for overlap checks."""
        out: list[tuple[str, Box]] = [("head", self.head)]
        if self.heading is not None:
            out.append(("heading", self.heading))
        for pc in self.categories:
            out.append((f"category {pc.category.name}", pc.label))
            if pc.empty_note is not None:
                out.append((f"empty note {pc.category.name}", pc.empty_note))
            out.extend((f"cause {p.cause.text}", p.box) for p in pc.causes)
        out.extend((f"legend {text}", box) for box, text in self.legend)
        return out

    @property
    def causes(self) -> list[PlacedCause]:
        return [p for pc in self.categories for p in pc.causes]


def _colour(i: int) -> str:
    # Skip yellow (index 6): too faint for a thin bone on white.
    usable = [c for c in PALETTE if c != "#F0E442"]
    return usable[i % len(usable)]


@lru_cache(maxsize=4096)
def _wrapped(depth: int, text: str) -> tuple[tuple[str, ...], float, float, float]:
    """(lines, font size, box width, box height) of a cause; cached because a redraw
    after one edit wraps the same texts again."""
    size = CAUSE_SIZE if depth == 0 else SUB_SIZE
    w = CAUSE_W - depth * INDENT
    lines = wrap(text, (w - PAD_X * 2 - BAR_W - BADGE_SPACE) / FONT_SLACK, size,
                 max_lines=CAUSE_LINES if depth == 0 else SUB_LINES)
    h = max(block_height(len(lines), size) + 2 * PAD_Y, 2 * BADGE_R + 2 * PAD_Y)
    return tuple(lines), size, w, h


def _cause_box(node_depth: int, text: str, x0: float, y: float) -> tuple[Box, list[str], float]:
    depth = min(node_depth, MAX_DEPTH_SHOWN)
    lines, size, w, h = _wrapped(depth, text)
    return Box(x0 + depth * INDENT, y, w, h), list(lines), size


def _column_height(nodes: list[CauseNode], label_h: float) -> float:
    """Height of a column from the outer edge of its label to the spine clearance."""
    h = label_h + STACK_GAP * 2
    if not nodes:
        return h + block_height(1, SUB_SIZE) + SPINE_CLEAR
    for node in nodes:
        box, _, _ = _cause_box(node.depth, node.cause.text, 0, 0)
        h += box.h + STACK_GAP
    return h + SPINE_CLEAR


def layout_fishbone(
    fishbone: Fishbone, *, highlight_top: int = 3, title: str | None = None,
) -> FishboneLayout:
    """Place every part of the fishbone; see the module docstring for the layout."""
    standing = {t.cause.id: t for t in tally(fishbone, highlight_top)}
    categories = list(fishbone.categories)
    n_cols = math.ceil(len(categories) / 2)
    label_w = CAUSE_W + BONE_GAP

    heading_lines: list[str] = []
    top = MARGIN
    heading = None
    if title:
        width_guess = max(n_cols * COLUMN_W + HEAD_W + ARROW, 420)
        heading_lines = wrap(title, width_guess / BOLD_SLACK, HEAD_SIZE, max_lines=2)
        heading = Box(MARGIN, MARGIN, width_guess, block_height(len(heading_lines), HEAD_SIZE))
        top = heading.bottom + 14

    labels = {c.id: wrap(c.name or "(unnamed)", (label_w - 2 * PAD_X) / BOLD_SLACK, LABEL_SIZE,
                         max_lines=LABEL_LINES)
              for c in categories}
    label_h = max([block_height(len(v), LABEL_SIZE) + 2 * PAD_Y for v in labels.values()] or [0])
    trees = cause_trees(fishbone)
    heights = {c.id: _column_height(trees[c.id], label_h) for c in categories}
    top_h = max([heights[c.id] for c in categories[0::2]] or [0])
    bottom_h = max([heights[c.id] for c in categories[1::2]] or [0])

    head_lines = wrap(fishbone.problem or "Problem not stated yet", (HEAD_W - 2 * PAD_X - 4) / BOLD_SLACK,
                      HEAD_SIZE, max_lines=HEAD_LINES)
    head_h = block_height(len(head_lines), HEAD_SIZE) + 2 * PAD_Y + 8
    top_h = max(top_h, head_h / 2 + 4, 40.0)
    bottom_h = max(bottom_h, head_h / 2 + 4, 40.0)
    spine_y = top + top_h

    spine_x0 = MARGIN
    head_x = MARGIN + max(n_cols, 1) * COLUMN_W + ARROW
    head = Box(head_x, spine_y - head_h / 2, HEAD_W, head_h)

    placed: list[PlacedCategory] = []
    for i, category in enumerate(categories):
        col_x = MARGIN + (i // 2) * COLUMN_W
        side = "top" if i % 2 == 0 else "bottom"
        placed.append(_place_category(category, trees[category.id], i, side, col_x, label_w, label_h,
                                      labels[category.id], spine_y, top, bottom_h, standing))

    body_bottom = spine_y + bottom_h
    width = head.right + MARGIN
    legend: list[tuple[Box, str]] = []
    if fishbone.causes:
        legend, legend_right = _legend(MARGIN, body_bottom + 10)
        width = max(width, legend_right + MARGIN)
        body_bottom = max(b.bottom for b, _ in legend)
    if heading is not None:
        heading = Box(heading.x, heading.y, min(heading.w, width - 2 * MARGIN), heading.h)
    return FishboneLayout(width, body_bottom + MARGIN, spine_y, spine_x0, head, head_lines,
                          placed, legend, heading, heading_lines)


def _place_category(
    category: FishboneCategory, nodes: list[CauseNode], index: int, side: str, col_x: float,
    label_w: float, label_h: float, label_lines: list[str], spine_y: float, top: float,
    bottom_h: float, standing: dict,
) -> PlacedCategory:
    bone_x_outer = col_x + CAUSE_W + BONE_GAP
    if side == "top":
        label = Box(col_x, top, label_w, label_h)
        bone = (bone_x_outer, label.bottom, bone_x_outer + SLANT, spine_y)
        y = label.bottom + STACK_GAP * 2
    else:
        label = Box(col_x, spine_y + bottom_h - label_h, label_w, label_h)
        bone = (bone_x_outer, label.y, bone_x_outer + SLANT, spine_y)
        y = spine_y + SPINE_CLEAR + STACK_GAP
    pc = PlacedCategory(category, side, _colour(index), label, label_lines, bone)
    if not nodes:
        pc.empty_note = Box(col_x, y, CAUSE_W, block_height(1, SUB_SIZE))
    for node in nodes:
        box, lines, size = _cause_box(node.depth, node.cause.text, col_x, y)
        t = standing[node.cause.id]
        pc.causes.append(PlacedCause(node.cause, node.depth, box, lines, size, t.votes, t.rank, t.top))
        y = box.bottom + STACK_GAP
    return pc


_LEGEND = (
    ("control", "in our control"),
    ("outside", "outside our control"),
    ("dots", "dots (votes)"),
    ("top", "top-voted cause"),
)


def _legend(x: float, y: float) -> tuple[list[tuple[Box, str]], float]:
    out = []
    for key, text in _LEGEND:
        w = 22 + 6 + text_width(text, LEGEND_SIZE)
        out.append((Box(x, y, w, 22), key))
        x += w + 18
    return out, x - 18


# ---------------------------------------------------------------- drawing


def fishbone_svg(fishbone: Fishbone, *, highlight_top: int = 3, title: str | None = None) -> str:
    """The fishbone as a standalone, accessible SVG document.

    `fishbone` may also be a `Project` (its fishbone is drawn, headed by the problem
    statement while the fishbone names no problem of its own). `highlight_top`
    highlights the causes ranked within the top N by dots (0: none). `title`, when
    given, is shown above the diagram and used as the accessible title."""
    project, fishbone = fishbone, getattr(fishbone, "fishbone", fishbone)
    statement = getattr(project, "problem_statement", "").strip()
    if statement and not fishbone.problem.strip():  # the head says the team's problem until it words its own
        fishbone = fishbone.model_copy(update={"problem": statement})
    return _drawn(fishbone.model_dump_json(), highlight_top, title)


@lru_cache(maxsize=8)
def _drawn(fishbone_json: str, highlight_top: int, title: str | None) -> str:
    """Drawings remembered by content: the fishbone editor and the dot-voting view on one
    page draw the same diagram after an edit, and an edit elsewhere in the project
    leaves it as it was; either way it is drawn once."""
    fishbone = Fishbone.model_validate_json(fishbone_json)
    layout = layout_fishbone(fishbone, highlight_top=highlight_top, title=title)
    parts: list[str] = []
    if layout.heading is not None:
        parts.append(text_block(layout.heading_lines, layout.heading.x, layout.heading.y,
                                HEAD_SIZE, weight="bold"))
    parts.append(_spine(layout))
    for pc in layout.categories:
        parts.append(_category(pc))
    parts.append(_head(layout))
    parts.extend(_legend_svg(box, key) for box, key in layout.legend)
    heading = title or (f"Fishbone: {_short(fishbone.problem, 100)}" if fishbone.problem
                        else "Fishbone diagram")
    return document(layout.width, layout.height, "".join(parts),
                    title=heading, desc=describe_fishbone(fishbone, highlight_top=highlight_top))


def fishbone_png(fishbone: Fishbone, *, highlight_top: int = 3, title: str | None = None,
                 scale: float = 2.0) -> bytes:
    """The fishbone as PNG bytes (rendered offline)."""
    return to_png(fishbone_svg(fishbone, highlight_top=highlight_top, title=title), scale=scale)


def _spine(layout: FishboneLayout) -> str:
    y, x0, x1 = layout.spine_y, layout.spine_x0, layout.head.x
    return (
        f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x1 - 2:.1f}" y2="{y:.1f}" '
        f'stroke="{INK}" stroke-width="4" stroke-linecap="round"/>'
        f'<path d="M{x1 - ARROW - 2:.1f},{y - 8:.1f} L{x1 - 2:.1f},{y:.1f} '
        f'L{x1 - ARROW - 2:.1f},{y + 8:.1f} Z" fill="{INK}"/>'
    )


def _head(layout: FishboneLayout) -> str:
    h = layout.head
    empty = not layout.head_lines or layout.head_lines == ["Problem not stated yet"]
    return (
        f'<g class="fish-head"><rect x="{h.x:.1f}" y="{h.y:.1f}" width="{h.w:.1f}" '
        f'height="{h.h:.1f}" rx="14" fill="#EAF3FA" stroke="{INK}" stroke-width="2"/>'
        + text_block(layout.head_lines, h.x + PAD_X + 2, h.y + PAD_Y + 4, HEAD_SIZE,
                     weight="normal" if empty else "bold", fill=MUTED if empty else INK)
        + "</g>"
    )


def _category(pc: PlacedCategory) -> str:
    x1, y1, x2, y2 = pc.bone
    lb = pc.label
    parts = [
        f'<g class="category"><line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{pc.colour}" stroke-width="3" stroke-linecap="round"/>',
        f'<rect x="{lb.x:.1f}" y="{lb.y:.1f}" width="{lb.w:.1f}" height="{lb.h:.1f}" rx="5" '
        f'fill="{pc.colour}" fill-opacity="0.12" stroke="{pc.colour}" stroke-width="2"/>',
        text_block(pc.label_lines, lb.x + PAD_X, lb.y + PAD_Y, LABEL_SIZE, weight="bold"),
    ]
    if pc.empty_note is not None:
        parts.append(text_block(["no causes yet"], pc.empty_note.x + PAD_X, pc.empty_note.y,
                                SUB_SIZE, fill=MUTED))
    parents: dict[int, PlacedCause] = {}
    for placed in pc.causes:
        parents[placed.depth] = placed
        parts.append(_connector(pc, placed, parents.get(placed.depth - 1)))
        parts.append(_cause(placed))
    parts.append("</g>")
    return "".join(parts)


def _connector(pc: PlacedCategory, placed: PlacedCause, parent: PlacedCause | None) -> str:
    b = placed.box
    mid = b.y + b.h / 2
    if placed.depth == 0 or parent is None:
        return (f'<line x1="{b.right:.1f}" y1="{mid:.1f}" x2="{pc.bone_x(mid):.1f}" y2="{mid:.1f}" '
                f'stroke="{pc.colour}" stroke-width="1.5"/>')
    px = parent.box.x + INDENT / 2
    return (f'<path d="M{px:.1f},{parent.box.bottom:.1f} L{px:.1f},{mid:.1f} L{b.x:.1f},{mid:.1f}" '
            f'fill="none" stroke="{MUTED}" stroke-width="1"/>')


def _cause(p: PlacedCause) -> str:
    b = p.box
    fill = TOP_FILL if p.top else ("#ffffff" if p.depth == 0 else SUB_FILL)
    stroke, width = (TOP_STROKE, 2.5) if p.top else (BOX_STROKE, 1)
    parts = [
        f'<g class="cause"><title>{esc(_tooltip(p))}</title>',
        f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="4" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>',
    ]
    if p.cause.in_our_control is True:
        parts.append(f'<rect x="{b.x + 2:.1f}" y="{b.y + 2:.1f}" width="{BAR_W}" height="{b.h - 4:.1f}" '
                     f'rx="1.5" fill="{CONTROL_FILL}"/>')
    elif p.cause.in_our_control is False:
        parts.append(f'<rect x="{b.x + 2.5:.1f}" y="{b.y + 2.5:.1f}" width="{BAR_W - 1}" '
                     f'height="{b.h - 5:.1f}" fill="none" stroke="{MUTED}" stroke-width="1.2" '
                     f'stroke-dasharray="3 2"/>')
    # Same weight for top causes: a dot must never reflow the diagram.
    parts.append(text_block(p.lines, b.x + PAD_X + BAR_W, b.y + PAD_Y, p.size))
    if p.votes:
        cx, cy = b.right - BADGE_R - 5, b.y + BADGE_R + 5
        parts.append(_dots_badge(cx, cy, p.votes))
    if p.top:
        parts.append(_star(b.right - BADGE_R - 5, b.bottom - 9, 6.5))
    parts.append("</g>")
    return "".join(parts)


def _dots_badge(cx: float, cy: float, votes: int) -> str:
    size = 11 if votes < 10 else 9.5
    return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{BADGE_R}" fill="{DOT_FILL}"/>'
            f'<text x="{cx:.1f}" y="{cy + size * 0.36:.1f}" font-size="{size}" font-weight="bold" '
            f'fill="#ffffff" text-anchor="middle">{votes}</text>')


def _star(cx: float, cy: float, r: float) -> str:
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.45
        angle = -math.pi / 2 + k * math.pi / 5
        points.append(f"{cx + radius * math.cos(angle):.1f},{cy + radius * math.sin(angle):.1f}")
    return f'<polygon points="{" ".join(points)}" fill="{TOP_STROKE}"/>'


def _legend_svg(box: Box, key: str) -> str:
    text = dict(_LEGEND)[key]
    sx, sy = box.x, box.y + 2
    if key == "control":
        mark = f'<rect x="{sx + 8:.1f}" y="{sy:.1f}" width="{BAR_W}" height="18" rx="1.5" fill="{CONTROL_FILL}"/>'
    elif key == "outside":
        mark = (f'<rect x="{sx + 8:.1f}" y="{sy:.1f}" width="{BAR_W - 1}" height="18" fill="none" '
                f'stroke="{MUTED}" stroke-width="1.2" stroke-dasharray="3 2"/>')
    elif key == "dots":
        mark = _dots_badge(sx + 11, sy + 9, 2)
    else:
        mark = (f'<rect x="{sx:.1f}" y="{sy:.1f}" width="22" height="18" rx="3" fill="{TOP_FILL}" '
                f'stroke="{TOP_STROKE}" stroke-width="2"/>' + _star(sx + 11, sy + 9, 6))
    return mark + text_block([text], sx + 28, box.y + 3, LEGEND_SIZE, fill=MUTED)


def _tooltip(p: PlacedCause) -> str:
    notes = []
    if p.votes:
        notes.append(f"{p.votes} dot{'s' if p.votes != 1 else ''}")
    if p.top:
        notes.append("top-voted")
    if p.cause.in_our_control is True:
        notes.append("in our control")
    elif p.cause.in_our_control is False:
        notes.append("outside our control")
    if p.cause.evidence:
        notes.append(f"{len(p.cause.evidence)} piece{'s' if len(p.cause.evidence) != 1 else ''} of evidence")
    text = " ".join(p.cause.text.split())  # a pasted tab or form feed reads as a space
    return text + (f" ({', '.join(notes)})" if notes else "")


# ---------------------------------------------------------------- words for screen readers


def describe_fishbone(fishbone: Fishbone, *, highlight_top: int = 3) -> str:
    """The whole diagram in sentences (the SVG's <desc>), for screen readers."""
    standing = {t.cause.id: t for t in tally(fishbone, highlight_top)}
    n_cat, n_causes = len(fishbone.categories), len(fishbone.causes)
    parts = [
        "Fishbone (cause-and-effect) diagram.",
        f"Problem: {fishbone.problem}." if fishbone.problem else "The problem is not stated yet.",
        f"{n_cat} categor{'y' if n_cat == 1 else 'ies'} and {n_causes} cause{'' if n_causes == 1 else 's'}.",
    ]
    top = [t for t in standing.values() if t.top]
    if top:
        top.sort(key=lambda t: (t.rank, fishbone.causes.index(t.cause)))
        parts.append("Top-voted causes: " + "; ".join(
            f"{t.cause.text} ({t.votes} dot{'s' if t.votes != 1 else ''})" for t in top) + ".")
    trees = cause_trees(fishbone)
    for category in fishbone.categories:
        nodes = trees[category.id]
        if not nodes:
            parts.append(f"Category {category.name}: no causes yet.")
            continue
        items = []
        for node in nodes:
            t = standing[node.cause.id]
            notes = []
            if t.votes:
                notes.append(f"{t.votes} dot{'s' if t.votes != 1 else ''}")
            if node.cause.in_our_control is True:
                notes.append("in our control")
            elif node.cause.in_our_control is False:
                notes.append("outside our control")
            lead = "sub-cause " if node.depth else ""
            items.append(f"{lead}{node.cause.text}" + (f" ({', '.join(notes)})" if notes else ""))
        parts.append(f"Category {category.name}: " + "; ".join(items) + ".")
    return " ".join(parts)


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
