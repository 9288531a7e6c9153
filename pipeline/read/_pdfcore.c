/*
 * pipeline.read._pdfcore: the compiled core of the PDFium engine and of the ruled-table finder.
 *
 * Input: PDFium handles (integers) and the addresses of PDFium's C functions, taken from
 * pypdfium2's ctypes bindings (``bind_functions``: nothing is linked against PDFium), or a
 * page's rules as arrays. Output: column arrays the caller hands in, filled in place, or the
 * tables of ``tables.find_ruled_tables`` as Python tuples.
 *
 * Every function does what a Python function of ``pdfium_pages.py`` or ``tables.py`` does
 * (the pure-Python fallback, used when this module is not built), with the same arithmetic
 * in double precision, operation for operation (built with ``-ffp-contract=off``: no fused
 * multiply-add), so that a record or a table is the same to the last bit either way.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- PDFium's functions, by address ------------------------------------------------------ */

typedef void *(*get_text_object_fn)(void *, int);
typedef int (*has_map_error_fn)(void *, int);
typedef int (*get_char_origin_fn)(void *, int, double *, double *);
typedef void *(*get_page_object_fn)(void *, int);
typedef void *(*get_form_object_fn)(void *, unsigned long);
typedef int (*get_type_fn)(void *);
typedef int (*count_segments_fn)(void *);
typedef void *(*get_segment_fn)(void *, int);
typedef int (*get_draw_mode_fn)(void *, int *, int *);
typedef int (*get_matrix_fn)(void *, void *);

static get_text_object_fn text_object_of;
static has_map_error_fn map_error_of;
static get_char_origin_fn char_origin_of;
static get_page_object_fn page_object_of;
static get_form_object_fn form_object_of;
static get_type_fn type_of;
static count_segments_fn segments_of;
static get_segment_fn segment_of;
static get_draw_mode_fn draw_mode_of;
static get_matrix_fn matrix_of;
static int bound;

static PyObject *bind_functions(PyObject *self, PyObject *args) {
    unsigned long long a[10];
    if (!PyArg_ParseTuple(args, "KKKKKKKKKK", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &a[6], &a[7], &a[8], &a[9]))
        return NULL;
    for (int i = 0; i < 10; i++) {
        if (!a[i]) {
            PyErr_SetString(PyExc_ValueError, "a PDFium function without an address");
            return NULL;
        }
    }
    text_object_of = (get_text_object_fn)(uintptr_t)a[0];
    map_error_of = (has_map_error_fn)(uintptr_t)a[1];
    char_origin_of = (get_char_origin_fn)(uintptr_t)a[2];
    page_object_of = (get_page_object_fn)(uintptr_t)a[3];
    form_object_of = (get_form_object_fn)(uintptr_t)a[4];
    type_of = (get_type_fn)(uintptr_t)a[5];
    segments_of = (count_segments_fn)(uintptr_t)a[6];
    segment_of = (get_segment_fn)(uintptr_t)a[7];
    draw_mode_of = (get_draw_mode_fn)(uintptr_t)a[8];
    matrix_of = (get_matrix_fn)(uintptr_t)a[9];
    bound = 1;
    Py_RETURN_NONE;
}

static int check_bound(void) {
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "bind_functions was not called");
        return 0;
    }
    return 1;
}

/* A writable or read-only buffer of ``count`` items of ``itemsize`` bytes, C-contiguous. */
static int get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, Py_ssize_t count, int writable,
                      const char *what) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return 0;
    if (view->itemsize != itemsize || (count >= 0 && view->len != itemsize * count)) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_ValueError, "%s: wrong item size or length", what);
        return 0;
    }
    return 1;
}

/* ---- characters -------------------------------------------------------------------------- */

/* read_char_marks(text_page, objects, at, errors, xs, ys, origin_x, origin_y)
 *
 * ``objects`` (uint64, one a character of the text page): each character's text object (0 for
 * none). For the characters at the indices ``at`` (int64): whether PDFium has a map error for
 * it (``errors``, uint8) and its origin (``xs``, ``ys``, float64). The origin is written by
 * PDFium into the doubles at ``origin_x`` and ``origin_y`` and read from there, as the Python
 * loop reads its out-parameters (a failed call leaves the values before).
 */
