"""The benefit-effort matrix renderer: named quadrants, points that never overlap,
escaped text, accessible SVG."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwidgets.analysis import theory as T
from ciwidgets.model import Project
from ciwidgets.render.matrix import matrix_layout, matrix_svg

from .properties import examples

NS = {"svg": "http://www.w3.org/2000/svg"}


def rated(*ratings: tuple[int | None, int | None], status: str = "idea") -> Project:
    p = Project(team_id="t-test")
    for i, (benefit, effort) in enumerate(ratings):
        x = T.add_change_idea(p, f"Change idea number {i} with a fairly long name to wrap")
        x.benefit, x.effort, x.status = benefit, effort, status
    return p


def assert_no_overlaps(p: Project) -> None:
    layout = matrix_layout(p)
    shapes = [(pt.idea_id, box) for pt in layout.points for box in (pt.marker, pt.label)]
    for (id1, a), (id2, b) in itertools.combinations(shapes, 2):
        if id1 != id2:
            assert not a.overlaps(b), (id1, id2)
    for pt in layout.points:
        cell = layout.cells[(pt.benefit, pt.effort)]
        for box in (pt.marker, pt.label):
            assert cell.x <= box.x and box.right <= cell.right and cell.y <= box.y and box.bottom <= cell.bottom


def test_many_ideas_in_one_cell_stack_without_overlapping():
    assert_no_overlaps(rated(*[(4, 2)] * 12))


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), max_size=40))
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_points_never_overlap_whatever_the_ratings(ratings):
    assert_no_overlaps(rated(*ratings))


def test_each_point_sits_in_its_named_quadrant():
    p = rated((5, 1), (3, 3), (2, 2), (1, 5), (3, 2), (2, 3))
    layout = matrix_layout(p)
    expected = ["quick wins", "big bets", "fill-ins", "reconsider", "quick wins", "reconsider"]
    for pt, key in zip(sorted(layout.points, key=lambda pt: pt.number), expected, strict=True):
        q = layout.quadrants[key]
        assert q.x <= pt.marker.x and pt.marker.right <= q.right and q.y <= pt.marker.y and pt.marker.bottom <= q.bottom
    svg = matrix_svg(p)
    for title in ("QUICK WINS", "BIG BETS", "FILL-INS", "RECONSIDER"):
        assert f">{title}</tspan>" in svg


def test_quadrants_split_between_two_and_three():
    layout = matrix_layout(rated())
    assert layout.quadrants["quick wins"].right == layout.cells[(5, 2)].right == layout.cells[(5, 3)].x
    assert layout.quadrants["quick wins"].bottom == layout.cells[(3, 1)].bottom == layout.cells[(2, 1)].y


def test_abandoned_ideas_are_left_out_and_unrated_ones_listed():
    p = rated((5, 1), (None, None), (4, None))
    gone = T.add_change_idea(p, "Abandoned idea")
    gone.status, gone.benefit, gone.effort = "abandoned", 5, 1
    layout = matrix_layout(p)
    assert [pt.number for pt in layout.points] == [1]
    assert [x.text for x in layout.unrated] == [
        "Change idea number 1 with a fairly long name to wrap", "Change idea number 2 with a fairly long name to wrap"]
    svg = matrix_svg(p)
    assert "Abandoned idea" not in svg
    assert "Not placed yet: rate benefit and effort" in svg


def test_status_is_shown_in_words_not_only_colour():
    p = rated((5, 1), (5, 1))
    p.driver_diagram.change_ideas[1].status = "testing"
    svg = matrix_svg(p)
    assert "testing · Quick wins" in svg and "idea · Quick wins" in svg


def test_matrix_svg_is_accessible():
    p = rated((5, 1), (1, 5))
    root = ET.fromstring(matrix_svg(p))
    assert root.find("svg:title", NS).text == "Benefit-effort matrix"
    desc = root.find("svg:desc", NS).text
    assert "Quick wins: 1. Change idea number 0" in desc and "Big bets: none." in desc
    assert "Reconsider: 2. Change idea number 1" in desc


def test_empty_matrix_explains_what_to_do():
    svg = matrix_svg(Project(team_id="t-x"))
    ET.fromstring(svg)
    assert "Add change ideas on the driver diagram" in svg


HOSTILE = st.one_of(
    st.sampled_from(["<script>alert(1)</script>", "\"' onmouseover=x", "&lt;b&gt;", "\x00\x0b",
                     "]]>", "🙂" * 30, "</svg>", "W" * 200]),
    st.text(min_size=1, max_size=60),
).filter(lambda s: s.strip())


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(HOSTILE, min_size=1, max_size=6), ratings=st.lists(st.integers(1, 5), min_size=12, max_size=12))
def test_hostile_idea_text_stays_text(texts, ratings):
    p = Project(team_id="t-x")
    for i, text in enumerate(texts):
        x = T.add_change_idea(p, text, unique=False)  # as saved before duplicates were refused
        x.benefit, x.effort = ratings[2 * i], ratings[2 * i + 1]
    root = ET.fromstring(matrix_svg(p))
    for el in root.iter():
        assert el.tag.split("}")[-1] in {"svg", "title", "desc", "rect", "g", "text", "tspan", "path", "circle"}
        assert not any(name.lower().startswith("on") for name in el.attrib)
    titles = [el.text for g in root.iter(f"{{{NS['svg']}}}g") for el in g.findall("svg:title", NS)]
    assert len(titles) == len(texts)


@pytest.mark.parametrize("n", [1, 30])
def test_numbers_match_the_key(n):
    p = rated(*[((i % 5) + 1, ((i * 3) % 5) + 1) for i in range(n)])
    layout = matrix_layout(p)
    assert sorted(pt.number for pt in layout.points) == list(range(1, n + 1))
    svg = matrix_svg(p)
    for i in range(1, n + 1):
        assert f">{i}.</tspan>" in svg
