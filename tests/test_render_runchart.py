"""The run-chart renderer: what a team sees on the chart and in the exported files."""

from __future__ import annotations

import datetime as dt
import random
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciwidgets.analysis import analyze_series
from ciwidgets.analysis.runchart import format_date
from ciwidgets.model import (
    ChangeIdea,
    Measure,
    Observation,
    PDSACycle,
    Plan,
    Project,
    SecondaryDriver,
)
from ciwidgets.render import runchart as R
from ciwidgets.render import runchart_draw as D
from ciwidgets.render.svg import INK, MUTED, Box, text_width

from .properties import examples

SVG = "{http://www.w3.org/2000/svg}"
START = dt.date(2026, 9, 7)
HOSTILE = "<script>alert('x')</script> & \"quotes\""


def weeks(n: int) -> list[dt.date]:
    return [START + dt.timedelta(weeks=k) for k in range(n)]


def project_with(values, *, target=None, subgroups=None, cycles=(), **measure_fields) -> Project:
    """A project with one measure holding `values` weekly from 7 Sep 2026."""
    idea = ChangeIdea(text="Exit tickets as data points")
    measure = Measure(name="Exit-ticket mastery", unit="%", target=target, **measure_fields)
    project = Project(team_id="t-1", measures=[measure])
    project.driver_diagram.change_ideas.append(idea)
    for day, value in zip(weeks(len(values)), values, strict=True):
        project.observations.append(Observation(measure_id=measure.id, date=day, value=value))
    for name, group_values in (subgroups or {}).items():
        for day, value in zip(weeks(len(group_values)), group_values, strict=True):
            project.observations.append(Observation(measure_id=measure.id, date=day, value=value, subgroup=name))
    for number, week in enumerate(cycles, start=1):
        project.pdsa_cycles.append(PDSACycle(
            change_idea_id=idea.id, cycle_number=number, start_date=START + dt.timedelta(weeks=week),
            plan=Plan(scale="three teachers"), question="Do exit tickets help us regroup?",
        ))
    return project


def data_rows(spec) -> list[dict]:
    """Every data row of a chart specification (all layers and panels)."""
    return [row for rows in spec["datasets"].values() for row in rows]


def point_rows(chart) -> list[dict]:
    return [r for r in data_rows(chart) if "status" in r]


def titles(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text for t in root.iter(f"{SVG}title")]


SHIFTED = [4, 6, 6, 4, 7, 8, 7, 9, 8, 7, 8, 9]  # baseline 4 -> median 5; 8 above from 5 Oct


# ----------------------------------------------------------------- points, median, signals


def test_points_carry_plain_language_tooltips_and_signals_are_highlighted():
    project = project_with(SHIFTED, baseline_points=4)
    chart = R.run_chart_spec(project, project.measures[0].id)
    points = point_rows(chart)
    assert [p["value"] for p in points] == SHIFTED
    assert [p["status"] for p in points] == ["Data"] * 4 + ["Part of a signal"] * 8
    assert points[0]["tip"] == "7 Sep 2026: 4 %."
    assert points[4]["tip"].startswith("5 Oct 2026: 7 %. Eight points in a row above the median")
    assert "It is in the direction you want." in points[4]["tip"]


def test_the_svg_is_accessible_and_every_point_has_a_hover_title():
    project = project_with(SHIFTED, baseline_points=4)
    svg = R.run_chart_svg(project, project.measures[0].id)
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img"
    found = titles(svg)
    assert found[0] == "Run chart: Exit-ticket mastery"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("12 points from 7 Sep 2026 to 23 Nov 2026; baseline median 5.")
    assert "Eight points in a row above the median" in desc
    assert sum(t.startswith(("7 Sep", "14 Sep", "5 Oct")) for t in found) == 3
    assert any(t.startswith("5 Oct 2026: 7 %. Eight points") for t in found)


def test_a_single_annual_point_says_so_plainly_on_a_scale_of_months():
    project = project_with([31])
    svg = R.run_chart_svg(project, project.measures[0].id)
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}desc").text.startswith("1 point, on 7 Sep 2026;")
    assert "One point so far: nothing to judge yet." in svg and "off the median" not in svg
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "x-tick"]
    assert (ticks[0], ticks[-1]) == ("10 Aug", "5 Oct")  # weeks either side, not a scale of single days


