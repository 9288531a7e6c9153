"""Document metadata columns: what the text says, then what the manifest states over it.

Input: a ``DocumentResult``'s ``DocumentMetadata`` (read from the text by ``parse.metadata``),
and, for a folder with a ``sources.csv``, a document's rows with its ``ManifestEntry``.
Output: the ``documents`` metadata columns (``government_code`` … ``metadata_evidence``), and
rows with the manifest applied: a stated value replaces the text's (a disagreement is warned,
naming both lines), ``metadata_origin`` says for each field where its value came from, and
every program and item carries the document's ``government_code``. A stated fiscal year fills
the document's and its programs' where the text gives none (``fiscal_year_source`` "manifest"), and a
stated budget kind gives a budget book's 事業 rows their basis (``BOOK_BASIS``);
where the text reads another, the text's is kept and a warning names both.
"""

from __future__ import annotations

from typing import Any

from ..parse.programs import LEDGER_ROW
from ..records import DocumentResult, Manifest, ManifestEntry
from ..text.governments import find_government
from ..text.vocab import BOOK_BASIS

# The fields whose origin ``metadata_origin`` records, each with the columns it fills.
FIELDS = {
    "government": ("government_code", "government_name"),
    "department": ("department",),
    "document_kind": ("document_kind",),
    "budget_kind": ("budget_kind", "budget_number"),
    "meeting_name": ("meeting_name",),
    "meeting_date": ("meeting_date",),
    "material_number": ("material_number",),
    "source_url": ("source_url",),
    "retrieved": ("retrieved",),
}
# ``documents.fiscal_year_source`` of a year the manifest stated.
MANIFEST_ORIGIN = "manifest"
# Manifest columns to the field they state.
MANIFEST_FIELDS = {
    "government_code": "government", "department": "department", "document_kind": "document_kind",
    "budget_kind": "budget_kind", "budget_number": "budget_kind", "meeting_name": "meeting_name",
    "meeting_date": "meeting_date", "material_number": "material_number", "source_url": "source_url",
    "retrieved": "retrieved",
}


def make_metadata_columns(result: DocumentResult) -> dict[str, Any]:
    """Return the metadata columns of a document's row, from its text alone."""
    m = result.metadata
    origin: dict[str, str | None] = {field: None for field in FIELDS}
    for e in m.evidence:
        origin[e.field] = e.origin
    return {
        "government_code": m.government_code,
        "government_name": m.government_name,
        "department": m.department,
        "document_kind": m.document_kind,
        "budget_kind": m.budget_kind,
        "budget_number": m.budget_number,
        "meeting_name": m.meeting_name,
        "meeting_date": m.meeting_date,
        "material_number": m.material_number,
        "page_count": result.n_pages,
        "source_url": None,
        "retrieved": None,
        "metadata_origin": origin,
        "metadata_evidence": [{"field": e.field, "origin": e.origin, "line": e.line, "text": e.text} for e in m.evidence],
    }


def describe_value(doc: dict[str, Any], field: str) -> str:
    return " ".join(str(doc[c]) for c in FIELDS[field] if doc[c] is not None)


def state_values(doc: dict[str, Any], entry: ManifestEntry, manifest: str) -> dict[str, dict[str, Any]]:
    """Group the entry's values by field, with the government's name from the code list."""
    stated: dict[str, dict[str, Any]] = {}
    for column, value in entry.values:
        if column == "fiscal_year":
            continue  # not a metadata field: see ``state_fiscal_year``
        stated.setdefault(MANIFEST_FIELDS[column], {})[column] = value
    if "government" in stated:
        government = find_government(str(stated["government"]["government_code"]))
        stated["government"]["government_name"] = government.full_name if government else None
    if "budget_kind" in stated:
        stated["budget_kind"].setdefault("budget_number", None)
    return stated


def apply_manifest(rows: dict[str, list[dict[str, Any]]], manifest: Manifest | None) -> dict[str, list[dict[str, Any]]]:
    """Return a document's rows with its manifest entry applied (new dicts: cached rows stay as the text gave them).

    Without a manifest the rows come back as they are; a document the manifest has no row for
    gets a warning saying so.
    """
    if manifest is None:
        return rows
    doc = dict(rows["documents"][0])
    warnings = list(doc["warnings"])
    entry = next((e for e in manifest.entries if e.file == doc["source"]), None)
    if entry is None:
        warnings.append(f"{manifest.name}: no row for this file: no source URL or retrieval date")
    else:
        where = f"{manifest.name} line {entry.line}"
        origin = dict(doc["metadata_origin"])
        evidence = list(doc["metadata_evidence"])
        for field, values in state_values(doc, entry, manifest.name).items():
            text_value = describe_value(doc, field)
            stated = " ".join(str(v) for c, v in values.items() if v is not None)
            if origin.get(field) == "text" and text_value != stated:
                line = next((e["line"] for e in evidence if e["field"] == field), None)
                warnings.append(f"{field}: {where} states {stated}, the text reads {text_value} (line {line}): "
                                "the manifest's is kept")
            doc.update(values)
            origin[field] = MANIFEST_ORIGIN
            evidence = [e for e in evidence if e["field"] != field]
            evidence.append({"field": field, "origin": MANIFEST_ORIGIN, "line": entry.line, "text": stated})
        doc["metadata_origin"] = origin
        doc["metadata_evidence"] = sorted(evidence, key=lambda e: list(FIELDS).index(e["field"]))
        warnings += entry.problems
        warnings += state_fiscal_year(doc, entry, where)
    doc["warnings"] = warnings
    code = doc["government_code"]
    year = doc["fiscal_year"] if doc["fiscal_year_source"] == MANIFEST_ORIGIN else None
    basis = BOOK_BASIS.get(doc["budget_kind"] or "") if doc["metadata_origin"].get("budget_kind") == MANIFEST_ORIGIN else None
    return {
        "documents": [doc],
        "programs": [{**row, "government_code": code}
                     | ({"fiscal_year": year} if year is not None and row["fiscal_year"] is None else {})
                     | ({"budget_basis": basis} if basis and row["qualified_by"] == LEDGER_ROW and not row["budget_basis"] else {})
                     for row in rows["programs"]],
        "program_items": [{**row, "government_code": code} for row in rows["program_items"]],
    }


def state_fiscal_year(doc: dict[str, Any], entry: ManifestEntry, where: str) -> list[str]:
    """Give ``doc`` the entry's fiscal year where its text read none; return the warning of a disagreement."""
    year = next((v for c, v in entry.values if c == "fiscal_year"), None)
    if year is None or doc["fiscal_year"] == year:
        return []
    if doc["fiscal_year"] is not None:
        return [f"fiscal_year: {where} states {year}, the text reads {doc['fiscal_year']} "
                f"({doc['fiscal_year_source']}): the text's is kept"]
    doc["fiscal_year"], doc["fiscal_year_source"] = year, MANIFEST_ORIGIN
    return []