static PyObject *read_char_marks(PyObject *self, PyObject *args) {
    unsigned long long page_at, x_at, y_at;
    PyObject *o_objects, *o_at, *o_errors, *o_xs, *o_ys;
    if (!PyArg_ParseTuple(args, "KOOOOOKK", &page_at, &o_objects, &o_at, &o_errors, &o_xs, &o_ys, &x_at, &y_at))
        return NULL;
    if (!check_bound())
        return NULL;
    Py_buffer objects, at, errors, xs, ys;
    if (!get_buffer(o_objects, &objects, 8, -1, 1, "objects"))
        return NULL;
    if (!get_buffer(o_at, &at, 8, -1, 0, "at")) {
        PyBuffer_Release(&objects);
        return NULL;
    }
    Py_ssize_t n = at.len / 8, count = objects.len / 8;
    int ok = get_buffer(o_errors, &errors, 1, n, 1, "errors");
    if (ok && !get_buffer(o_xs, &xs, 8, n, 1, "xs")) {
        PyBuffer_Release(&errors);
        ok = 0;
    }
    if (ok && !get_buffer(o_ys, &ys, 8, n, 1, "ys")) {
        PyBuffer_Release(&errors);
        PyBuffer_Release(&xs);
        ok = 0;
    }
    if (!ok) {
        PyBuffer_Release(&objects);
        PyBuffer_Release(&at);
        return NULL;
    }
    void *page = (void *)(uintptr_t)page_at;
    double *x = (double *)(uintptr_t)x_at, *y = (double *)(uintptr_t)y_at;
    uint64_t *obj = objects.buf;
    const int64_t *index = at.buf;
    uint8_t *err = errors.buf;
    double *ox = xs.buf, *oy = ys.buf;
    for (Py_ssize_t i = 0; i < count; i++)
        obj[i] = (uint64_t)(uintptr_t)text_object_of(page, (int)i);
    for (Py_ssize_t k = 0; k < n; k++)
        err[k] = map_error_of(page, (int)index[k]) != 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        char_origin_of(page, (int)index[k], x, y);
        ox[k] = *x;
        oy[k] = *y;
    }
    PyBuffer_Release(&objects);
    PyBuffer_Release(&at);
    PyBuffer_Release(&errors);
    PyBuffer_Release(&xs);
    PyBuffer_Release(&ys);
    Py_RETURN_NONE;
}

/* ---- page objects and paths -------------------------------------------------------------- */

/* list_objects(holder, count, in_form) -> (handles: bytes of uint64, kinds: bytes of int32)
 *
 * The objects a page (``in_form`` 0) or a form object draws, null handles left out, and the
 * type of each.
 */
static PyObject *list_objects(PyObject *self, PyObject *args) {
    unsigned long long holder_at;
    int count, in_form;
    if (!PyArg_ParseTuple(args, "Kii", &holder_at, &count, &in_form))
        return NULL;
    if (!check_bound())
        return NULL;
    if (count < 0)
        count = 0;
    PyObject *handles = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)count * 8);
    PyObject *kinds = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)count * 4);
    if (!handles || !kinds) {
        Py_XDECREF(handles);
        Py_XDECREF(kinds);
        return NULL;
    }
    uint64_t *h = (uint64_t *)PyBytes_AS_STRING(handles);
    int32_t *k = (int32_t *)PyBytes_AS_STRING(kinds);
    void *holder = (void *)(uintptr_t)holder_at;
    int n = 0;
    for (int i = 0; i < count; i++) {
        void *obj = in_form ? form_object_of(holder, (unsigned long)i) : page_object_of(holder, i);
        if (!obj)
            continue;
        h[n] = (uint64_t)(uintptr_t)obj;
        n++;
    }
    for (int i = 0; i < n; i++)
        k[i] = type_of((void *)(uintptr_t)h[i]);
    if (n < count) {
        if (_PyBytes_Resize(&handles, (Py_ssize_t)n * 8) < 0 || _PyBytes_Resize(&kinds, (Py_ssize_t)n * 4) < 0) {
            Py_XDECREF(handles);
            Py_XDECREF(kinds);
            return NULL;
        }
    }
    return Py_BuildValue("(NN)", handles, kinds);
}

#define SEG_LINETO 0
#define SEG_MOVETO 2
#define GRID 100.0

static double snap(double v) { return floor(v * GRID + 0.5) / GRID; }

/* read_plain_paths(paths, alone, height, state_at, kinds, rows)
 *
 * For each path object of ``paths`` (uint64) on a page in pdfplumber's frame, whose points
 * PDFium lays out as ``pdfium_pages.POINT`` says: ``kinds`` (int8) 0 where it has fewer than
 * two segments (not painted), 1 where it is one ruling line and 2 where it is one axis-aligned
 * rectangle, its record in ``rows`` (float64, seven a path: x0, top, x1, bottom, height, fill,
 * stroke); 3 where the Python code must read it. ``alone`` (uint8): whether the path is drawn
 * on the page itself (a line is made only of those: ``place_plain_lines``). Fill, stroke and
 * matrix are written by PDFium into the buffer at ``state_at`` (``PATH_STATE``) and read
 * from there, as in ``read_paths``.
 */
