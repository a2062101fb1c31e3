"""How fast the run-chart rules and the run-chart drawing are, as ratios to baselines
measured in the same run on the same machine.

1. `analyze_run_chart` on 100,000 points against `numpy.median` of the same data (the
   one step every analysis needs). Goal: at most 10x. Noisy data is the hard case:
   thousands of shifts and trends to report. Measured with the data as a numpy array
   and as a Python list (both functions then convert it).
2. Drawing a 500-point run chart (three PDSA cycles, a goal, a frozen baseline and two
   phases) to SVG against drawing a trivial one-point Vega-Lite chart with the same
   converter: the ratio is what the chart's layers, labels and analysis cost on top of
   vl-convert's fixed price. The time to build the specification alone is reported too.

    .venv/bin/python benchmarks/bench_runchart.py [--repeat 15] [--goal 10]

Prints one line per measure; with --goal, exits 1 when the analysis ratio (array input)
is above it."""

from __future__ import annotations

import datetime as dt
import random
import sys

import numpy as np
from _timing import goal_status, interleaved, parse_arguments

from ciwidgets.analysis import analyze_run_chart
from ciwidgets.model import ChangeIdea, Measure, Observation, PDSACycle, Project
from ciwidgets.render.runchart import chart_svg, run_chart_spec, run_chart_svg


def noisy(n: int, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [round(rng.gauss(50, 8), 1) for _ in range(n)]


def long_chart(n: int = 500) -> Project:
    start = dt.date(2016, 1, 4)
    idea = ChangeIdea(text="Standards-based lesson-planning slide deck")
    measure = Measure(name="Exit-ticket mastery", unit="%", target=60, baseline_points=20,
                      phase_starts=[start + dt.timedelta(weeks=n // 3), start + dt.timedelta(weeks=2 * n // 3)])
    project = Project(team_id="t-bench", measures=[measure])
    project.driver_diagram.change_ideas.append(idea)
    project.observations = [
        Observation(measure_id=measure.id, date=start + dt.timedelta(weeks=k), value=v)
        for k, v in enumerate(noisy(n, seed=2))
    ]
    project.pdsa_cycles = [
        PDSACycle(change_idea_id=idea.id, cycle_number=k + 1, start_date=start + dt.timedelta(weeks=w))
        for k, w in enumerate((40, n // 3, 2 * n // 3))
    ]
    return project


TRIVIAL = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "data": {"values": [{"date": "2026-01-05", "value": 1}]},
    "mark": "point",
    "encoding": {"x": {"field": "date", "type": "temporal"}, "y": {"field": "value", "type": "quantitative"}},
}


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

    project = long_chart()
    measure_id = project.measures[0].id
    import vl_convert

    vl_convert.vegalite_to_svg(TRIVIAL)  # start the engine outside the timing
    spec = run_chart_spec(project, measure_id)
    d = interleaved({
        "trivial": lambda: vl_convert.vegalite_to_svg(TRIVIAL),
        "spec": lambda: run_chart_spec(project, measure_id),
        "svg": lambda: run_chart_svg(project, measure_id),
        "convert": lambda: chart_svg(spec, title="t", desc="d"),
    }, args.repeat)
    print("drawing: 500 points, 3 PDSA cycles, goal, frozen baseline, 3 phases")
    print(f"trivial 1-point chart via vl-convert  {d['trivial'] * 1000:8.2f} ms   1.0x")
    print(f"run_chart_spec (analysis + layers)    {d['spec'] * 1000:8.2f} ms   {d['spec'] / d['trivial']:.1f}x")
    print(f"vl-convert of that spec (+titles)     {d['convert'] * 1000:8.2f} ms   {d['convert'] / d['trivial']:.1f}x")
    print(f"run_chart_svg (everything)            {d['svg'] * 1000:8.2f} ms   {d['svg'] / d['trivial']:.1f}x")
    return goal_status(ratio, args.goal, f"analysis is {ratio:.1f}x numpy.median, ")


if __name__ == "__main__":
    sys.exit(main())
