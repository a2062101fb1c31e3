"""Root-cause rules: the cause tree, dot voting, stakeholder coverage, 5 whys."""

from __future__ import annotations

import datetime as dt

import pytest

from ciwidgets.analysis import rootcause as rc
from ciwidgets.analysis.rootcause import RootCauseError
from ciwidgets.model import ChangeIdea, EmpathyInterview, ProcessStep, Project


@pytest.fixture
def project() -> Project:
    p = Project(team_id="t-fox")
    p.fishbone.problem = "Only 17% of students meet the state math standard"
    return p


def cat(project: Project, name: str) -> str:
    return next(c.id for c in project.fishbone.categories if c.name == name)


def causes(project: Project, n: int, category: str = "Students") -> list[str]:
    return [rc.add_cause(project, cat(project, category), f"cause {i}").id for i in range(n)]


def still_valid(project: Project) -> Project:
    """What the session does after every edit: the whole project must validate."""
    return Project.model_validate(project.model_dump())


# ---------------------------------------------------------------- cause tree


def test_sub_cause_lives_in_its_parents_category_and_follows_it_when_moved(project):
    parent = rc.add_cause(project, cat(project, "Students"), "Students don't see themselves as math people")
    sub = rc.add_cause(project, cat(project, "Curriculum & materials"), "Few role models in the books",
                       parent_id=parent.id)
    assert sub.category_id == parent.category_id  # the parent's category wins

    rc.move_cause(project, parent.id, category_id=cat(project, "School culture"))
    assert {parent.category_id, sub.category_id} == {cat(project, "School culture")}
    tree = rc.cause_tree(project.fishbone, cat(project, "School culture"))
    assert [(n.cause.text, n.depth) for n in tree] == [
        ("Students don't see themselves as math people", 0), ("Few role models in the books", 1)]
    still_valid(project)


def test_a_cause_cannot_move_under_its_own_sub_cause(project):
    a = rc.add_cause(project, cat(project, "Students"), "A")
    b = rc.add_cause(project, cat(project, "Students"), "B", parent_id=a.id)
    with pytest.raises(RootCauseError, match="under itself or under one of its own sub-causes"):
        rc.move_cause(project, a.id, parent_id=b.id)
    with pytest.raises(RootCauseError):
        rc.move_cause(project, a.id, parent_id=a.id)
    assert a.parent_id is None


def test_moving_a_sub_cause_to_a_category_makes_it_a_cause_on_that_bone(project):
    a = rc.add_cause(project, cat(project, "Students"), "A")
    b = rc.add_cause(project, cat(project, "Students"), "B", parent_id=a.id)
    rc.move_cause(project, b.id, category_id=cat(project, "Policies & schedules"))
    assert b.parent_id is None and b.category_id == cat(project, "Policies & schedules")


def test_deleting_a_cause_takes_its_sub_causes_votes_and_links(project):
    a = rc.add_cause(project, cat(project, "Students"), "A")
    b = rc.add_cause(project, cat(project, "Students"), "B", parent_id=a.id)
    c = rc.add_cause(project, cat(project, "Students"), "C")
    rc.place_vote(project.fishbone, "Ana", b.id)
    rc.place_vote(project.fishbone, "Ana", c.id)
    chain = rc.start_why_chain(project, cause_id=a.id)
    project.driver_diagram.change_ideas.append(ChangeIdea(text="Math identity circles", cause_ids=[a.id, c.id]))

    gone = rc.delete_cause(project, a.id)

    assert set(gone) == {a.id, b.id}
    assert [x.text for x in project.fishbone.causes] == ["C"]
    assert [v.cause_id for v in project.fishbone.votes] == [c.id]
    assert chain.cause_id is None
    assert project.driver_diagram.change_ideas[0].cause_ids == [c.id]
    assert rc.dots_left(project.fishbone, "Ana") == 2  # the deleted cause's dot came back
    still_valid(project)


def test_a_blank_cause_is_refused_with_a_sentence(project):
    with pytest.raises(RootCauseError, match="Type the cause first"):
        rc.add_cause(project, cat(project, "Students"), "   ")


