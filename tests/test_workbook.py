"""open_workbook: the join code decides whose work is shown, and nothing leaks without one."""

import datetime as dt
import logging
from urllib.parse import urlencode

import pytest

from ciwidgets.demo import build_demo
from ciwidgets.model import Network, SharedLearning, Team
from ciwidgets.session import Session
from ciwidgets.store import Store
from ciwidgets.workbook import Workbook, log_to_server, open_workbook


@pytest.fixture
def demo(tmp_path, monkeypatch):
    db = tmp_path / "demo.db"
    store = Store(db)
    network = build_demo(store)
    monkeypatch.delenv("CIWIDGETS_TEAM", raising=False)
    monkeypatch.setenv("CIWIDGETS_DB", str(db))
    return store, network, {t.name.split()[0]: t for t in store.teams(network.id)}


def text_of(widget):
    """All HTML text inside a widget tree."""
    parts = [getattr(widget, "value", "")] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        parts.append(text_of(child))
    return "\n".join(parts)


def test_a_join_code_opens_that_team_only(demo):
    store, network, teams = demo
    wb = open_workbook(teams["Fox"].join_code, show=False)
    assert wb.is_open and wb.team.name == "Fox Elementary"
    assert wb.session.doc.title == "Math for every Fox student"
    header = text_of(wb.header())
    assert "Fox Elementary" in header
    assert "Eagle" not in header and "Riverside" not in header


def test_the_code_can_come_from_the_environment(demo, monkeypatch):
    _, _, teams = demo
    monkeypatch.setenv("CIWIDGETS_TEAM", teams["Eagle"].join_code)
    assert open_workbook(show=False).team.name == "Eagle Elementary"


def served(monkeypatch, query: str) -> None:
    """As in a kernel Voilà started for a visitor with this query string."""
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", query)


@pytest.mark.parametrize("code", ["", "wrong-code-xx", "' OR 1=1 --"])
def test_no_or_a_wrong_code_shows_nothing_of_any_team(demo, code, monkeypatch):
    served(monkeypatch, urlencode({"team": code}))
    wb = open_workbook(show=False)
    assert not wb.is_open and wb.session is None and wb.hub_session is None
    header = text_of(wb.header())
    assert "join code" in header and "coach" in header and '<input id="ciw-code" name="team"' in header
    for name in ("Fox", "Eagle", "Heron", "Oak", "Riverside"):
        assert name not in header
    assert wb.fishbone() is None and wb.convening() is None
    assert ("opens no team's workbook" in header) == bool(code)  # a code typed wrong is said to be wrong
    if code.startswith("'"):
        assert "'&#x27; OR 1=1 --'" in header  # shown as text


def test_served_only_the_visitors_link_decides_whose_work_opens(demo, monkeypatch):
    _, _, teams = demo
    monkeypatch.setenv("CIWIDGETS_TEAM", teams["Fox"].join_code)  # left in the server's environment
    served(monkeypatch, urlencode({"team": teams["Eagle"].join_code, "me": "Ana"}))
    # A coach's code saved in the notebook's first cell does not open Fox for Eagle …
    wb = open_workbook(teams["Fox"].join_code, phase=2, me="Coach", show=False)
    assert wb.team.name == "Eagle Elementary" and wb.author == "Ana"
    served(monkeypatch, "")  # … nor for a visitor with no code at all
    assert not open_workbook(teams["Fox"].join_code, phase=2, show=False).is_open


def test_in_jupyterlab_the_coach_names_the_team_and_themself(demo, monkeypatch):
    _, _, teams = demo
    monkeypatch.setenv("CIWIDGETS_ME", "Ms. Brooks")
    wb = open_workbook(teams["Fox"].join_code, phase=2, show=False)
    assert wb.team.name == "Fox Elementary" and wb.author == "Ms. Brooks"
    assert open_workbook(teams["Fox"].join_code, me="Mr. Okafor", show=False).author == "Mr. Okafor"


@pytest.mark.parametrize("phase, env", [(2, "CIWIDGETS_TEAM"), (8, "CIWIDGETS_HUB")])
def test_in_jupyterlab_a_missing_code_says_where_it_goes_without_a_form(demo, phase, env):
    header = text_of(open_workbook(phase=phase, show=False).header())
    assert f"export {env}=" in header and f", phase={phase})" in header and "ciwidgets team list" in header
    assert "<form" not in header  # a form would reload the whole JupyterLab page


def test_the_convening_asks_for_the_hub_code(demo, monkeypatch):
    served(monkeypatch, "")
    header = text_of(open_workbook(phase=8, show=False).header())
    assert "hub code" in header and '<input id="ciw-code" name="hub"' in header and "join code" not in header


