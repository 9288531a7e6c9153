"""Budget history: one budget per program and fiscal year, chosen from every document.

Input: ``documents`` and ``programs`` rows (as the writer makes them or as read back
from Parquet). Output: ``HistoryEntry`` records, one per (``name_key``, ``fiscal_year``)
with a printed budget, each saying which document it came from, why that one was
chosen, and how the budget moved from the previous fiscal year present.

Rules, in order (the first that separates the candidates decides):
1. a flagged repeat (``再掲``, ``一部再掲``) is never a candidate, nor is a row without a budget;
2. within one document only the first row with a budget counts for a program (the others
   are listed as alternatives);
3. an enacted budget (``予算額``) beats a proposed one (``予算額（案）``, ``予算案``), which beats
   a budget whose basis is not printed or says neither (``予算規模``, ``予算額/規模``: a column of
   amounts or scales);
4. the later publication beats the earlier: a document's publication year is the era year of
   its title (``令和6年度第2回 …`` → 2024), or its fiscal year when it has no title;
5. otherwise (a tie) the document whose ``source`` file name sorts first: ``choice_rule``
   ``first_source``, and ``choice_note`` names both documents and says that the file name decided.
"""

from __future__ import annotations

import heapq
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..parse.fields import parse_era_year

REPEAT_FLAGS = frozenset({"再掲", "一部再掲"})
ENACTED = "予算額"
PROPOSED = frozenset({"予算額（案）", "予算額(案)", "予算案"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One document's budget for a program in a fiscal year."""

    name_key: str
    name: str
    fiscal_year: int
    budget_thousand_yen: int | None
    budget_yen: int
    budget_text: str | None
    budget_qualifier: str | None
    budget_basis: str | None
    doc_id: str
    source: str
    program_id: str
    line_start: int
    publication_year: int | None

    @property
    def basis_rank(self) -> int:
        return rank_basis(self.budget_basis)


@dataclass(frozen=True)
class HistoryEntry:
    """The budget chosen for one program and fiscal year, with the change from the year before."""

    chosen: Candidate
    choice_rule: str
    choice_note: str
    others: tuple[Candidate, ...]
    previous_fiscal_year: int | None
    previous_budget_yen: int | None
    previous_budget_thousand_yen: int | None


def rank_basis(basis: str | None) -> int:
    """Return 2 for an enacted budget, 1 for a proposal, 0 when the basis is not printed or says neither."""
    if basis == ENACTED:
        return 2
    if basis in PROPOSED:
        return 1
    return 0


def describe_basis(basis: str | None) -> str:
    return basis if basis else "basis not printed"


def compute_publication_years(documents: Iterable[dict[str, Any]]) -> dict[str, int | None]:
    """Map each document's ``source`` to its publication year (title era year, else fiscal year)."""
    years: dict[str, int | None] = {}
    for doc in documents:
        year = parse_era_year(doc["title"]) if doc.get("title") else None
        years[doc["source"]] = year if year is not None else doc.get("fiscal_year")
    return years


def make_candidate(row: dict[str, Any], publication_year: int | None) -> Candidate | None:
    """Return a program row's candidate, or None when it is none (no budget or year, or a flagged repeat)."""
    if row.get("budget_yen") is None or row.get("fiscal_year") is None:
        return None
    if REPEAT_FLAGS.intersection(row.get("flags") or ()):
        return None
    return Candidate(
        name_key=row["name_key"],
        name=row["name"],
        fiscal_year=row["fiscal_year"],
        budget_thousand_yen=row.get("budget_thousand_yen"),
        budget_yen=row["budget_yen"],
        budget_text=row.get("budget_text"),
        budget_qualifier=row.get("budget_qualifier"),
        budget_basis=row.get("budget_basis"),
        doc_id=row["doc_id"],
        source=row["source"],
        program_id=row["program_id"],
        line_start=row["line_start"],
        publication_year=publication_year,
    )


def collect_candidates(
    documents: Iterable[dict[str, Any]], programs: Iterable[dict[str, Any]]
) -> tuple[tuple[Candidate, ...], tuple[Candidate, ...]]:
    """Return (first budgeted row per document, later budgeted rows of the same program and document)."""
    years = compute_publication_years(documents)
    firsts: dict[tuple[str, int, str], Candidate] = {}
    extras: list[Candidate] = []
    ordered = sorted(programs, key=lambda r: (r["source"], r["line_start"], r["ordinal"]))
    for row in ordered:
        cand = make_candidate(row, years.get(row["source"]))
        if cand is None:
            continue
        key = (cand.name_key, cand.fiscal_year, cand.source)
        if key in firsts:
            extras.append(cand)
        else:
            firsts[key] = cand
    return tuple(firsts.values()), tuple(extras)


# The program columns the builder reads.
PROGRAM_FIELDS = ("doc_id", "source", "program_id", "ordinal", "name", "name_key", "budget_thousand_yen", "budget_yen",
                  "budget_text", "budget_qualifier", "fiscal_year", "budget_basis", "flags", "line_start")
# A candidate as the builder keeps it: the order it is grouped and ranked in, then its fields.
CANDIDATE_FIELDS = ("name", "budget_thousand_yen", "budget_yen", "budget_text", "budget_qualifier", "budget_basis",
                    "doc_id", "program_id", "publication_year")


class HistoryBuilder:
    """The budget history built a document at a time, keeping only each program's candidate (the
    fields a history row needs), never the documents' rows: ``add`` each document's rows, then
    ``iter_rows`` gives the rows ``make_history_rows`` gives for all of them.

    With a ``spill`` path (a file name in the output folder), candidates are sorted and written
    out ``SPILL_EVERY`` at a time to hidden temporary files beside it (``.name.XXXX.tmp``, which
    ``output.files.remove_temp_files`` removes should a run be killed) and merged back in order:
    the builder then holds a bounded number of candidates whatever the number of documents.
    """

    SPILL_EVERY = 20_000

    def __init__(self, spill: Path | None = None) -> None:
        self.spill = spill
        self.pending: list[tuple] = []
        self.runs: list[Path] = []

    def add(self, document: dict[str, Any], programs: Iterable[dict[str, Any]]) -> None:
        """Take one document's row and its program rows (keys as in the tables; other keys unused)."""
        rows = list(programs)
        self.add_columns(document, {name: [row.get(name) for row in rows] for name in PROGRAM_FIELDS})

    def add_columns(self, document: dict[str, Any], programs: dict[str, list[Any]]) -> None:
        """Take one document's row and its programs as columns (``PROGRAM_FIELDS``, at least)."""
        year = compute_publication_years([document])[document["source"]]
        name_key, fiscal_year, budget_yen = programs["name_key"], programs["fiscal_year"], programs["budget_yen"]
        flags, line_start, ordinal = programs["flags"], programs["line_start"], programs["ordinal"]
        budgeted = [i for i in range(len(name_key)) if budget_yen[i] is not None and fiscal_year[i] is not None
                    and not REPEAT_FLAGS.intersection(flags[i] or ())]  # as ``make_candidate`` takes them
        budgeted.sort(key=lambda i: (line_start[i], ordinal[i]))
        seen: set[tuple[str, int]] = set()
        columns = [programs[name] for name in ("name", "budget_thousand_yen", "budget_yen", "budget_text",
                                               "budget_qualifier", "budget_basis", "doc_id", "program_id")]
        source = programs["source"]
        for i in budgeted:
            key = (name_key[i], fiscal_year[i])
            extra = key in seen
            seen.add(key)
            self.pending.append((name_key[i], fiscal_year[i], extra, source[i], line_start[i], ordinal[i],
                                 *(column[i] for column in columns), year))
        if self.spill is not None and len(self.pending) >= self.SPILL_EVERY:
            self.write_run()

    def write_run(self) -> None:
        from .files import open_temp

        assert self.spill is not None
        self.pending.sort(key=lambda record: record[:6])
        fh, path = open_temp(self.spill)
        self.runs.append(path)
        with fh:
            for record in self.pending:
                fh.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self.pending = []

    def read_run(self, path: Path) -> Iterator[tuple]:
        with open(path, "rb") as fh:
            for line in fh:
                yield tuple(json.loads(line))

    def iter_rows(self) -> Iterator[dict[str, Any]]:
        """Yield the ``budget_history`` rows, sorted by name key and fiscal year."""
        self.pending.sort(key=lambda record: record[:6])
        try:
            records = heapq.merge(*[self.read_run(path) for path in self.runs], iter(self.pending),
                                  key=lambda record: record[:6])
            previous: Candidate | None = None
            for (name_key, fiscal_year), group in itertools.groupby(records, key=lambda record: record[:2]):
                firsts: list[Candidate] = []
                extras: list[Candidate] = []
                for record in group:
                    fields = dict(zip(CANDIDATE_FIELDS, record[6:]))
                    cand = Candidate(name_key=name_key, fiscal_year=fiscal_year, source=record[3],
                                     line_start=record[4], **fields)
                    (extras if record[2] else firsts).append(cand)
                entry = choose_entry(firsts, extras, previous if previous and previous.name_key == name_key else None)
                previous = entry.chosen
                yield make_history_row(entry)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the spilled files."""
        for path in self.runs:
            path.unlink(missing_ok=True)
        self.runs = []


def rank_candidate(c: Candidate) -> tuple:
    """Best candidate first: enacted, then later publication, then source name."""
    pub = c.publication_year if c.publication_year is not None else -1
    return (-c.basis_rank, -pub, c.source, c.line_start)


def explain_choice(best: Candidate, runner_up: Candidate | None) -> tuple[str, str]:
    """Return (rule, note) saying why ``best`` beat ``runner_up``."""
    if runner_up is None:
        return "only_source", f"only {best.source} prints this budget"
    if best.basis_rank != runner_up.basis_rank:
        return (
            "enacted_beats_proposed" if best.basis_rank == 2 else "stated_basis_beats_unstated",
            f"{describe_basis(best.budget_basis)} in {best.source} beats "
            f"{describe_basis(runner_up.budget_basis)} in {runner_up.source}",
        )
    if best.publication_year != runner_up.publication_year:
        return (
            "later_publication",
            f"{best.source} (published {best.publication_year}) is later than "
            f"{runner_up.source} (published {runner_up.publication_year})",
        )
    return (
        "first_source",
        f"a tie with {runner_up.source} (same basis and publication year): {best.source} is taken only "
        "because its file name sorts first",
    )


def choose_entry(firsts: list[Candidate], extras: list[Candidate], previous: Candidate | None) -> HistoryEntry:
    """Pick one of the candidates of one (name_key, fiscal_year) and link it to ``previous``, the budget
    chosen for the same program in the fiscal year before it (or None)."""
    ranked = sorted(firsts, key=rank_candidate)
    best = ranked[0]
    rule, note = explain_choice(best, ranked[1] if len(ranked) > 1 else None)
    return HistoryEntry(
        chosen=best,
        choice_rule=rule,
        choice_note=note,
        others=tuple(ranked[1:]) + tuple(sorted(extras, key=rank_candidate)),
        previous_fiscal_year=previous.fiscal_year if previous else None,
        previous_budget_yen=previous.budget_yen if previous else None,
        previous_budget_thousand_yen=previous.budget_thousand_yen if previous else None,
    )


def choose_budgets(candidates: Iterable[Candidate], extras: Iterable[Candidate] = ()) -> tuple[HistoryEntry, ...]:
    """Pick one candidate per (name_key, fiscal_year) and link each to the previous year present."""
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault((c.name_key, c.fiscal_year), []).append(c)
    extra_groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in extras:
        extra_groups.setdefault((c.name_key, c.fiscal_year), []).append(c)
    entries: list[HistoryEntry] = []
    previous: dict[str, Candidate] = {}
    for key in sorted(groups):
        entry = choose_entry(groups[key], extra_groups.get(key, []), previous.get(key[0]))
        entries.append(entry)
        previous[entry.chosen.name_key] = entry.chosen
    return tuple(entries)


def build_budget_history(documents: Iterable[dict[str, Any]], programs: Iterable[dict[str, Any]]) -> tuple[HistoryEntry, ...]:
    """Return the budget history of every program with a printed budget."""
    candidates, extras = collect_candidates(documents, programs)
    return choose_budgets(candidates, extras)


def make_history_row(e: HistoryEntry) -> dict[str, Any]:
    """Return the ``budget_history`` row of one entry (see ``schemas/budget_history.yaml``)."""
    c = e.chosen
    change_yen = c.budget_yen - e.previous_budget_yen if e.previous_budget_yen is not None else None
    change_thousand = (
        c.budget_thousand_yen - e.previous_budget_thousand_yen
        if c.budget_thousand_yen is not None and e.previous_budget_thousand_yen is not None
        else None
    )
    return {
        "name_key": c.name_key,
        "fiscal_year": c.fiscal_year,
        "name": c.name,
        "budget_thousand_yen": c.budget_thousand_yen,
        "budget_yen": c.budget_yen,
        "budget_text": c.budget_text,
        "budget_qualifier": c.budget_qualifier,
        "budget_basis": c.budget_basis,
        "doc_id": c.doc_id,
        "source": c.source,
        "program_id": c.program_id,
        "line_start": c.line_start,
        "publication_year": c.publication_year,
        "choice_rule": e.choice_rule,
        "choice_note": e.choice_note,
        "n_candidates": 1 + len(e.others),
        "other_candidates": [
            {
                "source": o.source,
                "program_id": o.program_id,
                "line_start": o.line_start,
                "budget_thousand_yen": o.budget_thousand_yen,
                "budget_yen": o.budget_yen,
                "budget_basis": o.budget_basis,
                "publication_year": o.publication_year,
            }
            for o in e.others
        ],
        "previous_fiscal_year": e.previous_fiscal_year,
        "previous_budget_thousand_yen": e.previous_budget_thousand_yen,
        "change_thousand_yen": change_thousand,
        "change_yen": change_yen,
        "change_ratio": round(change_yen / e.previous_budget_yen, 6) if change_yen is not None and e.previous_budget_yen else None,
    }


def make_history_rows(documents: Iterable[dict[str, Any]], programs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the ``budget_history`` table rows, sorted by name key and fiscal year."""
    return [make_history_row(e) for e in build_budget_history(list(documents), list(programs))]
