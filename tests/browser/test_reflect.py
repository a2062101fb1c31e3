"""Workbooks 0 and 7 in Chromium: a member of Fox records a pulse after a meeting, reloads
and sees it, and the team's home shows who did it; Fox shares a learning with the
network, reloads and sees it, Eagle sees it in its feed, and Fox takes it back. The
storyboard prints on one page. Screenshots go to artifacts/ to be looked at."""

from __future__ import annotations

import re
import secrets

from .helpers import ARTIFACTS, screenshot, wait_for_widgets

START = "00-start-here.ipynb"
REFLECT = "07-reflect-and-share.ipynb"


def open_reflect(voila, page, team: str, me: str = "") -> None:
    voila.require(REFLECT)
    page.goto(voila.url(REFLECT, team=voila.demo_code(team), me=me or None))
    wait_for_widgets(page, "Add my pulse")
    page.locator(".ciw-share").get_by_text("From the other schools").wait_for()


def rate(page, label: str, value: int) -> None:
    group = page.locator(".widget-toggle-buttons", has=page.get_by_text(label, exact=True))
    group.get_by_role("button", name=str(value), exact=True).click()


def test_record_a_pulse_reload_and_see_it_on_the_home_page(voila, page):
    voila.require(START)
    comment = f"Exit tickets made the data real {secrets.token_hex(2)}"
    open_reflect(voila, page, "Fox", me="Ms. Patel")
    pulse = page.locator(".ciw-pulse-check")
    pulse.get_by_label("Who").select_option(label="Ms. Patel")
    rate(page, "Vitality (energy)", 4)
    rate(page, "Learning", 5)
    pulse.get_by_label("Comment").fill(comment)
    pulse.get_by_role("button", name="Add my pulse").click()
    pulse.get_by_text("Thank you, Ms. Patel.").wait_for()
    pulse.get_by_text(comment).wait_for()  # in "What people said" for today's meeting

    page.reload()
    wait_for_widgets(page, "Add my pulse")
    page.locator(".ciw-pulse-check").get_by_text(comment).wait_for()
    # The form is ready for the next person, not showing the last one's ratings.
    assert page.locator(".ciw-pulse-check").get_by_label("Who").input_value() == "Choose your name"

    page.goto(voila.url(START, team=voila.demo_code("Fox")))
    wait_for_widgets(page, "Where we stand")
    home = page.locator(".ciw-team-home")
    home.get_by_text("Authentic", exact=True).first.wait_for()
    activity = home.locator("section[aria-labelledby='ciw-home-activity']")
    assert re.search(r"Ms\. Patel\s+added a pulse rating", activity.inner_text())
    screenshot(page, "00-start-here")


def test_share_a_learning_reload_see_it_and_another_school_sees_it(voila, page):
    title = f"Fox: read the norms aloud {secrets.token_hex(2)}"
    open_reflect(voila, page, "Fox")
    share = page.locator(".ciw-share")
    share.get_by_label("What to share").select_option(label="A note")
    share.get_by_label("Title").fill(title)
    share.get_by_label("What we learned").fill("Reading our three norms aloud made meetings start on time.")
    share.get_by_role("button", name="Share with the network").click()
    share.get_by_text("Shared with Riverside Improvement Network").wait_for()
    share.get_by_text(title).wait_for()

    page.reload()
    wait_for_widgets(page, "Add my pulse")
    share = page.locator(".ciw-share")
    share.get_by_text(title).wait_for()
    assert share.get_by_label("Our project is open to the network's convenings").is_checked()
    screenshot(page, "07-reflect-and-share")

    eagle = page.context.new_page()
    open_reflect(voila, eagle, "Eagle")
    feed = eagle.locator(".ciw-share")
    feed.get_by_text(title).wait_for()
    assert "Fox Elementary · note" in feed.inner_text()
    eagle.close()

    # Tidy up the shared demo network: take it back (asks once more).
    row = share.locator(".widget-hbox", has_text=title)
    row.get_by_role("button", name="Take back").click()
    row.get_by_role("button", name="Really take back?").click()
    share.get_by_text("Taken back").wait_for()
    share.get_by_text(title).wait_for(state="detached")


def test_the_storyboard_preview_shows_and_prints_on_one_page(voila, page, browser):
    open_reflect(voila, page, "Fox")
    frame = page.frame_locator("iframe[title='Storyboard preview']")
    frame.get_by_text("Where we stand on the six principles").wait_for()
    frame.get_by_text("Exit-ticket mastery", exact=False).first.wait_for()
    html = page.locator("iframe[title='Storyboard preview']").get_attribute("srcdoc")

    printer = browser.new_page()
    printer.set_content(html)
    printer.emulate_media(media="print")
    for paper in ("Letter", "A4"):
        pdf = printer.pdf(format=paper)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, f"the storyboard prints on {pages} {paper} pages"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "storyboard-fox.pdf").write_bytes(printer.pdf(format="Letter"))
    printer.emulate_media(media="screen")
    printer.set_viewport_size({"width": 900, "height": 1200})
    printer.screenshot(path=str(ARTIFACTS / "storyboard-fox.png"), full_page=True)
    printer.close()
