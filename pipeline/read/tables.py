"""Ruled tables: the cells that a page's straight lines and rects rule, engine-neutral.

Input: rules (``pages.Shapes``: lines and rects, with ``x0``, ``top``, ``x1``, ``bottom`` in
page points, top-down, and a rect's ``height``) from either PDF engine, or pdfplumber's records
of them (the rules OCR finds on a scan, ``scan_book``). Output: ``RuledTable``
records: the table's box, its rows (cells left to right, None where a merged cell spans) and
each row's box.

This is pdfplumber's table finder (``page.find_tables`` with both strategies ``explicit``
and every rule passed as an explicit line, its default tolerances of 3 points) rebuilt
step for step and with the same arithmetic, so that the cells are the same to the last bit,
twice: on arrays (numpy) for a page of many rules (a budget book's), on Python lists for a
few (numpy's cost a call outweighs the work there; ``ARRAY_RULES``). Rules become edges (a rect its four sides, a line one edge, horizontal
when its top equals its bottom, else vertical); edges within 3 points of each other snap
to their mean, edges in line within 3 points join, edges under 3 points long go; where a
vertical and a horizontal edge meet (3 points of slack) is a corner; a cell is the
smallest rectangle of corners whose sides run along edges; cells that share a corner make
one table. ``tests/test_pdf_engines.py`` checks the cells of both against pdfplumber's own
finder.

On arrays, corners are kept on a grid (``Grid``): the distinct x of the corners are its columns, their
distinct y its rows. Two corners of one column share a vertical edge when one edge spans
both; the edges of a column that span a corner are all those whose span (3 points of slack)
holds its y, so for each corner the lowest corner it shares an edge with (``down``) says
which corners below it does; ``right`` says the same along a row. A cell opens at a corner
with the first corner below and the first to the right it shares edges with, when they and
the far corner close the rectangle (most cells); else the corners further down and right
are tried in pdfplumber's order.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import numpy as np

from .pages import Shapes, make_shapes_from_dicts

try:  # the compiled core (``_pdfcore.c``), built by ``pip install``; without it the finder runs on arrays or lists
    from . import _pdfcore
except ImportError:  # pragma: no cover - a source tree without the built module
    _pdfcore = None  # type: ignore[assignment]
CORE = _pdfcore  # None for the Python code alone (a test sets it so)

SNAP = 3.0  # points: edges closer than this snap to their mean position
JOIN = 3.0  # points: edges in line with a gap up to this are joined
MIN_EDGE = 3.0  # points: shorter edges are dropped
MEET = 3.0  # points: slack where a vertical and a horizontal edge meet
ARRAY_RULES = 90  # rules from which the tables are found on arrays: fewer are quicker on lists

Box = tuple[float, float, float, float]
X0, TOP, X1, BOTTOM = 0, 1, 2, 3  # the columns of an edge array: one edge a row


@dataclass(frozen=True, slots=True)
class RuledTable:
    """A table found from rules: its box, its rows' cells (None where a cell spans) and row boxes."""

    bbox: Box
    rows: list[list[Box | None]]
    row_boxes: list[Box]


@dataclass(frozen=True, slots=True)
class Grid:
    """The corners where edges meet, on a grid of their distinct ``xs`` (columns) and ``ys`` (rows).

    ``corner[r, c]`` tells whether there is a corner at ``(xs[c], ys[r])``; at a corner, ``down``
    is the lowest row of the corners of its column it shares a vertical edge with, ``right`` the
    rightmost column of the corners of its row it shares a horizontal edge with.
    """

    xs: np.ndarray
    ys: np.ndarray
    corner: np.ndarray
    down: np.ndarray
    right: np.ndarray


# -- on arrays -------------------------------------------------------------------------


