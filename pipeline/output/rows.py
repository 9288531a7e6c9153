"""Rows: ``DocumentResult`` records to plain dicts, one per table row, in source order.

Input: one document's ``DocumentResult``. Output: ``{"documents": [...], "programs": [...],
"program_items": [...]}`` with exactly the columns of ``schemas/<table>.yaml``, and their
JSON Lines form (keys sorted, one record a line) for golden files.

The tables hold 64-bit integers. A figure beyond them (``【99999999999999999999999千円】``,
a rate or page reference of as many digits, or a budget in yen past 9.2 × 10^18) makes
its cell null, or is left out of a list cell (``page_refs``, ``subsidy_rates``,
``total_checks``), with a warning on the document naming the line and the column: one bad
figure costs that value, never the tables or the cache.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Iterable

from ..records import DocumentResult, Item, Program, Rate, Span
from .metadata import make_metadata_columns
from .schema import column_names, integer_columns


def rate_dicts(rates: Iterable[Rate]) -> list[dict]:
    return [{"numerator": r.numerator, "denominator": r.denominator, "condition": r.condition} for r in rates]


def span_columns(span: Span) -> dict[str, Any]:
    return {
        "line_start": span.line_start,
        "line_end": span.line_end,
        "page": span.page,
        "bbox": [round(v, 2) for v in span.bbox] if span.bbox else None,
    }


def make_document_row(result: DocumentResult) -> dict[str, Any]:
    return {
        "doc_id": result.doc_id,
        "source": result.source,
        "format": result.format,
        "size_bytes": result.size,
        "encoding": result.encoding,
        "title": result.title,
        "fiscal_year": result.fiscal_year,
        "fiscal_year_source": result.fiscal_year_source,
        "budget_basis": result.budget_basis,
        "reading_order": result.reading_order,
        "status": result.status,
        "error": result.error,
        "n_lines": result.n_lines,
        "n_programs": len(result.programs),
        "n_items": sum(len(p.items) for p in result.programs),
        "warnings": list(result.warnings),
        "total_checks": [
            {
                "stated_thousand_yen": t.stated_thousand_yen,
                "computed_thousand_yen": t.computed_thousand_yen,
                "n_programs": t.n_programs,
                "matches": t.matches,
                "line": t.line,
                "text": t.text,
            }
            for t in result.totals
        ],
        **make_metadata_columns(result),
    }


def make_program_row(p: Program) -> dict[str, Any]:
    b = p.budget
    return {
        "doc_id": p.doc_id,
        "source": p.source,
        "program_id": p.program_id,
        "ordinal": p.ordinal,
        "name": p.name,
        "name_raw": p.name_raw,
        "name_key": p.name_key,
        "section": p.section,
        "subsection": p.subsection,
        "section_path": list(p.section_path),
        "budget_thousand_yen": b.thousand_yen if b else None,
        "budget_yen": b.yen if b else None,
        "budget_text": b.text if b else None,
        "budget_qualifier": b.qualifier if b else None,
        "prior_yen": p.prior.yen if p.prior else None,
        "prior_fiscal_year": p.prior_fiscal_year,
        "change_yen": p.change.yen if p.change else None,
        "fiscal_year": p.fiscal_year,
        "budget_basis": p.budget_basis,
        "flags": list(p.flags),
        "subsidy_rates": rate_dicts(p.subsidy_rates),
        "subsidy_rate_text": p.subsidy_rate_text,
        "funding_scheme": p.funding_scheme,
        "page_refs": list(p.page_refs),
        "note_refs": list(p.note_refs),
        "remarks": list(p.remarks),
        "numbering": p.numbering,
        "listed_only": p.listed_only,
        "qualified_by": p.qualified_by,
        "section_line": p.section_line,
        "subsection_line": p.subsection_line,
        "rates_line_start": p.rates_span.line_start if p.rates_span else None,
        "rates_line_end": p.rates_span.line_end if p.rates_span else None,
        "description": p.description,
        "n_items": len(p.items),
        **span_columns(p.span),
    }


def make_item_row(p: Program, it: Item) -> dict[str, Any]:
    return {
        "doc_id": p.doc_id,
        "source": p.source,
        "program_id": it.program_id,
        "ordinal": it.ordinal,
        "kind": it.kind,
        "text": it.text,
        "text_raw": it.text_raw,
        "flags": list(it.flags),
        "subsidy_rates": rate_dicts(it.subsidy_rates),
        "subsidy_rate_text": it.subsidy_rate_text,
        "detail": it.detail,
        "parent_ordinal": it.parent_ordinal,
        **span_columns(it.span),
    }


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def fits_int64(value: Any) -> bool:
    """Tell whether ``value`` (a cell, a list or a struct) holds no integer beyond 64 bits."""
    kind = type(value)
    if kind is str or value is None or kind is bool or kind is float:  # the cells most rows hold, first
        return True
    if kind is int or isinstance(value, int) and not isinstance(value, bool):
        return INT64_MIN <= value <= INT64_MAX
    if isinstance(value, list):
        return all(fits_int64(v) for v in value)
    if isinstance(value, dict):
        return all(fits_int64(v) for v in value.values())
    return True


def describe_figure(value: Any) -> str:
    """A figure for a warning: a long one shortened to its first digits and its length."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        return text if len(text) <= 24 else f"{text[:12]}… ({len(text)} digits)"
    return "a value"


