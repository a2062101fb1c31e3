"""The principle tracker reads a team's standing from what it did, at each boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from ciwidgets.analysis.principles import (
    PrincipleReport,
    phase_progress,
    recent_activity,
    track_principles,
    when_words,
)
from ciwidgets.model import (
    Cause,
    ChangeIdea,
    EmpathyInterview,
    Measure,
    Member,
    Network,
    Observation,
    PDSACycle,
    Prediction,
    PrimaryDriver,
    PrincipleEvidence,
    ProcessStep,
    Project,
    SecondaryDriver,
    SharedLearning,
    Team,
)
from ciwidgets.store import RevisionInfo

TODAY = dt.date(2026, 3, 2)
TEAM = "t-fox"


# ---------------------------------------------------------------- crafting projects


def blank(**fields) -> Project:
    return Project(team_id=TEAM, **fields)


def checked(project: Project) -> Project:
    """The project as the store would accept it (every link points somewhere)."""
    return Project.model_validate(project.model_dump())


def interviews(project: Project, *groups: str) -> Project:
    for group in groups:
        project.interviews.append(EmpathyInterview(stakeholder_group=group, date=TODAY,
                                                   quotes=[f"What a {group} told us"]))
    return project


def test_an_interview_that_says_nothing_heard_does_not_count_yet():
    project = interviews(blank(), "student")
    project.problem_statement = "Few students read at grade level"
    project.interviews.append(EmpathyInterview(stakeholder_group="family", date=TODAY))  # a date, nothing heard
    status = track(project)["user_centered"]
    assert status.status == "partly"
    assert "1 empathy interview says nothing of what was heard yet: add a quote, a theme or a note, so it counts." \
        in status.missing
    project.interviews[-1].themes = ["homework at night"]
    assert track(project)["user_centered"].status == "met"


def causes_in(project: Project, n_categories: int, per_category: int = 1) -> Project:
    for category in project.fishbone.categories[:n_categories]:
        for i in range(per_category):
            project.fishbone.causes.append(Cause(category_id=category.id, text=f"{category.name} {i}"))
    return project


def driver_diagram(project: Project, *, secondary: bool = True) -> Project:
    primary = PrimaryDriver(text="Data-driven instruction")
    project.driver_diagram.primary_drivers.append(primary)
    if secondary:
        s = SecondaryDriver(text="Coaching cycles", primary_ids=[primary.id])
        project.driver_diagram.secondary_drivers.append(s)
        project.driver_diagram.change_ideas.append(ChangeIdea(text="Exit tickets", secondary_ids=[s.id]))
    else:
        project.driver_diagram.change_ideas.append(ChangeIdea(text="Exit tickets"))
    return project


def measure(project: Project, *, kind="process", frequency="weekly", dates=(), subgroup=None,
            name="Exit-ticket mastery") -> Measure:
    m = Measure(name=name, kind=kind, frequency=frequency)
    project.measures.append(m)
    for day in dates:
        project.observations.append(Observation(measure_id=m.id, date=day, value=20, subgroup=subgroup))
    return m


def weekly(n: int, end: dt.date = TODAY) -> list[dt.date]:
    return [end - dt.timedelta(weeks=n - 1 - i) for i in range(n)]


def cycles(project: Project, n: int, *, linked: bool, predictions: bool | list[bool] = True) -> list[PDSACycle]:
    if not project.driver_diagram.change_ideas:
        project.driver_diagram.change_ideas.append(ChangeIdea(text="Slide deck"))
    idea = project.driver_diagram.change_ideas[0]
    flags = predictions if isinstance(predictions, list) else [predictions] * n
    made = []
    for i in range(n):
        y = PDSACycle(change_idea_id=idea.id, cycle_number=i + 1,
                      predictions=[Prediction(text="Two of three will finish")] if flags[i] else [])
        made.append(y)
    if linked:
        for a, b in zip(made, made[1:], strict=False):
            a.next_cycle_id, b.previous_cycle_id = b.id, a.id
    project.pdsa_cycles += made
    return made


def track(project: Project, **kw) -> PrincipleReport:
    return track_principles(checked(project), today=TODAY, **kw)


# ---------------------------------------------------------------- 1 user-centered


def test_an_empty_project_is_not_yet_user_centered_and_says_what_to_do():
    report = track(blank())
    p = report["user_centered"]
    assert p.status == "not yet" and p.evidence == ()
    assert any("problem statement" in m for m in p.missing)
    assert "2. Understand the problem" in p.next_step.text


def test_a_problem_statement_alone_is_partly_user_centered():
    p = track(blank(problem_statement="Only 17% meet the math standard"))["user_centered"]
    assert p.status == "partly"
    assert any("17%" in e for e in p.evidence)
    assert any("No empathy interviews" in m for m in p.missing)


def test_one_stakeholder_group_is_partly_and_asks_whose_voice_is_missing():
    project = interviews(blank(problem_statement="Math"), "teacher", "teacher", "teacher")
    p = track(project)["user_centered"]
    assert p.status == "partly"
    assert any("teachers only" in m and "whose voice is missing" in m for m in p.missing)
    assert "students" in p.next_step.text


def test_two_stakeholder_groups_and_a_problem_statement_are_user_centered():
    project = interviews(blank(problem_statement="Math"), "teacher", "student")
    p = track(project)["user_centered"]
    assert p.status == "met" and p.missing == () and p.next_step is None
    assert any("students (1) and teachers (1)" in e for e in p.evidence)


def test_interviews_without_a_problem_statement_are_only_partly():
    p = track(interviews(blank(), "teacher", "family"))["user_centered"]
    assert p.status == "partly"
    assert any("problem statement" in m for m in p.missing)


def test_a_self_assessment_alone_counts_for_nothing_but_is_shown():
    project = blank()
    project.principle_evidence.append(PrincipleEvidence(
        principle="user_centered", date=TODAY, note="We listen to everyone", rating=5))
    p = track(project)["user_centered"]
    assert p.status == "not yet"
    assert p.self_rating == 5 and p.self_notes[0].note == "We listen to everyone"


def test_the_latest_self_rating_is_the_one_shown():
    project = blank()
    for day, rating in ((TODAY - dt.timedelta(days=30), 2), (TODAY, 4)):
        project.principle_evidence.append(PrincipleEvidence(principle="inquiry", date=day, note="n", rating=rating))
    assert track(project)["inquiry"].self_rating == 4


# ---------------------------------------------------------------- 3 see the system


def test_two_fishbone_categories_are_not_enough_three_are():
    two = track(driver_diagram(causes_in(blank(), 2, per_category=4)))["system"]
    three = track(driver_diagram(causes_in(blank(), 3)))["system"]
    assert two.status == "partly"
    assert any("2 categories" in m and "look wider" in m for m in two.missing)
    assert three.status == "met"
    assert any("3 causes in 3 categories" in e for e in three.evidence)


def test_sub_causes_in_the_same_category_do_not_count_as_another_category():
    project = causes_in(blank(), 2)
    parent = project.fishbone.causes[0]
    project.fishbone.causes.append(Cause(category_id=parent.category_id, parent_id=parent.id, text="deeper"))
    assert track(driver_diagram(project))["system"].status == "partly"


def test_a_fishbone_without_a_driver_diagram_is_partly():
    p = track(causes_in(blank(), 4))["system"]
    assert p.status == "partly"
    assert any("No driver diagram" in m for m in p.missing)


def test_primary_drivers_with_nothing_under_them_are_not_yet_a_driver_diagram():
    p = track(driver_diagram(causes_in(blank(), 4), secondary=False))["system"]
    assert p.status == "partly"
    assert any("no secondary drivers" in m for m in p.missing)


def test_nothing_mapped_is_not_yet_seeing_the_system():
    assert track(blank())["system"].status == "not yet"


def test_a_process_map_is_evidence_but_not_the_whole_system():
    project = blank()
    project.process_map.steps += [ProcessStep(text="Student is stuck"),
                                  ProcessStep(text="Teacher notices", breaks_down=True)]
    p = track(project)["system"]
    assert p.status == "partly"
    assert "Process map: 2 steps, 1 place where it breaks down" in p.evidence
    assert any("No fishbone yet" in m for m in p.missing)


# ---------------------------------------------------------------- 4 embrace measurement


def test_an_annual_process_measure_is_partly_and_asks_for_monthly():
    project = blank()
    measure(project, frequency="annual", dates=[TODAY - dt.timedelta(days=365), TODAY])
    p = track(project)["measurement"]
    assert p.status == "partly"
    assert any("collected annual" in m and "at least monthly" in m for m in p.missing)


def test_a_monthly_process_measure_with_monthly_data_is_met():
    project = blank()
    measure(project, frequency="monthly", dates=[TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=30), TODAY])
    p = track(project)["measurement"]
    assert p.status == "met"
    assert any("collected monthly: 3 data points" in e for e in p.evidence)


def test_a_frequent_process_measure_without_data_is_partly():
    project = blank()
    measure(project, frequency="weekly")
    p = track(project)["measurement"]
    assert p.status == "partly"
    assert any("no data yet" in m for m in p.missing)
    assert "6. Study" in p.next_step.text


def test_one_data_point_is_not_yet_collecting():
    project = blank()
    measure(project, frequency="weekly", dates=[TODAY])
    assert any("one data point" in m for m in track(project)["measurement"].missing)


def test_weekly_on_paper_but_quarterly_in_the_data_is_partly():
    project = blank()
    measure(project, frequency="weekly", dates=[TODAY - dt.timedelta(weeks=26), TODAY - dt.timedelta(weeks=13), TODAY])
    p = track(project)["measurement"]
    assert p.status == "partly"
    assert any("about every 13 weeks" in m for m in p.missing)


def test_data_that_stopped_two_months_ago_is_partly():
    project = blank()
    measure(project, frequency="weekly", dates=weekly(12, end=TODAY - dt.timedelta(days=70)))
    p = track(project)["measurement"]
    assert p.status == "partly"
    assert any("No new data" in m for m in p.missing)


def test_only_annual_outcome_measures_nudge_towards_a_weekly_process_measure():
    project = blank()
    measure(project, kind="outcome", frequency="annual", dates=[TODAY], name="State test")
    p = track(project)["measurement"]
    assert p.status == "partly"
    assert any("state test scores" in m and "weekly" in m for m in p.missing)


def test_a_weekly_outcome_measure_is_not_a_process_measure():
    project = blank()
    measure(project, kind="outcome", frequency="weekly", dates=weekly(12))
    p = track(project)["measurement"]
    assert p.status == "partly"
    assert any("no process measure" in m for m in p.missing)


def test_no_measures_at_all_is_not_yet():
    p = track(blank())["measurement"]
    assert p.status == "not yet" and "3. Theory of improvement" in p.next_step.text


# ---------------------------------------------------------------- 5 disciplined inquiry


def test_two_unlinked_cycles_are_partly_and_ask_for_a_ramp():
    project = blank()
    cycles(project, 2, linked=False)
    p = track(project)["inquiry"]
    assert p.status == "partly"
    assert any("stand alone" in m for m in p.missing)
    assert "5. Test" in p.next_step.text


def test_two_linked_cycles_with_predictions_are_met():
    project = blank()
    cycles(project, 2, linked=True)
    p = track(project)["inquiry"]
    assert p.status == "met"
    assert any("ramp of 2 linked cycles" in e for e in p.evidence)


def test_a_link_on_one_side_only_still_links_the_cycles():
    project = blank()
    first, second = cycles(project, 2, linked=False)
    second.previous_cycle_id = first.id
    assert track(project)["inquiry"].status == "met"


def test_linked_cycles_without_predictions_are_partly_and_name_the_cycle():
    project = blank()
    cycles(project, 2, linked=True, predictions=[True, False])
    p = track(project)["inquiry"]
    assert p.status == "partly"
    assert any("cycle 2 has none" in m for m in p.missing)


def test_a_blank_prediction_is_no_prediction():
    project = blank()
    made = cycles(project, 2, linked=True)
    made[1].predictions = [Prediction(text="   ")]
    assert track(project)["inquiry"].status == "partly"


def test_one_cycle_is_a_start():
    project = blank()
    cycles(project, 1, linked=False)
    assert track(project)["inquiry"].status == "partly"


def test_no_cycles_is_not_yet():
    assert track(blank())["inquiry"].status == "not yet"


# ---------------------------------------------------------------- 2 attend to variability


def test_nine_points_are_not_a_run_chart_ten_are():
    nine, ten = blank(), blank()
    measure(nine, dates=weekly(9))
    measure(ten, dates=weekly(10))
    assert track(nine)["variability"].status == "not yet"
    assert any("9 data points" in m for m in track(nine)["variability"].missing)
    p = track(ten)["variability"]
    assert p.status == "partly"
    assert any("10 points in time order" in e for e in p.evidence)


def test_one_subgroup_is_not_a_comparison_two_are():
    one, two = blank(), blank()
    m1 = measure(one, dates=weekly(10))
    for day in weekly(5):
        one.observations.append(Observation(measure_id=m1.id, date=day, value=3, subgroup="Multilingual learners"))
    m2 = measure(two, dates=weekly(10))
    for group in ("Multilingual learners", "English-only"):
        for day in weekly(5):
            two.observations.append(Observation(measure_id=m2.id, date=day, value=3, subgroup=group))
    p1, p2 = track(one)["variability"], track(two)["variability"]
    assert p1.status == "partly"
    assert any("Multilingual learners only" in m for m in p1.missing)
    assert p2.status == "met"
    assert any("English-only and Multilingual learners" in e for e in p2.evidence)


def test_subgroups_on_two_different_measures_are_not_a_comparison():
    project = blank()
    a = measure(project, name="A")
    b = measure(project, name="B")
    project.observations.append(Observation(measure_id=a.id, date=TODAY, value=1, subgroup="Boys"))
    project.observations.append(Observation(measure_id=b.id, date=TODAY, value=1, subgroup="Girls"))
    assert track(project)["variability"].status == "not yet"


# ---------------------------------------------------------------- 6 networks


def network_with(*learnings: SharedLearning) -> Network:
    return Network(name="Riverside", shared_learnings=list(learnings))


def test_nothing_shared_is_not_yet():
    p = track(blank(), network=network_with())["networks"]
    assert p.status == "not yet" and "7. Reflect and share" in p.next_step.text


def test_another_teams_learning_does_not_count_for_this_team():
    other = SharedLearning(team_id="t-eagle", date=TODAY, title="Eagle's cycle")
    assert track(blank(), network=network_with(other))["networks"].status == "not yet"


def test_a_learning_this_team_shared_is_met():
    mine = SharedLearning(team_id=TEAM, date=TODAY, title="Our slide deck", kind="pdsa")
    p = track(blank(), network=network_with(mine))["networks"]
    assert p.status == "met"
    assert any("Shared 1 learning with Riverside" in e and "Our slide deck" in e for e in p.evidence)


def test_sharing_the_project_with_the_network_is_met():
    assert track(blank(shared_with_network=True))["networks"].status == "met"


def test_a_cycle_marked_to_share_is_partly():
    project = blank()
    cycles(project, 1, linked=False)[0].shared = True
    assert track(project)["networks"].status == "partly"


# ---------------------------------------------------------------- the verdict


def everything() -> tuple[Project, Network]:
    project = blank(problem_statement="Only 17% meet the math standard")
    interviews(project, "student", "family")
    causes_in(project, 3)
    driver_diagram(project)
    m = measure(project, dates=weekly(10))
    for group in ("ML", "EO"):
        for day in weekly(3):
            project.observations.append(Observation(measure_id=m.id, date=day, value=1, subgroup=group))
    cycles(project, 2, linked=True)
    return project, network_with(SharedLearning(team_id=TEAM, date=TODAY, title="Ours"))


def test_all_six_is_authentic():
    project, network = everything()
    report = track(project, network=network)
    assert report.verdict == "authentic" and report.met_count == 6
    assert report.summary == "6 of 6 principles met."
    assert "5. Test" in report.next_step.text  # keep the cycles turning


def test_one_principle_met_is_partially_authentic_and_none_is_not_yet():
    assert track(blank(shared_with_network=True)).verdict == "partially authentic"
    report = track(blank(problem_statement="Math"))
    assert report.verdict == "not yet" and report.partly_count == 1


def test_the_next_step_follows_the_journey_from_its_start():
    project, network = everything()
    project.interviews = project.interviews[:1]  # back to one voice
    report = track(project, network=network)
    assert report.verdict == "partially authentic"
    assert report.next_step.phase == 2 and "2. Understand the problem" in report.next_step.text


def test_a_team_with_nobody_on_it_is_sent_to_form_the_team_first():
    team = Team(network_id="n-1", name="Willow Elementary")
    report = track_principles(Project(team_id=team.id), team, today=TODAY)
    assert report.next_step.phase == 1
    assert report.next_step.text == "Add your team's members and their roles in “1. Form the team”."
    team.members = [Member(name="Ana", role="teacher")]
    assert track_principles(Project(team_id=team.id), team, today=TODAY).next_step.phase == 2


def demo_report(demo, name: str) -> PrincipleReport:
    store, network, teams = demo
    team = teams[name]
    return track_principles(store.current_project(team.id), team, network, today=TODAY)


def test_fox_is_authentic(demo_network):
    report = demo_report(demo_network, "Fox")
    assert report.verdict == "authentic", [(p.key, p.missing) for p in report]


def test_eagle_is_partially_authentic_and_is_sent_to_its_next_cycle(demo_network):
    report = demo_report(demo_network, "Eagle")
    assert report.verdict == "partially authentic"
    assert report["networks"].status == "not yet"
    assert report["variability"].status == "partly"
    assert report["inquiry"].status == "partly"
    assert "5. Test" in report.next_step.text and "cycle 2" in report.next_step.text


@pytest.mark.parametrize("name", ["Heron", "Oak"])
def test_the_teams_just_started_are_not_yet_and_go_hear_their_users(demo_network, name):
    report = demo_report(demo_network, name)
    assert report.verdict == "not yet"
    assert "Interview" in report.next_step.text and "2. Understand the problem" in report.next_step.text


# ---------------------------------------------------------------- phases and activity


def test_phase_progress_of_a_fresh_project():
    team = Team(network_id="n-1", name="Fox", members=[Member(name="A", role="principal"),
                                                        Member(name="B", role="teacher"),
                                                        Member(name="C", role="coach")])
    phases = phase_progress(blank(), team)
    assert [p.phase for p in phases] == [1, 2, 3, 4, 5, 6, 7]
    assert phases[0].state == "started"  # team and roles, no norms or routine yet
    assert all(p.state == "not started" for p in phases[1:])


def test_phase_progress_of_fox_is_done_everywhere(demo_network):
    store, _, teams = demo_network
    team = teams["Fox"]
    phases = phase_progress(store.current_project(team.id), team)
    assert [p.state for p in phases] == ["done"] * 7


def test_a_process_map_counts_for_phase_2_once_it_says_where_it_breaks_down():
    project = blank()
    project.process_map.steps.append(ProcessStep(text="Student is stuck"))
    item = "The process mapped, with where it breaks down"
    assert dict((i.label, i.done) for i in phase_progress(project)[1].items)[item] is False
    project.process_map.steps[0].breaks_down = True
    assert dict((i.label, i.done) for i in phase_progress(project)[1].items)[item] is True


def rev(number, minute, author, message):
    return RevisionInfo(number, f"2026-03-02T10:{minute:02d}:00+00:00", author, message)


def test_recent_activity_folds_a_run_of_autosaves_into_one_line():
    history = [rev(6, 50, "Ben", "edited the aim"), rev(5, 49, "Ben", "edited the aim"),
               rev(4, 48, "Ben", "edited the aim"), rev(3, 40, "Ana", "added a cause"),
               rev(2, 30, "", ""), rev(1, 0, "demo", "created")]
    activity = recent_activity(history, limit=3)
    assert [(a.who, a.what, a.saves) for a in activity] == [
        ("Ben", "edited the aim", 3), ("Ana", "added a cause", 1), ("Someone", "saved a change", 1)]
    assert activity[0].when == dt.datetime(2026, 3, 2, 10, 50, tzinfo=dt.UTC)


def test_when_words():
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    assert when_words(now - dt.timedelta(seconds=20), now) == "just now"
    assert when_words(now - dt.timedelta(minutes=1), now) == "1 minute ago"
    assert when_words(now - dt.timedelta(hours=3), now) == "3 hours ago"
    assert when_words(now - dt.timedelta(days=1, hours=2), now) == "yesterday"
    assert when_words(now - dt.timedelta(days=12), now) == "18 Feb 2026"
