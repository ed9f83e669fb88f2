"""Reading a worksheet downloaded from Moodle: its columns by their own headers, its number format, and the files
Moodle would refuse, refused first with the file's name."""
from __future__ import annotations

import pytest

from coursekit import synthetic_moodle
from coursekit.course import CommandError
from coursekit.plugins.moodle_worksheet import read_worksheet

NAMES = {"Anaïs Lebœuf": "Anaïs Lebœuf", "Ömer Çelik": "Ömer Çelik"}
IDS = synthetic_moodle.participant_ids(list(NAMES))


@pytest.mark.parametrize("language, separator", [("en", "."), ("fr", ",")])
def test_the_columns_and_the_number_format_come_from_the_file(tmp_path, language, separator):
    path = tmp_path / "worksheet.csv"
    synthetic_moodle.write_worksheet(path, NAMES, IDS, {"Anaïs Lebœuf"}, language, maximum=20)
    worksheet = read_worksheet(path)
    assert worksheet.header == list(synthetic_moodle.LANGUAGES[language].columns)
    assert [worksheet.participant(row) for row in worksheet.rows] == list(IDS.values())
    assert worksheet.number(12.5) == f"12{separator}50"


def test_a_worksheet_saved_again_by_a_spreadsheet_with_semicolons_is_read(tmp_path):
    path = tmp_path / "worksheet.csv"
    path.write_text("Identifiant;Nom complet;Note;Note maximale;Dernière modification (note)\n"
                    "Participant1001;Anaïs Lebœuf;;20,0;-\n", encoding="utf-8")
    worksheet = read_worksheet(path)
    assert worksheet.delimiter == ";" and worksheet.participant(worksheet.rows[0]) == "1001"
    assert worksheet.number(7.125) == "7,12"  # two decimals at least: Moodle keeps more than it shows


def test_a_column_that_shares_its_header_with_the_grade_is_left_alone_as_moodle_takes_the_last(tmp_path):
    path = tmp_path / "worksheet.csv"
    path.write_text("Identifier,Grade,Status,Grade,Maximum grade,Last modified (grade)\n"
                    "Participant 1001,B2,Submitted,,20.00,-\n", encoding="utf-8")
    assert read_worksheet(path).columns["grade"] == 3


def test_a_worksheet_saved_by_excel_in_windows_1252_is_read(tmp_path):
    path = tmp_path / "worksheet.csv"
    path.write_bytes("Identifiant;Nom complet;Note;Note maximale;Dernière modification (note)\n"
                     "Participant1001;Anaïs Lebœuf;;20,00;-\n".encode("cp1252"))
    worksheet = read_worksheet(path)
    assert worksheet.rows[0][1] == "Anaïs Lebœuf" and worksheet.columns["grade"] == 2


@pytest.mark.parametrize("content, message", [
    ("Identifier,Grade,Last modified (grade)\nParticipant 1,12\n".encode(), "line 2 has not as many columns"),
    ("Identifier,Grade,Scale,Last modified (grade)\nParticipant 1,,Good,-\n".encode(), "graded on a scale"),
    ("Identifier,Grade,Last modified (grade)\n".encode("utf-16"), "CSV file in UTF-8"),
    (b"", "empty"),
    (b"Name,Mark\nAna,12\n", "lack Moodle's columns"),
])
def test_a_file_moodle_would_refuse_is_refused_first_naming_it(tmp_path, content, message):
    path = tmp_path / "Grades-TP1.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as refused:
        read_worksheet(path)
    assert "Grades-TP1.csv" in str(refused.value)