@functools.lru_cache(maxsize=None)
def find_integer_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` that hold integers, in cells, lists or structs (``schema.integer_columns``):
    the only ones a figure beyond 64 bits can stand in."""
    names = column_names(table)
    return tuple(names[position] for position, _ in integer_columns(table))


def fit_row(row: dict[str, Any], table: str) -> list[str]:
    """Null the cells of ``row`` (of ``table``) beyond int64 and leave such elements out of its list cells;
    return what was done, for warnings."""
    done = []
    for column in find_integer_columns(table):
        value = row[column]
        if value is None or (type(value) is int and INT64_MIN <= value <= INT64_MAX) or fits_int64(value):
            continue
        if isinstance(value, list):
            row[column] = [v for v in value if fits_int64(v)]
            n = len(value) - len(row[column])
            done.append(f"{n} {column} value{'s' if n != 1 else ''} beyond the 64-bit integers the tables hold: "
                        "left out")
        else:
            row[column] = None
            done.append(f"{column} {describe_figure(value)} is beyond the 64-bit integers the tables hold: left null")
    return done


def fit_integers(rows: dict[str, list[dict[str, Any]]]) -> None:
    """Make every row fit the tables' 64-bit integers; warn on the document row (see the module notes)."""
    warnings: list[str] = []
    for row in rows["programs"]:
        if done := fit_row(row, "programs"):
            warnings += [f"line {row['line_start']} ({row['name'][:40]}): {what}" for what in done]
    for row in rows["program_items"]:
        if done := fit_row(row, "program_items"):
            warnings += [f"line {row['line_start']} (item {row['ordinal']}): {what}" for what in done]
    doc = rows["documents"][0]
    for check in doc["total_checks"]:
        if not fits_int64(check):
            warnings.append(f"line {check['line']}: a total_checks figure beyond the 64-bit integers the tables "
                            "hold: the check is left out")
    doc["total_checks"] = [check for check in doc["total_checks"] if fits_int64(check)]
    warnings += [f"document: {what}" for what in fit_row(doc, "documents")]
    doc["warnings"] = list(doc["warnings"]) + warnings


def make_rows(result: DocumentResult) -> dict[str, list[dict[str, Any]]]:
    """Return one document's rows per table, in source order, every integer within 64 bits."""
    doc = make_document_row(result)
    code = {"government_code": doc["government_code"]}  # every row stands alone in a query across governments
    rows = {
        "documents": [doc],
        "programs": [make_program_row(p) | code for p in result.programs],
        "program_items": [make_item_row(p, it) | code for p in result.programs for it in p.items],
    }
    fit_integers(rows)
    return rows


def to_jsonl(rows: list[dict[str, Any]]) -> str:
    """Return rows as JSON Lines: keys sorted, Japanese kept as is, one record a line."""
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)