def test_frozen_baseline_is_drawn_solid_then_dashed_and_named_once():
    project = project_with(SHIFTED, baseline_points=4)
    measure = project.measures[0]
    main, _ = R.measure_series(project, measure.id)
    lines = R.RUN_CHART.reference_lines(R.RUN_CHART.analyse(main, measure, "ihi"))
    assert [(line.label, line.value, line.first, line.last, line.dashed) for line in lines] == [
        ("Baseline median", 5.0, START, START + dt.timedelta(weeks=3), False),
        ("Baseline median, extended", 5.0, START + dt.timedelta(weeks=3), START + dt.timedelta(weeks=11), True),
    ]
    texts = [r.get("text") for r in data_rows(R.run_chart_spec(project, measure.id))]
    assert texts.count("Baseline median 5") == 1


def test_each_phase_gets_its_own_median():
    values = [2, 3, 2, 3, 2, 3, 2, 3, 8, 9, 8, 9, 8, 9, 8, 9]
    project = project_with(values, phase_starts=[START + dt.timedelta(weeks=8)])
    chart = R.run_chart_spec(project, project.measures[0].id)
    texts = [r.get("text") for r in data_rows(chart)]
    assert "Median 2.5" in texts and "Median 8.5" in texts
    assert {"label": "Phase 2", "date": "2026-11-02"} in data_rows(chart)


def test_goal_line_comes_from_the_measures_target():
    with_goal = project_with(SHIFTED, target=35)
    texts = [r.get("text") for r in data_rows(R.run_chart_spec(with_goal, with_goal.measures[0].id))]
    assert "Goal 35" in texts
    without = project_with(SHIFTED)
    assert not any(str(r.get("text", "")).startswith("Goal") for r in data_rows(R.run_chart_spec(without, without.measures[0].id)))


def test_astronomical_points_are_marked_and_explained():
    project = project_with([5, 6, 5, 6, 40, 5, 6])
    marked = project.observations_of(project.measures[0].id)[4]
    project.measures[0].astronomical_ids = [marked.id]
    points = point_rows(R.run_chart_spec(project, project.measures[0].id))
    assert points[4]["status"] == "Marked astronomical"
    assert "Marked astronomical by the team" in points[4]["tip"]


def test_anhoej_rules_and_the_disagreement_view():
    values = [4, 6, 4, 6, 1, 1, 1, 5, 1, 1, 1]  # an IHI shift that Anhøj does not flag
    project = project_with(values, baseline_points=4)
    measure_id = project.measures[0].id
    anhoej = point_rows(R.run_chart_spec(project, measure_id, rules="anhoej"))
    assert {p["status"] for p in anhoej} == {"Data"}
    compared = point_rows(R.run_chart_spec(project, measure_id, view="disagreement"))
    assert [p["status"] for p in compared][4:7] == ["IHI only"] * 3
    assert compared[7]["status"] == "No signal"  # on the median: part of no run


# ----------------------------------------------------------------- PDSA annotations


def test_pdsa_cycles_are_annotated_at_their_start_dates():
    project = project_with(SHIFTED, cycles=[4, 8])
    rows = [r for r in data_rows(R.run_chart_spec(project, project.measures[0].id)) if "lane" in r or "top" in r]
    dated = sorted({r["date"] for r in rows})
    assert dated == ["2026-10-05", "2026-11-02"]
    labels = {r["text"] for r in rows if "text" in r}
    assert labels == {"Exit tickets as data points #1", "Exit tickets as data points #2"}
    assert all("three teachers" in r["tip"] for r in rows if "tip" in r)


def label_boxes(labels):
    boxes = []
    for label in labels:
        w = text_width(label.text, R.LABEL_SIZE) + 6
        left = label.x + 3 if label.align == "left" else label.x - 3 - w
        boxes.append((label.lane, Box(left, label.lane * R.LANE_HEIGHT, w, R.LANE_HEIGHT - 2)))
    return boxes


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=12))
def test_pdsa_labels_never_overlap(weeks_in):
    project = project_with([float(k % 5) for k in range(31)], cycles=sorted(weeks_in))
    cycles = R.related_cycles(project, project.measures[0])
    domain = (START, START + dt.timedelta(weeks=30))
    labels = R.layout_cycle_labels(project, cycles, domain, 640)
    assert len(labels) == len(weeks_in)
    boxes = label_boxes(labels)
    for i, (lane_a, a) in enumerate(boxes):
        for lane_b, b in boxes[i + 1:]:
            assert lane_a != lane_b or not a.overlaps(b)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.integers(0, 28), min_size=1, max_size=12))