def test_opening_another_workbook_retires_the_views_of_the_one_before(demo, monkeypatch):
    _, _, teams = demo
    monkeypatch.setattr("ciwidgets.workbook.display", lambda *_: None)
    fox = open_workbook(teams["Fox"].join_code, phase=2)
    causes = len(fox.session.doc.fishbone.causes)
    view = fox.fishbone()
    open_workbook(teams["Eagle"].join_code, phase=2)  # the first cell, run again for another team
    assert "These views show Fox Elementary&#x27;s work" in status_text(view)  # said at once, on the old views
    result = fox.session.edit(lambda p: p.fishbone.causes.clear(), "cleared")
    assert not result.ok and "Run the cells below it again" in result.message
    assert len(fox.store.current_project(teams["Fox"].id).fishbone.causes) == causes  # Fox's work untouched


def test_the_hub_code_opens_the_network_but_no_team_views(demo):
    store, network, _ = demo
    wb = open_workbook(network.hub_code, show=False)
    assert wb.is_hub and wb.hub_session.doc.name == network.name
    assert wb.fishbone() is None


def test_an_open_hub_page_shows_what_teams_share_without_a_refresh(demo, monkeypatch):
    store, network, teams = demo
    monkeypatch.setattr("ciwidgets.workbook.display", lambda *_: None)
    wb = open_workbook(network.hub_code, phase=8)
    convening = wb.convening()
    Session(store, Network, network.id, "Oak").edit(lambda n: n.shared_learnings.append(SharedLearning(
        team_id=teams["Oak"].id, date=dt.date.today(), title="Oak: exit tickets in every class")))
    assert "Oak: exit tickets" not in convening.board.value
    wb._poller.callback()  # what the page's poll does every few seconds
    assert "Oak: exit tickets" in convening.board.value
    wb.retire()


def test_the_hub_code_on_a_teams_workbook_says_where_it_leads(demo, monkeypatch):
    store, network, _ = demo
    wb = open_workbook(network.hub_code, phase=6, show=False)
    monkeypatch.setattr("ciwidgets.workbook.in_voila", lambda: True)  # as served: with a link
    header = text_of(wb.header())
    assert "opens with that team's join code" in header
    assert f'href="08-network-convening.ipynb?hub={network.hub_code}"' in header
    assert "join code" not in text_of(open_workbook(network.hub_code, phase=8, show=False).header())


def test_a_team_code_does_not_open_the_hub_views(demo, monkeypatch):
    _, _, teams = demo
    wb = open_workbook(teams["Fox"].join_code, phase=8, show=False)
    assert wb.hub_session is None and wb.convening() is None
    monkeypatch.setattr("ciwidgets.workbook.in_voila", lambda: True)  # as served: with a link
    header = text_of(wb.header())
    assert "opens with the network's hub code, which your coach has" in header
    assert f'href="00-start-here.ipynb?team={teams["Fox"].join_code}"' in header
    assert "hub code" not in text_of(open_workbook(teams["Fox"].join_code, phase=6, show=False).header())


def test_team_names_are_escaped_in_the_header(tmp_path):
    store = Store(tmp_path / "x.db")
    network = store.create(Network(name="N")).doc
    team = store.create(Team(network_id=network.id, name="<img src=x onerror=alert(1)>")).doc
    header = text_of(Workbook(store, team).header())
    assert "<img" not in header and "&lt;img src=x onerror=alert(1)&gt;" in header


def test_unknown_views_are_an_attribute_error(demo):
    _, _, teams = demo
    wb = open_workbook(teams["Fox"].join_code, show=False)
    with pytest.raises(AttributeError):
        wb.not_a_view()
    assert "fishbone" in dir(wb)


def test_every_view_name_reaches_its_view(demo):
    """A view named like a Workbook attribute (wb.team is the Team) could never be called."""
    from ciwidgets.widgets import VIEWS

    _, _, teams = demo
    wb = open_workbook(teams["Fox"].join_code, show=False)
    for name in VIEWS:
        assert name not in vars(wb) and not hasattr(Workbook, name), name
        assert callable(getattr(wb, name))


def test_a_served_workbook_leaves_what_it_loaded_and_its_views_out_of_later_garbage_collections(
        served_logging, demo, monkeypatch):
    import gc

    store, _network, teams = demo
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("QUERY_STRING", f"team={teams['Fox'].join_code}")
    monkeypatch.setattr(Workbook, "keep_fresh", lambda self: None)
    gc.unfreeze()
    try:
        wb = open_workbook(phase=2)
        assert wb.is_open
        assert gc.get_freeze_count() > 10_000  # the libraries and the team's documents
        opened = gc.get_freeze_count()
        fishbone = wb.fishbone()
        assert gc.get_freeze_count() > opened  # and each view's controls:
        assert not any(obj is fishbone for obj in gc.get_objects())
    finally:
        gc.unfreeze()


