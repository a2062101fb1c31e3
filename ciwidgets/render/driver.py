"""The driver diagram as SVG: aim -> primary drivers -> secondary drivers -> change ideas,
left to right.

Layout in three steps, all pure:
1. heights: every box wraps its text to its column's width;
2. rows: the change ideas stack top to bottom (grouped under their first driver), and
   each driver sits at the middle of what it links to (pushed down when it would overlap);
3. edges: every link runs orthogonally in the gutter between two columns: out of the
   parent's right side, along a vertical "lane" that belongs to that parent, into the
   child's left side. Lanes whose spans would touch get different x positions, so two
   parents' lines never run on top of each other, and no line ever enters a box.

`driver_layout()` returns the geometry so tests (and other renderers) can check it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ciwidgets.analysis.theory import AIM_ID, aim_statement, display_order, find_orphans
from ciwidgets.model import Project

from .svg import INK, MUTED, PALETTE, Box, block_height, document, esc, text_block, text_width, wrap

# Column widths (px) and the text inside.
WIDTHS = {"aim": 220.0, "primary": 200.0, "secondary": 210.0, "change idea": 230.0}
LEVELS = ("aim", "primary", "secondary", "change idea")
HEADINGS = {"aim": "Aim", "primary": "Primary drivers", "secondary": "Secondary drivers",
            "change idea": "Change ideas"}
FONT = 13.0
SMALL = 11.0
PAD = 10.0
MAX_LINES = {"aim": 10, "primary": 6, "secondary": 6, "change idea": 5}
MARGIN = 24.0
HEADER = 34.0
GAP = 12.0  # between boxes of one group
GROUP_GAP = 24.0  # between groups (children of different parents)
GUTTER_PAD = 22.0  # from a column to its nearest lane
LANE_GAP = 9.0  # between two lanes of one gutter
LANE_CLEAR = 10.0  # vertical clearance between two spans sharing a lane
ARROW = 7.0
BOLD_LEVELS = ("aim", "primary")
BOLD_WIDTH = 1.14  # DejaVu Sans Bold against Book, on average

# How each status looks: never colour alone, always a shape and a word too.
STATUS_COLOURS = {
    "idea": MUTED,
    "testing": PALETTE[1],
    "adopted": PALETTE[2],
    "adapted": PALETTE[0],
    "abandoned": PALETTE[5],
}
FILLS = {"aim": "#0b3c5d", "primary": "#e3effa", "secondary": "#f1f6fb", "change idea": "#ffffff"}
STROKES = {"aim": "#0b3c5d", "primary": PALETTE[0], "secondary": "#7fa7c9", "change idea": "#9aa5b1"}
EDGE = "#52606d"
LOOSE = "#a15c00"  # the gentle flag for a loose end (dark orange, readable on white)


@dataclass
class NodeLayout:
    """One box of the diagram."""

    node_id: str
    level: str
    box: Box
    lines: list[str]
    full_text: str
    status: str | None = None
    cycles: int = 0
    loose: list[str] = field(default_factory=list)  # gentle notes about loose ends


@dataclass
class EdgeLayout:
    """One link, as an orthogonal polyline from the parent's right side to the
    child's left side (the arrow tip)."""

    parent_id: str
    child_id: str
    points: list[tuple[float, float]]

    def segments(self) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        return list(zip(self.points, self.points[1:], strict=False))


@dataclass
class DriverLayout:
    width: float
    height: float
    nodes: dict[str, NodeLayout]
    edges: list[EdgeLayout]
    columns: dict[str, float]  # x of each column's left side
    legend_y: float


# --------------------------------------------------------------------------- text in boxes

_LOOSE_WORDS = {
    "no secondary driver": "No secondary driver yet",
    "no change idea": "No change idea yet",
    "no primary driver": "Not linked to a primary driver",
    "no driver": "Not linked to a driver yet",
}


def _cycles_words(n: int) -> str:
    return "no PDSA cycles yet" if n == 0 else f"{n} PDSA cycle{'s' if n != 1 else ''}"


