"""Two laptops of one team at a convening: each sees the other's edits appear without
reloading, and neither edit is lost. Also the main action of workbook 4."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from ciwidgets.store import Store

from .helpers import ARTIFACTS, wait_for_widgets

UNDERSTAND = "02-understand-the-problem.ipynb"
CHOOSE = "04-choose-change-ideas.ipynb"
LIVE_MS = 20_000  # open apps look for teammates' saves every few seconds


@pytest.fixture
def team_code(voila) -> str:
    return voila.new_team("Together test", "Wren Elementary", title="Reading together")


def add_cause(page, text: str) -> None:
    editor = page.locator(".ciw-fishbone")
    new_cause = editor.get_by_label("New cause")
    new_cause.focus()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_function("el => el.value === ''", arg=new_cause.element_handle())


def diagram_shows(page, text: str, timeout: int = LIVE_MS) -> None:
    page.locator(".ciw-fishbone svg g.cause title", has_text=text).wait_for(state="attached", timeout=timeout)


@contextmanager
def two_laptops(voila, browser, page, code: str, label: str):
    """(the teammate's page, the box `label` on this page, the same box on the teammate's):
    two laptops of one team on Understand the problem."""
    other = browser.new_context().new_page()
    try:
        for p in (page, other):
            p.goto(voila.url(UNDERSTAND, team=code))
            wait_for_widgets(p, label)
        yield other, *(p.get_by_label(label, exact=True) for p in (page, other))
    finally:
        other.context.close()


def stored_causes(voila, code: str) -> list[str]:
    store = Store(voila.db)
    try:
        return [c.text for c in store.current_project(store.by_code(code).id).fishbone.causes]
    finally:
        store.close()


def test_teammates_see_each_others_causes_without_reloading(voila, browser, page, team_code):
    other = browser.new_context().new_page()
    try:
        for p in (page, other):
            p.goto(voila.url(UNDERSTAND, team=team_code))
            wait_for_widgets(p, "Add a cause")
        add_cause(page, "Ana: homework instructions only in English")
        diagram_shows(other, "Ana: homework instructions only in English")  # no reload
        add_cause(other, "Ben: the reading block starts late on Mondays")
        diagram_shows(page, "Ben: the reading block starts late on Mondays")
        diagram_shows(page, "Ana: homework instructions only in English", timeout=1000)
        assert sorted(stored_causes(voila, team_code)) == [
            "Ana: homework instructions only in English",
            "Ben: the reading block starts late on Mondays",
        ]
    finally:
        other.context.close()


def test_choose_a_change_idea_to_test_next_and_see_it_after_reload(voila, page):
    page.goto(voila.url(CHOOSE, team=voila.demo_code("Eagle")))
    wait_for_widgets(page, "Test next")
    row = page.locator(".ciw-matrix .widget-vbox", has_text="Equity-focused PD co-designed with staff").last
    row.get_by_role("button", name="Test next").focus()
    page.keyboard.press("Enter")
    row.get_by_text("(testing)").wait_for()

    page.reload()
    wait_for_widgets(page, "Not now")
    row = page.locator(".ciw-matrix .widget-vbox", has_text="Equity-focused PD co-designed with staff").last
    row.get_by_text("(testing)").wait_for()
    row.get_by_role("button", name="Not now").focus()  # put it back for the other tests
    page.keyboard.press("Enter")
    row.get_by_text("(idea)").wait_for()


def test_whats_next_links_keep_the_join_code(voila, page):
    code = voila.demo_code("Fox")
    page.goto(voila.url("03-theory-of-improvement.ipynb", team=code))
    wait_for_widgets(page, "Fox Elementary")
    page.locator("#rendered_cells a[href='04-choose-change-ideas.ipynb']").last.click()
    page.wait_for_url("**/04-choose-change-ideas.ipynb?team=*")
    assert f"team={code}" in page.url
    wait_for_widgets(page, "Test next")
    assert "Fox Elementary" in page.inner_text("header.ciw-header, .ciw-header")


def test_words_being_typed_are_kept_when_a_teammate_saves_the_same_box(voila, browser, page, team_code):
    """Ana is still typing the problem statement when Ben saves his: her box keeps her
    words and shows his; leaving the box saves hers, Esc takes his."""
    with two_laptops(voila, browser, page, team_code, "Problem statement") as (other, ana, ben):
        ana.click()
        page.keyboard.type("Ana: third graders miss the reading block")
        ben.fill("Ben: Monday absences")
        ben.press("Tab")  # saved
        notice = page.locator(".ciw-meanwhile")
        notice.wait_for(timeout=LIVE_MS)
        assert "Ben: Monday absences" in notice.inner_text()
        page.locator(".ciw-problem-statement").screenshot(path=str(ARTIFACTS / "02-typing-kept-over-a-teammates-save.png"))
        assert ana.input_value() == "Ana: third graders miss the reading block"  # nothing wiped
        page.keyboard.type(" on Mondays")
        page.keyboard.press("Tab")  # hers, knowingly over his
        other.locator(".ciw-problem-statement textarea").first.wait_for()
        other.wait_for_function("t => document.querySelector('.ciw-problem-statement textarea').value === t",
                                arg="Ana: third graders miss the reading block on Mondays", timeout=LIVE_MS)
        assert notice.count() == 0

        ana.click()
        page.keyboard.type(", after long weekends")
        ben.fill("Ben: Mondays, after long weekends")
        ben.press("Tab")
        notice.wait_for(timeout=LIVE_MS)
        page.keyboard.press("Escape")  # his, then
        assert ana.input_value() == "Ben: Mondays, after long weekends" and notice.count() == 0
        page.keyboard.press("Tab")
        store = Store(voila.db)
        try:
            assert store.current_project(store.by_code(team_code).id).problem_statement == "Ben: Mondays, after long weekends"
        finally:
            store.close()


def test_typing_the_next_cause_at_once_keeps_every_letter(voila, page, team_code):
    """Enter adds a cause and the kernel empties the box; a quick typist is already on the
    next one by then: the emptying must not take the letters typed since, nor be called
    a teammate's save."""
    page.goto(voila.url(UNDERSTAND, team=team_code))
    wait_for_widgets(page, "Add a cause")
    new_cause = page.locator(".ciw-fishbone").get_by_label("New cause")
    new_cause.focus()
    page.keyboard.type("Buses arrive late")
    page.keyboard.press("Enter")
    page.keyboard.type("Breakfast ends at 8:05")  # no wait for the first to be added
    diagram_shows(page, "Buses arrive late")
    assert new_cause.input_value() == "Breakfast ends at 8:05"
    assert page.locator(".ciw-meanwhile").count() == 0
    page.keyboard.press("Enter")
    diagram_shows(page, "Breakfast ends at 8:05")


