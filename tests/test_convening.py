"""The network convening: every team side by side, run-chart signals in words, the feed
of shared learnings, hostile names kept as text, and the hub-only widget."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from ciwidgets.demo import build_demo
from ciwidgets.model import (
    Aim,
    ChangeIdea,
    Measure,
    Network,
    Observation,
    PrimaryDriver,
    Project,
    SharedLearning,
    Team,
)
from ciwidgets.render.convening import (
    convening_html,
    convening_overview,
    convening_page,
    measure_reading,
    team_card,
)
from ciwidgets.session import Session
from ciwidgets.store import Store
from ciwidgets.widgets import convening as convening_widget
from ciwidgets.widgets.convening import ConveningView, current_projects

TODAY = dt.date(2026, 11, 23)
MONDAY = dt.date(2026, 7, 6)
LOW = [20, 22, 19, 23, 21, 20, 24, 19, 22, 21, 20, 23]
HIGH = [40, 42, 39, 41, 43, 40, 42, 41]
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def demo(tmp_path):
    store = Store(tmp_path / "demo.db")
    network = build_demo(store, today=TODAY)
    yield store, network
    store.close()


def overview_of(store: Store, network: Network):
    teams = store.teams(network.id)
    return convening_overview(network, teams, current_projects(store, teams), today=TODAY)


def plain(html: str) -> str:
    """The words a person reads (tags removed, entities decoded)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def cards_in(html: str) -> list[str]:
    return re.findall(r"<li class='cv-card[^']*' data-team='([^']+)'", html)


def project_with(values: list[float], direction: str = "up") -> tuple[Project, Measure]:
    measure = Measure(name="Exit-ticket mastery", desired_direction=direction)
    project = Project(team_id="t-1", measures=[measure])
    project.observations = [Observation(measure_id=measure.id, date=MONDAY + dt.timedelta(weeks=i), value=v)
                            for i, v in enumerate(values)]
    return project, measure


# --------------------------------------------------------------------------- the overview


def test_every_team_of_the_demo_network_has_a_card(demo):
    store, network = demo
    overview = overview_of(store, network)
    html = convening_html(overview)
    teams = store.teams(network.id)
    assert cards_in(html) == [t.id for t in teams]
    for team in teams:
        assert f"<h3>{team.name}</h3>" in html
    fox = overview.card(next(t.id for t in teams if t.name.startswith("Fox")))
    assert fox.phase == 6 and fox.shared and fox.cycles == 3 and fox.linked_ramps == 1
    assert "at least 35% of Fox students" in fox.aim
    assert fox.driver_svg.startswith("<svg") and "Data-driven instruction" in fox.driver_svg
    assert fox.principles is not None and fox.principles.overall == "Authentic"
    text = unescape(html)
    assert "3 PDSA cycles, 2 with a decision · 1 linked ramp" in text
    assert "three teachers → all math and English teachers" in text
    assert "Exit-ticket mastery: ▲ a shift up since 7 Sep" in plain(html)


def test_beginners_show_where_they_stand_not_an_empty_card(demo):
    store, network = demo
    html = unescape(convening_html(overview_of(store, network)))
    heron = html[html.index("<h3>Heron Elementary</h3>"):]
    heron = heron[: heron.index("</li><li class='cv-card") if "</li><li class='cv-card" in heron else None]
    assert "Phase 1 · Form the team" in heron  # two people so far: the team is still forming
    assert "No aim yet — working on: Too many grade 3 students are chronically absent." in heron
    assert "No driver diagram yet." in heron and "No PDSA cycles yet." in heron
    assert "missing: teachers, students & families" in heron
    assert "Next: Interview students or families" in heron


def test_the_feed_is_newest_first_with_the_team_that_shared(demo):
    store, network = demo
    eagle = next(t for t in store.teams(network.id) if t.name.startswith("Eagle"))
    network.shared_learnings.append(SharedLearning(
        team_id=eagle.id, date=TODAY - dt.timedelta(days=3), kind="run chart",
        title="Eagle: attendance at the equity team doubled"))
    overview = overview_of(store, network)
    assert [(f.team, f.title) for f in overview.feed] == [
        ("Eagle Elementary", "Eagle: attendance at the equity team doubled"),
        ("Fox Elementary", "Fox: a planning slide deck, three cycles"),
    ]
    html = convening_html(overview)
    assert html.index("Eagle: attendance") < html.index("Fox: a planning slide deck")
    assert "20 Nov · <strong>Eagle Elementary</strong>" in html


