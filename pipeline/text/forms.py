"""Text forms: the printed text of a field to the form regexes read and the form names are given in.

Input: strings as printed. Output: the parse form and the display form.

Policy, per field:
- ``raw`` (``name_raw``, ``text_raw``) is kept exactly as printed (elsewhere).
- parse form: characters that print nothing are dropped (format characters: zero-width
  spaces and joiners, bidi marks, overrides and isolates, soft hyphens, a stray byte-order
  mark), so ``在\u200b宅`` reads ``在宅`` and ``1,\u200b000`` reads ``1,000``; then NFKC
  (full-width ASCII to half-width, ideographic space to space, a kana and its combining
  voiced mark composed), except that enclosed characters (``①``, ``㈱``) are kept as printed;
  a simplified-Chinese form is read as the Japanese character it stands for (``实`` → ``実``,
  see ``vocab.CHINESE_FORMS``), and a mark printed in another shape as the mark it is (``◯`` → ``○``,
  ``▪`` → ``■``: ``vocab.MARK_FORMS``), and a bracket printed in another shape as the pair it is (``〔`` and
  ``〖`` → ``【``: ``vocab.BRACKET_FORMS``), and a table's rules drawn with box-drawing characters as a Markdown
table's (``│`` and ``┼`` → ``|``, ``─`` → ``-``: ``vocab.RULE_FORMS``); ``～`` (U+FF5E), ``〜`` (U+301C) and ``~`` all become ``～``,
  one range mark, never dropped; a minus sign right before a figure, at the start of a cell or a
  label's value (``-1,200``, ``補正額：−3,000千円``, ``(－500)``), is the negative mark ``△`` (``MINUS``), so every
  amount reads it as it reads ``△1,200``; a figure's groups of three set apart by a space after the comma
  (``12, 345千円``, as an OCR layer sets them down) are closed up (``GAPPED_FIGURE``); Markdown emphasis ``**`` is
  removed.
- display form (names, sections, descriptions, item texts): the parse form with ``( ) :``
  written full-width, as Japanese text prints them (``（選択：提案型）``). Combining marks
  that compose with nothing (an accent over a kanji) print, so they stay.
- name key (``text.japanese.compute_name_key``): the display form without spaces, combining
  marks or variation selectors, in Sudachi's normalized form.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import ClassVar, Final

from .vocab import BRACKET_FORMS, CHINESE_FORMS, MARK_FORMS, MINUS_SIGNS, RULE_FORMS

# Enclosed alphanumerics and CJK letters (①, ❶, ㈱, ㊤): kept as printed. Numbers printed with
# their own bracket or point (⑴ U+2474 to ⒛ U+249B) are not: NFKC gives what they print, "(1)" and
# "1.", which no digit beside them can run into.
PROTECTED: Final = re.compile(r"[\u2460-\u2473\u249c-\u24ff\u2776-\u2793\u3200-\u32ff]+")
# The range mark in its three spellings: "令和6年度～8年度", "7〜9月", "1~10人": one mark "～"
WAVE: Final = re.compile(r"[~\u301c\uff5e]")
# A minus sign that marks a negative figure (``vocab.MINUS_SIGNS``): "4\t介護予防普及啓発事業\t5,000\t4,000\t-1,000",
# "２　物価高騰対策支援事業　補正額　−3,000千円", "(-500)". It stands at a line's start, after a space, a tab, an opening
# bracket or a colon, right before the figure; never where a letter, a figure or a closing bracket is before it
# ("2-7-1", "R6-1,200", "TEL 03-1234", "施策(1)-2") or a dash after the figure ("-1-", "−12−": page numbers, codes).
MINUS: Final = re.compile(rf"(?<![^\s(（\[【「:：=])[{MINUS_SIGNS}](?=[0-9]{{1,3}}(?:,[0-9]{{3}})+(?![0-9,.]*[{MINUS_SIGNS}])"
                   rf"|[0-9]+(?:\.[0-9]+)?(?![0-9,.]*[{MINUS_SIGNS}]))")
# A figure whose comma a space follows, as an OCR layer or a typist sets it down: "12, 345千円", "1, 234, 567",
# "１，２３４" after a space "1, 234" (NFKC): its groups of three closed up, "12,345千円". Only a run of figures that
# is one number so grouped (1 to 3 digits, then groups of three; after leader dots too, "…3, 400万円"): "1, 2, 3" and
# "10, 20" are lists of numbers, "3.5, 100" two.
GAPPED_FIGURE: Final = re.compile(r"(?<![0-9,])(?<![0-9][.])[0-9]{1,3}(?:,[0-9]{3})*,[ ][0-9]{3}(?:, ?[0-9]{3})*(?![0-9])")
EMPHASIS: Final = re.compile(r"\*\*")
# The Unicode category of characters that print nothing: U+200B zero-width space, U+202E
# right-to-left override, U+2066 left-to-right isolate, U+00AD soft hyphen, U+FEFF.
FORMAT_CATEGORY: Final = "Cf"
# Every character of that category (Unicode 14, Python 3.11's; a test checks the list against
# the running Python's ``unicodedata``), as one regex: dropped in one pass over the text.
FORMAT_CHARACTERS: Final = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


class CharMap:
    """Characters to write otherwise, each one alone (what ``str.maketrans`` of them gives ``str.translate``).

    ``apply`` replaces them one after the other with ``str.replace``, some thirty times faster than
    ``translate`` on Japanese text (which looks every character up in a dict); no replacement holds a
    character of the map, so the order does not matter and the result is ``translate``'s. A map of more
    than ``MAX_REPLACED`` characters is applied with ``translate``, faster then.
    """

    MAX_REPLACED: ClassVar[int] = 8

    __slots__ = ("pairs", "table", "found")

    def __init__(self, mapping: dict[str, str]):
        if any(len(old) != 1 for old in mapping) or any(ch in mapping for new in mapping.values() for ch in new):
            raise ValueError("a map of single characters, no replacement holding one of them")
        self.pairs = tuple(mapping.items())
        self.table = str.maketrans(mapping)
        self.found = re.compile(f"[{''.join(re.escape(ch) for ch in mapping)}]").search  # whether there is any to write

    def apply(self, text: str) -> str:
        if len(self.pairs) > self.MAX_REPLACED:
            return text.translate(self.table) if self.found(text) else text
        for old, new in self.pairs:
            text = text.replace(old, new)
        return text


CHINESE_TO_JAPANESE: Final = CharMap(CHINESE_FORMS)
READ_AS: Final = CharMap({**CHINESE_FORMS, **MARK_FORMS, **BRACKET_FORMS, **RULE_FORMS})  # a character as the one a reader takes it for


def drop_format_characters(text: str) -> str:
    """Return ``text`` without the characters that print nothing (``FORMAT_CHARACTERS``)."""
    if text.isascii():
        return text
    return FORMAT_CHARACTERS.sub("", text)


@functools.lru_cache(maxsize=8192)
def to_parse_form(text: str) -> str:
    """Return the form regexes work on (see module docstring). A line is asked for by several
    stages (wrap repair, metadata, the segmenter's look back): the forms of the last few
    thousand texts are kept."""
    text = drop_format_characters(text)
    out: list[str] = []
    pos = 0
    for match in PROTECTED.finditer(text):
        out.append(unicodedata.normalize("NFKC", text[pos:match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(unicodedata.normalize("NFKC", text[pos:]))
    result = WAVE.sub("～", READ_AS.apply("".join(out)))
    if "-" in result or "\u2212" in result:
        result = MINUS.sub("△", result)
    if ", " in result:
        result = GAPPED_FIGURE.sub(close_figure, result)
    return EMPHASIS.sub("", result)


def close_figure(m: re.Match[str]) -> str:
    return m.group().replace(" ", "")


WIDE: Final = CharMap({"(": "（", ")": "）", ":": "："})
# A run of white space: taken out of a name key, written as one space in the display form ("東京都地域医療構想調整会議  在宅療養…")
SPACES: Final = re.compile(r"\s+")
# A Latin letter or a figure, which keeps a space from the next at a line break: "ICT" / "を活用"
ALNUM: Final = re.compile(r"[A-Za-z0-9]")


def to_display_form(text: str) -> str:
    """Return the form names and descriptions are given in: parse form, ``( ) :`` full-width, spaces tidied."""
    return " ".join(WIDE.apply(to_parse_form(text)).split())  # (``str.split`` parts at what ``\s`` matches)


def join_text(parts: list[str]) -> str:
    """Join wrapped pieces of Japanese text: no space between Japanese characters."""
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and ALNUM.match(out[-1][-1]) and ALNUM.match(part[0]) \
                and not (out[-1][-1].isdigit() and part[0].isdigit()):  # "【56,00" + "1千円】": one number
            out.append(" ")
        out.append(part)
    return "".join(out)



# Japanese characters (kana, kanji, full-width forms), as a character-class body
JAPANESE_CHARS: Final = "\u3040-\u30ff\u3400-\u9fff\uff01-\uff60"
# Single Japanese characters spaced apart, a line's words set wide: "運 動 施 設", "附 則", "開 会"
TRACKED: Final = re.compile(rf"(?<!\S)[{JAPANESE_CHARS}](?:\s[{JAPANESE_CHARS}])+(?!\S)")
# The same in a title, figures among them: "令 和 7 年 度 予 算 の 概 要" (each apart from the next by one space)
TRACKED_TITLE: Final = re.compile(rf"(?<!\S)[0-9{JAPANESE_CHARS}](?:[ \u3000][0-9{JAPANESE_CHARS}])+(?!\S)")
# The same in a text's line (a PDF's are closed when read), opening on a letter (a number before it is a heading's:
# "1 開 会" is 「1 開会」) and holding a Japanese one: "運 動 施 設", "単 位" of "( 単 位 : 千 円 )", "令 和 7 年 度 予 算 の 概 要",
# "I C T 推 進 事 業"
LETTER_SPACED: Final = re.compile(rf"(?<!\S)[A-Za-z{JAPANESE_CHARS}](?:[ ][0-9A-Za-z{JAPANESE_CHARS}])+(?!\S)")
JAPANESE_CHAR: Final = re.compile(rf"[{JAPANESE_CHARS}]")


def close_letter_spacing(text: str) -> str:
    """Return a text's line with its letter-spaced words closed up (``LETTER_SPACED``), as a PDF's are when read
    (``TRACKED``): 「( 単 位 : 千 円 )」 → 「( 単位 : 千円 )」, 「運 動 施 設」 → 「運動施設」; not in a row of cells set with spaces,
    whose cells stand under its header's columns."""
    body = text.rstrip()  # (spaces after the line's last word part no cells)
    if " " not in body or "  " in body or "\t" in body:  # (no space, or cells: two spaces or a tab part a row's cells)
        return text
    return LETTER_SPACED.sub(lambda m: m.group().replace(" ", "") if JAPANESE_CHAR.search(m.group()) else m.group(),
                             body) + text[len(body):]


def close_tracking(text: str) -> str:
    """Return a line with its letter-spaced runs closed up: 「令 和 7 年 度 予 算 の 概 要」 → 「令和7年度予算の概要」."""
    return TRACKED_TITLE.sub(lambda m: re.sub(r"[ \u3000]", "", m.group()), text) if " " in text or "\u3000" in text else text
