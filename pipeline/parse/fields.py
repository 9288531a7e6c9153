"""Field parsers: heading and item text to budgets, rates, flags, funding and years.

Input: parse-form strings (``text.forms.to_parse_form``). Output: ``Annotations``,
``Budget``, ``Rate`` and plain values. Pure functions; nothing here reads files.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from ..records import Annotations, Budget, Rate
from ..text.forms import to_display_form
from ..text.vocab import (
    ABOUT,
    ACCOUNT_WORD,
    ADOPTED_SUFFIX,
    ANGLE_BRACKETS,
    BUDGET_KINDS,
    DEPARTMENT_ENDS,
    ERA_BASE,
    ERA_LETTERS,
    ERAS,
    FIRST_YEAR,
    FISCAL_ERAS,
    FLAG_ABBREVIATIONS,
    FLAG_BRACKETS,
    FLAG_WORDS,
    KANJI_DIGITS,
    KANJI_ERA_NUMBER,
    KANJI_TEN,
    LABEL_FISCAL_YEAR,
    LIST_DOT,
    NOTE_MARK,
    PART_PREFIX,
    PUBLIC_PAYERS,
    RATE_PAYERS,
    SHARE_LABELS,
    UNIT_FACTORS,
    YEN,
    escape_class,
    join_alternatives,
)
from .money import (
    AMOUNT_LIKE,
    MISREAD,
    SPLIT_FIGURES,
    Amount,
    compute_yen,
    find_amounts,
    read_amount,
    read_integer,
    read_kanji_group,
)
from .money import AMOUNT_TEXT as MONEY

# The brackets of rates and flags as character-class bodies: "<≪《〈" / ">≫》〉" (a rate:
# "<補助率:1/2 >"), and with "【" / "】" (a flag: "<拡充>", "【新規】").
ANGLE_OPEN: Final = "".join(ANGLE_BRACKETS)
ANGLE_CLOSE: Final = "".join(ANGLE_BRACKETS.values())
FLAG_OPEN: Final = escape_class("".join(FLAG_BRACKETS))
FLAG_CLOSE: Final = escape_class("".join(FLAG_BRACKETS.values()))

# An era name as printed, letter-spaced or not: "令和", "令 和" ("令 和 2 年 度" in a spaced-out title)
SPACED_ERA_NAME: Final = "|".join(r"\s?".join(name) for name, _, _ in ERAS)
# "令和４年度" (after NFKC "令和4年度"), "令和元年度", "平成 22 年", "R7", "H29年度", and in kanji
# numerals before 年: "令和三年度", "平成二十九年度".
# Digits are [0-9], never \d: NFKC has made full-width digits ASCII, and \d would also take
# the digits of other scripts ("令和٧年度", OCR noise) as a year, an amount or a rate.
ERA_YEAR: Final = re.compile(
    rf"(?P<era>{SPACED_ERA_NAME}|(?<![A-Za-z])[{ERA_LETTERS}](?=\s?[0-9]))\s*"
    rf"(?P<n>[0-9]{{1,2}}|{FIRST_YEAR}|(?:{KANJI_ERA_NUMBER})(?=\s?年))(?![0-9])"
)
# The last character of an era name or an era letter: "和" of "令和", "R"; a run of digits after
# one is an era year, never a Western one ("令和2000年度" is no year at all)
ERA_TAILS: Final = "".join(sorted({name[-1] for name, _, _ in ERAS})) + ERA_LETTERS
# A fiscal year in the Western calendar: "2021年度(令和3年度)", "2025年度予算"
WESTERN_FISCAL_YEAR: Final = re.compile(rf"(?<![0-9{ERA_TAILS}])(?<![{ERA_TAILS}]\s)(?P<year>(?:19|20)[0-9]{{2}})\s?年度")


def read_era_base(era: str) -> int:
    """Return the base year of an era as printed, letter-spaced or not: ``令 和`` → 2018."""
    return ERA_BASE[re.sub(r"\s", "", era)]


def read_era_number(n: str) -> int:
    """Return the number of an era year as printed: ``元`` (the first year) is 1, ``二十九`` is 29."""
    if n == FIRST_YEAR:
        return 1
    if n[0] in KANJI_DIGITS or n[0] == KANJI_TEN:
        return read_kanji_group(n)
    return int(n)


def parse_era_year(text: str) -> int | None:
    """Return the Western year of the first era year in ``text`` (``令和７年度`` → 2025,
    ``令 和 2 年 度`` → 2020), or of a Western fiscal year where no era year is printed
    (``2021年度`` → 2021)."""
    match = ERA_YEAR.search(text)
    if not match:
        western = WESTERN_FISCAL_YEAR.search(text)
        return int(western["year"]) if western else None
    n = read_era_number(match.group("n"))
    if n == 0:
        return None
    return read_era_base(match.group("era")) + n


# A year without its era: "20年度" of "20年度当初予算額 1,000千円"
SHORT_YEAR: Final = re.compile(r"(?P<n>[0-9]{1,2})年度")
# How far a year without its era may lie from the document's year, in years, to be read in its era.
SHORT_YEAR_REACH: Final = 1


def read_label_year(text: str, fiscal_year: int | None) -> int | None:
    """Return the year a label names: an era year (``令和7年度``, ``R7``), or a year without its era
    read in the era that puts it next to the document's year (``20年度`` in a 平成20年度 document:
    2008); None when the document's year does not tell a year without its era."""
    short = SHORT_YEAR.fullmatch(text)
    if short is None:
        return parse_era_year(text)
    if fiscal_year is None:
        return None
    years = [base + int(short["n"]) for _, _, base in FISCAL_ERAS]
    return next((y for y in years if abs(y - fiscal_year) <= SHORT_YEAR_REACH), None)


