"""axe-core on every page a visitor can open: no serious or critical violation; and, at
the end, what a keyboard or screen-reader user meets in the workbooks (focus, live
regions, toggle and radio groups), which axe does not check.

axe-core comes from the npm registry (package-lock.json, `npm ci`) and is injected into
the page by Playwright; nothing is fetched at run time.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ciwidgets.paths import resource_dir
from ciwidgets.serve.catalog import list_workbooks

from .helpers import open_as_fox, read_the_question, screenshot, wait_for_widgets

WORKBOOKS = list_workbooks(resource_dir("workbooks"))
BLOCKING = ("serious", "critical")


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe's violations on the page as it is now."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} — {targets}")
    return "\n".join(lines)


def assert_accessible(page, axe_source: str, name: str) -> None:
    violations = axe_violations(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    screenshot(page, f"a11y-{name}")
    assert not blocking, f"{name}:\n{describe(blocking)}"


def test_landing_page(voila, page, axe_source):
    page.goto(voila.landing_url())
    page.get_by_role("heading", name="Your improvement journey").wait_for()
    assert_accessible(page, axe_source, "landing")


def test_landing_page_with_a_join_code(voila, page, axe_source):
    page.goto(voila.landing_url(team=voila.demo_code("Fox")))
    page.get_by_role("heading", name="Your improvement journey").wait_for()
    assert_accessible(page, axe_source, "landing-with-code")


def test_missing_page(voila, page, axe_source):
    page.goto(voila.url("no-such-workbook"))
    page.get_by_role("heading", name="There is no such page").wait_for()
    assert_accessible(page, axe_source, "404")


def test_page_with_a_failing_cell(voila, page, axe_source):
    page.goto(voila.url("_test/error"))
    page.get_by_text("Something went wrong").first.wait_for()
    assert_accessible(page, axe_source, "failing-cell")


@pytest.mark.parametrize("entry", WORKBOOKS, ids=[e.filename.removesuffix(".ipynb") for e in WORKBOOKS])
def test_workbook_app(voila, page, axe_source, entry):
    """Every workbook as its audience opens it: a team with its code, the hub with its."""
    if entry.for_coaches:
        url = voila.url(entry.filename, hub=voila.hub_code)
    else:
        url = voila.url(entry.filename, team=voila.demo_code("Fox"))
    page.goto(url)
    wait_for_widgets(page)
    page.wait_for_load_state("networkidle")
    assert_accessible(page, axe_source, entry.filename.removesuffix(".ipynb"))
    assert_icon_buttons_named_by_their_words(page)
    assert page.locator(".ciw-trouble").count() == 0  # no view failed while the page opened


def assert_icon_buttons_named_by_their_words(page) -> None:
    """A button with an icon is announced by its words alone, not the icon's glyph."""
    words = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('.widget-button')]"
        ".filter(b => b.offsetParent && b.querySelector('i.fa') && b.textContent.trim())"
        ".map(b => b.textContent.trim()))]")
    unnamed = [w for w in words if page.get_by_role("button", name=w, exact=True).count() == 0]
    assert not unnamed, f"buttons whose accessible name is not their words: {unnamed}"


def printable_pages(db) -> dict[str, str]:
    """The pages a team or coach downloads and prints, made from the demo store."""
    from ciwidgets.model import Network
    from ciwidgets.render.cards import join_cards_html
    from ciwidgets.render.storyboard import render_storyboard
    from ciwidgets.render.worksheet import render_worksheet
    from ciwidgets.store import Store

    store = Store(db)
    try:
        network = store.networks()[0]
        teams = store.teams(network.id)
        fox = next(t for t in teams if t.name.startswith("Fox"))
        project = store.current_project(fox.id)
        return {
            "storyboard": render_storyboard(project, team=fox, network=store.load(Network, network.id)[0]),
            "pdsa-worksheet": render_worksheet(project, project.pdsa_cycles[0], team=fox),
            "join-cards": join_cards_html(network, teams, "http://192.168.1.20:8866"),
        }
    finally:
        store.close()


def test_printable_pages(voila, page, axe_source):
    for name, html in printable_pages(voila.db).items():
        page.set_content(html)
        assert_accessible(page, axe_source, f"print-{name}")


# -- what a keyboard or screen-reader user meets in the workbooks ----------------------
THEORY = "03-theory-of-improvement.ipynb"
TEST = "05-test.ipynb"
STUDY = "06-study.ipynb"
REFLECT = "07-reflect-and-share.ipynb"
FOCUS_RING = {"outlineStyle": "solid", "outlineWidth": "3px", "outlineColor": "rgb(242, 169, 0)"}  # --ciw-focus
PASS_MS = 5_000  # the page script's pass runs in the frame after a change