static PyObject *read_plain_paths(PyObject *self, PyObject *args) {
    PyObject *o_paths, *o_alone, *o_kinds, *o_rows;
    double height;
    unsigned long long state_at;
    if (!PyArg_ParseTuple(args, "OOdKOO", &o_paths, &o_alone, &height, &state_at, &o_kinds, &o_rows))
        return NULL;
    if (!check_bound())
        return NULL;
    Py_buffer paths, alone, kinds, rows;
    if (!get_buffer(o_paths, &paths, 8, -1, 0, "paths"))
        return NULL;
    Py_ssize_t n = paths.len / 8;
    if (!get_buffer(o_alone, &alone, 1, n, 0, "alone")) {
        PyBuffer_Release(&paths);
        return NULL;
    }
    if (!get_buffer(o_kinds, &kinds, 1, n, 1, "kinds")) {
        PyBuffer_Release(&paths);
        PyBuffer_Release(&alone);
        return NULL;
    }
    if (!get_buffer(o_rows, &rows, 8, n * 7, 1, "rows")) {
        PyBuffer_Release(&paths);
        PyBuffer_Release(&alone);
        PyBuffer_Release(&kinds);
        return NULL;
    }
    const uint64_t *handle = paths.buf;
    const uint8_t *on_page = alone.buf;
    int8_t *kind = kinds.buf;
    double *row = rows.buf;
    unsigned char *state = (unsigned char *)(uintptr_t)state_at;
    int32_t *modes = (int32_t *)state;
    float *matrix = (float *)(state + 8);
    for (Py_ssize_t p = 0; p < n; p++) {
        void *path = (void *)(uintptr_t)handle[p];
        double *out = row + 7 * p;
        int count = segments_of(path);
        if (count < 2) {
            kind[p] = 0;
            continue;
        }
        draw_mode_of(path, modes, modes + 1);
        matrix_of(path, matrix);
        kind[p] = 3;
        if (count == 2 && on_page[p]) {
            const unsigned char *raw = segment_of(path, 0);
            if (!raw)
                continue;
            if (raw[8] != SEG_MOVETO || raw[20] != SEG_LINETO || raw[21])
                continue;
            float fp[4];
            memcpy(&fp[0], raw, 4);
            memcpy(&fp[1], raw + 4, 4);
            memcpy(&fp[2], raw + 12, 4);
            memcpy(&fp[3], raw + 16, 4);
            double x = fp[0], y = fp[1], u = fp[2], v = fp[3];
            double a = matrix[0], b = matrix[1], c = matrix[2], d = matrix[3], e = matrix[4], f = matrix[5];
            double x0 = a * x + c * y + e, y0 = b * x + d * y + f;
            double x1 = a * u + c * v + e, y1 = b * u + d * v + f;
            int rising = y0 > y1, ordered = x0 < x1;
            double left = ordered ? x0 : x1, right = ordered ? x1 : x0;
            double top = height - (rising ? y0 : y1), bottom = height - (rising ? y1 : y0);
            if (!isfinite(left) || !isfinite(right) || !isfinite(top) || !isfinite(bottom))
                continue;  /* snapping fails on it: the Python code says how */
            out[0] = snap(left);
            out[1] = snap(top);
            out[2] = snap(right);
            out[3] = snap(bottom);
            out[4] = 0.0;
            out[5] = modes[0] != 0;
            out[6] = modes[1] != 0;
            kind[p] = 1;
            continue;
        }
        if (count == 5 && on_page[p]) {
            const unsigned char *raw = segment_of(path, 0);
            if (!raw)
                continue;
            float fx[5], fy[5];
            unsigned char k[5], cl[5];
            for (int i = 0; i < 5; i++) {
                memcpy(&fx[i], raw + 12 * i, 4);
                memcpy(&fy[i], raw + 12 * i + 4, 4);
                k[i] = raw[12 * i + 8];
                cl[i] = raw[12 * i + 9];
            }
            double x = fx[0], y = fy[0];
            if (k[0] != SEG_MOVETO || k[1] != SEG_LINETO || k[2] != SEG_LINETO || k[3] != SEG_LINETO || k[4] != SEG_LINETO
                || cl[1] || cl[2] || cl[3] || !cl[4] || (double)fx[4] != x || (double)fy[4] != y)
                continue;
            double a = matrix[0], b = matrix[1], c = matrix[2], d = matrix[3], e = matrix[4], f = matrix[5];
            double u1 = fx[1], v1 = fy[1], u2 = fx[2], v2 = fy[2], u3 = fx[3], v3 = fy[3];
            double x0 = a * x + c * y + e, y0 = b * x + d * y + f;
            double x1 = a * u1 + c * v1 + e, y1 = b * u1 + d * v1 + f;
            double x2 = a * u2 + c * v2 + e, y2 = b * u2 + d * v2 + f;
            double x3 = a * u3 + c * v3 + e, y3 = b * u3 + d * v3 + f;
            if (!((x0 == x1 && y1 == y2 && x2 == x3 && y3 == y0) || (y0 == y1 && x1 == x2 && y2 == y3 && x3 == x0)))
                continue;
            double lo = y2 < y0 ? y2 : y0, hi = y2 > y0 ? y2 : y0;
            double left = x2 < x0 ? x2 : x0, right = x2 > x0 ? x2 : x0;
            double top = height - hi, bottom = height - lo, tall = hi - lo;
            if (!isfinite(left) || !isfinite(right) || !isfinite(top) || !isfinite(bottom) || !isfinite(tall))
                continue;
            out[0] = floor(left * GRID + 0.5) / GRID;
            out[1] = floor(top * GRID + 0.5) / GRID;
            out[2] = floor(right * GRID + 0.5) / GRID;
            out[3] = floor(bottom * GRID + 0.5) / GRID;
            out[4] = floor(tall * GRID + 0.5) / GRID;
            out[5] = modes[0] != 0;
            out[6] = modes[1] != 0;
            kind[p] = 2;
        }
    }
    PyBuffer_Release(&paths);
    PyBuffer_Release(&alone);
    PyBuffer_Release(&kinds);
    PyBuffer_Release(&rows);
    Py_RETURN_NONE;
}

