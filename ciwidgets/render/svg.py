"""Small shared SVG toolkit: escaping, text wrapping, boxes, the document frame.

Every renderer builds SVG through these helpers so that no user string reaches
the markup unescaped and every diagram carries a <title>/<desc> for screen readers.
Pure Python; no Jupyter imports."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape as _html_escape

# Okabe-Ito: a palette that stays distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",
)
INK = "#1f2933"
MUTED = "#616e7c"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# Characters XML 1.0 forbids even when escaped; a pasted control byte must not break the SVG.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def esc(text: object) -> str:
    """Escape any user text for SVG/HTML element content and attribute values."""
    return _html_escape(_INVALID_XML.sub("\ufffd", str(text)), quote=True)


# Advance widths (em) of DejaVu Sans, rounded up: the widest of the faces `FONT` falls back
# to on the computers schools use (Linux's system-ui; Segoe UI, San Francisco and Roboto
# are narrower), so text laid out without a font engine never runs out of its box.
_WIDTHS = {ch: em for em, chars in (
    (0.28, "ijl'"), (0.3, "IJ"), (0.32, ",. "), (0.34, "/:;\\|"), (0.36, "f"), (0.37, "-"),
    (0.4, "t()[]"), (0.41, "!"), (0.42, "r"), (0.46, '"'), (0.5, "*_`"), (0.53, "sz"), (0.54, "?"),
    (0.55, "c"), (0.56, "L"), (0.58, "kF"), (0.6, "vxy"), (0.61, "P"), (0.62, "aeoTY"),
    (0.64, "0123456789bdghnpquES${}"), (0.66, "K"), (0.69, "ABVXZ"), (0.7, "CR"), (0.74, "U"),
    (0.75, "N"), (0.76, "H"), (0.78, "DG&"), (0.79, "OQ"), (0.82, "w"), (0.84, "#+<=>^~"),
    (0.87, "M"), (0.96, "%"), (0.98, "m"), (0.99, "W"), (1.0, "@"),
) for ch in chars}


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> float:
    """Advance width of one character, in em."""
    if ch in _WIDTHS:
        return _WIDTHS[ch]
    if ord(ch) > 0x2E80:  # CJK and other full-width scripts
        return 1.0
    if ch.isupper():
        return 0.8
    return 0.66 if ch.isalnum() else 1.0  # accented letters; dashes, quotes and symbols at their widest


def text_width(text: str, size: float) -> float:
    """Estimated rendered width of `text` in px at font size `size`."""
    return _sum_em(text) * size


def wrap(text: str, width: float, size: float, max_lines: int | None = None) -> list[str]:
    """Greedy word wrap to `width` px; words longer than a line are split.
    With `max_lines`, the last kept line ends with an ellipsis.

    Widths are summed as the line grows (never re-measured from the start), and the
    wrap stops once `max_lines` are settled, so a 5000-character paste with no space
    in it costs milliseconds, not minutes."""
    lines: list[str] = []
    line, line_em = "", 0.0
    for word in str(text).split():
        if max_lines is not None and len(lines) > max_lines:
            break
        word_em = _sum_em(word)
        if word_em * size > width:
            while (cut := _fitting_prefix(word, size, width)) < len(word):  # hard-split a long word
                if line:
                    lines.append(line)
                    line, line_em = "", 0.0
                cut = max(cut, 1)
                lines.append(word[:cut])
                word = word[cut:]
                if max_lines is not None and len(lines) > max_lines:
                    break
            word_em = _sum_em(word)
        # Summed in reading order, exactly as text_width() would sum the joined line.
        candidate_em = line_em
        if line:
            candidate_em += _char_width(" ")
        for ch in word:
            candidate_em += _char_width(ch)
        if candidate_em * size <= width:
            line, line_em = (f"{line} {word}" if line else word), candidate_em
        else:
            lines.append(line)
            line, line_em = word, word_em
    if line:
        lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]


def _sum_em(text: str) -> float:
    """Width of `text` in em (character by character, in reading order)."""
    total = 0.0
    for ch in text:
        total += _char_width(ch)
    return total


def _fitting_prefix(word: str, size: float, width: float) -> int:
    """How many leading characters of `word` fit in `width` (0 if not even one)."""
    total, cut = 0.0, 0
    for ch in word:
        total += _char_width(ch)
        if total * size > width:
            break
        cut += 1
    return cut


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in SVG user units."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (
            self.right + gap <= other.x
            or other.right + gap <= self.x
            or self.bottom + gap <= other.y
            or other.bottom + gap <= self.y
        )


def text_block(
    lines: list[str], x: float, y: float, size: float, *, anchor: str = "start",
    weight: str = "normal", fill: str = INK, line_height: float = 1.25, cls: str = "",
) -> str:
    """A <text> element with one <tspan> per line; `y` is the top of the block."""
    attrs = f' class="{esc(cls)}"' if cls else ""
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + size * (0.95 + i * line_height):.1f}">{esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text{attrs} font-size="{size:g}" font-weight="{weight}" fill="{fill}" '
        f'text-anchor="{anchor}">{spans}</text>'
    )


def arrowhead(x: float, y: float, direction: str = "right", fill: str = MUTED) -> str:
    """An arrowhead with its tip at (x, y), pointing right or down."""
    shape = "l-9,-5 l0,10 z" if direction == "right" else "l-5,-9 l10,0 z"
    return f'<path d="M{x:.1f},{y:.1f} {shape}" fill="{fill}"/>'


def block_height(n_lines: int, size: float, line_height: float = 1.25) -> float:
    return size * (0.95 + (n_lines - 1) * line_height) + size * 0.3


def document(width: float, height: float, body: str, *, title: str, desc: str) -> str:
    """A standalone SVG document with an accessible title and description.

    The ids are derived from the content, so two diagrams on one page never share
    an id while the same diagram always renders to the same bytes."""
    # surrogatepass: a lone surrogate pasted by a visitor must not crash the hash (esc
    # replaces it in the markup itself).
    seed = f"{title}\0{desc}\0{body}".encode("utf-8", "surrogatepass")
    uid = hashlib.blake2s(seed, digest_size=4).hexdigest()
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="t-{uid} d-{uid}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="{esc(FONT)}">'
        f'<title id="t-{uid}">{esc(title)}</title><desc id="d-{uid}">{esc(desc)}</desc>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>'
    )


def to_png(svg: str, scale: float = 2.0) -> bytes:
    """Rasterise an SVG offline (vl-convert's bundled renderer); imported lazily
    because the first call starts a V8 engine."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=scale)
