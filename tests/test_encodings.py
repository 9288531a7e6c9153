"""Every seed re-encoded as government servers publish it gives the same programs."""

from __future__ import annotations

import pytest
from conftest import RAW, extract_raw, raw_files

from pipeline.output.rows import make_rows
from pipeline.parse.document import extract_document
from pipeline.read.files import decode_text, read_document

# Columns that name the file rather than what it says.
FILE_COLUMNS = {"doc_id", "program_id", "source", "encoding", "size_bytes"}


def encode_seed(text: str, variant: str) -> tuple[bytes, str]:
    """Return the seed's bytes in ``variant`` and the encoding name the reader must report.

    Skips the test when the seed holds a character the encoding does not have.
    """
    if variant == "utf-8-sig+crlf":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig"
    if variant == "utf-16":
        return text.encode("utf-16"), "utf-16"
    if variant == "cr":
        return text.replace("\n", "\r").encode("utf-8"), "utf-8"
    # EUC-JP proper lacks ① and ～ (U+FF5E); files written on Windows carry them in the
    # NEC row 13 that euc_jis_2004 decodes (as eucJP-ms and CP51932 do).
    candidates = {"cp932": ("cp932",), "euc-jp": ("euc_jp", "euc_jis_2004")}[variant]
    missing: dict[str, int] = {}
    for encoding in candidates:
        missing = {}
        for number, line in enumerate(text.split("\n"), start=1):
            for ch in line:
                try:
                    if ch.encode(encoding).decode(encoding) == ch:
                        continue
                except UnicodeEncodeError:
                    pass
                missing.setdefault(ch, number)
        if not missing:
            return text.encode(encoding), encoding
    listed = ", ".join(f"U+{ord(ch):04X} {ch} (line {n})" for ch, n in missing.items())
    which = f"neither {' nor '.join(candidates)} has" if len(candidates) > 1 else f"{candidates[0]} has no"
    pytest.skip(f"{which} {listed}: this seed cannot be written in {variant}")


def strip_file_columns(rows: dict) -> dict:
    return {table: [{k: v for k, v in row.items() if k not in FILE_COLUMNS} for row in table_rows]
            for table, table_rows in rows.items()}


@pytest.mark.parametrize("variant", ["cp932", "euc-jp", "utf-16", "utf-8-sig+crlf", "cr"])
@pytest.mark.parametrize("path", raw_files(), ids=lambda p: p.name)
def test_reencoded_seed_gives_the_same_records(path, variant, tmp_path):
    text = path.read_text(encoding="utf-8")
    data, encoding = encode_seed(text, variant)
    copy = tmp_path / path.name
    copy.write_bytes(data)
    doc = read_document(copy, tmp_path)
    assert doc.encoding == encoding, getattr(doc, "error", None)
    got = make_rows(extract_document(doc))
    want = make_rows(extract_raw(path.name))
    assert got["documents"][0]["encoding"] == encoding
    assert len(got["programs"]) == len(want["programs"]) > 0
    assert strip_file_columns(got) == strip_file_columns(want)


# Short texts fool statistical detectors; strict decoding in a fixed order does not.
SHORT = ["■在宅療養研修事業【1,000千円】", "予算", "在宅療養", "あ", "ＡＣＰ推進事業", "【補助率】 3 / 4", "令和７年度 予算額"]


@pytest.mark.parametrize("text", SHORT)
@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "iso2022_jp", "utf-8"])
def test_short_texts_decode_to_what_was_written(text, encoding):
    assert decode_text(text.encode(encoding)) == (text, encoding)


def test_strict_euc_jp_document(tmp_path):
    text = "【 】：令和７年度 予算額\n\n■在宅療養研修事業【10,681千円】\n\n○入退院時連携強化研修\n\n" \
           "■在宅医療参入促進事業 【9,771千円】<補助率：1/2>\n"
    (tmp_path / "utf8.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "euc.txt").write_bytes(text.encode("euc_jp"))
    euc = read_document(tmp_path / "euc.txt", tmp_path)
    assert euc.encoding == "euc_jp"
    got = strip_file_columns(make_rows(extract_document(euc)))
    want = strip_file_columns(make_rows(extract_document(read_document(tmp_path / "utf8.txt", tmp_path))))
    assert got == want
    assert [p["budget_thousand_yen"] for p in got["programs"]] == [10681, 9771]


def test_half_width_katakana_in_cp932_stays_cp932():
    text = "ｻﾞｲﾀｸ 在宅療養の推進について"
    assert decode_text(text.encode("cp932")) == (text, "cp932")


def test_utf32_and_bom_only_files(tmp_path):
    assert decode_text("■在宅療養\n".encode("utf-32")) == ("■在宅療養\n", "utf-32")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf\r\n")
    doc = read_document(tmp_path / "bom.txt", tmp_path)
    assert (doc.status, doc.encoding) == ("empty", "utf-8-sig")


def test_seeds_are_utf8():
    for path in raw_files():
        assert read_document(path, RAW).encoding == "utf-8"
