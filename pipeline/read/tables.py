"""Ruled tables: the cells that a page's straight lines and rects rule, engine-neutral.

Input: rule records (``object_type`` ``"line"`` or ``"rect"``, with ``x0``, ``top``, ``x1``,
``bottom`` in page points, top-down, and a rect's ``height``) from either PDF engine. Output: ``RuledTable`` records:
the table's box, its rows (cells left to right, None where a merged cell spans) and each
row's box.

This is pdfplumber's table finder (``page.find_tables`` with both strategies ``explicit``
and every rule passed as an explicit line, its default tolerances of 3 points) rebuilt on
plain records, step for step and with the same arithmetic, so that the cells are the same
to the last bit: rules become edges (a rect its four sides, a line one edge, horizontal
when its top equals its bottom, else vertical); edges within 3 points of each other snap
to their mean, edges in line within 3 points join, edges under 3 points long go; where a
vertical and a horizontal edge meet (3 points of slack) is a corner; a cell is the
smallest rectangle of corners whose sides run along edges; cells that share a corner make
one table. Only the search is faster than pdfplumber's (sorted indexes instead of
comparing every pair), which matters on a budget book page of a few hundred rules.
``tests/test_pdf_engines.py`` checks the cells against pdfplumber's own finder.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

SNAP = 3.0  # points: edges closer than this snap to their mean position
JOIN = 3.0  # points: edges in line with a gap up to this are joined
MIN_EDGE = 3.0  # points: shorter edges are dropped
MEET = 3.0  # points: slack where a vertical and a horizontal edge meet

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class RuledTable:
    """A table found from rules: its box, its rows' cells (None where a cell spans) and row boxes."""

    bbox: Box
    rows: list[list[Box | None]]
    row_boxes: list[Box]


def make_edges(rules: list[dict]) -> tuple[list[list[float]], list[list[float]]]:
    """Return the rules' vertical and horizontal edges as ``[x0, top, x1, bottom]`` lists.

    Vertical edges come first from every rule, then horizontal ones, each in rule order
    (a rect gives its left and right sides, its top and bottom sides): the order
    pdfplumber's explicit lines take, which the snapping means depend on.
    """
    vertical: list[list[float]] = []
    horizontal: list[list[float]] = []
    for rule in rules:
        x0, top, x1, bottom = rule["x0"], rule["top"], rule["x1"], rule["bottom"]
        if rule["object_type"] == "rect":
            vertical.append([x0, top, x0, bottom])
            vertical.append([x1, top, x1, bottom])
        elif top != bottom:  # a line: vertical unless perfectly level (a slanted one is taken as vertical)
            vertical.append([x0, top, x1, bottom])
    for rule in rules:
        x0, top, x1, bottom = rule["x0"], rule["top"], rule["x1"], rule["bottom"]
        if rule["object_type"] == "rect":
            horizontal.append([x0, top, x1, top])
            horizontal.append([x0, top + rule["height"], x1, bottom])  # height as the engine measured it
        elif top == bottom:
            horizontal.append([x0, top, x1, bottom])
    return vertical, horizontal


def snap(edges: list[list[float]], key: int, tolerance: float) -> list[list[float]]:
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


def join(edges: list[list[float]], lo: int, hi: int, tolerance: float) -> list[list[float]]:
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


def merge_edges(vertical: list[list[float]], horizontal: list[list[float]]) -> tuple[list, list]:
    """Snap, join and filter edges as pdfplumber's ``merge_edges`` and ``filter_edges`` do."""
    vertical = snap(vertical, 0, SNAP)
    horizontal = snap(horizontal, 1, SNAP)
    out_v: list[list[float]] = []
    x_of, top_of = itemgetter(0), itemgetter(1)
    for _, group in groupby(sorted(vertical, key=x_of), key=x_of):
        line = list(group)
        out_v.extend(e for e in (join(line, 1, 3, JOIN) if len(line) > 1 else line) if e[3] - e[1] >= MIN_EDGE)
    out_h: list[list[float]] = []
    for _, group in groupby(sorted(horizontal, key=top_of), key=top_of):
        line = list(group)
        out_h.extend(e for e in (join(line, 0, 2, JOIN) if len(line) > 1 else line) if e[2] - e[0] >= MIN_EDGE)
    return out_v, out_h


def find_corners(vertical: list, horizontal: list) -> dict[tuple[float, float], tuple[set, set]]:
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


def find_cells(corners: dict[tuple[float, float], tuple[set, set]]) -> list[Box]:
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


def group_cells(cells: list[Box]) -> list[list[Box]]:
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


def find_ruled_tables(rules: list[dict]) -> list[RuledTable]:
    """Return the tables that the rules draw, top to bottom (pdfplumber's explicit-lines finder)."""
    vertical, horizontal = merge_edges(*make_edges(rules))
    tables = []
    for cells in group_cells(find_cells(find_corners(vertical, horizontal))):
        rows, boxes = make_rows(cells)
        bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        tables.append(RuledTable(bbox, rows, boxes))
    return tables
