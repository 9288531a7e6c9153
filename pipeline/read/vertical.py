"""Vertical writing in part of a page: where a horizontal page sets blocks in 縦書き.

Input: a page's characters (``pages.Chars``, the columns ``pages.PageRecord`` gives) and the
boxes of its ruled tables. Output: the boxes of the page's regions set vertically, each with the
places (indices into the page's characters) of the characters that stand in it.

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

from .pages import Chars

MIN_CHAIN = 4  # characters: fewer stacked make a label
MIN_REGION = 20  # characters of chains in a region
MIN_PURITY = 0.8  # of the characters standing in a region, the share in chains
COLUMN_GAP = 3.0  # em between two columns of one block of vertical text
MAX_FIGURES = 0.5  # the share of a region's chain characters that may be figures


@dataclass
class Region:
    """A box of the page set vertically, and the places of the characters that stand in it."""

    x0: float
    top: float
    x1: float
    bottom: float
    em: float
    n_chained: int
    n_figures: int
    places: list[int] = field(default_factory=list)

    def absorb(self, other: Region) -> None:
        """Grow to hold ``other`` too."""
        self.x0, self.top = min(self.x0, other.x0), min(self.top, other.top)
        self.x1, self.bottom = max(self.x1, other.x1), max(self.bottom, other.bottom)
        self.em = max(self.em, other.em)
        self.n_chained += other.n_chained
        self.n_figures += other.n_figures


def find_chains(chars: Chars) -> list[list[int]]:
    """Return the runs of upright characters that go down a column (see the module docstring), each as
    the places of its characters."""
    text = chars.text
    glyphs = [i for i, (t, up) in enumerate(zip(text, chars.upright.tolist())) if t and not t.isspace() and up]
    x0s, x1s = [chars.x0[glyphs].tolist(), chars.x1[glyphs].tolist()]
    tops, bottoms = chars.top[glyphs].tolist(), chars.bottom[glyphs].tolist()
    n = len(glyphs)
    sizes = [size or 1.0 for size in chars.size[glyphs].tolist()]
    across: set[int] = set()
    by_row = sorted(range(n), key=lambda i: (round(tops[i]), x0s[i]))
    for a, b in zip(by_row, by_row[1:]):
        if abs(tops[b] - tops[a]) < 0.2 * sizes[a] and 0 <= x0s[b] - x1s[a] < 0.3 * sizes[a]:
            across.add(a)
    mids = [(x0 + x1) / 2 for x0, x1 in zip(x0s, x1s)]
    below: dict[int, int] = {}
    by_column = sorted(range(n), key=lambda i: (round(mids[i]), tops[i]))
    for a, b in zip(by_column, by_column[1:]):
        if a in across:
            continue
        if abs(mids[b] - mids[a]) < 0.2 * sizes[a] and 0 <= tops[b] - bottoms[a] < 0.3 * sizes[a]:
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


def find_vertical_regions(chars: Chars, tables: list[tuple[float, float, float, float]]) -> list[Region]:
    """Return the regions of a page set vertically, each with the places of the characters standing in
    it (a character stands where its centre is), in the page's order, or none."""
    text = chars.text
    x0s, x1s, tops, bottoms = chars.x0.tolist(), chars.x1.tolist(), chars.top.tolist(), chars.bottom.tolist()
    sizes = chars.size.tolist()
    regions = [
        Region(min(x0s[i] for i in chain), min(tops[i] for i in chain), max(x1s[i] for i in chain),
               max(bottoms[i] for i in chain), max(sizes[i] or 1.0 for i in chain), len(chain),
               sum(text[i].isdigit() for i in chain))
        for chain in find_chains(chars)
    ]
    kept = []
    cxs = (chars.x0 + chars.x1) / 2
    cys = (chars.top + chars.bottom) / 2
    for region in merge_regions(regions):
        if region.n_chained < MIN_REGION or region.n_figures > MAX_FIGURES * region.n_chained:
            continue
        if any(region.x0 < t[2] and t[0] < region.x1 and region.top < t[3] and t[1] < region.bottom for t in tables):
            continue
        inside = ((region.x0 - 0.5 <= cxs) & (cxs <= region.x1 + 0.5) & (region.top - 0.5 <= cys)
                  & (cys <= region.bottom + 0.5))
        region.places = inside.nonzero()[0].tolist()
        visible = sum(1 for i in region.places if text[i] and not text[i].isspace())
        if region.n_chained >= MIN_PURITY * visible:
            kept.append(region)
    return kept