def test_in_jupyterlab_nothing_is_frozen(demo, monkeypatch):
    """A coach runs cells again: the views they replace must stay collectable."""
    import gc

    store, _network, teams = demo
    monkeypatch.setattr(Workbook, "keep_fresh", lambda self: None)
    gc.unfreeze()
    wb = open_workbook(teams["Fox"].join_code, phase=2)
    wb.fishbone()
    assert gc.get_freeze_count() == 0


@pytest.fixture
def served_logging():
    """`log_to_server()` as a served kernel calls it; its handlers removed afterwards."""
    names = ("ciwidgets", "Comm", "ciwidgets.session", "ciwidgets.workbook")
    before = {name: list(logging.getLogger(name).handlers) for name in names}
    log_to_server.cache_clear()
    yield log_to_server()
    for name in names:
        logging.getLogger(name).handlers = before[name]
    log_to_server.cache_clear()


def test_a_served_kernel_sends_its_warnings_to_the_server_log(served_logging, capfd):
    """In a kernel, sys.stderr is the notebook's output, which a Voilà page never shows
    for an edit; the kernel's real stderr is the server's log."""
    logging.getLogger("ciwidgets.store.db").warning("the database failed: disk full")
    logging.getLogger("Comm").error("Exception in comm_msg for 1234")
    err = capfd.readouterr().err
    assert "[ciwidgets kernel" in err and "the database failed: disk full" in err
    assert "Exception in comm_msg for 1234" in err


def test_a_view_that_fails_to_redraw_is_told_to_the_visitor_in_words(served_logging, demo, capfd):
    """The page says that something went wrong and how to get back to what is saved;
    the traceback goes to the server's log only."""
    store, _network, teams = demo
    notice = served_logging
    session = Session.for_team(store, teams["Fox"])
    assert notice.value == ""

    def broken_view(_session):
        raise KeyError("secret_detail")

    session.observe(broken_view)
    result = session.edit(lambda p: setattr(p, "title", "A new title"), "title")
    assert result.status == "saved"  # the edit itself is kept
    assert "Something went wrong on this page" in notice.value and 'role="alert"' in notice.value
    assert "Reload the page" in notice.value and "secret_detail" not in notice.value
    assert "secret_detail" in capfd.readouterr().err


def test_a_failing_observer_is_told_but_a_failed_save_only_in_the_save_status(served_logging):
    """A value observer that raises is logged by the comm package ("Comm"). A database
    that fails already says so where the visitor looks (the save status)."""
    notice = served_logging
    logging.getLogger("ciwidgets.store.db").error("the database failed")
    assert notice.value == ""
    logging.getLogger("Comm").error("Exception in comm_msg for 1234")
    assert "Something went wrong on this page" in notice.value


def from_the_browser(widget, **state) -> None:
    """The message a browser sends when a person changes `widget` (as ipywidgets receives it)."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []})


def widgets_in(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widgets_in(child)


def status_text(view) -> str:
    [status] = [w for w in widgets_in(view) if type(w).__name__ == "SaveStatus"]
    return text_of(status)


def test_a_refusal_is_said_once_in_the_view_worked_in(demo):
    _, _, teams = demo
    wb = open_workbook(teams["Fox"].join_code, phase=3, show=False)
    diagram, measures, header = wb.driver_diagram(), wb.measures(), wb.header()
    [box] = [w for w in widgets_in(diagram) if getattr(w, "placeholder", "").startswith("Type a primary driver")]
    from_the_browser(box, value="data-driven   INSTRUCTION")  # Fox has 'Data-driven instruction'
    assert "There is already a primary driver" in status_text(diagram)
    assert "There is already" not in status_text(measures) and "saved as you go" in status_text(measures)
    assert "There is already" not in text_of(header)


def test_in_jupyterlab_an_empty_store_is_named_rather_than_the_code_blamed(tmp_path, monkeypatch):
    """A relative store path is read from the notebook's folder: there the coach found an
    empty store, and a message saying the (right) join code opened nothing."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIWIDGETS_DB", raising=False)
    wb = open_workbook("rj89-sfx8-2u", phase=2, show=False)
    header = wb.header().children[1].value
    assert "No teams in this store" in header and str(tmp_path / "ciwidgets.db") in header
    assert "make lab" in header and "opens no team" not in header
