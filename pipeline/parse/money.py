"""Money: printed amounts to exact yen.

Input: parse-form text (``text.forms.to_parse_form``): ``236,194千円``, ``3億2,000万円``,
``5億8,822万1千円``, ``109億614万円``, ``0.3億円``, ``△1,200千円``, ``⑤3億円``, ``3千5百万円`` (3,500万円: the
figures and the 千 and 百 before a 万, 億 or 兆 are of the group of four places it closes), and in kanji figures, a 万, 億
or 兆 among them: ``二千三百万円``, ``一億五千万円``, ``三、五〇〇万円`` (``KANJI_BODY``).
Output: ``Amount`` records: the exact value in yen, the unit printed last, the text as
printed and where it stands, and the fiscal year a circled era number before it names
(``⑤`` is 令和5年度). Nothing is rounded: a form that is not a whole number of yen
(``0.00001千円``) is not an amount.

The circled number is read from the parse form, which keeps enclosed characters as printed:
NFKC alone would turn ``⑤3億円`` into ``53億円``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from ..records import make_quickly
from ..text.vocab import (
    CIRCLED_ERA_MARKS,
    ERA_BASE,
    GROUP_MULTIPLIERS,
    KANJI_DIGITS,
    KANJI_PLACES,
    KANJI_ZEROS,
    MULTIPLIERS,
    NEGATIVE_MARKS,
    VAGUE_NUMBER_WORDS,
    YEN,
    escape_class,
    join_alternatives,
)

# A number as printed: "236,194", "1,161,055", "0.3", "614"
NUMBER: Final = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
MULTIPLIER: Final = join_alternatives(MULTIPLIERS)
# One part of a compound amount: "3億", "2,000万", "1千", "5兆"; a newsletter spaces it: "2 億 7,920 万円"
PART: Final = rf"(?:{NUMBER})[ ]{{0,2}}(?:{MULTIPLIER})[ ]{{0,2}}"
# Where an amount's figures may begin: never inside a number ("12,34千円" is none) or a compound
# ("5億8,822万1千円" is read from its "5", never from its "8,822" or its "1"), so each run of
# figures is read once (time linear in the text): "236,194千円", "R7:47,711千円", "⑤3億円", "2 億 7,920 万円".
MULTIPLIER_ENDS: Final = escape_class("".join(sorted({word[-1] for word in MULTIPLIERS})))  # "万億兆千百"
BODY_START: Final = rf"(?<![0-9,.{MULTIPLIER_ENDS}])(?<![{MULTIPLIER_ENDS}] )"
# Figures in kanji (the parse form keeps them): a group of four places or fewer, written with its places,
# "三千五百", "千", "十二", or a place a letter, "三五〇〇", "一、二〇〇" (a comma "、" before each three)
KANJI_DIGIT: Final = f"[{''.join(KANJI_DIGITS)}]"
KANJI_FIGURE: Final = f"[{''.join(KANJI_DIGITS)}{KANJI_ZEROS}]"
KANJI_GROUP: Final = (rf"{KANJI_DIGIT}{KANJI_FIGURE}{{0,2}}(?:、{KANJI_FIGURE}{{3}})+|{KANJI_DIGIT}{KANJI_FIGURE}{{0,3}}(?!{KANJI_FIGURE})"
               rf"|(?=[{''.join(KANJI_DIGITS)}{''.join(KANJI_PLACES)}])(?:{KANJI_DIGIT}?千)?(?:{KANJI_DIGIT}?百)?(?:{KANJI_DIGIT}?十)?"
               rf"{KANJI_DIGIT}?")
GROUP_MULTIPLIER: Final = join_alternatives(GROUP_MULTIPLIERS)
# An amount's figures all in kanji, a 万, 億 or 兆 among them (a smaller sum is no budget, and 「一円」 of 「市内一円」 says
# "all over") and a digit (「百万円」 alone is the unit of 「（単位：百万円）」): "二千三百万", "一億五千万", "三、五〇〇万";
# never after figures or a word that makes it a guess ("数千万"), nor after a comma but one ending an amount ("二、三千万"
# is two or three thousand 万, "二千万円、三千万円" two amounts)
KANJI_BODY: Final = (rf"(?<![0-9,.{VAGUE_NUMBER_WORDS}{''.join(KANJI_DIGITS)}{KANJI_ZEROS}{''.join(KANJI_PLACES)}万億兆])"
              rf"(?<!(?<!{YEN})、)"
              rf"(?=[{''.join(KANJI_PLACES)}万億兆]*{KANJI_DIGIT})(?:(?:{KANJI_GROUP})(?:{GROUP_MULTIPLIER}))+(?:{KANJI_GROUP})?")
# The figures of an amount: "3億2,000万", "236,194", "0.3億", "二千三百万"
BODY: Final = rf"(?:{BODY_START}(?:(?:{PART})+(?:{NUMBER})?|{NUMBER})|{KANJI_BODY})"
# An amount: "236,194千円", "3億2,000万円", "5億8,822万1千円", "0.3億円", "980,000円", "△1,200千円", "④4億円";
# white space only after a mark ("△ 1,200千円", "④ 4億円"), so a run of spaces is read once.
AMOUNT: Final = re.compile(
    rf"(?:(?P<era>[{CIRCLED_ERA_MARKS}])\s*)?(?:(?P<sign>[{NEGATIVE_MARKS}])\s*)?(?P<body>{BODY})[ ]?{YEN}"
)
# The same, without groups, to stand inside other patterns: "【3億2,000万円】". It opens with
# a mark or a figure, never with white space.
AMOUNT_TEXT: Final = rf"(?:[{CIRCLED_ERA_MARKS}]\s*)?(?:[{NEGATIVE_MARKS}]\s*)?{BODY}[ ]?{YEN}"
PART_SPLIT: Final = re.compile(rf"(?P<number>{NUMBER})[ ]{{0,2}}(?P<word>{join_alternatives(MULTIPLIERS)})?")


@make_quickly
@dataclass(frozen=True)
class Amount:
    """One printed amount: exact yen, the unit it ends in (``千円``, ``万円``, ``円``), where it stands."""

    yen: int
    unit: str
    text: str
    start: int
    end: int
    fiscal_year: int | None = None


def read_circled_era(mark: str | None, era: str = "令和") -> int | None:
    """Return the fiscal year a circled era number names: ``⑤`` → 2023 (令和5年度)."""
    if not mark:
        return None
    return ERA_BASE[era] + int(unicodedata.numeric(mark))


# The most characters a number is read from: Python's own limit for turning text into an
# integer (4,300 digits), far beyond the 19 digits the tables' integers hold. Reading a number
# costs time quadratic in its length, so the limit keeps a document's time linear; a longer run
# of figures is no number.
MAX_FIGURES: Final = 4300


def read_integer(figures: str) -> int | None:
    """Return the integer of a run of figures (``1,470`` → 1470), or None past ``MAX_FIGURES``."""
    if len(figures) > MAX_FIGURES:
        return None
    return int(figures.replace(",", ""))


# Letters a text layer made by OCR reads for figures: "l2,345千円" (1), "1,2O0千円" (0)
MISREAD_FIGURES: Final = "lIOo"
# The inside of a bracket that reads as an amount, whether or not it is one: figures, then
# multipliers and 円: "0.0005千円" of "【0.0005千円】", "1,2345千円", "12,34万円", "△ 1,200千円", or with letters
# for figures: "l2,345千円" (a circled era number before the figures makes a year's amount, no budget: "⑤3億円")
AMOUNT_LIKE: Final = re.compile(
    rf"\s*(?:[{NEGATIVE_MARKS}]\s*)?[0-9{MISREAD_FIGURES}][0-9{MISREAD_FIGURES},.\s{escape_class(''.join(MULTIPLIERS))}]*{YEN}"
)
MISREAD: Final = re.compile(rf"[{MISREAD_FIGURES}]")
# Figures split by white space, as no amount prints them: "3,0 00" of "【3,0 00千円】" (a newsletter spaces a
# figure from its multiplier, "2 億 7,920 万円", never figures from figures)
SPLIT_FIGURES: Final = re.compile(r"[0-9,][ ]+[0-9]")
# A run of figures, with the marks numbers are grouped and pointed with: "1,2345", "0.0005"
FIGURE_RUN: Final = re.compile(r"[0-9][0-9,.]*")


# A point where a comma groups thousands, in an amount of yen or thousands of yen: "4.500" of "【4.500千円】"
# (4,500千円 misprinted or misread; 4.5千円, 4,500 yen, is no program's budget)
POINTED_THOUSANDS: Final = re.compile(r"(?<![0-9,.])[0-9]{1,3}(?:,[0-9]{3})*\.[0-9]{3}(?![0-9])")
# The units in which a point before three figures is a misprinted comma
SMALL_UNITS: Final = ("", "千")


def explain_unread_amount(printed: str) -> str:
    """Say why printed figures (``【1,2345千円】``) are no amount: too long, no number, or not whole yen."""
    if MISREAD.search(printed):
        return "letters among its figures, as OCR misreads 1 and 0"
    if SPLIT_FIGURES.search(printed):
        return "figures split by a space"
    runs = FIGURE_RUN.findall(printed)
    if sum(len(run) for run in runs) > MAX_FIGURES:
        return f"more than {MAX_FIGURES:,} characters of figures"
    for run in runs:
        if not re.fullmatch(NUMBER, run):
            return "figures grouped wrongly" if "," in run else "figures that are no number"
    if POINTED_THOUSANDS.search(printed):
        return "a point where a comma would group thousands"
    return "not a whole number of yen"


# One group of an amount in kanji and the multiplier that closes it, if any: "二千三百万" and "万" of "二千三百万"
KANJI_PART: Final = re.compile(rf"(?P<group>[^万億兆]+)(?P<word>{GROUP_MULTIPLIER})?")


def read_kanji_group(group: str) -> int:
    """Return the value of a group of four places in kanji: "三千五百" → 3500, "千" → 1000, "三、五〇〇" → 3500."""
    if not any(place in group for place in KANJI_PLACES):  # a place a letter: "三五〇〇"
        return int("".join(str(KANJI_DIGITS.get(letter, 0)) for letter in group if letter != "、"))
    value = digit = 0
    for letter in group:
        if letter in KANJI_PLACES:
            value += (digit or 1) * KANJI_PLACES[letter]
            digit = 0
        else:
            digit = KANJI_DIGITS[letter]
    return value + digit


def compute_kanji_yen(body: str) -> tuple[int, str]:
    """Return the yen of an amount's figures in kanji (``KANJI_BODY``: "一億五千万" → 150,000,000) and its unit."""
    total, unit = 0, YEN
    for part in KANJI_PART.finditer(body):
        word = part["word"] or ""
        total += read_kanji_group(part["group"]) * GROUP_MULTIPLIERS.get(word, 1)
        unit = word + YEN
    return total, unit


