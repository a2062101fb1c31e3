"""The one-page storyboard and the small trend charts: every section, hostile text as text."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwidgets.model import (
    Aim,
    Cause,
    ChangeIdea,
    EmpathyInterview,
    Measure,
    Member,
    Network,
    Observation,
    PDSACycle,
    Plan,
    Prediction,
    PrimaryDriver,
    Project,
    Pulse,
    SecondaryDriver,
    SharedLearning,
    Team,
    Vote,
)
from ciwidgets.render.storyboard import headline_measure, render_storyboard, storyboard_filename
from ciwidgets.render.trend import pulse_by_day, pulse_svg

from .properties import examples

TODAY = dt.date(2026, 3, 2)


class Page(HTMLParser):
    """Tags, attributes and text of a page, as a browser's parser would see them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def storyboard_of(demo, name: str) -> str:
    store, network, teams = demo
    team = teams[name]
    return render_storyboard(store.current_project(team.id), team=team, network=network, today=TODAY)


def test_fox_storyboard_tells_the_whole_story(demo_network):
    html = storyboard_of(demo_network, "Fox")
    page = Page(html)
    text = page.all_text
    for section in ("problem", "causes", "aim", "drivers", "ramp", "run-chart", "principles"):
        assert f'id="{section}"' in html
    assert "Only 17% of our students meet or exceed" in text
    assert "3 dots Lessons are not planned from the standards" in text
    assert "By May 2026, at least 35% of Fox students in grades 3–5 will meet or exceed" in text
    assert "Data-driven instruction" in text  # the driver diagram SVG
    assert "Cycle 2" in text and "Adapt" in text  # the ramp
    assert "Exit-ticket mastery" in text and "a shift" in text  # the run chart and its signal
    assert "Authentic" in text and "6 of 6 principles met." in text
    assert "When the teacher uses big words" in text
    assert page.tags.count("svg") == 3  # driver diagram, ramp, run chart
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")


def test_a_team_just_starting_gets_a_storyboard_with_honest_gaps(demo_network):
    text = Page(storyboard_of(demo_network, "Heron")).all_text
    assert "Too many grade 3 students are chronically absent." in text
    assert "1 cause in 1 category on our fishbone; no dot voting yet." in text
    for gap in ("No aim yet.", "No driver diagram yet.", "No PDSA cycles yet.", "No data on a measure yet."):
        assert gap in text
    assert "Not yet" in text and "Interview students or families" in text


def test_an_empty_project_renders():
    text = Page(render_storyboard(Project(team_id="t-1"), today=TODAY)).all_text
    assert "Our team" in text and "No problem statement yet." in text


def test_the_file_name_names_the_school_in_safe_letters_only():
    project = Project(team_id="t-1", school_year="2025-26", title="<x>/../")
    assert storyboard_filename(project) == "storyboard-2025-26.html"
    school = Team(network_id="n-1", name="Design team", school="École Fox/../<b>Élémentaire</b>")
    assert storyboard_filename(project, school) == "storyboard-ecole-fox-b-elementaire-b-2025-26.html"
    unnamed = Team(network_id="n-1", name="Équipe " + "très " * 30)
    assert storyboard_filename(project, unnamed) == "storyboard-equipe-tres-tres-tres-tres-tres-tres-2025-26.html"


def test_the_study_apps_chart_is_embedded_when_asked(demo_network, monkeypatch):
    from ciwidgets.render import runchart

    monkeypatch.setattr(runchart, "run_chart_svg", lambda project, measure_id: '<svg id="study-chart"></svg>')
    store, network, teams = demo_network
    project = store.current_project(teams["Fox"].id)
    assert 'id="study-chart"' in render_storyboard(project, today=TODAY, study_chart=True)
    assert 'id="study-chart"' not in render_storyboard(project, today=TODAY)


def test_a_changed_study_renderer_falls_back_to_the_light_chart(demo_network, monkeypatch):
    from ciwidgets.render import runchart

    def changed(*args, **kwargs):
        raise TypeError("new signature")

    monkeypatch.setattr(runchart, "run_chart_svg", changed)
    store, _, teams = demo_network
    html = render_storyboard(store.current_project(teams["Fox"].id), today=TODAY, study_chart=True)
    assert "Run chart: Exit-ticket mastery" in html


def test_the_headline_measure_follows_a_tested_change_idea():
    p = Project(team_id="t-1")
    idea = ChangeIdea(text="Deck")
    p.driver_diagram.change_ideas.append(idea)
    p.pdsa_cycles.append(PDSACycle(change_idea_id=idea.id))
    busy = Measure(name="Planning time", kind="balancing")
    linked = Measure(name="Mastery", linked_ids=[idea.id])
    p.measures += [busy, linked]
    for week in range(20):
        p.observations.append(Observation(measure_id=busy.id, date=TODAY - dt.timedelta(weeks=week), value=5))
    for week in range(12):
        p.observations.append(Observation(measure_id=linked.id, date=TODAY - dt.timedelta(weeks=week), value=5))
    assert headline_measure(p).name == "Mastery"


def test_subgroup_only_data_is_charted_from_the_largest_group():
    p = Project(team_id="t-1")
    m = Measure(name="Mastery")
    p.measures.append(m)
    for week in range(12):
        p.observations.append(Observation(measure_id=m.id, date=TODAY - dt.timedelta(weeks=week),
                                          value=week, subgroup="Multilingual learners"))
    html = render_storyboard(p, today=TODAY)
    assert "Run chart: Mastery (Multilingual learners)" in html