/* ---- the ruled-table finder (tables.find_tables_on_grid) -------------------------------- */

#define SNAP_TOLERANCE 3.0
#define JOIN_TOLERANCE 3.0
#define MIN_EDGE 3.0
#define MEET 3.0

typedef struct {
    double v[4]; /* x0, top, x1, bottom */
    Py_ssize_t order;
} Edge;

static int key_for_sort; /* the coordinate edges are sorted by (qsort has no context) */
static int lo_for_sort;

/* by the coordinate ``key_for_sort``, then input order: numpy's stable argsort */
static int compare_by_key(const void *pa, const void *pb) {
    const Edge *a = pa, *b = pb;
    double x = a->v[key_for_sort], y = b->v[key_for_sort];
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    return (a->order > b->order) - (a->order < b->order);
}

/* by the coordinate ``key_for_sort``, then ``lo_for_sort``, then input order: a stable lexsort */
static int compare_by_key_lo(const void *pa, const void *pb) {
    const Edge *a = pa, *b = pb;
    double x = a->v[key_for_sort], y = b->v[key_for_sort];
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    x = a->v[lo_for_sort];
    y = b->v[lo_for_sort];
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    return (a->order > b->order) - (a->order < b->order);
}

/* tables.snap: edges whose ``key`` chain within the tolerance moved to their mean; the edges
 * come back cluster by cluster, in input order within one. ``edges`` is reordered in place. */
static int snap_edges(Edge *edges, Py_ssize_t n, int key) {
    if (n < 2)
        return 1;
    Edge *sorted = malloc(sizeof(Edge) * n);
    Py_ssize_t *cluster = malloc(sizeof(Py_ssize_t) * n);
    if (!sorted || !cluster) {
        free(sorted);
        free(cluster);
        PyErr_NoMemory();
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        edges[i].order = i;
    memcpy(sorted, edges, sizeof(Edge) * n);
    key_for_sort = key;
    qsort(sorted, n, sizeof(Edge), compare_by_key);
    Py_ssize_t c = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i == 0 || !(sorted[i].v[key] <= sorted[i - 1].v[key] + SNAP_TOLERANCE))
            c++;
        cluster[sorted[i].order] = c;
    }
    Py_ssize_t n_clusters = c + 1;
    /* counting sort by cluster: stable, input order within a cluster */
    Py_ssize_t *start = calloc(n_clusters + 1, sizeof(Py_ssize_t));
    if (!start) {
        free(sorted);
        free(cluster);
        PyErr_NoMemory();
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        start[cluster[i] + 1]++;
    Py_ssize_t most = 0;
    for (Py_ssize_t k = 0; k < n_clusters; k++) {
        if (start[k + 1] > most)
            most = start[k + 1];
        start[k + 1] += start[k];
    }
    Py_ssize_t *fill = malloc(sizeof(Py_ssize_t) * (n_clusters + 1));
    if (!fill) {
        free(sorted);
        free(cluster);
        free(start);
        PyErr_NoMemory();
        return 0;
    }
    memcpy(fill, start, sizeof(Py_ssize_t) * (n_clusters + 1));
    for (Py_ssize_t i = 0; i < n; i++)
        sorted[fill[cluster[i]]++] = edges[i];
    memcpy(edges, sorted, sizeof(Edge) * n);
    if (most > 1) {
        for (Py_ssize_t k = 0; k < n_clusters; k++) {
            Py_ssize_t first = start[k], count = start[k + 1] - start[k];
            if (count < 2)
                continue;
            /* numpy's cumsum along the row of the cluster's values, zeros after them */
            double sum = edges[first].v[key];
            for (Py_ssize_t i = first + 1; i < first + count; i++)
                sum += edges[i].v[key];
            if (count < most)
                sum += 0.0;
            double mean = sum / (double)count;
            for (Py_ssize_t i = first; i < first + count; i++) {
                double shift = mean - edges[i].v[key];
                if (shift != 0.0) {
                    edges[i].v[key] += shift;
                    edges[i].v[key + 2] += shift;
                }
            }
        }
    }
    free(sorted);
    free(cluster);
    free(start);
    free(fill);
    return 1;
}

/* tables.join: edges of one line that overlap or nearly touch joined, those shorter than
 * MIN_EDGE dropped; lines in order of ``key``, edges in order of ``lo``. Returns the count kept
 * (``edges`` rewritten in place). */
