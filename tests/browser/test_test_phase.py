"""Workbook 5 (Test) in Chromium: a team plans a PDSA cycle with the keyboard, reloads and
finds it saved, then decides Act and plans the next cycle; the printable worksheet prints on
one page. Screenshots go to artifacts/ to be looked at.

The tests use a team of their own (in a network of its own) in the session's demo store,
so other browser tests keep seeing the demo data as built."""

from __future__ import annotations

import re
import secrets

import pytest

from ciwidgets.model import Project
from ciwidgets.store import Store
from tests.pdsa_examples import fox_project

from .helpers import ARTIFACTS, open_as_fox, screenshot, wait_for_widgets

TEST = "05-test.ipynb"


@pytest.fixture
def team_code(voila) -> str:
    """A new team with Fox's driver diagram and no PDSA cycle yet; its join code."""
    return voila.new_team("PDSA browser test", "Kestrel Elementary", title="Math for every Kestrel student",
                          driver_diagram=fox_project(with_cycles=False).driver_diagram)


def stored_project(voila, code: str) -> Project:
    store = Store(voila.db)
    try:
        return store.current_project(store.by_code(code).id)
    finally:
        store.close()


def input_value(page, label: str) -> str:
    return page.get_by_label(label, exact=True).input_value()


def type_into(page, label: str, text: str, finish: str = "Tab") -> None:
    """Focus a field by its label, type, and leave it the way a person does."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(text)
    page.keyboard.press(finish)


def press(page, button_name: str) -> None:
    """Activate a button with the keyboard."""
    page.get_by_role("button", name=button_name).focus()
    page.keyboard.press("Enter")


def test_plan_a_cycle_with_the_keyboard_reload_and_plan_the_next(voila, page, team_code):
    voila.require(TEST)
    page.goto(voila.url(TEST, team=team_code))
    wait_for_widgets(page, "This change idea has no PDSA cycle yet")

    press(page, "Start cycle 1")
    page.get_by_label("Question", exact=True).wait_for()
    question = f"Does the deck cut planning time? {secrets.token_hex(2)}"
    prediction = f"Every plan is done in under an hour {secrets.token_hex(2)}"
    type_into(page, "Question", question)
    type_into(page, "New prediction", prediction, finish="Enter")
    page.get_by_label("Prediction 1", exact=True).wait_for()
    # The box empties once the prediction is saved, ready for the next one.
    page.wait_for_function("el => el.value === ''",
                           arg=page.get_by_label("New prediction", exact=True).element_handle())
    page.get_by_label("How sure?").select_option("high")
    type_into(page, "Scale", "one teacher")
    # The nudge about data follows the prediction; it is a suggestion, not a block.
    page.get_by_text("Name the data you will collect").wait_for()
    # A suggestion the team has weighed can be set aside, and brought back.
    press(page, "Set aside")
    page.get_by_text("Name the data you will collect").wait_for(state="detached")
    press(page, "Show the one set aside")
    page.get_by_text("Name the data you will collect").wait_for()
    type_into(page, "Data to collect", "Minutes spent planning")
    page.get_by_text("Name the data you will collect").wait_for(state="detached")

    cycle = stored_project(voila, team_code).pdsa_cycles[0]
    assert cycle.question == question
    assert [(p.text, p.confidence) for p in cycle.predictions] == [(prediction, "high")]
    assert cycle.plan.scale == "one teacher"

    page.reload()
    wait_for_widgets(page, "Plan the next cycle")
    assert input_value(page, "Question") == question
    assert input_value(page, "Prediction 1") == prediction
    assert page.get_by_label("How sure?").input_value() == "high"
    assert input_value(page, "Scale") == "one teacher"
    assert page.get_by_role("button", name="Plan the next cycle").is_disabled()

    # Do, Study, Act, then the next cycle: prefilled, one size bigger.
    type_into(page, "What happened", "Ms Diaz planned three lessons with the deck.")
    page.get_by_label("Prediction 1 held?").select_option(label="partly held")
    page.get_by_role("radio", name="Adapt: change it and test again").check()
    type_into(page, "Why", "Add worked examples, then try with three teachers.")
    page.get_by_role("button", name="Plan the next cycle").wait_for(state="visible")
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.textContent.includes('Plan the next cycle') && !b.disabled)")
    screenshot(page, "05-test-worksheet")
    press(page, "Plan the next cycle")
    page.get_by_role("button", name="Plan the next cycle").wait_for()  # the new cycle's own
    page.wait_for_function(
        "() => [...document.querySelectorAll('select option:checked')].some("
        "o => o.textContent.replace(/\\u00a0/g, ' ').startsWith('Cycle 2'))")
    # The form fills in from the new cycle just after the chooser switches to it.
    page.wait_for_function("el => el.value === 'three teachers'",
                           arg=page.get_by_label("Scale", exact=True).element_handle())
    assert input_value(page, "Question") == question
    assert input_value(page, "What happened") == ""

    page.reload()
    wait_for_widgets(page, "Plan the next cycle")
    page.get_by_text("This cycle builds on cycle 1 (adapt).").wait_for()
    assert input_value(page, "Scale") == "three teachers"
    ramp = page.locator(".ciw-ramps svg")
    ramp.wait_for(state="attached")
    assert "Cycle 2" in ramp.inner_html() and "three teachers" in ramp.inner_html()
    project = stored_project(voila, team_code)
    first, second = project.pdsa_cycles
    assert (first.act, first.next_cycle_id, second.previous_cycle_id) == ("adapt", second.id, first.id)
    screenshot(page, "05-test-next-cycle")


def test_the_printable_worksheet_downloads_and_prints_on_one_page(voila, page, browser):
    open_as_fox(voila, page, TEST, "Plan the next cycle")
    cycle_picker = page.get_by_label("Cycle", exact=True)
    first_cycle = cycle_picker.locator("option").first.get_attribute("value")
    cycle_picker.select_option(first_cycle)  # Fox's cycle 1: every part filled in
    page.get_by_text("Open cycle 2").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Printable worksheet").click()
    path = ARTIFACTS / "pdsa-worksheet.html"
    download.value.save_as(path)
    assert download.value.suggested_filename == "pdsa-cycle-1-fox-elementary-school.html"
    html = path.read_text(encoding="utf-8")
    assert "Fox Elementary" in html and "three teachers" in html

    sheet = browser.new_page()
    try:
        sheet.goto(path.as_uri())
        sheet.get_by_role("heading", name="PDSA cycle 1").wait_for()
        sheet.screenshot(path=str(ARTIFACTS / "pdsa-worksheet.png"), full_page=True)
        for paper in ("A4", "Letter"):
            pdf = sheet.pdf(format=paper, print_background=True)
            (ARTIFACTS / f"pdsa-worksheet-{paper}.pdf").write_bytes(pdf)
            pages = int(re.search(rb"/Count (\d+)", pdf).group(1))
            assert pages == 1, f"the worksheet prints on {pages} {paper} pages"
    finally:
        sheet.close()
