"""How fast the run-chart rules and the run-chart drawing are, as ratios to baselines
measured in the same run on the same machine.

1. `analyze_run_chart` on 100,000 points against `numpy.median` of the same data (the
   one step every analysis needs). Goal: at most 10x. Noisy data is the hard case:
   thousands of shifts and trends to report. Measured with the data as a numpy array
   and as a Python list (both functions then convert it).
2. Drawing two charts with `run_chart_svg`, as the widget does after every edit: a
   Study-app chart (60 points, 6 PDSA cycles, a goal, a frozen baseline) and a long one
   (500 points, three PDSA cycles, a goal, a frozen baseline and three phases). The
   baseline is an SVG of the same size with as many marks and text lines, placed
   without any thought (`trivial_svg`): the ratio is what the analysis, the layout and
   the hover texts cost. The analysis alone, the disagreement view and the subgroup
   view are reported too, and, for comparison, the Vega-Lite chart for researchers
   converted by vl-convert (`chart_svg`), the path the widget used before.

    .venv/bin/python benchmarks/bench_runchart.py [--repeat 15] [--goal 10]

Prints one line per measure; with --goal, exits 1 when the analysis ratio (array input)
is above it."""

from __future__ import annotations

import datetime as dt
import random
import sys

import numpy as np
from _timing import goal_status, interleaved, parse_arguments, trivial_svg

from ciwidgets.analysis import analyze_run_chart
from ciwidgets.model import ChangeIdea, Measure, Observation, PDSACycle, Project
from ciwidgets.render.runchart import (
    RUN_CHART,
    chart_svg,
    measure_series,
    run_chart_spec,
    run_chart_svg,
)


def noisy(n: int, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [round(rng.gauss(50, 8), 1) for _ in range(n)]


def chart(n: int, cycle_weeks: tuple[int, ...], *, phases: bool, subgroups: bool = False) -> Project:
    """A weekly measure of `n` noisy points with a goal and a frozen baseline, PDSA
    cycles of three change ideas at `cycle_weeks`, optionally three phases and two
    subgroups."""
    start = dt.date(2016, 1, 4)
    ideas = [ChangeIdea(text=t) for t in ("Standards-based lesson-planning slide deck", "Exit tickets as data points",
                                          "Re-teach groups on Fridays")]
    starts = [start + dt.timedelta(weeks=n // 3), start + dt.timedelta(weeks=2 * n // 3)] if phases else []
    measure = Measure(name="Exit-ticket mastery", unit="%", target=60, baseline_points=20, phase_starts=starts)
    project = Project(team_id="t-bench", measures=[measure])
    project.driver_diagram.change_ideas.extend(ideas)
    project.observations = [
        Observation(measure_id=measure.id, date=start + dt.timedelta(weeks=k), value=v)
        for k, v in enumerate(noisy(n, seed=2))
    ]
    for seed, name in enumerate(("English-only", "Multilingual learners") if subgroups else (), start=3):
        project.observations += [
            Observation(measure_id=measure.id, date=start + dt.timedelta(weeks=k), value=v, subgroup=name)
            for k, v in enumerate(noisy(n, seed=seed))
        ]
    project.pdsa_cycles = [
        PDSACycle(change_idea_id=ideas[k % 3].id, cycle_number=k // 3 + 1, start_date=start + dt.timedelta(weeks=w))
        for k, w in enumerate(cycle_weeks)
    ]
    return project


def same_size_svg(svg: str, n_points: int) -> str:
    """The trivial SVG with as many marks and text lines as `svg` (see `_timing`)."""
    width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    height = float(svg.split('height="', 1)[1].split('"', 1)[0])
    return trivial_svg(width, height, n_points, svg.count("<text"), box_width=10)


def drawing(name: str, project: Project, repeat: int) -> None:
    measure_id = project.measures[0].id
    main_series, _ = measure_series(project, measure_id)
    measure = project.measures[0]
    svg = run_chart_svg(project, measure_id)
    spec = run_chart_spec(project, measure_id)
    chart_svg(spec, title="t", desc="d")  # start vl-convert's engine outside the timing
    d = interleaved({
        "trivial": lambda: same_size_svg(svg, len(main_series.values)),
        "analysis": lambda: RUN_CHART.analyse(main_series, measure, "ihi"),
        "svg": lambda: run_chart_svg(project, measure_id),
        "disagreement": lambda: run_chart_svg(project, measure_id, view="disagreement"),
        "subgroups": lambda: run_chart_svg(project, measure_id, subgroups=True),
        "vega": lambda: chart_svg(run_chart_spec(project, measure_id), title="t", desc="d"),
    }, repeat)
    base = d["trivial"]
    print(f"drawing: {name}, {len(svg) / 1000:.0f} KB of SVG")
    print(f"trivial SVG of the same size          {base * 1000:8.2f} ms   1.0x")
    print(f"analysis alone (IHI rules)            {d['analysis'] * 1000:8.2f} ms   {d['analysis'] / base:.1f}x")
    print(f"run_chart_svg                         {d['svg'] * 1000:8.2f} ms   {d['svg'] / base:.1f}x")
    print(f"run_chart_svg, where rules disagree   {d['disagreement'] * 1000:8.2f} ms   "
          f"{d['disagreement'] / base:.1f}x")
    print(f"run_chart_svg, with subgroups         {d['subgroups'] * 1000:8.2f} ms   {d['subgroups'] / base:.1f}x")
    print(f"Vega-Lite via vl-convert (before)     {d['vega'] * 1000:8.2f} ms   {d['vega'] / base:.1f}x"
          f"   ({d['vega'] / d['svg']:.0f}x run_chart_svg)")


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(__doc__, argv, repeat=15, goal_help="largest acceptable analysis ratio")

    values = noisy(100_000)
    array = np.asarray(values)
    result = analyze_run_chart(array)  # also warms the caches (binomial quantile)
    analyze_run_chart(array, rules="anhoej")
    print(f"analysis: 100,000 points, {len(result.shifts)} shifts, {len(result.trends)} trends (IHI)")
    t = interleaved({
        "median (array)": lambda: np.median(array),
        "IHI (array)": lambda: analyze_run_chart(array),
        "Anhøj (array)": lambda: analyze_run_chart(array, rules="anhoej"),
        "median (list)": lambda: np.median(values),
        "IHI (list)": lambda: analyze_run_chart(values),
        "Anhøj (list)": lambda: analyze_run_chart(values, rules="anhoej"),
    }, args.repeat)
    for kind in ("array", "list"):
        base = t[f"median ({kind})"]
        print(f"numpy.median ({kind:5})            {base * 1000:8.2f} ms   1.0x")
        for rules in ("IHI", "Anhøj"):
            name = f"{rules} ({kind})"
            print(f"analyze_run_chart {name:15}  {t[name] * 1000:8.2f} ms   {t[name] / base:.1f}x")
    ratio = t["IHI (array)"] / t["median (array)"]

    drawing("60 points, 6 PDSA cycles, goal, frozen baseline (2 subgroups)",
            chart(60, (4, 10, 18, 26, 37, 50), phases=False, subgroups=True), args.repeat)
    drawing("500 points, 3 PDSA cycles, goal, frozen baseline, 3 phases",
            chart(500, (40, 500 // 3, 2 * 500 // 3), phases=True), args.repeat)
    return goal_status(ratio, args.goal, f"analysis is {ratio:.1f}x numpy.median, ")


if __name__ == "__main__":
    sys.exit(main())
