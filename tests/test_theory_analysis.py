"""The theory of improvement's pure checks: aim sentence, SMART check, orphans,
measure nudges, benefit-effort quadrants, many-to-many edits, the researcher API."""

from __future__ import annotations

import datetime as dt

import pytest

from ciwidgets.analysis import theory as T
from ciwidgets.api.theory import (
    change_ideas_frame,
    driver_diagram_from_dict,
    driver_diagram_to_dict,
    drivers_frame,
    measures_frame,
    theory_links_frame,
)
from ciwidgets.model import Aim, Measure, ModelError, Observation, PDSACycle, Project

TODAY = dt.date(2025, 10, 1)
FOX_AIM = Aim(what="meet or exceed the state math standard", for_whom="students",
              baseline=17, target=35, unit="%", by_when=dt.date(2026, 5, 31))


def project() -> Project:
    return Project(team_id="t-test")


# --------------------------------------------------------------------------- aim sentence


def test_aim_sentence_reads_like_the_fox_example():
    assert T.aim_sentence(FOX_AIM, school="Fox Elementary School") == (
        "By May 2026, at least 35% of students at Fox Elementary School will meet or exceed the state math "
        "standard, up from 17%."
    )


def test_aim_sentence_for_a_decrease_says_at_most_and_down_from():
    aim = Aim(what="be chronically absent", for_whom="students", baseline=15, target=8, unit="%",
              by_when=dt.date(2026, 5, 15))
    assert T.aim_sentence(aim, "Eagle") == (
        "By May 15, 2026, at most 8% of students at Eagle will be chronically absent, down from 15%."
    )


def test_aim_sentence_names_the_school_after_the_teams_own_words():
    aim = FOX_AIM.model_copy(update={"for_whom": "all students in grade 4"})
    assert "35% of all students in grade 4 at Fox Elementary will" in T.aim_sentence(aim, "Fox Elementary")
    aim = FOX_AIM.model_copy(update={"for_whom": "grade 2 students"})
    assert "35% of grade 2 students at New School will" in T.aim_sentence(aim, "New School")
    aim = FOX_AIM.model_copy(update={"for_whom": "new students"})  # 'new' is not the school New School
    assert "35% of new students at New School will" in T.aim_sentence(aim, "New School")


def test_aim_sentence_with_a_count_unit_and_no_school():
    aim = Aim(what="attend school", for_whom="third graders", baseline=150, target=170.5, unit="days",
              by_when=dt.date(2026, 6, 30))
    assert T.aim_sentence(aim) == (
        "By June 2026, third graders will attend school: at least 170.5 days, up from 150 days."
    )


def test_aim_sentence_does_not_repeat_a_school_already_named():
    aim = FOX_AIM.model_copy(update={"for_whom": "Fox students in grades 3–5"})
    assert "of Fox students in grades 3–5 will" in T.aim_sentence(aim, "Fox Elementary")


def test_aim_sentence_shows_missing_parts_as_hints_or_leaves_them_out():
    aim = Aim(target=35, unit="%")
    assert T.aim_sentence(aim) == "By [when], 35% of [for whom] will [what will change]."
    assert T.aim_sentence(Aim()) == ""
    assert T.aim_statement(Aim(what="attend school", for_whom="students")) == "Students will attend school."


def test_the_teams_own_wording_wins_in_the_statement():
    aim = FOX_AIM.model_copy(update={"text": "Our own words."})
    assert T.aim_statement(aim, "Fox") == "Our own words."


# --------------------------------------------------------------------------- SMART


def parts(aim: Aim) -> set[str]:
    return {g.part for g in T.smart_check(aim, TODAY)}


def test_a_complete_aim_passes_the_smart_check():
    assert T.smart_check(FOX_AIM, TODAY) == []


@pytest.mark.parametrize(
    ("change", "part", "words"),
    [
        ({"target": None}, "number", "Add a number"),
        ({"baseline": None}, "baseline", "where you are now"),
        ({"by_when": None}, "date", "Add a date"),
        ({"for_whom": ""}, "population", "for whom"),
        ({"what": "  "}, "what", "what will change"),
        ({"unit": ""}, "unit", "what the numbers count"),
        ({"by_when": dt.date(2025, 5, 31)}, "past date", "May 2025 has already passed"),
        ({"by_when": TODAY}, "past date", "has already passed"),
        ({"target": 17}, "no change", "same as the baseline"),
        ({"target": 135}, "percent range", "between 0 and 100"),
    ],
)
def test_each_missing_part_is_named_in_plain_words(change, part, words):
    gaps = T.smart_check(FOX_AIM.model_copy(update=change), TODAY)
    assert [g.part for g in gaps] == [part]
    assert words in gaps[0].message