static Py_ssize_t join_edges(Edge *edges, Py_ssize_t n, int key, int lo, int hi) {
    if (!n)
        return 0;
    for (Py_ssize_t i = 0; i < n; i++)
        edges[i].order = i;
    key_for_sort = key;
    lo_for_sort = lo;
    qsort(edges, n, sizeof(Edge), compare_by_key_lo);
    Py_ssize_t kept = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        /* a line: an edge opens a group unless it starts within the tolerance of the farthest end
         * met before it on the line; a group is its first edge reaching to the group's farthest end */
        double line = edges[i].v[key];
        double reach = edges[i].v[hi];
        Edge first = edges[i];
        double farthest = first.v[hi];
        Py_ssize_t j = i + 1;
        for (;; j++) {
            int more = j < n && edges[j].v[key] == line;
            if (!more || !(edges[j].v[lo] <= reach + JOIN_TOLERANCE)) {
                if (farthest > first.v[hi])
                    first.v[hi] = farthest;
                if (first.v[hi] - first.v[lo] >= MIN_EDGE)
                    edges[kept++] = first;
                if (!more)
                    break;
                first = edges[j];
                farthest = first.v[hi];
            } else if (edges[j].v[hi] > farthest) {
                farthest = edges[j].v[hi];
            }
            if (edges[j].v[hi] > reach)
                reach = edges[j].v[hi];
        }
        i = j;
    }
    return kept;
}

