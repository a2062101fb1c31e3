"""The fishbone SVG: readable, complete, escaped, accessible, from 0 to 60 causes."""

from __future__ import annotations

import itertools
import random
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwidgets.analysis import rootcause as rc
from ciwidgets.model import Cause, Fishbone, FishboneCategory, Project
from ciwidgets.render.fishbone import fishbone_png, fishbone_svg, layout_fishbone

from .properties import examples

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "<script>alert('x')</script>",
    '"quoted" & \'single\' <b>bold</b>',
    "a\x00b\x07c\x1bd\x0be",
    "]]><!-- --><?xml?>",
    "&amp; &lt; &#x3C; &nbsp;",
    "مشكلة في الرياضيات للطلاب",
    "שלום עולם",
    "\u202eevil\u202c right-to-left override",
    "👩🏽‍🏫 📐 emoji ✨",
    "数学が苦手な生徒が多い",
    "x" * 400,
    "one-very-long-word-" * 20,
]
# Any text a visitor could type or paste (pydantic refuses lone surrogates itself).
user_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def shown(text: str) -> str:
    """How a text appears once drawn: whitespace collapsed, XML-illegal characters replaced."""
    collapsed = " ".join(text.split())  # str.split also takes \x0b, \x1c-\x1f as spaces
    return "".join("\ufffd" if ord(ch) < 32 or ch in "\ufffe\uffff" else ch for ch in collapsed)


def cause_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "cause"]


def drawn_lines(group: ET.Element) -> list[str]:
    text = group.find(f"{SVG}text")
    return [t.text or "" for t in text.iter(f"{SVG}tspan")]


def make_fishbone(n_causes: int, seed: int = 0, n_categories: int = 7, text_len: int = 60) -> Fishbone:
    """A fishbone with causes spread unevenly over categories, some nested three deep."""
    rnd = random.Random(seed)
    fb = Fishbone(problem="Only 17% of students meet or exceed the state math standard")
    fb.categories = fb.categories[:n_categories] if n_categories <= 7 else fb.categories + [
        FishboneCategory(name=f"Extra category {i}") for i in range(n_categories - 7)]
    words = "students teachers time math exit tickets families schedule data coaching".split()
    for i in range(n_causes if fb.categories else 0):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, text_len // 5)))
        parent = rnd.choice(fb.causes) if fb.causes and rnd.random() < 0.4 else None
        category = parent.category_id if parent else rnd.choice(fb.categories).id
        fb.causes.append(Cause(category_id=category, parent_id=parent.id if parent else None,
                               text=f"{i}: {text}", in_our_control=rnd.choice([True, False, None])))
    for voter, count in zip(["Ana", "Ben", "Cy", "Dee"], [3, 3, 2, 1], strict=True):
        if fb.causes:
            rc.set_votes(fb, voter, rnd.sample([c.id for c in fb.causes], min(count, len(fb.causes))))
    return fb


def assert_no_overlaps(fb: Fishbone, **kwargs) -> None:
    layout = layout_fishbone(fb, **kwargs)
    boxes = layout.boxes()
    for (name_a, a), (name_b, b) in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"{name_a!r} overlaps {name_b!r}"
    for name, box in boxes:
        assert 0 <= box.x and box.right <= layout.width, f"{name!r} sticks out sideways"
        assert 0 <= box.y and box.bottom <= layout.height, f"{name!r} sticks out vertically"


# ---------------------------------------------------------------- readable at every size


@pytest.mark.parametrize("n", [0, 1, 5, 12, 30, 45, 60])
def test_nothing_overlaps_from_zero_to_sixty_causes(n):
    for seed in range(3):
        assert_no_overlaps(make_fishbone(n, seed=seed))


def test_nothing_overlaps_with_very_long_causes_crowded_into_one_category():
    fb = Fishbone(problem="p " * 400)
    students = fb.categories[0].id
    for i in range(60):
        fb.causes.append(Cause(category_id=students, text=f"{i} " + "long words here " * 80))
    fb.categories[1].name = "A category name that goes on and on and on " * 4
    assert_no_overlaps(fb, title="Why do our students struggle with math? " * 5)