def _status_line(status: str, cycles: int) -> str:
    return f"{status} · {_cycles_words(cycles)}"


def _height(node: NodeLayout) -> float:
    size = 14.0 if node.level == "aim" else FONT
    h = PAD + block_height(len(node.lines), size) + PAD
    if node.level == "aim":
        h += SMALL * 1.6  # the "AIM" label
    if node.status is not None:
        h += SMALL * 1.5
    h += len(node.loose) * SMALL * 1.4
    return max(h, 44.0)


def _nodes(project: Project, school: str) -> tuple[list[list[NodeLayout]], dict]:
    order = display_order(project)
    loose: dict[str, list[str]] = {}
    for o in find_orphans(project):
        loose.setdefault(o.node_id, []).append(_LOOSE_WORDS[o.problem])
    statement = aim_statement(project.aim, school)
    cycles = Counter(y.change_idea_id for y in project.pdsa_cycles)

    def make(node_id, level, text, **extra) -> NodeLayout:
        inner = WIDTHS[level] - 2 * PAD - (6 if level != "aim" else 0)
        if level in BOLD_LEVELS:  # bold glyphs run wider than the estimate of text_width
            inner /= BOLD_WIDTH
        size = 14.0 if level == "aim" else FONT
        lines = wrap(text, inner, size, max_lines=MAX_LINES[level])
        return NodeLayout(node_id, level, Box(0, 0, WIDTHS[level], 0), lines, text,
                          loose=loose.get(node_id, []), **extra)

    columns = [
        [make(AIM_ID, "aim", statement or "No aim yet: write it in the aim statement.")],
        [make(p.id, "primary", p.text) for p in order.primary],
        [make(s.id, "secondary", s.text) for s in order.secondary],
        [make(x.id, "change idea", x.text, status=x.status, cycles=cycles.get(x.id, 0))
         for x in order.change_ideas],
    ]
    parents = {AIM_ID: []}
    for p in order.primary:
        parents[p.id] = [AIM_ID]
    for s in order.secondary:
        parents[s.id] = list(s.primary_ids)
    for x in order.change_ideas:
        parents[x.id] = list(x.secondary_ids)
    for col in columns:
        for n in col:
            n.box = Box(0, 0, n.box.w, _height(n))
    return columns, parents


# --------------------------------------------------------------------------- rows


def _centre(n: NodeLayout) -> float:
    return n.box.y + n.box.h / 2


def _shift(node: NodeLayout, dy: float, kids: dict[str, list[NodeLayout]]) -> None:
    node.box = Box(node.box.x, node.box.y + dy, node.box.w, node.box.h)
    for k in kids.get(node.node_id, []):
        _shift(k, dy, kids)


def _place(node: NodeLayout, top: float, kids: dict[str, list[NodeLayout]]) -> float:
    """Tidy-tree placement: lay out the node's children below `top`, then centre the
    node on them (moving them down if the node is the taller). Returns the bottom."""
    children = kids.get(node.node_id, [])
    if not children:
        node.box = Box(node.box.x, top, node.box.w, node.box.h)
        return node.box.bottom
    bottom = _stack(children, top, kids)
    middle = (children[0].box.y + children[-1].box.bottom) / 2
    y = middle - node.box.h / 2
    if y < top:
        for k in children:
            _shift(k, top - y, kids)
        bottom += top - y
        y = top
    node.box = Box(node.box.x, y, node.box.w, node.box.h)
    return max(bottom, node.box.bottom)


def _stack(nodes: list[NodeLayout], top: float, kids: dict[str, list[NodeLayout]]) -> float:
    """Subtrees one below the other; families (nodes with children) further apart."""
    cursor = top
    for i, n in enumerate(nodes):
        if i:
            cursor += GROUP_GAP if kids.get(n.node_id) or kids.get(nodes[i - 1].node_id) else GAP
        cursor = _place(n, cursor, kids)
    return cursor


