"""Numbers as a person writes them, the same on every page, chart and printout."""

from __future__ import annotations

import math


def format_number(value: float | None) -> str:
    """62.5, 62, 1,234.5, 0.333, -2.25: at most two decimals, so a value reads back as it
    was typed (a team that entered 1,234.5 sees 1,234.5), and three significant digits
    below 1, where two decimals would hide the value (0.0012)."""
    if value is None or not math.isfinite(value):
        return "–"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(2, 2 - magnitude)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
