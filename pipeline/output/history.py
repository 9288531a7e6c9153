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

from dataclasses import dataclass, replace
from typing import Any, Iterable

from ..parse.fields import parse_era_year

REPEAT_FLAGS = frozenset({"再掲", "一部再掲"})
ENACTED = "予算額"
PROPOSED = frozenset({"予算額（案）", "予算額(案)", "予算案"})


@dataclass(frozen=True)
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
        if row.get("budget_yen") is None or row.get("fiscal_year") is None:
            continue
        if REPEAT_FLAGS.intersection(row.get("flags") or ()):
            continue
        cand = Candidate(
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
            publication_year=years.get(row["source"]),
            government_code=row.get("government_code"),
            department=departments.get(row["source"]),
            description=row.get("description"),
        )
        key = (cand.name_key, cand.fiscal_year, cand.source)
        if key in firsts:
            extras.append(cand)
        else:
            firsts[key] = cand
    return tuple(firsts.values()), tuple(extras)


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


def choose_budgets(candidates: Iterable[Candidate], extras: Iterable[Candidate] = ()) -> tuple[HistoryEntry, ...]:
    """Pick one candidate per (name_key, fiscal_year) and link each to the previous year present."""
    groups: dict[tuple[str, str, str, int], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(make_group_key(c), []).append(c)
    extra_groups: dict[tuple[str, str, str, int], list[Candidate]] = {}
    for c in extras:
        extra_groups.setdefault(make_group_key(c), []).append(c)
    entries: list[HistoryEntry] = []
    for key in sorted(groups):
        ranked = sorted(groups[key], key=rank_candidate)
        best = ranked[0]
        rule, note = explain_choice(best, ranked[1] if len(ranked) > 1 else None)
        others = tuple(ranked[1:]) + tuple(sorted(extra_groups.get(key, []), key=rank_candidate))
        entries.append(HistoryEntry(best, rule, note, others, None, None, None))
    return link_years(entries)


def make_group_key(c: Candidate) -> tuple[str, str, str, int]:
    """A program is one government's and department's name key (a null sorts first, as "")."""
    return (c.government_code or "", c.department or "", c.name_key, c.fiscal_year)


def normalize_description(text: str | None) -> str:
    return "".join((text or "").split())


def find_previous(entry: HistoryEntry, entries: list[HistoryEntry]) -> tuple[HistoryEntry | None, str | None]:
    """Return the entry ``entry`` continues from an earlier fiscal year, and the rule that links them."""
    c = entry.chosen
    earlier = [e for e in entries if e.chosen.fiscal_year < c.fiscal_year and e.chosen.government_code == c.government_code]
    same = [e for e in earlier if e.chosen.name_key == c.name_key
            and (e.chosen.department == c.department or e.chosen.department is None or c.department is None)]
    if same:
        year = max(e.chosen.fiscal_year for e in same)
        latest = [e for e in same if e.chosen.fiscal_year == year]
        exact = [e for e in latest if e.chosen.department == c.department]
        if exact:
            return exact[0], "same_name"
        if len(latest) == 1:
            return latest[0], "same_name_department_unstated"
        return None, None  # two departments' programs of that name the year before: neither is taken
    description = normalize_description(c.description)
    if c.department is None or not description:
        return None, None
    continued = {(e.chosen.name_key, e.chosen.department) for e in entries if e.chosen.fiscal_year == c.fiscal_year
                 and e.chosen.government_code == c.government_code}
    renamed = [e for e in earlier if e.chosen.department == c.department and e.chosen.name_key != c.name_key
               and (e.chosen.name_key, e.chosen.department) not in continued
               and normalize_description(e.chosen.description) == description]
    if not renamed:
        return None, None
    year = max(e.chosen.fiscal_year for e in renamed)
    latest = [e for e in renamed if e.chosen.fiscal_year == year]
    return (latest[0], "renamed_same_description") if len(latest) == 1 else (None, None)


def link_years(entries: list[HistoryEntry]) -> tuple[HistoryEntry, ...]:
    """Give each entry its previous year (``find_previous``), the entries in group-key order."""
    by_government: dict[str | None, list[HistoryEntry]] = {}
    for entry in entries:
        by_government.setdefault(entry.chosen.government_code, []).append(entry)
    linked = []
    for entry in entries:
        prev, rule = find_previous(entry, by_government[entry.chosen.government_code])
        if prev is None:
            linked.append(entry)
            continue
        p = prev.chosen
        linked.append(replace(entry, previous_fiscal_year=p.fiscal_year, previous_budget_yen=p.budget_yen,
                              previous_budget_thousand_yen=p.budget_thousand_yen, link_rule=rule,
                              previous_name_key=p.name_key))
    return tuple(linked)


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
