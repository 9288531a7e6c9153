"""Budget history: one budget per program and fiscal year, with the reason for the choice."""

from __future__ import annotations

import random

import pyarrow as pa
from conftest import ROOT, extract_raw_rows, raw_files

from pipeline.output.history import HistoryBuilder, make_history_rows
from pipeline.output.schema import build_arrow_schema, load_table_schema
from pipeline.output.tables import encode_parquet, read_arrow_table


def seed_rows():
    rows = [extract_raw_rows(p.name) for p in raw_files()]
    documents = [r for doc in rows for r in doc["documents"]]
    programs = [r for doc in rows for r in doc["programs"]]
    return documents, programs


def history_of(name_key, rows):
    return [r for r in rows if r["name_key"] == name_key]


def test_seed_history_of_municipal_program():
    rows = make_history_rows(*seed_rows())
    hist = history_of("区市町村在宅療養推進事業", rows)
    assert [(r["fiscal_year"], r["budget_thousand_yen"]) for r in hist] == [
        (2017, 620000), (2022, 236194), (2025, 252777), (2026, 557263),
    ]
    fy2025 = hist[2]
    assert fy2025["source"] == "r07_zaitaku-ryoyo-torikumi_onepager.txt"
    assert fy2025["budget_basis"] == "予算額"
    assert fy2025["choice_rule"] == "enacted_beats_proposed"
    assert fy2025["n_candidates"] == 2
    [other] = fy2025["other_candidates"]
    assert other["source"] == "r06-2_zaitaku-kaigo-iryo-kyodo-bukai_packet.txt"
    assert other["budget_basis"] == "予算額（案）"
    assert other["budget_thousand_yen"] == 252777
    assert other["publication_year"] == 2024 and fy2025["publication_year"] == 2025
    assert fy2025["previous_fiscal_year"] == 2022
    assert fy2025["previous_budget_thousand_yen"] == 236194
    assert fy2025["change_thousand_yen"] == 252777 - 236194
    assert hist[3]["change_thousand_yen"] == 557263 - 252777
    assert hist[0]["previous_fiscal_year"] is None and hist[0]["change_thousand_yen"] is None
    assert hist[0]["choice_rule"] == "only_source"


def test_only_programs_with_a_budget_and_no_repeats():
    documents, programs = seed_rows()
    rows = make_history_rows(documents, programs)
    keys = [(r["name_key"], r["fiscal_year"]) for r in rows]
    assert len(keys) == len(set(keys))
    budgeted = {(p["name_key"], p["fiscal_year"]) for p in programs if p["budget_yen"] is not None}
    assert set(keys) == budgeted
    # 小児等在宅医療推進事業 is only ever printed without a budget (新規, then 再掲)
    assert history_of("小児等在宅医療推進事業", rows) == []
    taken = {r["program_id"] for r in rows}
    flagged = {p["program_id"] for p in programs if {"再掲", "一部再掲"} & set(p["flags"])}
    assert not taken & flagged


def program(source, line, key, budget, basis, fy=2025, flags=()):
    return {
        "doc_id": source[:4], "source": source, "program_id": f"{source}-{line}", "ordinal": line,
        "line_start": line, "name": key, "name_key": key, "budget_thousand_yen": budget,
        "budget_yen": None if budget is None else budget * 1000,
        "budget_text": None if budget is None else f"【{budget:,}千円】", "budget_qualifier": None,
        "fiscal_year": fy, "budget_basis": basis, "flags": list(flags),
    }


def test_rules_on_constructed_rows():
    documents = [
        {"source": "a.txt", "title": "令和6年度第2回 部会", "fiscal_year": 2025},
        {"source": "b.txt", "title": "令和7年度 在宅療養推進に向けた都の取組", "fiscal_year": 2025},
        {"source": "c.txt", "title": None, "fiscal_year": 2026},
    ]
    programs = [
        # later publication wins when both are proposals
        program("a.txt", 1, "X事業", 100, "予算額（案）"),
        program("b.txt", 1, "X事業", 120, "予算案"),
        # a flagged repeat with a budget never counts; the unflagged row does
        program("b.txt", 5, "Y事業", 999, "予算額", flags=["再掲"]),
        program("a.txt", 5, "Y事業", 50, "予算額（案）"),
        # within one document the row with a budget is taken, the first of two budgeted rows wins
        program("c.txt", 1, "Z事業", None, "予算額（案）", fy=2026),
        program("c.txt", 2, "Z事業", 70, "予算額（案）", fy=2026),
        program("c.txt", 3, "Z事業", 80, "予算額（案）", fy=2026),
    ]
    rows = {(r["name_key"], r["fiscal_year"]): r for r in make_history_rows(documents, programs)}
    assert rows[("X事業", 2025)]["budget_thousand_yen"] == 120
    assert rows[("X事業", 2025)]["choice_rule"] == "later_publication"
    assert rows[("Y事業", 2025)]["budget_thousand_yen"] == 50
    assert rows[("Y事業", 2025)]["n_candidates"] == 1
    z = rows[("Z事業", 2026)]
    assert (z["budget_thousand_yen"], z["line_start"]) == (70, 2)
    assert [o["budget_thousand_yen"] for o in z["other_candidates"]] == [80]
    assert set(rows) == {("X事業", 2025), ("Y事業", 2025), ("Z事業", 2026)}