def test_learnings_shared_on_one_day_show_the_last_shared_first(demo):
    """At a convening every share has the same date: the order they came in decides."""
    store, network = demo
    eagle, oak = (next(t for t in store.teams(network.id) if t.name.startswith(n)) for n in ("Eagle", "Oak"))
    for team, title in ((eagle, "Eagle, at 10:00"), (oak, "Oak, at 10:20"), (eagle, "Eagle again, at 11:00")):
        network.shared_learnings.append(SharedLearning(team_id=team.id, date=TODAY, title=title))
    feed = [f.title for f in overview_of(store, network).feed]
    assert feed[:3] == ["Eagle again, at 11:00", "Oak, at 10:20", "Eagle, at 10:00"]


def test_shared_only_hides_the_work_a_team_has_not_shared(demo):
    store, network = demo
    overview = overview_of(store, network)
    eagle = next(c for c in overview.cards if c.name.startswith("Eagle"))
    fox = next(c for c in overview.cards if c.name.startswith("Fox"))
    assert not eagle.shared and fox.shared
    everything = unescape(convening_html(overview))
    assert eagle.aim in everything and "Not shared with the network yet" in everything
    projected = unescape(convening_html(overview, shared_only=True))
    assert eagle.aim not in projected and "Staff at the equity team meeting" not in projected
    assert "Eagle Elementary" in projected and "Has not shared its work with the network yet." in projected
    assert fox.aim in projected and "Not shared with the network yet" not in projected


def test_the_feed_says_which_schools_took_a_learning_up(demo):
    """Learning spreading between schools, made visible: a school that took another's
    learning into what it learns from is named under it, unless it is not sharing its
    own work and the page is being projected."""
    from ciwidgets.analysis.rootcause import source_from_learning

    store, network = demo
    fox_learning = network.shared_learnings[0]
    teams = {t.name.split()[0]: t for t in store.teams(network.id)}
    for name in ("Eagle", "Heron"):
        project, revision = store.load(Project, store.current_project(teams[name].id).id)
        source_from_learning(project, fox_learning, "Fox Elementary")
        store.save(project, revision)
    store.save(*_shared(store, teams["Heron"]))
    overview = overview_of(store, network)
    assert [n for _, n in overview.feed[0].taken_up_by] == ["Eagle Elementary", "Heron Elementary"]
    assert "Taken up by Eagle Elementary, Heron Elementary" in plain(convening_html(overview))
    projected = plain(convening_html(overview, shared_only=True))  # Eagle does not share its work
    assert "Taken up by Heron Elementary" in projected and "Eagle Elementary, Heron" not in projected


def _shared(store: Store, team: Team) -> tuple[Project, int]:
    project, revision = store.load(Project, store.current_project(team.id).id)
    project.shared_with_network = True
    return project, revision


def test_the_page_is_standalone_and_loads_nothing_from_elsewhere(demo):
    store, network = demo
    page = convening_page(overview_of(store, network))
    assert page.startswith("<!doctype html>") and page.endswith("</html>")
    assert "<title>Riverside Improvement Network — convening overview, 23 Nov 2026</title>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "<script" not in page
    assert page.count("class='cv-card") == 4


# --------------------------------------------------------------------------- run-chart signals


def test_a_shift_still_going_on_is_said_with_its_date_and_direction():
    project, measure = project_with(LOW + HIGH)
    reading = measure_reading(project, measure, TODAY)
    assert reading.words == "a shift up since 28 Sep" and reading.tone == "good"
    assert "from 28 Sep 2026 to 16 Nov 2026" in reading.full
    project, measure = project_with(LOW + HIGH, direction="down")
    assert measure_reading(project, measure, TODAY).tone == "bad"
    # Another year is named.
    assert measure_reading(project, measure, dt.date(2027, 1, 5)).words == "a shift up since 28 Sep 2026"


def test_a_shift_that_is_over_is_reported_not_judged():
    project, measure = project_with(LOW + HIGH + [20, 23, 21, 22])
    reading = measure_reading(project, measure, TODAY)
    # The median of all 24 points is 21.5, so 23 on 21 Sep already starts the run above.
    assert reading.words == "a shift above the median from 21 Sep to 16 Nov"
    assert reading.tone == "signal"


def test_few_points_and_no_signal_are_said_plainly():
    project, measure = project_with([20, 22, 19])
    assert measure_reading(project, measure, TODAY).words == "3 points so far: too few to judge"
    project, measure = project_with([20, 22, 19, 23, 21, 20, 24, 19, 22, 21, 20, 23, 22, 19])
    assert measure_reading(project, measure, TODAY).words == "no signal yet: the variation looks like chance"
    project, measure = project_with([])
    assert measure_reading(project, measure, TODAY) is None


