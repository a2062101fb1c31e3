"""How long a 60-cause fishbone takes to redraw, as a ratio to a trivial SVG.

A redraw happens after every committed edit, so it must stay well under a blink.
The fishbone: seven categories, 60 causes of one to three lines (a third of them
sub-causes), dots from seven members. The baseline, measured in the same run on the
same machine, writes an SVG of the same size with the same number of boxes, text
lines and connecting lines, but no layout, wrapping, ranking or description: the
ratio is what the real work costs, whatever the machine.

    .venv/bin/python benchmarks/bench_fishbone.py [--repeat 7] [--goal 40]

Prints one line per measure; with --goal, exits 1 when the redraw ratio is above it.
(Wrapped cause texts are cached, so a redraw after one edit re-wraps only that cause;
the first draw, with nothing cached, is reported too.)"""

from __future__ import annotations

import random
import sys

from _timing import best_of, goal_status, parse_arguments, trivial_svg

from ciwidgets.analysis.rootcause import set_votes
from ciwidgets.model import Cause, Fishbone
from ciwidgets.render.fishbone import (
    _drawn,
    _wrapped,
    describe_fishbone,
    fishbone_svg,
    layout_fishbone,
)

WORDS = ("students teachers time math exit tickets families schedule data coaching "
         "vocabulary planning standards homework attendance belonging").split()


def sixty_cause_fishbone(seed: int = 7) -> Fishbone:
    """60 causes spread unevenly over the seven school categories, some nested."""
    rnd = random.Random(seed)
    fb = Fishbone(problem="Only 17% of our students meet or exceed the state math standard")
    for i in range(60):
        parent = rnd.choice(fb.causes) if fb.causes and rnd.random() < 0.33 else None
        category = parent.category_id if parent else rnd.choice(fb.categories).id
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 14)))
        fb.causes.append(Cause(category_id=category, parent_id=parent.id if parent else None,
                               text=f"Cause {i}: {text}", in_our_control=rnd.choice([True, False, None])))
    for member in range(7):
        set_votes(fb, f"Member {member}", rnd.sample([c.id for c in fb.causes], 3))
    return fb


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(__doc__, argv, repeat=7)

    fishbone = sixty_cause_fishbone()
    layout = layout_fishbone(fishbone)
    boxes = layout.boxes()
    n_lines = sum(len(p.lines) for p in layout.causes) + sum(len(c.label_lines) for c in layout.categories)
    shape = (layout.width, layout.height, len(boxes), n_lines)

    # Each cause box with the short line it hangs from.
    baseline = best_of(lambda: trivial_svg(*shape, box_width=180, connectors=True), args.repeat)
    layout_only = best_of(lambda: layout_fishbone(fishbone), args.repeat)
    words = best_of(lambda: describe_fishbone(fishbone), args.repeat)
    def redraw() -> str:  # after an edit: a diagram new to the drawing cache, its texts wrapped already
        _drawn.cache_clear()
        return fishbone_svg(fishbone)

    def first_draw() -> str:
        _drawn.cache_clear()
        _wrapped.cache_clear()
        return fishbone_svg(fishbone)

    render = best_of(redraw, args.repeat)

    cold = best_of(first_draw, args.repeat)
    ratio = render / baseline

    print(f"fishbone: {len(fishbone.causes)} causes, {len(boxes)} boxes, {n_lines} text lines, "
          f"{layout.width:.0f} x {layout.height:.0f} px")
    print(f"trivial SVG of the same size         {baseline * 1000:8.2f} ms   1.0x")
    print(f"layout_fishbone                      {layout_only * 1000:8.2f} ms   {layout_only / baseline:.1f}x")
    print(f"describe_fishbone (screen readers)   {words * 1000:8.2f} ms   {words / baseline:.1f}x")
    print(f"fishbone_svg, first draw             {cold * 1000:8.2f} ms   {cold / baseline:.1f}x")
    print(f"fishbone_svg, redraw after an edit   {render * 1000:8.2f} ms   {ratio:.1f}x")
    return goal_status(ratio, args.goal)


if __name__ == "__main__":
    sys.exit(main())
