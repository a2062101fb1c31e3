"""Workbooks 3 and 4 in Chromium: a team adds a primary driver with the keyboard, reloads
and still sees it; screenshots of both pages go to artifacts/ to be looked at."""

from __future__ import annotations

import secrets

from .helpers import open_as_fox, read_the_question, screenshot, wait_for_widgets

THEORY = "03-theory-of-improvement.ipynb"
CHOOSE = "04-choose-change-ideas.ipynb"


def row_values(page) -> list[str]:
    """What the editor's text boxes hold (an input's value is a property, not an attribute)."""
    return page.eval_on_selector_all(".ciw-driver-editor input[type=text]", "els => els.map(e => e.value)")


def test_add_a_primary_driver_with_the_keyboard_and_see_it_after_reload(voila, page):
    open_as_fox(voila, page, THEORY, "Primary drivers")
    driver = f"Family math nights {secrets.token_hex(2)}"

    new_driver = page.get_by_label("New primary driver")
    new_driver.focus()
    page.keyboard.type(driver)
    page.keyboard.press("Enter")

    # Saved: the box is empty again, the row and the redrawn diagram show the driver.
    page.wait_for_function("el => el.value === ''", arg=new_driver.element_handle())
    diagram_node = page.locator("svg g.node title", has_text=driver)
    diagram_node.wait_for(state="attached")
    assert driver in row_values(page)

    page.reload()
    wait_for_widgets(page, "Primary drivers")
    page.locator("svg g.node title", has_text=driver).wait_for(state="attached")
    values = row_values(page)
    assert driver in values
    # flagged gently as a loose end, in words
    assert page.locator(".ciw-driver-editor").get_by_text(f"'{driver}' has no secondary driver yet").count() >= 1

    # Tidy up with the keyboard too: Delete asks once more, then deletes.
    index = values.index(driver)
    row = page.locator(".ciw-driver-editor input[type=text]").nth(index)
    row.focus()
    for _ in range(2):  # text -> Up -> Delete (Down is off: the new driver is the last one)
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Delete"
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Really delete?").wait_for()
    read_the_question(page)
    page.keyboard.press("Enter")
    page.locator("svg g.node title", has_text=driver).wait_for(state="detached")


def test_screenshots_of_workbooks_3_and_4(voila, page):
    voila.require(THEORY)
    voila.require(CHOOSE)
    page.goto(voila.url(THEORY, team=voila.demo_code("Fox")))
    wait_for_widgets(page, "Primary drivers")
    page.locator("svg g.node").first.wait_for(state="attached")
    page.get_by_text("A balanced family", exact=False).or_(page.get_by_text("Suggestions")).first.wait_for()
    screenshot(page, "03-theory-of-improvement")

    page.goto(voila.url(CHOOSE, team=voila.demo_code("Fox")))
    wait_for_widgets(page, "Rate and choose")
    page.locator("svg g.idea").first.wait_for(state="attached")
    page.get_by_role("slider").first.wait_for()
    screenshot(page, "04-choose-change-ideas")


def test_a_refusal_is_said_once_where_the_team_is_working(voila, page):
    """Every view has a save status; the reason is shown in the one of the view worked in."""
    code = voila.new_team("Said once test", "Alder Elementary", title="Said once")
    voila.require(THEORY)
    page.goto(voila.url(THEORY, team=code))
    wait_for_widgets(page, "New primary driver")
    new_driver = page.get_by_label("New primary driver")
    new_driver.fill("Family engagement")
    new_driver.press("Enter")
    page.wait_for_function("el => el.value === ''", arg=new_driver.element_handle())  # added: the box is empty
    new_driver.fill("family  ENGAGEMENT")
    new_driver.press("Enter")
    said = page.get_by_text("There is already a primary driver 'Family engagement'.")
    said.first.wait_for()
    assert said.count() == 1  # not in the status of every view of the page (four here)
    assert page.locator(".ciw-driver-editor .ciw-status", has_text="There is already").count() == 1


TEXT_OUTSIDE_ITS_BOX_JS = """() => [...document.querySelectorAll('.ciw-view svg g')].flatMap(g => {
  const rect = g.querySelector(':scope > rect');
  if (!rect) return [];
  const box = rect.getBBox();
  return [...g.querySelectorAll(':scope > text')].map(text => [text.textContent, text.getBBox()])
    .filter(([, b]) => b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5).map(([words]) => words);
})"""


def test_the_diagrams_words_stay_inside_their_boxes_in_the_browsers_own_font(voila, page):
    """Text is laid out in Python from estimated glyph widths: they must hold for the
    widest common fallback font (DejaVu Sans, Linux's system-ui), bold included."""
    for team in ("Eagle", "Fox"):
        for notebook in (THEORY, "02-understand-the-problem.ipynb", "05-test.ipynb"):
            page.goto(voila.url(notebook, team=voila.demo_code(team)))
            wait_for_widgets(page)
            page.locator(".ciw-view svg g rect").first.wait_for(state="attached")
            assert page.evaluate(TEXT_OUTSIDE_ITS_BOX_JS) == [], (team, notebook)
