"""Workbooks 1 and 8 in Chromium.

- 1. Form the team: add a person with the keyboard only, reload, still there (and in the
  store), then remove them with the keyboard.
- 8. Network convening: the hub code shows every demo team side by side; a team's join
  code or no code shows no team's data at all.
Screenshots go to artifacts/ to be looked at."""

from __future__ import annotations

import secrets
from pathlib import Path

from ciwidgets.analysis.team import remove_member
from ciwidgets.model import Team
from ciwidgets.session import Session
from ciwidgets.store import Store

from .helpers import open_as_fox, read_the_question, screenshot, wait_for_widgets

TEAM = "01-form-the-team.ipynb"
CONVENING = "08-network-convening.ipynb"
# Data only a team's own work holds (not the workbooks' prose, which cites the demo cases).
OTHER_TEAMS_DATA = ("language that supports unity", "chronically absent", "read at grade level",
                    "Mr. Haddad", "Staff at the equity team meeting")


def member_names(page) -> list[str]:
    return page.eval_on_selector_all(".ciw-team .ciw-team-row input[type=text]", "els => els.map(e => e.value)")


def stored_team(voila, code: str) -> Team:
    store = Store(voila.db)
    try:
        return store.by_code(code)
    finally:
        store.close()


def test_add_a_person_with_the_keyboard_and_see_them_after_reload(voila, page):
    voila.require(TEAM)
    code = voila.demo_code("Fox")
    page.goto(voila.url(TEAM, team=code))
    wait_for_widgets(page, "Who is on the design team")
    name = f"Jordan {secrets.token_hex(2)}"
    add = page.locator(".ciw-team .ciw-team-add").first

    # Keyboard only: type the role into the list (type-ahead), Tab to the name, Enter.
    add.get_by_label("Role").focus()
    page.keyboard.type("Student")
    page.keyboard.press("Tab")
    page.keyboard.type(name)
    page.keyboard.press("Enter")

    new_person = add.get_by_label("New person")
    page.wait_for_function("el => el.value === ''", arg=new_person.element_handle())
    page.wait_for_function(f"() => [...document.querySelectorAll('.ciw-team-row input')].some(e => e.value === {name!r})")
    page.locator(".ciw-voice", has_text="Students & families · 2").wait_for()
    assert (name, "student") in [(m.name, m.role) for m in stored_team(voila, code).members]

    page.reload()
    wait_for_widgets(page, "Who is on the design team")
    page.wait_for_function(f"() => [...document.querySelectorAll('.ciw-team-row input')].some(e => e.value === {name!r})")
    names = member_names(page)
    row = page.locator(".ciw-team .ciw-team-row").nth(names.index(name))
    role = row.locator("select").evaluate("el => el.options[el.selectedIndex].textContent")
    assert role.strip() == "Student"
    assert page.locator(".ciw-voice", has_text=name).count() == 1

    # Tidy up with the keyboard: from the name, Tab past the role to Remove; it asks once more.
    row.locator("input[type=text]").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    row.get_by_role("button", name="Really remove?").wait_for()
    read_the_question(page)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ![...document.querySelectorAll('.ciw-team-row input')].some(e => e.value === {name!r})")
    assert name not in [m.name for m in stored_team(voila, code).members]


def has_member(name: str) -> str:
    return f"() => [...document.querySelectorAll('.ciw-team-row input')].some(e => e.value === {name!r})"


def test_two_browsers_adding_people_at_once_both_keep_theirs(voila, browser, context, page):
    voila.require(TEAM)
    code = voila.demo_code("Fox")
    other_context = browser.new_context(viewport={"width": 1280, "height": 800})
    other = other_context.new_page()
    try:
        for p in (page, other):
            p.goto(voila.url(TEAM, team=code))
        for p in (page, other):
            wait_for_widgets(p, "Who is on the design team")
            p.locator(".ciw-team .ciw-team-add").first.wait_for()
        mine, theirs = f"Avery {secrets.token_hex(2)}", f"Blake {secrets.token_hex(2)}"
        for p, name in ((page, mine), (other, theirs)):  # neither page has seen the other's yet
            p.locator(".ciw-team .ciw-team-add").first.get_by_label("New person").fill(name)
        for p in (page, other):
            p.locator(".ciw-team .ciw-team-add").first.get_by_label("New person").press("Enter")
        for p in (page, other):  # each sees both: its own at once, the other's when it is saved
            p.wait_for_function(has_member(mine))
            p.wait_for_function(has_member(theirs))
        names = [m.name for m in stored_team(voila, code).members]
        assert mine in names and theirs in names
    finally:
        other_context.close()
        tidy = Store(voila.db)
        team = tidy.by_code(code)
        session = Session(tidy, Team, team.id, "test")
        for member in [m for m in team.members if m.name.startswith(("Avery ", "Blake "))]:
            session.edit(lambda t, i=member.id: remove_member(t, i))
        tidy.close()