def make_edges(rules: Shapes) -> tuple[np.ndarray, np.ndarray]:
    """Return the rules' vertical and horizontal edges, one ``[x0, top, x1, bottom]`` row each.

    Vertical edges come first from every rule, then horizontal ones, each in rule order
    (a rect gives its left and right sides, its top and bottom sides): the order
    pdfplumber's explicit lines take, which the snapping means depend on.
    """
    rect, x0, top, x1, bottom, height = rules.rect, rules.x0, rules.top, rules.x1, rules.bottom, rules.height
    rects = np.flatnonzero(rect)
    level = top == bottom
    lines = np.flatnonzero(~rect & ~level)  # a line: vertical unless perfectly level (a slanted one is taken as vertical)
    vertical = np.concatenate([
        np.stack([x0[rects], top[rects], x0[rects], bottom[rects]], axis=1),
        np.stack([x1[rects], top[rects], x1[rects], bottom[rects]], axis=1),
        np.stack([x0[lines], top[lines], x1[lines], bottom[lines]], axis=1),
    ])
    vertical = vertical[np.argsort(np.concatenate([2 * rects, 2 * rects + 1, 2 * lines]), kind="stable")]
    lines = np.flatnonzero(~rect & level)
    horizontal = np.concatenate([
        np.stack([x0[rects], top[rects], x1[rects], top[rects]], axis=1),
        np.stack([x0[rects], top[rects] + height[rects], x1[rects], bottom[rects]], axis=1),  # height as the engine measured it
        np.stack([x0[lines], top[lines], x1[lines], bottom[lines]], axis=1),
    ])
    horizontal = horizontal[np.argsort(np.concatenate([2 * rects, 2 * rects + 1, 2 * lines]), kind="stable")]
    return vertical, horizontal


def snap(edges: np.ndarray, key: int, tolerance: float) -> np.ndarray:
    """Move edges whose ``key`` coordinates chain within ``tolerance`` to their mean (pdfplumber's
    ``snap_objects``): clusters in order of position, edges in input order within a cluster.

    A mean is the sum of the cluster's coordinates in input order divided by their count, as
    pdfplumber takes it (Python's ``sum``, one addition after another: a sum in another order may
    differ in the last bit). The clusters' coordinates are laid out one cluster a row, zeros after,
    and summed along the rows one addition after another (``cumsum``).
    """
    n = len(edges)
    if n < 2:
        return edges
    keys = edges[:, key]
    by_key = np.argsort(keys, kind="stable")
    ordered = keys[by_key]
    starts = np.ones(n, dtype=bool)
    starts[1:] = ~(ordered[1:] <= ordered[:-1] + tolerance)  # a gap wider than the tolerance opens a cluster
    cluster = np.empty(n, dtype=np.int64)
    cluster[by_key] = np.cumsum(starts) - 1
    order = np.argsort(cluster, kind="stable")
    edges, cluster = edges[order], cluster[order]
    counts = np.bincount(cluster)
    if counts.max() == 1:
        return edges
    firsts = np.cumsum(counts) - counts
    laid = np.zeros((len(counts), int(counts.max())))
    laid[cluster, np.arange(n) - firsts[cluster]] = edges[:, key]
    means = np.cumsum(laid, axis=1)[:, -1] / counts
    shift = means[cluster] - edges[:, key]
    moved = (counts[cluster] > 1) & (shift != 0.0)
    if moved.any():
        edges = edges.copy()
        edges[moved, key] += shift[moved]
        edges[moved, key + 2] += shift[moved]
    return edges


def join(edges: np.ndarray, key: int, lo: int, hi: int, tolerance: float) -> np.ndarray:
    """Join edges of one line (the same ``key`` coordinate, ``lo``..``hi`` along it) that overlap
    or nearly touch, then drop those shorter than ``MIN_EDGE``; lines in order of ``key``, edges
    along each in order of ``lo``.

    An edge joins the one before when it starts within ``tolerance`` of the farthest end met
    so far on its line; a joined edge is its first edge reaching to that end.
    """
    n = len(edges)
    if not n:
        return edges
    edges = edges[np.lexsort((edges[:, lo], edges[:, key]))]
    lines, starts, ends = edges[:, key], edges[:, lo], edges[:, hi]
    new_line = np.ones(n, dtype=bool)
    new_line[1:] = lines[1:] != lines[:-1]
    # the farthest end before each edge on its line: a running maximum of the ends' ranks, each line
    # above the lines before it (exact: no arithmetic on the coordinates)
    by_end = np.argsort(ends)
    rank = np.empty(n, dtype=np.int64)
    rank[by_end] = np.arange(n)
    line_of = np.cumsum(new_line) - 1
    reach = ends[by_end[np.maximum.accumulate(line_of * n + rank)[:-1] - line_of[1:] * n]]
    opens = new_line
    opens[1:] |= ~(starts[1:] <= reach + tolerance)
    firsts = np.flatnonzero(opens)
    joined = edges[firsts]
    farthest = np.maximum.reduceat(ends, firsts)
    joined[:, hi] = np.where(farthest > joined[:, hi], farthest, joined[:, hi])
    return joined[joined[:, hi] - joined[:, lo] >= MIN_EDGE]