def find_era_years(text: str) -> list[tuple[int, int]]:
    """Return (Western year, offset) for every era year in ``text``."""
    out = []
    for match in ERA_YEAR.finditer(text):
        n = read_era_number(match.group("n"))
        if n:
            out.append((read_era_base(match.group("era")) + n, match.start()))
    return out


# A printed amount: "236,194", "1,161,055" (full-width digits are half-width by now).
AMOUNT: Final = r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+"
# "百万円|千円|万円|億円|円"
UNIT: Final = join_alternatives(UNIT_FACTORS)
# "【236,194千円】", "【 56,001千円(内数)】", "【4,347千円/1回】", "【47,711千円/22箇所】", "【2,600万円】",
# "【3億2,000万円】", "【△1,200千円】", "［528 万円］" (parse form "[528 万円]"). The qualifier runs to the
# bracket's close and opens no bracket of the kind (white space around it is stripped later), so an
# unclosed "【" is read to the next one at most: time linear in the text.
# An amount said to be about so much opens with 約: "【約3億円】" (the qualifier 約).
BUDGET_BRACKET: Final = re.compile(rf"(?:【\s*(?:(?P<about>{ABOUT})\s*)?(?P<money>{MONEY})(?P<qual>[^【】]*)】"
                            rf"|\[\s*(?:(?P<about2>{ABOUT})\s*)?(?P<money2>{MONEY})(?P<qual2>[^\[\]]*)\])")


def parse_budget(text: str) -> Budget | None:
    """Return the first bracketed budget in ``text``, exactly as printed, or None."""
    return read_budget_brackets(text)[0]


# A bracket and what it holds: "【0.0005千円】", "［528 万円］" (parse form "[528 万円]")
BRACKET: Final = re.compile(r"【(?P<inner>[^【】]*)】|\[(?P<inner2>[^\[\]]*)\]")


def find_budget_bracket(text: str) -> tuple[re.Match[str], Amount] | None:
    """Return the first bracket of ``text`` printed as a budget that gives one (``BUDGET_BRACKET``, an
    amount of no year's) and its amount, or None."""
    for match in BUDGET_BRACKET.finditer(text):
        amount = read_amount(match.group("money") or match.group("money2"))
        if amount is not None and amount.fiscal_year is None:
            return match, amount
    return None


def has_budget(text: str) -> bool:
    """Tell whether ``parse_annotations(text)`` gives a budget, without reading the rest of the line: a
    budget is the first bracket that gives one, wherever it stands (see ``parse_annotations``)."""
    if "【" not in text and "[" not in text:
        return False
    return find_budget_bracket(text.replace(CUT, " ")) is not None


def read_budget_brackets(text: str) -> tuple[Budget | None, tuple[str, ...]]:
    """Return the first bracketed budget in ``text`` and the brackets printed as budgets whose amount
    cannot be read (``【0.0005千円】``, ``【1,2345千円】``): a bracket of figures, multipliers and 円
    that gives no amount. A year's amount (``【⑤3億円】``) is neither."""
    if "【" not in text and "[" not in text:  # both patterns open with one of them: most lines are told at once
        return None, ()
    budget = None
    found = find_budget_bracket(text)
    if found is not None:
        match, amount = found
        about = match.group("about") or match.group("about2") or ""
        budget = build_budget(amount.yen, amount.unit, about + (match.group("qual") or match.group("qual2") or ""),
                              match.group())
    unread = []
    for match in BRACKET.finditer(text):
        inner = match.group("inner") if match.group("inner") is not None else match.group("inner2")
        if AMOUNT_LIKE.match(inner) and (not find_amounts(inner) or MISREAD.search(inner) or SPLIT_FIGURES.search(inner)):
            unread.append(match.group())
    return budget, tuple(unread)


