"""What the benchmark scripts share: their command line, best-of timing, and the
trivial SVG they measure a diagram against.

The scripts run as `python benchmarks/bench_x.py`, which puts this folder first on
`sys.path`, so they import this module by its bare name."""

from __future__ import annotations

import argparse
import sys
import timeit
from collections.abc import Callable

from ciwidgets.render.svg import document, esc


def parse_arguments(doc: str, argv: list[str] | None, *, repeat: int,
                    goal_help: str = "largest acceptable ratio") -> argparse.Namespace:
    """--repeat (how many times each measure runs; the best counts) and --goal."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--goal", type=float, default=None, help=goal_help)
    return parser.parse_args(argv)


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The shortest of `repeat` runs, in seconds: the others were slowed by something else."""
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best time of each function, alternating them so that a busy machine slows all alike."""
    best = {name: float("inf") for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            best[name] = min(best[name], best_of(fn, 1))
    return best


def goal_status(ratio: float, goal: float | None, what: str = "") -> int:
    """The script's exit status: 1, with a line on stderr, when `ratio` is above `goal`."""
    if goal is not None and ratio > goal:
        print(f"{what}above the goal of {goal:g}x", file=sys.stderr)
        return 1
    return 0


def trivial_svg(width: float, height: float, n_boxes: int, n_lines: int, n_edges: int = 0, *,
                box_width: int = 200, connectors: bool = False) -> str:
    """The same amount of markup as a diagram, placed without any thought: `n_boxes`
    boxes `box_width` wide (each with a short line off its right side when `connectors`),
    `n_lines` lines of text and `n_edges` routed links."""
    body = []
    for i in range(n_boxes):
        body.append(f'<rect x="10" y="{i * 50}" width="{box_width}" height="40" fill="#fff" stroke="#000"/>')
        if connectors:
            body.append(f'<line x1="{box_width + 10}" y1="{i * 50}" x2="{box_width + 50}" y2="{i * 50}" '
                        'stroke="#000"/>')
    for i in range(n_lines):
        body.append(f'<text x="20" y="{i * 16}"><tspan>{esc("text line")}</tspan></text>')
    for i in range(n_edges):
        body.append(f'<path d="M0,{i} L100,{i} L100,{i + 50} L200,{i + 50}" stroke="#000"/>')
    return document(width, height, "".join(body), title="Baseline", desc="Baseline")