def test_an_empty_aim_lists_every_missing_part_once():
    assert parts(Aim()) == {"what", "population", "number", "baseline", "date"}


def test_smart_letters_group_the_gaps():
    smart = {g.part: g.smart for g in T.smart_check(Aim(), TODAY)}
    assert smart["population"] == "Specific"
    assert smart["number"] == "Measurable"
    assert smart["date"] == "Time-bound"


def test_tomorrow_is_in_the_future():
    assert "past date" not in parts(FOX_AIM.model_copy(update={"by_when": TODAY + dt.timedelta(days=1)}))


# --------------------------------------------------------------------------- orphans


def problems(p: Project) -> set[tuple[str, str]]:
    names = {n.id: n.text for n in (*p.driver_diagram.primary_drivers, *p.driver_diagram.secondary_drivers,
                                    *p.driver_diagram.change_ideas)}
    return {(names[o.node_id], o.problem) for o in T.find_orphans(p)}


def test_orphans_each_kind_of_loose_end():
    p = project()
    a = T.add_primary_driver(p, "Data-driven instruction")
    T.add_primary_driver(p, "Family partnership")
    s = T.add_secondary_driver(p, "Coaching cycles", [a.id])
    T.add_secondary_driver(p, "Standards PD")
    T.add_change_idea(p, "Math night")
    assert problems(p) == {
        ("Data-driven instruction", "no change idea"),
        ("Family partnership", "no secondary driver"),
        ("Coaching cycles", "no change idea"),
        ("Standards PD", "no primary driver"),
        ("Standards PD", "no change idea"),
        ("Math night", "no driver"),
    }
    T.add_change_idea(p, "Exit tickets", [s.id])
    assert ("Coaching cycles", "no change idea") not in problems(p)
    assert ("Data-driven instruction", "no change idea") not in problems(p)


def test_a_complete_diagram_has_no_orphans():
    p = fox_project()
    assert T.find_orphans(p) == []


def test_orphan_messages_are_gentle_sentences():
    p = project()
    T.add_change_idea(p, "Math night")
    (orphan,) = T.find_orphans(p)
    assert orphan.message == "'Math night' is not linked to a driver yet. Which driver would it move?"


# --------------------------------------------------------------------------- measure nudges


def situations(p: Project) -> set[str]:
    return {n.situation for n in T.measure_nudges(p)}


def with_measures(*specs: tuple[str, str]) -> Project:
    p = project()
    for kind, frequency in specs:
        T.add_measure(p, f"{kind} {frequency}", kind=kind, frequency=frequency,
                      operational_definition="Counted every Friday by the teacher.")
    return p


def test_no_measures_suggests_where_to_start():
    assert situations(project()) == {"no measures"}


def test_only_outcome_measures_suggests_a_process_measure():
    p = with_measures(("outcome", "monthly"), ("balancing", "weekly"))
    assert "only outcome" not in situations(p)
    p = with_measures(("outcome", "monthly"))
    assert "only outcome" in situations(p)
    (nudge,) = [n for n in T.measure_nudges(p) if n.situation == "only outcome"]
    assert "process measure" in nudge.message


def test_only_annual_or_semester_measures_suggests_something_weekly():
    p = with_measures(("outcome", "annual"), ("process", "semester"), ("balancing", "semester"))
    (nudge,) = [n for n in T.measure_nudges(p) if n.situation == "only slow"]
    for example in ("weekly", "exit tickets", "attendance at data meetings", "pulse survey"):
        assert example in nudge.message
    assert "only slow" not in situations(with_measures(("outcome", "annual"), ("process", "weekly")))


def test_no_balancing_measure_asks_what_could_get_worse():
    p = with_measures(("outcome", "annual"), ("process", "weekly"))
    (nudge,) = [n for n in T.measure_nudges(p) if n.situation == "no balancing"]
    assert nudge.message.startswith("What could get worse")
    assert "no balancing" not in situations(with_measures(("process", "weekly"), ("balancing", "weekly")))


def test_a_healthy_family_of_measures_gets_no_nudge():
    p = with_measures(("outcome", "annual"), ("process", "weekly"), ("balancing", "monthly"))
    assert T.measure_nudges(p) == []


def test_a_measure_without_an_operational_definition_is_named():
    p = with_measures(("outcome", "annual"), ("process", "weekly"), ("balancing", "monthly"))
    T.add_measure(p, "Exit-ticket mastery", kind="process")
    (nudge,) = T.measure_nudges(p)
    assert nudge.situation == "no definition" and "'Exit-ticket mastery'" in nudge.message


