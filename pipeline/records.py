"""Record types passed between the stages.

Input: nothing (this module imports no stage; units come from ``text.vocab``).
Output: frozen dataclasses; every record carries its source position.
"""

from __future__ import annotations

import hashlib
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, TypeVar

from .text.vocab import UNIT_FACTORS

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_MEMORY = 4 * 1024 * 1024 * 1024

RecordT = TypeVar("RecordT")


def make_quickly(cls: type[RecordT]) -> type[RecordT]:
    """Give a frozen dataclass an ``__init__`` that puts its fields straight into the instance's dict.

    For the records made for every line and program of every document (a physical line, a span, a
    logical line, a budget): dataclass's own ``__init__`` of a frozen class sets each field through
    ``object.__setattr__``, which takes more than twice as long. Nothing else changes: the same
    parameters and defaults, equality, hash, repr, ``replace``, pickling, and no assignment after.
    A class with a field this cannot make as dataclass does (a default factory, a field left out
    of ``__init__`` or given by keyword only, an init-only variable, a name the new ``__init__``
    uses itself) or a ``__post_init__`` is left as it is.
    """
    specs = fields(cls)  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__") or len(specs) != len(cls.__dataclass_fields__):  # type: ignore[attr-defined]
        return cls  # (an init-only variable is among the dataclass's fields, not among ``fields``)
    names, params, defaults = [], [], {}
    for spec in specs:
        if (not spec.init or spec.default_factory is not MISSING or spec.kw_only is True
                or spec.name in ("self", "values") or spec.name.startswith("default_")):
            return cls
        names.append(spec.name)
        if spec.default is MISSING:
            params.append(spec.name)
        else:
            defaults[f"default_{spec.name}"] = spec.default
            params.append(f"{spec.name}=default_{spec.name}")
    body = "".join(f"    values[{name!r}] = {name}\n" for name in names)
    namespace: dict[str, Any] = dict(defaults)
    exec(f"def __init__(self, {', '.join(params)}):\n    values = self.__dict__\n{body}", namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


@dataclass(frozen=True)
class Limits:
    """What one document may cost: bytes on disk, seconds, and memory beyond the process's own."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    max_memory: int = DEFAULT_MAX_MEMORY


@make_quickly
@dataclass(frozen=True)
class Span:
    """Where a piece of text sits in its source: 1-based physical lines, inclusive."""

    line_start: int
    line_end: int
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def merge(self, other: "Span") -> "Span":
        """Return the smallest span covering both spans (same page assumed first)."""
        bbox = self.bbox
        if bbox is not None and other.bbox is not None and self.page == other.page:
            bbox = (
                min(bbox[0], other.bbox[0]),
                min(bbox[1], other.bbox[1]),
                max(bbox[2], other.bbox[2]),
                max(bbox[3], other.bbox[3]),
            )
        return Span(
            min(self.line_start, other.line_start),
            max(self.line_end, other.line_end),
            self.page if self.page is not None else other.page,
            bbox,
        )


@dataclass(frozen=True)
class Column:
    """The table column a line was read from: its header (``説明``) and its edges in PDF points."""

    header: str
    x0: float
    x1: float


@make_quickly
@dataclass(frozen=True)
class SourceLine:
    """One physical line as the reader found it (``column``: the ledger column it sits in, if any)."""

    number: int
    text: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    column: Column | None = None


@dataclass(frozen=True)
class ScannedProgram:
    """A 事業 row of a budget book page read by OCR (``read.scan_book``): its code and name as read,
    its line and box, its 款・項・目 names, and its amount (as printed, in ``unit``) only when a sum
    printed on the page confirms it (``evidence`` says which); else ``amount`` is None."""

    name: str
    code: str | None
    raw: str
    span: Span
    section_path: tuple[str, ...] = ()
    amount: str | None = None
    unit: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class SourceDocument:
    """A file read into lines. ``source`` is relative to the input folder."""

    source: str
    format: str
    doc_id: str
    size: int
    encoding: str | None
    lines: tuple[SourceLine, ...]
    warnings: tuple[str, ...] = ()  # what the reader could not trust (vertical text, unmapped digits)
    page_sizes: tuple[tuple[float, float], ...] = ()  # a PDF's pages: (width, height) in points
    n_pages: int | None = None  # a PDF's pages (text files have none)
    # pages read by OCR: their lines are kept for provenance, never read by the text rules;
    # their 事業 rows come as ``scanned``, amounts confirmed or null
    scanned_pages: tuple[int, ...] = ()
    scanned: tuple[ScannedProgram, ...] = ()


@dataclass(frozen=True)
class ReadFailure:
    """A file the reader could not turn into lines."""

    source: str
    format: str
    doc_id: str
    size: int
    status: str
    error: str
    encoding: str | None = None


@make_quickly
@dataclass(frozen=True)
class Line:
    """A logical line: one or more physical lines joined by wrap repair.

    ``raw`` keeps the printed text (physical lines joined by a newline);
    ``text`` is the parse form (see ``text.forms.to_parse_form``).
    """

    raw: str
    text: str
    span: Span
    indented: bool = False
    blank_before: bool = True
    blank_after: bool = True
    column: Column | None = None


@make_quickly
@dataclass(frozen=True)
class Rate:
    """A subsidy rate ``numerator/denominator``, with the condition it applies under."""

    numerator: int
    denominator: int
    condition: str | None = None


@make_quickly
@dataclass(frozen=True)
class Budget:
    """A printed budget figure: its exact value in yen, the unit it was printed in, and the text.

    ``【236,194千円】`` is 236,194,000 yen in 千円; ``3億2,000万円`` is 320,000,000 yen in 万円;
    ``△653`` in a 千円 column is -653,000 yen.
    """

    yen: int
    unit: str
    text: str
    qualifier: str | None = None

    @property
    def thousand_yen(self) -> int | None:
        """The amount in thousands of yen, whenever it is a whole number of thousands."""
        return self.yen // 1000 if self.yen % 1000 == 0 else None

    @property
    def amount(self) -> int | None:
        """The amount in the unit it was printed in (236,194 of ``236,194千円``), when whole."""
        factor = UNIT_FACTORS.get(self.unit)
        return self.yen // factor if factor and self.yen % factor == 0 else None


@make_quickly
@dataclass(frozen=True)
class Annotations:
    """What a heading or item line says besides its name."""

    name: str
    flags: tuple[str, ...] = ()
    rates: tuple[Rate, ...] = ()
    rate_text: str | None = None
    budget: Budget | None = None
    funding_scheme: str | None = None
    page_refs: tuple[int, ...] = ()
    note_refs: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    unread_budgets: tuple[str, ...] = ()  # brackets printed as budgets whose amount cannot be read: "【0.0005千円】"


@make_quickly
@dataclass(frozen=True)
class Context:
    """Fiscal year and budget basis in force at a point of the document."""

    fiscal_year: int | None = None
    budget_basis: str | None = None
    source: str | None = None
    line: int | None = None


@make_quickly
@dataclass(frozen=True)
class ItemBlock:
    """A sub-item line of a program block (``○``, ``≪例≫``, ``＜対象＞``, ``①``, bullets)."""

    kind: str
    text: str
    raw: str
    span: Span
    parent: int | None = None
    detail: tuple[Line, ...] = ()


@dataclass(frozen=True)
class ProgramBlock:
    """A program's heading with everything the segmenter gave it."""

    heading: str
    heading_raw: str
    span: Span
    annotation_lines: tuple[Line, ...]
    description: tuple[Line, ...]
    items: tuple[ItemBlock, ...]
    section: str | None
    subsection: str | None
    context: Context
    marker: str
    numbering: str | None = None
    section_line: int | None = None
    subsection_line: int | None = None
    budget: Budget | None = None  # read from a ledger's or table's amount column, not from the heading's text
    section_path: tuple[str, ...] = ()  # 款, 項, 目, 細目 names of a budget book row
    flags: tuple[str, ...] = ()  # flags the block's table states for all its rows ("主な新規事業")
    prior: Budget | None = None  # the previous year's amount printed beside the budget
    prior_fiscal_year: int | None = None
    change: Budget | None = None  # a printed change (増減, 比較)


@dataclass(frozen=True)
class ListedName:
    """A line of a numbered list of program names: ``12. 訪問系介護サービス暑さ対策緊急支援事業``."""

    name: str
    raw: str
    numbering: str
    span: Span


@dataclass(frozen=True)
class DetailPage:
    """A page about one program, headed by its name: ``# 在宅療養環境整備支援事業`` and its lines."""

    name: str
    span: Span
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class TotalCheck:
    """A total printed in the document compared with the budgets it covers."""

    stated_thousand_yen: int
    computed_thousand_yen: int
    n_programs: int
    line: int
    text: str

    @property
    def matches(self) -> bool:
        return self.stated_thousand_yen == self.computed_thousand_yen


@dataclass(frozen=True)
class Outline:
    """The segmenter's view of one document."""

    title: str | None
    title_line: int | None
    context: Context
    reading_order: str
    blocks: tuple[ProgramBlock, ...]
    totals: tuple[tuple[int, int, str, tuple[int, ...]], ...] = ()  # stated, line, text, block indices
    warnings: tuple[str, ...] = ()
    listed: tuple[ListedName, ...] = ()
    detail_pages: tuple[DetailPage, ...] = ()


@make_quickly
@dataclass(frozen=True)
class Item:
    program_id: str
    ordinal: int
    kind: str
    text: str
    text_raw: str
    flags: tuple[str, ...]
    subsidy_rates: tuple[Rate, ...]
    subsidy_rate_text: str | None
    detail: str | None
    parent_ordinal: int | None
    span: Span


@make_quickly
@dataclass(frozen=True)
class Program:
    doc_id: str
    source: str
    program_id: str
    ordinal: int
    name: str
    name_raw: str
    name_key: str
    section: str | None
    subsection: str | None
    budget: Budget | None
    fiscal_year: int | None
    budget_basis: str | None
    flags: tuple[str, ...]
    subsidy_rates: tuple[Rate, ...]
    subsidy_rate_text: str | None
    funding_scheme: str | None
    page_refs: tuple[int, ...]
    note_refs: tuple[str, ...]
    remarks: tuple[str, ...]
    description: str | None
    numbering: str | None
    span: Span
    items: tuple[Item, ...] = field(default=())
    listed_only: bool = False
    rates_span: Span | None = None
    section_line: int | None = None
    subsection_line: int | None = None
    section_path: tuple[str, ...] = ()
    prior: Budget | None = None
    prior_fiscal_year: int | None = None
    change: Budget | None = None
    qualified_by: str | None = None


# The kinds of document ``documents.document_kind`` names (see ``parse.metadata``).
DOCUMENT_KINDS = ("budget_summary", "supplementary_summary", "budget_book", "budget_bill", "meeting_packet",
                  "newsletter", "other")


@dataclass(frozen=True)
class Evidence:
    """Where one metadata field's value was read: the document's text (its line) or the manifest (its row)."""

    field: str
    origin: str  # "text" or "manifest"
    line: int | None
    text: str


@dataclass(frozen=True)
class DocumentMetadata:
    """Who published a document, for which budget and meeting: each field null unless printed or stated."""

    government_code: str | None = None
    government_name: str | None = None
    department: str | None = None
    document_kind: str | None = None
    budget_kind: str | None = None
    budget_number: int | None = None
    meeting_name: str | None = None
    meeting_date: str | None = None
    material_number: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ManifestEntry:
    """One row of the input folder's manifest (``sources.csv``): what its publisher states of a file.

    ``values`` holds the fields that passed their check (``government_code``, ``source_url``,
    ``retrieved``…); ``problems`` says what was left out and why, naming the manifest's line.
    """

    file: str
    line: int
    values: tuple[tuple[str, str | int], ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    """The manifest of an input folder: its entries by file, and the problems no document owns."""

    name: str
    entries: tuple[ManifestEntry, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentResult:
    """Everything extracted from one input file."""

    source: str
    format: str
    doc_id: str
    size: int
    encoding: str | None
    status: str
    error: str | None
    title: str | None = None
    fiscal_year: int | None = None
    fiscal_year_source: str | None = None
    budget_basis: str | None = None
    reading_order: str | None = None
    n_lines: int = 0
    programs: tuple[Program, ...] = ()
    totals: tuple[TotalCheck, ...] = ()
    warnings: tuple[str, ...] = ()
    metadata: DocumentMetadata = DocumentMetadata()
    n_pages: int | None = None


def compute_doc_id(data: bytes) -> str:
    """Return the stable document id: the first 16 hex digits of the bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]