@pytest.mark.parametrize("n_categories", [0, 1, 2, 7, 10])
def test_categories_are_balanced_above_and_below_the_spine(n_categories):
    layout = layout_fishbone(make_fishbone(20, n_categories=n_categories))
    sides = [pc.side for pc in layout.categories]
    assert abs(sides.count("top") - sides.count("bottom")) <= 1
    for pc in layout.categories:
        for placed in pc.causes:
            if pc.side == "top":
                assert placed.box.bottom < layout.spine_y
            else:
                assert placed.box.y > layout.spine_y
    assert_no_overlaps(make_fishbone(20, n_categories=n_categories))


def test_sub_causes_are_drawn_under_their_cause_indented():
    fb = Fishbone()
    a = Cause(category_id=fb.categories[0].id, text="Students give up on word problems")
    b = Cause(category_id=fb.categories[0].id, parent_id=a.id, text="Dense academic vocabulary")
    fb.causes = [a, b]
    placed = {p.cause.id: p for p in layout_fishbone(fb).causes}
    assert placed[b.id].box.y > placed[a.id].box.bottom
    assert placed[b.id].box.x > placed[a.id].box.x
    assert placed[b.id].depth == 1


def test_long_text_wraps_inside_its_box():
    fb = make_fishbone(0)
    text = "Teachers have no common planning time to look at exit tickets together"
    fb.causes = [Cause(category_id=fb.categories[0].id, text=text)]
    placed = layout_fishbone(fb).causes[0]
    assert len(placed.lines) > 2
    assert " ".join(placed.lines) == " ".join(text.split())


# ---------------------------------------------------------------- complete and escaped


def test_every_cause_category_and_the_problem_are_in_the_picture():
    fb = make_fishbone(25, seed=4)
    root = parse(fishbone_svg(fb))
    drawn = {" ".join(drawn_lines(g)) for g in cause_groups(root)}
    assert drawn == {c.text for c in fb.causes}
    all_text = " ".join(t.text or "" for t in root.iter(f"{SVG}tspan"))
    for category in fb.categories:
        assert category.name in all_text
    assert "Only 17% of students" in all_text


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=user_text, category=user_text, texts=st.lists(user_text, min_size=1, max_size=6))
def test_hostile_text_stays_text(problem, category, texts):
    fb = Fishbone(problem=problem)
    fb.categories[0].name = category[:200]  # the model's limit for a name
    fb.causes = [Cause(category_id=fb.categories[i % 7].id, text=t) for i, t in enumerate(texts)]
    svg = fishbone_svg(fb, title=problem or None)
    root = parse(svg)
    # No markup came through: only the elements the renderer draws exist.
    drawn = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert drawn <= {"svg", "title", "desc", "rect", "g", "line", "path", "text", "tspan",
                     "circle", "polygon"}
    # Every cause's full text is in its tooltip, exactly as typed (cleaned for XML only).
    tips = [g.find(f"{SVG}title").text or "" for g in cause_groups(root)]
    assert len(tips) == len(fb.causes)
    for cause, tip in zip(fb.causes, tips, strict=True):
        assert shown(tip).startswith(shown(cause.text))
    # The category label is drawn as text, not markup.
    label = shown(" ".join(drawn_lines(next(g for g in root.iter(f"{SVG}g")
                                            if g.get("class") == "category"))))
    assert shown(category[:200])[:10] in label or not shown(category[:200])


def test_a_script_tag_is_escaped_in_the_markup():
    fb = Fishbone(problem="<script>alert(1)</script>")
    fb.causes = [Cause(category_id=fb.categories[0].id, text='"><img src=x onerror=alert(1)>')]
    svg = fishbone_svg(fb)
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg and "&lt;img" in svg


# ---------------------------------------------------------------- votes and control marks