def test_no_outcome_measure_is_named():
    assert "no outcome" in situations(with_measures(("process", "weekly")))


# --------------------------------------------------------------------------- quadrants


@pytest.mark.parametrize(
    ("benefit", "effort", "key"),
    [
        (5, 1, "quick wins"), (3, 2, "quick wins"), (3, 1, "quick wins"),
        (5, 5, "big bets"), (3, 3, "big bets"), (4, 3, "big bets"),
        (2, 2, "fill-ins"), (1, 1, "fill-ins"), (2, 1, "fill-ins"),
        (2, 3, "reconsider"), (1, 5, "reconsider"), (2, 5, "reconsider"),
    ],
)
def test_quadrant_boundary_is_three_which_counts_as_high(benefit, effort, key):
    assert T.quadrant(benefit, effort).key == key


def test_every_cell_of_the_grid_has_exactly_one_named_quadrant():
    seen = {T.quadrant(b, e).title for b in range(1, 6) for e in range(1, 6)}
    assert seen == {"Quick wins", "Big bets", "Fill-ins", "Reconsider"}
    counts = {}
    for b in range(1, 6):
        for e in range(1, 6):
            key = T.quadrant(b, e).key
            counts[key] = counts.get(key, 0) + 1
    assert counts == {"quick wins": 6, "big bets": 9, "fill-ins": 4, "reconsider": 6}


def test_an_unrated_idea_has_no_quadrant_and_bad_ratings_are_refused():
    assert T.quadrant(None, 3) is None and T.quadrant(4, None) is None
    with pytest.raises(ModelError, match="between 1 and 5"):
        T.quadrant(6, 1)


# --------------------------------------------------------------------------- edits


def fox_project() -> Project:
    p = project()
    p.aim = FOX_AIM
    a = T.add_primary_driver(p, "Data-driven instruction")
    b = T.add_primary_driver(p, "Teacher mindsets about learning")
    s1 = T.add_secondary_driver(p, "Planning through coaching cycles", [a.id, b.id])
    s2 = T.add_secondary_driver(p, "Standards-based PD", [b.id])
    T.add_change_idea(p, "Exit tickets as data points", [s1.id])
    T.add_change_idea(p, "Lesson-planning slide deck", [s1.id, s2.id])
    return p


def ids(p: Project, text: str) -> str:
    dd = p.driver_diagram
    return next(n.id for n in (*dd.primary_drivers, *dd.secondary_drivers, *dd.change_ideas) if n.text == text)


def test_link_a_secondary_driver_to_several_primaries_and_unlink_one():
    p = fox_project()
    s2, a = ids(p, "Standards-based PD"), ids(p, "Data-driven instruction")
    T.link(p, s2, a)
    T.link(p, s2, a)  # linking twice keeps one link
    node = p.find(s2)
    assert node.primary_ids == [ids(p, "Teacher mindsets about learning"), a]
    T.unlink(p, s2, ids(p, "Teacher mindsets about learning"))
    assert node.primary_ids == [a]
    Project.model_validate(p.model_dump())  # still a valid project


def test_set_links_of_a_change_idea_to_many_and_to_none():
    p = fox_project()
    deck = ids(p, "Lesson-planning slide deck")
    T.set_links(p, deck, [ids(p, "Standards-based PD")])
    assert p.find(deck).secondary_ids == [ids(p, "Standards-based PD")]
    T.set_links(p, deck, [])
    assert ("Lesson-planning slide deck", "no driver") in problems(p)


def test_a_link_to_something_deleted_is_refused_in_words():
    p = fox_project()
    with pytest.raises(ModelError, match="no longer exists"):
        T.link(p, ids(p, "Standards-based PD"), "p-gone")
    with pytest.raises(ModelError, match="no longer exists"):
        T.rename(p, "x-gone", "words")
    with pytest.raises(ModelError, match="no drivers above"):
        T.set_links(p, ids(p, "Data-driven instruction"), [])


def test_a_change_idea_cannot_link_to_a_primary_driver():
    p = fox_project()
    with pytest.raises(ModelError):
        T.link(p, ids(p, "Exit tickets as data points"), ids(p, "Data-driven instruction"))


def test_empty_words_are_refused_and_spaces_tidied():
    p = project()
    with pytest.raises(ModelError, match="Type a few words"):
        T.add_primary_driver(p, "   ")
    node = T.add_primary_driver(p, "  Data   driven  ")
    assert node.text == "Data driven"


