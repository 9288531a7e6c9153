"""Scoring an extraction against goldens: matching, precision/recall, fields and wrong budgets."""

from __future__ import annotations

import json

from pipeline.review.score import read_goldens, render_details, render_scores, score_extraction


def write_golden(folder, stem, doc, programs):
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    (folder / "programs").mkdir(parents=True, exist_ok=True)
    (folder / "documents" / f"{stem}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (folder / "programs" / f"{stem}.jsonl").write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in programs), encoding="utf-8")


def program(name, page, budget_yen, **more):
    return {"source": "book.pdf", "name": name, "page": page, "budget_yen": budget_yen, "fiscal_year": 2026,
            "flags": [], "subsidy_rates": [], "section": "民生費", "subsection": None, **more}


def test_matching_counts_fields_and_wrong_budgets(tmp_path):
    write_golden(tmp_path, "book", {"source": "book.pdf", "kind": "budget_book", "status": "ok", "fiscal_year": 2026,
                                    "held_out": False}, [
        {"page": 1, "name": "障害者自立支援給付事業費", "budget_yen": 1670858000, "flags": ["新規"]},
        {"page": 1, "name": "民生委員等活動", "budget_yen": 111543000},
        {"page": 3, "name": "老人福祉一般管理費", "budget_yen": None, "subsidy_rates": ["1/2"]},
    ])
    tables = {
        "documents": [{"source": "book.pdf", "status": "ok"}],
        "programs": [
            program("障害者自立支援給付事業費", 1, 1670858000, flags=["新規"]),
            program("民生委員等活動（保健福祉政策部）", 2, 86427000),  # containment; a funding figure taken
            program("社会福祉総務費", 1, 65049000),  # an account line taken for a program
        ],
    }
    [score] = score_extraction(read_goldens(tmp_path), tables)
    assert (score.expected, score.found, score.matched) == (3, 3, 2)
    assert round(score.precision, 3) == 0.667 and round(score.recall, 3) == 0.667
    assert score.field_hits["budget_yen"] == (1, 2)
    assert score.field_hits["flags"] == (1, 1)
    assert score.field_hits["fiscal_year"] == (2, 2)
    assert "subsidy_rates" not in score.field_hits  # the only line with rates was not matched
    assert len(score.wrong_budgets) == 2
    assert any("86,427,000" in w for w in score.wrong_budgets)
    assert any("no such program" in w and "社会福祉総務費" in w for w in score.wrong_budgets)
    assert score.missed == ("p.3 老人福祉一般管理費",)
    table = render_scores((score,))
    assert "| book.pdf | budget_book | ok | 3 | 3 | 2 | 0.67 | 0.67 | 0.67 | 0.50 (1/2) |" in table


def test_a_program_on_a_far_page_or_with_another_name_is_not_matched(tmp_path):
    write_golden(tmp_path, "deck", {"source": "deck.pdf", "kind": "slide_deck", "status": "ok", "fiscal_year": None,
                                    "held_out": True}, [{"page": 1, "name": "在宅療養研修事業", "budget_yen": None}])
    tables = {"documents": [{"source": "deck.pdf", "status": "no_text_layer"}],
              "programs": [program("在宅療養研修事業", 4, None, source="deck.pdf"),
                           program("看取り支援事業", 1, None, source="deck.pdf")]}
    [score] = score_extraction(read_goldens(tmp_path), tables)
    assert score.matched == 0 and score.f1 == 0.0
    assert score.wrong_budgets == ()
    assert "no_text_layer ≠ ok" in render_scores((score,))
    assert "Held out" in render_scores((score,))
    assert render_details((score,)) == ""  # held-out details stay hidden unless asked for
    assert "看取り支援事業" in render_details((score,), held_out=True)


def test_a_document_with_no_programs_scores_one_when_none_are_found(tmp_path):
    write_golden(tmp_path, "slides", {"source": "slides.pdf", "kind": "slide_deck", "status": "ok",
                                      "fiscal_year": None, "held_out": False}, [])
    [score] = score_extraction(read_goldens(tmp_path), {"documents": [{"source": "slides.pdf", "status": "ok"}],
                                                        "programs": []})
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    [score] = score_extraction(read_goldens(tmp_path), {
        "documents": [{"source": "slides.pdf", "status": "ok"}],
        "programs": [program("[Collins 1999]", 2, None, source="slides.pdf")]})
    assert (score.precision, score.recall, score.f1) == (0.0, 1.0, 0.0)