def _rows(columns: list[list[NodeLayout]], parents: dict[str, list[str]]) -> None:
    """Each node hangs under its first parent (the tree the display order follows);
    its other links are drawn as extra edges. Unlinked nodes go below."""
    index = {n.node_id: i for col in columns for i, n in enumerate(col)}
    kids: dict[str, list[NodeLayout]] = {}
    loose: list[NodeLayout] = []
    for col in columns[1:]:
        for n in col:
            known = [p for p in parents[n.node_id] if p in index]
            if known:
                kids.setdefault(min(known, key=index.__getitem__), []).append(n)
            else:
                loose.append(n)
    bottom = _place(columns[0][0], MARGIN + HEADER, kids)
    for n in loose:
        bottom = _place(n, bottom + GROUP_GAP, kids)


# --------------------------------------------------------------------------- edges


def _ports(columns, parents) -> dict[tuple[str, str], float]:
    """y where each link enters its child: spread evenly down the child's left side,
    in the order of the parents' heights, so two incoming lines never share a point."""
    by_id = {n.node_id: n for col in columns for n in col}
    ports: dict[tuple[str, str], float] = {}
    for child_id, ps in parents.items():
        child = by_id[child_id]
        ps = sorted((p for p in ps if p in by_id), key=lambda p: _centre(by_id[p]))
        for i, p in enumerate(ps):
            ports[(p, child_id)] = child.box.y + child.box.h * (i + 1) / (len(ps) + 1)
    return ports


def _lanes(spans: list[tuple[str, float, float]]) -> tuple[dict[str, int], int]:
    """Interval colouring: parents whose vertical spans do not come near each other
    share a lane; others get their own."""
    ends: list[float] = []
    lane_of: dict[str, int] = {}
    for pid, lo, hi in sorted(spans, key=lambda s: (s[1], s[2])):
        for lane, end in enumerate(ends):
            if end + LANE_CLEAR <= lo:
                ends[lane] = hi
                lane_of[pid] = lane
                break
        else:
            lane_of[pid] = len(ends)
            ends.append(hi)
    return lane_of, len(ends)