def test_delete_a_driver_unlinks_what_hung_from_it():
    p = fox_project()
    b = ids(p, "Teacher mindsets about learning")
    measure = T.add_measure(p, "Coaching cycles held", linked_ids=[b, T.AIM_ID])
    T.delete_node(p, b)
    assert p.find(b) is None
    assert p.find(ids(p, "Standards-based PD")).primary_ids == []
    assert p.find(ids(p, "Planning through coaching cycles")).primary_ids == [ids(p, "Data-driven instruction")]
    assert measure.linked_ids == [T.AIM_ID]
    Project.model_validate(p.model_dump())


def test_a_change_idea_with_pdsa_cycles_is_not_deleted():
    p = fox_project()
    deck = ids(p, "Lesson-planning slide deck")
    p.pdsa_cycles.append(PDSACycle(change_idea_id=deck))
    with pytest.raises(ModelError, match="1 PDSA cycle, .*abandoned"):
        T.delete_node(p, deck)
    assert p.find(deck) is not None


def test_move_swaps_with_the_sibling_shown_next_to_it():
    p = fox_project()
    order = lambda level: [n.text for n in getattr(T.display_order(p), level)]  # noqa: E731
    assert T.move(p, ids(p, "Teacher mindsets about learning"), -1)
    assert order("primary") == ["Teacher mindsets about learning", "Data-driven instruction"]
    assert not T.move(p, ids(p, "Teacher mindsets about learning"), -1)  # already first
    # Now both secondary drivers hang under 'Teacher mindsets' and are siblings.
    assert order("secondary") == ["Planning through coaching cycles", "Standards-based PD"]
    assert T.move(p, ids(p, "Standards-based PD"), -1)
    assert order("secondary") == ["Standards-based PD", "Planning through coaching cycles"]


def test_move_does_not_jump_into_another_drivers_group():
    p = project()
    a, b = T.add_primary_driver(p, "A"), T.add_primary_driver(p, "B")
    T.add_secondary_driver(p, "under A", [a.id])
    under_b = T.add_secondary_driver(p, "under B", [b.id])
    assert not T.move(p, under_b.id, -1)
    assert [s.text for s in T.display_order(p).secondary] == ["under A", "under B"]


def test_a_measure_with_data_is_kept():
    p = project()
    m = T.add_measure(p, "Exit-ticket mastery")
    p.observations.append(Observation(measure_id=m.id, date=TODAY, value=30))
    with pytest.raises(ModelError, match="1 data point"):
        T.delete_measure(p, m.id)
    T.set_measure_links(p, m.id, [T.AIM_ID])
    assert m.linked_ids == [T.AIM_ID]
    with pytest.raises(ModelError):
        T.set_measure_links(p, m.id, ["p-gone"])


# --------------------------------------------------------------------------- researcher API

NESTED = {
    "aim": {"what": "meet or exceed the state math standard", "for_whom": "students",
            "baseline": 17, "target": 35, "unit": "%", "by_when": "2026-05-31"},
    "primary": [
        {"text": "Data-driven instruction", "secondary": [
            {"text": "Planning through coaching cycles", "change_ideas": [
                "Exit tickets as data points",
                {"text": "Slide deck", "status": "testing", "benefit": 5, "effort": 2},
            ]},
        ]},
        {"text": "Teacher mindsets", "secondary": [
            {"text": "planning through  coaching cycles"},  # the same node, other words' spacing
            {"text": "Standards-based PD", "change_ideas": ["Slide deck"]},
        ]},
    ],
}


def test_driver_diagram_from_dict_shares_nodes_by_words():
    p = driver_diagram_from_dict(NESTED)
    dd = p.driver_diagram
    assert [x.text for x in dd.primary_drivers] == ["Data-driven instruction", "Teacher mindsets"]
    assert len(dd.secondary_drivers) == 2
    planning = dd.secondary_drivers[0]
    assert planning.primary_ids == [dd.primary_drivers[0].id, dd.primary_drivers[1].id]
    deck = next(x for x in dd.change_ideas if x.text == "Slide deck")
    assert len(deck.secondary_ids) == 2 and deck.status == "testing" and deck.benefit == 5
    assert T.aim_sentence(p.aim, "Fox").startswith("By May 2026, at least 35% of students at Fox will")


def test_driver_diagram_round_trips_through_the_nested_form_and_json():
    p = driver_diagram_from_dict(NESTED)
    again = driver_diagram_from_dict(driver_diagram_to_dict(p), team_id=p.team_id)
    assert again.driver_diagram == p.driver_diagram
    assert again.aim == p.aim
    assert Project.model_validate_json(p.model_dump_json()) == p


