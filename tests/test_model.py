"""The model says what is wrong in sentences a coach understands."""

import datetime as dt

import pytest
from pydantic import ValidationError

from ciwidgets.model import (
    Cause,
    EmpathyInterview,
    Measure,
    ModelError,
    Observation,
    PDSACycle,
    Project,
    Team,
    explain,
    new_join_code,
    validated,
)


def messages(model, data):
    with pytest.raises(ModelError) as info:
        validated(model, data)
    return info.value.messages


def test_an_impossible_date_is_named_with_what_was_typed():
    [msg] = messages(Observation, {"measure_id": "me-1", "date": "2026-02-31", "value": 3})
    assert msg == "Date: '2026-02-31' is not a date (use YYYY-MM-DD, e.g. 2026-10-12)."


def test_a_word_where_a_number_belongs():
    [msg] = messages(Observation, {"measure_id": "me-1", "date": "2026-02-03", "value": "lots"})
    assert msg == "Value: 'lots' is not a number."


def test_infinite_values_are_refused():
    [msg] = messages(Observation, {"measure_id": "me-1", "date": "2026-02-03", "value": float("inf")})
    assert "finite number" in msg


def test_choices_list_the_allowed_words():
    [msg] = messages(Measure, {"name": "Exit tickets", "kind": "sideways"})
    assert msg.startswith("Kind must be one of 'outcome', 'driver', 'process' or 'balancing'")
    assert "'sideways'" in msg


def test_nested_places_are_counted_from_one():
    data = {"change_idea_id": "x-1", "predictions": [{"text": "ok"}, {"text": "fine", "confidence": "sure"}]}
    [msg] = messages(PDSACycle, data)
    assert msg.startswith("Prediction 2, confidence must be one of")


def test_required_fields_and_long_text():
    msgs = messages(EmpathyInterview, {"date": "2026-01-05", "notes": "x" * 6000})
    assert "Stakeholder group is required." in msgs
    assert "Notes is too long (at most 5000 characters)." in msgs


def test_ratings_stay_between_one_and_five():
    msgs = messages(Project, {"team_id": "t-1", "pulses": [{"date": "2026-01-05", "vitality": 9, "learning": 0}]})
    assert msgs == ["Pulse rating 1, vitality must be at most 5.", "Pulse rating 1, learning must be at least 1."]


def test_links_to_nothing_are_explained():
    project = Project(team_id="t-1")
    data = project.model_dump()
    data["fishbone"]["causes"] = [{"id": "c-1", "category_id": "k-gone", "text": "Kids absent"}]
    data["pdsa_cycles"] = [{"id": "y-1", "change_idea_id": "x-gone", "cycle_number": 2}]
    assert messages(Project, data) == [
        "The cause 'Kids absent' is in a fishbone category that does not exist.",
        "PDSA cycle 2 tests a change idea that does not exist.",
    ]


def test_duplicate_ids_are_refused():
    project = Project(team_id="t-1")
    cat = project.fishbone.categories[0].id
    data = project.model_dump()
    data["fishbone"]["causes"] = [
        {"id": "c-1", "category_id": cat, "text": "a"},
        {"id": "c-1", "category_id": cat, "text": "b"},
    ]
    assert messages(Project, data) == ["Two causes share the id 'c-1'."]


def test_assignment_is_validated_like_input():
    cause = Cause(category_id="k-1", text="Attendance")
    with pytest.raises(ValidationError) as info:
        cause.in_our_control = "perhaps"
    assert explain(info.value).messages == ["In our control must be yes or no (not 'perhaps')."]
    assert cause.in_our_control is None


def test_school_year_format():
    assert messages(Project, {"team_id": "t-1", "school_year": "2025-27"}) == ["School year must look like 2025-26."]
    assert Project(team_id="t-1", school_year="2099-00").school_year == "2099-00"


def test_text_is_trimmed_and_ids_are_prefixed():
    cause = Cause(category_id="k-1", text="  Attendance  ")
    assert cause.text == "Attendance"
    assert cause.id.startswith("c-") and len(cause.id) == 14


def test_join_codes_are_unguessable_and_readable():
    codes = {new_join_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code.replace("-", "")) == 10
        assert not set(code) & set("01ilo")


@pytest.mark.parametrize("code", ["", "a", "abc-1234", "fox elementary", "../../x", "a" * 65])
def test_a_join_code_anyone_could_guess_or_nobody_could_type_is_refused_in_words(code):
    with pytest.raises(ModelError, match="Join code"):
        validated(Team, {"id": "t-1", "network_id": "n-1", "name": "Fox", "join_code": code})


def test_an_imported_code_with_capitals_is_kept_as_people_type_it():
    team = validated(Team, {"id": "t-1", "network_id": "n-1", "name": "Fox", "join_code": " MyCode-2026 "})
    assert team.join_code == "mycode-2026"


def test_new_project_starts_with_the_school_fishbone_categories():
    project = Project(team_id="t-1")
    assert [c.name for c in project.fishbone.categories][:3] == [
        "Students", "Teachers & instruction", "Curriculum & materials"]
    team = Team(network_id="n-1", name="Fox")
    assert team.join_code != Team(network_id="n-1", name="Fox").join_code


def test_cycles_and_observations_come_back_in_order():
    project = Project(team_id="t-1")
    project.measures.append(Measure(id="me-1", name="m"))
    for day in (3, 1, 2):
        project.observations.append(Observation(measure_id="me-1", date=dt.date(2026, 1, day), value=day))
    assert [o.value for o in project.observations_of("me-1")] == [1, 2, 3]


def test_measures_and_change_ideas_must_follow_what_exists():
    from ciwidgets.model import ChangeIdea

    project = Project(team_id="t-1")
    project.measures.append(Measure(name="Mastery", linked_ids=["aim"]))
    project.driver_diagram.change_ideas.append(ChangeIdea(text="Deck"))
    Project.model_validate(project.model_dump())  # the aim can always be followed
    data = project.model_dump()
    data["measures"][0]["linked_ids"] = ["p-gone"]
    data["driver_diagram"]["change_ideas"][0]["cause_ids"] = ["c-gone"]
    assert messages(Project, data) == [
        "The change idea 'Deck' is linked to a cause that does not exist.",
        "The measure 'Mastery' follows something that is not in the driver diagram.",
    ]