def test_a_long_series_names_the_years_and_counts_the_signals_left_out():
    p = Project(team_id="t-1")
    m = Measure(name="Daily attendance")
    p.measures.append(m)
    start = dt.date(2012, 1, 2)
    for day in range(0, 5000, 7):  # a rising series over 13 years: many signals
        p.observations.append(Observation(measure_id=m.id, date=start + dt.timedelta(days=day), value=day % 97))
    html = render_storyboard(p, today=TODAY)
    page = Page(html)
    assert "Jan 2012" in page.all_text and "2025" in page.all_text  # not "1 Jan … 8 Sep" as if one year
    text = " ".join(page.all_text.split())
    assert re.search(r"\(and \d+ more in Study\)", text)
    told = re.search(r'<ul class="signals">(.*?)</ul>', html, re.S)[1]
    assert "2025" in told  # the latest signals are the ones told, not the first ones of 2012


def test_a_chosen_measure_without_data_shows_no_chart_rather_than_another():
    p = Project(team_id="t-1")
    busy, empty = Measure(name="Mastery"), Measure(name="Homework")
    p.measures += [busy, empty]
    p.observations += [Observation(measure_id=busy.id, date=TODAY - dt.timedelta(weeks=w), value=5) for w in range(8)]
    assert "Run chart: Mastery" in render_storyboard(p, today=TODAY)
    assert "Run chart:" not in render_storyboard(p, today=TODAY, measure_id=empty.id)


# ---------------------------------------------------------------- hostile text

INJECTION = '<x-evil onload="alert(1)">'
hostile = st.text(st.characters(exclude_categories=("Cs",)), max_size=40).map(lambda t: f"{INJECTION}{t}</x-evil>&amp;")


def hostile_project(words) -> tuple[Project, Team, Network]:
    w = iter(words)
    network = Network(name=next(w))
    team = Team(network_id=network.id, name=next(w), school=next(w),
                members=[Member(name=next(w), role="family")])
    p = Project(team_id=team.id, title=next(w), problem_statement=next(w), equity_focus=next(w))
    p.fishbone.categories[0].name = next(w)
    p.interviews.append(EmpathyInterview(stakeholder_group="student", date=TODAY, quotes=[next(w)]))
    cause = Cause(category_id=p.fishbone.categories[0].id, text=next(w))
    p.fishbone.causes.append(cause)
    p.fishbone.votes.append(Vote(voter=next(w), cause_id=cause.id))
    p.aim = Aim(text=next(w))
    primary = PrimaryDriver(text=next(w))
    secondary = SecondaryDriver(text=next(w), primary_ids=[primary.id])
    idea = ChangeIdea(text=next(w), secondary_ids=[secondary.id])
    p.driver_diagram.primary_drivers.append(primary)
    p.driver_diagram.secondary_drivers.append(secondary)
    p.driver_diagram.change_ideas.append(idea)
    first = PDSACycle(change_idea_id=idea.id, question=next(w), predictions=[Prediction(text=next(w))],
                      plan=Plan(scale=next(w)), act="adapt", act_reason=next(w),
                      start_date=TODAY - dt.timedelta(weeks=6))
    p.pdsa_cycles.append(first)
    measure = Measure(name=next(w), unit=next(w), target=12, linked_ids=[idea.id])
    p.measures.append(measure)
    for week in range(12):
        p.observations.append(Observation(measure_id=measure.id, date=TODAY - dt.timedelta(weeks=week),
                                          value=week % 5))
    network.shared_learnings.append(SharedLearning(team_id=team.id, date=TODAY, title=next(w)))
    return Project.model_validate(p.model_dump()), team, network


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile, min_size=30, max_size=30))
def test_hostile_text_is_shown_as_text_everywhere(words):
    project, team, network = hostile_project(words)
    html = render_storyboard(project, team=team, network=network, today=TODAY)
    page = Page(html)
    assert "x-evil" not in page.tags
    assert "onload" not in page.attrs
    assert "script" not in page.tags
    assert INJECTION in page.all_text  # shown, as the words the team typed
    # Every string the template placed went through escaping: nothing raw in the markup.
    assert INJECTION not in html


def test_control_characters_become_a_visible_placeholder():
    project = Project(team_id="t-1", problem_statement="Attendance\x00 drops\x1b[31m")
    html = render_storyboard(project, today=TODAY)
    assert "\x00" not in html and "\x1b" not in html
    assert "Attendance\ufffd drops\ufffd[31m" in html


# ---------------------------------------------------------------- the pulse chart


def pulses():
    day1, day2 = TODAY - dt.timedelta(weeks=2), TODAY
    return [Pulse(date=day1, member="Ana", vitality=2, learning=3),
            Pulse(date=day1, member="Ben", vitality=3, learning=4),
            Pulse(date=day2, member="Ana", vitality=4, learning=5)]


def test_the_pulse_is_the_team_average_per_meeting():
    days = pulse_by_day(pulses())
    assert [(d.date, d.vitality, d.learning, d.responses) for d in days] == [
        (TODAY - dt.timedelta(weeks=2), 2.5, 3.5, 2), (TODAY, 4, 5, 1)]


def test_the_pulse_chart_draws_one_point_per_meeting_and_describes_itself():
    svg = pulse_svg(pulses())
    page = Page(svg)
    assert page.tags.count("rect") - 1 == 2 + 1  # background, 2 vitality squares, 1 legend square
    assert page.tags.count("circle") == 2 + 1  # 2 learning dots, 1 legend dot
    assert "Latest, 2 Mar 2026: vitality 4, learning 5 (1 rating)" in page.all_text


def test_an_empty_pulse_chart_says_so():
    assert "No data yet" in Page(pulse_svg([])).all_text
