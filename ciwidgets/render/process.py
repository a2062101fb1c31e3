"""Process maps as a small SVG: the process as it happens today, step by step.

Each step is a numbered card (what happens, and who does it) joined to the next
by an arrow. Cards flow left to right and wrap into rows of at most four; the
arrow from the end of a row elbows down to the start of the next, so the order
reads unambiguously. A step that breaks down has a thick vermillion border and
a tab with the words "Breaks down" (colour is never the only cue), and says
what goes wrong there: that is where the team looks for causes.

Pure: takes a `ProcessMap`, returns SVG text built with the shared toolkit
(every user string escaped there). `process_layout()` returns the geometry of
the cards so tests can check it without parsing SVG."""

from __future__ import annotations

from dataclasses import dataclass

from ciwidgets.model import ProcessMap, ProcessStep

from .svg import (
    INK,
    MUTED,
    PALETTE,
    Box,
    arrowhead,
    block_height,
    document,
    esc,
    text_block,
    text_width,
    wrap,
)

MAX_W = 900.0  # the widest the picture gets; more steps wrap into rows
MIN_W = 460.0  # room for the heading and the empty-map sentence
MARGIN = 16.0
CARD_W = 190.0
GAP = 36.0  # room for the arrow between two cards in a row
ROW_GAP = 44.0  # room for the elbow arrow between two rows
PER_ROW = int((MAX_W - 2 * MARGIN + GAP) // (CARD_W + GAP))  # 4
PAD = 10.0
TITLE_SIZE, CARD_SIZE, SMALL = 15.0, 13.0, 11.0
TEXT_LINES, WHO_LINES, WHY_LINES = 4, 2, 3
TOP_STRIP = 28.0  # the number badge and the "Breaks down" tab

BREAKS = PALETTE[5]  # vermillion
BREAKS_INK = "#9a3d00"  # darker vermillion: small text stays readable on white
BREAKS_FILL = "#fdf1ea"
BREAKS_WORD = "Breaks down"
WHO = "Who: "
EMPTY = "No steps yet: add the first step of the process as it happens today."


@dataclass(frozen=True)
class StepBox:
    """Where one step's card goes: its number (1-based), row and column."""

    step_id: str
    number: int
    row: int
    col: int
    x: float
    y: float
    w: float
    h: float

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.w, self.h)


@dataclass(frozen=True)
class _CardText:
    text: list[str]
    who: list[str]
    why: list[str]


def _card_text(step: ProcessStep) -> _CardText:
    inner = CARD_W - 2 * PAD
    who = _who(step.who, inner)
    why = wrap(step.why, inner, SMALL, max_lines=WHY_LINES) if step.breaks_down and step.why else []
    return _CardText(wrap(step.text or "(step not described)", inner, CARD_SIZE, max_lines=TEXT_LINES),
                     who, why)


def _who(who: str, inner: float) -> list[str]:
    # The name is wrapped on its own so a long one never leaves "Who:" alone on a line.
    if not who:
        return []
    lines = wrap(who, inner - text_width(WHO, SMALL), SMALL, max_lines=WHO_LINES)
    return [WHO + lines[0], *lines[1:]]


def _card_height(t: _CardText) -> float:
    h = TOP_STRIP + block_height(len(t.text), CARD_SIZE)
    if t.who:
        h += 4 + block_height(len(t.who), SMALL)
    if t.why:
        h += 8 + block_height(1, SMALL) + block_height(len(t.why), SMALL)  # label, then the why
    return h + PAD


def _width(n_steps: int) -> float:
    cols = min(max(n_steps, 1), PER_ROW)
    return max(2 * MARGIN + cols * (CARD_W + GAP) - GAP, MIN_W)


def _heading(process_map: ProcessMap) -> list[str]:
    if not process_map.process:
        return []
    return wrap(process_map.process, _width(len(process_map.steps)) - 2 * MARGIN, TITLE_SIZE, max_lines=2)


def _top(heading: list[str]) -> float:
    """Where the first row of cards starts: below the heading, if there is one."""
    return MARGIN + (block_height(len(heading), TITLE_SIZE) + 12 if heading else 0.0)


def process_layout(process_map: ProcessMap) -> list[StepBox]:
    """Where every step's card goes, in order. All cards share one height (the
    tallest card's), so every row lines up and the arrows run straight."""
    steps = process_map.steps
    return _layout(steps, [_card_text(s) for s in steps], _top(_heading(process_map)))


def _layout(steps: list[ProcessStep], texts: list[_CardText], top: float) -> list[StepBox]:
    card_h = max((_card_height(t) for t in texts), default=0.0)
    boxes = []
    for i, step in enumerate(steps):
        row, col = divmod(i, PER_ROW)
        x = MARGIN + col * (CARD_W + GAP)
        y = top + row * (card_h + ROW_GAP)
        boxes.append(StepBox(step.id, i + 1, row, col, x, y, CARD_W, card_h))
    return boxes