def test_the_same_cause_twice_is_refused_so_dots_are_not_split(project):
    first = rc.add_cause(project, cat(project, "Students"), "Decodable books are scarce")
    with pytest.raises(RootCauseError, match="'Decodable books are scarce' is already on the fishbone, under Students."):
        rc.add_cause(project, cat(project, "Curriculum & materials"), "  decodable   BOOKS are scarce ")
    other = rc.add_cause(project, cat(project, "Students"), "Too few reading tutors")
    with pytest.raises(RootCauseError, match="already on the fishbone"):
        rc.rename_cause(project, other.id, "Decodable books are scarce")
    rc.rename_cause(project, first.id, "Decodable books are scarce in grade 1")  # its own words, changed
    assert [c.text for c in project.fishbone.causes] == ["Decodable books are scarce in grade 1",
                                                         "Too few reading tutors"]


def test_removing_a_category_moves_or_deletes_its_causes(project):
    students, culture = cat(project, "Students"), cat(project, "School culture")
    a = rc.add_cause(project, students, "A")
    rc.add_cause(project, students, "A1", parent_id=a.id)
    rc.remove_category(project, students, move_to=culture)
    assert [c.category_id for c in project.fishbone.causes] == [culture, culture]
    assert students not in {c.id for c in project.fishbone.categories}
    still_valid(project)

    rc.place_vote(project.fishbone, "Ben", a.id)
    rc.remove_category(project, culture)
    assert project.fishbone.causes == [] and project.fishbone.votes == []
    still_valid(project)


def test_category_names_are_unique_ignoring_case(project):
    rc.add_category(project, "Technology")
    with pytest.raises(RootCauseError, match="already a category called"):
        rc.add_category(project, "technology")
    with pytest.raises(RootCauseError):
        rc.rename_category(project, cat(project, "Students"), "TECHNOLOGY")
    rc.rename_category(project, cat(project, "Students"), "Learners")
    assert project.fishbone.categories[0].name == "Learners"


def test_evidence_from_an_interview_is_attached_once(project):
    interview = EmpathyInterview(stakeholder_group="student", date=dt.date(2026, 10, 1),
                                 themes=["math anxiety"], quotes=["I'm just not a math person"])
    project.interviews.append(interview)
    a = rc.add_cause(project, cat(project, "Students"), "Math anxiety")
    choices = dict(rc.evidence_choices(project))
    quote = next(e for e in choices.values() if e.kind == "quote")
    rc.add_evidence(project, a.id, quote.kind, quote.text, interview_id=quote.interview_id)
    with pytest.raises(RootCauseError, match="already attached"):
        rc.add_evidence(project, a.id, quote.kind, quote.text, interview_id=quote.interview_id)
    with pytest.raises(RootCauseError, match="no longer in the log"):
        rc.add_evidence(project, a.id, "theme", "x", interview_id="i-gone")
    assert [(e.kind, e.text) for e in a.evidence] == [("quote", "I'm just not a math person")]


# ---------------------------------------------------------------- dot voting


def test_each_member_has_votes_per_member_dots_and_no_stacking(project):
    fb = project.fishbone
    a, b, c, d = causes(project, 4)
    rc.place_vote(fb, "Ana", a)
    with pytest.raises(RootCauseError, match="already has a dot"):
        rc.place_vote(fb, "Ana", a)
    rc.place_vote(fb, "Ana", b)
    rc.place_vote(fb, "Ana", c)
    assert rc.dots_left(fb, "Ana") == 0
    with pytest.raises(RootCauseError, match="used all 3 dots"):
        rc.place_vote(fb, "Ana", d)
    assert rc.vote_counts(fb) == {a: 1, b: 1, c: 1, d: 0}
    assert rc.dots_left(fb, "Ben") == 3  # other members are not affected


def test_a_re_vote_moves_or_replaces_dots(project):
    fb = project.fishbone
    a, b, c, d = causes(project, 4)
    rc.set_votes(fb, "Ana", [a, b, c])
    rc.move_vote(fb, "Ana", a, d)
    assert sorted(rc.vote_counts(fb).items()) == sorted({a: 0, b: 1, c: 1, d: 1}.items())
    rc.set_votes(fb, "Ana", [a])
    assert rc.vote_counts(fb) == {a: 1, b: 0, c: 0, d: 0}
    assert rc.dots_left(fb, "Ana") == 2
    with pytest.raises(RootCauseError, match="Each member has 3 dots"):
        rc.set_votes(fb, "Ana", [a, b, c, d])
    assert rc.vote_counts(fb)[a] == 1  # a refused re-vote changes nothing