def outline(page) -> dict[str, str]:
    """The outline drawn around the focused element."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor}; }")


def expect_live_region(locator) -> None:
    expect(locator).to_have_attribute("role", "status", timeout=PASS_MS)
    expect(locator).to_have_attribute("aria-live", "polite", timeout=PASS_MS)


def test_deleting_a_driver_by_keyboard_keeps_focus_in_the_list_and_is_announced(voila, page):
    """03 Theory, as a keyboard user: the focus ring is plain on a text box and a button; each
    save is said by one lasting live region; after "Really delete?" focus stays in the list."""
    voila.require(THEORY)
    code = voila.new_team("Keyboard test", "Birch Elementary", title="Keyboard")
    page.goto(voila.url(THEORY, team=code))
    wait_for_widgets(page, "New primary driver")
    status = page.locator(".ciw-driver-editor .ciw-status")
    expect_live_region(status)
    before = status.element_handle()
    quiet = before.text_content()

    new_driver = page.get_by_label("New primary driver")
    new_driver.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # back in the box, by keyboard
    expect(new_driver).to_be_focused()
    assert outline(page) == FOCUS_RING
    for words in ("Family engagement", "Planning time"):
        page.keyboard.type(words)
        page.keyboard.press("Enter")
        expect(new_driver).to_have_value("")  # added

    # The save was said by the live region that was there before: the same element.
    expect(status).not_to_have_text(quiet)
    expect_live_region(status)
    assert before.evaluate("(el, now) => el === now", status.element_handle())

    rows = page.locator(".ciw-driver-editor input[type=text]")
    second = rows.evaluate_all("els => els.map(e => e.value)").index("Planning time")
    rows.nth(second).focus()
    for _ in range(2):  # text -> Up -> Delete (Down is off: it is the last driver)
        page.keyboard.press("Tab")
    delete = page.evaluate_handle("() => document.activeElement")
    assert delete.evaluate("el => el.textContent") == "Delete"
    assert outline(page) == FOCUS_RING
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Really delete?").wait_for()
    read_the_question(page)
    page.keyboard.press("Enter")
    page.wait_for_function("el => !el.isConnected", arg=delete)  # the row is gone (its button goes last)
    # Focus is back in the list the row was in, on its first control (not on <body>).
    expect(page.locator(".ciw-driver-editor input[type=text]").first).to_be_focused(timeout=PASS_MS)
    expect(page.locator(".ciw-driver-editor input[type=text]").first).to_have_value("Family engagement")

    # Focus left for the page on purpose is not taken back when that control goes later.
    page.evaluate("() => document.activeElement.blur()")
    page.evaluate("() => document.querySelector('.ciw-driver-editor input[type=text]')"
                  ".closest('.widget-vbox').remove()")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("() => document.activeElement === document.body")


def test_ratings_say_which_button_is_chosen(voila, page):
    """07 Reflect: "Our rating" is a named group whose chosen button is pressed, for a
    screen reader and to the eye (an inset line and bold words, not a shade alone)."""
    voila.require(REFLECT)
    code = voila.new_team("Toggle test", "Cedar Elementary", title="Toggles")
    page.goto(voila.url(REFLECT, team=code))
    wait_for_widgets(page, "Our rating")
    page.locator(".widget-toggle-buttons .widget-toggle-button").first.wait_for()
    group = page.get_by_role("group", name="Our rating", exact=True).first
    expect(group).to_be_visible(timeout=PASS_MS)
    buttons = group.get_by_role("button")
    expect(buttons).to_have_count(5)

    def expect_pressed(chosen: int | None) -> None:
        for n in range(1, 6):
            expect(buttons.nth(n - 1)).to_have_attribute("aria-pressed", str(n == chosen).lower(), timeout=PASS_MS)

    expect_pressed(None)
    buttons.nth(2).click()
    expect_pressed(3)
    look = buttons.nth(2).evaluate("b => { const s = getComputedStyle(b); return [s.fontWeight, s.boxShadow]; }")
    assert look[0] == "700" and look[1].endswith("0px 0px 0px 2px inset"), look

    buttons.nth(3).focus()
    page.keyboard.press("Enter")
    expect_pressed(4)


def test_decision_radios_are_one_named_group(voila, page):
    """05 Test: the Decision radios are one radio group, named, and one stop for Tab."""
    open_as_fox(voila, page, TEST, "Decision")
    page.locator(".widget-radio-box input").first.wait_for()
    group = page.get_by_role("radiogroup", name="Decision")
    expect(group).to_have_count(1, timeout=PASS_MS)
    radios = group.get_by_role("radio")
    expect(radios).to_have_count(4)
    names = page.eval_on_selector_all(".widget-radio-box", "boxes => boxes.map(b =>"
                                      " [...new Set([...b.querySelectorAll('input')].map(i => i.name))])")
    assert all(len(n) == 1 and n[0] for n in names), names
    assert len({n[0] for n in names}) == len(names)  # no two groups on the page share a name

    radios.first.focus()
    page.keyboard.press("Tab")  # leaves the group, not to its next radio
    assert not page.evaluate("() => !!document.activeElement.closest('.widget-radio-box')")


def test_upload_button_and_reading_choice(voila, page):
    """06 Study: the upload button has no "null" tooltip and is named by its words; "Read
    with" says which reading is chosen."""
    open_as_fox(voila, page, STUDY, "Read with")
    upload = page.locator("button.widget-upload")
    upload.first.wait_for()
    expect(upload.first.locator("i.fa")).to_have_attribute("aria-hidden", "true", timeout=PASS_MS)
    expect(upload.first).not_to_have_attribute("title", "null")
    expect(upload.first).to_have_accessible_name(upload.first.text_content().strip())
    reading = page.get_by_role("group", name="Read with")
    expect(reading.get_by_role("button", name="IHI rules")).to_have_attribute("aria-pressed", "true")
    expect(reading.get_by_role("button", name="Anhøj rules")).to_have_attribute("aria-pressed", "false")
