"""How long the largest driver diagram takes to render, as a ratio to a trivial SVG.

The largest diagram a team should draw: 6 primary drivers x 5 secondary drivers each x 5
change ideas each (30 secondary drivers, 150 change ideas), with many-to-many links at
both levels. The baseline, measured in the same run on the same machine, writes an SVG of
the same size with the same number of boxes, text lines and lines, but no layout, wrapping
or routing: the ratio is what the real work costs, whatever the machine.

    .venv/bin/python benchmarks/bench_driver.py [--repeat 7] [--goal 60]

Prints one line per measure; with --goal, exits 1 when the ratio is above it."""

from __future__ import annotations

import sys

from _timing import best_of, goal_status, parse_arguments, trivial_svg

from ciwidgets.api.theory import sample_project
from ciwidgets.render.driver import driver_diagram_svg, driver_layout


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(__doc__, argv, repeat=7)

    project = sample_project(6, 5, 5)
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
    return goal_status(ratio, args.goal)


if __name__ == "__main__":
    sys.exit(main())