def driver_layout(project: Project, school: str = "") -> DriverLayout:
    """The geometry of the driver diagram: boxes, edge polylines, size."""
    columns, parents = _nodes(project, school)
    _rows(columns, parents)
    by_id = {n.node_id: n for col in columns for n in col}
    ports = _ports(columns, parents)

    # Lanes per gutter (between column k and k+1), from the y spans of each parent's links.
    ports_of: dict[str, list[float]] = {}
    for (p, _c), y in ports.items():
        ports_of.setdefault(p, []).append(y)
    gutter_lanes: list[tuple[dict[str, int], int]] = []
    for k in range(3):
        spans = []
        for parent in columns[k]:
            ys = ports_of.get(parent.node_id)
            if ys:
                py = _centre(parent)
                spans.append((parent.node_id, min(ys + [py]), max(ys + [py])))
        gutter_lanes.append(_lanes(spans))

    # Column x positions now that each gutter's width is known.
    xs: dict[str, float] = {}
    x = MARGIN
    gutters: list[float] = []
    for k, level in enumerate(LEVELS):
        xs[level] = x
        x += WIDTHS[level]
        if k < 3:
            n_lanes = max(gutter_lanes[k][1], 1)
            gutters.append(x)
            x += 2 * GUTTER_PAD + (n_lanes - 1) * LANE_GAP
    width = x + MARGIN
    for n in by_id.values():
        n.box = Box(xs[n.level], n.box.y, n.box.w, n.box.h)

    edges: list[EdgeLayout] = []
    for k in range(3):
        lane_of, _ = gutter_lanes[k]
        for child in columns[k + 1]:
            for p in parents[child.node_id]:
                if p not in by_id:
                    continue
                parent = by_id[p]
                lane_x = gutters[k] + GUTTER_PAD + lane_of[p] * LANE_GAP
                py, cy = _centre(parent), ports[(p, child.node_id)]
                points = [(parent.box.right, py), (lane_x, py), (lane_x, cy), (child.box.x, cy)]
                edges.append(EdgeLayout(p, child.node_id, _simplify(points)))

    bottom = max(n.box.bottom for n in by_id.values())
    legend_y = bottom + 28
    height = legend_y + 40 + MARGIN
    return DriverLayout(width, height, by_id, edges, xs, legend_y)


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop zero-length segments (a parent level with its child draws one straight line)."""
    out = [points[0]]
    for p in points[1:]:
        if p != out[-1]:
            out.append(p)
    if len(out) == 3 and out[0][1] == out[1][1] == out[2][1]:
        out = [out[0], out[2]]
    return out


# --------------------------------------------------------------------------- drawing


def status_icon(status: str, cx: float, cy: float, r: float = 5.0) -> str:
    """A small shape per status (hollow, half, filled with a tick, diamond, crossed)."""
    colour = STATUS_COLOURS.get(status, MUTED)
    ring = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="#fff" stroke="{colour}" stroke-width="1.6"/>'
    if status == "testing":
        return ring + (f'<path d="M{cx:.1f},{cy - r:.1f} A{r},{r} 0 0 0 {cx:.1f},{cy + r:.1f} Z" '
                       f'fill="{colour}"/>')
    if status == "adopted":
        return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="{colour}"/>'
                f'<path d="M{cx - 2.6:.1f},{cy:.1f} l1.9,2 l3.4,-3.8" fill="none" stroke="#fff" '
                f'stroke-width="1.5"/>')
    if status == "adapted":
        return (f'<path d="M{cx:.1f},{cy - r - 0.8:.1f} l{r + 0.8},{r + 0.8} l{-r - 0.8},{r + 0.8} '
                f'l{-r - 0.8},{-r - 0.8} Z" fill="{colour}"/>')
    if status == "abandoned":
        d = r * 0.55
        return ring + (f'<path d="M{cx - d:.1f},{cy - d:.1f} L{cx + d:.1f},{cy + d:.1f} '
                       f'M{cx - d:.1f},{cy + d:.1f} L{cx + d:.1f},{cy - d:.1f}" stroke="{colour}" '
                       f'stroke-width="1.5"/>')
    return ring


def _draw_node(n: NodeLayout) -> str:
    b = n.box
    parts = [f'<g class="node {esc(n.level.replace(" ", "-"))}" data-id="{esc(n.node_id)}">',
             f"<title>{esc(n.full_text)}</title>"]
    dashed = ' stroke-dasharray="5 3"' if n.loose else ""
    stroke = LOOSE if n.loose else STROKES[n.level]
    if n.status == "abandoned":
        dashed = ' stroke-dasharray="2 3"'
    parts.append(f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="6" '
                 f'fill="{FILLS[n.level]}" stroke="{stroke}" stroke-width="1.3"{dashed}/>')
    if n.status is not None:  # a status stripe down the left side (with icon and word below)
        parts.append(f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="5" height="{b.h:.1f}" rx="2" '
                     f'fill="{STATUS_COLOURS[n.status]}"/>')
    x, y = b.x + PAD + (4 if n.status is not None else 0), b.y + PAD
    if n.level == "aim":
        parts.append(text_block(["AIM"], x, y, SMALL, weight="bold", fill="#bcd7ee"))
        y += SMALL * 1.6
        parts.append(text_block(n.lines, x, y, 14.0, weight="bold", fill="#ffffff"))
        y += block_height(len(n.lines), 14.0)
    else:
        fill = MUTED if n.status == "abandoned" else INK
        weight = "bold" if n.level == "primary" else "normal"
        parts.append(text_block(n.lines, x, y, FONT, fill=fill, weight=weight))
        y += block_height(len(n.lines), FONT)
    if n.status is not None:
        parts.append(status_icon(n.status, x + 5, y + SMALL * 0.75))
        parts.append(text_block([_status_line(n.status, n.cycles)], x + 14, y + 1, SMALL, fill=MUTED))
        y += SMALL * 1.5
    for note in n.loose:
        parts.append(f'<text x="{x:.1f}" y="{y + SMALL:.1f}" font-size="{SMALL:g}" '
                     f'font-style="italic" fill="{LOOSE}">{esc(note)}</text>')
        y += SMALL * 1.4
    parts.append("</g>")
    return "".join(parts)


def _draw_edge(e: EdgeLayout) -> str:
    pts = list(e.points)
    tip_x, tip_y = pts[-1]
    pts[-1] = (tip_x - ARROW + 1, tip_y)
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    # A white halo under each line leaves a small gap where lines cross, so each
    # line can be followed through a crossing.
    return (f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="4"/>'
            f'<path d="{d}" fill="none" stroke="{EDGE}" stroke-width="1.4"/>'
            f'<path d="M{tip_x:.1f},{tip_y:.1f} l{-ARROW},{-ARROW / 2:.1f} l0,{ARROW:.1f} Z" '
            f'fill="{EDGE}"/>')


def _draw_legend(layout: DriverLayout) -> str:
    y = layout.legend_y
    x = MARGIN
    parts = [text_block(["Change idea status:"], x, y, SMALL, fill=MUTED, weight="bold")]
    x += text_width("Change idea status:", SMALL) * BOLD_WIDTH * 1.1 + 14
    for status in STATUS_COLOURS:
        parts.append(status_icon(status, x + 5, y + SMALL * 0.7))
        parts.append(text_block([status], x + 14, y, SMALL, fill=INK))
        x += 14 + text_width(status, SMALL) + 16
    parts.append(f'<rect x="{x + 6:.1f}" y="{y:.1f}" width="22" height="13" rx="3" fill="none" '
                 f'stroke="{LOOSE}" stroke-dasharray="5 3"/>')
    parts.append(text_block(["loose end: not linked yet"], x + 34, y, SMALL, fill=LOOSE))
    return "".join(parts)


def _description(project: Project, layout: DriverLayout, school: str) -> str:
    order = display_order(project)
    aim = aim_statement(project.aim, school) or "not written yet"
    parts = [f"Aim: {aim}" + ("" if aim.endswith((".", "!", "?")) else ".")]
    parts.append(
        f"{len(order.primary)} primary drivers, {len(order.secondary)} secondary drivers, "
        f"{len(order.change_ideas)} change ideas."
    )
    for p in order.primary:
        kids = [s.text for s in order.secondary if p.id in s.primary_ids]
        parts.append(f"Primary driver '{p.text}'" + (f" is moved by: {'; '.join(kids)}." if kids else "."))
    for s in order.secondary:
        kids = [
            f"{x.text} ({x.status}, {_cycles_words(layout.nodes[x.id].cycles)})"
            for x in order.change_ideas if s.id in x.secondary_ids
        ]
        parts.append(f"Secondary driver '{s.text}'" + (f" has change ideas: {'; '.join(kids)}." if kids else "."))
    loose = [f"'{n.full_text}': {note.lower()}" for n in layout.nodes.values() for note in n.loose]
    if loose:
        parts.append("Loose ends: " + "; ".join(loose) + ".")
    return " ".join(parts)


def driver_diagram_svg(project: Project, school: str = "") -> str:
    """The project's driver diagram as a standalone, accessible SVG document."""
    layout = driver_layout(project, school)
    body = []
    for level in LEVELS:
        body.append(text_block([HEADINGS[level].upper()], layout.columns[level], MARGIN, SMALL,
                               weight="bold", fill=MUTED))
    if not project.driver_diagram.primary_drivers:
        body.append(f'<text x="{layout.columns["primary"]:.1f}" y="{MARGIN + HEADER + 24:.1f}" '
                    f'font-size="{FONT:g}" font-style="italic" fill="{MUTED}">'
                    "Add your first primary driver: what must be true to reach the aim?</text>")
    body.extend(_draw_edge(e) for e in layout.edges)
    body.extend(_draw_node(n) for n in layout.nodes.values())
    body.append(_draw_legend(layout))
    title = f"Driver diagram{': ' + project.title if project.title else ''}"
    return document(layout.width, layout.height, "".join(body), title=title,
                    desc=_description(project, layout, school))
