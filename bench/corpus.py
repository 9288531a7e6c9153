"""Build the synthetic corpus ``make bench`` measures: varied copies of the raw documents.

Input: the seed documents in ``raw/`` and a size. Output: a folder of ``n`` text documents and,
beside it, a folder of PDFs of at least ``pages`` pages in all (one of them long), every file with
bytes of its own. Each copy varies its seed the way a real collection varies: the topic word
(在宅療養 becomes 介護予防, 地域医療, …), every budget figure, a municipality before some
program names, and a document number; so the cache, the tokenizer's memo and Parquet's
dictionaries see many distinct lines, not one document a thousand times. The same arguments give
the same bytes (a seeded generator; reportlab in invariant mode for the PDFs).

    python bench/corpus.py OUT_DIR [--docs N] [--pdf-pages P]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"

TOPICS = ("在宅療養", "地域医療", "介護予防", "認知症対策", "子育て支援", "障害福祉", "健康づくり", "救急医療",
          "がん対策", "精神保健", "生活困窮者支援", "地域包括ケア")
PLACES = ("八王子市", "立川市", "武蔵野市", "三鷹市", "青梅市", "府中市", "昭島市", "調布市", "町田市", "小金井市",
          "小平市", "日野市", "東村山市", "国分寺市", "国立市", "福生市", "狛江市", "東大和市", "清瀬市", "多摩市",
          "稲城市", "羽村市", "あきる野市", "西東京市", "世田谷区", "杉並区", "練馬区", "足立区", "江戸川区", "大田区")
# A printed amount followed by its unit: "236,194千円", "1,470千円", "8,829万円"
AMOUNT = re.compile(r"(?<![0-9,])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]{2,})(?=(?:千|万|億)?円)")
PROGRAM_MARK = re.compile(r"^■", re.M)


def seed_texts() -> list[tuple[str, str]]:
    """The seeds: (suffix, text) of every text file in raw/."""
    return [(p.suffix, p.read_text(encoding="utf-8")) for p in sorted(RAW.iterdir())
            if p.suffix in (".txt", ".md") and not p.name.startswith(".")]


def vary_amount(match: re.Match, rng: random.Random) -> str:
    digits = match.group(1).replace(",", "")
    value = rng.randrange(10 ** (len(digits) - 1), 10 ** len(digits)) if len(digits) > 1 else rng.randrange(1, 10)
    return f"{value:,}" if "," in match.group(1) else str(value)


def vary(text: str, number: int, rng: random.Random) -> str:
    """One varied copy of a seed text (see the module notes)."""
    text = text.replace("在宅療養", rng.choice(TOPICS))
    text = AMOUNT.sub(lambda m: vary_amount(m, rng), text)
    text = PROGRAM_MARK.sub(lambda m: "■" + (rng.choice(PLACES) if rng.random() < 0.3 else ""), text)
    return text.rstrip("\n") + f"\n\n（資料番号 {number:06d}　{rng.choice(PLACES)}）\n"


def write_texts(folder: Path, count: int, seed: int = 1) -> int:
    """Write ``count`` varied text documents; return their bytes in all."""
    seeds = seed_texts()
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(count):
        rng = random.Random(seed * 1_000_003 + number)
        suffix, text = seeds[number % len(seeds)]
        data = vary(text, number, rng).encode("utf-8")
        (folder / f"doc{number:06d}{suffix}").write_bytes(data)
        total += len(data)
    return total


# -- PDFs ---------------------------------------------------------------------------------


def load_pdf_tools():
    """The fixture maker's drawing helpers (tests/make_pdf_fixtures.py: reportlab, IPAexGothic)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import make_pdf_fixtures as tools

    tools.register_font()
    return tools


def render_pdf(tools, title: str, text: str) -> tuple[bytes, int]:
    """Lay a text out on A4 pages, one column, with its title and a page number; return (bytes, pages)."""
    width, height = tools.A4
    left, top, bottom, size = 60.0, 60.0, height - 60.0, 10.0
    pages = [tools.Page(tools.A4)]
    pages[0].text(left, top, title, 16)
    y = top + 40
    for paragraph in text.split("\n\n"):
        lines = [piece for line in paragraph.splitlines() if line.strip()
                 for piece in tools.wrap(line.replace("|", "｜"), width - 2 * left, size)]
        if not lines:
            continue
        if y + tools.LEADING * size * min(len(lines), 2) > bottom:
            pages.append(tools.Page(tools.A4))
            y = top
        for line in lines:
            if y + size > bottom:
                pages.append(tools.Page(tools.A4))
                y = top
            pages[-1].text(left, y, line, size)
            y += tools.LEADING * size
        y += tools.PARA_GAP * size * 2
    for n, page in enumerate(pages, start=1):
        page.text(width / 2 - 10, height - 40, f"- {n} -", 9)
    return tools.render(pages), len(pages)


def write_pdfs(folder: Path, min_pages: int, seed: int = 2, long_seeds: int = 4) -> tuple[int, int]:
    """Write PDFs of at least ``min_pages`` pages in all: one long one (``long_seeds`` seeds end to end;
    for 100 pages or more) and then PDFs of one to three seeds each; return (files, pages)."""
    tools = load_pdf_tools()
    seeds = [text for _, text in seed_texts()]
    folder.mkdir(parents=True, exist_ok=True)
    pages = files = 0
    number = 0
    while pages < min_pages:
        rng = random.Random(seed * 1_000_003 + number)
        parts = long_seeds if number == 0 and min_pages >= 100 else rng.randint(1, 3)
        text = "\n\n".join(vary(seeds[(number + k) % len(seeds)], number * 10 + k, rng) for k in range(parts))
        title = text.strip().splitlines()[0][:30]
        data, n = render_pdf(tools, title, text)
        (folder / f"pdf{number:04d}.pdf").write_bytes(data)
        pages += n
        files += 1
        number += 1
    return files, pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write texts/ and pdfs/ into")
    parser.add_argument("--docs", type=int, default=1000, help="text documents (default 1000)")
    parser.add_argument("--pdf-pages", type=int, default=200, help="PDF pages in all, at least (default 200)")
    args = parser.parse_args(argv)
    size = write_texts(args.out / "texts", args.docs)
    files, pages = write_pdfs(args.out / "pdfs", args.pdf_pages) if args.pdf_pages else (0, 0)
    print(f"{args.docs} text documents ({size / 2**20:.1f} MiB), {files} PDFs ({pages} pages) → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