def test_shared_nodes_by_id_and_bad_input_in_words():
    data = {"primary": [
        {"text": "A", "secondary": [{"id": "d-shared", "text": "S"}]},
        {"text": "B", "secondary": [{"id": "d-shared", "text": "S (same node)"}]},
    ]}
    p = driver_diagram_from_dict(data)
    (s,) = p.driver_diagram.secondary_drivers
    assert s.id == "d-shared" and len(s.primary_ids) == 2
    with pytest.raises(ModelError, match="Primary driver 1, secondary driver 1: needs some text"):
        driver_diagram_from_dict({"primary": [{"text": "A", "secondary": [{"change_ideas": []}]}]})
    with pytest.raises(ModelError, match="different status"):
        driver_diagram_from_dict({"primary": [{"text": "A", "secondary": [{"text": "S", "change_ideas": [
            {"text": "X", "status": "testing"}, {"text": "X", "status": "adopted"}]}]}]})
    with pytest.raises(ModelError, match="Unknown key"):
        driver_diagram_from_dict({"primaries": []})


def test_driver_diagram_from_dict_leaves_the_given_project_alone():
    base = fox_project()
    before = base.model_copy(deep=True)
    new = driver_diagram_from_dict({"primary": [{"text": "Only this"}]}, base)
    assert base == before
    assert [x.text for x in new.driver_diagram.primary_drivers] == ["Only this"]
    assert new.id == base.id and new.aim == base.aim


def test_tidy_frames_join_on_ids():
    p = driver_diagram_from_dict(NESTED)
    deck = next(x for x in p.driver_diagram.change_ideas if x.text == "Slide deck")
    p.pdsa_cycles.append(PDSACycle(change_idea_id=deck.id))
    p.measures.append(Measure(name="Mastery", kind="process", linked_ids=[deck.id, T.AIM_ID]))
    drivers, ideas = drivers_frame(p), change_ideas_frame(p)
    measures, links = measures_frame(p), theory_links_frame(p)
    assert list(drivers.level) == ["primary", "primary", "secondary", "secondary"]
    assert drivers.set_index("text").loc["Data-driven instruction", "n_change_ideas"] == 2
    row = ideas.set_index("text").loc["Slide deck"]
    assert (row.quadrant, row.n_pdsa_cycles, row.n_secondary_drivers) == ("quick wins", 1, 2)
    assert ideas.benefit.isna().sum() == 1
    assert bool(measures.loc[0, "follows_aim"]) and measures.loc[0, "n_links"] == 2
    moves = links[(links.relation == "moves") & (links.from_kind == "change idea")]
    joined = moves.merge(ideas, left_on="from_id", right_on="change_idea_id").merge(
        drivers, left_on="to_id", right_on="driver_id", suffixes=("_idea", "_driver"))
    assert sorted(joined[joined.text_idea == "Slide deck"].text_driver) == [
        "Planning through coaching cycles", "Standards-based PD"]
    assert set(links[links.from_kind == "measure"].to_kind) == {"aim", "change idea"}
    assert {df.project_id.unique()[0] for df in (drivers, ideas, measures, links)} == {p.id}


def test_frames_of_an_empty_project_have_their_columns():
    p = project()
    assert list(change_ideas_frame(p).columns)[:4] == ["project_id", "school_year", "change_idea_id", "text"]
    assert len(drivers_frame(p)) == 0 and len(measures_frame(p)) == 0


def test_measures_without_definitions_are_named_together():
    p = with_measures(("outcome", "annual"), ("process", "weekly"), ("balancing", "monthly"))
    T.add_measure(p, "Exit-ticket mastery", kind="process")
    T.add_measure(p, "Planning time", kind="balancing")
    (nudge,) = T.measure_nudges(p)
    assert nudge.message.startswith("'Exit-ticket mastery' and 'Planning time' have no operational definition")


def test_save_the_diagram_and_matrix_as_svg_or_png(tmp_path):
    from ciwidgets.api.theory import save_driver_diagram, save_matrix

    p = driver_diagram_from_dict(NESTED)
    svg = save_driver_diagram(p, tmp_path / "drivers.svg", school="Fox").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Planning through coaching cycles" in svg
    assert save_matrix(p, tmp_path / "matrix.png").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(ModelError, match=r"as \.svg or \.png \(not '\.pdf'\)"):
        save_matrix(p, tmp_path / "matrix.pdf")