def make_budget(amount: str, unit: str, qualifier: str | None, text: str) -> Budget | None:
    """Build a ``Budget`` from a printed number and unit (``119,141``, ``千円``); None if not whole yen."""
    value = compute_yen(amount + unit.removesuffix(YEN))
    if value is None:
        return None
    return build_budget(value[0], unit, qualifier, text)


def build_budget(yen: int, unit: str, qualifier: str | None, text: str) -> Budget:
    """Build a ``Budget``; ``(内数)`` gives the qualifier ``内数``."""
    qual = (qualifier or "").strip()
    inner = PARENTHESIZED.fullmatch(qual) if qual else None
    if inner:
        qual = inner.group(1).strip()
    return Budget(yen=yen, unit=unit, text=to_display_form(text), qualifier=(to_display_form(qual) or None) if qual else None)


# A qualifier in parentheses: "(内数)" of "【56,001千円(内数)】"
PARENTHESIZED: Final = re.compile(r"\((.*)\)")


# "<補助率:1/2 >", "<補助率:10/10 > ※4年目以降:1/2", "<補助率:1/2または3/4>". Each run of white space has one
# place in the pattern (the body and the condition open with none, and keep what they end with),
# so time is linear in the text.
RATE_BRACKET: Final = re.compile(
    rf"[{ANGLE_OPEN}]\s*補助率\s*(?:[:：]\s*)?(?P<body>(?:[^{ANGLE_OPEN}{ANGLE_CLOSE}\s][^{ANGLE_OPEN}{ANGLE_CLOSE}]*)?)[{ANGLE_CLOSE}]"
    rf"(?P<tail>\s*{NOTE_MARK}\s*(?P<cond>[^:：{NOTE_MARK}<>\s][^:：{NOTE_MARK}<>]*)?[:：]\s*(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+))?"
)
# The character every way of printing a rate holds, 「補助率」 or letter-spaced 「補 助 率」, but a line of shares labelled
# 「負担割合」 (``SHARE_LABELS``)
RATE_CHARACTER: Final = "率"


def may_print_rates(text: str) -> bool:
    """Tell whether ``text`` may print a rate: it holds 率 or a label of shares (most lines are told at once)."""
    return RATE_CHARACTER in text or any(label in text for label in SHARE_LABELS)
# A rate in round or square brackets: "(補助率1/2)", "（補助率 国1/2、県1/4）" (parse form "(補助率 国1/2、県1/4)"),
# "［補助率２／３］" (parse form "[補助率2/3]"), naming its payer: "（国庫補助率 2/3）"
RATE_PAREN: Final = re.compile(rf"[(\[]\s*(?:{join_alternatives(RATE_PAYERS)})?補助率\s*(?:[:：]\s*)?(?P<body>[^()\[\]]*)[)\]]")
# A rate in round brackets, whole, a part of a longer pattern (no group of its own): "(補助率1/2)", "(国庫補助率 2/3)" of
# "■障害者就労支援事業 5,000千円（国庫補助率1/2）" (parse form; in the other brackets, "<補助率:10/10>", it is read as
# a flag's bracket is, ``FLAG_BRACKET``, which no pattern may match as well)
RATE_IN_BRACKETS: Final = rf"\(\s*(?:{join_alternatives(RATE_PAYERS)})?補助率[^()]*\)"
# "【補助率】 3 / 4", "【補助率】 開始から3年間 10/10 4年目以降 1/2"
RATE_LABEL: Final = re.compile(r"【\s*補助率\s*】\s*(?P<body>[^【]*)")
# "1/2", "3 / 4", "10/10" (inside a rate body: "1/2または3/4"), read from the first figure of a number; or in words,
# the denominator first: "2分の1", "10分の10" (``read_fraction`` gives either as numerator and denominator)
FRACTION: Final = re.compile(r"(?<![0-9])(?:(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)|(?P<wden>[0-9]+)\s*分\s*の\s*(?P<wnum>[0-9]+))")


def read_fraction(frac: re.Match) -> tuple[str, str]:
    """The numerator and denominator a ``FRACTION`` match prints: 「1/2」 and 「2分の1」 both ("1", "2")."""
    return (frac["num"], frac["den"]) if frac["num"] is not None else (frac["wnum"], frac["wden"])


def make_rate(num: str, den: str, condition: str | None = None) -> Rate | None:
    """Return a rate when 0 < numerator <= denominator, else None."""
    n, d = read_integer(num), read_integer(den)
    if n is None or d is None or not 0 < n <= d:
        return None
    cond = to_display_form(condition) if condition else None
    return Rate(n, d, cond or None)


