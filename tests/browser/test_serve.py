"""`ciwidgets serve` as a visitor meets it, in Chromium.

Every test also fails if its page fetched anything from outside the server (see the
`context` fixture): no CDN, no font service, nothing.
"""

from __future__ import annotations

import time
import urllib.request

import pytest

from ciwidgets.serve.catalog import list_workbooks

from .conftest import CULL_IDLE_TIMEOUT, CULL_INTERVAL
from .helpers import kernel_id, open_as_fox, screenshot, wait_for_widgets

START = "00-start-here.ipynb"


def shown_data(page) -> str:
    """What the code cells show (widgets and outputs), without the narrative, which may
    name the demo schools as examples."""
    return "\n".join(page.locator(".jp-CodeCell").all_inner_texts())


def work_of_other_teams(voila, but: str | None = None) -> dict[str, list[str]]:
    """What only a team's own work contains (its join code, members, problem and aim),
    for every demo team except `but`. Names alone will not do: the narrative and the
    views cite the Fox and Eagle cases as examples."""
    from ciwidgets.store import Store

    store = Store(voila.db)
    try:
        markers = {}
        for name, code in voila.team_codes.items():
            if name == but:
                continue
            team = store.by_code(code)
            project = store.current_project(team.id)
            markers[name] = [code, *(m.name for m in team.members), project.problem_statement,
                             project.aim.what]
        return {name: [m for m in found if m] for name, found in markers.items()}
    finally:
        store.close()


