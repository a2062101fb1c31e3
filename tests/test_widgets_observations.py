"""Entering a measure's data, as a school team's data lead found it: percentages from
Excel, two teammates on one date, pasted rows corrected after the check, an import to
take back, the rows as read, swapped columns, and the list's messages. Every saved
change is checked in a fresh load from the store."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from ciwidgets.model import Measure, Observation, Project
from ciwidgets.widgets.observations import ObservationEntry
from ciwidgets.widgets.runchart import RunChartView

from .study import START, TODAY, add_measure, shown, stored, upload_value


def values_of(project: Project, measure_id: str) -> list[tuple[dt.date, float]]:
    return [(o.date, o.value) for o in project.observations_of(measure_id)]


def workbook(rows, formats=()) -> bytes:
    """An .xlsx of `rows` on its one sheet; `formats`: (cell, number format) pairs."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for cell, number_format in formats:
        book.active[cell].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def entry(session) -> ObservationEntry:
    add_measure(session)
    return ObservationEntry(session, today=TODAY)


def row_controls(entry: ObservationEntry, k: int = 0):
    """(date, value, subgroup, delete) of the k-th row shown, newest first."""
    return entry.rows.children[k].children[0].children


def row_message(entry: ObservationEntry, k: int = 0) -> str:
    """What the k-th row says under its controls ("" when it has no message line)."""
    row = entry.rows.children[k]
    return shown(row.children[1]) if len(row.children) > 1 else ""


# ----------------------------------------------------------------- 1. percentages from Excel


def test_an_excel_column_formatted_as_percent_is_imported_as_the_numbers_shown(entry, session):
    data = workbook([["Week", "Mastery"], [dt.datetime(2026, 3, 9), 0.91], [dt.datetime(2026, 3, 16), 0.935]],
                    formats=[("B2", "0.0%"), ("B3", "0.0%")])
    entry.upload.value = upload_value("mastery.xlsx", data)
    assert "Cells formatted as percentages were read as shown: 91% → 91." in shown(entry.preview_summary)
    entry.import_button.click()
    assert values_of(stored(session), entry.measure_id) == [(dt.date(2026, 3, 9), 91.0), (dt.date(2026, 3, 16), 93.5)]


# ----------------------------------------------------------------- 2. two teammates, one date


def test_a_value_a_teammate_added_for_the_same_date_meanwhile_is_said(entry, session, second_session):
    second_session.refresh()
    teammate = ObservationEntry(second_session, today=TODAY)
    teammate.new_value.value = "17"
    teammate.add_button.click()
    assert shown(teammate.add_message) == "Added 17 on 23 Nov 2026."
    entry.new_value.value = "18"  # this browser has not seen the 17 yet: no question asked
    entry.add_button.click()
    assert session.last.status == "merged"
    assert shown(entry.add_message) == (
        "Added 18 on 23 Nov 2026. Someone else added a value for that date meanwhile (17): two points on one "
        "date usually mean a slip — delete one below if so.")
    assert sorted(v for _, v in values_of(stored(session), entry.measure_id)) == [17.0, 18.0]


# ----------------------------------------------------------------- 3. pasted rows corrected after the check


def test_rows_corrected_after_the_check_are_not_imported_from_the_old_preview(entry, session):
    entry.paste.value = "2026-03-09\t9.1\n2026-03-16\t93\n"
    entry.check_paste.click()
    entry.paste.value = "2026-03-09\t91\n2026-03-16\t93\n"  # the slip spotted in the preview, corrected
    assert entry.preview.layout.display == "none"  # and the Import button in it
    assert shown(entry.import_message) == "The pasted rows changed: check them again."
    entry.import_button.click()  # a click that was already on its way
    assert stored(session).observations == []
    assert entry.paste.value == "2026-03-09\t91\n2026-03-16\t93\n"  # the corrections are kept
    entry.check_paste.click()
    entry.import_button.click()
    assert [v for _, v in values_of(stored(session), entry.measure_id)] == [91.0, 93.0]
    assert entry.paste.value == ""


def test_importing_a_file_leaves_rows_pasted_but_not_checked_in_the_box(entry, session):
    entry.paste.value = "2026-03-23\t95\n"
    entry.upload.value = upload_value("mastery.csv", b"date,value\n2026-03-09,91\n")
    entry.import_button.click()
    assert values_of(stored(session), entry.measure_id) == [(dt.date(2026, 3, 9), 91.0)]
    assert entry.paste.value == "2026-03-23\t95\n"


# ----------------------------------------------------------------- 4. a value moved onto another's date


def test_moving_a_value_to_a_date_that_has_one_saves_it_and_says_so(session):
    measure_id = add_measure(session, values=[92, 0.91])
    entry = ObservationEntry(session, today=TODAY)
    date, *_ = row_controls(entry, 0)  # the newest: 0.91 on 14 Sep
    assert row_message(entry, 0) == ""
    date.value = START
    assert values_of(stored(session), measure_id) == [(START, 92.0), (START, 0.91)]  # saved, not refused
    assert row_message(entry, 0) == (
        "7 Sep 2026 now has two values (92 and 0.91): two points on one date usually mean a slip — change "
        "one of the dates, or delete one.")