def parse_rates(text: str) -> tuple[tuple[Rate, ...], str | None]:
    """Return the subsidy rates printed in ``text`` and the text they were read from."""
    if not may_print_rates(text):  # every rate pattern spells 補助率 or a label of shares
        return (), None
    rates: list[Rate] = []
    texts: list[str] = []
    for match in sorted([*RATE_BRACKET.finditer(text), *RATE_PAREN.finditer(text)], key=lambda m: m.start()):
        for frac in FRACTION.finditer(match.group("body")):
            rate = make_rate(*read_fraction(frac))
            if rate:
                rates.append(rate)
        if match.re is RATE_BRACKET and match.group("tail"):
            rate = make_rate(match.group("num"), match.group("den"), match.group("cond"))
            if rate:
                rates.append(rate)
        texts.append(to_display_form(match.group()))
    line = read_rate_line(text) if not texts else None
    if line is not None:  # 「補助率:国1/2、県1/4」
        shares, _ = read_shares(line["body"])
        if shares:
            return tuple(shares), to_display_form(line.group().strip())
    if not texts:
        for match in RATE_LABEL.finditer(text):
            body = match.group("body")
            pos = 0
            for frac in FRACTION.finditer(body):
                cond = body[pos:frac.start()].strip() or None
                rate = make_rate(*read_fraction(frac), cond)
                if rate:
                    rates.append(rate)
                pos = frac.end()
            texts.append(to_display_form(match.group()))
    return tuple(rates), (" ".join(texts) if texts else None)


# A rate label standing before its rate, in a table's description cell, up to the next bracket:
# "<補助率> 補助対象経費の1/2上限700千円", "<補 助 率> 10/10 「種子島周辺漁業対策事業」", "<補助率>市1/2、地元1/2"
RATE_HEAD: Final = re.compile(rf"[{ANGLE_OPEN}]\s*補\s*助\s*率\s*[{ANGLE_CLOSE}]\s*(?P<body>[^{ANGLE_OPEN}]*)")
# A line that is a rate label and its rates, unbracketed: "補助率:国1/2、県1/4", "補助率 : 10/10", "補助率 国1/2、県1/4";
# after a note mark or naming its payer: "※国庫補助率 2/3"; the payers' shares: "負担割合 国3/4 市1/4" (parse form)
# (a body with no fraction is none: ``read_rate_line``; the body opens with no white space, time linear)
RATE_LINE: Final = re.compile(rf"^\s*(?:{NOTE_MARK}\s*)?(?:(?:{join_alternatives(RATE_PAYERS)})?補\s*助\s*率|{join_alternatives(SHARE_LABELS)})"
                       rf"(?:\s*[:：]|\s)\s*(?P<body>[^:：\s][^:：]*)$")


def read_rate_line(text: str) -> re.Match[str] | None:
    """Return the match of a line that is a rate label and its rates (``RATE_LINE`` with a fraction), or None."""
    line = RATE_LINE.match(text)
    return line if line is not None and FRACTION.search(line["body"]) else None


# A share with the party that bears it, after a separator: "市1/2", "、地元1/2" (not "補助対象経費の1/2")
PARTY_SHARE: Final = re.compile(r"(?:^|(?<=[、,・\s]))(?P<party>[^\s0-9、,・/]{1,3})(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)")
# ... or the share a party bears by its word, "負担": "設置者負担" of "(設置者負担1/4)", "利用者負担" (a public body's,
# "市負担1/4", is a rate of the program's)
BORNE_SHARE: Final = re.compile(r"(?P<party>[^\s0-9、,・/()]{1,6})負担\s*$")
# A sentence that is public bodies' shares alone: "障害福祉サービス…の増。国1/2、県1/4。"
# (not "…補助金35,000千円(国10/10)", one item's rate, nor "<負担割合>県3/4、市1/4負担金 188千円")
PAYER: Final = join_alternatives(PUBLIC_PAYERS)
SHARES_SENTENCE: Final = re.compile(
    rf"(?:^|(?<=。))\s*(?P<body>(?:{PAYER})[0-9]+\s*/\s*[0-9]+(?:\s*[、,・]\s*(?:{PAYER})[0-9]+\s*/\s*[0-9]+)*)\s*(?:。|$)"
)