def test_no_pdsa_rule_crosses_another_cycles_words(weeks_in):
    """Where labels overlap, an earlier cycle's sits higher: read top to bottom in time
    order, and each rule runs down past only later labels, which start to its right (a
    label turned left at the chart's right end may still be crossed)."""
    project = project_with([float(k % 5) for k in range(31)], cycles=sorted(weeks_in))
    labels = R.layout_cycle_labels(project, R.related_cycles(project, project.measures[0]),
                                   (START, START + dt.timedelta(weeks=30)), 640)
    boxes = label_boxes(labels)
    for rule, (lane, _box) in zip(labels, boxes, strict=True):
        for other, (other_lane, box) in zip(labels, boxes, strict=True):
            if other is not rule and other_lane < lane and other.align == "left":  # a label below this rule's own
                assert not box.x < rule.x < box.x + box.w


def test_overlapping_labels_read_top_to_bottom_in_time_order():
    project = project_with([1.0] * 31, cycles=[4, 5, 6])
    labels = R.layout_cycle_labels(project, project.pdsa_cycles, (START, START + dt.timedelta(weeks=30)), 640)
    assert [label.lane for label in labels] == [2, 1, 0]  # cycle 1 highest


def test_labels_near_the_right_edge_turn_left():
    project = project_with([1.0] * 31, cycles=[30])
    labels = R.layout_cycle_labels(project, project.pdsa_cycles, (START, START + dt.timedelta(weeks=30)), 640)
    assert labels[0].align == "right"


def test_a_measure_shows_the_cycles_of_the_change_ideas_it_follows():
    project = project_with(SHIFTED, cycles=[2])
    driver = SecondaryDriver(text="Planning through coaching cycles")
    other = ChangeIdea(text="DDI meetings", secondary_ids=[driver.id])
    project.driver_diagram.secondary_drivers.append(driver)
    project.driver_diagram.change_ideas.append(other)
    project.pdsa_cycles.append(PDSACycle(change_idea_id=other.id, start_date=START + dt.timedelta(weeks=5)))
    measure = project.measures[0]
    assert len(R.related_cycles(project, measure)) == 2  # linked to nothing: every cycle
    measure.linked_ids = [driver.id]
    assert [y.change_idea_id for y in R.related_cycles(project, measure)] == [other.id]
    measure.kind = "outcome"
    assert len(R.related_cycles(project, measure)) == 2


# ----------------------------------------------------------------- subgroups


def test_subgroups_are_small_multiples_each_judged_on_its_own():
    groups = {"Multilingual learners": [2, 3, 2, 3, 2], "English-only": [v + 1 for v in SHIFTED]}
    project = project_with(SHIFTED, subgroups=groups, baseline_points=4)
    chart = R.run_chart_spec(project, project.measures[0].id, subgroups=True)
    panels = chart["vconcat"][1]["hconcat"]
    names = [p["title"]["text"] for p in panels]
    assert names == ["English-only", "Multilingual learners"]
    assert panels[1]["title"]["subtitle"] == ["Too few points to judge yet: 5 off the median; a run chart needs at least 10."]
    assert panels[0]["title"]["subtitle"] == []
    english = [r for r in data_rows(chart) if "status" in r]
    assert [r["status"] for r in english].count("Part of a signal") == 16  # main + English-only


def test_only_subgroups_are_combined_per_date_for_the_main_chart():
    project = project_with([], subgroups={"A": [10, 20], "B": [30, 40]})
    main, groups = R.measure_series(project, project.measures[0].id)
    assert main.label == "All subgroups combined" and main.values == (20.0, 30.0)
    assert [g.label for g in groups] == ["A", "B"]
    for o in project.observations:
        o.denominator = 10 if o.subgroup == "A" else 30
    main, _ = R.measure_series(project, project.measures[0].id)
    assert main.values == (25.0, 35.0)  # weighted by the denominators


# ----------------------------------------------------------------- hostile text, export, kinds


def test_hostile_text_is_escaped_everywhere():
    project = project_with(SHIFTED, subgroups={HOSTILE: SHIFTED}, cycles=[3], target=7)
    project.measures[0].name = HOSTILE
    project.measures[0].unit = "<b>%</b>"
    project.driver_diagram.change_ideas[0].text = HOSTILE
    svg = R.run_chart_svg(project, project.measures[0].id, subgroups=True)
    root = ET.fromstring(svg)
    assert "<script" not in svg and "<b>" not in svg
    texts = [t for t in titles(svg) if t] + ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]
    assert any(HOSTILE in t for t in texts)


