"""Rows: ``DocumentResult`` records to plain dicts, one per table row, in source order.

Input: one document's ``DocumentResult``. Output: ``{"documents": [...], "programs": [...],
"program_items": [...]}`` with exactly the columns of ``schemas/<table>.yaml``, and their
JSON Lines form (keys sorted, one record a line) for golden files.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from ..records import DocumentResult, Item, Program, Rate, Span


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


def make_rows(result: DocumentResult) -> dict[str, list[dict[str, Any]]]:
    """Return one document's rows per table, in source order."""
    return {
        "documents": [make_document_row(result)],
        "programs": [make_program_row(p) for p in result.programs],
        "program_items": [make_item_row(p, it) for p in result.programs for it in p.items],
    }


def to_jsonl(rows: list[dict[str, Any]]) -> str:
    """Return rows as JSON Lines: keys sorted, Japanese kept as is, one record a line."""
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)

