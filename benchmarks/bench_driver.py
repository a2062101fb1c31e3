"""How long the largest driver diagram takes to render, as a ratio to a trivial SVG.

The largest diagram a team should draw: 6 primary drivers x 5 secondary drivers each x 5
change ideas each (30 secondary drivers, 150 change ideas), with many-to-many links at
both levels. The baseline, measured in the same run on the same machine, writes an SVG of
the same size with the same number of boxes, text lines and lines, but no layout, wrapping
or routing: the ratio is what the real work costs, whatever the machine.

    .venv/bin/python benchmarks/bench_driver.py [--repeat 7] [--goal 60]

Prints one line per measure; with --goal, exits 1 when the ratio is above it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import timeit

from ciwidgets.analysis import theory as T
from ciwidgets.model import Aim, Project
from ciwidgets.render.driver import driver_diagram_svg, driver_layout
from ciwidgets.render.svg import document, esc


def largest_diagram(n_primary: int = 6, n_secondary: int = 5, n_ideas: int = 5) -> Project:
    """6 x 5 x 5 with a second parent for the first secondary driver of each primary
    and for the first change idea of each secondary driver."""
    p = Project(team_id="t-bench", title="Benchmark")
    p.aim = Aim(what="read on grade level", for_whom="third graders", baseline=40, target=60, unit="%",
                by_when=dt.date(2030, 5, 31))
    primaries = [T.add_primary_driver(p, f"Primary driver {i}: a fairly long name that wraps") for i in range(n_primary)]
    secondaries = []
    for i, primary in enumerate(primaries):
        for j in range(n_secondary):
            links = [primary.id] + ([primaries[(i + 1) % n_primary].id] if j == 0 else [])
            secondaries.append(T.add_secondary_driver(p, f"Secondary driver {i}.{j} in the school system", links))
    for k, secondary in enumerate(secondaries):
        for m in range(n_ideas):
            links = [secondary.id] + ([secondaries[(k + 2) % len(secondaries)].id] if m == 0 else [])
            T.add_change_idea(p, f"Change idea {k}.{m}: a small test of a change worth trying", links)
    return p


def trivial_svg(width: float, height: float, n_boxes: int, n_lines: int, n_edges: int) -> str:
    """The same amount of markup, placed without any thought."""
    body = []
    for i in range(n_boxes):
        body.append(f'<rect x="10" y="{i * 50}" width="200" height="40" fill="#fff" stroke="#000"/>')
    for i in range(n_lines):
        body.append(f'<text x="20" y="{i * 16}"><tspan>{esc("text line")}</tspan></text>')
    for i in range(n_edges):
        body.append(f'<path d="M0,{i} L100,{i} L100,{i + 50} L200,{i + 50}" stroke="#000"/>')
    return document(width, height, "".join(body), title="Baseline", desc="Baseline")


def best_of(fn, repeat: int) -> float:
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--goal", type=float, default=None, help="largest acceptable ratio")
    args = parser.parse_args(argv)

    project = largest_diagram()
    layout = driver_layout(project)
    n_lines = sum(len(n.lines) for n in layout.nodes.values())
    shape = (layout.width, layout.height, len(layout.nodes), n_lines, len(layout.edges))

    baseline = best_of(lambda: trivial_svg(*shape), args.repeat)
    render = best_of(lambda: driver_diagram_svg(project), args.repeat)
    layout_only = best_of(lambda: driver_layout(project), args.repeat)
    ratio = render / baseline

    print(f"diagram: {len(layout.nodes)} boxes, {n_lines} text lines, {len(layout.edges)} links, "
          f"{layout.width:.0f} x {layout.height:.0f} px")
    print(f"trivial SVG of the same size     {baseline * 1000:8.2f} ms   1.0x")
    print(f"driver_layout                    {layout_only * 1000:8.2f} ms   {layout_only / baseline:.1f}x")
    print(f"driver_diagram_svg (layout+SVG)  {render * 1000:8.2f} ms   {ratio:.1f}x")
    if args.goal is not None and ratio > args.goal:
        print(f"above the goal of {args.goal:g}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