def test_subgroup_data_is_not_mixed_into_the_whole_group_chart():
    project, measure = project_with(LOW + HIGH)
    project.observations += [Observation(measure_id=measure.id, date=MONDAY + dt.timedelta(weeks=i),
                                         value=5, subgroup="Multilingual learners") for i in range(20)]
    assert measure_reading(project, measure, TODAY).words == "a shift up since 28 Sep"


# --------------------------------------------------------------------------- hostile text


def test_hostile_names_and_texts_are_shown_as_text(tmp_path):
    store = Store(tmp_path / "x.db")
    network = store.create(Network(name=HOSTILE, description="<b>bold</b>")).doc
    team = store.create(Team(network_id=network.id, name=HOSTILE, school='"><img src=x onerror=alert(1)>')).doc
    project = store.current_project(team.id)
    measure = Measure(name="<iframe src=javascript:alert(1)>")
    driver = PrimaryDriver(text="<svg onload=alert(1)>")
    project.aim = Aim(text=HOSTILE)
    project.driver_diagram.primary_drivers.append(driver)
    project.driver_diagram.change_ideas.append(ChangeIdea(text="</text><script>alert(2)</script>"))
    project.measures.append(measure)
    project.observations += [Observation(measure_id=measure.id, date=MONDAY, value=3)]
    store.save(project, 1)
    network.shared_learnings.append(SharedLearning(team_id=team.id, date=TODAY, title=HOSTILE, text=HOSTILE))
    teams = store.teams(network.id)
    html = convening_page(convening_overview(network, teams, current_projects(store, teams), today=TODAY))
    for raw in ("<script>", "<img src=x", "<iframe", "<svg onload", "<b>bold"):
        assert raw not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;iframe src=javascript:alert(1)&gt;" in html
    store.close()


# --------------------------------------------------------------------------- the widget


def test_the_widget_shows_every_team_for_the_hub(demo):
    store, network = demo
    view = ConveningView(Session(store, Network, network.id, "coach"), today=TODAY)
    for team in store.teams(network.id):
        assert f"<h3>{team.name}</h3>" in view.board.value
    assert "Read 4 teams at" in view.updated.value
    names = [label for label, _ in view.closer.options]
    assert names == ["— choose a team —", "Eagle Elementary", "Fox Elementary", "Heron Elementary", "Oak Elementary"]

    fox_id = dict(view.closer.options)["Fox Elementary"]
    view.closer.value = fox_id
    closer = unescape(view.closer_view.value)
    assert "<svg" in closer and "Data-driven instruction" in closer
    assert "in a row above the median from 7 Sep 2026 to 23 Nov 2026: a shift" in closer
    assert "Standards-based lesson-planning slide deck: 3 cycles" in closer
    # each reading with its run chart, as the team sees it in Study: what a school presents
    fox = store.current_project(fox_id)
    charted = [m.name for m in fox.measures if fox.observations_of(m.id)]
    assert charted and all(f"Run chart: {name}" in closer for name in charted)
    assert closer.count("class=\"ciw-legible\"") == len(charted)


def test_projecting_mode_limits_the_closer_look_and_the_download(demo):
    store, network = demo
    view = ConveningView(Session(store, Network, network.id, "coach"), today=TODAY)
    view.closer.value = dict(view.closer.options)["Eagle Elementary"]
    assert "Eagle" in view.closer_view.value
    view.shared_only.value = True
    assert [label for label, _ in view.closer.options] == ["— choose a team —", "Fox Elementary"]
    assert view.closer.value == "" and view.closer_view.value == ""
    page = view._page_bytes().decode()
    assert page.startswith("<!doctype html>") and "Has not shared its work" in page
    assert "One Eagle community" not in page and "at least 70% of staff" not in page
    assert view.download.filename == "convening-riverside-improvement-network-2026-11-23.html"


def test_each_team_is_analysed_once_per_refresh(demo, monkeypatch):
    store, network = demo
    calls = []
    real = convening_widget.convening_overview

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(convening_widget, "convening_overview", counting)
    view = ConveningView(Session(store, Network, network.id, "coach"), today=TODAY)
    view.shared_only.value = True
    view.shared_only.value = False
    view.closer.value = dict(view.closer.options)["Fox Elementary"]
    view._page_bytes()
    assert len(calls) == 1
    view.refresh_button.click()
    assert len(calls) == 2


