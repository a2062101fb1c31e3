"""The pure team rules: role diversity and its nudges, norm edits by their words,
and whether a meeting routine says when, where and how long."""

from __future__ import annotations

import pytest

from ciwidgets.analysis import team as T
from ciwidgets.model import Member, ModelError, Team


def members(*roles: str) -> list[Member]:
    return [Member(name=f"P{i}", role=role) for i, role in enumerate(roles)]


def nudge_keys(*roles: str) -> set[str]:
    return {n.key for n in T.role_diversity(members(*roles)).nudges}


def test_a_balanced_team_gets_no_nudge():
    assert nudge_keys("principal", "teacher leader", "teacher", "coach", "family") == set()


@pytest.mark.parametrize(("roles", "expected"), [
    (("principal", "coach", "family", "staff"), {"teacher"}),
    (("principal", "teacher", "coach", "staff"), {"community"}),
    (("teacher", "teacher", "student", "coach"), {"leader"}),
    (("principal", "teacher"), {"community", "small"}),
    ((), {"empty"}),
])
def test_whose_voice_is_missing_is_said_gently(roles, expected):
    assert nudge_keys(*roles) == expected


def test_a_teacher_leader_is_a_teacher_voice_and_a_student_a_community_voice():
    assert "teacher" not in nudge_keys("principal", "teacher leader", "student", "coach")
    assert "community" not in nudge_keys("principal", "teacher", "student", "coach")


def test_a_very_large_team_is_told_about_a_core_team():
    assert "large" in nudge_keys(*(["teacher"] * 12 + ["principal", "family"]))


def test_the_reading_counts_every_role_in_order():
    reading = T.role_diversity(members("teacher", "principal", "teacher"))
    assert reading.present == ["principal", "teacher"]
    assert reading.counts["teacher"] == 2 and reading.counts["family"] == 0
    assert reading.summary() == "3 people in 2 roles: principal, teacher."
    assert T.missing_voices(members("teacher", "principal")) == ["Coaches, staff & others", "Students & families"]


def test_members_need_a_name_and_a_real_role():
    team = Team(network_id="n-1", name="Fox")
    with pytest.raises(ModelError, match="Type the person's name first"):
        T.add_member(team, "   ", "teacher")
    with pytest.raises(ModelError, match="is not a role"):
        T.add_member(team, "Ana", "admin'); DROP TABLE")
    member = T.add_member(team, "  Ana   Lopez ", "coach")
    assert (member.name, member.role) == ("Ana Lopez", "coach")
    T.remove_member(team, member.id)
    with pytest.raises(ModelError, match="no longer on the team"):
        T.rename_member(team, member.id, "Ana")


def test_norms_are_found_by_their_words_not_their_place():
    team = Team(network_id="n-1", name="Fox", norms=["A", "B", "C"])
    # A teammate removed "A" meanwhile: rewording "B" still rewords B.
    team.norms = ["B", "C"]
    T.reword_norm(team, "B", "B, always")
    assert team.norms == ["B, always", "C"]
    with pytest.raises(ModelError, match="changed or removed by someone else"):
        T.remove_norm(team, "A")
    assert T.move_norm(team, "C", -1) and team.norms == ["C", "B, always"]
    assert not T.move_norm(team, "C", -1)
    with pytest.raises(ModelError, match="already one of your norms"):
        T.reword_norm(team, "C", "b, ALWAYS")


def test_suggested_norms_leave_out_the_ones_a_team_has():
    team = Team(network_id="n-1", name="Fox", norms=["start and end on time"])
    assert "Start and end on time" not in T.suggested_norms(team)
    assert len(T.suggested_norms(team)) == 4


@pytest.mark.parametrize(("routine", "gaps"), [
    ("", ["when", "where", "how long"]),
    ("Tuesdays 3:15–4:00 in the library", []),
    ("Every other Thursday, 45 minutes, room 12", []),
    ("Weekly on Zoom for half an hour", []),
    ("Mondays", ["where", "how long"]),
    ("In the library", ["when", "how long"]),
    ("Once we have time", ["when", "where", "how long"]),
])
def test_a_routine_is_checked_for_when_where_and_how_long(routine, gaps):
    assert T.routine_gaps(routine) == gaps