GROUP_PLACES: Final = 10**4  # what a group of four places holds less than: "8,822" of "5億8,822万1千円"


def compute_yen(body: str) -> tuple[int, str] | None:
    """Return the exact yen of an amount's body (``3億2,000万``, ``二千三百万``) and the unit it ends in, or None
    (not a whole number of yen, or longer than ``MAX_FIGURES``)."""
    if len(body) > MAX_FIGURES:
        return None
    if body[:1] in KANJI_DIGITS or body[:1] in KANJI_PLACES:
        return compute_kanji_yen(body)
    if "." in body and (match := POINTED_THOUSANDS.match(body)) is not None and body[match.end():] in SMALL_UNITS:
        return None  # 「4.500千円」: 4,500千円 or 4.5千円, which the page cannot tell
    number: type[int] | type[Decimal] = Decimal if "." in body else int  # whole figures (most amounts): integers, as exact
    total = number(0)
    group = number(0)  # the places of the group of four a 万, 億 or 兆 closes: "3千5百" of "3千5百万"
    unit = YEN
    closed: int | None = None  # the last group closed (万, 億, 兆): each closes a smaller one than the last
    place: int | None = None  # the last place in the group open (千, 百): each a smaller one than the last
    for part in PART_SPLIT.finditer(body):
        try:
            value = number(part["number"].replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only passes digits
            return None
        word = part["word"] or ""
        closing = GROUP_MULTIPLIERS.get(word[-1:]) if word else None
        here = MULTIPLIERS[word] // closing if closing else MULTIPLIERS.get(word, 1)  # its place in the group
        if (place is not None and here >= place) or (closing and closed is not None and closing >= closed):
            return None  # 「19千058千円」, 「3万5億円」: places out of order, no amount as printed (a misprint or misread)
        group += value * here  # "5百" of "3千5百万": of the group the 万 closes
        if closing:
            if closed is not None and group >= GROUP_PLACES:
                return None  # 「1億12,000万円」: after the first, a group holds four places
            total += group * closing
            group, closed, place = number(0), closing, None
        else:
            place = here
        unit = word + YEN
    if closed is not None and group >= GROUP_PLACES:
        return None  # 「19万058千円」, 「19億058千円」: 58千 is no figure of the last four places
    total += group
    if total != int(total):
        return None
    return int(total), unit


def find_amounts(text: str, era: str = "令和") -> list[Amount]:
    """Return every amount printed in ``text``, in order."""
    found = []
    for m in AMOUNT.finditer(text):
        value = compute_yen(m["body"])
        if value is None:
            continue
        yen, unit = value
        if m["sign"]:
            yen = -yen
        start = m.start("sign") if m["sign"] else m.start("body")
        found.append(Amount(yen, unit, text[start:m.end()], start, m.end(), read_circled_era(m["era"], era)))
    return found


def read_amount(text: str, era: str = "令和") -> Amount | None:
    """Return the amount ``text`` holds, when it holds exactly one and nothing else of note."""
    found = find_amounts(text, era)
    if len(found) != 1:
        return None
    return found[0]