def test_toggle_places_then_removes_and_reset_clears_only_mine(project):
    fb = project.fishbone
    a, b = causes(project, 2)
    assert rc.toggle_vote(fb, "Ana", a) is True
    assert rc.toggle_vote(fb, "Ana", a) is False
    rc.place_vote(fb, "Ana", a)
    rc.place_vote(fb, "Ana", b)
    rc.place_vote(fb, "Ben", a)
    assert rc.reset_votes(fb, "Ana") == 2
    assert [(v.voter, v.cause_id) for v in fb.votes] == [("Ben", a)]


def test_voting_needs_a_voter_and_a_cause_that_exists(project):
    (a,) = causes(project, 1)
    with pytest.raises(RootCauseError, match="Choose who is voting"):
        rc.place_vote(project.fishbone, "  ", a)
    with pytest.raises(RootCauseError, match="no longer on the fishbone"):
        rc.place_vote(project.fishbone, "Ana", "c-gone")


def test_ties_share_a_rank_keep_their_order_and_are_all_highlighted(project):
    fb = project.fishbone
    a, b, c, d, e = causes(project, 5)
    # a: 3 dots; b, c, d: 2 each (tied at the top-3 boundary); e: none
    for voter, picks in {"Ana": [a, b, c], "Ben": [a, d, b], "Cy": [a, c, d]}.items():
        rc.set_votes(fb, voter, picks)
    standing = rc.tally(fb, highlight_top=2)
    assert [(t.cause.id, t.votes, t.rank, t.top) for t in standing] == [
        (a, 3, 1, True), (b, 2, 2, True), (c, 2, 2, True), (d, 2, 2, True), (e, 0, 5, False)]
    assert [x.id for x in rc.top_causes(fb, 2)] == [a, b, c, d]
    assert [x.id for x in rc.top_causes(fb, 1)] == [a]


def test_causes_without_dots_are_never_top(project):
    causes(project, 3)
    assert rc.top_causes(project.fishbone) == []


def test_votes_for_a_cause_that_no_longer_exists_are_not_counted(project):
    fb = project.fishbone
    a, b = causes(project, 2)
    rc.place_vote(fb, "Ana", a)
    rc.place_vote(fb, "Ana", b)
    fb.causes = [x for x in fb.causes if x.id != a]  # deleted by hand, votes left behind
    assert rc.vote_counts(fb) == {b: 1}
    assert rc.dots_left(fb, "Ana") == 2


def test_fewer_dots_per_member_keeps_the_dots_placed_first(project):
    fb = project.fishbone
    a, b, c = causes(project, 3)
    rc.set_votes(fb, "Ana", [a, b, c])
    rc.set_votes_per_member(fb, 2)
    assert [v.cause_id for v in rc.votes_of(fb, "Ana")] == [a, b]
    with pytest.raises(RootCauseError, match="between 1 and 10"):
        rc.set_votes_per_member(fb, 0)


# ---------------------------------------------------------------- interviews


def test_stakeholder_coverage_names_the_groups_heard_and_missing():
    day = dt.date(2026, 10, 1)
    log = [EmpathyInterview(stakeholder_group=g, date=day) for g in ("student", "student", "teacher")]
    coverage = rc.stakeholder_coverage(log)
    assert coverage.heard == {"student": 2, "teacher": 1}
    assert coverage.missing == ("family", "staff", "leader", "community")
    assert "Missing: family, staff, leader, community" in coverage.summary
    assert "No interviews yet" in rc.stakeholder_coverage([]).summary


def test_themes_are_counted_across_interviews_ignoring_case():
    day = dt.date(2026, 10, 1)
    log = [EmpathyInterview(stakeholder_group="student", date=day, themes=["Math anxiety", "time"]),
           EmpathyInterview(stakeholder_group="family", date=day, themes=["math anxiety", "math ANXIETY"])]
    assert rc.interview_themes(log) == [("Math anxiety", 2), ("time", 1)]