def test_history_rows_fit_the_schema_and_are_stable():
    rows = make_history_rows(*seed_rows())
    data = encode_parquet("budget_history", rows)
    assert data == encode_parquet("budget_history", make_history_rows(*seed_rows()))
    table = read_arrow_table(data)
    assert table.schema.equals(build_arrow_schema("budget_history"))
    for field in load_table_schema("budget_history")["fields"]:
        assert " / " in field["description"], field["name"]


def test_committed_history_is_current():
    committed = read_arrow_table(ROOT / "extracted" / "budget_history.parquet")
    assert committed.to_pylist() == make_history_rows(*seed_rows())


def test_a_tie_is_settled_by_file_name_and_says_so():
    """Two documents of the same basis and publication year: the file name sorting first is taken,
    and the row says that this, not the content, decided."""
    documents = [
        {"source": "b_packet.txt", "title": "令和7年度 部会", "fiscal_year": 2025},
        {"source": "a_onepager.txt", "title": "令和7年度 取組", "fiscal_year": 2025},
    ]
    programs = [program("b_packet.txt", 1, "X事業", 100, "予算額"), program("a_onepager.txt", 1, "X事業", 120, "予算額")]
    [row] = make_history_rows(documents, programs)
    assert (row["source"], row["budget_thousand_yen"], row["choice_rule"]) == ("a_onepager.txt", 120, "first_source")
    note = row["choice_note"]
    assert "a_onepager.txt" in note and "b_packet.txt" in note
    assert "file name" in note and "sorts first" in note and "tie" in note
    schema = load_table_schema("budget_history")
    [rule] = [f for f in schema["fields"] if f["name"] == "choice_rule"]
    assert "first_source" in rule["description"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "the one whose file name (`source`) sorts first is taken" in readme


def make_corpus(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Documents of a few governments and departments, their programs of few names and descriptions over
    a few years, budgets missing, repeated or basis unstated: every choice and link rule comes up."""
    documents, programs = [], []
    for d in range(rng.randint(1, 25)):
        source = f"d{d:02d}.txt"
        fiscal_year = rng.choice([2020, 2021, 2022, 2023])
        documents.append({"source": source, "title": rng.choice([None, f"令和{rng.randint(2, 6)}年度 予算"]),
                          "fiscal_year": fiscal_year, "department": rng.choice([None, "福祉局", "財政課"])})
        code = rng.choice([None, "130001", "132136"])
        for ordinal in range(rng.randint(0, 8)):
            programs.append({"doc_id": f"id-{source}", "source": source, "government_code": code,
                             "program_id": f"{source}-{ordinal}", "ordinal": ordinal, "name": "事業",
                             "name_key": rng.choice("abcdef"), "budget_thousand_yen": rng.choice([None, rng.randint(1, 9000)]),
                             "budget_yen": rng.choice([None, 0, rng.randint(1, 9) * 1000]), "budget_text": "t",
                             "budget_qualifier": None, "fiscal_year": rng.choice([None, fiscal_year, fiscal_year - 1]),
                             "budget_basis": rng.choice([None, "予算額", "予算案", "予算規模"]),
                             "flags": rng.choice([[], ["再掲"], ["新規"]]), "line_start": rng.randint(1, 50),
                             "description": rng.choice([None, "", "同じ 説明", "同じ説明", "他の説明"])})
    return documents, programs


def test_the_streaming_builder_gives_the_rows_of_the_whole_history(tmp_path, monkeypatch):
    """A run builds the history a document at a time, spilling its candidates and a government's rows to
    files (``HistoryBuilder``): the rows are those ``make_history_rows`` makes of all the rows at once,
    links across governments, departments and renames included, and no file is left behind."""
    monkeypatch.setattr(HistoryBuilder, "SPILL_EVERY", 8)
    monkeypatch.setattr(HistoryBuilder, "MAX_RUNS", 3)
    rules = set()
    for seed in range(150):
        documents, programs = make_corpus(random.Random(seed))
        expected = make_history_rows(documents, programs)
        rules.update(row["link_rule"] for row in expected)
        for spill in (None, tmp_path / "budget_history.parquet"):
            builder = HistoryBuilder(spill)
            for document in documents:
                builder.add(document, [row for row in programs if row["source"] == document["source"]])
            assert list(builder.iter_rows()) == expected, seed
            assert list(tmp_path.iterdir()) == []
    assert rules == {None, "same_name", "same_name_department_unstated", "renamed_same_description"}


def test_history_row_groups_are_bounded_by_rows_and_candidates(tmp_path, monkeypatch):
    """A budget history row lists every other document printing its budget: its row groups hold at most
    ``GROUP_WEIGHT`` rows and candidates together, whether encoded whole or streamed in batches of any
    size, with the same bytes and the same rows."""
    import pyarrow.parquet as pq

    from pipeline.output import tables

    documents, programs = make_corpus(random.Random(7))
    rows = make_history_rows(documents, programs)
    monkeypatch.setattr(tables, "GROUP_WEIGHT", 5)
    data = encode_parquet("budget_history", rows)
    assert read_arrow_table(data).to_pylist() == rows
    metadata = pq.ParquetFile(pa.BufferReader(data)).metadata
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sum(sizes) == len(rows) and len(sizes) > 1
    start = 0
    for size in sizes:
        group = rows[start:start + size]
        assert sum(row["n_candidates"] for row in group[:-1]) < 5 and len(group) <= 5
        start += size
    for batch in (1, 3, len(rows)):
        writer = tables.TableWriter(tmp_path, "budget_history", convert_each=True)
        for i in range(0, len(rows), batch):
            writer.add_rows(rows[i:i + batch])
        assert writer.close().read_bytes() == data
