"""OCR: a page without a text layer as words with boxes and the rules drawn on it.

Input: the bytes of a PDF and a page number. Output: an ``OcrPage``: the page's printed
rules (the straight lines of its tables, as rule records ``tables.find_ruled_tables``
reads) and, box by box on request, the words Tesseract reads there, each with its box in
page points (top-down, as the PDF engines give chars), Tesseract's confidence and line.
Whether OCR can be done here, and with which Tesseract, is ``read.tesseract``'s to tell.

The page is rendered by PDFium at ``OCR_DPI`` in grey. Table rules are found in the picture
as runs of dark pixels at least ``RULE_INCHES`` long, across or down, and painted white
before the words are read, so that a rule never reads as ``|`` or ``一`` and a cell's text
stands alone. Words are read by ``tesseract`` (Debian's ``tesseract-ocr`` with its
``tesseract-ocr-jpn`` model), the boxes of one step of the reading in one process (each box
a page of its own, Tesseract's model loaded once), single-threaded (``OMP_THREAD_LIMIT=1``),
fed as PGM pictures: the same page gives the same words, byte for byte.

What OCR reads is untrusted: nothing here turns a word into a number; ``scan_book``
decides which words may become a budget and on what evidence.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
from dataclasses import dataclass

import numpy as np

from .tesseract import OCR_DPI, OCR_LANGUAGE, OCR_TIMEOUT, describe_unavailable, find_tesseract

RULE_INCHES = 0.2  # a dark run at least this long, across or down, is a rule of a table
DARK = 160  # grey level below which a pixel is ink
PAD = 12  # pixels of white around a box read: Tesseract misses ink that touches the picture's edge


@dataclass(frozen=True, slots=True)
class Word:
    """One word Tesseract read: its text, its confidence (0–100), its box in page points and the
    line Tesseract put it on (block, paragraph and line numbers of one ``read``)."""

    text: str
    conf: float
    x0: float
    top: float
    x1: float
    bottom: float
    line: tuple[int, int, int] = (0, 0, 0)


@dataclass
class OcrPage:
    """A page read by OCR: its size in points, its rules (``tables`` records) and the picture."""

    number: int
    width: float
    height: float
    rules: list[dict]
    image: np.ndarray  # grey, rules painted white
    scale: float  # pixels per point

    def read(self, box: tuple[float, float, float, float], psm: int = 6) -> list[Word]:
        """Read the words inside ``box`` (page points) with page segmentation mode ``psm``
        (6: one block of lines, 7: one line, 11: words anywhere)."""
        return self.read_apart([box], psm)[0]

    def read_apart(self, boxes: list[tuple[float, float, float, float]], psm: int = 6) -> list[list[Word]]:
        """Read several boxes with one Tesseract process, each box a picture of its own (a page of
        Tesseract's): the words of each box, in page points. A box without ink is not read."""
        s = self.scale
        h, w = self.image.shape
        crops: list[tuple[int, int, np.ndarray]] = []  # (x0, top) of each crop on the page, and its pixels
        for box in boxes:
            x0, top = max(0, int(box[0] * s)), max(0, int(box[1] * s))
            x1, bottom = min(w, int(box[2] * s + 0.999)), min(h, int(box[3] * s + 0.999))
            crop = self.image[top:max(top, bottom), x0:max(x0, x1)]
            crops.append((x0, top, crop))
        inked = [i for i, (_, _, crop) in enumerate(crops) if crop.size and (crop < DARK).any()]
        pictures = []
        for i in inked:  # white around each crop: Tesseract misses ink that touches the picture's edge
            crop = crops[i][2]
            framed = np.full((crop.shape[0] + 2 * PAD, crop.shape[1] + 2 * PAD), 255, np.uint8)
            framed[PAD:-PAD, PAD:-PAD] = crop
            pictures.append(framed)
        found: list[list[Word]] = [[] for _ in boxes]
        for i, words in zip(inked, run_tesseract(pictures, psm)):
            x0, top, _ = crops[i]
            found[i] = [Word(text, conf, (wx0 - PAD + x0) / s, (wt - PAD + top) / s, (wx1 - PAD + x0) / s,
                             (wb - PAD + top) / s, line) for text, conf, wx0, wt, wx1, wb, line in words]
        return found


def run_tesseract(pictures: list[np.ndarray], psm: int) -> list[list[tuple[str, float, int, int, int, int, tuple[int, int, int]]]]:
    """Read grey pictures with one Tesseract process: per picture, (text, confidence, x0, top, x1,
    bottom, line) per word, in its pixels. One picture goes on stdin; several are written as PGM
    files to a temporary folder and named in a list, which Tesseract reads as the pages of one
    document (its model loaded once)."""
    found = find_tesseract()
    if found is None:
        raise OSError(describe_unavailable())
    if not pictures:
        return []
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    options = ["-l", OCR_LANGUAGE, "--psm", str(psm), "--dpi", str(OCR_DPI), "-c", "preserve_interword_spaces=1", "tsv"]
    with tempfile.TemporaryDirectory(prefix="kaigi-ocr-") as folder:
        if len(pictures) == 1:
            source, data = "stdin", encode_pgm(pictures[0])
        else:
            names = []
            for n, picture in enumerate(pictures):
                name = os.path.join(folder, f"{n}.pgm")
                with open(name, "wb") as fh:
                    fh.write(encode_pgm(picture))
                names.append(name)
            source, data = os.path.join(folder, "pictures.txt"), b""
            with open(source, "w", encoding="utf-8") as fh:
                fh.write("\n".join(names) + "\n")
        proc = subprocess.run([found[0], source, "stdout", *options], input=data, capture_output=True,
                              timeout=OCR_TIMEOUT, env=env, check=False)
    if proc.returncode != 0:
        raise OSError(f"tesseract failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
    words: list[list[tuple[str, float, int, int, int, int, tuple[int, int, int]]]] = [[] for _ in pictures]
    reader = csv.reader(io.StringIO(proc.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:  # level, page_num, block_num, par_num, line_num, word_num, left, top, width, height, conf, text
        if len(row) < 12 or row[0] != "5" or not row[11].strip():
            continue  # the header, a block, paragraph or line, an empty word
        page = int(row[1]) - 1
        if not 0 <= page < len(pictures):
            continue
        left, top, width, height = int(row[6]), int(row[7]), int(row[8]), int(row[9])
        line = (int(row[2]), int(row[3]), int(row[4]))
        words[page].append((row[11].strip(), float(row[10]), left, top, left + width, top + height, line))
    return words


def encode_pgm(picture: np.ndarray) -> bytes:
    """A grey picture as a binary PGM file (what Tesseract reads without a library of its own)."""
    h, w = picture.shape
    return b"P5\n%d %d\n255\n" % (w, h) + np.ascontiguousarray(picture, np.uint8).tobytes()


def render_page(data: bytes, number: int, dpi: int = OCR_DPI) -> tuple[np.ndarray, float, float]:
    """Render page ``number`` (1-based) in grey at ``dpi``: the pixels and the page's size in points."""
    import pypdfium2 as pdfium

    from .pdfium_pages import start_pdfium

    start_pdfium()  # the fonts a PDF does not embed: the package's own, as the text is read with
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[number - 1]
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, grayscale=True, rotation=0)
        pixels = bitmap.to_numpy()
        gray = np.array(pixels[:, :, 0] if pixels.ndim == 3 else pixels, dtype=np.uint8)
        if page.get_rotation() in (90, 270):
            width, height = height, width
        page.close()
    finally:
        pdf.close()
    return gray, width, height


def find_runs(ink: np.ndarray, least: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (row, start, end) of every run of ink along the rows at least ``least`` pixels long."""
    h, w = ink.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = ink
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)  # row-major order: each run's end follows its start
    keep = ends - starts >= least
    return rows[keep], starts[keep], ends[keep]


def group_runs(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Group runs in neighbouring rows that overlap into rules: (x0, y0, x1, y1) in pixels, y1 inclusive."""
    order = np.lexsort((starts, rows))
    open_rules: list[list[int]] = []  # [x0, y0, x1, y1]
    done: list[tuple[int, int, int, int]] = []
    for i in order:
        y, a, b = int(rows[i]), int(starts[i]), int(ends[i])
        still = []
        hit = None
        for rule in open_rules:
            if rule[3] < y - 2:
                done.append((rule[0], rule[1], rule[2], rule[3]))
                continue
            still.append(rule)
            if hit is None and a < rule[2] and b > rule[0]:
                hit = rule
        open_rules = still
        if hit is None:
            open_rules.append([a, y, b, y])
        else:
            hit[0], hit[2], hit[3] = min(hit[0], a), max(hit[2], b), y
    done.extend((r[0], r[1], r[2], r[3]) for r in open_rules)
    return sorted(done, key=lambda r: (r[1], r[0]))


def find_rules(gray: np.ndarray, dpi: int) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int, int, int]], np.ndarray]:
    """Return the picture's horizontal and vertical rules (pixels) and a mask of their ink."""
    ink = gray < DARK
    least = int(dpi * RULE_INCHES)
    mask = np.zeros_like(ink)
    rows, starts, ends = find_runs(ink, least)
    for y, a, b in zip(rows, starts, ends):
        mask[y, a:b] = True
    horizontal = group_runs(rows, starts, ends)
    cols, tops, bottoms = find_runs(ink.T, least)
    for x, a, b in zip(cols, tops, bottoms):
        mask[a:b, x] = True
    # grouped down the columns: (top, first column, bottom, last column), turned back
    vertical = [(c0, a, c1, b) for a, c0, b, c1 in group_runs(cols, tops, bottoms)]
    return horizontal, vertical, mask


def read_scanned_page(data: bytes, number: int) -> OcrPage:
    """Render page ``number`` and find its rules; its words are read region by region (``OcrPage.read``)."""
    gray, width, height = render_page(data, number)
    scale = OCR_DPI / 72
    horizontal, vertical, mask = find_rules(gray, OCR_DPI)
    grown = mask.copy()  # a rule's grey edge goes with it
    grown[1:] |= mask[:-1]
    grown[:-1] |= mask[1:]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    clean = np.where(grown, np.uint8(255), gray)
    rules = []
    for x0, y0, x1, y1 in horizontal:
        y = round((y0 + y1 + 1) / 2 / scale, 2)
        rules.append({"object_type": "line", "x0": round(x0 / scale, 2), "x1": round(x1 / scale, 2), "top": y, "bottom": y})
    for x0, y0, x1, y1 in vertical:
        x = round((x0 + x1 + 1) / 2 / scale, 2)
        rules.append({"object_type": "line", "x0": x, "x1": x, "top": round(y0 / scale, 2), "bottom": round(y1 / scale, 2)})
    return OcrPage(number, width, height, rules, clean, scale)
