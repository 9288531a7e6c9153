"""Compare two extractions: what a re-extraction added, removed and changed, as Markdown.

Input: the tables of two extractions (rows as ``tables.read_folder`` or
``tables.read_git_revision`` return them). Output: an ``ExtractionDiff`` (frozen records)
and its Markdown rendering for a pull-request comment.

Documents are matched by ``source``. Within a document, programs are matched by
``name_key`` and order: the k-th program with a name key in the old extraction is the
k-th with that key in the new one. The budget history is matched by (government, department, name key, fiscal year);
each changed document is headed by its government and budget kind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..output.tables import group_by

# Program columns that follow from the document's bytes (reported once, as the document's doc_id).
PROGRAM_IDENTITY = frozenset({"doc_id", "program_id", "source"})
# Program columns that say where a program sits rather than what it says.
POSITION = ("ordinal", "line_start", "line_end", "page", "bbox")
# Item columns compared (items are paired by ordinal within a matched program).
ITEM_FIELDS = ("kind", "text", "flags", "subsidy_rates", "subsidy_rate_text", "detail", "parent_ordinal")
# Budget-history columns compared.
HISTORY_FIELDS = ("budget_thousand_yen", "budget_yen", "budget_basis", "budget_qualifier", "source", "choice_rule",
                  "previous_fiscal_year", "change_thousand_yen")
# What an added or removed program shows.
SUMMARY_FIELDS = ("budget_thousand_yen", "budget_qualifier", "fiscal_year", "budget_basis", "flags", "section")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ProgramChange:
    """A program added, removed, changed (content) or moved (position only)."""

    kind: str
    name: str
    name_key: str
    occurrence: int
    old_line: int | None
    new_line: int | None
    changes: tuple[FieldChange, ...] = ()
    summary: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class DocumentDiff:
    """One source file: whether it was added, removed or kept, and what changed in it."""

    source: str
    kind: str
    changes: tuple[FieldChange, ...]
    programs: tuple[ProgramChange, ...]
    publisher: str = ""  # government and budget kind (``describe_publisher``)

    @property
    def differs(self) -> bool:
        return self.kind != "kept" or bool(self.changes) or bool(self.programs)


@dataclass(frozen=True)
class HistoryChange:
    kind: str
    government_code: str
    department: str
    name_key: str
    fiscal_year: int
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ExtractionDiff:
    old_label: str
    new_label: str
    documents: tuple[DocumentDiff, ...]
    history: tuple[HistoryChange, ...] = ()

    @property
    def differs(self) -> bool:
        return any(d.differs for d in self.documents) or bool(self.history)

    def count(self, kind: str) -> int:
        return sum(1 for d in self.documents for p in d.programs if p.kind == kind)


def compare_fields(old: dict[str, Any], new: dict[str, Any], fields) -> tuple[FieldChange, ...]:
    """Return the fields whose values differ, in the order given."""
    return tuple(FieldChange(f, old.get(f), new.get(f)) for f in fields if old.get(f) != new.get(f))


def pair_programs(old: list[dict], new: list[dict]) -> list[tuple[dict | None, dict | None, int]]:
    """Pair programs by name key and occurrence; return (old, new, occurrence) triples in document order."""
    def index_by_key(rows: list[dict]) -> dict[tuple[str, int], dict]:
        seen: dict[str, int] = {}
        out = {}
        for row in sorted(rows, key=lambda r: (r["ordinal"], r["line_start"])):
            n = seen.get(row["name_key"], 0) + 1
            seen[row["name_key"]] = n
            out[(row["name_key"], n)] = row
        return out

    old_by, new_by = index_by_key(old), index_by_key(new)
    keys = set(old_by) | set(new_by)

    def locate(key):
        row = new_by.get(key) or old_by[key]
        return (row["ordinal"], key[0], key[1], key in new_by)

    return [(old_by.get(k), new_by.get(k), k[1]) for k in sorted(keys, key=locate)]


def compare_items(old_items: list[dict], new_items: list[dict]) -> tuple[FieldChange, ...]:
    """Return one change per item that differs, paired by ordinal (``item 3``)."""
    old_by = {r["ordinal"]: r for r in old_items}
    new_by = {r["ordinal"]: r for r in new_items}
    out = []
    for n in sorted(set(old_by) | set(new_by)):
        o, w = old_by.get(n), new_by.get(n)
        o_val = {f: o[f] for f in ITEM_FIELDS} if o else None
        w_val = {f: w[f] for f in ITEM_FIELDS} if w else None
        if o_val != w_val:
            out.append(FieldChange(f"item {n}", o_val, w_val))
    return tuple(out)


def compare_programs(old: list[dict], new: list[dict], old_items: dict[str, list[dict]],
                     new_items: dict[str, list[dict]]) -> tuple[ProgramChange, ...]:
    """Return the program changes of one document."""
    out = []
    for o, w, occurrence in pair_programs(old, new):
        row = w or o
        assert row is not None  # pair_programs pairs at least one side
        name, key = row["name"], row["name_key"]
        if o is None:
            assert w is not None
            out.append(ProgramChange("added", name, key, occurrence, None, w["line_start"],
                                     summary=summarize(w)))
            continue
        if w is None:
            out.append(ProgramChange("removed", name, key, occurrence, o["line_start"], None,
                                     summary=summarize(o)))
            continue
        content_fields = [f for f in w if f not in PROGRAM_IDENTITY and f not in POSITION]
        content = compare_fields(o, w, content_fields)
        content += compare_items(old_items.get(o["program_id"], []), new_items.get(w["program_id"], []))
        position = compare_fields(o, w, POSITION)
        if content:
            out.append(ProgramChange("changed", name, key, occurrence, o["line_start"], w["line_start"],
                                     content + position))
        elif position:
            out.append(ProgramChange("moved", name, key, occurrence, o["line_start"], w["line_start"], position))
    return tuple(out)


def summarize(row: dict) -> tuple[FieldChange, ...]:
    """The fields an added or removed program is shown with (empty values left out)."""
    return tuple(FieldChange(f, None, row.get(f)) for f in SUMMARY_FIELDS if row.get(f) not in (None, []))


def make_history_key(row: dict) -> tuple[str, str, str, int]:
    """A history row's program and year: government, department (empty when null, or in tables
    written before they were columns), name key, fiscal year."""
    return (row.get("government_code") or "", row.get("department") or "", row["name_key"], row["fiscal_year"])


def describe_publisher(doc: dict | None) -> str:
    """The government and budget kind of a document row: ``東京都 130001, 補正 第12号``; ``government not read``."""
    if doc is None:
        return ""
    name, code = doc.get("government_name"), doc.get("government_code")
    government = f"{name} {code}" if code else "government not read"
    if doc.get("department"):
        government += f" {doc['department']}"
    kind = doc.get("budget_kind")
    number = doc.get("budget_number")
    budget = (f"{kind} 第{number}号" if number is not None else kind) if kind else "budget kind not read"
    return f"{government}, {budget}"


def compare_history(old: list[dict], new: list[dict]) -> tuple[HistoryChange, ...]:
    """Return the budget-history rows added, removed or changed."""
    old_by = {make_history_key(r): r for r in old}
    new_by = {make_history_key(r): r for r in new}
    out = []
    for key in sorted(set(old_by) | set(new_by)):
        o, w = old_by.get(key), new_by.get(key)
        if o is None:
            assert w is not None  # the key comes from one side at least
            out.append(HistoryChange("added", *key, (FieldChange("budget_thousand_yen", None, w["budget_thousand_yen"]),)))
        elif w is None:
            out.append(HistoryChange("removed", *key, (FieldChange("budget_thousand_yen", o["budget_thousand_yen"], None),)))
        else:
            changes = compare_fields(o, w, HISTORY_FIELDS)
            if changes:
                out.append(HistoryChange("changed", *key, changes))
    return tuple(out)


def compare_extractions(old: dict[str, list[dict]], new: dict[str, list[dict]],
                        old_label: str = "old", new_label: str = "new") -> ExtractionDiff:
    """Compare two extractions table by table."""
    old_docs = {d["source"]: d for d in old["documents"]}
    new_docs = {d["source"]: d for d in new["documents"]}
    old_progs, new_progs = group_by(old["programs"], "source"), group_by(new["programs"], "source")
    old_items = group_by(old.get("program_items", []), "program_id")
    new_items = group_by(new.get("program_items", []), "program_id")
    docs = []
    for source in sorted(set(old_docs) | set(new_docs) | set(old_progs) | set(new_progs)):
        o, w = old_docs.get(source), new_docs.get(source)
        kind = "added" if o is None else "removed" if w is None else "kept"
        changes = compare_fields(o, w, list(w)) if o is not None and w is not None else ()
        programs = compare_programs(old_progs.get(source, []), new_progs.get(source, []), old_items, new_items)
        docs.append(DocumentDiff(source, kind, changes, programs, describe_publisher(w if w is not None else o)))
    history = compare_history(old.get("budget_history", []), new.get("budget_history", []))
    return ExtractionDiff(old_label, new_label, tuple(docs), history)


# Characters with a meaning in Markdown, escaped in values and names (an underscore inside a
# word, as in r04_zaitaku…, is not emphasis in GitHub Markdown and is left alone).
MD_SPECIAL = set("\\`*[]<>|#~")


def escape_md(text: str) -> str:
    return "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in text).replace("\n", " ⏎ ")


def format_value(field: str, value: Any) -> str:
    """Render a value for Markdown: yen with thousands separators, lists and dicts as JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and "yen" in field:
        return f"{value:,}"
    if isinstance(value, (list, dict)):
        return escape_md(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return escape_md(str(value))


def format_change(c: FieldChange) -> str:
    return f"{c.field}: {format_value(c.field, c.old)} → {format_value(c.field, c.new)}"


def format_program_title(p: ProgramChange) -> str:
    if p.kind == "added":
        where = f"line {p.new_line}"
    elif p.kind == "removed":
        where = f"line {p.old_line}"
    elif p.old_line == p.new_line:
        where = f"line {p.new_line}"
    else:
        where = f"line {p.old_line} → {p.new_line}"
    occurrence = f" #{p.occurrence}" if p.occurrence > 1 else ""
    return f"{escape_md(p.name)}{occurrence} ({where})"


SECTION_TITLES = (("added", "Added"), ("removed", "Removed"), ("changed", "Changed"), ("moved", "Moved (position only)"))


def render_markdown(diff: ExtractionDiff) -> str:
    """Render the diff as Markdown for a pull-request comment."""
    changed_docs = [d for d in diff.documents if d.differs]
    lines = [f"## Extraction diff: {escape_md(diff.old_label)} → {escape_md(diff.new_label)}", ""]
    if not diff.differs:
        lines.append(f"No differences in {len(diff.documents)} documents.")
        return "\n".join(lines) + "\n"
    counts = ", ".join(f"{diff.count(k)} {k}" for k, _ in SECTION_TITLES)
    lines.append(f"Programs: {counts}, in {len(changed_docs)} of {len(diff.documents)} documents.")
    for doc in changed_docs:
        lines += ["", f"### {escape_md(doc.source)}" + ("" if doc.kind == "kept" else f" ({doc.kind})"), ""]
        if doc.publisher:
            lines += [f"{escape_md(doc.publisher)}", ""]
        for c in doc.changes:
            lines.append(f"- document {format_change(c)}")
        if doc.changes:
            lines.append("")
        for kind, title in SECTION_TITLES:
            progs = [p for p in doc.programs if p.kind == kind]
            if not progs:
                continue
            lines.append(f"**{title}** ({len(progs)})")
            lines.append("")
            for p in progs:
                if kind in ("added", "removed"):
                    detail = "; ".join(f"{c.field} {format_value(c.field, c.new)}" for c in p.summary)
                    lines.append(f"- {format_program_title(p)}" + (f": {detail}" if detail else ""))
                else:
                    lines.append(f"- {format_program_title(p)}")
                    if kind == "changed":
                        lines += [f"  - {format_change(c)}" for c in p.changes]
            lines.append("")
        while lines and lines[-1] == "":
            lines.pop()
    if diff.history:
        lines += ["", "### Budget history", ""]
        for h in diff.history:
            if h.kind == "changed":
                changes = "; ".join(format_change(c) for c in h.changes)
            else:
                changes = "; ".join(f"{c.field} {format_value(c.field, c.new if h.kind == 'added' else c.old)}"
                                    for c in h.changes)
            whose = " ".join(part for part in (h.government_code, h.department) if part)
            lines.append(f"- {h.kind} {escape_md(h.name_key)} FY{h.fiscal_year}" + (f" ({escape_md(whose)})" if whose else "")
                         + f": {changes}")
    return "\n".join(lines) + "\n"