def _tooltip(step: ProcessStep, number: int) -> str:
    """The card's <title>: the step's full text first, so it can be found by it."""
    notes = [f"step {number}"]
    if step.who:
        notes.append(step.who)
    if step.breaks_down:
        notes.append(f"breaks down: {step.why}" if step.why else "breaks down")
    text = " ".join(step.text.split())  # a pasted tab or form feed reads as a space
    return f"{text} ({', '.join(notes)})"


def _badge(b: StepBox, breaks: bool) -> str:
    cx, cy = b.x + PAD + 9, b.y + PAD + 7
    return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" fill="{BREAKS if breaks else INK}"/>'
            + text_block([str(b.number)], cx, cy - 7, 11.5, anchor="middle", weight="bold", fill="#ffffff"))


def _breaks_tab(b: StepBox) -> str:
    # The word, not only the colour, says this step breaks down (reads in black and white).
    w = text_width(BREAKS_WORD, SMALL) + 12
    x, y = b.x + b.w - PAD - w, b.y + PAD - 2
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="18" rx="4" fill="{BREAKS}"/>'
            + text_block([BREAKS_WORD], x + w / 2, y + 2, SMALL, anchor="middle", weight="bold",
                         fill="#ffffff"))


def _card(step: ProcessStep, t: _CardText, b: StepBox) -> str:
    stroke, width, fill = (BREAKS, 3, BREAKS_FILL) if step.breaks_down else (MUTED, 1.5, "#ffffff")
    parts = [
        f'<g class="process-step"><title>{esc(_tooltip(step, b.number))}</title>',
        f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.0f}" height="{b.h:.1f}" rx="8" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>',
        _badge(b, step.breaks_down),
    ]
    if step.breaks_down:
        parts.append(_breaks_tab(b))
    x, y = b.x + PAD, b.y + TOP_STRIP
    parts.append(text_block(t.text, x, y, CARD_SIZE, fill=INK if step.text else MUTED))
    y += block_height(len(t.text), CARD_SIZE)
    if t.who:
        parts.append(text_block(t.who, x, y + 4, SMALL, fill=MUTED))
        y += 4 + block_height(len(t.who), SMALL)
    if t.why:
        parts.append(text_block(["What goes wrong:"], x, y + 8, SMALL, weight="bold", fill=BREAKS_INK))
        y += 8 + block_height(1, SMALL)
        parts.append(text_block(t.why, x, y, SMALL, fill=INK))
    parts.append("</g>")
    return "".join(parts)


def _arrow(a: StepBox, b: StepBox) -> str:
    """From one step to the next: straight along a row, or an elbow down to the next row."""
    line = f'stroke="{MUTED}" stroke-width="2" fill="none"'
    if a.row == b.row:
        y = a.y + a.h / 2
        x1, x2 = a.x + a.w + 2, b.x - 2
        return f'<path d="M{x1:.1f},{y:.1f} H{x2 - 7:.1f}" {line}/>' + arrowhead(x2, y)
    # Down from the last card, back along the gap between rows, down into the first card.
    x1, y1 = a.x + a.w / 2, a.y + a.h + 2
    x2, y2 = b.x + b.w / 2, b.y - 2
    mid = (a.y + a.h + b.y) / 2
    return (f'<path d="M{x1:.1f},{y1:.1f} V{mid:.1f} H{x2:.1f} V{y2 - 7:.1f}" {line} '
            f'stroke-linejoin="round"/>' + arrowhead(x2, y2, "down"))


def describe_process(process_map: ProcessMap) -> str:
    """The whole map in one sentence (the SVG's <desc>), for screen readers."""
    steps = []
    for i, s in enumerate(process_map.steps, start=1):
        words = f"{i}. {s.text}" + (f" ({s.who})" if s.who else "")
        if s.breaks_down:
            words += f", breaks down: {s.why}" if s.why else ", breaks down"
        steps.append(words)
    name = process_map.process or "Process map"
    return f"{name}: {'; '.join(steps) if steps else 'no steps yet'}."


def process_map_svg(process_map: ProcessMap, *, title: str = "Process map") -> str:
    """The process map as a standalone, accessible SVG document."""
    width = _width(len(process_map.steps))
    body = []
    heading = _heading(process_map)
    if heading:
        body.append(text_block(heading, MARGIN, MARGIN, TITLE_SIZE, weight="bold"))
    texts = [_card_text(s) for s in process_map.steps]  # wrapped once, for the layout and the cards
    top = _top(heading)
    boxes = _layout(process_map.steps, texts, top)
    for a, b in zip(boxes, boxes[1:], strict=False):
        body.append(_arrow(a, b))
    for step, t, b in zip(process_map.steps, texts, boxes, strict=True):
        body.append(_card(step, t, b))
    bottom = boxes[-1].y + boxes[-1].h if boxes else top
    if not boxes:
        lines = wrap(EMPTY, width - 2 * MARGIN, CARD_SIZE)
        body.append(text_block(lines, MARGIN, bottom, CARD_SIZE, fill=MUTED))
        bottom += block_height(len(lines), CARD_SIZE)
    return document(width, bottom + MARGIN, "".join(body), title=title, desc=describe_process(process_map))
