"""Run the stages for one document: read → lines → ledger and segment → programs, metadata.

A PDF's pages read by OCR are left out of the lines; their 事業 rows come from the reader
(``SourceDocument.scanned``), each budget one the page's sums confirmed.

Input: a ``SourceDocument`` or ``ReadFailure`` from the reader.
Output: one ``DocumentResult`` (never raises for bad input: the error is recorded).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from ..records import Context, DocumentResult, Program, ReadFailure, SourceDocument
from ..text.vocab import BOOK_BASIS, BUDGET_WORD, SETTLEMENT_TITLE_WORDS, THOUSAND_YEN, join_alternatives
from .ledger import merge_ledger, read_ledger, read_scanned
from .lines import build_lines
from .metadata import read_metadata
from .programs import (
    LEDGER_ROW,
    add_listed_programs,
    attach_listed_pages,
    attach_page_rates,
    attach_section_priors,
    check_totals,
    find_grant_program,
    parse_programs,
    warn_unread_budgets,
)
from .segment import segment_document

# A title naming the settlement of a year's accounts: "令和5年度決算の概要", "主要施策の成果説明書"
SETTLEMENT_TITLE: Final = re.compile(join_alternatives(SETTLEMENT_TITLE_WORDS))


def give_book_basis(programs: tuple[Program, ...], kind: str | None) -> tuple[Program, ...]:
    """Return the programs with the basis of a budget book's 事業 rows, where the book's kind says it
    (an initial book's 当初予算額, a supplement's 補正額: ``BOOK_BASIS``) and no label gave one."""
    basis = BOOK_BASIS.get(kind or "")
    if basis is None:
        return programs
    return tuple(replace(p, budget_basis=basis) if p.qualified_by == LEDGER_ROW and p.budget_basis is None else p
                 for p in programs)


def withhold_settled_sums(programs: tuple[Program, ...], title: str | None) -> tuple[tuple[Program, ...], list[str]]:
    """Return the programs of a document whose title names the settlement of a year's accounts and no budget
    (「令和5年度決算の概要」, 「主要施策の成果説明書」) without their amounts: what they print are sums spent, no budgets
    (a warning says so); any other document's as they are."""
    if not programs or title is None or not SETTLEMENT_TITLE.search(title) or BUDGET_WORD in title:
        return programs, []
    if not any(p.budget or p.prior or p.change for p in programs):
        return programs, []
    cleared = tuple(replace(p, budget=None, prior=None, prior_fiscal_year=None, change=None, budget_basis=None)
                    for p in programs)
    return cleared, [f"the title names a settlement of accounts ({title[:40]}): its programs' figures are sums spent, "
                     "no budgets, and are not taken"]


def extract_document(doc: SourceDocument | ReadFailure) -> DocumentResult:
    """Extract one document's programs, or describe why it could not be extracted."""
    if isinstance(doc, ReadFailure):
        return DocumentResult(doc.source, doc.format, doc.doc_id, doc.size, doc.encoding, doc.status, doc.error)
    try:
        text = doc
        if doc.scanned_pages:  # what OCR read is never read by the text rules: its 事業 rows come as ``scanned``
            text = replace(doc, lines=tuple(line for line in doc.lines if line.page not in doc.scanned_pages))
        lines = build_lines(text)
        ledger = read_ledger(lines, Context())
        if ledger.taken:  # a budget book: its ledger rows and account lines are read by the ledger pass
            lines = tuple(line for line in lines if line.span.line_start not in ledger.taken)
        outline = merge_ledger(segment_document(lines, doc.format, doc.page_sizes), ledger)
        outline = merge_ledger(outline, read_scanned(doc.scanned))
        programs, by_block = parse_programs(doc.doc_id, doc.source, outline)
        totals = check_totals(outline, by_block)
        unread = warn_unread_budgets(outline, by_block)
        programs, listed_warnings = add_listed_programs(doc.doc_id, outline, programs)
        programs = attach_page_rates(programs, outline)
        programs, page_warnings = attach_listed_pages(programs, outline, lines)
        programs = attach_section_priors(programs, lines)
        if not programs and (grant := find_grant_program(doc.doc_id, doc.source, lines, outline)) is not None:
            programs = (grant,)  # a guide to one grant: the grant, by its rates
        metadata, metadata_warnings = read_metadata(text.lines, outline.title_line, bool(ledger.blocks or doc.scanned))
        programs = give_book_basis(programs, metadata.budget_kind)
        programs, settled_warnings = withhold_settled_sums(programs, outline.title)
    except MemoryError:  # the memory limit, not a parser bug: the caller names it (too_large)
        raise
    except Exception as exc:  # noqa: BLE001 - a parser bug must cost one document, not the run
        return DocumentResult(
            doc.source, doc.format, doc.doc_id, doc.size, doc.encoding, "parse_error",
            f"{type(exc).__name__}: {exc}", n_lines=len(doc.lines), n_pages=doc.n_pages,
        )
    warnings = list(doc.warnings) + list(outline.warnings) + list(unread) + list(listed_warnings) + list(page_warnings)
    warnings += list(metadata_warnings) + settled_warnings
    for check in totals:
        if not check.matches:
            warnings.append(
                f"stated total {check.stated_thousand_yen:,}{THOUSAND_YEN} on line {check.line} differs from the "
                f"sum of {check.n_programs} budgets ({check.computed_thousand_yen:,}{THOUSAND_YEN})"
            )
    if not programs:
        warnings.append("no programs found")
    return DocumentResult(
        source=doc.source,
        format=doc.format,
        doc_id=doc.doc_id,
        size=doc.size,
        encoding=doc.encoding,
        status="ok",
        error=None,
        title=outline.title,
        fiscal_year=outline.context.fiscal_year,
        fiscal_year_source=outline.context.source,
        budget_basis=outline.context.budget_basis,
        reading_order=outline.reading_order,
        n_lines=len(doc.lines),
        programs=programs,
        totals=totals,
        warnings=tuple(warnings),
        metadata=metadata,
        n_pages=doc.n_pages,
    )
