"""Vertical writing in part of a page: where a horizontal page sets blocks in 縦書き.

Input: a page's characters (dicts with ``text``, ``x0``, ``top``, ``x1``, ``bottom``, ``size``,
``upright``, as ``pages.PageRecord`` gives them) and the boxes of its ruled tables. Output: the
boxes of the page's regions set vertically, each with the characters that stand in it.

A newsletter's budget page may print its tables across and its list of programs down, in
columns read right to left (広報おといねっぷ: 「◇水道メーター交換事業［６３７万円］」 down one column,
its figures set across inside the column, 縦中横). Read across, such a block comes out as rows
of unrelated characters. Here a *chain* is a run of at least ``MIN_CHAIN`` upright characters,
each starting right below the one before (within 0.3 em, centres within 0.2 em) and none with a
character right after it on its own baseline. Chains whose boxes stand side by side (within
``COLUMN_GAP`` em, overlapping in height) or one above the other (within 1 em) make a region. A
region is kept when it holds at least ``MIN_REGION`` characters of chains, when they are at
least ``MIN_PURITY`` of the characters standing in it (so that text set across is not turned),
when most of them are not figures (figures of a table's rows, right-aligned, stack too), and
when it overlaps no ruled table (whose narrow head cells stack their words).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_CHAIN = 4  # characters: fewer stacked make a label
MIN_REGION = 20  # characters of chains in a region
MIN_PURITY = 0.8  # of the characters standing in a region, the share in chains
COLUMN_GAP = 3.0  # em between two columns of one block of vertical text
MAX_FIGURES = 0.5  # the share of a region's chain characters that may be figures


@dataclass
class Region:
    """A box of the page set vertically, and the characters of its chains."""

    x0: float
    top: float
    x1: float
    bottom: float
    em: float
    n_chained: int
    n_figures: int
    chars: list[dict] = field(default_factory=list)

    def holds(self, ch: dict) -> bool:
        """Tell whether a character's centre stands in the region."""
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        return self.x0 - 0.5 <= cx <= self.x1 + 0.5 and self.top - 0.5 <= cy <= self.bottom + 0.5

    def absorb(self, other: Region) -> None:
        """Grow to hold ``other`` too."""
        self.x0, self.top = min(self.x0, other.x0), min(self.top, other.top)
        self.x1, self.bottom = max(self.x1, other.x1), max(self.bottom, other.bottom)
        self.em = max(self.em, other.em)
        self.n_chained += other.n_chained
        self.n_figures += other.n_figures


def find_chains(chars: list[dict]) -> list[list[dict]]:
    """Return the runs of upright characters that go down a column (see the module docstring)."""
    glyphs = [ch for ch in chars if ch["text"] and not ch["text"].isspace() and ch["upright"]]
    n = len(glyphs)
    sizes = [ch["size"] or 1.0 for ch in glyphs]
    across: set[int] = set()
    by_row = sorted(range(n), key=lambda i: (round(glyphs[i]["top"]), glyphs[i]["x0"]))
    for a, b in zip(by_row, by_row[1:]):
        c, d = glyphs[a], glyphs[b]
        if abs(d["top"] - c["top"]) < 0.2 * sizes[a] and 0 <= d["x0"] - c["x1"] < 0.3 * sizes[a]:
            across.add(a)
    mids = [(ch["x0"] + ch["x1"]) / 2 for ch in glyphs]
    below: dict[int, int] = {}
    by_column = sorted(range(n), key=lambda i: (round(mids[i]), glyphs[i]["top"]))
    for a, b in zip(by_column, by_column[1:]):
        if a in across:
            continue
        if abs(mids[b] - mids[a]) < 0.2 * sizes[a] and 0 <= glyphs[b]["top"] - glyphs[a]["bottom"] < 0.3 * sizes[a]:
            below[a] = b
    above = set(below.values())
    chains = []
    for start in below:
        if start in above:
            continue
        chain = [start]
        while chain[-1] in below:
            chain.append(below[chain[-1]])
        if len(chain) >= MIN_CHAIN:
            chains.append([glyphs[i] for i in chain])
    return chains


def merge_regions(regions: list[Region]) -> list[Region]:
    """Merge regions side by side (within ``COLUMN_GAP`` em, overlapping in height) or one above
    the other (within 1 em, overlapping in width), until none more merge."""
    merged = True
    while merged:
        merged = False
        out: list[Region] = []
        for region in regions:
            for other in out:
                em = max(region.em, other.em)
                x_gap = max(region.x0 - other.x1, other.x0 - region.x1)
                y_gap = max(region.top - other.bottom, other.top - region.bottom)
                if (x_gap <= COLUMN_GAP * em and y_gap < 0) or (y_gap <= em and x_gap < 0):
                    other.absorb(region)
                    merged = True
                    break
            else:
                out.append(region)
        regions = out
    return regions


def find_vertical_regions(chars: list[dict], tables: list[tuple[float, float, float, float]]) -> list[Region]:
    """Return the regions of a page set vertically, each with the characters standing in it
    (in the page's order), or none."""
    regions = [
        Region(min(c["x0"] for c in chain), min(c["top"] for c in chain), max(c["x1"] for c in chain),
               max(c["bottom"] for c in chain), max(c["size"] or 1.0 for c in chain), len(chain),
               sum(c["text"].isdigit() for c in chain))
        for chain in find_chains(chars)
    ]
    kept = []
    for region in merge_regions(regions):
        if region.n_chained < MIN_REGION or region.n_figures > MAX_FIGURES * region.n_chained:
            continue
        if any(region.x0 < t[2] and t[0] < region.x1 and region.top < t[3] and t[1] < region.bottom for t in tables):
            continue
        region.chars = [ch for ch in chars if region.holds(ch)]
        visible = sum(1 for ch in region.chars if ch["text"] and not ch["text"].isspace())
        if region.n_chained >= MIN_PURITY * visible:
            kept.append(region)
    return kept