def test_vote_counts_are_shown_and_top_causes_highlighted_ties_included():
    fb = make_fishbone(0)
    students = fb.categories[0].id
    fb.causes = [Cause(category_id=students, text=t) for t in ("A", "B", "C", "D")]
    a, b, c, d = (x.id for x in fb.causes)
    rc.set_votes(fb, "Ana", [a, b, c])
    rc.set_votes(fb, "Ben", [a, b, c])
    rc.set_votes(fb, "Cy", [a])
    placed = {p.cause.text: p for p in layout_fishbone(fb, highlight_top=2).causes}
    assert [(placed[t].votes, placed[t].top) for t in "ABCD"] == [
        (3, True), (2, True), (2, True), (0, False)]  # B and C tie for second: both highlighted
    root = parse(fishbone_svg(fb, highlight_top=2))
    groups = {drawn_lines(g)[0]: g for g in cause_groups(root)}
    badge = [t.text for t in groups["A"].iter(f"{SVG}text")][-1]
    assert badge == "3"
    assert groups["B"].find(f"{SVG}polygon") is not None  # the star: not colour alone
    assert groups["D"].find(f"{SVG}polygon") is None
    assert groups["D"].find(f"{SVG}circle") is None  # no dots, no badge


def test_in_our_control_is_marked_and_said_in_words():
    fb = make_fishbone(0)
    fb.causes = [Cause(category_id=fb.categories[0].id, text="Exit tickets unused", in_our_control=True),
                 Cause(category_id=fb.categories[0].id, text="State test timing", in_our_control=False)]
    root = parse(fishbone_svg(fb))
    tips = [g.find(f"{SVG}title").text for g in cause_groups(root)]
    assert tips == ["Exit tickets unused (in our control)", "State test timing (outside our control)"]
    desc = root.find(f"{SVG}desc").text
    assert "Exit tickets unused (in our control)" in desc
    assert "State test timing (outside our control)" in desc


# ---------------------------------------------------------------- accessible and exportable


def test_title_and_desc_tell_a_screen_reader_the_whole_diagram():
    fb = make_fishbone(0)
    a = Cause(category_id=fb.categories[0].id, text="Students don't see themselves as math people")
    fb.causes = [a, Cause(category_id=fb.categories[0].id, parent_id=a.id, text="Few role models")]
    rc.place_vote(fb, "Ana", a.id)
    root = parse(fishbone_svg(fb))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title").text, root.find(f"{SVG}desc").text
    assert title == "Fishbone: Only 17% of students meet or exceed the state math standard"
    assert "Problem: Only 17% of students" in desc
    assert "Top-voted causes: Students don't see themselves as math people (1 dot)" in desc
    assert "Category Students: Students don't see themselves as math people (1 dot); " \
           "sub-cause Few role models." in desc
    assert "Category School culture: no causes yet." in desc
    assert set(root.get("aria-labelledby").split()) == {
        root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")}


def test_an_empty_fishbone_still_draws_and_invites_a_problem():
    root = parse(fishbone_svg(Fishbone(problem="")))
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}tspan"))
    assert "Problem not stated yet" in text and text.count("no causes yet") == 7


def test_a_project_can_be_drawn_directly():
    p = Project(team_id="t-1")
    p.fishbone.problem = "Chronic absence"
    assert fishbone_svg(p) == fishbone_svg(p.fishbone)


def test_same_fishbone_same_bytes():
    assert fishbone_svg(make_fishbone(30, seed=2)) == fishbone_svg(make_fishbone(30, seed=2))


def test_png_export_is_a_png_of_the_diagram():
    png = fishbone_png(make_fishbone(12), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == round(layout_fishbone(make_fishbone(12)).width)


def test_the_head_says_the_problem_statement_until_the_fishbone_words_its_own():
    from ciwidgets.model import Project

    project = Project(team_id="t-x", problem_statement="Only 17% of students meet the <math> standard")
    assert "Only 17% of students meet the &lt;math&gt; standard" in fishbone_svg(project)
    head = fishbone_svg(project.fishbone)  # the fishbone alone knows no statement
    assert "Problem not" in head and "stated yet" in head
    project.fishbone.problem = "Fractions in grade 4"
    assert "Fractions in grade 4" in fishbone_svg(project) and "Only 17%" not in fishbone_svg(project)