def test_svg_and_png_export_offline_and_repeatably():
    project = project_with(SHIFTED, cycles=[3], target=8)
    svg = R.run_chart_svg(project, project.measures[0].id)
    assert svg == R.run_chart_svg(project, project.measures[0].id)
    assert "http" not in svg.replace("http://www.w3.org", "")
    png = R.chart_png(svg)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_measure_without_data_says_what_to_do():
    project = project_with([])
    svg = R.run_chart_svg(project, project.measures[0].id)
    assert "Add the first observation" in "".join(ET.fromstring(svg).itertext())
    assert R.run_chart_spec(project, project.measures[0].id) is None
    assert R.run_chart(project, project.measures[0].id) is None


def test_an_unknown_measure_is_a_sentence():
    with pytest.raises(ValueError, match="not part of this project"):
        R.run_chart_svg(project_with([1.0]), "me-nothere")


class MeanKind(R.ChartKind):
    """A toy chart kind: what a control chart adds is a kind, nothing else."""

    key, name, centre_name = "mean", "Mean chart", "Mean"

    def analyse(self, series, measure, rules):
        return analyze_series(series.dates, series.values, rules=rules)

    def reference_lines(self, analysis):
        values = analysis.values
        mean = sum(values) / len(values)
        return [R.ReferenceLine("Mean", mean, analysis.dates[0], analysis.dates[-1])]

    def describe(self, analysis, measure):
        return "Mean chart"


def test_a_new_chart_kind_plugs_in_without_touching_the_rest(monkeypatch):
    monkeypatch.setitem(R.CHART_KINDS, "mean", MeanKind())
    project = project_with([1, 2, 3, 6], target=5, cycles=[1])
    chart = R.run_chart_spec(project, project.measures[0].id, kind="mean")
    texts = [r.get("text") for r in data_rows(chart)]
    assert "Mean 3" in texts and "Goal 5" in texts
    assert chart["title"]["subtitle"][-1] == "Mean chart"


def test_the_specification_is_valid_vega_lite_and_an_altair_chart():
    project = project_with(SHIFTED, subgroups={"A": SHIFTED, "B": SHIFTED, "C": [1, 2]}, cycles=[2, 3],
                           target=8, phase_starts=[START + dt.timedelta(weeks=6)])
    chart = R.run_chart(project, project.measures[0].id, subgroups=True)
    chart.to_dict(validate=True)  # raises on anything Vega-Lite does not allow
    single = R.run_chart(project, project.measures[0].id, view="disagreement")
    single.to_dict(validate=True)


def test_a_long_chart_renders():
    rng = random.Random(3)
    project = project_with([round(rng.gauss(50, 5), 1) for _ in range(500)], cycles=[10, 200, 400])
    svg = R.run_chart_svg(project, project.measures[0].id)
    assert sum(1 for t in titles(svg) if t and t[0].isdigit()) == 500


# ----------------------------------------------------------------- the chart as the widget draws it
#
# `run_chart_svg` is drawn in Python (`runchart_draw`). These tests read the SVG
# the way a person reads the picture: where the points are, which line is where,
# which labels collide, what fits.

INJECTION = '<script>alert(1)</script> & "q"'
MARKS = ("circle", "path")


def drawn(project, **options) -> ET.Element:
    """The chart of the project's first measure, parsed (so: well-formed XML)."""
    return ET.fromstring(R.run_chart_svg(project, project.measures[0].id, **options))


def panels(root) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "panel"]


def points(panel) -> list[tuple[float, float, str, str, str]]:
    """(x, y, shape, colour, hover text) of each point marker, in drawing order."""
    group = next(g for g in panel.iter(f"{SVG}g") if g.get("class") == "points")
    out = []
    for mark in group:
        if mark.tag == f"{SVG}circle":
            x, y = float(mark.get("cx")), float(mark.get("cy"))
        else:
            x, y = map(float, mark.get("transform")[len("translate("):-1].split())
        out.append((x, y, mark.get("data-shape"), mark.get("fill"), mark.find(f"{SVG}title").text))
    return out


def texts(root, cls: str) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if t.get("class") == cls]


