"""PDSA nudges: what a coach would point out on a worksheet, never a block."""

from __future__ import annotations

import datetime as dt

import pytest

from ciwidgets.analysis.inquiry import (
    Nudge,
    cycle_nudges,
    cycle_nudges_and_set_aside,
    project_nudges,
    set_aside_nudge,
)
from ciwidgets.model import ChangeIdea, PDSACycle, Plan, Prediction, Project
from tests.pdsa_examples import fox_project

TODAY = dt.date(2026, 10, 20)


def codes(nudges: list[Nudge]) -> list[str]:
    return [n.code for n in nudges]


def deck(project: Project) -> ChangeIdea:
    return project.driver_diagram.change_ideas[0]


def fresh_cycle(project: Project, idea: ChangeIdea | None = None, **fields) -> PDSACycle:
    idea = idea or deck(project)
    number = len(project.cycles_of(idea.id)) + 1
    cycle = PDSACycle(change_idea_id=idea.id, cycle_number=number, **fields)
    project.pdsa_cycles.append(cycle)
    return cycle


def test_a_complete_well_run_cycle_gets_no_nudge_except_planning_its_successor():
    project = fox_project()
    cycle = project.pdsa_cycles[0]
    # Fox adapted after cycle 1 and has not planned cycle 2 yet: that is the only nudge.
    assert codes(cycle_nudges(project, cycle, today=TODAY)) == ["ramp-stopped"]


def test_every_nudge_names_its_cycle_field_and_step():
    project = fox_project()
    cycle = fresh_cycle(project, idea=project.driver_diagram.change_ideas[2], do_notes="We tried it.")
    nudges = cycle_nudges(project, cycle, today=TODAY)
    assert nudges
    for n in nudges:
        assert n.cycle_id == cycle.id
        assert n.step in ("plan", "do", "study", "act")
        assert n.field
        assert n.message.endswith((".", "?"))
    # Shown in the order of the worksheet.
    steps = [n.step for n in nudges]
    assert steps == sorted(steps, key=["plan", "do", "study", "act"].index)


class TestNoPredictionBeforeDo:
    def test_an_empty_plan_asks_for_a_prediction_before_the_test(self):
        project = fox_project()
        cycle = fresh_cycle(project, question="Will a checklist help?")
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "no-prediction")
        assert nudge.field == "predictions" and nudge.step == "plan"
        assert "before you run the test" in nudge.message

    def test_running_the_test_without_a_prediction_is_pointed_out(self):
        project = fox_project()
        cycle = fresh_cycle(project, do_notes="We used the checklist all week.")
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "no-prediction")
        assert "under way without a prediction" in nudge.message
        assert "Cycle 2" in nudge.message

    def test_a_start_date_that_has_come_counts_as_under_way(self):
        project = fox_project()
        cycle = fresh_cycle(project, start_date=TODAY - dt.timedelta(days=1))
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "no-prediction")
        assert "under way" in nudge.message

    def test_a_blank_prediction_row_is_not_a_prediction(self):
        project = fox_project()
        cycle = fresh_cycle(project, predictions=[Prediction(text="   ")])
        assert "no-prediction" in codes(cycle_nudges(project, cycle, today=TODAY))

    def test_one_written_prediction_is_enough(self):
        project = fox_project()
        cycle = fresh_cycle(project, predictions=[Prediction(text="Plans will be shorter")])
        assert "no-prediction" not in codes(cycle_nudges(project, cycle, today=TODAY))


class TestSolutionitis:
    def test_a_change_idea_linked_to_no_driver_is_flagged_with_its_name(self):
        project = fox_project()
        orphan = project.driver_diagram.change_ideas[2]
        cycle = fresh_cycle(project, idea=orphan)
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "solutionitis")
        assert "'Buy a new math app'" in nudge.message
        assert "not linked to any driver" in nudge.message
        assert nudge.field == "change_idea_id" and nudge.change_idea_id == orphan.id

    def test_a_change_idea_tied_only_to_a_root_cause_is_still_asked_for_a_driver(self):
        project = fox_project()
        orphan = project.driver_diagram.change_ideas[2]
        orphan.cause_ids = ["c-somecause"]  # the link is stored on the idea; checked by the project
        cycle = fresh_cycle(project, idea=orphan)
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "solutionitis")
        assert "root cause but to no driver" in nudge.message

    def test_a_change_idea_under_a_driver_is_not_flagged(self):
        project = fox_project()
        cycle = fresh_cycle(project)
        assert "solutionitis" not in codes(cycle_nudges(project, cycle, today=TODAY))

    def test_the_project_list_names_an_unlinked_idea_once_not_per_cycle(self):
        project = fox_project()
        orphan = project.driver_diagram.change_ideas[2]
        fresh_cycle(project, idea=orphan)
        fresh_cycle(project, idea=orphan)
        assert codes(project_nudges(project, today=TODAY)).count("solutionitis") == 1