# ----------------------------------------------------------------- 5. undoing an import


def test_an_import_can_be_undone_leaving_what_others_did(session, second_session):
    measure_id = add_measure(session, values=[80])
    entry = ObservationEntry(session, today=TODAY)
    entry.paste.value = "2026-03-09\t91\n2026-03-16\t92\n2026-03-23\t93\n"
    entry.check_paste.click()
    entry.import_button.click()
    assert entry.undo_import.layout.display == "" and entry.undo_import.description == (
        "Undo this import (3 observations)")
    second_session.refresh()  # a teammate deletes one of them and records the next week by hand
    second_session.edit(lambda p: p.observations.remove(next(o for o in p.observations if o.value == 92)))
    second_session.edit(lambda p: p.observations.append(
        Observation(measure_id=measure_id, date=dt.date(2026, 10, 5), value=94)))
    entry.undo_import.click()  # asks first, saying what it would remove
    assert entry.undo_import.description == "Really remove the 2 observations?"
    assert len(values_of(stored(session), measure_id)) == 4  # nothing removed yet
    entry.undo_import.click()
    assert values_of(stored(session), measure_id) == [(START, 80.0), (dt.date(2026, 10, 5), 94.0)]
    assert shown(entry.import_message) == (
        "Removed the 2 observations this import added that were still there; 1 had been deleted already. "
        "The pasted rows are back in the box, to correct and check again.")
    assert entry.paste.value == "2026-03-09\t91\n2026-03-16\t92\n2026-03-23\t93\n"


def test_undoing_an_import_never_replaces_rows_pasted_since(entry, session):
    entry.paste.value = "2026-03-09\t9.1\n"
    entry.check_paste.click()
    entry.import_button.click()
    entry.paste.value = "2026-03-16\t93\n"  # the next rows, pasted before the slip was seen
    entry.undo_import.click()
    entry.undo_import.click()
    assert values_of(stored(session), entry.measure_id) == []
    assert entry.paste.value == "2026-03-16\t93\n" and "back in the box" not in shown(entry.import_message)
    assert entry.undo_import.layout.display == "none"


def test_the_undo_offer_goes_when_the_measure_changes_or_another_import_starts(session):
    add_measure(session, values=[80])
    other = add_measure(session, name="Homework returned")
    entry = ObservationEntry(session, today=TODAY)
    first = entry.measure_id
    for leave in (lambda: setattr(entry.measure_picker, "value", other), entry.check_paste.click):
        entry.measure_picker.value = first
        entry.paste.value = "2026-04-06\t91\n"
        entry.check_paste.click()
        entry.import_button.click()
        assert entry.undo_import.layout.display == ""
        session.edit(lambda p: p.observations.pop())  # so that the same row imports again
        entry.paste.value = "2026-04-13\t92\n"
        leave()
        assert entry.undo_import.layout.display == "none"
        entry.undo_import.click()  # nothing left to undo
        assert [v for _, v in values_of(stored(session), first)] == [80.0]


# ----------------------------------------------------------------- 6. the rows as read


def test_the_preview_shows_the_first_and_last_rows_as_they_will_be_saved(entry):
    entry.paste.value = "".join(f"{d}/3/2026\t{88 + d}\t<b>Newcomers</b>\n" for d in (2, 4, 5, 6, 7, 8, 9))
    entry.check_paste.click()
    assert shown(entry.preview_rows) == (
        "As they will be saved: 3 Feb 2026 → 90 (<b>Newcomers</b>) 3 Apr 2026 → 92 (<b>Newcomers</b>) "
        "3 May 2026 → 93 (<b>Newcomers</b>) … 2 more … 3 Aug 2026 → 96 (<b>Newcomers</b>) "
        "3 Sep 2026 → 97 (<b>Newcomers</b>)")
    assert "<b>" not in entry.preview_rows.value  # escaped, not bold
    entry.date_order.value = "day first"  # 9/3/2026 is 9 March
    assert shown(entry.preview_rows).startswith("As they will be saved: 2 Mar 2026 → 90")
    assert "9 Mar 2026 → 97 (<b>Newcomers</b>)" in shown(entry.preview_rows)


# ----------------------------------------------------------------- 7. swapped columns, another sheet


def test_swapped_columns_are_read_as_date_and_value_with_a_note(entry, session):
    entry.paste.value = "91\t2026-09-03\n93\t2026-09-10\n"
    entry.check_paste.click()
    assert "The columns looked swapped (value, date); read as date, value." in shown(entry.preview_summary)
    assert "3 Sep 2026 → 91" in shown(entry.preview_rows)
    entry.import_button.click()
    assert values_of(stored(session), entry.measure_id) == [(dt.date(2026, 9, 3), 91.0),
                                                            (dt.date(2026, 9, 10), 93.0)]


