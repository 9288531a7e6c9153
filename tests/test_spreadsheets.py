"""Spreadsheets saved as CSV or TSV (``read.files.read_csv``): a record a line, its cells parted by tabs, read by
the rules that read a table copied from a sheet."""

from __future__ import annotations

import pytest

from pipeline.parse.document import extract_document
from pipeline.read.files import read_document
from pipeline.records import ReadFailure

# A list of programs saved from Excel: its title and unit note in the first cells, a quoted cell keeping the
# commas of its figure, a name and its flag wrapped inside one cell, a total row
PROGRAM_LIST = (
    "令和８年度 主要事業一覧,,,\r\n"
    "（単位：千円）,,,\r\n"
    "事業名,令和８年度予算額,令和７年度予算額,主な内容\r\n"
    '子ども食堂支援事業,"12,345","10,000",子ども食堂の運営費を補助する。\r\n'
    '"放課後児童健全育成事業\r\n（拡充）","234,567","200,000",クラブを増やす\r\n'
    ',,,\r\n'
    '合計,"246,912","210,000",\r\n'
)


def read_saved(tmp_path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    return read_document(tmp_path / name, tmp_path)


def test_a_csv_record_is_a_line_of_cells_parted_by_tabs(tmp_path):
    doc = read_saved(tmp_path, "list.csv", PROGRAM_LIST.encode("utf-8-sig"))
    assert doc.format == "csv"
    assert [(line.number, line.text) for line in doc.lines] == [
        (1, "令和８年度 主要事業一覧\t\t\t"),
        (2, "（単位：千円）\t\t\t"),
        (3, "事業名\t令和８年度予算額\t令和７年度予算額\t主な内容"),
        (4, "子ども食堂支援事業\t12,345\t10,000\t子ども食堂の運営費を補助する。"),
        (5, "放課後児童健全育成事業 （拡充）\t234,567\t200,000\tクラブを増やす"),
        (7, ""),
        (8, "合計\t246,912\t210,000\t"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_a_program_list_saved_as_csv_gives_its_programs(tmp_path, encoding):
    doc = extract_document(read_saved(tmp_path, "list.csv", PROGRAM_LIST.encode(encoding)))
    got = [(p.name, p.budget.yen if p.budget else None, p.prior.yen if p.prior else None, p.flags, p.span.line_start)
           for p in doc.programs]
    assert got == [
        ("子ども食堂支援事業", 12_345_000, 10_000_000, (), 4),
        ("放課後児童健全育成事業", 234_567_000, 200_000_000, ("拡充",), 5),
    ]
    assert doc.fiscal_year == 2026


def test_a_tsv_is_read_as_a_csv_of_tabs(tmp_path):
    data = "（単位：千円）\n事業名\t予算額\n母子保健事業\t\"45,678\"\n".encode()
    doc = extract_document(read_saved(tmp_path, "list.tsv", data))
    assert [(p.name, p.budget.yen if p.budget else None) for p in doc.programs] == [("母子保健事業", 45_678_000)]


def test_a_csv_whose_quote_is_never_closed_is_a_failure_of_its_own(tmp_path):
    # the quote before 子ども食堂支援事業 is never closed: every record after it would be one cell
    data = '事業名,予算額\n"子ども食堂支援事業,"12,345"\n母子保健事業,"45,678"\n'.encode()
    failure = read_saved(tmp_path, "broken.csv", data)
    assert isinstance(failure, ReadFailure)
    assert (failure.status, failure.format) == ("not_text", "csv")
    assert "never closed" in failure.error


def test_a_csv_that_is_an_html_page_is_not_text(tmp_path):
    failure = read_saved(tmp_path, "list.csv", b"<!DOCTYPE html><html><head><title>404</title></head></html>")
    assert isinstance(failure, ReadFailure) and failure.status == "not_text"