def read_shares(body: str) -> tuple[list[Rate], int]:
    """Return the rates of a rate label's body, leaving out a share borne by a party that is no
    public body (``地元1/2`` of ``市1/2、地元1/2``), and where the last rate taken ends in ``body``."""
    parties = {m.start("num"): m["party"] for m in PARTY_SHARE.finditer(body)}
    rates: list[Rate] = []
    end = 0
    for frac in FRACTION.finditer(body):
        party = parties.get(frac.start())
        if party is not None and party not in PUBLIC_PAYERS:
            continue
        borne = BORNE_SHARE.search(body, 0, frac.start())
        if borne is not None and borne["party"] not in PUBLIC_PAYERS:
            continue  # 「（設置者負担1/4）」: the share the builder bears, no rate of the program's
        rate = make_rate(*read_fraction(frac))
        if rate:
            rates.append(rate)
            end = frac.end()
    return rates, end


def parse_description_rates(text: str) -> tuple[tuple[Rate, ...], str | None]:
    """Return the rates a table row's description states for its program, and the text they were read from.

    Taken: a rate in brackets that name it (``（補助率 2/3）``), rates after a ``<補助率>`` label (a
    share borne by another party than a public body, ``地元1/2``, is none), and a sentence of public
    bodies' shares alone (``国1/2、県1/4。``).
    A rate in brackets after one item's amount belongs to that item and is left alone.
    """
    labelled, labelled_text = parse_rates(text)  # 「…運営費を補助（補助率 2/3）」
    if labelled:
        return labelled, labelled_text
    rates: list[Rate] = []
    texts: list[str] = []
    for match in RATE_HEAD.finditer(text):
        shares, end = read_shares(match["body"])
        if shares:
            rates += shares
            texts.append(to_display_form(text[match.start():match.start("body") + end]))
    if not rates:
        for match in SHARES_SENTENCE.finditer(text):
            for frac in FRACTION.finditer(match["body"]):
                rate = make_rate(*read_fraction(frac))
                if rate:
                    rates.append(rate)
            texts.append(to_display_form(match["body"]))
    return tuple(rates), (" ".join(texts) if texts else None)


# A rate stated in prose on a detail page, with the years it applies to on the same line:
# "事業内容 1～3年目 基準額 1メニュー10,000千円 補助率 10/10", "4年目以降 基準額 …後方支援病床 5,607千円 補助率 1/2"
BARE_RATE: Final = re.compile(rf"(?<![{FLAG_OPEN}\[])補助率\s*(?:[:：]\s*)?(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)")
# "1～3年目", "4年目以降", "開始から3年間" (a number read from its first figure)
RATE_YEARS: Final = re.compile(r"(?<![0-9])(?:[0-9]+～[0-9]+年目|[0-9]+年目以降)|開始から[0-9]+年間")
# The line of a detail page that states the program's content: "事業内容 (基準額 1メニュー10,000千円 補助率 10/10 …)"
CONTENT_LINE: Final = re.compile(r"^事業内容")


def parse_page_rates(text: str) -> tuple[tuple[Rate, ...], str | None]:
    """Return the rates one line of a detail page states for the whole program, or none.

    Taken: a labelled or bracketed rate (``【補助率】 開始から3年間 10/10 4年目以降 1/2``), and a
    prose rate (``補助率 10/10``) on a line that names the years it applies to or opens with
    ``事業内容``. A prose rate in a list of menus (``(1) 6,000千円(補助率3/4)``) belongs to a menu,
    not to the program, and is left alone.
    """
    if text.startswith("-"):
        return (), None  # a bullet: one menu's rate
    rates, rate_text = parse_rates(text)
    if rates:
        return rates, rate_text
    matches = list(BARE_RATE.finditer(text))
    years = RATE_YEARS.findall(text)
    if len(matches) != 1 or not (len(years) == 1 or CONTENT_LINE.match(text)):
        return (), None
    match = matches[0]
    rate = make_rate(match["num"], match["den"], years[0] if len(years) == 1 else None)
    return ((rate,), to_display_form(match.group())) if rate else ((), None)