def wait_until(condition, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


# -- the landing page ---------------------------------------------------------------------
def test_landing_page_lists_the_workbooks_in_order_with_the_join_code(voila, page):
    code = voila.demo_code("Fox")
    page.goto(voila.landing_url(team=code))
    page.get_by_role("heading", name="Your improvement journey").wait_for()
    links = page.locator("ol.ciw-phases a")
    team_pages = [e for e in list_workbooks(voila.folder) if not e.for_coaches]
    assert links.count() == len(team_pages)
    for link, entry in zip(links.all(), team_pages, strict=True):
        assert entry.title in link.inner_text()
        assert link.get_attribute("href").endswith(f"/voila/render/{entry.filename}?team={code}")
    screenshot(page, "landing-with-code")


def test_landing_page_asks_for_a_code_and_passes_it_on(voila, page):
    page.goto(voila.landing_url())
    code = voila.demo_code("Eagle")
    typed = code.replace("-", "").upper()
    page.get_by_label("Join code").fill(f"{typed[:4]} {typed[4:8]} {typed[8:]}")  # as read off a card
    page.get_by_role("button", name="Open our workbooks").click()
    page.get_by_text("Opening the workbooks of Eagle Elementary").wait_for()
    assert code not in page.inner_text("body")  # a landing page may be projected
    first = page.locator("ol.ciw-phases a").first
    assert first.get_attribute("href").endswith(f"?team={code}")
    screenshot(page, "landing")
    first.click()
    wait_for_widgets(page, "Eagle Elementary")


def test_landing_page_never_echoes_a_malformed_code(voila, page):
    page.goto(voila.landing_url(team='"><script>alert(1)</script>'))
    page.get_by_role("alert").wait_for()
    assert "<script>alert" not in page.content()
    assert "No team has that join code" in page.inner_text("body")


def test_the_hub_code_or_an_unknown_code_in_the_join_form_is_said_so(voila, page):
    page.goto(voila.landing_url())
    page.get_by_label("Join code").fill(voila.hub_code)
    page.get_by_role("button", name="Open our workbooks").click()
    page.get_by_role("alert").filter(has_text="That is the network's hub code").wait_for()
    assert voila.hub_code not in page.inner_text("body")
    assert "?" not in page.locator("ol.ciw-phases a").first.get_attribute("href")  # a team page would show nothing
    convening = page.locator("ul.ciw-phases-coach a").first
    assert convening.get_attribute("href").endswith(f"?hub={voila.hub_code}")

    page.get_by_label("Join code").fill("zzzz-zzzz-zz")
    page.get_by_role("button", name="Open our workbooks").click()
    page.get_by_role("alert").filter(has_text="No team has that join code").wait_for()
    assert "zzzz" not in page.inner_text("body")


def test_the_file_tree_leads_to_the_landing_page(voila, page):
    code = voila.demo_code("Fox")
    page.goto(voila.base_url + f"voila/tree?team={code}")
    page.get_by_role("heading", name="Your improvement journey").wait_for()
    assert page.url == voila.landing_url(team=code)


def test_a_missing_page_says_so_in_plain_words(voila, page):
    reply = page.goto(voila.url("no-such-workbook"))
    assert reply.status == 404
    assert "There is no such page" in page.inner_text("body")


# -- a workbook with a join code ---------------------------------------------------------
def test_start_page_shows_the_team_of_the_join_code_only(voila, page):
    open_as_fox(voila, page, START, "Fox Elementary")
    shown = shown_data(page)
    assert "Fox Elementary" in shown and "Math for every Fox student" in shown
    for team, markers in work_of_other_teams(voila, but="Fox Elementary").items():
        assert not [m for m in markers if m in shown], team
    screenshot(page, "start-here-fox")


def test_without_a_code_nothing_of_any_team_shows(voila, page):
    voila.require(START)
    page.goto(voila.url(START))
    wait_for_widgets(page)
    page.wait_for_timeout(1000)  # widgets that might (wrongly) fill in late
    shown = shown_data(page)
    assert "join code" in shown
    for team, markers in work_of_other_teams(voila).items():
        assert not [m for m in markers if m in shown], team
    screenshot(page, "start-here-no-code")


def test_the_join_code_reaches_a_preheated_kernel(voila, page):
    page.goto(voila.url("_test/query", team="abcd-efgh-jk"))
    page.get_by_text("query: team=abcd-efgh-jk").wait_for()
    assert "Using pre-heated kernel" in voila.log()


# -- what a visitor never sees -------------------------------------------------------------
def test_a_failing_cell_shows_kind_words_and_no_code_or_traceback(voila, page):
    page.goto(voila.url("_test/error"))
    page.get_by_text("Something went wrong while opening this part of the workbook").wait_for()
    text = page.inner_text("body")
    assert "before the failure" in text  # the cells before it still show
    for leak in ("Traceback", "ZeroDivisionError", "secret_source_line", "print(", "never printed"):
        assert leak not in text
    assert "secret_source_line" not in page.content()  # not even hidden in the HTML
    assert wait_until(lambda: "ZeroDivisionError" in voila.log(), 10), "the details belong in the server log"
    screenshot(page, "failing-cell")


def test_a_failing_widget_handler_is_logged_for_the_server_and_told_in_words(voila, page):
    """A click handler or a value observer that raises (a bug in a view): the visitor
    is told in words, with a way back to what is saved, and sees no traceback; the
    server's log has the details."""
    page.goto(voila.url("_test/callback-error"))
    wait_for_widgets(page)
    button = page.get_by_role("button", name="Break")
    button.wait_for()
    assert page.get_by_role("alert").count() == 0
    button.click()
    notice = page.get_by_role("alert")
    notice.wait_for()
    assert "Something went wrong on this page" in notice.inner_text()
    assert notice.get_by_role("link", name="Reload the page").count() == 1
    page.get_by_label("Type").fill("x")
    page.keyboard.press("Enter")
    assert wait_until(lambda: "secret_click_line" in voila.log() and "secret_observe_line" in voila.log(), 20)
    screenshot(page, "trouble-notice")
    text = page.inner_text("body")
    for leak in ("Traceback", "ZeroDivisionError", "KeyError", "secret_"):
        assert leak not in text


def test_a_stray_voila_json_in_the_working_directory_is_ignored(voila, page):
    """The server runs in a folder whose voila.json asks for the `lab` template with
    tracebacks and sources shown; ours must win."""
    page.goto(voila.url("_test/bare"))
    wait_for_widgets(page, "Click me")
    assert page.locator("body.ciw-app").count() == 1
    assert "import ipywidgets" not in page.content()


def test_icons_come_from_the_server(voila, page):
    """FontAwesome is served by us (the `lab` template would fetch it from a CDN)."""
    with page.expect_request(lambda request: "fa-solid-900.woff2" in request.url) as font:
        page.goto(voila.url("_test/bare"))
        wait_for_widgets(page, "Click me")
    assert font.value.url.startswith(voila.base_url)
    assert font.value.response().status == 200


# -- kernels -----------------------------------------------------------------------------
def test_closing_a_tab_shuts_its_kernel_down(voila, context):
    """Voilà's own tab-closed request fails without an `_xsrf` cookie (voila#1458)."""
    page = context.new_page()
    page.goto(voila.url("_test/bare"))
    wait_for_widgets(page, "Click me")
    page.get_by_role("button", name="Click me").click()
    page.get_by_text("1 clicks").wait_for()  # a live kernel behind the page
    kid = kernel_id(page)
    assert voila.kernel_alive(kid)
    before = len(voila.kernel_pids())

    page.close(run_before_unload=True)

    assert wait_until(lambda: not voila.kernel_alive(kid), timeout=15), "the kernel outlived its tab"
    assert f"Tab closed: shutting down kernel {kid}" in voila.log()
    assert wait_until(lambda: len(voila.kernel_pids()) < before, timeout=15), "its process is still running"


def test_a_tab_lost_without_goodbye_is_culled(voila, browser):
    """A tablet that sleeps or a browser that crashes sends nothing: idle culling ends it."""
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(voila.url("_test/bare"))
    wait_for_widgets(page, "Click me")
    kid = kernel_id(page)
    ctx.close()  # no beforeunload: the kernel only loses its websocket

    limit = CULL_IDLE_TIMEOUT + 3 * CULL_INTERVAL + 10
    assert wait_until(lambda: not voila.kernel_alive(kid), timeout=limit), "an orphaned kernel was never culled"


def test_a_health_probe_starts_no_kernel(voila):
    """Probing the server the way the fixture does must not cost a kernel."""
    before = sorted(voila.kernel_pids())
    with urllib.request.urlopen(voila.base_url + "voila/templates/ciwidgets/static/ciwidgets.css") as reply:
        assert reply.status == 200
    time.sleep(1)
    assert sorted(voila.kernel_pids()) == before


@pytest.mark.parametrize("width,height", [(1280, 800), (820, 1180)], ids=["laptop", "tablet"])
def test_screenshots_on_a_laptop_and_a_tablet(voila, page, width, height):
    """Pictures to look at: the landing page and the start app at both sizes."""
    page.set_viewport_size({"width": width, "height": height})
    code = voila.demo_code("Fox")
    page.goto(voila.landing_url(team=code))
    page.get_by_role("heading", name="Your improvement journey").wait_for()
    screenshot(page, f"landing-{width}x{height}")
    name = START if START in voila.workbooks else "_test/bare.ipynb"
    page.goto(voila.url(name, team=code))
    wait_for_widgets(page)
    overflow = page.evaluate(
        "() => { const c = document.getElementById('rendered_cells'); return c.scrollWidth - c.clientWidth; }"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    screenshot(page, f"{name.removesuffix('.ipynb').replace('/', '-')}-{width}x{height}")