/* the place of the first of ``values[0..n)`` (ascending) not below ``v``, plus ``offset`` */
static Py_ssize_t search_left(const double *values, Py_ssize_t n, double offset, double v) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (values[mid] + offset < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* the place of the first of ``values[0..n)`` (ascending) above ``v``, plus ``offset`` */
static Py_ssize_t search_right(const double *values, Py_ssize_t n, double offset, double v) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (values[mid] + offset <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct {
    Py_ssize_t row, column, bottom, right;
} Cell;

static PyObject *make_box(const double *xs, const double *ys, Py_ssize_t c0, Py_ssize_t r0, Py_ssize_t c1, Py_ssize_t r1) {
    return Py_BuildValue("(dddd)", xs[c0], ys[r0], xs[c1], ys[r1]);
}

static int compare_cells(const void *pa, const void *pb) {
    const Cell *a = pa, *b = pb;
    if (a->row != b->row)
        return (a->row > b->row) - (a->row < b->row);
    return (a->column > b->column) - (a->column < b->column);
}

/* tables.make_table: ``(bbox, rows, row_boxes)`` of a table's cells (sorted here) */
static PyObject *make_table(Cell *cells, Py_ssize_t n, const double *xs, const double *ys, Py_ssize_t n_columns_grid) {
    qsort(cells, n, sizeof(Cell), compare_cells); /* (row, column) pairs are distinct: no ties */
    Py_ssize_t *place = malloc(sizeof(Py_ssize_t) * (n_columns_grid + 1));
    if (!place)
        return PyErr_NoMemory();
    for (Py_ssize_t c = 0; c < n_columns_grid; c++)
        place[c] = -1;
    for (Py_ssize_t k = 0; k < n; k++)
        place[cells[k].column] = 0;
    Py_ssize_t n_columns = 0;
    for (Py_ssize_t c = 0; c < n_columns_grid; c++)
        if (place[c] == 0)
            place[c] = n_columns++;
    PyObject *rows = PyList_New(0), *row_boxes = PyList_New(0);
    if (!rows || !row_boxes)
        goto fail;
    Py_ssize_t min_column = cells[0].column, min_row = cells[0].row, max_right = cells[0].right, max_bottom = cells[0].bottom;
    Py_ssize_t k = 0;
    while (k < n) {
        Py_ssize_t first = k, row = cells[k].row, right = cells[k].right, bottom = cells[k].bottom;
        PyObject *line = PyList_New(n_columns);
        if (!line)
            goto fail;
        for (Py_ssize_t c = 0; c < n_columns; c++) {
            Py_INCREF(Py_None);
            PyList_SET_ITEM(line, c, Py_None);
        }
        for (; k < n && cells[k].row == row; k++) {
            Cell *cell = &cells[k];
            PyObject *box = make_box(xs, ys, cell->column, cell->row, cell->right, cell->bottom);
            if (!box) {
                Py_DECREF(line);
                goto fail;
            }
            PyList_SetItem(line, place[cell->column], box);
            if (cell->right > right)
                right = cell->right;
            if (cell->bottom > bottom)
                bottom = cell->bottom;
            if (cell->column < min_column)
                min_column = cell->column;
            if (cell->right > max_right)
                max_right = cell->right;
            if (cell->bottom > max_bottom)
                max_bottom = cell->bottom;
        }
        if (row < min_row)
            min_row = row;
        if (PyList_Append(rows, line) < 0) {
            Py_DECREF(line);
            goto fail;
        }
        Py_DECREF(line);
        PyObject *box = make_box(xs, ys, cells[first].column, row, right, bottom);
        if (!box || PyList_Append(row_boxes, box) < 0) {
            Py_XDECREF(box);
            goto fail;
        }
        Py_DECREF(box);
    }
    free(place);
    PyObject *bbox = make_box(xs, ys, min_column, min_row, max_right, max_bottom);
    if (!bbox) {
        Py_DECREF(rows);
        Py_DECREF(row_boxes);
        return NULL;
    }
    return Py_BuildValue("(NNN)", bbox, rows, row_boxes);
fail:
    free(place);
    Py_XDECREF(rows);
    Py_XDECREF(row_boxes);
    return NULL;
}

/* the root of ``i``'s tree */
static Py_ssize_t find_root(const Py_ssize_t *parent, Py_ssize_t i) {
    while (parent[i] != i)
        i = parent[i];
    return i;
}

typedef struct {
    Py_ssize_t root, first, size;
} Group;

static int compare_groups(const void *pa, const void *pb) {
    const Group *a = pa, *b = pb;
    if (a->first != b->first)
        return (a->first > b->first) - (a->first < b->first);
    return (a->root > b->root) - (a->root < b->root); /* a stable sort: groups in order of their roots */
}

/* The tables of grid cells: grouped by shared corners (``tables.group_cells``), ordered by their
 * first corners, each made a table. */
static PyObject *make_tables(Cell *cells, Py_ssize_t n_cells, const double *xs, const double *ys, Py_ssize_t n_rows,
                             Py_ssize_t n_columns) {
    PyObject *out = PyList_New(0);
    if (!out || !n_cells)
        return out;
    Py_ssize_t n_corners = n_rows * n_columns;
    Py_ssize_t *parent = malloc(sizeof(Py_ssize_t) * n_cells);
    Py_ssize_t *owner = malloc(sizeof(Py_ssize_t) * (n_corners ? n_corners : 1));
    Group *groups = malloc(sizeof(Group) * n_cells);
    Py_ssize_t *group_of = malloc(sizeof(Py_ssize_t) * n_cells);
    Cell *picked = malloc(sizeof(Cell) * n_cells);
    if (!parent || !owner || !groups || !group_of || !picked) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n_cells; i++)
        parent[i] = i;
    for (Py_ssize_t c = 0; c < n_corners; c++)
        owner[c] = -1;
    for (Py_ssize_t i = 0; i < n_cells; i++) {
        Cell *cell = &cells[i];
        Py_ssize_t four[4] = {cell->row * n_columns + cell->column, cell->bottom * n_columns + cell->column,
                              cell->row * n_columns + cell->right, cell->bottom * n_columns + cell->right};
        for (int q = 0; q < 4; q++) {
            Py_ssize_t j = owner[four[q]];
            if (j < 0) {
                owner[four[q]] = i;
                continue;
            }
            j = find_root(parent, j);
            Py_ssize_t r = find_root(parent, i);
            if (r < j)
                parent[j] = r;
            else if (j < r)
                parent[r] = j;
        }
    }
    Py_ssize_t n_groups = 0;
    for (Py_ssize_t i = 0; i < n_cells; i++) {
        Py_ssize_t r = find_root(parent, i);
        parent[i] = r;
        Py_ssize_t first = cells[i].row * n_columns + cells[i].column;
        if (r == i) {
            groups[n_groups].root = i;
            groups[n_groups].first = first;
            groups[n_groups].size = 1;
            group_of[i] = n_groups++;
        } else {
            Group *g = &groups[group_of[r]];
            group_of[i] = group_of[r];
            g->size++;
            if (first < g->first)
                g->first = first;
        }
    }
    /* group_of points into ``groups`` by creation; sort a copy of the order */
    Group *ordered = malloc(sizeof(Group) * (n_groups ? n_groups : 1));
    if (!ordered) {
        PyErr_NoMemory();
        goto fail;
    }
    memcpy(ordered, groups, sizeof(Group) * n_groups);
    qsort(ordered, n_groups, sizeof(Group), compare_groups);
    for (Py_ssize_t g = 0; g < n_groups; g++) {
        if (ordered[g].size < 2)
            continue;
        Py_ssize_t m = 0;
        for (Py_ssize_t i = 0; i < n_cells; i++)
            if (parent[i] == ordered[g].root)
                picked[m++] = cells[i];
        PyObject *table = make_table(picked, m, xs, ys, n_columns);
        if (!table || PyList_Append(out, table) < 0) {
            Py_XDECREF(table);
            free(ordered);
            goto fail;
        }
        Py_DECREF(table);
    }
    free(ordered);
    free(parent);
    free(owner);
    free(groups);
    free(group_of);
    free(picked);
    return out;
fail:
    Py_XDECREF(out);
    free(parent);
    free(owner);
    free(groups);
    free(group_of);
    free(picked);
    return NULL;
}

/* find_tables(rect, x0, top, x1, bottom, height) -> [(bbox, rows, row_boxes), ...] or None
 *
 * ``tables.find_tables_on_grid`` of the rules given as columns (``rect`` uint8, the rest
 * float64). None when a coordinate is not finite (the Python code says what then).
 */
static PyObject *find_tables(PyObject *self, PyObject *args) {
    PyObject *objs[6];
    if (!PyArg_ParseTuple(args, "OOOOOO", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4], &objs[5]))
        return NULL;
    Py_buffer views[6];
    int got = 0;
    PyObject *result = NULL;
    Edge *vertical = NULL, *horizontal = NULL;
    double *xs = NULL, *ys = NULL;
    Py_ssize_t *column_of = NULL, *row_of = NULL, *down = NULL, *right = NULL;
    char *corner = NULL, *met_v = NULL, *met_h = NULL;
    Cell *cells = NULL;
    if (!get_buffer(objs[0], &views[0], 1, -1, 0, "rect"))
        return NULL;
    got = 1;
    Py_ssize_t n = views[0].len;
    for (int i = 1; i < 6; i++) {
        if (!get_buffer(objs[i], &views[i], 8, n, 0, "rules"))
            goto done;
        got++;
    }
    const uint8_t *rect = views[0].buf;
    const double *x0 = views[1].buf, *top = views[2].buf, *x1 = views[3].buf, *bottom = views[4].buf,
                 *height = views[5].buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!isfinite(x0[i]) || !isfinite(top[i]) || !isfinite(x1[i]) || !isfinite(bottom[i]) || !isfinite(height[i])) {
            Py_INCREF(Py_None);
            result = Py_None;
            goto done;
        }
    }
    vertical = malloc(sizeof(Edge) * (2 * n + 1));
    horizontal = malloc(sizeof(Edge) * (2 * n + 1));
    if (!vertical || !horizontal) {
        PyErr_NoMemory();
        goto done;
    }
    /* tables.make_edges */
    Py_ssize_t nv = 0, nh = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (rect[i]) {
            vertical[nv++] = (Edge){{x0[i], top[i], x0[i], bottom[i]}, 0};
            vertical[nv++] = (Edge){{x1[i], top[i], x1[i], bottom[i]}, 0};
            horizontal[nh++] = (Edge){{x0[i], top[i], x1[i], top[i]}, 0};
            horizontal[nh++] = (Edge){{x0[i], top[i] + height[i], x1[i], bottom[i]}, 0};
        } else if (!(top[i] == bottom[i])) {
            vertical[nv++] = (Edge){{x0[i], top[i], x1[i], bottom[i]}, 0};
        } else {
            horizontal[nh++] = (Edge){{x0[i], top[i], x1[i], bottom[i]}, 0};
        }
    }
    /* tables.merge_edges */
    if (!snap_edges(vertical, nv, 0) || !snap_edges(horizontal, nh, 1))
        goto done;
    nv = join_edges(vertical, nv, 0, 1, 3);
    nh = join_edges(horizontal, nh, 1, 0, 2);
    if (!nv || !nh) {
        result = PyList_New(0);
        goto done;
    }
    /* tables.find_corners */
    met_v = calloc(nv, 1);
    met_h = calloc(nh, 1);
    if (!met_v || !met_h) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t v = 0; v < nv; v++) {
        double x = vertical[v].v[0], v_top = vertical[v].v[1], v_bottom = vertical[v].v[3];
        for (Py_ssize_t h = 0; h < nh; h++) {
            double y = horizontal[h].v[1];
            if (v_top <= y + MEET && v_bottom >= y - MEET && horizontal[h].v[0] - MEET <= x && x <= horizontal[h].v[2] + MEET) {
                met_v[v] = 1;
                met_h[h] = 1;
            }
        }
    }
    Py_ssize_t mv = 0, mh = 0;
    for (Py_ssize_t v = 0; v < nv; v++)
        if (met_v[v])
            vertical[mv++] = vertical[v];
    for (Py_ssize_t h = 0; h < nh; h++)
        if (met_h[h])
            horizontal[mh++] = horizontal[h];
    if (!mv) {
        result = PyList_New(0);
        goto done;
    }
    xs = malloc(sizeof(double) * mv);
    ys = malloc(sizeof(double) * mh);
    column_of = malloc(sizeof(Py_ssize_t) * mv);
    row_of = malloc(sizeof(Py_ssize_t) * mh);
    if (!xs || !ys || !column_of || !row_of) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t n_columns = 0, n_rows = 0;
    for (Py_ssize_t v = 0; v < mv; v++) {
        if (v == 0 || vertical[v].v[0] != vertical[v - 1].v[0])
            xs[n_columns++] = vertical[v].v[0];
        column_of[v] = n_columns - 1;
    }
    for (Py_ssize_t h = 0; h < mh; h++) {
        if (h == 0 || horizontal[h].v[1] != horizontal[h - 1].v[1])
            ys[n_rows++] = horizontal[h].v[1];
        row_of[h] = n_rows - 1;
    }
    Py_ssize_t size = n_rows * n_columns;
    corner = calloc(size, 1);
    down = malloc(sizeof(Py_ssize_t) * size);
    right = malloc(sizeof(Py_ssize_t) * size);
    if (!corner || !down || !right) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t v = 0; v < mv; v++) {
        double x = vertical[v].v[0], v_top = vertical[v].v[1], v_bottom = vertical[v].v[3];
        for (Py_ssize_t h = 0; h < mh; h++) {
            double y = horizontal[h].v[1];
            if (v_top <= y + MEET && v_bottom >= y - MEET && horizontal[h].v[0] - MEET <= x && x <= horizontal[h].v[2] + MEET)
                corner[row_of[h] * n_columns + column_of[v]] = 1;
        }
    }
    for (Py_ssize_t i = 0; i < size; i++)
        down[i] = right[i] = -1;
    /* the rows each vertical edge spans (tables.spread_reach): the farthest row reached from each */
    for (Py_ssize_t v = 0; v < mv; v++) {
        Py_ssize_t first = search_left(ys, n_rows, MEET, vertical[v].v[1]);
        Py_ssize_t last = search_right(ys, n_rows, -MEET, vertical[v].v[3]) - 1;
        Py_ssize_t c = column_of[v];
        for (Py_ssize_t r = first; r <= last; r++)
            if (last > down[r * n_columns + c])
                down[r * n_columns + c] = last;
    }
    for (Py_ssize_t h = 0; h < mh; h++) {
        Py_ssize_t first = search_left(xs, n_columns, 0.0, horizontal[h].v[0] - MEET);
        Py_ssize_t last = search_right(xs, n_columns, 0.0, horizontal[h].v[2] + MEET) - 1;
        Py_ssize_t r = row_of[h];
        for (Py_ssize_t c = first; c <= last; c++)
            if (last > right[r * n_columns + c])
                right[r * n_columns + c] = last;
    }
    /* tables.find_cells: corners by column, then row */
    cells = malloc(sizeof(Cell) * (size ? size : 1));
    if (!cells) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t n_cells = 0;
    for (Py_ssize_t c = 0; c < n_columns; c++) {
        for (Py_ssize_t r = 0; r < n_rows; r++) {
            if (!corner[r * n_columns + c])
                continue;
            Py_ssize_t b = r + 1;
            while (b < n_rows && !corner[b * n_columns + c])
                b++;
            Py_ssize_t a = c + 1;
            while (a < n_columns && !corner[r * n_columns + a])
                a++;
            if (b >= n_rows || a >= n_columns)
                continue;
            Py_ssize_t lowest = down[r * n_columns + c], farthest = right[r * n_columns + c];
            if (!(lowest >= b && farthest >= a))
                continue;
            if (corner[b * n_columns + a] && down[r * n_columns + a] >= b && right[b * n_columns + c] >= a) {
                cells[n_cells++] = (Cell){r, c, b, a};
                continue;
            }
            /* tables.find_wider_cell */
            int found = 0;
            for (Py_ssize_t b2 = b; b2 <= lowest && !found; b2++) {
                if (!corner[b2 * n_columns + c])
                    continue;
                Py_ssize_t reach = right[b2 * n_columns + c];
                for (Py_ssize_t a2 = a; a2 <= farthest; a2++) {
                    if (corner[r * n_columns + a2] && corner[b2 * n_columns + a2] && down[r * n_columns + a2] >= b2
                        && reach >= a2) {
                        cells[n_cells++] = (Cell){r, c, b2, a2};
                        found = 1;
                        break;
                    }
                }
            }
        }
    }
    result = make_tables(cells, n_cells, xs, ys, n_rows, n_columns);