class TestCycleLength:
    @pytest.mark.parametrize("days", [1, 14, 42])
    def test_up_to_six_weeks_is_a_small_test(self, days):
        project = fox_project()
        start = dt.date(2026, 11, 2)
        cycle = fresh_cycle(project, start_date=start, end_date=start + dt.timedelta(days=days))
        assert "too-long" not in codes(cycle_nudges(project, cycle, today=TODAY))

    @pytest.mark.parametrize("days, said", [(43, "about 6 weeks"), (63, "9 weeks"), (120, "about 17 weeks")])
    def test_longer_than_six_weeks_suggests_a_smaller_test(self, days, said):
        project = fox_project()
        start = dt.date(2026, 11, 2)
        cycle = fresh_cycle(project, start_date=start, end_date=start + dt.timedelta(days=days))
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "too-long")
        assert said in nudge.message
        assert "smaller" in nudge.message
        assert nudge.field == "end_date"

    def test_dates_in_the_wrong_order_are_pointed_out_not_blocked(self):
        project = fox_project()
        cycle = fresh_cycle(project, start_date=dt.date(2026, 11, 20), end_date=dt.date(2026, 11, 2))
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "dates-reversed")
        assert "2026-11-02" in nudge.message and "2026-11-20" in nudge.message

    def test_an_open_cycle_running_for_months_is_asked_to_close(self):
        project = fox_project()
        cycle = fresh_cycle(project, start_date=TODAY - dt.timedelta(weeks=10),
                            predictions=[Prediction(text="x")])
        assert "running-long" in codes(cycle_nudges(project, cycle, today=TODAY))
        cycle.study_notes = "It worked for two classes."
        assert "running-long" not in codes(cycle_nudges(project, cycle, today=TODAY))


class TestStudy:
    def test_study_left_empty_after_do(self):
        project = fox_project()
        cycle = fresh_cycle(project, predictions=[Prediction(text="x")], do_notes="Done.")
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "study-empty")
        assert nudge.step == "study" and nudge.field == "study_notes"

    def test_no_study_nudge_before_do(self):
        project = fox_project()
        cycle = fresh_cycle(project, predictions=[Prediction(text="x")])
        assert "study-empty" not in codes(cycle_nudges(project, cycle, today=TODAY))

    @pytest.mark.parametrize("study", [
        {"study_notes": "It held."},
        {"predictions": [Prediction(text="x", result="held")]},
        {"predictions": [Prediction(text="x", what_data_showed="12 of 15")]},
    ])
    def test_any_study_entry_counts(self, study):
        project = fox_project()
        cycle = fresh_cycle(project, do_notes="Done.", **study)
        assert "study-empty" not in codes(cycle_nudges(project, cycle, today=TODAY))

    def test_a_prediction_without_a_result_is_asked_about_by_name(self):
        project = fox_project()
        cycle = fresh_cycle(project, do_notes="Done.", study_notes="Mixed.", predictions=[
            Prediction(text="Plans get shorter", result="held"),
            Prediction(text="Students notice the standard"),
        ])
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "prediction-unstudied")
        assert "'Students notice the standard'" in nudge.message


