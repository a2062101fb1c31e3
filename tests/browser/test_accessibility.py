"""axe-core on every page a visitor can open: no serious or critical violation.

axe-core comes from the npm registry (package-lock.json, `npm ci`) and is injected into
the page by Playwright; nothing is fetched at run time.
"""

from __future__ import annotations

import pytest

from ciwidgets.paths import resource_dir
from ciwidgets.serve.catalog import list_workbooks

from .helpers import screenshot, wait_for_widgets

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
