"""Review pages link to each document's page whatever its file name: no name becomes a URL scheme,
a fragment or a query."""

from __future__ import annotations

import copy
import re
from urllib.parse import unquote, urlsplit

from conftest import ROOT

from pipeline.output.tables import read_folder
from pipeline.review.report import SourceText, build_report

EXTRACTED = ROOT / "extracted"
NAMES = ["javascript:alert(1).txt", "a#b?c=1 100%.txt", "data:text/html,<b>x</b>.txt", "sub/vbscript:x.txt"]


def renamed_tables():
    """The committed tables with each of four documents renamed (pages, history links and PDF images)."""
    tables = copy.deepcopy(read_folder(EXTRACTED))
    sources = sorted({d["source"] for d in tables["documents"]})[:len(NAMES)]
    rename = dict(zip(sources, NAMES))
    for rows in tables.values():
        for row in rows:
            row["source"] = rename.get(row["source"], row["source"])
    return tables


def test_links_are_relative_whatever_the_file_name():
    tables = renamed_tables()
    texts = {d["source"]: SourceText(((1, "x"),)) for d in tables["documents"]}
    pdf_pages = {NAMES[0]: {1: b"png"}}
    files = {f.path: f.data for f in build_report(tables, texts, pdf_pages, b"chart")}
    for name, data in files.items():
        if not name.endswith(".html"):
            continue
        page = data.decode("utf-8")
        for url in re.findall(r'\s(?:href|src)="([^"]*)"', page):
            url = url.replace("&amp;", "&")
            parts = urlsplit(url)
            assert parts.scheme == "" and parts.netloc == "" and parts.query == "", (name, url)
            if parts.path:  # a link to another file of the report: it exists
                assert unquote(parts.path) in files, (name, url)
    index = files["index.html"].decode("utf-8")
    assert 'href="javascript:' not in index and "href='javascript:" not in index