def test_screenshot_of_workbook_1(voila, page):
    open_as_fox(voila, page, TEAM, "Who is on the design team")
    page.locator(".ciw-voice").first.wait_for()
    page.locator(".ciw-team textarea").wait_for()
    screenshot(page, "01-form-the-team")


def test_the_hub_code_shows_every_team_side_by_side(voila, page):
    voila.require(CONVENING)
    page.goto(voila.url(CONVENING, hub=voila.hub_code))
    wait_for_widgets(page, "Shared learnings, newest first")
    cards = page.locator(".ciw-cv .cv-card")
    assert cards.count() == len(voila.team_codes)
    for team in voila.team_codes:
        assert page.locator(".ciw-cv .cv-card h3", has_text=team).count() == 1
    fox = page.locator(".ciw-cv .cv-card", has_text="Fox Elementary")
    assert fox.locator("svg").count() == 1  # the driver-diagram thumbnail
    assert "a shift up since" in fox.inner_text()
    assert page.locator(".ciw-cv .cv-feed li", has_text="Fox Elementary").count() >= 1
    screenshot(page, "08-network-convening")

    # A closer look at one school, chosen with the keyboard.
    page.get_by_label("Look closer at").focus()
    page.keyboard.type("Fox")
    page.locator(".ciw-convening .ciw-diagram svg").wait_for()
    assert page.get_by_text("Standards-based lesson-planning slide deck: 3 cycles").count() >= 1


def test_a_team_code_or_no_code_shows_no_other_teams_data(voila, page):
    voila.require(CONVENING)
    fox = voila.demo_code("Fox")
    for url in (voila.url(CONVENING, team=fox), voila.url(CONVENING), voila.url(TEAM)):
        page.goto(url)
        wait_for_widgets(page)
        page.locator(".ciw-header, .ciw-locked").first.wait_for()
        html = page.content()
        assert page.locator(".ciw-cv").count() == 0, url
        for words in OTHER_TEAMS_DATA:
            assert words not in html, (url, words)
        for name, code in voila.team_codes.items():
            if code != fox or "team=" not in url:
                assert code not in html, (url, name)
        assert voila.hub_code not in html
    # Without a code the page asks for one, and no editor of anyone's team is there.
    assert page.get_by_label("Join code").count() == 1
    assert page.locator(".ciw-team, .ciw-team-row, .ciw-voice").count() == 0


def test_the_coach_downloads_join_cards_for_the_address_teams_use(voila, page):
    voila.require(CONVENING)
    page.goto(voila.url(CONVENING, hub=voila.hub_code))
    wait_for_widgets(page, "Download join cards (HTML)")
    cards = page.locator(".ciw-join-cards")
    assert "only works on the server itself" in cards.inner_text()  # opened as 127.0.0.1
    address = cards.get_by_label("Address teams use")
    address.fill("192.168.1.20:8866")
    address.press("Enter")
    cards.get_by_text("The cards will open http://192.168.1.20:8866").wait_for()
    assert address.input_value() == "http://192.168.1.20:8866"
    with page.expect_download() as download:
        cards.get_by_role("button", name="Download join cards (HTML)").click()
    assert download.value.suggested_filename == "join-cards-riverside-improvement-network.html"
    handout = Path(download.value.path()).read_text(encoding="utf-8")
    for team, code in voila.team_codes.items():
        assert f"http://192.168.1.20:8866/voila/render/00-start-here.ipynb?team={code}" in handout, team
        assert code not in page.content(), team  # the projected page never shows a code
    assert handout.count("<svg") == len(voila.team_codes)  # a QR code on each card


def test_a_word_longer_than_the_page_wraps_and_hides_no_control(voila, page):
    """A name or an aim typed (or pasted) without spaces breaks where it must: before, it
    widened the page's boxes and pushed the last phases and the SMART advice out of sight."""
    word = "Pneumonoultramicroscopic" * 8
    code = voila.new_team("Long words", word, aim={"what": word, "for_whom": "students", "baseline": 17, "target": 35})
    for notebook, last in (("00-start-here.ipynb", "7. Reflect and share"), ("03-theory-of-improvement.ipynb", None)):
        page.goto(voila.url(notebook, team=code))
        wait_for_widgets(page)
        page.locator(".ciw-header").first.wait_for()
        if last:
            link = page.locator(".ciw-phase-nav").get_by_role("link", name=last)
            assert link.bounding_box()["x"] + link.bounding_box()["width"] <= page.viewport_size["width"]
        else:
            page.get_by_text("To make it SMART").wait_for()
        outside = page.evaluate("""() => [...document.querySelectorAll('.ciw-view *')].filter(el => {
            const box = el.getBoundingClientRect(), sheet = el.closest('.ciw-view').getBoundingClientRect();
            return box.width > 0 && (box.right > sheet.right + 1 || box.left < sheet.left - 1);
          }).length""")
        assert outside == 0, notebook
    screenshot(page, "03-theory-long-words")
