"""The PDSA ramp's cards hold the team's scale in full words, or say it whole on hover."""

from __future__ import annotations

import re
from html import unescape

from ciwidgets.analysis.inquiry import Ramp, RampStep
from ciwidgets.render.ramp import CARD_H, ramp_svg


def step(number: int, scale: str, act: str | None = "adapt") -> RampStep:
    return RampStep(cycle_id=f"c{number}", cycle_number=number, scale=scale, question="", act=act,
                    act_reason="", start_date=None, end_date=None, predictions=0, held=0, stage=act or "planning")


def cards(svg: str) -> list[tuple[float, str]]:
    """(height, words shown) of every card, in order."""
    found = []
    for card in re.findall(r'<g class="ramp-cycle">(.*?)</g>', svg):
        height = float(re.search(r'<rect [^>]*height="([\d.]+)"', card)[1])
        words = " ".join(unescape(t) for t in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", card))
        found.append((height, words))
    return found


def test_a_long_scale_makes_the_ramps_cards_taller_instead_of_cutting_it():
    scale = "two grade 3 teachers and their co-teachers, in the Tuesday math block only"
    (first, _), (second, words) = cards(ramp_svg([Ramp("i1", "Exit tickets", (step(1, "one teacher"),
                                                                             step(2, scale)))]))
    assert "…" not in words and " ".join(scale.split()) in words
    assert first == second > CARD_H  # one height for the ramp, so its cards still climb evenly


def test_a_short_scale_keeps_the_usual_card():
    [(height, words)] = cards(ramp_svg([Ramp("i1", "Exit tickets", (step(1, "one teacher"),))]))
    assert height == CARD_H and "one teacher" in words


def test_a_scale_too_long_for_a_card_is_whole_in_its_hover_text_and_escaped():
    scale = "<b>every</b> " + "teacher of the upper grades, " * 12
    svg = ramp_svg([Ramp("i1", "Exit tickets", (step(1, scale),))])
    [(_, words)] = cards(svg)
    assert words.endswith("… Adapt") and len(words) < len(scale)
    hover = unescape(re.search(r'<g class="ramp-cycle"><title>(.*?)</title>', svg, re.S)[1])
    assert hover == f"Cycle 1, {scale}: Adapt"
    assert "<b>" not in svg
