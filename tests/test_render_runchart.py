"""The run-chart renderer: what a team sees on the chart and in the exported files."""

from __future__ import annotations

import datetime as dt
import random
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciwidgets.analysis import analyze_series
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
from ciwidgets.render.svg import Box, text_width

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


@settings(max_examples=60, deadline=None)
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
    assert panels[1]["title"]["subtitle"] == ["Too few points to judge: 5 off the median, at least 10 needed."]
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