# ---------------------------------------------------------------- 5 whys


def test_promoting_a_why_chain_from_the_problem_adds_a_root_cause_once(project):
    chain = rc.start_why_chain(project)
    assert chain.start == project.fishbone.problem
    rc.add_why(project, chain.id, "Students give up on word problems")
    rc.add_why(project, chain.id, "They cannot read the academic vocabulary")
    with pytest.raises(RootCauseError, match="Choose the category"):
        rc.promote_why(project, chain.id)
    cause = rc.promote_why(project, chain.id, cat(project, "Curriculum & materials"))
    again = rc.promote_why(project, chain.id, cat(project, "Curriculum & materials"))
    assert again.id == cause.id
    assert [c.text for c in project.fishbone.causes] == ["They cannot read the academic vocabulary"]
    assert chain.promoted_cause_id == cause.id
    assert "Students give up on word problems" in cause.evidence[0].text  # the chain is the evidence
    still_valid(project)


def test_promoting_from_a_cause_adds_a_sub_cause_and_follows_a_changed_answer(project):
    start = rc.add_cause(project, cat(project, "Students"), "Students skip homework")
    chain = rc.start_why_chain(project, cause_id=start.id)
    rc.add_why(project, chain.id, "Nobody at home can help")
    root = rc.promote_why(project, chain.id)
    assert (root.parent_id, root.category_id) == (start.id, start.category_id)
    rc.add_why(project, chain.id, "Instructions are only in English")
    assert rc.promote_why(project, chain.id).text == "Instructions are only in English"
    assert len(project.fishbone.causes) == 2


def test_a_deleted_root_cause_can_be_promoted_again(project):
    chain = rc.start_why_chain(project)
    rc.add_why(project, chain.id, "Why not")
    first = rc.promote_why(project, chain.id, cat(project, "Students"))
    rc.delete_cause(project, first.id)
    assert chain.promoted_cause_id is None
    second = rc.promote_why(project, chain.id, cat(project, "Students"))
    assert second.id != first.id and len(project.fishbone.causes) == 1


def test_a_breakdown_on_the_process_map_becomes_a_cause_and_follows_its_category(project):
    step = ProcessStep(text="Referral to intervention", breaks_down=True, why="Weeks after the unit")
    project.process_map.steps += [ProcessStep(text="Unit test"), step]
    cause = rc.cause_from_step(project, step.id, cat(project, "Students"))
    assert (cause.text, step.cause_id) == ("Weeks after the unit", cause.id)
    again = rc.cause_from_step(project, step.id, cat(project, "Policies & schedules"))
    assert again.id == cause.id and again.category_id == cat(project, "Policies & schedules")
    assert [e.text for e in again.evidence] == ["Process map, step 2: Referral to intervention"]
    still_valid(project)


def test_only_a_step_that_breaks_down_goes_on_the_fishbone(project):
    step = ProcessStep(text="Unit test")
    project.process_map.steps.append(step)
    with pytest.raises(RootCauseError, match="Mark where the process breaks down first"):
        rc.cause_from_step(project, step.id, cat(project, "Students"))
    with pytest.raises(RootCauseError, match="no longer on the process map"):
        rc.cause_from_step(project, "ps-gone", cat(project, "Students"))
    assert project.fishbone.causes == []


def test_a_chain_needs_an_answer_before_promotion_and_a_problem_to_start(project):
    chain = rc.start_why_chain(project)
    with pytest.raises(RootCauseError, match="at least once"):
        rc.promote_why(project, chain.id, cat(project, "Students"))
    empty = Project(team_id="t-x")
    with pytest.raises(RootCauseError, match="State the problem first"):
        rc.start_why_chain(empty)


# ---------------------------------------------------------------- tidy rows


def test_cause_rows_follow_reading_order_with_votes_and_evidence(project):
    a = rc.add_cause(project, cat(project, "Students"), "A", in_our_control=True)
    rc.add_cause(project, cat(project, "Students"), "A1", parent_id=a.id)
    rc.add_cause(project, cat(project, "School culture"), "B")
    rc.place_vote(project.fishbone, "Ana", a.id)
    rows = rc.cause_rows(project.fishbone)
    assert [(r["category"], r["text"], r["depth"], r["parent_text"]) for r in rows] == [
        ("Students", "A", 0, None), ("Students", "A1", 1, "A"), ("School culture", "B", 0, None)]
    assert rows[0]["votes"] == 1 and rows[0]["top"] and rows[0]["in_our_control"] is True