class TestAct:
    def test_deciding_without_study(self):
        project = fox_project()
        cycle = fresh_cycle(project, predictions=[Prediction(text="x")], do_notes="Done.", act="adopt",
                            act_reason="It felt good.")
        found = codes(cycle_nudges(project, cycle, today=TODAY))
        assert "act-without-study" in found
        assert "act-without-reason" not in found

    def test_a_decision_without_a_reason(self):
        project = fox_project()
        cycle = fresh_cycle(project, predictions=[Prediction(text="x", result="held")], do_notes="Done.",
                            act="abandon")
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "act-without-reason")
        assert "abandon" in nudge.message and nudge.field == "act_reason"

    def test_a_ramp_that_stops_after_adapt(self):
        project = fox_project()
        nudges = project_nudges(project, today=TODAY)
        assert codes(nudges) == ["ramp-stopped"]
        assert nudges[0].cycle_id == project.pdsa_cycles[0].id

    def test_no_ramp_nudge_once_the_next_cycle_exists(self):
        from ciwidgets.analysis.inquiry import plan_next_cycle

        project = fox_project()
        plan_next_cycle(project, project.pdsa_cycles[0])
        assert "ramp-stopped" not in codes(project_nudges(project, today=TODAY))

    def test_adopting_after_a_single_small_test(self):
        project = fox_project()
        cycle = project.pdsa_cycles[0]
        cycle.act = "adopt"
        nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "adopted-after-one")
        assert "'three teachers'" in nudge.message and "larger scale" in nudge.message

    def test_abandoning_ends_a_ramp_without_a_nudge(self):
        project = fox_project()
        project.pdsa_cycles[0].act = "abandon"
        assert project_nudges(project, today=TODAY) == []


def test_no_data_plan_when_predictions_exist():
    project = fox_project()
    cycle = fresh_cycle(project, predictions=[Prediction(text="x")], plan=Plan(who="Ms Diaz"))
    assert "no-data-plan" in codes(cycle_nudges(project, cycle, today=TODAY))
    cycle.plan.data_to_collect = "Minutes spent planning"
    assert "no-data-plan" not in codes(cycle_nudges(project, cycle, today=TODAY))


def test_hostile_text_is_quoted_as_plain_text_and_shortened():
    project = fox_project()
    orphan = project.driver_diagram.change_ideas[2]
    orphan.text = "<script>alert(1)</script> " + "x" * 200
    cycle = fresh_cycle(project, idea=orphan)
    nudge = next(n for n in cycle_nudges(project, cycle, today=TODAY) if n.code == "solutionitis")
    # Messages are plain text (views escape them); a long name is cut, not repeated in full.
    assert "<script>alert(1)</script>" in nudge.message
    assert "x" * 100 not in nudge.message


def test_a_cycle_started_before_the_last_one_was_decided():
    project = fox_project()
    first = project.pdsa_cycles[0]
    first.act = None  # cycle 1 is still open when the team starts cycle 2
    second = fresh_cycle(project, previous_cycle_id=first.id, predictions=[Prediction(text="x")])
    first.next_cycle_id = second.id
    nudge = next(n for n in cycle_nudges(project, second, today=TODAY) if n.code == "previous-open")
    assert nudge.step == "plan" and nudge.message.startswith("Cycle 1 has no decision yet.")
    first.act = "adapt"
    assert "previous-open" not in codes(cycle_nudges(project, second, today=TODAY))


class TestSetAside:
    def test_a_set_aside_nudge_stops_showing_on_that_cycle_only(self):
        project = fox_project()
        long_one = fresh_cycle(project, start_date=dt.date(2026, 11, 2), end_date=dt.date(2027, 1, 29),
                               predictions=[Prediction(text="x")])
        other = fresh_cycle(project, start_date=dt.date(2026, 11, 2), end_date=dt.date(2027, 1, 29))
        set_aside_nudge(long_one, "too-long")
        set_aside_nudge(long_one, "too-long")  # twice is once
        assert long_one.suggestions.set_aside == ["too-long"]
        assert codes(cycle_nudges(project, long_one, today=TODAY)) == ["no-data-plan"]
        assert "too-long" in codes(cycle_nudges(project, other, today=TODAY))
        showing, aside = cycle_nudges_and_set_aside(project, long_one, today=TODAY)
        assert codes(aside) == ["too-long"]
        assert "too-long" in codes(showing + aside)

    def test_the_whole_project_view_leaves_set_aside_nudges_out(self):
        project = fox_project()
        project.pdsa_cycles[0].act = "adapt"
        assert codes(project_nudges(project, today=TODAY)) == ["ramp-stopped"]
        set_aside_nudge(project.pdsa_cycles[0], "ramp-stopped")
        assert project_nudges(project, today=TODAY) == []

    def test_a_set_aside_nudge_whose_cause_is_gone_is_not_listed(self):
        project = fox_project()
        cycle = fresh_cycle(project, predictions=[Prediction(text="x")])
        set_aside_nudge(cycle, "no-data-plan")
        cycle.plan.data_to_collect = "Minutes spent planning"
        assert cycle_nudges_and_set_aside(project, cycle, today=TODAY)[1] == []
