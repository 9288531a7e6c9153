"""Parquet output: explicit schema, round trip, byte-identical reruns, loud drift."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest
from conftest import RAW, extract_raw, raw_files

from pipeline.output.files import replace_files, write_atomic
from pipeline.output.rows import make_rows
from pipeline.output.schema import (
    TABLES,
    SchemaDriftError,
    build_arrow_schema,
    load_table_schema,
)
from pipeline.output.tables import encode_parquet, read_arrow_table, write_tables


def all_rows():
    return [make_rows(extract_raw(p.name)) for p in raw_files()]


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_written_files_follow_the_umask(tmp_path, umask, mode):
    (tmp_path / "old.json").write_bytes(b"{}")
    os.chmod(tmp_path / "old.json", 0o600)
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "one.md", b"text\n")
        replace_files(tmp_path, {"two.parquet": b"PAR1", "old.json": b"[]"})
    finally:
        os.umask(old)
    for name in ("one.md", "two.parquet", "old.json"):
        assert oct(stat.S_IMODE((tmp_path / name).stat().st_mode)) == oct(mode), name


def test_round_trip(tmp_path):
    rows_by_doc = all_rows()
    write_tables(tmp_path, rows_by_doc)
    for table in TABLES:
        read = read_arrow_table(tmp_path / f"{table}.parquet")
        assert read.schema.equals(build_arrow_schema(table))
        expected = [row for doc in rows_by_doc for row in doc[table]]
        assert read.to_pylist() == [{k: row[k] for k in read.schema.names} for row in expected]


def test_budget_is_exact_int64_in_pandas(tmp_path):
    write_tables(tmp_path, all_rows())
    df = pd.read_parquet(tmp_path / "programs.parquet", dtype_backend="pyarrow")
    assert str(df["budget_thousand_yen"].dtype) == "int64[pyarrow]"
    row = df[(df.name_key == "区市町村在宅療養推進事業") & (df.fiscal_year == 2026)]
    assert row["budget_thousand_yen"].tolist() == [557263]
    assert row["budget_yen"].tolist() == [557263000]


def test_plain_pandas_reads_integers_as_nullable_int64(tmp_path):
    """Without ``dtype_backend``, a missing budget is <NA> in an Int64 column, not NaN in float64."""
    write_tables(tmp_path, all_rows())
    df = pd.read_parquet(tmp_path / "programs.parquet")
    for column in ("budget_thousand_yen", "budget_yen", "fiscal_year", "line_start", "page"):
        assert str(df[column].dtype) == "Int64", column
    assert df["budget_thousand_yen"].isna().any() and df["page"].isna().all()
    row = df[(df.name_key == "区市町村在宅療養推進事業") & (df.fiscal_year == 2026)]
    assert row["budget_thousand_yen"].tolist() == [557263]
    assert isinstance(df["flags"].iloc[0].tolist(), list)


def test_output_is_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_tables(a, all_rows())
    write_tables(b, all_rows())
    for table in TABLES:
        assert (a / f"{table}.parquet").read_bytes() == (b / f"{table}.parquet").read_bytes()


def test_extra_or_missing_column_fails_loudly():
    row = make_rows(extract_raw(raw_files()[0].name))["programs"][0]
    with pytest.raises(SchemaDriftError):
        encode_parquet("programs", [{**row, "unexpected": 1}])
    missing = dict(row)
    missing.pop("budget_thousand_yen")
    with pytest.raises(SchemaDriftError):
        encode_parquet("programs", [missing])


@pytest.mark.parametrize("table", TABLES)
def test_every_column_is_described_in_both_languages(table):
    for field in load_table_schema(table)["fields"]:
        description = field.get("description", "")
        assert " / " in description, field["name"]
        ja, en = description.split(" / ", 1)
        assert any("\u3040" <= ch <= "\u9fff" for ch in ja), field["name"]
        assert en.isascii() or any(c.isascii() and c.isalpha() for c in en), field["name"]


def test_a_table_of_wide_rows_is_written_in_smaller_row_groups(tmp_path, monkeypatch):
    """``tables.GROUP_ROWS``: the documents table's row groups hold fewer rows than the others', so the
    run holds fewer of its rows; streamed a document at a time or encoded whole, the same bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.output import tables
    from pipeline.parse.document import extract_document
    from pipeline.read.files import read_document

    assert tables.count_group_rows("documents") < tables.count_group_rows("programs") \
        < tables.count_group_rows("program_items") == tables.ROW_GROUP_ROWS
    monkeypatch.setitem(tables.GROUP_ROWS, "documents", 2)
    docs = [make_rows(extract_document(read_document(path, RAW)))["documents"][0] for path in raw_files()]
    data = tables.encode_parquet("documents", docs)
    metadata = pq.ParquetFile(pa.BufferReader(data)).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [2, 2, 1]
    writer = tables.TableWriter(tmp_path, "documents")
    for row in docs:
        writer.add_rows([row])
    assert writer.close().read_bytes() == data
    assert read_arrow_table(data).column("doc_id").to_pylist() == [row["doc_id"] for row in docs]
