"""Three-way merge: edits of different entities combine, edits of one entity clash."""

import pytest

from ciwidgets.model import Cause, PDSACycle, Prediction, PrimaryDriver, Project
from ciwidgets.store import MergeConflict, merge


@pytest.fixture
def base():
    project = Project(team_id="t-1", title="Math")
    cat = project.fishbone.categories[0].id
    project.fishbone.causes += [Cause(id="c-a", category_id=cat, text="A"), Cause(id="c-b", category_id=cat, text="B")]
    project.driver_diagram.primary_drivers.append(PrimaryDriver(id="p-1", text="Data-driven instruction"))
    project.driver_diagram.change_ideas = []
    return project


def copy(project):
    return project.model_copy(deep=True)


def causes(project):
    return [c.text for c in project.fishbone.causes]


def test_both_sides_add_causes_and_both_are_kept_mine_after_theirs(base):
    mine, theirs = copy(base), copy(base)
    cat = base.fishbone.categories[0].id
    mine.fishbone.causes.append(Cause(category_id=cat, text="mine"))
    theirs.fishbone.causes.append(Cause(category_id=cat, text="theirs"))
    assert causes(merge(base, mine, theirs)) == ["A", "B", "theirs", "mine"]


def test_an_insert_keeps_its_place_after_its_neighbour(base):
    mine, theirs = copy(base), copy(base)
    mine.fishbone.causes.insert(1, Cause(category_id=base.fishbone.categories[0].id, text="between"))
    theirs.fishbone.causes.append(Cause(category_id=base.fishbone.categories[0].id, text="end"))
    assert causes(merge(base, mine, theirs)) == ["A", "between", "B", "end"]


def test_edits_of_different_entities_and_fields_combine(base):
    mine, theirs = copy(base), copy(base)
    mine.fishbone.causes[0].text = "A, reworded"
    theirs.fishbone.causes[1].in_our_control = True
    theirs.title = "Math for all"
    merged = merge(base, mine, theirs)
    assert causes(merged) == ["A, reworded", "B"]
    assert merged.fishbone.causes[1].in_our_control is True
    assert merged.title == "Math for all"


def test_the_same_entity_changed_differently_is_a_clash_with_both_versions(base):
    mine, theirs = copy(base), copy(base)
    mine.fishbone.causes[0].text = "A by me"
    theirs.fishbone.causes[0].text = "A by them"
    with pytest.raises(MergeConflict) as info:
        merge(base, mine, theirs)
    [clash] = info.value.clashes
    assert clash.label == "the cause 'A'"
    assert clash.mine["text"] == "A by me" and clash.theirs["text"] == "A by them"


def test_the_same_change_on_both_sides_is_no_clash(base):
    mine, theirs = copy(base), copy(base)
    mine.fishbone.causes[0].text = theirs.fishbone.causes[0].text = "Same"
    assert causes(merge(base, mine, theirs)) == ["Same", "B"]


def test_deleting_what_the_other_edited_is_a_clash(base):
    mine, theirs = copy(base), copy(base)
    del mine.fishbone.causes[0]
    theirs.fishbone.causes[0].text = "A, improved"
    with pytest.raises(MergeConflict) as info:
        merge(base, mine, theirs)
    assert info.value.clashes[0].mine is None


def test_a_deletion_and_an_unrelated_edit_combine(base):
    mine, theirs = copy(base), copy(base)
    del mine.fishbone.causes[0]
    theirs.fishbone.causes[1].text = "B, improved"
    assert causes(merge(base, mine, theirs)) == ["B, improved"]


def test_a_combination_that_breaks_a_link_is_refused(base):
    mine, theirs = copy(base), copy(base)
    doomed = base.fishbone.categories[-1].id
    mine.fishbone.causes.append(Cause(category_id=doomed, text="in a doomed category"))
    theirs.fishbone.categories = [c for c in theirs.fishbone.categories if c.id != doomed]
    with pytest.raises(MergeConflict) as info:
        merge(base, mine, theirs)
    assert "do not fit together" in str(info.value)
    assert "fishbone category that does not exist" in str(info.value)


def test_nested_records_merge_separately_from_their_entity(base):
    base.driver_diagram.change_ideas.append(
        __import__("ciwidgets.model", fromlist=["ChangeIdea"]).ChangeIdea(id="x-1", text="Deck"))
    base.pdsa_cycles.append(PDSACycle(id="y-1", change_idea_id="x-1", question="Q?"))
    mine, theirs = copy(base), copy(base)
    mine.pdsa_cycles[0].plan.who = "three teachers"
    theirs.pdsa_cycles[0].question = "Does the deck save time?"
    theirs.pdsa_cycles[0].predictions.append(Prediction(text="It will"))
    merged = merge(base, mine, theirs)
    cycle = merged.pdsa_cycles[0]
    assert (cycle.plan.who, cycle.question, len(cycle.predictions)) == (
        "three teachers", "Does the deck save time?", 1)