# Flag words: "新規", "拡充", "一部再掲", "一部新規", "大学提案採択事業"
FLAG_WORD: Final = re.compile(
    rf"(?:{PART_PREFIX})?(?:{join_alternatives(FLAG_WORDS)})|[^{LIST_DOT}]{{1,20}}{ADOPTED_SUFFIX}"
)
# "<拡充>", "＜新規・大学提案採択事業＞", "≪一部再掲≫", "【新規】", "《新規》" (the body keeps its white space:
# ``split_flags`` strips each flag, and one place for it keeps time linear)
FLAG_BRACKET: Final = re.compile(rf"[{FLAG_OPEN}](?P<body>[^{FLAG_OPEN}{FLAG_CLOSE}]*)[{FLAG_CLOSE}]")
# A flag printed short: "新", "一部新", "拡", "New" (see ``FLAG_ABBREVIATIONS``)
FLAG_SHORT: Final = re.compile(rf"(?P<part>{PART_PREFIX})?(?P<short>{join_alternatives(FLAG_ABBREVIATIONS)})")
# "(再掲※1)", "(一部再掲)", "(新)", "(一部新)", "(拡充)"
FLAG_PAREN: Final = re.compile(
    rf"\(\s*(?P<flag>(?:{PART_PREFIX})?(?:{join_alternatives(FLAG_WORDS + tuple(FLAG_ABBREVIATIONS))}))"
    rf"\s*(?:(?P<note>{NOTE_MARK}\s*[0-9]+)\s*)?\)"
)
# A flag word standing before a name: "新 在宅療養推進事業", "一部新 看取り支援事業"
# (the Japanese short forms only: "New York University" is no flag)
LEAD_SHORT_FLAGS: Final = [short for short in FLAG_ABBREVIATIONS if not short.isascii()]
# or the English word and an exclamation mark, set close: "New!" of "・New!社会福祉施設等災害時衛生対策事業 1,000万円"
FLAG_LEAD_WORD: Final = re.compile(rf"^(?:(?P<flag>(?:{PART_PREFIX})?(?:{join_alternatives(LEAD_SHORT_FLAGS)}|{join_alternatives(FLAG_WORDS)}))"
                            rf"\s+(?=\S)|(?P<mark>New|NEW)!\s*(?=\S))")


# A flag printed as the kind of program, perhaps with a note after it: "拡充事業" of "◇産後ケア事業:1,045千円[拡充事業]",
# "新規事業(一部新規を含む)" (alone on its line, 「【新規事業】」 heads the programs of that kind: ``segment.FLAG_GROUP``)
FLAG_KIND: Final = re.compile(rf"(?P<flag>(?:{PART_PREFIX})?(?:{join_alternatives(FLAG_WORDS)}))事業(?:\([^()]*\))?")


def canonicalize_flag(printed: str) -> str | None:
    """Return the flag word a printed flag stands for (``一部新`` → ``一部新規``, ``拡充事業`` → ``拡充``), or None."""
    if FLAG_WORD.fullmatch(printed):
        return printed
    short = FLAG_SHORT.fullmatch(printed)
    if short:
        return (short["part"] or "") + FLAG_ABBREVIATIONS[short["short"]]
    kind = FLAG_KIND.fullmatch(printed)
    if kind:
        return kind["flag"]  # 「[拡充事業]」
    return None


def split_flags(body: str) -> tuple[str, ...] | None:
    """Return the flags of a bracket body like ``新規・大学提案採択事業``, or None if it is not a flag."""
    parts = [p.strip() for p in re.split(rf"[{LIST_DOT},、]", body)]  # "新規・大学提案採択事業"
    flags = [canonicalize_flag(p) for p in parts if p]
    if parts and all(parts) and all(flags):
        return tuple(f for f in flags if f)
    return None


def parse_flags(text: str) -> tuple[str, ...]:
    """Return the flags printed in ``text`` in order, without repeats."""
    found: list[tuple[int, str]] = []
    for match in FLAG_BRACKET.finditer(text):
        for flag in split_flags(match.group("body")) or ():
            found.append((match.start(), flag))
    for match in FLAG_PAREN.finditer(text):
        found.append((match.start(), canonicalize_flag(match.group("flag")) or match.group("flag")))
    lead = FLAG_LEAD_WORD.match(text)
    if lead:
        word = lead["flag"] or lead["mark"]
        found.append((lead.start(), canonicalize_flag(word) or word))
    return tuple(dict.fromkeys(flag for _, flag in sorted(found, key=lambda x: x[0])))


# "p.2", "P.12"; in brackets, no point: "P12" of "6次産業化加工施設整備補助事業(P12)"
PAGE_REF: Final = re.compile(r"(?<![A-Za-z])[pP](?:\.\s*|(?<=\([pP])(?=[0-9]{1,3}\)))(?P<n>[0-9]+)")
# "※1", "※2"; a mark with no number, ending a name: "※" of "介護保険事業特別会計繰出金※"
NOTE_REF: Final = re.compile(rf"{NOTE_MARK}\s*(?P<n>[0-9]+)|{NOTE_MARK}$")
# A parenthetical that names the funding: "(地域医療介護総合確保基金)", "（保健医療政策区市町村包括補助（選択：提案型））",
# the national treasury's or the prefecture's own: "（一部国庫）", "（単県）", "（県単）"
FUNDING_WORDS: Final = re.compile(r"補助|基金|交付金|負担金|国庫|単県|県単")
# The shares of a program's cost each payer bears, in brackets after its amount: "国1/2、県1/4" of
# "・障害児通所支援事業 120,000千円(国1/2、県1/4)" (parse form): its funding, as printed
FUNDING_SHARES: Final = (rf"(?:{join_alternatives(RATE_PAYERS)})\s*[0-9]+/[0-9]+"
                  rf"(?:\s*[、,・]?\s*(?:{join_alternatives(RATE_PAYERS)})\s*[0-9]+/[0-9]+)*")
