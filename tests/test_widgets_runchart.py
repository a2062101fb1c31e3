"""Observation entry and the run-chart view, used the way a team uses them: typing
(a value arrives on Enter or when the field is left), clicking, pasting, uploading.
Every saved change is checked in the session and in a fresh load from the store."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest

from ciwidgets.analysis.runchart import format_date
from ciwidgets.model import Observation, Project
from ciwidgets.widgets.observations import ObservationEntry, _uploaded_file
from ciwidgets.widgets.runchart import RunChartView

from .study import START, TODAY, add_measure, shown, stored, upload_value

# Median (4 + 7) / 2 = 5.5: six weeks below, then six above (two shifts, too few runs).
SHIFTED = [3, 4, 3, 4, 3, 4, 7, 8, 7, 8, 7, 8]


def values_of(project: Project, measure_id: str) -> list[tuple[dt.date, float, str | None]]:
    return [(o.date, o.value, o.subgroup) for o in project.observations_of(measure_id)]


@pytest.fixture
def entry(session) -> ObservationEntry:
    add_measure(session)
    return ObservationEntry(session, today=TODAY)


# ----------------------------------------------------------------- adding, editing, deleting


def test_without_measures_it_points_to_the_theory_step(session):
    entry = ObservationEntry(session, today=TODAY)
    assert "no measures yet" in shown(entry.empty).lower() and "step 3" in shown(entry.empty)
    assert entry.body.layout.display == "none"


def test_add_an_observation_in_two_steps_with_todays_date(entry, session):
    assert entry.new_date.value == TODAY
    entry.new_value.value = "62"
    entry.add_button.click()
    measure_id = entry.measure_id
    assert values_of(session.doc, measure_id) == [(TODAY, 62.0, None)]
    assert values_of(stored(session), measure_id) == [(TODAY, 62.0, None)]
    assert entry.new_value.value == ""
    assert shown(entry.add_message) == "Added 62 on 23 Nov 2026."
    assert [(r.children[0].children[0].value, r.children[0].children[1].value) for r in entry.rows.children] == [
        (TODAY, "62")]


def test_decimal_comma_and_subgroup(entry, session):
    entry.new_value.value = "62,5"
    entry.new_subgroup.value = "  Multilingual   learners "
    entry.add_button.click()
    assert values_of(stored(session), entry.measure_id) == [(TODAY, 62.5, "Multilingual learners")]
    assert entry.new_subgroup.options == ("Multilingual learners",)


@pytest.mark.parametrize("typed, message", [("", "Type the value first."),
                                            ("about half", "'about half' is not a number (e.g. 62 or 62.5).")])
def test_a_value_that_is_not_a_number_is_refused_with_a_sentence(entry, session, typed, message):
    entry.new_value.value = typed
    entry.add_button.click()
    assert shown(entry.add_message) == message
    assert stored(session).observations == []


def test_a_second_value_on_the_same_date_asks_first(entry, session):
    entry.new_value.value = "62"
    entry.add_button.click()
    entry.new_value.value = "64"
    entry.add_button.click()
    assert "23 Nov 2026 already has a value (62)" in shown(entry.add_message)
    assert entry.add_button.description == "Add anyway"
    assert len(stored(session).observations) == 1
    entry.add_button.click()
    assert [o.value for o in stored(session).observations] == [62.0, 64.0]
    assert entry.add_button.description == "Add"


def test_changing_the_form_withdraws_the_same_date_question_and_its_words(entry, session):
    entry.new_value.value = "62"
    entry.add_button.click()
    entry.new_value.value = "64"
    entry.add_button.click()
    assert entry.add_button.description == "Add anyway"
    entry.new_date.value = TODAY - dt.timedelta(days=1)  # the slip seen: another date
    assert entry.add_button.description == "Add" and shown(entry.add_message) == ""
    entry.add_button.click()  # a date with no value: added without a question
    assert [o.value for o in stored(session).observations] == [62.0, 64.0]


def test_edit_a_value_and_a_date_in_the_list(session):
    measure_id = add_measure(session, values=[10, 20])
    entry = ObservationEntry(session, today=TODAY)
    newest = entry.rows.children[0].children[0]
    date, value, _subgroup, _delete = newest.children
    value.value = "25"
    assert values_of(stored(session), measure_id)[-1][1] == 25.0
    entry.rows.children[0].children[0].children[0].value = dt.date(2026, 9, 30)
    assert values_of(stored(session), measure_id)[-1][0] == dt.date(2026, 9, 30)


def test_a_bad_edit_keeps_the_old_value_and_says_why(session):
    measure_id = add_measure(session, values=[10])
    entry = ObservationEntry(session, today=TODAY)
    row = entry.rows.children[0]
    row.children[0].children[1].value = "lots"
    assert "'lots' is not a number; the old value is kept." in shown(row.children[1])
    assert values_of(stored(session), measure_id) == [(START, 10.0, None)]


def test_delete_asks_once_more_and_forgets_an_astronomical_mark(session):
    measure_id = add_measure(session, values=[10, 99])
    oid = session.doc.observations_of(measure_id)[-1].id
    session.edit(lambda p: setattr(p.measures[0], "astronomical_ids", [oid]))
    entry = ObservationEntry(session, today=TODAY)
    delete = entry.rows.children[0].children[0].children[3]
    delete.click()
    assert delete.description == "Delete for good?" and len(stored(session).observations) == 2
    delete.click()
    project = stored(session)
    assert values_of(project, measure_id) == [(START, 10.0, None)]
    assert project.measures[0].astronomical_ids == []


def test_long_lists_are_paged_newest_first(session):
    add_measure(session, values=list(range(30)))
    entry = ObservationEntry(session, today=TODAY, page_size=12)
    first_values = [r.children[0].children[1].value for r in entry.rows.children]
    assert first_values[:2] == ["29", "28"] and len(first_values) == 12
    assert "Showing 1–12 of 30" in shown(entry.page_label) and entry.newer.disabled
    entry.older.click()
    entry.older.click()
    assert [r.children[0].children[1].value for r in entry.rows.children][-1] == "0"
    assert entry.older.disabled


def test_an_edit_updates_the_rows_in_place_instead_of_rebuilding_the_page(session):
    """Rebuilding a page of rows sent some 200 new widgets to the browser per edit."""
    add_measure(session, values=[10, 11, 12])
    entry = ObservationEntry(session, today=TODAY, page_size=2)
    before = list(entry.rows.children)
    before[1].children[0].children[1].value = "15"  # the second-newest: 11 -> 15
    assert list(entry.rows.children) == before
    assert [r.children[0].children[1].value for r in entry.rows.children] == ["12", "15"]
    entry.new_value.value = "13"
    entry.new_date.value = TODAY
    entry.add_button.click()
    rows = list(entry.rows.children)
    assert rows[1] is before[0]  # 12 moved down a place; the 15 left the page and was closed
    gone = before[1]
    assert len(entry.row_of) == 2
    assert all(w.comm is None for w in (gone, gone.children[0], gone.children[0].children[1]))
    assert gone.layout.comm is not None and gone.layout is rows[0].layout  # shared by the rows still shown


def test_another_browsers_observation_appears_after_a_refresh(session, second_session):
    measure_id = add_measure(session, values=[10])
    entry = ObservationEntry(session, today=TODAY)
    second_session.refresh()
    second_session.edit(lambda p: p.observations.append(
        Observation(measure_id=measure_id, date=TODAY, value=33)), "added")
    session.refresh()
    assert [r.children[0].children[1].value for r in entry.rows.children] == ["33", "10"]


# ----------------------------------------------------------------- paste and upload


def test_a_percentage_outside_0_to_100_is_kept_with_a_nudge(entry, session):
    entry.new_value.value = "1.234,5"  # a count typed where a share belongs
    entry.add_button.click()
    assert values_of(stored(session), entry.measure_id)[0][1] == 1234.5  # kept: the team decides
    assert shown(entry.add_message) == (
        "Added 1,234.5 on 23 Nov 2026. That value is outside 0–100 (like 1,234.5), and this measure is a "
        "percentage: check for a typing slip, or a count where a share belongs.")
    entry.paste.value = "2026-10-05\t62\n2026-10-12\t-5\n2026-10-19\t640\n"
    entry.check_paste.click()
    assert "2 values are outside 0–100 (like -5)" in shown(entry.preview_summary)
    entry.paste.value = "2026-10-05\t62\n"
    entry.check_paste.click()
    assert "outside" not in shown(entry.preview_summary)


def test_paste_shows_a_preview_and_imports_only_the_good_rows(entry, session):
    entry.paste.value = "Date\tValue\n2026-10-05\t62\n2026-10-12\t<b>x</b>\n2026-10-19\t64,5\n2026-10-26\t66\n"
    entry.check_paste.click()
    assert stored(session).observations == []  # nothing yet
    assert entry.preview.layout.display == ""
    assert shown(entry.preview_summary).startswith("3 rows can be imported; 1 row has problems.")
    assert "Row 3: '<b>x</b>' is not a number." in shown(entry.preview_problems)
    assert "&lt;b&gt;" in entry.preview_problems.value  # escaped, not bold
    assert entry.import_button.description == "Import the 3 good rows"
    entry.import_button.click()
    assert [v for _, v, _ in values_of(stored(session), entry.measure_id)] == [62.0, 64.5, 66.0]
    assert shown(entry.import_message) == "Imported 3 observations."
    assert entry.preview.layout.display == "none" and entry.paste.value == ""


def test_cancel_imports_nothing(entry, session):
    entry.paste.value = "2026-10-05\t62\n"
    entry.check_paste.click()
    entry.cancel_button.click()
    assert entry.preview.layout.display == "none"
    assert stored(session).observations == []


def test_ambiguous_dates_can_be_read_the_other_way(entry, session):
    entry.paste.value = "03/04/2026\t10\n03/11/2026\t12\n"
    entry.check_paste.click()
    assert entry.date_order.layout.display == "" and entry.date_order.value == "month first"
    entry.date_order.value = "day first"
    entry.import_button.click()
    assert [d for d, _, _ in values_of(stored(session), entry.measure_id)] == [
        dt.date(2026, 4, 3), dt.date(2026, 11, 3)]

def test_upload_a_csv_with_subgroups_and_rows_already_recorded(session):
    measure_id = add_measure(session, values=[10])
    entry = ObservationEntry(session, today=TODAY)
    csv = b"date,value,subgroup\n2026-09-07,10,\n2026-09-14,11,\n2026-09-14,12,English-only\n"
    entry.upload.value = upload_value("tickets.csv", csv)
    assert shown(entry.preview_summary).startswith(
        "2 rows can be imported; 1 row already in the chart (skipped).")
    assert entry.import_button.description == "Import 2 rows"
    assert entry.progress.layout.display == "none"
    entry.import_button.click()
    assert values_of(stored(session), measure_id) == [
        (START, 10.0, None), (dt.date(2026, 9, 14), 11.0, None), (dt.date(2026, 9, 14), 12.0, "English-only")]
    assert entry.upload.value == ()


def test_upload_an_excel_workbook(entry, session):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in (["Week", "Result"], [dt.datetime(2026, 10, 5), 0.62], [dt.datetime(2026, 10, 12), 0.64]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    entry.upload.value = upload_value("tickets.xlsx", buffer.getvalue())
    entry.import_button.click()
    assert [v for _, v, _ in values_of(stored(session), entry.measure_id)] == [0.62, 0.64]


def test_a_file_that_cannot_be_read_gets_a_sentence_and_no_import_button(entry):
    entry.upload.value = upload_value("photo.xlsx", b"PK\x03\x04 not a workbook")
    assert shown(entry.preview_summary) == "This file could not be opened as an Excel workbook (.xlsx)."
    assert entry.import_button.layout.display == "none"


@pytest.mark.parametrize("value", [(), ({"name": 3, "content": b""},), ({"nothing": 1},), "junk", None])
def test_an_upload_value_of_any_shape_is_checked_not_trusted(value):
    assert _uploaded_file(value) is None


def test_a_paste_imported_meanwhile_by_someone_else_is_not_doubled(entry, session, second_session):
    entry.paste.value = "2026-10-05\t62\n2026-10-12\t63\n"
    entry.check_paste.click()
    second_session.refresh()
    second_session.edit(lambda p: p.observations.append(
        Observation(measure_id=entry.measure_id, date=dt.date(2026, 10, 5), value=62)), "added")
    entry.import_button.click()
    assert [v for _, v, _ in values_of(stored(session), entry.measure_id)] == [62.0, 63.0]
    assert "1 had been recorded meanwhile" in shown(entry.import_message)


# ----------------------------------------------------------------- the run chart view


@pytest.fixture
def chart(session) -> RunChartView:
    add_measure(session, values=SHIFTED, target=8)
    return RunChartView(session)


def svg_text(view: RunChartView) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", view.chart.picture.value))


def test_without_measures_the_chart_points_to_the_theory_step(session):
    view = RunChartView(session)
    assert "no measures yet" in shown(view.empty).lower()


def test_the_chart_is_drawn_to_the_width_the_screen_gives_it(chart):
    def drawn_width() -> int:
        return int(re.search(r'<svg[^>]*\swidth="(\d+)"', chart.chart.picture.value).group(1))

    assert drawn_width() == 900  # before the page says: a laptop's width
    chart.room.width = 660  # a tablet
    assert drawn_width() == 660
    chart.room.width = 320  # a phone: the chart keeps a readable minimum and scrolls
    assert drawn_width() == 480
    chart.room.width = 1600
    assert drawn_width() == 900


def test_a_measure_with_one_point_says_so_once(session):
    add_measure(session, name="Students meeting the state standard", values=[31], frequency="annual")
    said = shown(RunChartView(session).signals)
    assert said == "One point is its own median, so there is nothing to judge yet. Keep adding data."


def test_the_chart_shows_points_median_goal_and_signals_in_words(chart):
    text = svg_text(chart)
    assert "Median 5.5" in text and "Goal 8" in text
    assert "23 Nov 2026: 8 %." in text  # the last point's hover title
    said = shown(chart.signals)
    assert said.startswith("3 signals of non-random variation")
    assert "Six points in a row below the median from 7 Sep 2026 to 12 Oct 2026: a shift." in said
    assert "Six points in a row above the median from 19 Oct 2026 to 23 Nov 2026: a shift." in said
    assert "Only 2 runs for 12 points not on the median" in said


def test_freeze_the_baseline(chart, session):
    chart.baseline_points.value = 4
    chart.freeze.click()
    assert stored(session).measures[0].baseline_points == 4
    assert "first 4 points" in shown(chart.baseline_state)
    assert "Baseline median 3.5" in svg_text(chart)
    assert "Seven points in a row above the median from 12 Oct 2026" in shown(chart.signals)
    chart.unfreeze.click()
    assert stored(session).measures[0].baseline_points is None


def test_a_frozen_baseline_shows_in_the_box_when_the_page_opens_again(chart, session):
    chart.baseline_points.value = 7
    chart.freeze.click()
    reopened = RunChartView(session)  # a reload: the box starts at its default
    assert reopened.baseline_points.value == 7
    assert "first 7 points" in shown(reopened.baseline_state)


def test_a_baseline_longer_than_the_chart_is_refused_in_words(chart, session):
    chart.baseline_points.value = 1000
    chart.freeze.click()
    assert f"The chart has {len(SHIFTED)} points: a baseline can use at most that many." in shown(chart.message)
    assert stored(session).measures[0].baseline_points is None
    chart.phase_date.value = dt.date(2026, 10, 19)
    chart.add_phase.click()
    chart.baseline_points.value = 8
    chart.freeze.click()
    assert "The chart has 6 points in its first phase" in shown(chart.message)
    chart.baseline_points.value = 1
    chart.freeze.click()
    assert "first 1 point</strong>," in chart.baseline_state.value


def test_points_removed_under_a_frozen_baseline_are_said(chart, session):
    chart.baseline_points.value = 12
    chart.freeze.click()
    session.edit(lambda p: p.observations.pop())
    assert ("first 12 points</strong>, frozen and extended over the later points. The chart has 11 points "
            "so far, so the median is of all of them until then.") in chart.baseline_state.value


def test_a_long_series_folds_its_sentences_after_the_first_few(session):
    add_measure(session, values=([1] * 7 + [9] * 7) * 10)  # twenty shifts
    said = RunChartView(session).signals.value
    shown_first, folded = said.split("<details>")
    folded = folded.split("</details>")[0]
    assert shown_first.count("<li>") == 8
    assert "<summary>12 more signals</summary>" in folded and folded.count("<li>") == 12


def test_start_and_remove_a_phase(chart, session):
    chart.phase_date.value = dt.date(2026, 10, 19)
    chart.add_phase.click()
    assert stored(session).measures[0].phase_starts == [dt.date(2026, 10, 19)]
    assert "New phase from 19 Oct 2026" in shown(chart.phases.children[0].children[0])
    text = svg_text(chart)
    assert "Phase 2" in text and "Median 3.5" in text and "Median 7.5" in text
    chart.phases.children[0].children[1].click()
    assert stored(session).measures[0].phase_starts == []


def test_a_phase_after_the_last_point_is_kept_for_the_data_to_come_and_said(chart, session):
    last = START + dt.timedelta(weeks=len(SHIFTED) - 1)
    assert chart.phase_date.value == last  # the box opens on the measure's last point
    chart.phase_date.value = last + dt.timedelta(weeks=3)
    chart.add_phase.click()
    assert stored(session).measures[0].phase_starts == [last + dt.timedelta(weeks=3)]
    assert "No points from" in shown(chart.message) and "once data from that date is recorded" in shown(chart.message)


def test_the_phase_date_follows_the_measure_shown(session):
    first = add_measure(session, values=SHIFTED)
    second = add_measure(session, name="Homework returned", values=[5, 6, 7])
    view = RunChartView(session, measure_id=first)
    assert view.phase_date.value == START + dt.timedelta(weeks=len(SHIFTED) - 1)
    view.measure_picker.value = second
    assert view.phase_date.value == START + dt.timedelta(weeks=2)  # not the other measure's last date


def test_a_phase_must_start_after_the_first_point(chart, session):
    chart.phase_date.value = START
    chart.add_phase.click()
    assert "choose a later date" in shown(chart.message)
    assert stored(session).measures[0].phase_starts == []


def test_mark_and_unmark_an_astronomical_point(chart, session):
    last = session.doc.observations_of(session.doc.measures[0].id)[-1]
    chart.point_picker.value = last.id
    chart.astronomical.click()
    assert stored(session).measures[0].astronomical_ids == [last.id]
    assert chart.astronomical.description == "Unmark astronomical"
    assert "You marked 23 Nov 2026 (8) as astronomical" in shown(chart.signals)
    assert "Marked astronomical by the team" in svg_text(chart)
    chart.astronomical.click()
    assert stored(session).measures[0].astronomical_ids == []


def test_rule_sets_and_where_they_disagree(session):
    add_measure(session, values=[4, 6, 4, 6, 1, 1, 1, 5, 1, 1, 1], baseline_points=4)
    view = RunChartView(session)
    assert "a shift" in shown(view.signals)
    view.reading.value = "anhoej"
    assert shown(view.signals).startswith("No signal")
    view.reading.value = "compare"
    assert "disagree in 1 place" in shown(view.signals)
    assert "Only IHI: Six points in a row below the median" in shown(view.signals)
    assert "IHI only" in svg_text(view)


def test_subgroups_side_by_side_with_a_warning_for_small_ones(session):
    hostile = "<i>Newcomers</i>"
    add_measure(session, values=SHIFTED, subgroups={"English-only": SHIFTED, hostile: [3, 4, 5]})
    view = RunChartView(session)
    assert view.subgroups.layout.display != "none"
    view.subgroups.value = True
    text = shown(view.signals)
    assert f"{hostile}: too few points to judge (2 off the median; at least 10 needed)." in text
    assert "English-only: Six points in a row below the median" in text
    assert "<p><strong>English-only:</strong></p><ul><li>Six points" in view.signals.value  # a list of its own
    assert "<i>" not in view.signals.value
    assert "English-only" in svg_text(view) and hostile in svg_text(view)


def test_no_subgroup_choice_without_subgroups(chart):
    assert chart.subgroups.layout.display == "none"


def test_the_chart_is_drawn_again_only_when_what_it_shows_changes(chart, session, monkeypatch):
    from ciwidgets.render import runchart as R

    calls = []
    real = R.run_chart_svg
    monkeypatch.setattr(R, "run_chart_svg", lambda *a, **k: calls.append(1) or real(*a, **k))
    session.edit(lambda p: setattr(p, "problem_statement", "Too few students meet the math standard."))
    assert calls == []
    session.edit(lambda p: p.observations.append(
        Observation(measure_id=p.measures[0].id, date=TODAY + dt.timedelta(days=7), value=3)))
    assert calls == [1]
    assert "30 Nov 2026: 3 %." in svg_text(chart)


def test_a_conflicting_decision_shows_the_other_version_and_offers_keep_mine(chart, session, second_session):
    second_session.refresh()
    second_view = RunChartView(second_session)
    chart.baseline_points.value = 4
    second_view.baseline_points.value = 6
    chart.freeze.click()
    second_view.freeze.click()  # the same measure, changed meanwhile
    assert second_session.conflict is not None
    assert "first 4 points" in shown(second_view.baseline_state)
    second_session.keep_mine()
    assert stored(session).measures[0].baseline_points == 6
    assert "first 6 points" in shown(second_view.baseline_state)


def test_choosing_another_measure_redraws_the_same_chart_under_that_measures_name(session):
    first = add_measure(session, values=SHIFTED)
    second = add_measure(session, name="Homework returned", values=[5, 6, 7])
    view = RunChartView(session, measure_id=first)
    chart = view.chart
    assert chart.png_download.filename == "exit-ticket-mastery.png"
    view.measure_picker.value = second
    assert view.chart is chart  # redrawn, not replaced by a new chart left open behind it
    assert (chart.svg_download.filename, chart.png_download.filename) == (
        "homework-returned.svg", "homework-returned.png")
    assert "Homework returned" in chart.picture.value


def test_a_page_opens_on_the_measure_with_the_latest_data(session):
    add_measure(session, name="Students meeting the standard (annual)")  # an outcome: no data yet
    weekly = add_measure(session, name="Exit-ticket mastery", values=[40, 45, 50])
    assert RunChartView(session).measure.id == weekly  # not the empty first one, as if data were lost
    assert ObservationEntry(session, today=TODAY).measure_id == weekly


def test_the_run_chart_follows_the_measure_chosen_to_record_data_and_back(session, second_session):
    weekly = add_measure(session, name="Exit-ticket mastery", values=[40, 45, 50])
    homework = add_measure(session, name="Homework returned", values=[5, 6])
    entry, view = ObservationEntry(session, today=TODAY), RunChartView(session)
    second_session.refresh()
    elsewhere = RunChartView(second_session)  # another browser of the team: a page of its own
    assert view.measure.id == weekly  # the latest data
    entry.measure_picker.value = homework
    assert view.measure.id == homework and "Homework returned" in view.chart.picture.value
    entry.new_value.value = "9"
    entry.add_button.click()
    assert f"{format_date(TODAY)}: 9" in view.chart.picture.value  # the point just recorded, beside it
    view.measure_picker.value = weekly
    assert entry.measure_id == weekly
    assert elsewhere.measure.id == weekly  # never moved by the other page's choices


def test_the_point_to_mark_is_first_one_of_the_chart_shown_not_of_a_subgroup(session):
    measure_id = add_measure(session, values=[10, 11, 12], subgroups={"Multilingual learners": [9, 9, 9, 9]})
    view = RunChartView(session, measure_id=measure_id)
    assert view.point_picker.label == f"{format_date(START + dt.timedelta(weeks=2))}: 12"
    assert [label for label, _ in view.point_picker.options][-1].endswith("(Multilingual learners)")
