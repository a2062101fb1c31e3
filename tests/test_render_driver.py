"""The driver diagram renderer: readable at every size, no box on top of another, no
line through a box, every user string escaped, accessible."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwidgets.analysis import theory as T
from ciwidgets.api.theory import sample_project
from ciwidgets.model import Aim, PDSACycle, Project
from ciwidgets.render.driver import BOLD_WIDTH, FONT, PAD, driver_diagram_svg, driver_layout
from ciwidgets.render.svg import text_width

from .properties import examples

NS = {"svg": "http://www.w3.org/2000/svg"}


def diagram(n_primary: int, n_secondary: int, n_ideas: int, *, cross: bool = True) -> Project:
    """n_primary x n_secondary x n_ideas; with `cross`, many-to-many links at both levels."""
    return sample_project(n_primary, n_secondary, n_ideas, cross_links=cross)


SIZES = [(1, 1, 1), (1, 5, 5), (2, 3, 2), (3, 5, 1), (4, 2, 5), (6, 1, 1), (6, 5, 5)]


def crosses(seg, box) -> bool:
    """Whether an axis-aligned segment enters the inside of a box (touching its edge is fine)."""
    (x1, y1), (x2, y2) = seg
    lo_x, hi_x, lo_y, hi_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    return lo_x < box.right and hi_x > box.x and lo_y < box.bottom and hi_y > box.y and (
        (lo_y == hi_y and box.y < lo_y < box.bottom) or (lo_x == hi_x and box.x < lo_x < box.right)
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: "x".join(map(str, s)))
def test_no_box_overlaps_another_and_all_fit(size):
    layout = driver_layout(diagram(*size))
    boxes = [n.box for n in layout.nodes.values()]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b, gap=4), (a, b)
    for b in boxes:
        assert 0 <= b.x and b.right <= layout.width and 0 <= b.y and b.bottom <= layout.legend_y


@pytest.mark.parametrize("size", SIZES, ids=lambda s: "x".join(map(str, s)))
def test_no_edge_passes_through_a_box(size):
    layout = driver_layout(diagram(*size))
    for edge in layout.edges:
        for seg in edge.segments():
            assert seg[0][0] == seg[1][0] or seg[0][1] == seg[1][1], "edges are orthogonal"
            for node in layout.nodes.values():
                assert not crosses(seg, node.box), (edge.parent_id, edge.child_id, node.node_id)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: "x".join(map(str, s)))
def test_every_link_is_drawn_from_the_parents_right_to_the_childs_left(size):
    p = diagram(*size)
    layout = driver_layout(p)
    dd = p.driver_diagram
    links = {(T.AIM_ID, x.id) for x in dd.primary_drivers}
    links |= {(pid, s.id) for s in dd.secondary_drivers for pid in s.primary_ids}
    links |= {(sid, x.id) for x in dd.change_ideas for sid in x.secondary_ids}
    assert {(e.parent_id, e.child_id) for e in layout.edges} == links
    for e in layout.edges:
        parent, child = layout.nodes[e.parent_id].box, layout.nodes[e.child_id].box
        (x0, y0), (x1, y1) = e.points[0], e.points[-1]
        assert x0 == parent.right and parent.y < y0 < parent.bottom
        assert x1 == child.x and child.y < y1 < child.bottom


def test_lines_of_different_parents_never_run_on_top_of_each_other():
    layout = driver_layout(diagram(6, 5, 5))
    verticals = [
        (e.parent_id, a[0], min(a[1], b[1]), max(a[1], b[1]))
        for e in layout.edges for a, b in e.segments() if a[0] == b[0]
    ]
    for (p1, x1, lo1, hi1), (p2, x2, lo2, hi2) in itertools.combinations(verticals, 2):
        if p1 != p2 and x1 == x2:
            assert hi1 < lo2 or hi2 < lo1, (p1, p2)
    # and two links into one child arrive at different heights
    ends = [(e.child_id, e.points[-1][1]) for e in layout.edges]
    assert len(ends) == len(set(ends))


def test_long_text_wraps_inside_its_box():
    p = diagram(1, 1, 1)
    T.rename(p, p.driver_diagram.change_ideas[0].id, "A very long change idea " * 12)
    T.rename(p, p.driver_diagram.primary_drivers[0].id, "Supercalifragilisticexpialidocious" * 3)
    layout = driver_layout(p)
    for node in layout.nodes.values():
        assert len(node.lines) >= 1
        for line in node.lines:
            size = FONT if node.level != "aim" else 14
            bold = BOLD_WIDTH if node.level in ("aim", "primary") else 1.0  # bold glyphs are wider
            assert text_width(line, size) * bold <= node.box.w - 2 * PAD
    idea = layout.nodes[p.driver_diagram.change_ideas[0].id]
    assert len(idea.lines) == 5 and idea.lines[-1].endswith("…")  # long text is cut, not spilled


def test_change_ideas_show_status_and_pdsa_cycles_in_words():
    p = diagram(1, 1, 2, cross=False)
    tested, fresh = p.driver_diagram.change_ideas
    tested.status = "testing"
    p.pdsa_cycles += [PDSACycle(change_idea_id=tested.id, cycle_number=n) for n in (1, 2)]
    svg = driver_diagram_svg(p)
    assert "testing · 2 PDSA cycles" in svg
    assert "idea · no PDSA cycles yet" in svg
    # the legend names every status, so colour is never the only cue
    for status in ("idea", "testing", "adopted", "adapted", "abandoned"):
        assert f">{status}</tspan>" in svg


def test_loose_ends_are_flagged_gently():
    p = diagram(1, 1, 1, cross=False)
    T.add_change_idea(p, "Math night for families")
    T.add_primary_driver(p, "Family partnership")
    layout = driver_layout(p)
    flagged = {n.full_text: n.loose for n in layout.nodes.values() if n.loose}
    assert flagged == {"Math night for families": ["Not linked to a driver yet"],
                       "Family partnership": ["No secondary driver yet"]}
    svg = driver_diagram_svg(p)
    assert "Not linked to a driver yet" in svg and "Loose ends:" in svg


def test_svg_is_accessible_and_deterministic():
    p = diagram(2, 2, 2)
    svg = driver_diagram_svg(p, school="Fox")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Driver diagram: Reading"
    desc = root.find("svg:desc", NS).text
    assert desc.startswith("Aim: By May 2030, at least 60% of third graders at Fox will read on grade level, "
                           "up from 40%. 2 primary drivers, 4 secondary drivers")
    assert "Primary driver 'Primary driver 0 about reading instruction' is moved by: Secondary driver 0.0" in desc
    assert driver_diagram_svg(p, school="Fox") == svg


def test_an_empty_project_invites_the_first_driver():
    svg = driver_diagram_svg(Project(team_id="t-x"))
    ET.fromstring(svg)
    assert "Add your first primary driver" in svg and "No aim yet: write it in the aim statement." in svg


HOSTILE = st.one_of(
    st.sampled_from([
        "<script>alert(1)</script>", "]]><x>", "\"' onload=\"alert(1)", "&amp;&lt;", "\x00\x07\x1b",
        "A\u202eB", "🙂🏫", "\ufffe", "x" * 300, "<![CDATA[x]]>", "</text></svg>", "{{7*7}}",
    ]),
    st.text(min_size=1, max_size=80),
).filter(lambda s: s.strip())


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(HOSTILE, min_size=5, max_size=5), title=HOSTILE)
def test_hostile_text_stays_text(texts, title):
    p = Project(team_id="t-x", title=title[:200])
    p.aim = Aim(text=texts[0])
    a = T.add_primary_driver(p, texts[1])
    s = T.add_secondary_driver(p, texts[2], [a.id])
    x = T.add_change_idea(p, texts[3], [s.id])
    T.add_change_idea(p, texts[4], unique=False)  # a diagram saved before duplicates were refused
    svg = driver_diagram_svg(p, school=texts[0])
    root = ET.fromstring(svg)  # well-formed XML whatever was typed
    tags = {el.tag.split("}")[-1] for el in root.iter()}
    assert tags <= {"svg", "title", "desc", "rect", "g", "text", "tspan", "path", "circle"}
    for el in root.iter():
        assert not any(name.lower().startswith("on") for name in el.attrib)
    titles = {el.text for g in root.iter(f"{{{NS['svg']}}}g") for el in g.findall("svg:title", NS)}
    for node in (a, s, x):
        assert _clean(node.text) in titles


def _clean(text: str) -> str:
    """What XML gives back for a string: characters XML forbids become U+FFFD."""
    return "".join("\ufffd" if (ord(c) < 32 and c not in "\t\n\r") or c in "\ufffe\uffff"
                   or 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def test_a_pasted_word_without_spaces_is_cut_to_the_box():
    p = diagram(1, 1, 1)
    T.rename(p, p.driver_diagram.change_ideas[0].id, "https://example.org/" + "x" * 4900)
    node = driver_layout(p).nodes[p.driver_diagram.change_ideas[0].id]
    assert len(node.lines) == 5 and node.lines[0].startswith("https://") and node.lines[-1].endswith("…")
    assert all(text_width(line, FONT) <= node.box.w - 2 * PAD for line in node.lines)