# ---------------------------------------------------------------- researcher API


def test_a_fishbone_built_from_a_dict_round_trips_and_tabulates(tmp_path):
    from ciwidgets.api.rootcause import (
        causes_frame,
        fishbone_from_dict,
        fishbone_to_dict,
        save_fishbone,
        votes_frame,
    )

    project = fishbone_from_dict({
        "problem": "Only 17% of our students meet the state math standard",
        "categories": {
            "Students": [
                "Many students are new mid-year",
                {"text": "Math vocabulary is a barrier", "in_our_control": True,
                 "subcauses": ["Word problems are dense", {"text": "Few visuals",
                                                            "subcauses": ["No manipulatives"]}]},
            ],
            "Teachers & instruction": [{"text": "Lessons not planned from standards",
                                        "evidence": [{"kind": "quote", "text": "I plan from the book"}]}],
            "Technology": [],
        },
        "votes": {"Ms. Chen": ["Math vocabulary is a barrier", "Few visuals"], "Mr. Okafor": ["Few visuals"]},
    })
    assert [c.name for c in project.fishbone.categories] == ["Students", "Teachers & instruction", "Technology"]
    df = causes_frame(project)
    assert list(df.text) == ["Many students are new mid-year", "Math vocabulary is a barrier",
                             "Word problems are dense", "Few visuals", "No manipulatives",
                             "Lessons not planned from standards"]
    assert list(df.depth) == [0, 0, 1, 1, 2, 0]
    assert df.set_index("text").loc["Few visuals", "votes"] == 2
    assert df.project_id.unique().tolist() == [project.id]
    assert len(votes_frame(project)) == 3

    again = fishbone_from_dict(fishbone_to_dict(project))
    assert fishbone_to_dict(again) == fishbone_to_dict(project)
    assert [c.id for c in again.fishbone.causes] == [c.id for c in project.fishbone.causes]

    svg = save_fishbone(project, tmp_path / "fishbone.svg").read_text()
    assert "Math vocabulary is a barrier" in svg
    with pytest.raises(Exception, match="as .svg or .png"):
        save_fishbone(project, tmp_path / "fishbone.pdf")


def test_a_researcher_saves_the_process_map_as_svg(tmp_path):
    from ciwidgets.api.rootcause import save_process_map

    project = Project(team_id="t-fox")
    project.process_map.steps += [ProcessStep(text="Student is stuck"),
                                  ProcessStep(text="Teacher notices", breaks_down=True)]
    svg = save_process_map(project, tmp_path / "process.svg").read_text(encoding="utf-8")
    assert svg.index("Student is stuck") < svg.index("Teacher notices") and "Breaks down" in svg
    with pytest.raises(Exception, match="Save the process map as .svg or .png"):
        save_process_map(project.process_map, tmp_path / "process.pdf")


@pytest.mark.parametrize("data, message", [
    ({"problem": "x", "bones": {}}, "Unknown key"),
    ({"categories": {"Students": [{"txt": "typo"}]}}, r"Category 'Students', cause 1: unknown key\(s\) \['txt'\]"),
    ({"categories": {"Students": [{"in_our_control": True}]}}, "Category 'Students', cause 1: needs some text"),
    ({"categories": {"Students": ["A"]}, "votes": {"Ana": ["B"]}}, "'B' matches no cause"),
    ({"categories": {"Students": ["A", "B", "C", "D"]}, "votes": {"Ana": ["A", "B", "C", "D"]}},
     "used all 3 dots"),
    ({"categories": {"Students": [{"text": "A", "in_our_control": "maybe"}]}}, "in our control"),
    ({"problem": "x" * 6000}, "too long"),
])
def test_a_bad_dict_is_explained_in_a_sentence(data, message):
    from ciwidgets.api.rootcause import fishbone_from_dict
    from ciwidgets.model import ModelError

    with pytest.raises(ModelError, match=message):
        fishbone_from_dict(data)