def test_setting_aside_a_suggestion_merges_with_an_edit_of_its_cycle(base):
    from ciwidgets.model import ChangeIdea

    base.driver_diagram.change_ideas.append(ChangeIdea(id="x-1", text="Deck"))
    base.pdsa_cycles.append(PDSACycle(id="y-1", change_idea_id="x-1", question="Q?"))
    mine, theirs = copy(base), copy(base)
    mine.pdsa_cycles[0].suggestions.set_aside = ["too-long"]
    theirs.pdsa_cycles[0].do_notes = "All three used it."
    cycle = merge(base, mine, theirs).pdsa_cycles[0]
    assert (cycle.suggestions.set_aside, cycle.do_notes) == (["too-long"], "All three used it.")


def test_a_deleted_entity_takes_its_nested_records_along(base):
    from ciwidgets.model import ChangeIdea

    base.driver_diagram.change_ideas.append(ChangeIdea(id="x-1", text="Deck"))
    base.pdsa_cycles.append(PDSACycle(id="y-1", change_idea_id="x-1"))
    mine, theirs = copy(base), copy(base)
    mine.pdsa_cycles.clear()
    theirs.title = "renamed"
    merged = merge(base, mine, theirs)
    assert merged.pdsa_cycles == [] and merged.title == "renamed"


def test_my_reordering_is_kept_when_they_only_added(base):
    mine, theirs = copy(base), copy(base)
    mine.fishbone.causes.reverse()
    theirs.fishbone.causes.append(Cause(category_id=base.fishbone.categories[0].id, text="new"))
    assert causes(merge(base, mine, theirs)) == ["B", "A", "new"]


def test_a_clash_on_a_teams_own_fields_names_the_team():
    from ciwidgets.model import Team

    base = Team(network_id="n-1", name="Fox", meeting_routine="Tuesdays")
    mine, theirs = copy(base), copy(base)
    mine.meeting_routine, theirs.meeting_routine = "Mondays", "Fridays"
    with pytest.raises(MergeConflict) as info:
        merge(base, mine, theirs)
    assert info.value.clashes[0].label == "the team's details"


def test_different_fields_of_one_entity_combine(base):
    from ciwidgets.model import ChangeIdea

    base.driver_diagram.change_ideas.append(ChangeIdea(id="x-1", text="Deck"))
    base.pdsa_cycles.append(PDSACycle(id="y-1", change_idea_id="x-1"))
    mine, theirs = copy(base), copy(base)
    mine.pdsa_cycles[0].plan.where = "Room 12"  # two people filling in one plan at a meeting
    theirs.pdsa_cycles[0].plan.who = "Three teachers"
    mine.fishbone.causes[0].text = "A, reworded"
    theirs.fishbone.causes[0].in_our_control = True
    merged = merge(base, mine, theirs)
    assert (merged.pdsa_cycles[0].plan.who, merged.pdsa_cycles[0].plan.where) == ("Three teachers", "Room 12")
    assert (merged.fishbone.causes[0].text, merged.fishbone.causes[0].in_our_control) == ("A, reworded", True)
    theirs.pdsa_cycles[0].plan.where = "The library"  # the same field: still a choice to make
    with pytest.raises(MergeConflict):
        merge(base, mine, theirs)


def test_keep_mine_brings_a_deleted_cycle_back_whole(base):
    from ciwidgets.model import ChangeIdea, Plan

    base.driver_diagram.change_ideas.append(ChangeIdea(id="x-1", text="Deck"))
    base.pdsa_cycles.append(PDSACycle(id="y-1", change_idea_id="x-1", plan=Plan(who="Three teachers"),
                                      predictions=[Prediction(text="It saves time")]))
    mine, theirs = copy(base), copy(base)
    mine.pdsa_cycles[0].do_notes = "All three used it."
    theirs.pdsa_cycles.clear()
    theirs.title = "Math for all"
    with pytest.raises(MergeConflict):
        merge(base, mine, theirs)
    kept = merge(base, mine, theirs, prefer_mine=True)
    cycle = kept.pdsa_cycles[0]
    assert (cycle.do_notes, cycle.plan.who, [p.text for p in cycle.predictions]) == (
        "All three used it.", "Three teachers", ["It saves time"])
    assert kept.title == "Math for all"
