"""PDSA ramps as a small SVG: each change idea's cycles in order, climbing.

A ramp reads left to right: every cycle is a card (its number, its scale and
its decision) set a little higher than the one before, the way coaches draw a
ramp of tests that grows from one teacher to a whole school. Decisions carry a
word as well as a colour, so the picture reads in black and white too.

Pure: takes the ramp summary of `ciwidgets.analysis.inquiry`, returns SVG text
built with the shared toolkit (every user string escaped there)."""

from __future__ import annotations

from collections.abc import Sequence

from .svg import INK, MUTED, PALETTE, arrowhead, block_height, document, esc, text_block, wrap

CARD_W, CARD_H = 176.0, 90.0
GAP = 34.0  # room for the arrow between two cards
RISE = 12.0  # how much higher each next cycle sits
MARGIN = 16.0
TITLE_SIZE, CARD_SIZE = 15.0, 13.0
MAX_RISE_STEPS = 6  # a long ramp stops climbing so it stays short
SCALE_LINES = 4  # a card grows to hold a scale this long

DECISION_COLOURS = {
    "adopt": PALETTE[2],  # bluish green
    "adapt": PALETTE[1],  # orange
    "abandon": PALETTE[5],  # vermillion
}
DECISION_WORDS = {
    "adopt": "Adopt",
    "adapt": "Adapt",
    "abandon": "Abandon",
    "planning": "Planning",
    "doing": "Doing",
    "studying": "Studying",
}


def _scale_lines(step) -> list[str]:
    return wrap(step.scale or "scale not set", CARD_W - 20, CARD_SIZE, max_lines=SCALE_LINES)


def _card_height(steps: Sequence) -> float:
    """One height for a ramp's cards: tall enough for its longest scale (up to
    SCALE_LINES lines; beyond that the card's hover text has it all)."""
    lines = max((len(_scale_lines(s)) for s in steps), default=1)
    return CARD_H + max(lines - 2, 0) * CARD_SIZE * 1.25


def _card(step, x: float, y: float, height: float) -> str:
    colour = DECISION_COLOURS.get(step.stage, MUTED)
    decided = step.stage in DECISION_COLOURS
    dash = "" if decided else ' stroke-dasharray="5 3"'
    label = DECISION_WORDS.get(step.stage, step.stage)
    hover = f"Cycle {step.cycle_number}" + (f", {step.scale}" if step.scale else "") + f": {label}"
    parts = [
        f"<title>{esc(hover)}</title>",
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{CARD_W:.0f}" height="{height:.0f}" rx="8" '
        f'fill="#ffffff" stroke="{colour}" stroke-width="2"{dash}/>',
        text_block([f"Cycle {step.cycle_number}"], x + 10, y + 8, CARD_SIZE, weight="bold"),
        text_block(_scale_lines(step), x + 10, y + 27, CARD_SIZE, fill=INK if step.scale else MUTED),
    ]
    # The decision as a word on a coloured tab: colour is never the only cue.
    tab_y = y + height - 22
    if decided:
        parts.append(
            f'<rect x="{x + 8:.1f}" y="{tab_y:.1f}" width="{CARD_W - 16:.0f}" height="16" rx="4" '
            f'fill="{colour}"/>'
        )
        text_fill = INK if step.stage == "adapt" else "#ffffff"
        parts.append(text_block([label], x + CARD_W / 2, tab_y + 1, 11, anchor="middle",
                                weight="bold", fill=text_fill))
    else:
        parts.append(text_block([label], x + 10, tab_y + 1, 11, fill=MUTED))
    return f'<g class="ramp-cycle">{"".join(parts)}</g>'


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<path d="M{x1:.1f},{y1:.1f} L{x2 - 7:.1f},{y2:.1f}" stroke="{MUTED}" stroke-width="2" '
        f'fill="none"/>' + arrowhead(x2, y2)
    )


def _describe(ramps: Sequence) -> str:
    sentences = []
    for ramp in ramps:
        steps = "; ".join(
            f"cycle {s.cycle_number}" + (f", {s.scale}" if s.scale else "") + f", {s.stage}"
            for s in ramp.steps
        ) or "no cycles yet"
        sentences.append(f"{ramp.change_idea}: {steps}.")
    return " ".join(sentences) or "No PDSA cycles yet."


def ramp_svg(ramps: Sequence, *, title: str = "PDSA ramps") -> str:
    """Draw the ramps (from `ramp_summary`) one under the other."""
    longest = max((len(r.steps) for r in ramps), default=0)
    width = max(MARGIN * 2 + max(longest, 1) * (CARD_W + GAP) - GAP, 420.0)
    body: list[str] = []
    y = MARGIN
    if not ramps:
        body.append(text_block(["No PDSA cycles yet: plan the first one in the worksheet."],
                               MARGIN, y, CARD_SIZE, fill=MUTED))
        y += block_height(1, CARD_SIZE) + MARGIN
    for ramp in ramps:
        heading = wrap(ramp.change_idea, width - 2 * MARGIN, TITLE_SIZE, max_lines=3)
        body.append(text_block(heading, MARGIN, y, TITLE_SIZE, weight="bold"))
        y += block_height(len(heading), TITLE_SIZE) + 8
        if not ramp.steps:
            body.append(text_block(["Not tested yet."], MARGIN, y, CARD_SIZE, fill=MUTED))
            y += block_height(1, CARD_SIZE) + MARGIN
            continue
        top = y + min(len(ramp.steps) - 1, MAX_RISE_STEPS) * RISE
        height = _card_height(ramp.steps)
        previous = None
        for i, step in enumerate(ramp.steps):
            x = MARGIN + i * (CARD_W + GAP)
            card_y = top - min(i, MAX_RISE_STEPS) * RISE
            if previous is not None:
                px, py = previous
                body.append(_arrow(px + CARD_W + 2, py + height / 2, x - 2, card_y + height / 2))
            body.append(_card(step, x, card_y, height))
            previous = (x, card_y)
        y = top + height + MARGIN * 1.5
    return document(width, y, "".join(body), title=title, desc=_describe(ramps))

