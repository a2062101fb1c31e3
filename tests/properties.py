"""How many examples each property test (hypothesis) tries: the suite's number, times
$PROPERTY_RUNS. `make properties` runs them many times longer, now and then, to look
further for the rare input that breaks something (two real input bugs were found so)."""

from __future__ import annotations

import os

SCALE = max(1, int(os.environ.get("PROPERTY_RUNS", "1")))


def examples(n: int) -> int:
    return n * SCALE
