"""The home, principle, pulse, storyboard and sharing views, used the way a team
member uses them: pick, type, click. Each test checks what the session holds and
what a fresh load from the store holds (what a reopened app would show)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import traitlets

from ciwidgets.model import (
    EmpathyInterview,
    Network,
    PrincipleEvidence,
    Project,
    Pulse,
    SharedLearning,
)
from ciwidgets.session import Session
from ciwidgets.widgets import view_class
from ciwidgets.widgets._journey import workbook_file
from ciwidgets.widgets.home import TeamHome
from ciwidgets.widgets.principles import PrincipleTracker, SelfAssessment
from ciwidgets.widgets.reflect import ANONYMOUS, PulseCheck
from ciwidgets.widgets.share import ShareToNetwork
from ciwidgets.widgets.storyboard import Storyboard
from ciwidgets.workbook import WORKBOOKS

TODAY = dt.date(2026, 3, 2)


def stored(session) -> Project:
    return session.store.load(Project, session.doc.id)[0]


def type_in(widget, text: str) -> None:
    widget.set_state({"value": text})


def pick(widget, value) -> None:
    """What the browser sends when someone picks an option: its index."""
    values = [v for _, v in widget.options]
    widget.set_state({"index": next(i for i, v in enumerate(values) if v is value or v == value)})


def pick_date(widget, day: dt.date) -> None:
    widget.set_state({"value": {"year": day.year, "month": day.month - 1, "date": day.day}})


def text_of(html: str) -> str:
    """The words a reader sees (inline tags join, block tags separate)."""
    html = re.sub(r"</?(strong|span|a|em|b|time)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def session(project_store):
    store, team, project = project_store
    return Session.for_team(store, team, author="Ana")


def demo_session(demo, name: str, author: str = "Ms. Chen") -> Session:
    store, _, teams = demo
    return Session.for_team(store, teams[name], author=author)


def test_every_view_is_registered_under_its_workbook_name(session):
    for name, cls in [("home", TeamHome), ("principles", PrincipleTracker), ("self_assessment", SelfAssessment),
                      ("pulse", PulseCheck), ("storyboard", Storyboard), ("share", ShareToNetwork)]:
        assert view_class(name) is cls
        assert isinstance(cls(session), cls)


def test_workbook_links_match_the_workbooks():
    assert [workbook_file(n) for n in range(9)] == list(WORKBOOKS)


# ---------------------------------------------------------------- the pulse


def test_a_member_adds_a_pulse_and_the_form_clears_for_the_next_person(session):
    view = PulseCheck(session, today=TODAY)
    pick(view.member, "Ben")
    pick(view.vitality, 4)
    pick(view.learning, 5)
    type_in(view.comment, "The exit-ticket data was <b>eye-opening</b>")
    view.add.click()
    saved = stored(session).pulses
    assert [(u.member, u.date, u.vitality, u.learning) for u in saved] == [("Ben", TODAY, 4, 5)]
    assert "Thank you, Ben." in view.feedback.value
    assert view.member.value == "" and view.vitality.value is None and view.comment.value == ""
    summary = text_of(view.summary.value)
    assert "1 rating — vitality 4, learning 5" in summary and "Thriving" in summary
    assert "<b>eye-opening</b>" not in view.summary.value  # a comment is text, not markup
    assert "eye-opening" in summary
    assert "Latest, 2 Mar 2026: vitality 4, learning 5" in view.chart.picture.value


def test_a_pulse_needs_both_ratings_and_a_name(session):
    view = PulseCheck(session, today=TODAY)
    pick(view.vitality, 3)
    view.add.click()
    assert "Choose your name" in view.feedback.value
    pick(view.member, "Cy")
    view.add.click()
    assert "Rate both vitality and learning" in view.feedback.value
    assert stored(session).pulses == []


def test_a_future_meeting_date_is_refused(session):
    view = PulseCheck(session, today=TODAY)
    pick(view.member, "Ana")
    pick_date(view.date, TODAY + dt.timedelta(days=3))
    pick(view.vitality, 3)
    pick(view.learning, 3)
    view.add.click()
    assert "in the future" in view.feedback.value and stored(session).pulses == []


def test_rating_again_the_same_day_replaces_ones_own_pulse_and_anonymous_ones_add_up(session):
    view = PulseCheck(session, today=TODAY)
    for who, vitality in (("Ana", 2), ("Ana", 4), (ANONYMOUS, 1), (ANONYMOUS, 5)):
        pick(view.member, who)
        pick(view.vitality, vitality)
        pick(view.learning, 3)
        view.add.click()
    pulses = stored(session).pulses
    assert sorted((u.member, u.vitality) for u in pulses) == [("", 1), ("", 5), ("Ana", 4)]
    assert "3 ratings — vitality 3.33, learning 3" in text_of(view.summary.value)


def test_a_visitor_cannot_send_a_rating_outside_the_scale(session):
    view = PulseCheck(session, today=TODAY)
    with pytest.raises(traitlets.TraitError):
        view.vitality.set_state({"index": 9})
    assert view.vitality.value is None


def test_a_pasted_essay_as_comment_is_refused_in_words(session):
    view = PulseCheck(session, today=TODAY)
    pick(view.member, "Ana")
    pick(view.vitality, 3)
    pick(view.learning, 3)
    type_in(view.comment, "x" * 6000)
    view.add.click()
    assert "Comment is too long (at most 5000 characters)." in text_of(view.feedback.value)
    assert stored(session).pulses == []


def test_low_energy_is_named_with_a_suggestion(session):
    session.edit(lambda p: p.pulses.extend([Pulse(date=TODAY, member="Ana", vitality=2, learning=4),
                                            Pulse(date=TODAY, member="Ben", vitality=2, learning=5)]))
    view = PulseCheck(session, today=TODAY)
    assert "Learning without energy does not last" in text_of(view.summary.value)


# ---------------------------------------------------------------- self-assessment and tracker


def test_the_team_rates_a_principle_and_explains_why(session):
    view = SelfAssessment(session, today=TODAY)
    row = view.rows["inquiry"]
    assert "Not yet" in row.heading.value  # what the work shows, beside the rating
    pick(row.rating, 4)
    type_in(row.note, "We ran <two> cycles")
    entries = stored(session).principle_evidence
    assert [(e.principle, e.date, e.rating, e.note) for e in entries] == [("inquiry", TODAY, 4, "We ran <two> cycles")]
    assert "Saved." in row.feedback.value
    pick(row.rating, 5)  # changing today's rating keeps one entry for today
    assert [(e.rating, e.note) for e in stored(session).principle_evidence] == [(5, "We ran <two> cycles")]


def test_the_previous_rating_is_shown_and_a_new_day_starts_blank(session):
    session.edit(lambda p: p.principle_evidence.append(PrincipleEvidence(
        principle="networks", date=TODAY - dt.timedelta(days=40), note="We <b>shared</b> once", rating=2)))
    view = SelfAssessment(session, today=TODAY)
    row = view.rows["networks"]
    assert row.rating.value is None
    assert "Last time (21 Jan 2026): 2/5" in text_of(row.previous.value)
    assert "<b>shared</b>" not in row.previous.value


def test_the_tracker_counts_work_not_self_ratings_and_redraws_after_an_edit(session):
    view = PrincipleTracker(session, today=TODAY)
    session.edit(lambda p: p.principle_evidence.append(PrincipleEvidence(
        principle="user_centered", date=TODAY, note="We listen", rating=5)))
    card = re.search(r'data-principle="user_centered".*?</div></div>', view.view.value, re.S).group(0)
    assert "Not yet" in card and "Your own view, 2 Mar 2026: 5/5" in text_of(card)
    session.edit(lambda p: (setattr(p, "problem_statement", "Few students read at grade level"),
                            p.interviews.extend([EmpathyInterview(stakeholder_group="student", date=TODAY, notes="a"),
                                                 EmpathyInterview(stakeholder_group="family", date=TODAY, notes="b")])))
    card = re.search(r'data-principle="user_centered".*?</div>', view.view.value, re.S).group(0)
    assert "Met" in card


def test_the_next_step_links_to_its_workbook_with_the_join_code(session, monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")  # a page served by Voilà
    view = PrincipleTracker(session, today=TODAY)
    code = session.team.join_code
    assert f'href="02-understand-the-problem.ipynb?team={code}&amp;me=Ana"' in view.view.value  # who, kept
    assert "in “2. Understand the problem”" in text_of(view.view.value)


def test_in_jupyterlab_the_next_step_names_its_notebook_instead_of_a_link(session, monkeypatch):
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    view = PrincipleTracker(session, today=TODAY)
    assert "href=" not in view.view.value and "(02-understand-the-problem.ipynb)" in view.view.value
    assert session.team.join_code not in view.view.value  # not on a projected screen either


# ---------------------------------------------------------------- home


def test_home_shows_standing_next_step_phases_and_who_did_what(fresh_demo_network, monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")  # a page served by Voilà: links keep the code
    session = demo_session(fresh_demo_network, "Eagle", author="Ms. Nguyen")
    session.edit(lambda p: setattr(p, "equity_focus", "<script>x</script> new staff"), what="wrote the equity focus")
    view = TeamHome(session, today=TODAY)
    standing = text_of(view.standing.value)
    assert "Partially authentic" in standing and "3 of 6 principles met, 2 partly." in standing
    assert "Next step: Finish cycle 1" in standing
    assert f"05-test.ipynb?team={session.team.join_code}" in view.standing.value
    phases = text_of(view.phases.value)
    assert "6. Study the team is here — started, 2 of 3" in phases  # every phase before it begun
    activity = text_of(view.activity.value)
    assert activity.startswith("Recent activity Ms. Nguyen wrote the equity focus")
    assert "demo demo network" in activity
    assert "<script>" not in view.standing.value + view.phases.value + view.activity.value


def test_a_fresh_team_home_says_where_to_start(session):
    view = TeamHome(session, today=TODAY)
    assert "Not yet" in view.standing.value
    assert "Write your problem statement in “2. Understand the problem”" in text_of(view.standing.value)


# ---------------------------------------------------------------- storyboard


def test_the_storyboard_preview_is_sandboxed_and_follows_the_work(fresh_demo_network):
    session = demo_session(fresh_demo_network, "Fox")
    view = Storyboard(session, today=TODAY)
    assert '<iframe title="Storyboard preview" sandbox=""' in view.preview.value
    assert "Exit-ticket mastery" in view.html and "Authentic" in view.html
    session.edit(lambda p: setattr(p, "problem_statement", "Math <img src=x onerror=alert(1)> for all"))
    assert "Math &lt;img src=x onerror=alert(1)&gt; for all" in view.html
    # Inside srcdoc the page is escaped once more, so no tag reaches the app page itself.
    assert "<img" not in view.preview.value


def test_the_storyboard_download_is_the_page_as_it_stands(fresh_demo_network):
    session = demo_session(fresh_demo_network, "Fox")
    view = Storyboard(session, today=TODAY)
    sent = []
    view.download.send = lambda content, buffers=None: sent.append((content, buffers))
    session.edit(lambda p: setattr(p, "title", "Math for every Fox student, year 2"))
    view.download._on_msg(view.download, {"event": "download"}, [])
    content, buffers = sent[0]
    assert content["filename"] == f"storyboard-fox-elementary-school-{session.doc.school_year}.html"
    assert content["mime"] == "text/html"
    page = bytes(buffers[0]).decode()
    assert page.startswith("<!DOCTYPE html>") and "Math for every Fox student, year 2" in page


def test_the_team_chooses_which_measure_tells_its_story(fresh_demo_network):
    session = demo_session(fresh_demo_network, "Fox")
    view = Storyboard(session, today=TODAY)
    planning = next(m for m in session.doc.measures if m.name == "Teacher planning time")
    assert view.measure_picker.value != planning.id  # at first, the measure with the most to show
    view.measure_picker.value = planning.id
    assert "Run chart: Teacher planning time" in view.html and "Run chart: Exit-ticket" not in view.html
    sent = []
    view.download.send = lambda content, buffers=None: sent.append(buffers)
    view.download._on_msg(view.download, {"event": "download"}, [])
    assert "Run chart: Teacher planning time" in bytes(sent[0][0]).decode()  # the download tells it too


# ---------------------------------------------------------------- sharing


def test_one_click_shares_a_pdsa_learning_with_the_network(fresh_demo_network):
    store, network, _ = fresh_demo_network
    session = demo_session(fresh_demo_network, "Eagle")
    view = ShareToNetwork(session, today=TODAY)
    assert view.kind.value == "pdsa"
    assert view.title.value == "Eagle Elementary: A voluntary equity team meeting weekly, cycle 1"
    assert "We asked: Will staff come to a voluntary equity meeting?" in view.text.value
    view.share.click()
    saved = store.load(Network, network.id)[0].shared_learnings
    mine = [s for s in saved if s.team_id == session.doc.team_id]
    assert [(s.title, s.kind, s.date) for s in mine] == [
        ("Eagle Elementary: A voluntary equity team meeting weekly, cycle 1", "pdsa", TODAY)]
    project = stored(session)
    assert project.shared_with_network and project.pdsa_cycles[0].shared
    assert "Shared with Riverside Improvement Network" in view.feedback.value
    assert "now open to the network" in view.feedback.value.replace("&#x27;", "'")  # said, not done quietly
    view.title.value = "A second learning"
    view.share.click()
    assert "now open" not in view.feedback.value  # it already was
    assert "A voluntary equity team meeting weekly, cycle 1" in text_of(
        "".join(child.children[0].value for child in view.mine.children))
    assert view.open_to_network.value is True


def test_the_feed_shows_the_other_schools_and_not_our_own(fresh_demo_network):
    view = ShareToNetwork(demo_session(fresh_demo_network, "Eagle"), today=TODAY)
    feed = text_of(view.feed.value)
    assert "Fox: a planning slide deck, three cycles" in feed and "Fox Elementary · PDSA learning" in feed
    fox_view = ShareToNetwork(demo_session(fresh_demo_network, "Fox"), today=TODAY)
    assert "No learnings from other schools yet." in text_of(fox_view.feed.value)


def test_a_note_needs_a_title_and_hostile_text_stays_text(fresh_demo_network):
    eagle = ShareToNetwork(demo_session(fresh_demo_network, "Eagle"), today=TODAY)
    pick(eagle.kind, "note")
    assert eagle.title.value == "" and eagle.text.value == ""
    eagle.share.click()
    assert "Give it a title" in eagle.feedback.value
    type_in(eagle.title, '<img src=x onerror="alert(1)">Our norms')
    type_in(eagle.text, "Start on time & <end> on time")
    eagle.share.click()
    fox = ShareToNetwork(demo_session(fresh_demo_network, "Fox"), today=TODAY)
    assert "<img" not in fox.feed.value
    assert '<img src=x onerror="alert(1)">Our norms' in text_of(fox.feed.value)
    assert "Start on time & <end> on time" in text_of(fox.feed.value)


def test_two_schools_sharing_at_once_both_keep_theirs(fresh_demo_network):
    store, network, _ = fresh_demo_network
    fox = ShareToNetwork(demo_session(fresh_demo_network, "Fox"), today=TODAY)
    eagle = ShareToNetwork(demo_session(fresh_demo_network, "Eagle"), today=TODAY)
    for view, title in ((fox, "Fox: checklist"), (eagle, "Eagle: protocol")):
        pick(view.kind, "note")
        type_in(view.title, title)
    fox.share.click()
    eagle.share.click()  # its network session still holds the version before Fox's share
    titles = {s.title for s in store.load(Network, network.id)[0].shared_learnings}
    assert {"Fox: checklist", "Eagle: protocol"} <= titles
    fox.check.click()
    assert "Eagle: protocol" in text_of(fox.feed.value)


def test_taking_back_asks_once_more_and_removes_only_our_own(fresh_demo_network):
    store, network, teams = fresh_demo_network
    session = demo_session(fresh_demo_network, "Fox")
    view = ShareToNetwork(session, today=TODAY)
    row = view.mine.children[0]
    row.button.click()
    assert row.button.description == "Really take back?"
    assert len(store.load(Network, network.id)[0].shared_learnings) == 1
    row.button.click()
    assert store.load(Network, network.id)[0].shared_learnings == []
    # A forged id of another team's learning removes nothing.
    store_net, rev = store.load(Network, network.id)
    other = SharedLearning(team_id=teams["Eagle"].id, date=TODAY, title="Eagle's")
    store_net.shared_learnings.append(other)
    store.save(store_net, rev)
    view.take_back(other.id)
    assert [s.title for s in store.load(Network, network.id)[0].shared_learnings] == ["Eagle's"]


def test_a_run_chart_share_tells_its_signals(fresh_demo_network):
    view = ShareToNetwork(demo_session(fresh_demo_network, "Fox"), today=TODAY)
    pick(view.kind, "run chart")
    assert view.title.value == "Fox Elementary: Exit-ticket mastery run chart"
    assert "a shift" in view.text.value and "30 points" in view.text.value