done:
    for (int i = 0; i < got; i++)
        PyBuffer_Release(&views[i]);
    free(vertical);
    free(horizontal);
    free(xs);
    free(ys);
    free(column_of);
    free(row_of);
    free(down);
    free(right);
    free(corner);
    free(met_v);
    free(met_h);
    free(cells);
    return result;
}

static PyMethodDef methods[] = {
    {"bind_functions", bind_functions, METH_VARARGS,
     "bind_functions(text_object, map_error, char_origin, page_object, form_object, object_type, count_segments, "
     "path_segment, draw_mode, object_matrix): the addresses of PDFium's functions the others call"},
    {"read_char_marks", read_char_marks, METH_VARARGS,
     "read_char_marks(text_page, objects, at, errors, xs, ys, origin_x, origin_y): each character's text object, "
     "and the map error and origin of those at ``at``, into the arrays given"},
    {"list_objects", list_objects, METH_VARARGS,
     "list_objects(holder, count, in_form) -> (handles, kinds): the objects a page or form draws, as bytes"},
    {"read_plain_paths", read_plain_paths, METH_VARARGS,
     "read_plain_paths(paths, alone, height, state_at, kinds, rows): the records of ruling lines and rectangles"},
    {"find_tables", find_tables, METH_VARARGS,
     "find_tables(rect, x0, top, x1, bottom, height) -> [(bbox, rows, row_boxes)] or None: the ruled tables"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pdfcore",
    "The compiled core of the PDFium engine and of the ruled-table finder (see pdfium_pages.py and tables.py).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__pdfcore(void) { return PyModule_Create(&module); }
