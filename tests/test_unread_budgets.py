"""A budget printed but not read is said so (issue 12): a bracket that reads as a budget but whose
amount is not whole yen, grouped wrongly or too long to read, a budget label too long to read, an
amount in a table that states no unit. The program keeps a null budget (never a guessed one) and its
document a warning naming the line, the program and what was printed. A document that exhausts
memory is ``too_large``, never ``parse_error``.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import RAW

from pipeline.parse.document import extract_document
from pipeline.read.files import read_text
from pipeline.records import Limits
from pipeline.run.workers import extract_file
from pipeline.text.forms import to_parse_form

HUGE = "9" * 5000


def extract(text: str):
    return extract_document(read_text("case.txt", "text", text.encode("utf-8")))


def warnings_about(result, what: str) -> list[str]:
    return [w for w in result.warnings if what in w]


@pytest.mark.parametrize("printed, reason", [
    ("【0.0005千円】", "not a whole number of yen"),
    ("【1,2345千円】", "figures grouped wrongly"),
    ("【12,34万円】", "figures grouped wrongly"),
    (f"【{HUGE}千円】", "more than 4,300 characters of figures"),
    ("［0.5 円］", "not a whole number of yen"),
])
def test_a_bracket_that_reads_as_a_budget_but_cannot_be_read_is_warned(printed, reason):
    result = extract(f"令和7年度 予算\n\n■在宅療養研修事業{printed}\n研修を実施する。\n")
    assert result.status == "ok"
    [program] = result.programs
    assert program.budget is None
    [warning] = warnings_about(result, "cannot be read")
    assert warning.startswith("line 3 (在宅療養研修事業): ") and reason in warning, warning
    assert to_parse_form(printed)[:20] in warning  # as read: "［0.5 円］" is "[0.5 円]"


def test_a_budget_on_the_line_under_the_heading_is_warned_with_its_line():
    result = extract("令和7年度 予算\n\n■在宅療養研修事業\n【0.0005千円】\n\n研修を実施する。\n")
    assert result.programs[0].budget is None
    [warning] = warnings_about(result, "cannot be read")
    assert warning.startswith("line 4 (在宅療養研修事業): 【0.0005千円】")


def test_a_budget_label_too_long_to_read_is_warned():
    text = f"令和7年度 予算\n\n【新規】 令和7年度 介護現場におけるカスタマーハラスメント対策強化事業\n\n予算額：{HUGE}千円\n"
    result = extract(text)
    [program] = result.programs
    assert program.budget is None
    [warning] = warnings_about(result, "cannot be read")
    assert warning.startswith("line 5 (介護現場におけるカスタマーハラスメント対策強化事業): 予算額") and "4,300" in warning


def test_amounts_of_a_table_that_states_no_unit_are_warned_once():
    text = "令和７年度 主な事業\n\n事業名\t予算額\t内容\n公園維持管理事業\t25,000\t遊具の更新\n道路補修事業\t12,000\t舗装\n"
    result = extract(text)
    assert [p.budget for p in result.programs] == [None, None]
    [warning] = warnings_about(result, "no unit")
    assert warning.startswith("line 3: ") and "25,000" in warning


@pytest.mark.parametrize("printed", ["【1,000千円】", "【⑤3億円】", "【 】：令和7年度 予算額", "【補助率】 1/2", "【新規】"])
def test_budgets_read_and_brackets_that_are_no_budget_are_not_warned(printed):
    result = extract(f"令和7年度 予算\n\n■在宅療養研修事業{printed}\n研修を実施する。\n")
    assert not warnings_about(result, "cannot be read") and not warnings_about(result, "no unit")


@pytest.mark.source_only
@pytest.mark.parametrize("target", ["pipeline.parse.document.build_lines", "pipeline.parse.document.segment_document",
                                    "pipeline.parse.document.parse_programs"])
def test_a_document_that_exhausts_memory_while_parsed_is_too_large(tmp_path, monkeypatch, target):
    def raise_memory_error(*args, **kwargs):
        raise MemoryError

    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", tmp_path / "r04.txt")
    monkeypatch.setattr(target, raise_memory_error)
    rows, cacheable = extract_file(tmp_path / "r04.txt", tmp_path, "d", Limits())
    doc = rows["documents"][0]
    assert (doc["status"], cacheable) == ("too_large", False), doc["error"]
    assert "--max-memory" in doc["error"]


def test_a_second_figure_in_brackets_after_a_listed_budget_is_warned_and_not_taken():
    """「○介護職員処遇改善支援事業 123億円（120億円）」: the budget is the first figure; the one in brackets
    (last year's, or a part: no label says) is neither the budget nor a prior amount, and is warned."""
    result = extract("令和8年度 予算案の概要\n\n○介護職員処遇改善支援事業　123億円（120億円）\n")
    [program] = result.programs
    assert (program.name, program.budget.yen, program.prior) == ("介護職員処遇改善支援事業", 12_300_000_000, None)
    [warning] = warnings_about(result, "(120億円)")
    assert "line 3" in warning and "not read" in warning
