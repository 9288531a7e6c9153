"""Text forms: the printed text of a field to the form regexes read and the form names are given in.

Input: strings as printed. Output: the parse form and the display form.

Policy, per field:
- ``raw`` is kept exactly as printed (elsewhere).
- parse form: NFKC (full-width ASCII to half-width, ideographic space to space),
  except that enclosed characters (``①``, ``㈱``) are kept as printed; ``～`` (U+FF5E),
  ``〜`` (U+301C) and ``~`` all become ``～``, one range mark, never dropped;
  Markdown emphasis ``**`` is removed.
- display form (names, sections, descriptions): the parse form with ``( ) :`` written
  full-width, as Japanese text prints them (``（選択：提案型）``).
"""

from __future__ import annotations

import re
import unicodedata

# Enclosed alphanumerics and CJK letters (①, ❶, ㈱, ㊤): kept as printed.
PROTECTED = re.compile(r"[\u2460-\u24ff\u2776-\u2793\u3200-\u32ff]+")
# The range mark in its three spellings: "令和6年度～8年度", "7〜9月", "1~10人": one mark "～"
WAVE = re.compile(r"[~\u301c\uff5e]")
# Markdown emphasis around a flag: "- 総合相談窓口の運営 **【拡充】**"
EMPHASIS = re.compile(r"\*\*")


def to_parse_form(text: str) -> str:
    """Return the form regexes work on (see module docstring)."""
    out: list[str] = []
    pos = 0
    for match in PROTECTED.finditer(text):
        out.append(unicodedata.normalize("NFKC", text[pos:match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(unicodedata.normalize("NFKC", text[pos:]))
    result = WAVE.sub("～", "".join(out))
    return EMPHASIS.sub("", result)


WIDE = str.maketrans({"(": "（", ")": "）", ":": "："})


def to_display_form(text: str) -> str:
    """Return the form names and descriptions are given in: parse form, ``( ) :`` full-width, spaces tidied."""
    text = to_parse_form(text).translate(WIDE)
    return re.sub(r"\s+", " ", text).strip()


def join_text(parts: list[str]) -> str:
    """Join wrapped pieces of Japanese text: no space between Japanese characters."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", part[0]) \
                and not (out[-1].isdigit() and part[0].isdigit()):  # "【56,00" + "1千円】": one number
            out += " "
        out += part
    return out

