"""Budget history: one budget per program and fiscal year, chosen from every document.

Input: ``documents`` and ``programs`` rows (as the writer makes them or as read back
from Parquet). Output: ``HistoryEntry`` records, one per program (``government_code``,
``department``, ``name_key``) and ``fiscal_year`` with a printed budget, each saying which
document it came from, why that one was chosen, and how the budget moved from the previous
fiscal year present.

A program is followed only within one government (a null code is a government of its own:
same-named programs of two cities never meet) and, where both documents name it, one
department. The previous year is linked by the rule ``link_rule`` names: ``same_name`` (the
same name key and department), ``same_name_department_unstated`` (the same name key, one of the
two departments not printed), or ``renamed_same_description``: a program under a new name whose
description is word for word that of a program of the same department in an earlier year, which
is not continued under its old name, and no other program of that year has that description.

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

import hashlib
import heapq
import itertools
import marshal
import operator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from ..parse.fields import parse_era_year

REPEAT_FLAGS = frozenset({"再掲", "一部再掲"})
ENACTED = "予算額"
PROPOSED = frozenset({"予算額（案）", "予算額(案)", "予算案"})


class Candidate(NamedTuple):
    """One document's budget for a program in a fiscal year (a named tuple: one is made for every budget
    printed, and a tuple is made in a third of the time a frozen dataclass takes)."""

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
    government_code: str | None = None
    department: str | None = None
    description: str | None = None

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
    link_rule: str | None = None
    previous_name_key: str | None = None


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


def make_candidate(row: dict[str, Any], publication_year: int | None, department: str | None) -> Candidate | None:
    """Return a program row's candidate (``department``: its document's), or None when it is none (no
    budget or year, or a flagged repeat)."""
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
        government_code=row.get("government_code"),
        department=department,
        description=row.get("description"),
    )


def collect_candidates(
    documents: Iterable[dict[str, Any]], programs: Iterable[dict[str, Any]]
) -> tuple[tuple[Candidate, ...], tuple[Candidate, ...]]:
    """Return (first budgeted row per document, later budgeted rows of the same program and document)."""
    documents = list(documents)
    years = compute_publication_years(documents)
    departments = {doc["source"]: doc.get("department") for doc in documents}
    firsts: dict[tuple[str, int, str], Candidate] = {}
    extras: list[Candidate] = []
    ordered = sorted(programs, key=lambda r: (r["source"], r["line_start"], r["ordinal"]))
    for row in ordered:
        cand = make_candidate(row, years.get(row["source"]), departments.get(row["source"]))
        if cand is None:
            continue
        key = (cand.name_key, cand.fiscal_year, cand.source)
        if key in firsts:
            extras.append(cand)
        else:
            firsts[key] = cand
    return tuple(firsts.values()), tuple(extras)


def rank_candidate(c: Candidate) -> tuple:
    """Best candidate first: enacted, then later publication, then source name."""
    pub = c.publication_year if c.publication_year is not None else -1
    return (-rank_basis(c.budget_basis), -pub, c.source, c.line_start)


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


def choose_entry(firsts: list[Candidate], extras: list[Candidate]) -> HistoryEntry:
    """Pick one of the candidates of one program and fiscal year (not yet linked to a previous year)."""
    ranked = sorted(firsts, key=rank_candidate)
    best = ranked[0]
    rule, note = explain_choice(best, ranked[1] if len(ranked) > 1 else None)
    others = tuple(ranked[1:]) + tuple(sorted(extras, key=rank_candidate))
    return HistoryEntry(best, rule, note, others, None, None, None)


def choose_budgets(candidates: Iterable[Candidate], extras: Iterable[Candidate] = ()) -> tuple[HistoryEntry, ...]:
    """Pick one candidate per program and fiscal year and link each to the previous year present."""
    groups: dict[tuple[str, str, str, int], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(make_group_key(c), []).append(c)
    extra_groups: dict[tuple[str, str, str, int], list[Candidate]] = {}
    for c in extras:
        extra_groups.setdefault(make_group_key(c), []).append(c)
    entries = [choose_entry(groups[key], extra_groups.get(key, [])) for key in sorted(groups)]
    return link_years(entries)


def make_group_key(c: Candidate) -> tuple[str, str, str, int]:
    """A program is one government's and department's name key (a null sorts first, as "")."""
    return (c.government_code or "", c.department or "", c.name_key, c.fiscal_year)


def normalize_description(text: str | None) -> str:
    return "".join((text or "").split())


@dataclass(frozen=True, slots=True)
class LinkKey:
    """What linking a chosen budget to the previous year reads of it (a few fields, whatever its candidates)."""

    government_code: str | None
    department: str | None
    name_key: str
    fiscal_year: int
    description: bytes | None  # SHA-256 of the description without white space (None: no description)
    budget_yen: int
    budget_thousand_yen: int | None


def digest_description(text: str | None) -> str | None:
    """The SHA-256 (hex) of a description without white space, or None for none: what linking compares."""
    description = normalize_description(text)
    return hashlib.sha256(description.encode("utf-8", "surrogatepass")).hexdigest() if description else None


def make_link_key(c: Candidate, digested: bool = False) -> LinkKey:
    """The link key of a chosen budget (``digested``: its ``description`` is already ``digest_description``'s)."""
    hexdigest = c.description if digested else digest_description(c.description)
    digest = bytes.fromhex(hexdigest) if hexdigest else None
    return LinkKey(c.government_code, c.department, c.name_key, c.fiscal_year, digest, c.budget_yen,
                   c.budget_thousand_yen)


def find_links(keys: list[LinkKey]) -> list[tuple[int, str] | None]:
    """Return, for each chosen budget (in group-key order), the index of the one it continues from an
    earlier fiscal year and the rule that links them (``link_rule``), or None.

    Within one government: the latest earlier year of the same name key whose department is the same
    (``same_name``) or, the only one, not printed on one side (``same_name_department_unstated``; two
    departments' programs of that name that year: neither is taken); failing that, with a department
    and a description, the only program of the latest earlier year of the same department and
    description under another name not continued under that name in this year
    (``renamed_same_description``). Where two qualify, the first in group-key order is taken.
    """
    links: list[tuple[int, str] | None] = [None] * len(keys)
    governments: dict[str | None, list[int]] = {}
    for i, key in enumerate(keys):
        governments.setdefault(key.government_code, []).append(i)
    for members in governments.values():
        by_name: dict[str, list[int]] = {}
        by_description: dict[tuple[str, bytes], list[int]] = {}
        continued: dict[int, set[tuple[str, str | None]]] = {}
        for i in members:
            key = keys[i]
            by_name.setdefault(key.name_key, []).append(i)
            if key.department is not None and key.description is not None:
                by_description.setdefault((key.department, key.description), []).append(i)
            continued.setdefault(key.fiscal_year, set()).add((key.name_key, key.department))
        for i in members:
            links[i] = find_link(keys, i, by_name, by_description, continued)
    return links


def find_link(keys: list[LinkKey], i: int, by_name: dict[str, list[int]], by_description: dict[tuple[str, bytes], list[int]],
              continued: dict[int, set[tuple[str, str | None]]]) -> tuple[int, str] | None:
    """``find_links`` for one chosen budget, with its government's indexes."""
    c = keys[i]
    same = [j for j in by_name[c.name_key] if keys[j].fiscal_year < c.fiscal_year
            and (keys[j].department == c.department or keys[j].department is None or c.department is None)]
    if same:
        year = max(keys[j].fiscal_year for j in same)
        latest = [j for j in same if keys[j].fiscal_year == year]
        exact = [j for j in latest if keys[j].department == c.department]
        if exact:
            return exact[0], "same_name"
        if len(latest) == 1:
            return latest[0], "same_name_department_unstated"
        return None  # two departments' programs of that name the year before: neither is taken
    if c.department is None or c.description is None:
        return None
    taken = continued[c.fiscal_year]
    renamed = [j for j in by_description.get((c.department, c.description), ()) if keys[j].fiscal_year < c.fiscal_year
               and keys[j].name_key != c.name_key and (keys[j].name_key, keys[j].department) not in taken]
    if not renamed:
        return None
    year = max(keys[j].fiscal_year for j in renamed)
    latest = [j for j in renamed if keys[j].fiscal_year == year]
    return (latest[0], "renamed_same_description") if len(latest) == 1 else None


def link_years(entries: list[HistoryEntry]) -> tuple[HistoryEntry, ...]:
    """Give each entry its previous year (``find_links``), the entries in group-key order."""
    keys = [make_link_key(entry.chosen) for entry in entries]
    linked = []
    for entry, link in zip(entries, find_links(keys)):
        if link is None:
            linked.append(entry)
            continue
        p, rule = keys[link[0]], link[1]
        linked.append(replace(entry, previous_fiscal_year=p.fiscal_year, previous_budget_yen=p.budget_yen,
                              previous_budget_thousand_yen=p.budget_thousand_yen, link_rule=rule,
                              previous_name_key=p.name_key))
    return tuple(linked)


def build_budget_history(documents: Iterable[dict[str, Any]], programs: Iterable[dict[str, Any]]) -> tuple[HistoryEntry, ...]:
    """Return the budget history of every program with a printed budget."""
    candidates, extras = collect_candidates(documents, programs)
    return choose_budgets(candidates, extras)


# The program columns the builder reads.
PROGRAM_FIELDS = ("doc_id", "source", "government_code", "program_id", "ordinal", "name", "name_key",
                  "budget_thousand_yen", "budget_yen", "budget_text", "budget_qualifier", "fiscal_year", "budget_basis",
                  "flags", "line_start", "description")
# A candidate as the builder keeps it: the order it is grouped and ranked in (``SORT_WIDTH`` values:
# ``make_group_key``, whether it is a later row of its program in its document, source, line and
# ordinal, and the candidate's number in the order it came), then these fields. No two records share
# that number, so records are sorted and merged as plain tuples (compared in C, never past it), in the
# order a stable sort on the values before it gives.
SORT_WIDTH = 9
CANDIDATE_FIELDS = ("government_code", "department", "name", "budget_thousand_yen", "budget_yen", "budget_text",
                    "budget_qualifier", "budget_basis", "doc_id", "program_id", "description", "publication_year")


# A record's group: its ``make_group_key``
GROUP_OF_RECORD = operator.itemgetter(0, 1, 2, 3)


# Records written to a spilled file at a time (``HistoryBuilder.write_records``): a merge holds one such
# chunk of every file it reads (on 10,000 documents, 30 files: 10 MiB with chunks of 256, 0.6 with 16).
SPILL_CHUNK = 16


class HistoryBuilder:
    """The budget history built a document at a time, keeping only each program's candidate (the
    fields a history row needs), never the documents' rows: ``add`` each document's rows, then
    ``iter_rows`` gives the rows ``make_history_rows`` gives for all of them.

    Candidates are grouped in the order of ``make_group_key``, so that one government's programs
    come one after the other: its rows are linked to their previous years (``find_links``, on a
    ``LinkKey`` per row) once all of them are chosen, then given out.

    With a ``spill`` path (a file name in the output folder), candidates are sorted and written
    out ``SPILL_EVERY`` at a time to hidden temporary files beside it (``.name.XXXX.tmp``, which
    ``output.files.remove_temp_files`` removes should a run be killed; merged into one past ``MAX_RUNS``)
    and merged back in order, and
    a government's chosen rows wait for their links in such files too: the builder then holds a
    bounded number of candidates and rows whatever the number of documents (and a ``LinkKey`` per
    row of one government, and the candidates of one program and year).
    """

    SPILL_EVERY = 4096  # candidates (some 1.2 KiB each in memory: a description is kept as its digest)
    MAX_RUNS = 64  # spilled files of candidates merged into one past this many: few files are open at once

    def __init__(self, spill: Path | None = None) -> None:
        self.spill = spill
        self.pending: list[tuple] = []
        self.runs: list[Path] = []
        self.taken = 0  # candidates taken so far (each record's number)

    def add(self, document: dict[str, Any], programs: Iterable[dict[str, Any]]) -> None:
        """Take one document's row and its program rows (keys as in the tables; other keys unused)."""
        rows = list(programs)
        self.add_columns(document, {name: [row.get(name) for row in rows] for name in PROGRAM_FIELDS})

    def add_columns(self, document: dict[str, Any], programs: dict[str, list[Any]]) -> None:
        """Take one document's row and its programs as columns (``PROGRAM_FIELDS``, at least)."""
        year = compute_publication_years([document])[document["source"]]
        department = document.get("department")
        name_key, fiscal_year, budget_yen = programs["name_key"], programs["fiscal_year"], programs["budget_yen"]
        flags, line_start, ordinal = programs["flags"], programs["line_start"], programs["ordinal"]
        budgeted = [i for i in range(len(name_key)) if budget_yen[i] is not None and fiscal_year[i] is not None
                    and not REPEAT_FLAGS.intersection(flags[i] or ())]  # as ``make_candidate`` takes them
        budgeted.sort(key=lambda i: (line_start[i], ordinal[i]))
        seen: set[tuple[str, int]] = set()
        columns = [programs[name] for name in ("name", "budget_thousand_yen", "budget_yen", "budget_text",
                                               "budget_qualifier", "budget_basis", "doc_id", "program_id")]
        descriptions = programs["description"]  # kept as their digests: linking compares nothing else
        source, code = programs["source"], programs["government_code"]
        for i in budgeted:
            key = (name_key[i], fiscal_year[i])
            extra = key in seen
            seen.add(key)
            self.pending.append((code[i] or "", department or "", name_key[i], fiscal_year[i], extra, source[i],
                                 line_start[i], ordinal[i], self.taken, code[i], department,
                                 *(column[i] for column in columns), digest_description(descriptions[i]), year))
            self.taken += 1
        if self.spill is not None and len(self.pending) >= self.SPILL_EVERY:
            self.runs.append(self.write_records(sorted(self.pending)))
            self.pending = []
            if len(self.runs) >= self.MAX_RUNS:
                self.merge_runs()

    def merge_runs(self) -> None:
        """Merge the spilled files of candidates into one, in order."""
        runs = list(self.runs)
        merged = self.write_records(heapq.merge(*[self.read_records(path) for path in runs]))
        for path in runs:
            path.unlink(missing_ok=True)
            self.runs.remove(path)
        self.runs.append(merged)

    def write_records(self, records: Iterable[Any]) -> Path:
        """Write records (candidates, or rows) to a temporary file beside ``spill``, read back by this run
        alone: ``marshal``'s bytes (plain values: strings, numbers, None, tuples, lists and dicts, read back
        as they were, in a third of the time JSON takes), ``SPILL_CHUNK`` records at a time."""
        from .files import open_temp

        assert self.spill is not None
        fh, path = open_temp(self.spill)
        self.runs.append(path)  # removed by ``discard`` should the writing fail
        with fh:
            iterator = iter(records)
            while chunk := list(itertools.islice(iterator, SPILL_CHUNK)):
                data = marshal.dumps(chunk)
                fh.write(len(data).to_bytes(4, "little") + data)  # (marshal.load of a file reads it a piece at a time)
        self.runs.remove(path)
        return path

    def read_records(self, path: Path) -> Iterator[Any]:
        with open(path, "rb") as fh:
            while size := fh.read(4):
                yield from marshal.loads(fh.read(int.from_bytes(size, "little")))

    def iter_rows(self) -> Iterator[dict[str, Any]]:
        """Yield the ``budget_history`` rows, in the order of ``make_group_key``."""
        self.pending.sort()
        try:
            records = heapq.merge(*[self.read_records(path) for path in self.runs], iter(self.pending))
            entries = (self.choose(group) for _, group in itertools.groupby(records, key=GROUP_OF_RECORD))
            for _, government in itertools.groupby(entries, key=lambda entry: entry.chosen.government_code or ""):
                yield from self.link_government(government)
        finally:
            self.discard()

    def choose(self, group: Iterable[tuple]) -> HistoryEntry:
        """The entry of one program and fiscal year, from its candidates' records."""
        firsts: list[Candidate] = []
        extras: list[Candidate] = []
        for record in group:
            code, department, name, thousand, yen, text, qualifier, basis, doc_id, program_id, description, year = \
                record[SORT_WIDTH:]  # (``CANDIDATE_FIELDS``)
            cand = Candidate(record[2], name, record[3], thousand, yen, text, qualifier, basis, doc_id, record[5],
                             program_id, record[6], year, code, department, description)
            (extras if record[4] else firsts).append(cand)
        return choose_entry(firsts, extras)

    def link_government(self, entries: Iterable[HistoryEntry]) -> Iterator[dict[str, Any]]:
        """Yield the rows of one government's entries (in group-key order, taken one at a time), each linked
        to its previous year. Only each entry's ``LinkKey`` is kept; its row waits for the links in memory,
        or, past ``SPILL_EVERY // 4`` candidates in all, in a file."""
        keys: list[LinkKey] = []
        rows: list[dict[str, Any]] = []
        files: list[Path] = []
        size = 0
        for entry in entries:
            keys.append(make_link_key(entry.chosen, digested=True))
            rows.append(make_history_row(entry))
            size += 1 + len(entry.others)  # a program printed by many documents lists them all
            if self.spill is not None and size >= self.SPILL_EVERY // 4:
                files.append(self.write_records(rows))
                self.runs.append(files[-1])
                rows, size = [], 0
        links = find_links(keys)
        stream = itertools.chain(*[self.read_records(path) for path in files], rows)
        for row, link in zip(stream, links):
            if link is not None:
                set_previous(row, keys[link[0]], link[1])
            yield row
        for path in files:
            path.unlink(missing_ok=True)
            self.runs.remove(path)

    def discard(self) -> None:
        """Remove the spilled files."""
        for path in self.runs:
            path.unlink(missing_ok=True)
        self.runs = []


def set_previous(row: dict[str, Any], previous: LinkKey, rule: str) -> None:
    """Fill a history row's previous year and change (as ``make_history_row`` of a linked entry does)."""
    change_yen = row["budget_yen"] - previous.budget_yen
    row["previous_fiscal_year"] = previous.fiscal_year
    row["previous_name_key"] = previous.name_key
    row["link_rule"] = rule
    row["previous_budget_thousand_yen"] = previous.budget_thousand_yen
    row["change_thousand_yen"] = (row["budget_thousand_yen"] - previous.budget_thousand_yen
                                  if row["budget_thousand_yen"] is not None and previous.budget_thousand_yen is not None
                                  else None)
    row["change_yen"] = change_yen
    row["change_ratio"] = round(change_yen / previous.budget_yen, 6) if previous.budget_yen else None


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
        "government_code": c.government_code,
        "department": c.department,
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
        "previous_name_key": e.previous_name_key,
        "link_rule": e.link_rule,
        "previous_budget_thousand_yen": e.previous_budget_thousand_yen,
        "change_thousand_yen": change_thousand,
        "change_yen": change_yen,
        "change_ratio": round(change_yen / e.previous_budget_yen, 6) if change_yen is not None and e.previous_budget_yen else None,
    }


def make_history_rows(documents: Iterable[dict[str, Any]], programs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the ``budget_history`` table rows, sorted by name key and fiscal year."""
    return [make_history_row(e) for e in build_budget_history(list(documents), list(programs))]
