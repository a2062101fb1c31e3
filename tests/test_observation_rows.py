"""Reading measure data from pastes, CSV and Excel: what a coach sees in the preview."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciwidgets.analysis.observation_rows import (
    MAX_ROWS,
    parse_date,
    parse_number,
    read_csv,
    read_excel,
    read_pasted,
    read_upload,
)
from ciwidgets.model import Observation

D = dt.date


def problems(parsed):
    return [str(p) for p in parsed.problems]


# ----------------------------------------------------------------- pasting from a spreadsheet


def test_a_pasted_range_with_a_header():
    parsed = read_pasted("Date\tValue\n2026-10-05\t62\n2026-10-12\t64.5\n")
    assert [(r.row, r.date, r.value) for r in parsed.good] == [
        (2, D(2026, 10, 5), 62.0),
        (3, D(2026, 10, 12), 64.5),
    ]
    assert parsed.ok and parsed.summary() == "2 rows can be imported."
    assert "Used row 1 as the column names." in parsed.notices


def test_bad_rows_are_reported_by_row_number_and_nothing_else_is_lost():
    lines = ["Week\tMastery"] + [f"{d}/01/2026\t{50 + d}" for d in (13, 14, 15, 16, 17)]
    lines.insert(6, "31/02/2026\t55")  # row 7
    lines.append("20/01/2026\tabout half")  # row 8
    lines.append("\t60")  # row 9
    lines.append("21/01/2026\t")  # row 10
    parsed = read_pasted("\n".join(lines))
    assert problems(parsed) == [
        "Row 7: '31/02/2026' is not a date.",
        "Row 8: 'about half' is not a number.",
        "Row 9: the date is empty.",
        "Row 10: the value is empty.",
    ]
    assert [r.row for r in parsed.good] == [2, 3, 4, 5, 6]
    assert parsed.date_order == "day first" and not parsed.ambiguous_dates
    assert parsed.summary() == "5 rows can be imported; 4 rows have problems."
    assert not parsed.ok


def test_blank_lines_are_skipped_and_row_numbers_still_match_the_lines():
    parsed = read_pasted("2026-10-05\t62\n\n\t \n2026-10-12\tx\n")
    assert [r.row for r in parsed.good] == [1]
    assert problems(parsed) == ["Row 4: 'x' is not a number."]


def test_ambiguous_dates_are_read_month_first_and_the_user_can_choose():
    text = "03/04/2026\t10\n03/11/2026\t12\n"
    us = read_pasted(text)
    assert [r.date for r in us.good] == [D(2026, 3, 4), D(2026, 3, 11)]
    assert us.ambiguous_dates and any("day/month" in n for n in us.notices)
    europe = read_pasted(text, date_order="day first")
    assert [r.date for r in europe.good] == [D(2026, 4, 3), D(2026, 11, 3)]
    assert not europe.ambiguous_dates


def test_month_first_is_inferred_from_a_day_above_twelve():
    parsed = read_pasted("10/13/2026\t1\n11/02/2026\t2\n")
    assert parsed.date_order == "month first" and not parsed.ambiguous_dates
    assert [r.date for r in parsed.good] == [D(2026, 10, 13), D(2026, 11, 2)]


def test_decimal_commas_in_a_paste():
    parsed = read_pasted("2026-10-05\t62,5\n2026-10-12\t3,25\n2026-10-19\t70\n")
    assert [r.value for r in parsed.good] == [62.5, 3.25, 70.0]
    assert "Read values with a decimal comma (3,5 = 3.5)." in parsed.notices


def test_thousands_separators_percent_signs_and_minus_signs():
    parsed = read_pasted(
        "2026-10-05\t1,234.5\n2026-10-12\t45 %\n2026-10-19\t\u22123\n2026-10-26\t1 200\n"
    )
    assert [r.value for r in parsed.good] == [1234.5, 45.0, -3.0, 1200.0]


def test_one_column_is_not_enough():
    parsed = read_pasted("2026-10-05\n2026-10-12\n")
    assert parsed.error == "The data needs two columns: a date and a value."
    assert parsed.good == ()


def test_nothing_pasted():
    assert read_pasted("  \n\n").error == "There are no rows of data."


# ----------------------------------------------------------------- duplicates


def test_duplicate_dates_in_the_data_are_flagged_on_every_row():
    parsed = read_pasted("2026-10-05\t62\n2026-10-12\t64\n2026-10-05\t63\n")
    assert problems(parsed) == [
        "Row 1: 5 Oct 2026 appears more than once (rows 1, 3).",
        "Row 3: 5 Oct 2026 appears more than once (rows 1, 3).",
    ]
    assert [r.row for r in parsed.good] == [2]


def test_the_same_date_in_two_subgroups_is_not_a_duplicate():
    parsed = read_csv(
        "date,value,subgroup\n2026-10-05,62,Multilingual\n2026-10-05,70,English only\n"
    )
    assert parsed.ok and [r.subgroup for r in parsed.good] == ["Multilingual", "English only"]


def test_rows_already_in_the_chart_are_skipped_or_flagged_when_they_differ():
    existing = [
        Observation(measure_id="me-1", date=D(2026, 10, 5), value=62),
        Observation(measure_id="me-1", date=D(2026, 10, 12), value=64),
    ]
    parsed = read_pasted(
        "2026-10-05\t62\n2026-10-12\t65\n2026-10-19\t66\n", existing=existing
    )
    assert parsed.already_recorded == (1,)
    assert problems(parsed) == [
        "Row 2: 12 Oct 2026 is already in the chart with the value 64; this row says 65."
    ]
    assert [r.row for r in parsed.good] == [3]
    assert parsed.summary() == (
        "1 row can be imported; 1 row has problems; 1 row already in the chart (skipped)."
    )


# ----------------------------------------------------------------- CSV


def test_csv_with_all_four_columns_in_any_order():
    parsed = read_csv(
        b"Denominator,Subgroup,Date,Value\n24,Grade 3,2026-10-05,15\n20,Grade 4,2026-10-05,11\n"
    )
    assert [(r.subgroup, r.value, r.denominator) for r in parsed.good] == [
        ("Grade 3", 15.0, 24.0),
        ("Grade 4", 11.0, 20.0),
    ]
    assert parsed.columns == ("date", "value", "subgroup", "denominator")


def test_a_denominator_must_be_a_positive_number():
    parsed = read_csv("date,value,subgroup,denominator\n2026-10-05,3,,0\n2026-10-12,3,,lots\n")
    assert problems(parsed) == [
        "Row 2: the denominator must be more than 0.",
        "Row 3: the denominator 'lots' is not a number.",
    ]


def test_semicolon_csv_from_a_european_spreadsheet():
    parsed = read_csv("Datum;Wert\n12.10.2026;62,5\n19.10.2026;63\n".encode("cp1252"))
    assert [(r.date, r.value) for r in parsed.good] == [(D(2026, 10, 12), 62.5), (D(2026, 10, 19), 63.0)]
    assert any("column names" in n for n in parsed.notices)


def test_csv_encodings_and_quotes():
    text = 'date,value,subgroup\r\n2026-10-05,"1,234.5","Caf\u00e9 group, room 2"\r\n'
    for data in (text.encode("utf-8-sig"), text.encode("cp1252"), text.encode("utf-16")):
        (row,) = read_csv(data).good
        assert row.value == 1234.5 and row.subgroup == "Caf\u00e9 group, room 2"


def test_a_stray_quote_does_not_swallow_the_rows_after_it():
    parsed = read_pasted('2026-10-05\t"12\n2026-10-12\t13\n2026-10-19\t14')
    assert [(r.row, r.date, r.value) for r in parsed.good] == [
        (1, D(2026, 10, 5), 12.0), (2, D(2026, 10, 12), 13.0), (3, D(2026, 10, 19), 14.0)]


def test_many_date_spellings():
    lines = [
        "2026-10-05", "2026/10/06", "20261007", "10/08/2026", "Oct 9, 2026", "10 October 2026",
        "Sunday 11 Oct 2026", "12-Oct-26", "2026-10-13 00:00:00", "10/14/26 8:30 AM", "46310",
    ]
    parsed = read_csv("\n".join(f"{d};{i}" for i, d in enumerate(lines)))
    assert [r.date for r in parsed.good] == [D(2026, 10, d) for d in range(5, 16)]
    assert any("Excel day numbers" in n for n in parsed.notices)


def test_a_month_alone_means_its_first_day():
    parsed = read_csv("month,value\nSep 2026,10\n2026-10,11\nNovember 2026,12\n")
    assert [r.date for r in parsed.good] == [D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)]


def test_an_unknown_header_is_skipped_and_said_so():
    parsed = read_csv("Semaine,Résultat\n2026-10-05,62\n")
    assert [r.value for r in parsed.good] == [62.0]
    assert parsed.notices[0].startswith("Row 1 looks like column names")


def test_a_binary_file_that_is_not_a_spreadsheet():
    assert read_upload("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00").error == (
        "This does not look like a CSV or Excel file."
    )


def test_too_many_rows_are_refused_before_reading_them():
    text = "\n".join(f"2026-10-05\t{i}" for i in range(MAX_ROWS + 5))
    assert "more than 20,000 rows" in read_pasted(text).error


def test_progress_is_reported_for_large_data():
    seen = []
    text = "\n".join(f"{D(2000, 1, 1) + dt.timedelta(days=i)}\t{i}" for i in range(2000))
    parsed = read_pasted(text, progress=lambda done, total: seen.append((done, total)))
    assert len(parsed.good) == 2000
    assert seen[0] == (500, 2000) and seen[-1] == (2000, 2000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_good_rows_become_observations():
    parsed = read_csv("date,value,subgroup,denominator\n2026-10-05,15,Grade 3,24\n")
    (observation,) = parsed.observations("me-1")
    assert (observation.measure_id, observation.date, observation.value) == ("me-1", D(2026, 10, 5), 15.0)
    assert observation.subgroup == "Grade 3" and observation.denominator == 24.0


def test_hostile_text_stays_text():
    parsed = read_csv('date,value,subgroup\n2026-10-05,=1+2,<b>x</b>\n2026-10-12,3,"<script>"\n')
    assert problems(parsed) == ["Row 2: '=1+2' is not a number."]
    assert parsed.good[0].subgroup == "<script>"  # kept as typed; escaped wherever shown


# ----------------------------------------------------------------- Excel


def _workbook(rows):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_with_real_dates_numbers_and_a_bad_row():
    data = _workbook([
        ["Date", "Value", "Subgroup"],
        [dt.datetime(2026, 10, 5), 62, "Multilingual"],
        [dt.datetime(2026, 10, 12), 64.5, None],
        ["next week", 66, None],
        [None, None, None],
        [dt.date(2026, 10, 26), "68,5", None],
    ])
    parsed = read_upload("exit tickets.xlsx", data)
    assert [(r.row, r.date, r.value, r.subgroup) for r in parsed.good] == [
        (2, D(2026, 10, 5), 62.0, "Multilingual"),
        (3, D(2026, 10, 12), 64.5, None),
        (6, D(2026, 10, 26), 68.5, None),
    ]
    assert problems(parsed) == ["Row 4: 'next week' is not a date."]


def test_excel_progress_covers_reading_and_checking():
    seen = []
    data = _workbook([[dt.datetime(2020, 1, 1) + dt.timedelta(days=i), i] for i in range(1200)])
    parsed = read_excel(data, progress=lambda done, total: seen.append(done / total))
    assert len(parsed.good) == 1200
    assert seen == sorted(seen) and seen[-1] == 1.0 and seen[0] < 0.5


def test_old_xls_and_broken_workbooks_get_a_sentence():
    assert "Save it as .xlsx or .csv" in read_upload("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100).error
    assert read_upload("broken.xlsx", b"PK\x03\x04 not really a zip").error == (
        "This file could not be opened as an Excel workbook (.xlsx)."
    )


# ----------------------------------------------------------------- the cell parsers


@pytest.mark.parametrize(
    "raw, decimal_comma, expected",
    [
        ("62.5", False, 62.5), ("62,5", True, 62.5), ("1.234,5", True, 1234.5),
        ("1,234", False, 1234.0), ("  7 ", False, 7.0), ("50%", False, 50.0), ("-0.5", False, -0.5),
        (".5", False, 0.5), ("1e3", False, 1000.0), (3, False, 3.0), ("nan", False, None),
        ("inf", False, None), (float("nan"), False, None), (True, False, None), ("", False, None),
        ("12 pupils", False, None), ("1,2,3", False, None),
    ],
)
def test_parse_number(raw, decimal_comma, expected):
    assert parse_number(raw, decimal_comma=decimal_comma) == expected


@pytest.mark.parametrize(
    "raw",
    ["31/02/2026", "2026-13-01", "02/30/2026", "yesterday", "1850-01-01", "Foo 12, 2026", "12", "99999"],
)
def test_not_dates(raw):
    assert parse_date(raw, "day first")[0] is None
    assert parse_date(raw, "month first")[0] is None


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_iso_and_written_dates_round_trip(day):
    assert parse_date(day.isoformat())[0] == day
    assert parse_date(day.strftime("%d %b %Y"))[0] == day
    assert parse_date(day.strftime("%m/%d/%Y"), "month first")[0] == day
    assert parse_date(day.strftime("%d/%m/%Y"), "day first")[0] == day


@given(st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_numbers_round_trip(value):
    assert parse_number(repr(float(value))) == float(value)


@given(st.text(max_size=60), st.text(max_size=30))
def test_any_text_gives_rows_or_reasons_never_an_exception(first, second):
    parsed = read_pasted(f"{first}\t{second}\n2026-10-05\t1")
    assert parsed.error or len(parsed.good) + len(parsed.problems) + len(parsed.already_recorded) >= 1


def test_percent_formatted_excel_cells_are_read_as_shown():
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Date", "Value"], [dt.datetime(2026, 3, 9), 0.91], [dt.datetime(2026, 3, 16), 0.935],
                [dt.datetime(2026, 3, 23), 0.88], [dt.datetime(2026, 3, 30), 62]):
        sheet.append(row)
    sheet["B2"].number_format = sheet["B3"].number_format = "0.0%"
    sheet["B4"].number_format = '0.00"%"'  # a % sign written as text: the cell shows 0.88%
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_upload("mastery.xlsx", buffer.getvalue())
    assert [r.value for r in parsed.good] == [91.0, 93.5, 0.88, 62.0]  # 93.5 exactly, not 93.50000000000001
    assert "Cells formatted as percentages were read as shown: 91% → 91." in parsed.notices


def test_an_error_about_an_excel_workbook_names_the_sheet_it_read():
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append([dt.datetime(2026, 3, 9), 91])
    notes = book.create_sheet("Notes")
    notes.append(["Collected by Ms Diaz on Fridays"])
    book.active = notes  # the workbook was saved while its notes were open
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_upload("mastery.xlsx", buffer.getvalue()).error == (
        "Read the sheet 'Notes': the data needs two columns: a date and a value. The workbook also has "
        "the sheet 'Data': open the one with the data, save the workbook, and upload it again.")
    book.active = book["Data"]
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_upload("mastery.xlsx", buffer.getvalue())
    assert [r.value for r in parsed.good] == [91.0]
    assert parsed.notices[0] == "Read the sheet 'Data'. The workbook also has the sheet 'Notes'."


def test_columns_pasted_value_first_are_read_swapped_with_a_notice():
    parsed = read_pasted("91\t2026-09-03\n93\t2026-09-10\n95\t2026-09-17\n")
    assert [(r.row, r.date, r.value) for r in parsed.good] == [
        (1, D(2026, 9, 3), 91.0), (2, D(2026, 9, 10), 93.0), (3, D(2026, 9, 17), 95.0)]
    assert parsed.notices == ("The columns looked swapped (value, date); read as date, value.",)
    named = read_csv("Ergebnis;Woche\n91,5;03.09.2026\n93;10.09.2026\n")
    assert [(r.date, r.value) for r in named.good] == [(D(2026, 9, 3), 91.5), (D(2026, 9, 10), 93.0)]
    assert "The columns looked swapped (value, date); read as date, value." in named.notices
    # A week number before the date and the value after it is another layout: not guessed at.
    numbered = read_pasted("1\t2026-09-07\t62\n2\t2026-09-14\t64\n")
    assert numbered.good == () and problems(numbered)[0] == "Row 1: '1' is not a date."