def test_two_causes_entered_faster_than_the_server_answers_are_added_apart(voila, page, team_code):
    """A second Enter before the first cause is answered (a quick typist, a busy server at a
    convening) had sent the box with both causes run together as one."""
    page.goto(voila.url(UNDERSTAND, team=team_code))
    wait_for_widgets(page, "Add a cause")
    page.locator(".ciw-fishbone").get_by_label("New cause").focus()
    page.keyboard.type("Rain days", delay=5)
    page.keyboard.press("Enter")
    page.keyboard.type("Bus strike", delay=5)
    page.keyboard.press("Enter")
    diagram_shows(page, "Bus strike")
    diagram_shows(page, "Rain days", timeout=1000)
    causes = stored_causes(voila, team_code)
    assert "Rain days" in causes and "Bus strike" in causes
    assert not any("Rain daysBus" in c or "Rain days Bus" in c for c in causes)


def test_a_refused_cause_corrected_at_once_is_added_whole(voila, page, team_code):
    """Refused (already there), the cause stays typed; corrected and entered again before
    any answer could empty the box, it goes whole after the wait."""
    page.goto(voila.url(UNDERSTAND, team=team_code))
    wait_for_widgets(page, "Add a cause")
    add_cause(page, "Late buses")
    new_cause = page.locator(".ciw-fishbone").get_by_label("New cause")
    new_cause.focus()
    page.keyboard.type("Late buses")
    page.keyboard.press("Enter")  # refused: the same cause again
    page.keyboard.type(" on Mondays")
    page.keyboard.press("Enter")
    diagram_shows(page, "Late buses on Mondays")
    assert sorted(stored_causes(voila, team_code)).count("Late buses on Mondays") == 1


def test_the_kernels_answer_to_ones_own_entry_is_no_teammates_save(voila, page, team_code):
    """The aim's 'What will change' drops a trailing space once entered; typing on at once
    must keep the words and raise no 'a teammate saved' notice."""
    page.goto(voila.url("03-theory-of-improvement.ipynb", team=team_code))
    wait_for_widgets(page, "What will change")
    what = page.get_by_label("What will change")
    what.click()
    page.keyboard.type("reading fluency ")
    page.keyboard.press("Enter")
    page.keyboard.type("in grade 3")
    page.wait_for_timeout(2000)  # the answer, and the next look for teammates' saves
    assert page.locator(".ciw-meanwhile").count() == 0
    assert what.input_value() == "reading fluency in grade 3"


def test_a_box_left_unchanged_takes_the_teammates_words(voila, browser, page, team_code):
    with two_laptops(voila, browser, page, team_code, "Equity focus") as (_other, mine, theirs):
        mine.click()
        page.keyboard.type("x")
        page.keyboard.press("Backspace")  # typed, then taken back: nothing changed here
        theirs.fill("Ben: multilingual learners")
        theirs.press("Tab")
        page.locator(".ciw-meanwhile").wait_for(timeout=LIVE_MS)
        page.keyboard.press("Tab")
        assert mine.input_value() == "Ben: multilingual learners"