FUNDING_SHARE: Final = re.compile(rf"^{FUNDING_SHARES}$")
# A parenthetical remark, not funding: "（区市町村在宅療養推進事業で実施）"; one saying where the budget is counted:
# "（児童福祉総務費に含む）", "（予算は健康局地域医療課に計上）"
REMARK_END: Final = re.compile(r"(?:で|により|として)実施$|に(?:含む|含まれる|計上)$")
# The office in charge of a program, in brackets after its name or its amount: "高齢福祉課" of
# "○ 介護人材確保事業（高齢福祉課）　12,345千円", "・子育て短期支援事業 1,200千円 (こども家庭課)"
OFFICE: Final = rf"[^()\s]{{1,19}}[{DEPARTMENT_ENDS}]"
OFFICE_REMARK: Final = re.compile(rf"^{OFFICE}$")
# The budget a program's sum was made in, in brackets ending its name: "令和6年度2月補正" of
# "■地域防災緊急整備事業(令和6年度2月補正):1億2000万円", "6月補正予算", "R6専決" (parse form)
STAGE_REMARK: Final = re.compile(rf"^(?:(?:{LABEL_FISCAL_YEAR})\s?)?(?:[0-9]{{1,2}}月\s?)?(?:{join_alternatives(BUDGET_KINDS)})(?:予算)?(?:計上)?(?:分)?$")

# The account a program is paid from, in brackets ending its name: "病院特別会計" of
# "●県立中央病院PET整備事業(病院特別会計)=6億6800万円", "国民健康保険事業特別会計"
PAYING_ACCOUNT: Final = rf"[^()\s]{{0,16}}{ACCOUNT_WORD}"
ACCOUNT_REMARK: Final = re.compile(rf"^{PAYING_ACCOUNT}$")