def test_an_excel_file_opened_on_another_sheet_names_the_sheet_it_read(entry):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append([dt.datetime(2026, 3, 9), 91])
    book.active = book.create_sheet("Notes <i>")
    buffer = io.BytesIO()
    book.save(buffer)
    entry.upload.value = upload_value("mastery.xlsx", buffer.getvalue())
    assert shown(entry.preview_summary).startswith("Read the sheet 'Notes <i>': there are no rows of data.")
    assert "The workbook also has the sheet 'Data'" in shown(entry.preview_summary)
    assert "<i>" not in entry.preview_summary.value


# ----------------------------------------------------------------- 8. the list's messages


@pytest.mark.parametrize("typed, said", [("", "Type a number; the old value is kept."),
                                         ("ninety", "'ninety' is not a number; the old value is kept.")])
def test_a_refused_value_puts_the_saved_one_back_in_the_box(session, typed, said):
    measure_id = add_measure(session, values=[92])
    entry = ObservationEntry(session, today=TODAY)
    _date, value, *_ = row_controls(entry)
    value.value = typed
    assert row_message(entry) == said
    assert value.value == "92"
    assert values_of(stored(session), measure_id) == [(START, 92.0)]


def test_a_second_enter_right_after_the_same_date_question_is_no_answer(clock, project_session):
    measure = Measure(name="Exit-ticket mastery", unit="%")
    day = dt.date(2026, 11, 23)
    project_session.edit(lambda p: (p.measures.append(measure),
                                    p.observations.append(Observation(measure_id=measure.id, date=day, value=40))))
    entry = ObservationEntry(project_session, today=day)
    entry.new_value.value = "41"
    entry.add_button.click()
    entry.add_button.click()  # Enter pressed twice: the question was not read yet
    assert [o.value for o in project_session.doc.observations] == [40] and entry.add_button.description == "Add anyway"
    clock.wait()
    entry.add_button.click()
    assert sorted(o.value for o in project_session.doc.observations) == [40, 41]


def test_undoing_an_import_says_that_corrections_made_since_go_too(session):
    measure_id = add_measure(session, values=[80])
    entry = ObservationEntry(session, today=TODAY)
    entry.paste.value = "2026-03-09\t91\n2026-03-16\t92\n"
    entry.check_paste.click()
    entry.import_button.click()
    session.edit(lambda p: setattr(next(o for o in p.observations if o.value == 92), "value", 29))  # a slip, corrected
    entry.undo_import.click()
    assert entry.undo_import.description == "Really remove the 2 observations (1 corrected since)?"
    entry.undo_import.click()
    assert values_of(stored(session), measure_id) == [(START, 80.0)]


def test_a_corrected_value_reads_back_as_saved_and_gets_the_percent_nudge(session):
    add_measure(session, values=[80])
    entry = ObservationEntry(session, today=TODAY)
    row = entry.rows.children[0]
    row.value.value = "38,5"
    assert row.value.value == "38.5"
    row.value.value = "150"
    assert "outside 0–100" in shown(row.message)


def test_a_message_about_one_measure_goes_when_another_is_chosen(session):
    add_measure(session, values=[80])
    other = add_measure(session, name="Homework returned", values=[3])
    entry, chart = ObservationEntry(session, today=TODAY), RunChartView(session)
    entry.new_value.value = "81"
    entry.add_button.click()
    chart.phase_date.value = TODAY + dt.timedelta(weeks=4)
    chart.add_phase.click()
    assert entry.add_message.value and chart.message.value
    entry.measure_picker.value = other  # the chart follows
    assert entry.add_message.value == "" and chart.message.value == ""


def from_the_browser(widget, content: dict | None = None, **state) -> None:
    """A message from the browser, as ipywidgets receives it: a custom one, or new state."""
    data = {"method": "custom", "content": content} if content else {"method": "update", "state": state,
                                                                     "buffer_paths": []}
    widget._handle_msg({"content": {"data": data}, "buffers": []})


def test_enter_in_the_value_box_adds_it_without_the_pages_script(session):
    """JupyterLab: Enter sends "submit", then the value typed; leaving the box sends the value only."""
    measure_id = add_measure(session, values=[80])
    entry = ObservationEntry(session, today=TODAY)
    from_the_browser(entry.new_value, value="62")  # typed, then Tab to the subgroup: not added
    assert len(session.doc.observations_of(measure_id)) == 1
    from_the_browser(entry.new_value, {"event": "submit"})
    from_the_browser(entry.new_value, value="63")  # the value the Enter committed
    assert [o.value for o in session.doc.observations_of(measure_id)][-1] == 63
    assert entry.new_value.value == ""


def test_pasted_rows_dated_after_today_get_a_nudge_before_the_import(entry, session):
    entry.paste.value = "2026-11-16\t91\n2026-12-07\t92\n2027-12-14\t93\n"  # a year typed wrong, and next week
    entry.check_paste.click()
    assert "2 rows are dated after today (the latest 14 Dec 2027): check the year" in shown(entry.preview_summary)
    entry.import_button.click()  # a nudge, not a refusal
    assert len(values_of(stored(session), entry.measure_id)) == 3
    entry.paste.value = "2026-11-16\t91\n"
    entry.check_paste.click()
    assert "after today" not in shown(entry.preview_summary)
