"""The process map renderer: steps read in order, cards never overlap and wrap into
rows, breakdowns are marked in words, text is escaped, accessible SVG."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from ciwidgets.model import ProcessMap, ProcessStep
from ciwidgets.render.process import PER_ROW, process_layout, process_map_svg

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = "<script>alert(1)</script> & \"quoted\" 'single' \x07bell"


def steps(n: int, *, breaks: tuple[int, ...] = ()) -> list[ProcessStep]:
    return [
        ProcessStep(text=f"Step number {i} of the process, described at some length", who=f"role {i}",
                    breaks_down=i in breaks, why=f"why {i} goes wrong" if i in breaks else "")
        for i in range(n)
    ]


def student_help() -> ProcessMap:
    return ProcessMap(process="How a student gets help", steps=[
        ProcessStep(text="Teacher notices", who="teacher"),
        ProcessStep(text="Referral form", who="counselor", breaks_down=True, why="forms get lost"),
        ProcessStep(text="Tutoring starts"),
    ])


def cards(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(".//svg:g[@class='process-step']", NS)


def card_words(card: ET.Element) -> str:
    return " ".join(t.text or "" for t in card.iter(f"{{{NS['svg']}}}tspan"))


def test_the_description_reads_every_step_in_order_with_who_and_why():
    root = ET.fromstring(process_map_svg(student_help()))
    assert root.find("svg:title", NS).text == "Process map"
    assert root.find("svg:desc", NS).text == (
        "How a student gets help: 1. Teacher notices (teacher); "
        "2. Referral form (counselor), breaks down: forms get lost; 3. Tutoring starts."
    )


def test_cards_are_drawn_in_order_and_titled_with_their_full_text():
    pm = ProcessMap(steps=steps(6, breaks=(4,)))
    titles = [c.find("svg:title", NS).text for c in cards(process_map_svg(pm))]
    assert len(titles) == 6
    for i, title in enumerate(titles):
        assert title.startswith(f"Step number {i} of the process, described at some length (step {i + 1}, role {i}")
    assert titles[4].endswith("breaks down: why 4 goes wrong)")


def test_only_steps_that_break_down_say_so_in_words():
    pm = ProcessMap(steps=steps(5, breaks=(1, 3)))
    drawn = cards(process_map_svg(pm))
    marked = [i for i, c in enumerate(drawn) if "Breaks down" in card_words(c)]
    assert marked == [1, 3]
    assert "What goes wrong:" in card_words(drawn[1]) and "why 1 goes wrong" in card_words(drawn[1])
    assert "What goes wrong:" not in card_words(drawn[0])


def test_a_breakdown_without_a_reason_is_still_marked():
    pm = ProcessMap(steps=[ProcessStep(text="Call the family", breaks_down=True)])
    svg = process_map_svg(pm)
    assert "Breaks down" in card_words(cards(svg)[0]) and "What goes wrong:" not in svg
    assert ET.fromstring(svg).find("svg:desc", NS).text == "Process map: 1. Call the family, breaks down."


def test_hostile_text_is_escaped_everywhere_and_the_svg_parses():
    pm = ProcessMap(process=HOSTILE, steps=[
        ProcessStep(text=HOSTILE, who=HOSTILE, breaks_down=True, why=HOSTILE), ProcessStep(text=HOSTILE),
    ])
    svg = process_map_svg(pm, title=HOSTILE)
    assert "<script" not in svg and "\x07" not in svg
    root = ET.fromstring(svg)
    for el in root.iter():
        assert el.tag.split("}")[-1] in {"svg", "title", "desc", "rect", "g", "text", "tspan", "path", "circle"}
        assert not any(name.lower().startswith("on") for name in el.attrib)
    assert root.find("svg:title", NS).text == HOSTILE.replace("\x07", "\ufffd")
    assert "<script>alert(1)</script> & \"quoted\"" in root.find("svg:desc", NS).text
    assert len(cards(svg)) == 2


def assert_cards_fit(pm: ProcessMap) -> None:
    layout = process_layout(pm)
    for a, b in itertools.combinations(layout, 2):
        assert not a.box.overlaps(b.box, gap=20), (a.number, b.number)  # room for an arrow between
    root = ET.fromstring(process_map_svg(pm))
    width, height = float(root.get("width")), float(root.get("height"))
    assert width <= 900
    for b in layout:
        assert 0 < b.x and b.x + b.w < width and 0 < b.y and b.y + b.h < height


@pytest.mark.parametrize("n", [1, 3, PER_ROW, PER_ROW + 1, 3 * PER_ROW + 2])
def test_cards_never_overlap_and_stay_inside_the_picture(n):
    assert_cards_fit(ProcessMap(process="A process", steps=steps(n, breaks=tuple(range(0, n, 3)))))


def test_cards_wrap_into_rows_that_read_left_to_right():
    layout = process_layout(ProcessMap(steps=steps(2 * PER_ROW + 1)))
    assert PER_ROW == 4
    assert [b.row for b in layout] == [0] * 4 + [1] * 4 + [2]
    for row in range(3):
        xs = [b.x for b in layout if b.row == row]
        assert xs == sorted(xs) and len(set(xs)) == len(xs)
        assert len({b.y for b in layout if b.row == row}) == 1  # a row lines up
    assert layout[4].x == layout[0].x and layout[4].y > layout[3].y + layout[3].h  # next row starts at the left


def test_the_arrow_into_a_new_row_elbows_down_to_its_first_card():
    layout = process_layout(ProcessMap(steps=steps(PER_ROW + 1)))
    paths = [p.get("d") for p in ET.fromstring(process_map_svg(ProcessMap(steps=steps(PER_ROW + 1)))).iter(
        f"{{{NS['svg']}}}path")]
    elbows = [d for d in paths if " V" in d and " H" in d]
    assert len(elbows) == 1
    last, first = layout[PER_ROW - 1], layout[PER_ROW]
    assert elbows[0].startswith(f"M{last.x + last.w / 2:.1f},")  # leaves the end of the row
    assert f"H{first.x + first.w / 2:.1f}" in elbows[0]  # and comes down into the next row's start


def test_a_very_long_step_still_renders_with_bounded_cards():
    pm = ProcessMap(steps=[ProcessStep(text="x" * 5000, who="W" * 200, breaks_down=True, why="y" * 5000),
                           ProcessStep(text="Short")])
    svg = process_map_svg(pm)
    layout = process_layout(pm)
    assert all(b.w <= 200 and b.h <= 300 for b in layout)
    assert layout[0].h == layout[1].h  # one height for every card
    assert "…" in card_words(cards(svg)[0])
    assert_cards_fit(pm)


def test_an_empty_map_says_what_to_do():
    for pm in (ProcessMap(), ProcessMap(process="How a student gets help")):
        svg = process_map_svg(pm)
        root = ET.fromstring(svg)
        assert "No steps yet: add the first step of the process as it happens today." in " ".join(
            t.text for t in root.iter(f"{{{NS['svg']}}}tspan"))
        assert cards(svg) == [] and process_layout(pm) == []
    assert root.find("svg:desc", NS).text == "How a student gets help: no steps yet."
