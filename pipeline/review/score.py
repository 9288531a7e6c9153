"""Scores: an extraction measured against hand-checked goldens of real documents.

Input: the extracted ``documents`` and ``programs`` rows, and a goldens folder
(``tests/real/``: ``documents/<stem>.json`` and ``programs/<stem>.jsonl``, see its README).
Output: a ``DocumentScore`` per golden document — programs expected, found and matched,
precision, recall, F1, per-field accuracy, wrong budgets — and a Markdown table of them.

Matching: an expected program is paired with at most one extracted program of the same
document, on the same page (or the next or previous one) and with the same name: equal name
keys, one key containing the other, or a similarity of ``NAME_RATIO`` or more. Exact keys are
paired first, then the closest names; ties go to the earlier line. A field is scored over the
pairs whose golden line has that key. A wrong budget is an extracted ``budget_yen`` that is
not null and differs from its golden line's, or any budget on a program no golden line matches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..text.forms import to_display_form
from ..text.japanese import compute_name_key

NAME_RATIO = 0.8
# Fields scored on matched pairs: golden key → how the extracted row is read.
FIELDS = ("budget_yen", "fiscal_year", "flags", "subsidy_rates", "prior_yen", "change_yen", "section")


@dataclass(frozen=True)
class GoldenDocument:
    """One PDF's golden: what the document is and the programs a correct extraction finds."""

    source: str
    kind: str
    status: str
    fiscal_year: int | None
    held_out: bool
    programs: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class DocumentScore:
    source: str
    kind: str
    held_out: bool
    status_expected: str
    status_found: str | None
    expected: int
    found: int
    matched: int
    field_hits: dict[str, tuple[int, int]] = field(default_factory=dict)  # field → (right, scored)
    wrong_budgets: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else (1.0 if not self.expected else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_goldens(folder: Path) -> tuple[GoldenDocument, ...]:
    """Read every ``documents/<stem>.json`` with its ``programs/<stem>.jsonl`` (sorted by source)."""
    goldens = []
    for path in sorted((folder / "documents").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        programs_path = folder / "programs" / f"{path.stem}.jsonl"
        lines = programs_path.read_text(encoding="utf-8").splitlines() if programs_path.is_file() else []
        goldens.append(GoldenDocument(
            source=doc["source"], kind=doc["kind"], status=doc["status"], fiscal_year=doc.get("fiscal_year"),
            held_out=bool(doc.get("held_out")), programs=tuple(json.loads(line) for line in lines if line.strip()),
        ))
    return tuple(goldens)


def compare_names(expected: str, found: str) -> float:
    """Return 2.0 for equal name keys, 1.5 when one contains the other, else their similarity (0–1)."""
    a, b = compute_name_key(expected), compute_name_key(found)
    if not a or not b:
        return 0.0
    if a == b:
        return 2.0
    if a in b or b in a:
        return 1.5
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def pair_programs(expected: tuple[dict[str, Any], ...], found: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Return (expected index, found index) pairs, one-to-one (see the module docstring)."""
    candidates = []
    for i, e in enumerate(expected):
        for j, x in enumerate(found):
            page = x.get("page")
            if page is not None and abs(page - e["page"]) > 1:
                continue
            score = compare_names(e["name"], x["name"])
            if score >= NAME_RATIO:
                candidates.append((-score, abs((page or e["page"]) - e["page"]), i, j))
    used_e: set[int] = set()
    used_x: set[int] = set()
    pairs = []
    for _, _, i, j in sorted(candidates):
        if i not in used_e and j not in used_x:
            used_e.add(i)
            used_x.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def read_field(row: dict[str, Any], name: str) -> Any:
    """Return an extracted program's value in the golden's terms (rates as ``"n/d"``, section as a list)."""
    if name == "subsidy_rates":
        return [f"{r['numerator']}/{r['denominator']}" for r in row.get("subsidy_rates") or []]
    if name == "flags":
        return sorted(row.get("flags") or [])
    if name == "section":
        path = row.get("section_path") or [s for s in (row.get("section"), row.get("subsection")) if s]
        return [to_display_form(s) for s in path]
    return row.get(name)


def read_expected(golden: GoldenDocument, line: dict[str, Any], name: str) -> tuple[bool, Any]:
    """Return (scored, value) for one golden line's field; the fiscal year defaults to the document's."""
    if name == "fiscal_year" and name not in line:
        return golden.fiscal_year is not None, golden.fiscal_year
    if name not in line:
        return False, None
    value = line[name]
    if name == "section" and value is not None:
        return True, [to_display_form(s) for s in value]  # printed "（２）" and read "（2）" are one name
    return True, sorted(value) if name == "flags" else value


def score_document(golden: GoldenDocument, doc_row: dict[str, Any] | None, found: list[dict[str, Any]]) -> DocumentScore:
    """Score one document's extracted programs against its golden."""
    pairs = pair_programs(golden.programs, found)
    hits: dict[str, list[int]] = {name: [0, 0] for name in FIELDS}
    wrong = []
    for i, j in pairs:
        e, x = golden.programs[i], found[j]
        for name in FIELDS:
            scored, value = read_expected(golden, e, name)
            if scored:
                hits[name][1] += 1
                hits[name][0] += read_field(x, name) == value
        if x.get("budget_yen") is not None and "budget_yen" in e and x["budget_yen"] != e["budget_yen"]:
            wrong.append(f"p.{x.get('page')} {x['name']}: {x['budget_yen']:,} (golden {e['budget_yen']})")
    matched_x = {j for _, j in pairs}
    matched_e = {i for i, _ in pairs}
    for j, x in enumerate(found):
        if j not in matched_x and x.get("budget_yen") is not None:
            wrong.append(f"p.{x.get('page')} {x['name']}: {x['budget_yen']:,} (no such program)")
    return DocumentScore(
        source=golden.source, kind=golden.kind, held_out=golden.held_out, status_expected=golden.status,
        status_found=doc_row["status"] if doc_row else None, expected=len(golden.programs), found=len(found),
        matched=len(pairs), field_hits={k: (v[0], v[1]) for k, v in hits.items() if v[1]},
        wrong_budgets=tuple(wrong),
        missed=tuple(f"p.{e['page']} {e['name']}" for i, e in enumerate(golden.programs) if i not in matched_e),
        extra=tuple(f"p.{x.get('page')} {x['name']}" for j, x in enumerate(found) if j not in matched_x),
    )


def score_extraction(goldens: tuple[GoldenDocument, ...], tables: dict[str, list[dict[str, Any]]]) -> tuple[DocumentScore, ...]:
    """Score every golden document against the extracted tables (a missing document finds nothing)."""
    documents = {row["source"]: row for row in tables["documents"]}
    programs: dict[str, list[dict[str, Any]]] = {}
    for row in tables["programs"]:
        programs.setdefault(row["source"], []).append(row)
    return tuple(score_document(g, documents.get(g.source), programs.get(g.source, [])) for g in goldens)


def sum_scores(scores: list[DocumentScore], label: str) -> DocumentScore:
    """Add up several documents' counts into one row (micro-averaged)."""
    hits: dict[str, tuple[int, int]] = {}
    for s in scores:
        for name, (right, n) in s.field_hits.items():
            old = hits.get(name, (0, 0))
            hits[name] = (old[0] + right, old[1] + n)
    n_ok = sum(s.status_found == s.status_expected for s in scores)
    return DocumentScore(
        source=label, kind="", held_out=False, status_expected=f"{n_ok}/{len(scores)}", status_found=None,
        expected=sum(s.expected for s in scores), found=sum(s.found for s in scores),
        matched=sum(s.matched for s in scores), field_hits=hits,
        wrong_budgets=tuple(w for s in scores for w in s.wrong_budgets),
    )


def format_ratio(hits: tuple[int, int] | None) -> str:
    return f"{hits[0] / hits[1]:.2f} ({hits[0]}/{hits[1]})" if hits else "–"


def render_scores(scores: tuple[DocumentScore, ...]) -> str:
    """Return the scores as a Markdown table, tuned and held-out documents apart, with their totals."""
    head = ("| document | kind | status | expected | found | matched | precision | recall | F1 | "
            + " | ".join(FIELDS) + " | wrong budgets |")
    rule = "|" + "---|" * (10 + len(FIELDS))
    out = []
    for held_out, title in ((False, "Tuned on"), (True, "Held out (never tuned on)")):
        group = [s for s in scores if s.held_out == held_out]
        if not group:
            continue
        out += [f"**{title}**", "", head, rule]
        for s in group + [sum_scores(group, "**all**")]:
            status = s.status_expected if s.source == "**all**" else (
                "ok" if s.status_found == s.status_expected else f"{s.status_found} ≠ {s.status_expected}")
            cells = [s.source, s.kind, status, str(s.expected), str(s.found), str(s.matched),
                     f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}"]
            cells += [format_ratio(s.field_hits.get(name)) for name in FIELDS]
            cells.append(str(len(s.wrong_budgets)))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def render_details(scores: tuple[DocumentScore, ...], held_out: bool = False) -> str:
    """Return, per document, the programs missed, the extra ones and every wrong budget.

    Held-out documents are left out unless ``held_out``: their output is for measuring only.
    """
    out = []
    for s in scores:
        if (s.held_out and not held_out) or not (s.missed or s.extra or s.wrong_budgets):
            continue
        out.append(f"### {s.source}")
        for title, rows in (("wrong budgets", s.wrong_budgets), ("missed", s.missed), ("extra", s.extra)):
            if rows:
                out.append(f"- {title} ({len(rows)}): " + "; ".join(rows))
        out.append("")
    return "\n".join(out)
