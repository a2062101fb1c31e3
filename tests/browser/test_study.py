"""Workbook 6 (Study) in Chromium: a team adds this week's observation with the
keyboard, reloads, and finds the point on the run chart with its median; the next value
goes in with Enter.

The test uses a team of its own (in a network of its own) in the session's demo
store, with Fox's exit-ticket measure and twelve weeks of data, so the other
browser tests keep seeing the demo data as built. Screenshots go to artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest

from ciwidgets.analysis.runchart import format_date
from ciwidgets.model import Measure, Observation
from ciwidgets.store import Store

from .helpers import screenshot, wait_for_widgets

STUDY = "06-study.ipynb"
WEEKLY = [21, 23, 22, 20, 24, 22, 23, 21, 22, 24, 23, 22]  # median 22


@pytest.fixture
def team_code(voila) -> str:
    """A new team with one weekly measure and twelve weeks of data; its join code."""
    measure = Measure(name="Exit-ticket mastery", unit="% of students", target=35)
    last_monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 7)
    start = last_monday - dt.timedelta(weeks=len(WEEKLY) - 1)
    observations = [
        Observation(measure_id=measure.id, date=start + dt.timedelta(weeks=k), value=value)
        for k, value in enumerate(WEEKLY)
    ]
    return voila.new_team("Study browser test", "Kestrel Elementary", title="Math for every Kestrel student",
                          measures=[measure], observations=observations)


def stored_values(voila, code: str) -> list[float]:
    store = Store(voila.db)
    try:
        project = store.current_project(store.by_code(code).id)
        return [o.value for o in project.observations_of(project.measures[0].id)]
    finally:
        store.close()


def chart_titles(page, text: str):
    """The hover titles (SVG <title>) on the run chart that contain `text`."""
    return page.locator(".ciw-runchart .ciw-diagram svg title").filter(has_text=text)


def test_add_an_observation_reload_and_see_it_on_the_run_chart(voila, page, team_code):
    voila.require(STUDY)
    page.goto(voila.url(STUDY, team=team_code))
    wait_for_widgets(page, "Add an observation")
    page.locator(".ciw-runchart .ciw-diagram svg").first.wait_for()
    today = format_date(dt.date.today())

    # Two steps: type the value (the date is today), then activate Add, by keyboard.
    page.get_by_label("New value", exact=True).focus()
    page.keyboard.type("41")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Add", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_text(f"Added 41 on {today}.").wait_for()
    assert stored_values(voila, team_code) == [*WEEKLY, 41.0]
    chart_titles(page, f"{today}: 41 % of students.").first.wait_for(state="attached")

    page.reload()
    wait_for_widgets(page, "Add an observation")
    page.locator(".ciw-runchart .ciw-diagram svg").first.wait_for()
    point = chart_titles(page, f"{today}: 41 % of students.")
    assert point.count() == 1
    median = page.locator(".ciw-runchart .ciw-diagram svg text").filter(has_text="Median 22")
    assert median.count() == 1 and median.first.is_visible()
    assert page.get_by_text("Goal 35").first.is_visible()
    # The sentences under the chart: 13 points, four on the median of 22.
    assert page.get_by_text("Only 9 points are off the median").is_visible()
    screenshot(page, "study-run-chart")

    # The next one as in a spreadsheet: a date, a value, Enter.
    yesterday = dt.date.today() - dt.timedelta(days=1)
    page.get_by_label("New date", exact=True).fill(yesterday.isoformat())
    page.get_by_label("New value", exact=True).fill("39")
    page.get_by_label("New value", exact=True).press("Enter")
    page.get_by_text(f"Added 39 on {format_date(yesterday)}.").wait_for()
    assert sorted(stored_values(voila, team_code)) == sorted([*WEEKLY, 41.0, 39.0])
    chart_titles(page, f"{format_date(yesterday)}: 39 % of students.").first.wait_for(state="attached")


def test_paste_a_range_and_see_the_preview_first(voila, page, team_code):
    voila.require(STUDY)
    page.goto(voila.url(STUDY, team=team_code))
    wait_for_widgets(page, "Paste or upload many")
    paste = page.get_by_label("Paste rows", exact=True)
    paste.fill("Date\tValue\n2020-01-06\t30\n2020-02-31\t31\n")
    page.get_by_role("button", name="Check the pasted rows").click()
    page.get_by_text("Row 3: '2020-02-31' is not a date.").wait_for()
    assert stored_values(voila, team_code) == WEEKLY  # nothing imported yet
    screenshot(page, "study-paste-preview")
    page.get_by_role("button", name="Import the 1 good row").click()
    page.get_by_text("Imported 1 observation.").wait_for()
    assert stored_values(voila, team_code) == [30.0, *WEEKLY]


CHART_WIDTH_JS = "() => Number(document.querySelector('.ciw-runchart .ciw-diagram svg')?.getAttribute('width'))"


def test_on_a_tablet_the_chart_is_drawn_to_its_width_with_words_at_full_size(voila, page, team_code):
    voila.require(STUDY)
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(voila.url(STUDY, team=team_code))
    wait_for_widgets(page, "Add an observation")
    page.wait_for_function(f"({CHART_WIDTH_JS})() < 900")  # drawn again, to the tablet's width
    chart = page.locator(".ciw-runchart .ciw-diagram svg").first
    drawn, shown = chart.evaluate("el => [Number(el.getAttribute('width')), el.getBoundingClientRect().width]")
    assert shown == pytest.approx(drawn, abs=20)  # not shrunk: its words keep their size
    median = page.locator(".ciw-runchart .ciw-diagram svg text").filter(has_text="Median 22").first
    assert median.evaluate("el => el.getBoundingClientRect().height") >= 10
    screenshot(page, "study-run-chart-tablet")
    page.set_viewport_size({"width": 1280, "height": 800})  # on a laptop: the full chart again
    page.wait_for_function(f"({CHART_WIDTH_JS})() === 900")
