"""Ramps: the next cycle is the natural end of Act, and the ramp reads in order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciwidgets.analysis.inquiry import (
    delete_cycle,
    new_cycle,
    plan_next_cycle,
    ramp_summary,
    suggest_scale,
)
from ciwidgets.model import ModelError, PDSACycle, Project
from tests.pdsa_examples import fox_project

from .properties import examples


def revalidated(project: Project) -> Project:
    """What the store would accept: the whole project validated again."""
    return Project.model_validate(project.model_dump())


class TestPlanNextCycle:
    def test_the_next_cycle_continues_the_same_change_idea_and_links_both_ways(self):
        project = fox_project()
        first = project.pdsa_cycles[0]
        second = plan_next_cycle(project, first)
        assert second.change_idea_id == first.change_idea_id
        assert second.cycle_number == 2
        assert second.previous_cycle_id == first.id
        assert first.next_cycle_id == second.id
        assert [y.id for y in project.cycles_of(first.change_idea_id)] == [first.id, second.id]
        revalidated(project)  # no broken link

    def test_question_predictions_and_plan_are_prefilled_but_not_the_results(self):
        project = fox_project()
        first = project.pdsa_cycles[0]
        second = plan_next_cycle(project, first)
        assert second.question == first.question
        assert [p.text for p in second.predictions] == [p.text for p in first.predictions]
        assert [p.confidence for p in second.predictions] == [p.confidence for p in first.predictions]
        assert all(p.result is None and p.what_data_showed == "" for p in second.predictions)
        assert {p.id for p in second.predictions}.isdisjoint({p.id for p in first.predictions})
        assert second.plan.who == first.plan.who
        assert second.plan.data_to_collect == first.plan.data_to_collect
        # Do, Study and Act start empty: they are this cycle's to write.
        assert (second.do_notes, second.surprises, second.study_notes) == ("", "", "")
        assert second.act is None and second.act_reason == ""
        assert second.start_date is None and not second.shared

    def test_the_earlier_cycle_keeps_its_own_record(self):
        project = fox_project()
        first = project.pdsa_cycles[0]
        before = first.model_dump(exclude={"next_cycle_id"})
        second = plan_next_cycle(project, first)
        second.predictions[0].text = "Changed in cycle 2"
        second.plan.who = "All math and English teachers"
        assert first.model_dump(exclude={"next_cycle_id"}) == before

    @pytest.mark.parametrize("act, expected", [
        ("adapt", "five teachers"), ("adopt", "five teachers"),
        ("abandon", "three teachers"), (None, "three teachers"),
    ])
    def test_a_larger_scale_is_suggested_after_adopt_or_adapt(self, act, expected):
        project = fox_project()
        first = project.pdsa_cycles[0]
        first.act = act
        assert plan_next_cycle(project, first).plan.scale == expected

    def test_planning_twice_opens_the_same_next_cycle(self):
        project = fox_project()
        first = project.pdsa_cycles[0]
        second = plan_next_cycle(project, first)
        again = plan_next_cycle(project, first)
        assert again is second
        assert len(project.cycles_of(first.change_idea_id)) == 2

    def test_the_number_follows_the_last_cycle_of_the_ramp(self):
        project = fox_project()
        first = project.pdsa_cycles[0]
        project.pdsa_cycles.append(PDSACycle(change_idea_id=first.change_idea_id, cycle_number=4))
        assert plan_next_cycle(project, first).cycle_number == 5

    def test_a_change_idea_that_was_only_an_idea_becomes_testing(self):
        project = fox_project(with_cycles=False)
        idea = project.driver_diagram.change_ideas[1]
        assert idea.status == "idea"
        cycle = new_cycle(project, idea.id)
        assert cycle.cycle_number == 1 and idea.status == "testing"


class TestNewCycle:
    def test_a_first_cycle_starts_blank_at_number_one(self):
        project = fox_project(with_cycles=False)
        idea = project.driver_diagram.change_ideas[0]
        cycle = new_cycle(project, idea.id)
        assert cycle.cycle_number == 1 and cycle.previous_cycle_id is None
        assert cycle.question == "" and cycle.predictions == []
        assert project.cycles_of(idea.id) == [cycle]

    def test_a_new_cycle_after_an_open_ended_ramp_continues_it(self):
        project = fox_project()
        first = project.pdsa_cycles[0]
        cycle = new_cycle(project, first.change_idea_id)
        assert cycle.previous_cycle_id == first.id and first.next_cycle_id == cycle.id
        assert cycle.question == first.question


class TestDeleteCycle:
    def three_cycle_ramp(self) -> tuple[Project, list[PDSACycle]]:
        project = fox_project()
        first = project.pdsa_cycles[0]
        second = plan_next_cycle(project, first)
        plan_next_cycle(project, second)
        return project, project.cycles_of(first.change_idea_id)

    def test_a_cycle_in_the_middle_leaves_the_ramp_linked_across_the_gap(self):
        project, (first, second, third) = self.three_cycle_ramp()
        assert delete_cycle(project, second.id).id == second.id
        project = revalidated(project)  # no link to the deleted cycle is left
        first, third = project.cycles_of(first.change_idea_id)
        assert first.next_cycle_id == third.id and third.previous_cycle_id == first.id
        assert [y.cycle_number for y in (first, third)] == [1, 3]  # the names the team used stay

    def test_the_newest_cycle_leaves_the_one_before_it_open_ended(self):
        project, (first, second, third) = self.three_cycle_ramp()
        delete_cycle(project, third.id)
        project = revalidated(project)
        assert project.find(second.id).next_cycle_id is None
        assert new_cycle(project, first.change_idea_id).cycle_number == 3  # the next one takes its place

    def test_the_first_cycle_makes_the_second_the_start_of_the_ramp(self):
        project, (first, second, _third) = self.three_cycle_ramp()
        delete_cycle(project, first.id)
        assert revalidated(project).find(second.id).previous_cycle_id is None

    def test_an_idea_left_without_cycles_is_an_idea_again_but_a_decided_one_keeps_its_status(self):
        project = fox_project(with_cycles=False)
        testing, adopted = project.driver_diagram.change_ideas[:2]
        adopted.status = "adopted"
        for idea in (testing, adopted):
            delete_cycle(project, new_cycle(project, idea.id).id)
        assert (testing.status, adopted.status) == ("idea", "adopted")
        assert project.pdsa_cycles == []

    def test_a_cycle_that_is_gone_is_refused_with_a_sentence(self):
        project = fox_project()
        cycle = project.pdsa_cycles[0]
        delete_cycle(project, cycle.id)
        with pytest.raises(ModelError, match="not there any more"):
            delete_cycle(project, cycle.id)


class TestSuggestScale:
    @pytest.mark.parametrize("scale, bigger", [
        ("one teacher", "three teachers"),
        ("One class", "Three classes"),
        ("a child", "three children"),
        ("three teachers", "five teachers"),
        ("3 teachers", "5 teachers"),
        ("5 students", "10 students"),
        ("twelve students", "24 students"),
        ("1 grade-3 classroom", "3 grade-3 classrooms"),
        ("one teacher in grade 3", "three teachers in grade 3"),
        ("one math teacher", "three math teachers"),
        ("one family", "three families"),
        ("one counselor, new arrivals in 2 classes", "three counselors, new arrivals in 2 classes"),
        ("one class (room 4)", "three classes (room 4)"),
    ])
    def test_counts_grow_and_nouns_agree(self, scale, bigger):
        assert suggest_scale(scale) == bigger

    @pytest.mark.parametrize("scale", ["", "all math teachers", "grade 3", "0 teachers", "the whole school"])
    def test_scales_it_cannot_read_are_left_for_the_team(self, scale):
        assert suggest_scale(scale) == scale

    @given(st.text(max_size=200))
    def test_any_scale_gives_a_scale_the_model_accepts(self, scale):
        from ciwidgets.model import Plan

        Plan(scale=suggest_scale(scale.strip()))


class TestRampSummary:
    def test_fox_ramp_reads_three_teachers_then_all_teachers_then_a_checklist(self):
        project = fox_project()
        first = project.pdsa_cycles[0]
        second = plan_next_cycle(project, first)
        second.plan.scale = "all math and English teachers"
        second.act, second.act_reason = "adapt", "Add a checklist"
        third = plan_next_cycle(project, second)
        third.question = "Does a checklist keep the plans complete?"

        ramps = ramp_summary(project)
        assert [r.change_idea for r in ramps] == ["A standards-based lesson-planning slide deck"]
        steps = ramps[0].steps
        assert [s.cycle_number for s in steps] == [1, 2, 3]
        assert [s.scale for s in steps] == ["three teachers", "all math and English teachers",
                                            "all math and English teachers"]
        assert [s.act for s in steps] == ["adapt", "adapt", None]
        assert [s.stage for s in steps] == ["adapt", "adapt", "planning"]
        assert (steps[0].predictions, steps[0].held) == (2, 1)
        assert ramps[0].latest.cycle_id == third.id

    def test_stages_of_an_open_cycle(self):
        project = fox_project()
        cycle = plan_next_cycle(project, project.pdsa_cycles[0])
        assert ramp_summary(project)[0].latest.stage == "planning"
        cycle.do_notes = "Ran it."
        assert ramp_summary(project)[0].latest.stage == "doing"
        cycle.predictions[0].result = "held"
        assert ramp_summary(project)[0].latest.stage == "studying"

    def test_untested_ideas_are_listed_only_on_request(self):
        project = fox_project()
        assert len(ramp_summary(project)) == 1
        ramps = ramp_summary(project, include_untested=True)
        assert [len(r.steps) for r in ramps] == [1, 0, 0]
        assert ramps[1].latest is None


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(st.sampled_from(["adopt", "adapt", "abandon", None]), min_size=1, max_size=8))
def test_any_sequence_of_decisions_builds_a_valid_linked_ramp(decisions):
    project = fox_project()
    cycle = project.pdsa_cycles[0]
    for act in decisions:
        cycle.act = act
        cycle = plan_next_cycle(project, cycle)
    project = revalidated(project)
    ramp = project.cycles_of(cycle.change_idea_id)
    assert [y.cycle_number for y in ramp] == list(range(1, len(decisions) + 2))
    for earlier, later in zip(ramp, ramp[1:], strict=False):
        assert earlier.next_cycle_id == later.id and later.previous_cycle_id == earlier.id
    assert ramp[0].previous_cycle_id is None and ramp[-1].next_cycle_id is None