def test_refresh_shows_what_teams_did_meanwhile(demo):
    store, network = demo
    view = ConveningView(Session(store, Network, network.id, "coach"), today=TODAY)
    oak = next(t for t in store.teams(network.id) if t.name.startswith("Oak"))
    team_session = Session(store, Network, network.id, "Oak")
    team_session.edit(lambda n: n.shared_learnings.append(SharedLearning(
        team_id=oak.id, date=TODAY, kind="note", title="Oak: our first fishbone")))
    assert "Oak: our first fishbone" not in view.board.value
    view.refresh_button.click()
    assert "Oak: our first fishbone" in view.board.value


def test_the_hub_reads_again_only_when_a_team_saved_or_shared(demo, monkeypatch):
    store, network = demo
    view = ConveningView(Session(store, Network, network.id, "coach"), today=TODAY)
    reads = []
    monkeypatch.setattr(convening_widget, "convening_overview",
                        lambda *a, real=convening_widget.convening_overview, **k: reads.append(1) or real(*a, **k))
    view.look_for_changes()
    assert reads == []  # nothing new: nothing read, nothing redrawn

    oak = next(t for t in store.teams(network.id) if t.name.startswith("Oak"))
    Session(store, Network, network.id, "Oak").edit(lambda n: n.shared_learnings.append(SharedLearning(
        team_id=oak.id, date=TODAY, kind="note", title="Oak: our first fishbone")))
    view.look_for_changes()
    assert reads == [1] and "Oak: our first fishbone" in view.board.value

    heron = next(t for t in store.teams(network.id) if t.name.startswith("Heron"))
    Session.for_team(store, heron, "Heron").edit(lambda p: setattr(p.aim, "text", "Heron's new aim"), "aim")
    view.look_for_changes()
    assert reads == [1, 1] and "Heron&#x27;s new aim" in view.board.value


def test_the_hub_view_reads_and_never_writes(tmp_path):
    store = Store(tmp_path / "x.db")
    network = store.create(Network(name="New network")).doc
    store.create(Team(network_id=network.id, name="Willow Elementary"))
    before = store.counts()
    view = ConveningView(Session(store, Network, network.id, "coach"), today=TODAY)
    assert store.counts() == before  # no project was created for Willow
    assert "Has not started a project yet." in view.board.value
    assert "Nothing shared yet" in view.board.value
    store.close()


def test_without_the_network_it_shows_only_how_to_open_it(project_session):
    view = ConveningView(project_session)
    assert "opens with the network&#x27;s hub code" in view.board.value
    assert view.overview is None and view._page_bytes() == b""


def test_a_team_card_without_a_project():
    card = team_card(Team(network_id="n-1", name="Willow"), None, today=TODAY)
    assert not card.has_project and card.phase == 1
    assert "Has not started a project yet." in convening_html(
        convening_overview(Network(name="N"), [Team(id=card.team_id, network_id="n-1", name="Willow")], {},
                           today=TODAY))


def ids_of(html: str) -> list[str]:
    return [a or b for a, b in re.findall(r"""\bid="([^"]+)"|\bid='([^']+)'""", html)]


def test_ids_are_unique_and_thumbnails_lead_to_the_full_diagrams(demo):
    store, network = demo
    overview = overview_of(store, network)
    page = convening_page(overview)
    ids = ids_of(page)
    assert len(ids) == len(set(ids))  # every diagram has an "aim" box; each is scoped
    for refs in re.findall(r'aria-labelledby="([^"]+)"', page):
        assert all(ref in ids for ref in refs.split())
    with_diagrams = [c for c in overview.cards if c.driver_svg]
    assert {c.name for c in with_diagrams} == {"Eagle Elementary", "Fox Elementary"}
    for card in with_diagrams:
        assert f"href='#cv-full-{card.team_id}'" in page and f"id='cv-full-{card.team_id}'" in page
    # Projected: only the shared team's diagram is at the end.
    projected = convening_page(overview, shared_only=True)
    assert [c.team_id for c in with_diagrams if f"id='cv-full-{c.team_id}'" in projected] == [
        c.team_id for c in with_diagrams if c.shared]


def test_the_closer_look_and_the_cards_share_the_page_without_id_clashes(demo):
    store, network = demo
    view = ConveningView(Session(store, Network, network.id, "coach"), today=TODAY)
    view.closer.value = dict(view.closer.options)["Fox Elementary"]
    ids = ids_of(view.board.value + view.closer_view.value)
    assert len(ids) == len(set(ids))