def find_parentheticals(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each top-level balanced ``(…)`` in ``text``."""
    spans = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


CUT: Final = "\x00"  # not white space, so no \s* of a pattern reads across it
# The office in charge before a name, a leader after it, a leader after it (parse form): "農政課..." of "〔新規〕農政課…肥料費低減支援事業補助金 265万円"
OFFICE_LEADER: Final = re.compile(rf"^[{CUT}\s]*(?P<office>[^()\s{CUT}.]{{1,19}}[{DEPARTMENT_ENDS}])\s*\.{{2,}}\s*")
# What every annotation opens with: a bracket of a flag, budget or rate ("<拡充>", "【236,194千円】",
# "［528 万円］", "<補助率:1/2 >"), a parenthesis ("(再掲※1)", "(地域医療介護総合確保基金)") or a note
# mark ("※1"); with a page reference ("p.9") and a flag word first ("新 在宅療養推進事業"), no other.
# A line with none of them is a name and nothing else.
ANNOTATION_MARK: Final = re.compile(rf"[{FLAG_OPEN}\[(]|{NOTE_MARK}")


@functools.lru_cache(maxsize=4096)
def parse_annotations(text: str) -> Annotations:
    """Split a heading or item line into its name and its annotations.

    ``区市町村在宅療養推進事業<拡充>【557,263千円】`` gives the name
    ``区市町村在宅療養推進事業``, flag ``拡充`` and a budget of 557,263 千円. The segmenter asks
    about a line several times (as the next line, then as the line), so answers are kept.
    """
    # A removed piece leaves CUT, which no later pattern reads across: "p.【0百万円】4年目以降"
    # must not give page 4 once its budget is out.
    s = text.replace(CUT, " ")
    if not ANNOTATION_MARK.search(s) and not PAGE_REF.search(s) and not FLAG_LEAD_WORD.match(s) \
            and not read_rate_line(s):
        return Annotations(name=to_display_form(s))
    flags = list(parse_flags(s))
    budget, unread = read_budget_brackets(s)
    s = BUDGET_BRACKET.sub(CUT, s)
    if unread:  # a bracket printed as a budget is no part of the name, read or not
        printed = set(unread)
        s = BRACKET.sub(lambda m: CUT if m.group() in printed else m.group(), s)
    rates, rate_text = parse_rates(s)
    if rates and read_rate_line(s):
        s = CUT
    if RATE_CHARACTER in s:
        s = RATE_BRACKET.sub(CUT, s)
        s = RATE_PAREN.sub(CUT, s)
        s = RATE_LABEL.sub(CUT, s)
    notes = [f"{NOTE_MARK}{m.group('n') or ''}" for m in NOTE_REF.finditer(s)]
    s = FLAG_PAREN.sub(CUT, s)
    s = FLAG_BRACKET.sub(lambda m: CUT if split_flags(m.group("body")) else m.group(), s)
    s = FLAG_LEAD_WORD.sub(CUT, s)
    pages = tuple(n for m in PAGE_REF.finditer(s) if (n := read_integer(m.group("n"))) is not None)
    s = PAGE_REF.sub(CUT, s)
    s = NOTE_REF.sub(CUT, s)
    funding = None  # the first parenthetical naming funding
    remarks: list[str] = []
    office = OFFICE_LEADER.match(s)
    if office is not None:  # 「農政課…」 of 「〔新規〕農政課…肥料費低減支援事業補助金」: the office, then the name
        remarks.append(to_display_form(office["office"]))
        s = CUT + s[office.end():]
    kept: list[str] = []  # the text left once remarks, funding and empty parentheses are cut out
    pos = 0
    for start, end in find_parentheticals(s):
        inner = s[start + 1:end - 1].replace(CUT, " ").strip()
        if REMARK_END.search(inner) or ((OFFICE_REMARK.match(inner) or STAGE_REMARK.match(inner) or ACCOUNT_REMARK.match(inner))
                                        and not s[end:].replace(CUT, "").strip()):
            remarks.append(to_display_form(inner))  # (an office, or a budget's stage, ends the name: 「（高齢福祉課）」)
        elif FUNDING_WORDS.search(inner) and not inner.endswith("事業") or FUNDING_SHARE.match(inner):
            funding = funding or to_display_form(inner)
        elif inner:
            continue
        kept += [s[pos:start], CUT]
        pos = end
    kept.append(s[pos:])
    name = to_display_form("".join(kept).replace(CUT, " "))
    return Annotations(
        name=name,
        flags=tuple(dict.fromkeys(flags)),
        rates=rates,
        rate_text=rate_text,
        budget=budget,
        funding_scheme=funding,
        page_refs=pages,
        note_refs=tuple(dict.fromkeys(notes)),
        remarks=tuple(remarks),
        unread_budgets=unread,
    )


def is_annotation_only(text: str) -> bool:
    """Tell whether a line holds annotations and nothing else (a budget or rate line, also one
    printed as a budget that cannot be read: ``【0.0005千円】``). Asked of most lines, as the line after
    another: one that prints a name before its first annotation mark, 「山田 雅子 (教授)」, is told at
    once (``has_name_first``)."""
    if has_name_first(text):
        return False
    ann = parse_annotations(text)
    if ann.name.strip(LIST_DOT + " "):
        return False
    return bool(ann.budget or ann.rates or ann.flags or ann.funding_scheme or ann.unread_budgets)


def has_name_first(text: str) -> bool:
    """Tell whether ``parse_annotations`` leaves a name before the first annotation mark of ``text``.

    Every piece it cuts out begins at a mark (``ANNOTATION_MARK``) or after one, but for three, which
    are told apart here: a flag word before the name (「新 …」), a page reference (「p.9」) and a
    line of rates (「補助率 1/2」); so what stands before the first mark is the name's beginning, and
    a name it is when it prints something in the display form."""
    s = text.replace(CUT, " ")
    mark = ANNOTATION_MARK.search(s)
    if mark is None:
        return False
    before = s[:mark.start()]
    return (not may_print_rates(before) and FLAG_LEAD_WORD.match(s) is None and PAGE_REF.search(s) is None
            and bool(to_display_form(before).strip(LIST_DOT + " ")))


def merge_annotations(first: Annotations, more: list[Annotations]) -> Annotations:
    """Combine a heading's annotations with those of its continuation lines."""
    result = first
    for ann in more:
        result = Annotations(
            name=result.name,
            flags=tuple(dict.fromkeys(result.flags + ann.flags)),
            rates=result.rates + ann.rates,
            rate_text=" ".join(t for t in (result.rate_text, ann.rate_text) if t) or None,
            budget=result.budget or ann.budget,
            funding_scheme=result.funding_scheme or ann.funding_scheme,
            page_refs=tuple(dict.fromkeys(result.page_refs + ann.page_refs)),
            note_refs=tuple(dict.fromkeys(result.note_refs + ann.note_refs)),
            remarks=result.remarks + ann.remarks,
            unread_budgets=result.unread_budgets + ann.unread_budgets,
        )
    return result