def merge_edges(vertical: np.ndarray, horizontal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Snap, join and filter edges as pdfplumber's ``merge_edges`` and ``filter_edges`` do: vertical
    edges by ``(x0, top)``, horizontal ones by ``(top, x0)``."""
    vertical = join(snap(vertical, X0, SNAP), X0, TOP, BOTTOM, JOIN)
    horizontal = join(snap(horizontal, TOP, SNAP), TOP, X0, X1, JOIN)
    return vertical, horizontal


def find_corners(vertical: np.ndarray, horizontal: np.ndarray) -> Grid | None:
    """Return the grid of the points where a vertical and a horizontal edge meet, or None when none do.

    They meet as pdfplumber's test has it, its bounds computed as it computes them: the vertical
    edge reaches from 3 points above to 3 points below the horizontal one, and its x lies within
    3 points of the horizontal one's ends. The edges come sorted (``merge_edges``).
    """
    if not len(vertical) or not len(horizontal):
        return None
    x, v_top, v_bottom = vertical[:, X0], vertical[:, TOP], vertical[:, BOTTOM]
    y = horizontal[:, TOP]
    starts, ends = horizontal[:, X0] - MEET, horizontal[:, X1] + MEET
    meets = ((v_top[:, None] <= (y + MEET)[None, :]) & (v_bottom[:, None] >= (y - MEET)[None, :])
             & (starts[None, :] <= x[:, None]) & (x[:, None] <= ends[None, :]))
    met_v, met_h = meets.any(axis=1), meets.any(axis=0)
    if not met_v.any():
        return None
    x, v_top, v_bottom, meets = x[met_v], v_top[met_v], v_bottom[met_v], meets[np.ix_(met_v, met_h)]
    y, starts, ends = y[met_h], starts[met_h], ends[met_h]
    # the edges are sorted by x (vertical) and by y (horizontal): a new value opens a column or a row
    new_x = np.ones(len(x), dtype=bool)
    new_x[1:] = x[1:] != x[:-1]
    new_y = np.ones(len(y), dtype=bool)
    new_y[1:] = y[1:] != y[:-1]
    xs, ys = x[new_x], y[new_y]
    column_of, row_of = np.cumsum(new_x) - 1, np.cumsum(new_y) - 1
    corner = np.zeros((len(ys), len(xs)), dtype=bool)
    pairs_v, pairs_h = np.nonzero(meets)
    corner[row_of[pairs_h], column_of[pairs_v]] = True
    # the rows each vertical edge spans, the columns each horizontal one does (an interval each)
    down = spread_reach(np.flatnonzero(new_x), np.searchsorted(ys + MEET, v_top, "left"),
                        np.searchsorted(ys - MEET, v_bottom, "right") - 1, len(ys)).T
    right = spread_reach(np.flatnonzero(new_y), np.searchsorted(xs, starts, "left"),
                         np.searchsorted(xs, ends, "right") - 1, len(xs))
    return Grid(xs, ys, corner, down, right)


def spread_reach(firsts_of_lines: np.ndarray, firsts: np.ndarray, lasts: np.ndarray, size: int) -> np.ndarray:
    """For every place of every line, the farthest place that an edge of the line spanning it
    reaches: the greatest ``lasts`` of the line's edges whose span ``firsts..lasts`` holds it, -1
    where none does. The edges come line by line, ``firsts_of_lines`` the first edge of each."""
    places = np.arange(size)
    held = (firsts[:, None] <= places[None, :]) & (places[None, :] <= lasts[:, None])
    return np.maximum.reduceat(np.where(held, lasts[:, None], -1), firsts_of_lines, axis=0)


def find_cells(grid: Grid) -> np.ndarray:
    """Return the smallest cell that opens at each corner (pdfplumber's ``intersections_to_cells``),
    one ``[row, column, bottom row, right column]`` of the grid a cell, in the order of their
    corners (by x, then y).

    The first cell pdfplumber finds at a corner is the one with the nearest corner below, then the
    nearest corner to the right, that close a rectangle along edges.
    """
    corner, down, right = grid.corner, grid.down, grid.right
    n_rows, n_columns = corner.shape
    # the next corner below each place of a column, and to the right of each place of a row
    below = np.where(corner, np.arange(n_rows)[:, None], n_rows)
    below = np.minimum.accumulate(below[::-1], axis=0)[::-1]
    below = np.vstack([below[1:], np.full((1, n_columns), n_rows)])
    after = np.where(corner, np.arange(n_columns)[None, :], n_columns)
    after = np.minimum.accumulate(after[:, ::-1], axis=1)[:, ::-1]
    after = np.hstack([after[:, 1:], np.full((n_rows, 1), n_columns)])
    columns, rows = np.nonzero(corner.T)  # the corners by x, then y
    b, r = below[rows, columns], after[rows, columns]
    opens = (b < n_rows) & (r < n_columns)
    opens[opens] = (down[rows[opens], columns[opens]] >= b[opens]) & (right[rows[opens], columns[opens]] >= r[opens])
    rows, columns, b, r = rows[opens], columns[opens], b[opens], r[opens]
    closed = corner[b, r] & (down[rows, r] >= b) & (right[b, columns] >= r)
    cells = np.stack([rows, columns, b, r], axis=1)
    if closed.all():
        return cells
    found = np.ones(len(cells), dtype=bool)
    has, reach_down, reach_right = corner.tolist(), down.tolist(), right.tolist()
    for k in np.flatnonzero(~closed).tolist():
        cell = find_wider_cell(has, reach_down, reach_right, *cells[k].tolist())
        if cell is None:
            found[k] = False
        else:
            cells[k] = cell
    return cells[found]


def find_wider_cell(has: list[list[bool]], down: list[list[int]], right: list[list[int]], row: int, column: int,
                    first_below: int, first_right: int) -> tuple[int, int, int, int] | None:
    """The cell at the corner ``(row, column)`` when its nearest corners below and to the right do not
    close one: the corners below it along a vertical edge in order, and for each the corners to its
    right along a horizontal edge in order (pdfplumber's search), or None."""
    lowest, farthest = down[row][column], right[row][column]
    for b in range(first_below, lowest + 1):
        if not has[b][column]:
            continue
        reach = right[b][column]
        for r in range(first_right, farthest + 1):
            if has[row][r] and has[b][r] and down[row][r] >= b and reach >= r:
                return row, column, b, r
    return None


def group_cells(cells: np.ndarray, n_columns: int) -> list[list[int]]:
    """Group cells that share a corner, directly or through others, into tables of two cells or more
    (each a list of places in ``cells``), in the order of their first cells, each in order
    (pdfplumber's ``cells_to_tables`` before its final sort).

    A forest of cells (union-find): a cell meeting a corner that a cell before it has is joined to
    that cell's tree, each tree's root its first cell.
    """
    if not len(cells):
        return []
    parent = list(range(len(cells)))
    top, x0, bottom, x1 = cells.T
    corners = np.stack([top * n_columns + x0, bottom * n_columns + x0, top * n_columns + x1, bottom * n_columns + x1],
                       axis=1)
    owner = [-1] * int(corners.max() + 1)
    for i, four in enumerate(corners.tolist()):
        for corner in four:
            j = owner[corner]
            if j < 0:
                owner[corner] = i
                continue
            while parent[j] != j:
                j = parent[j]
            r = i
            while parent[r] != r:
                r = parent[r]
            if r < j:
                parent[j] = r
            elif j < r:
                parent[r] = j
    groups: dict[int, list[int]] = {}
    for i in range(len(cells)):
        r = i
        while parent[r] != r:
            r = parent[r]
        parent[i] = r
        groups.setdefault(r, []).append(i)
    return [group for group in groups.values() if len(group) > 1]


def make_table(cells: np.ndarray, grid: Grid) -> RuledTable:
    """A table of its cells: rows top to bottom, each over every column start of the table (None
    where a merged cell spans)."""
    xs, ys = grid.xs, grid.ys
    cells = cells[np.lexsort((cells[:, 1], cells[:, 0]))]
    top, x0, bottom, x1 = cells.T
    boxes = list(zip(xs[x0].tolist(), ys[top].tolist(), xs[x1].tolist(), ys[bottom].tolist()))
    present = np.zeros(len(xs), dtype=bool)
    present[x0] = True
    n_columns = int(present.sum())
    place = np.cumsum(present) - 1  # a column start's place in the table's rows
    opens = np.ones(len(cells), dtype=bool)
    opens[1:] = top[1:] != top[:-1]
    firsts = np.flatnonzero(opens)
    flat: list[Box | None] = [None] * (len(firsts) * n_columns)
    for at, box in zip(((np.cumsum(opens) - 1) * n_columns + place[x0]).tolist(), boxes):
        flat[at] = box
    rows = [flat[at:at + n_columns] for at in range(0, len(flat), n_columns)]
    row_boxes = list(zip(xs[x0[firsts]].tolist(), ys[top[firsts]].tolist(), xs[np.maximum.reduceat(x1, firsts)].tolist(),
                         ys[np.maximum.reduceat(bottom, firsts)].tolist()))
    bbox = (float(xs[x0.min()]), float(ys[top.min()]), float(xs[x1.max()]), float(ys[bottom.max()]))
    return RuledTable(bbox, rows, row_boxes)


def find_tables_on_grid(rules: Shapes) -> list[RuledTable]:
    """``find_ruled_tables`` on arrays and a grid of corners: quicker than lists for many rules."""
    grid = find_corners(*merge_edges(*make_edges(rules)))
    if grid is None:
        return []
    cells = find_cells(grid)
    groups = group_cells(cells, len(grid.xs))
    # top to bottom, then left to right, by each table's first corner
    first = (cells[:, 0] * len(grid.xs) + cells[:, 1]).tolist()
    groups.sort(key=lambda group: min(first[k] for k in group))
    return [make_table(cells[group], grid) for group in groups]


def find_tables_compiled(rules: Shapes) -> list[RuledTable] | None:
    """``find_tables_on_grid`` in compiled code (``_pdfcore.find_tables``, the same steps on C arrays), or
    None when the core is not built or a coordinate is not finite."""
    if CORE is None:
        return None
    found = CORE.find_tables(np.ascontiguousarray(rules.rect, dtype=bool), *(
        np.ascontiguousarray(column, dtype=np.float64) for column in (rules.x0, rules.top, rules.x1, rules.bottom, rules.height)))
    if found is None:
        return None
    return [RuledTable(bbox, rows, row_boxes) for bbox, rows, row_boxes in found]


def find_ruled_tables(rules: Shapes | list[dict]) -> list[RuledTable]:
    """Return the tables that the rules (rects and lines, in this order of theirs; as ``Shapes``, or
    as pdfplumber's records, the rules OCR finds on a scan) draw, top to bottom (pdfplumber's
    explicit-lines finder): in compiled code when built (``find_tables_compiled``), else on lists
    for a few rules and on arrays for more (``ARRAY_RULES``)."""
    if isinstance(rules, list):
        rules = make_shapes_from_dicts(rules)
    found = find_tables_compiled(rules)
    if found is not None:
        return found
    if len(rules) < ARRAY_RULES:
        return find_tables_in_lists(rules)
    return find_tables_on_grid(rules)


# -- on lists --------------------------------------------------------------------------


def make_edge_lists(rules: Shapes) -> tuple[list[list[float]], list[list[float]]]:
    """Return the rules' vertical and horizontal edges as ``[x0, top, x1, bottom]`` lists, in the
    order ``make_edges`` gives them."""
    vertical: list[list[float]] = []
    horizontal: list[list[float]] = []
    columns = list(zip(rules.rect.tolist(), rules.x0.tolist(), rules.top.tolist(), rules.x1.tolist(), rules.bottom.tolist(),
                       rules.height.tolist()))
    for rect, x0, top, x1, bottom, _ in columns:
        if rect:
            vertical.append([x0, top, x0, bottom])
            vertical.append([x1, top, x1, bottom])
        elif top != bottom:  # a line: vertical unless perfectly level (a slanted one is taken as vertical)
            vertical.append([x0, top, x1, bottom])
    for rect, x0, top, x1, bottom, height in columns:
        if rect:
            horizontal.append([x0, top, x1, top])
            horizontal.append([x0, top + height, x1, bottom])  # height as the engine measured it
        elif top == bottom:
            horizontal.append([x0, top, x1, bottom])
    return vertical, horizontal


def snap_edge_lists(edges: list[list[float]], key: int, tolerance: float) -> list[list[float]]:
    """Move edges whose ``key`` coordinates chain within ``tolerance`` to their mean (pdfplumber's
    ``snap_objects``): clusters in order of position, edges in input order within a cluster."""
    at = itemgetter(key)
    keys = list(map(at, edges))
    cluster_of: dict[float, int] = {}
    n = -1
    last = None
    for v in sorted(set(keys)):
        if last is None or not v <= last + tolerance:
            n += 1
        cluster_of[v] = n
        last = v
    clusters: list[list[list[float]]] = [[] for _ in range(n + 1)]
    for e, c in zip(edges, map(cluster_of.__getitem__, keys)):
        clusters[c].append(e)
    out: list[list[float]] = []
    other = key + 2
    for cluster in clusters:
        if len(cluster) == 1:  # its own mean: not moved
            out.append(cluster[0])
            continue
        mean = sum(map(at, cluster)) / len(cluster)
        for e in cluster:
            shift = mean - e[key]
            if shift == 0.0:
                out.append(e)
                continue
            moved = list(e)
            moved[key] = e[key] + shift
            moved[other] = e[other] + shift
            out.append(moved)
    return out


def join_edge_lists(edges: list[list[float]], lo: int, hi: int, tolerance: float) -> list[list[float]]:
    """Join edges of one line (``lo``..``hi`` along it) that overlap or nearly touch."""
    ordered = sorted(edges, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                grown = list(last)
                grown[hi] = e[hi]
                joined[-1] = grown
        else:
            joined.append(e)
    return joined


def merge_edge_lists(vertical: list[list[float]], horizontal: list[list[float]]) -> tuple[list, list]:
    """``merge_edges`` on lists."""
    vertical = snap_edge_lists(vertical, 0, SNAP)
    horizontal = snap_edge_lists(horizontal, 1, SNAP)
    out_v: list[list[float]] = []
    x_of, top_of = itemgetter(0), itemgetter(1)
    for _, group in groupby(sorted(vertical, key=x_of), key=x_of):
        line = list(group)
        out_v.extend(e for e in (join_edge_lists(line, 1, 3, JOIN) if len(line) > 1 else line) if e[3] - e[1] >= MIN_EDGE)
    out_h: list[list[float]] = []
    for _, group in groupby(sorted(horizontal, key=top_of), key=top_of):
        line = list(group)
        out_h.extend(e for e in (join_edge_lists(line, 0, 2, JOIN) if len(line) > 1 else line) if e[2] - e[0] >= MIN_EDGE)
    return out_v, out_h


def find_corner_sets(vertical: list, horizontal: list) -> dict[tuple[float, float], tuple[set, set]]:
    """Return each point where a vertical and a horizontal edge meet, with the edges through it
    (by number: after joining, no two edges of one direction have the same box)."""
    corners: dict[tuple[float, float], tuple[set, set]] = {}
    horizontal = sorted(horizontal, key=itemgetter(1, 0))
    tops = [h[1] for h in horizontal]
    # the bounds of pdfplumber's test, each computed as it computes them
    above = [t + MEET for t in tops]
    below = [t - MEET for t in tops]
    starts = [h[0] - MEET for h in horizontal]
    ends = [h[2] + MEET for h in horizontal]
    reach = MEET + 1e-6  # a little wider than the test: the search must not drop a candidate
    left = bisect.bisect_left
    right = bisect.bisect_right
    for n, v in enumerate(sorted(vertical, key=itemgetter(0, 1))):
        x, v_top, v_bottom = v[0], v[1], v[3]
        for i in range(left(tops, v_top - reach), right(tops, v_bottom + reach)):
            if v_top <= above[i] and v_bottom >= below[i] and starts[i] <= x <= ends[i]:
                point = (x, tops[i])
                found = corners.get(point)
                if found is None:
                    corners[point] = ({n}, {i})
                else:
                    found[0].add(n)
                    found[1].add(i)
    return corners


def find_cells_of_corners(corners: dict[tuple[float, float], tuple[set, set]]) -> list[Box]:
    """Return the smallest cell that opens at each corner (pdfplumber's ``intersections_to_cells``)."""
    points = sorted(corners)
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for p in points:  # in sorted order: a column top to bottom, a row left to right
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    right_at = {p: i for row in by_y.values() for i, p in enumerate(row)}

    # Two corners of one column connect when a vertical edge runs through both, two of one
    # row when a horizontal one does. The first cell found is the one pdfplumber finds: the
    # corners below in order, and for each the corners to the right in order. The columns are
    # taken left to right and each top to bottom: the corners in sorted order.
    cells: list[Box] = []
    get = corners.get
    for column in by_x.values():
        n_column = len(column)
        for first_below, p in enumerate(column, start=1):
            if first_below == n_column:  # the lowest corner of its column opens no cell
                break
            row = by_y[p[1]]
            first_right = right_at[p] + 1
            n_row = len(row)
            if first_right == n_row:
                continue
            p_vertical, p_horizontal = corners[p]
            along: dict[int, bool] = {}  # right corner (by place in the row) -> on a horizontal edge with p
            found = None
            for k in range(first_below, n_column):
                b = column[k]
                b_vertical, b_horizontal = corners[b]
                if p_vertical.isdisjoint(b_vertical):
                    continue
                y = b[1]
                for m in range(first_right, n_row):
                    r = row[m]
                    ok = along.get(m)
                    if ok is None:
                        ok = along[m] = not p_horizontal.isdisjoint(corners[r][1])
                    if not ok:
                        continue
                    far = get((r[0], y))
                    if far is not None and not far[0].isdisjoint(corners[r][0]) and not far[1].isdisjoint(b_horizontal):
                        found = (p[0], p[1], r[0], y)
                        break
                if found:
                    break
            if found:
                cells.append(found)
    return cells


def group_cells_by_corner(cells: list[Box]) -> list[list[Box]]:
    """Group cells that share a corner, directly or through others, into tables of two cells or more,
    top to bottom, then left to right (pdfplumber's ``cells_to_tables``).

    A forest of cells (union-find): a cell meeting a corner that a cell before it has is joined to
    that cell's tree, each tree's root its first cell; the tables come in the order of their first
    cells before the final sort, their cells in order, as pdfplumber's search leaves them.
    """
    parent = list(range(len(cells)))
    owner: dict[tuple[float, float], int] = {}
    claim = owner.setdefault
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = claim(corner, i)
            if j == i:
                continue
            while parent[j] != j:
                j = parent[j]
            r = i
            while parent[r] != r:
                r = parent[r]
            if r < j:
                parent[j] = r
            elif j < r:
                parent[r] = j
    groups: dict[int, list[int]] = {}
    for i in range(len(cells)):
        r = i
        while parent[r] != r:
            r = parent[r]
        parent[i] = r
        groups.setdefault(r, []).append(i)
    tables = [[cells[k] for k in group] for group in groups.values() if len(group) > 1]
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return tables


def make_rows(cells: list[Box]) -> tuple[list[list[Box | None]], list[Box]]:
    """Rows of a table's cells, top to bottom, each over every column start of the table."""
    xs = sorted(set(c[0] for c in cells))
    rows: list[list[Box | None]] = []
    boxes: list[Box] = []
    for _, row_cells in groupby(sorted(cells, key=itemgetter(1, 0)), key=itemgetter(1)):
        at = {c[0]: c for c in row_cells}
        row = [at.get(x) for x in xs]
        present = [c for c in row if c is not None]
        rows.append(row)
        boxes.append((min(c[0] for c in present), min(c[1] for c in present),
                      max(c[2] for c in present), max(c[3] for c in present)))
    return rows, boxes


def find_tables_in_lists(rules: Shapes) -> list[RuledTable]:
    """``find_ruled_tables`` on Python lists, step for step as pdfplumber takes them: quicker than
    arrays for a few rules."""
    vertical, horizontal = merge_edge_lists(*make_edge_lists(rules))
    tables = []
    for cells in group_cells_by_corner(find_cells_of_corners(find_corner_sets(vertical, horizontal))):
        rows, boxes = make_rows(cells)
        bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        tables.append(RuledTable(bbox, rows, boxes))
    return tables