def label(element) -> str:
    """The visible words of a <text> (not its hover title)."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def text_box(element) -> Box:
    """Where a <text> is drawn, from its position, anchor and estimated width."""
    words, size = label(element), float(element.get("font-size"))
    w = text_width(words, size) * (1.1 if element.get("font-weight") == "bold" else 1)
    x = float(element.get("x"))
    left = {"start": x, None: x, "middle": x - w / 2, "end": x - w}[element.get("text-anchor")]
    return Box(left, float(element.get("y")) - size, w, size * 1.2)


def lines_of(root, cls: str) -> list[ET.Element]:
    return [line for line in root.iter(f"{SVG}line") if line.get("class") == cls]


def value_to_y(panel, values):
    """The y scale, recovered from two points of different value."""
    marks = points(panel)
    (_, y0, *_), (_, y1, *_) = marks[values.index(min(values))], marks[values.index(max(values))]
    return lambda v: y0 + (v - min(values)) * (y1 - y0) / (max(values) - min(values))


def test_points_are_drawn_in_time_order_at_their_relative_heights():
    root = drawn(project_with(SHIFTED, baseline_points=4))
    marks = points(panels(root)[0])
    assert len(marks) == len(SHIFTED)
    xs = [x for x, *_ in marks]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(abs((b - a) - (xs[1] - xs[0])) < 0.2 for a, b in zip(xs, xs[1:], strict=False))  # weekly
    y_of = value_to_y(panels(root)[0], SHIFTED)
    assert all(abs(y - y_of(v)) < 0.2 for (_, y, *_), v in zip(marks, SHIFTED, strict=True))
    assert y_of(9) < y_of(4)  # higher values higher up
    line = next(p for p in root.iter(f"{SVG}polyline") if p.get("class") == "data")
    joined = [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
    assert all(abs(a - x) < 0.2 and abs(b - y) < 0.2 for (a, b), (x, y, *_) in zip(joined, marks, strict=True))


def test_the_median_is_drawn_at_the_median_solid_then_dashed_and_the_goal_at_the_target():
    root = drawn(project_with(SHIFTED, baseline_points=4, target=8.5))
    panel = panels(root)[0]
    y_of = value_to_y(panel, SHIFTED)
    marks = points(panel)
    solid, dashed = lines_of(root, "centre")
    assert solid.get("stroke-dasharray") is None and dashed.get("stroke-dasharray")
    for line in (solid, dashed):
        assert float(line.get("y1")) == float(line.get("y2"))
        assert abs(float(line.get("y1")) - y_of(5)) < 0.2  # the baseline median of 4, 6, 6, 4
    assert abs(float(solid.get("x1")) - marks[0][0]) < 0.2 and abs(float(solid.get("x2")) - marks[3][0]) < 0.2
    assert abs(float(dashed.get("x2")) - marks[-1][0]) < 0.2
    (goal,) = lines_of(root, "goal")
    assert abs(float(goal.get("y1")) - y_of(8.5)) < 0.2
    assert [label(t) for t in texts(root, "line-name")] == ["Baseline median 5", "Goal 8.5"]


def test_each_phase_is_marked_and_has_its_own_median_named_near_it():
    values = [2, 3, 2, 3, 2, 3, 2, 3, 8, 9, 8, 9, 8, 9, 8, 9]
    root = drawn(project_with(values, phase_starts=[START + dt.timedelta(weeks=8)]))
    assert [label(t) for t in texts(root, "phase")] == ["Phase 2"]
    names = [label(t) for t in texts(root, "line-name")]
    assert names == ["Median 2.5", "Median 8.5"]
    y_of = value_to_y(panels(root)[0], values)
    assert sorted(round(float(line.get("y1")), 1) for line in lines_of(root, "centre")) == sorted(
        round(y_of(v), 1) for v in (2.5, 8.5))


def test_signal_points_differ_in_shape_and_colour_and_the_legend_says_why():
    root = drawn(project_with(SHIFTED, baseline_points=4))
    marks = points(panels(root)[0])
    assert [shape for _, _, shape, _, _ in marks] == ["circle"] * 4 + ["diamond"] * 8
    assert len({colour for *_, colour, _ in marks[:4]} | {colour for *_, colour, _ in marks[4:]}) == 2
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [label(t) for t in legend.iter(f"{SVG}text")] == ["Data", "Part of a signal"]
    assert [m.get("data-shape") for m in legend if m.tag != f"{SVG}text"] == ["circle", "diamond"]


def test_the_disagreement_view_colours_and_shapes_points_by_rule_set():
    values = [4, 6, 4, 6, 1, 1, 1, 5, 1, 1, 1]  # an IHI shift that Anhøj does not flag
    root = drawn(project_with(values, baseline_points=4), view="disagreement")
    marks = points(panels(root)[0])
    assert [shape for _, _, shape, _, _ in marks][4:7] == ["square"] * 3
    assert "Flagged by: IHI only." in marks[4][4]
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [label(t) for t in legend.iter(f"{SVG}text")] == ["No signal", "IHI only"]
    assert texts(root, "subtitle")[0].text.startswith("The IHI and Anhøj rules disagree")


def test_an_astronomical_point_is_a_triangle_with_its_reason():
    project = project_with([5, 6, 5, 6, 40, 5, 6])
    project.measures[0].astronomical_ids = [project.observations_of(project.measures[0].id)[4].id]
    marks = points(panels(drawn(project))[0])
    assert marks[4][2] == "triangle-up" and marks[4][3] == INK
    assert "Marked astronomical by the team" in marks[4][4]


def test_every_point_has_a_hover_title_with_its_date_and_value_first():
    values = [30.1, 30.2, 31.26, 1234.6, 0.25]
    project = project_with(values)
    marks = points(panels(drawn(project))[0])
    shown = ["30.1", "30.2", "31.26", "1,234.6", "0.25"]  # as `format_number` writes them: as typed
    for (_, _, _, _, tip), day, value in zip(marks, weeks(len(values)), shown, strict=True):
        assert tip.startswith(f"{format_date(day)}: {value} ")
    assert marks[0][4] == "7 Sep 2026: 30.1 %."


def test_pdsa_cycles_are_rules_at_their_start_dates_with_labels_that_never_overlap():
    project = project_with(SHIFTED, cycles=[1, 2, 3, 4, 5, 6])  # six cycles a week apart: crowded
    root = drawn(project)
    marks = points(panels(root)[0])
    rules = lines_of(root, "pdsa")
    assert [round(float(line.get("x1")), 1) for line in rules] == [round(marks[k][0], 1) for k in range(1, 7)]
    labels = texts(root, "pdsa")
    assert [label(t) for t in labels] == [f"Exit tickets as data points #{n}" for n in range(1, 7)]
    assert all("three teachers" in t.find(f"{SVG}title").text for t in labels)
    boxes = [text_box(t) for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    plot_top = min(float(line.get("y1")) for line in rules)
    assert all(box.bottom <= min(y for _, y, *_ in marks) for box in boxes) and plot_top > 0


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(1, 4000), st.integers(300, 1200), st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))
def test_date_ticks_never_overlap_and_stay_on_the_chart(days, width, first):
    domain = (first, first + dt.timedelta(days=days))
    frame = D.Frame(60, 40, width - 80, 300, domain, (0, 1))
    ticks = D.date_ticks(frame, 0, width)
    assert ticks
    boxes = [Box(x - text_width(t.label, D.TICK_SIZE) / 2, 0, text_width(t.label, D.TICK_SIZE), 12) for x, t in ticks]
    assert all(a.right + 10 <= b.x + 1e-6 for a, b in zip(boxes, boxes[1:], strict=False))
    assert all(0 <= b.x and b.right <= width + 1e-6 for b in boxes)
    assert all(domain[0] <= t.date <= domain[1] for _, t in ticks)


@settings(max_examples=examples(60), deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e6), st.integers(3, 8))
def test_value_ticks_are_round_inside_the_range_and_their_labels_distinct(low, span, most):
    ticks = D.nice_ticks(low, low + span, most)
    assert 1 <= len(ticks) <= 2 * most + 1
    assert all(low - 1e-9 * span <= t <= low + span * (1 + 1e-9) for t in ticks)
    labels = D.format_ticks(ticks)
    assert len(set(labels)) == len(labels)


def test_axis_ticks_on_the_drawn_chart_do_not_overlap():
    rng = random.Random(5)
    project = project_with([round(rng.gauss(50, 5), 1) for _ in range(31)])
    root = drawn(project)
    x_boxes = [text_box(t) for t in texts(root, "x-tick")]
    y_boxes = [text_box(t) for t in texts(root, "y-tick")]
    assert len(x_boxes) >= 4 and len(y_boxes) >= 3
    for boxes in (x_boxes, y_boxes):
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert all(label(t).replace(".", "").isdigit() for t in texts(root, "y-tick"))


@pytest.mark.parametrize("width", [380, 640, 900])
def test_everything_fits_inside_the_width(width):
    project = project_with(SHIFTED, subgroups={"English-only": SHIFTED, "Multilingual learners": SHIFTED[:6]},
                           cycles=[0, 5, 11], target=12, baseline_points=4)
    project.driver_diagram.change_ideas[0].text = "Standards-based lesson-planning slide deck for every unit"
    root = drawn(project, subgroups=True, width=width)
    assert root.get("width") == str(width)
    height = float(root.get("height"))
    for element in root.iter(f"{SVG}text"):
        if element.get("class") == "y-title":
            continue  # rotated; fitted to the plot's height
        box = text_box(element)
        assert -0.5 <= box.x and box.right <= width + 0.5, (label(element), box)
        assert 0 <= box.y and box.bottom <= height + 2, (label(element), box)


def test_subgroups_get_one_small_panel_each_judged_on_its_own_with_a_warning():
    groups = {"Multilingual learners": [2, 3, 2, 3, 2], "English-only": [v + 1 for v in SHIFTED]}
    project = project_with(SHIFTED, subgroups=groups, baseline_points=4)
    root = drawn(project, subgroups=True)
    main, english, multilingual = panels(root)
    assert [t.text for t in texts(english, "title")] == ["English-only"]
    assert [t.text for t in texts(multilingual, "title")] == ["Multilingual learners"]
    warning = " ".join(t.text for t in texts(multilingual, "subtitle"))
    assert warning == "Too few points to judge yet: 5 off the median; a run chart needs at least 10."
    assert texts(english, "subtitle") == []
    assert len(points(english)) == 12 and len(points(multilingual)) == 5
    assert [s for _, _, s, _, _ in points(english)].count("diamond") == 8  # its own shift
    # two per row, side by side under the main chart
    (ex, ey), (mx, my) = [(text_box(texts(p, "title")[0]).x, text_box(texts(p, "title")[0]).y)
                          for p in (english, multilingual)]
    assert ey == my and mx > ex and ey > max(y for _, y, *_ in points(main))
    assert drawn(project) is not None and len(panels(drawn(project))) == 1  # only when asked


def test_injected_markup_in_names_is_text_everywhere():
    project = project_with(SHIFTED, subgroups={INJECTION: SHIFTED}, cycles=[3], target=7)
    project.measures[0].name = INJECTION
    project.measures[0].unit = INJECTION
    project.driver_diagram.change_ideas[0].text = INJECTION
    svg = R.run_chart_svg(project, project.measures[0].id, subgroups=True)
    assert "<script" not in svg and "</script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" in svg
    root = ET.fromstring(svg)
    titles_ = [t.text for t in root.iter(f"{SVG}title")]
    assert titles_[0] == f"Run chart: {INJECTION}"
    assert any(t.endswith(f"{INJECTION}.") for t in titles_ if t and t[0].isdigit())  # the unit in a point's title
    assert [t.text for p in panels(root) for t in texts(p, "title")] == [INJECTION, INJECTION]
    assert label(texts(root, "pdsa")[0]).startswith("<script>") and INJECTION in texts(root, "pdsa")[0].find(
        f"{SVG}title").text


def test_the_drawn_chart_is_a_png_too():
    project = project_with(SHIFTED, cycles=[3], target=8, subgroups={"A": SHIFTED})
    png = R.chart_png(R.run_chart_svg(project, project.measures[0].id, subgroups=True))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_a_chart_of_one_point_still_shows_its_point_and_median():
    root = drawn(project_with([17.0], target=35))
    (mark,) = points(panels(root)[0])
    (median,) = lines_of(root, "centre")
    assert float(median.get("x2")) - float(median.get("x1")) >= 16
    assert abs(float(median.get("y1")) - mark[1]) < 0.2
    assert texts(root, "subtitle")[0].get("fill") != MUTED  # the too-few warning stands out


def test_a_researchers_vega_chart_never_loads_data_from_a_url():
    spec = {"mark": "point", "data": {"url": "http://127.0.0.1:9/data.json"},
            "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    with pytest.raises(ValueError, match="not allowed"):
        R.chart_svg(spec, title="t", desc="d")
