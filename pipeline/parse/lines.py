"""Lines: a document's physical lines to logical lines with a raw and a parse form.

Input: ``SourceDocument``. Output: ``Line`` records (wrapped lines rejoined, and a PDF row the
layout set down in pieces put back together: ``join_row_pieces``). The text
forms are those of ``text.forms``: ``raw`` as printed, ``text`` the parse form.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import replace
from typing import Final

from ..records import Line, SourceDocument, SourceLine, Span
from ..text.forms import JAPANESE_CHARS, close_letter_spacing, join_text, to_parse_form
from ..text.japanese import is_wrapped
from ..text.vocab import (
    ABOUT,
    ACCOUNT_CODE,
    BASIS_WORDS,
    BRACKETS,
    CIRCLED_NUMBERS,
    DINGBAT_NUMBERS,
    FIELD_LABEL_ALONE,
    FLAG_ABBREVIATIONS,
    GROUP_AIM_ENDS,
    LABEL_FISCAL_YEAR,
    LISTED_PROGRAM_MARKS,
    NEGATIVE_MARKS,
    PAGE_NUMBER_DASHES,
    PART_PREFIX,
    PRINTED_SPACES,
    PRIOR_YEAR,
    PROGRAM_MARKS,
    PROGRAM_NAME_ENDS,
    STRUCTURE_MARKS,
    UNIT_FACTORS,
    YEN,
    escape_class,
    join_alternatives,
)
from .money import AMOUNT_TEXT

# Leader dots between a name and its amount, in the parse form: " ............ " of
# "○ 地域包括ケア推進事業 ‥‥‥‥‥‥ 12,000千円", " ・・・・・・・ " of "・介護人材確保事業(再掲) ・・・・・・・ 3,000千円"
# (white space read from the first character of its run)
LEADER: Final = re.compile(rf"(?<=[^\s.・])\s*(?:[.・]\s*){{3,}}(?=[{NEGATIVE_MARKS}0-9])")


def blank_leaders(text: str) -> str:
    """Return a line's parse form with the leader dots between a name and its amount made as many spaces: a gap
    between the two, as a list set with spaces prints it (「認知症対策事業　　　5,500千円」), and as the columns of a table
    set with leaders part its cells. Every rule then reads the two forms alike."""
    if "..." not in text and "・・・" not in text:
        return text
    return LEADER.sub(lambda m: " " * len(m.group()), text)


# A line that opens a new structural unit is never a continuation:
# "■在宅療養研修事業", "○入退院時連携強化研修", "≪例≫病院救急車等…", "- 多職種連携連絡会の運営",
# "（在宅医療・介護連携推進事業のうち…）", "(1) 訪問看護人材確保事業 【4,347千円/1回】", "#### ■…",
# "[対象] 区市町村の在宅療養担当職員…", "1 開 会", "1. 地域における教育ステーション事業", "R7：47,711千円／22か所…"
STRUCTURE_START: Final = re.compile(
    rf"^(?:[{STRUCTURE_MARKS}#|{DINGBAT_NUMBERS}]|[0-9]+\s|[0-9]+\.|[A-Za-zＡ-Ｚ][0-9]*[:：])"
)
# A budget label is a line of its own, never a continuation nor continued (unless a bracket it
# opens is closed on the next line): "予算規模：3億円", "R8予算額（案）：557,263千円", "予算額 8,829千円",
# "【予算額】8,000千円", "予算額（千円）：12,345", "20年度当初予算額 1,000千円"
LABEL_START: Final = re.compile(
    rf"^(?:{LABEL_FISCAL_YEAR})?\s*[【\[]?\s*(?:{join_alternatives(BASIS_WORDS)})"
    rf"(?:\s*[】\]:：]|\s+[0-9]|\s*\((?:{join_alternatives(UNIT_FACTORS)})\))"
)
# A program listed under a bullet: "◇定住化対策事業［250 万円］"
LISTED_START: Final = re.compile(rf"^(?:[{escape_class(LISTED_PROGRAM_MARKS)}]|[{CIRCLED_NUMBERS}]\s)")
# The end of a program's name: "…撤去補助事業", "…給付事業費"
NAME_END: Final = re.compile(rf"(?:{join_alternatives(PROGRAM_NAME_ENDS)})$")
# A bracketed budget, flag or note after a name, with the white space before it: "高校振興事業［969 万円］", "<拡充>" of
# "強化支援事業<拡充>" (parse form)
# (white space read from the first character of its run: time linear in the line)
BRACKETED_TAIL: Final = re.compile(r"(?<!\s)\s*[\[【(<].*$")
MAX_NAME_REST: Final = 20  # characters: the rest of a wrapped name, with its budget
# A list number opening a line, with a flag printed short after it: "(1) 新 " of "(1) 新 福祉人材確保・定着総合",
# "2. " of "2. 外国人介護人材受入れ環境", "③" (parse form)
NUMBERED_START: Final = re.compile(rf"^(?:\([0-9]{{1,3}}\)|[0-9]{{1,3}}\.|[0-9]{{1,3}}\s|[{CIRCLED_NUMBERS}])\s*"
                            rf"(?:(?:{PART_PREFIX})?(?:{join_alternatives([s for s in FLAG_ABBREVIATIONS if not s.isascii()])})\s+)?")
# The most the rest of a numbered name may hold before 事業, where the line above ends as a group's aim may: "対策"
# of "対策事業" under "(1) 新 福祉人材確保・定着総合"
MAX_NUMBERED_REST: Final = 4
JAPANESE_LETTER: Final = re.compile(f"[{JAPANESE_CHARS}]")
# A bracket opening a name after its mark, a flag's: "【新規】" of "■【新規】重層的支援体制整備移行準備"
LEAD_BRACKET: Final = re.compile(r"^\s*【[^【】]*】")
# An unbracketed amount ending the rest of a wrapped name, with the white space before it: "　11,200千円" of
# "事業　　　　　11,200千円"
AMOUNT_AFTER_NAME: Final = re.compile(rf"\s+{AMOUNT_TEXT}$")
# A text's page number between dashes, alone on its line (a page's foot, copied with the text): "－ 1 －"
# (parse form "- 1 -"), "― 12 ―", "-3-"; a page's furniture, no line of the document's content
PAGE_FOOT: Final = re.compile(rf"^\s*[{escape_class(PAGE_NUMBER_DASHES)}]\s*[0-9]{{1,4}}\s*[{escape_class(PAGE_NUMBER_DASHES)}]\s*$")
MAX_FOOT: Final = 40  # characters: a page number's line, with the spaces that set it where it stands
# A line indented as printed (by any space, ``PRINTED_SPACES``, or a tab): "　○入退院時連携強化研修", " - ＜例＞病院救急車等…"
INDENT_MARKS: Final = "\t" + PRINTED_SPACES
INDENT: Final = re.compile(rf"^[{INDENT_MARKS}]")
# A Markdown heading: "#### ■在宅療養研修事業【17,609千円】 p.9"
MD_START: Final = re.compile(r"^\s*#")
# A line that closes a unit is never continued: "…【18,794千円】", "…を実施する。", "…事業)<新規>"
STRUCTURE_END: Final = re.compile(rf"[。{escape_class(''.join(BRACKETS.values()))}]\s*$")
# The brackets a PDF box may wrap inside, left open at the end of a line: "【56,00",
# "■在宅療養普及事業（在宅療養体制づくり支援" (parse form: "(" for "（")
WRAPPED_BRACKETS: Final = {"【": "】", "(": ")"}
# The rest of an open bracket, closed before any new one opens: "1千円(内数)】", "事業)<新規>"
CLOSING_REST: Final = {"【": re.compile(r"^[^【】]*】"), "(": re.compile(r"^[^()]*\)")}


def is_left_open(text: str, bracket: str) -> bool:
    """Tell whether ``text`` leaves a bracket open: its last ``【`` (or ``(``) is closed nowhere after it."""
    return text.rfind(bracket) > text.rfind(WRAPPED_BRACKETS[bracket])


def should_join(prev: str, nxt: str) -> bool:
    """Tell whether parse-form line ``nxt`` continues ``prev`` (see ``japanese.is_wrapped``).

    A figure broken at the line's end goes on in the next (``BROKEN_FIGURE``); a bracket left open (``【56,00``)
    continues into the line that closes it (``1千円(内数)】``); a row of
    cells parted by tabs never runs into the next (``新規\tこども誰でも通園制度事業\t15,000…`` over ``拡充\t…``), nor
    one of three cells or more parted by runs of spaces (``こども誰でも通園制度事業   15,000   0   未就園児の預かり``)
    into a line of two cells or more.
    """
    if "\t" in prev and "\t" in nxt:
        return False
    if (end := prev.rstrip()) and end[-1] in BROKEN_ENDS and BROKEN_FIGURE.search(end + "\n" + nxt.lstrip()):
        return True  # 「…推進事業   12」 over 「,400   11,800」: one amount, whatever else the lines hold
    if is_spaced_row(prev) and "  " in nxt and CELL_GAP.search(nxt.strip()) is not None:
        return False  # (the rest of a row's last cell alone, wrapped under it, goes on with it: 「推進する。」)
    if is_spaced_row(prev) and is_under_an_earlier_cell(prev, nxt):
        return False  # 「と共同実施）」 under the name's cell of 「4 □救急医療情報システム運営事業（消防局　18,900　…」
    start = nxt.lstrip()
    if start[:1] in NO_LINE_START:
        return True  # 「、」 under 「線大学橋補修設計委託（500 万円）」: a sentence goes on, whatever the line above ends in
    for bracket, rest in CLOSING_REST.items():
        if bracket in prev and is_left_open(prev, bracket) and rest.match(start) and not is_spaced_row(prev):
            return True  # (a row of cells set apart by spaces keeps its cell's rest, under its column, a line of its own)
    if STRUCTURE_START.match(start) or STRUCTURE_END.search(prev) or LABEL_START.match(start):
        return False
    opening = prev.lstrip()
    if LABEL_START.match(opening):  # a budget label is a line of its own: 「予算額 3,000 千円」
        return False
    if STRUCTURE_START.match(opening) and MD_START.match(prev):
        return False
    if is_wrapped_program_name(prev, nxt):
        return True
    return is_wrapped(prev, nxt)


# An amount broken at a line's end: its digits go on with a group of three after a comma (「12」 / 「,400」), a
# group left short goes on with its digits (「1,1」 / 「00」, 「12,」 / 「000千円」), or its unit is parted (「12,345千」 / 「円(12,000千円)」,
# 「12,345」 / 「千円」); no figure opens with a comma, nor ends in a short group, and no unit of yen is parted
UNIT_PREFIXES: Final = [unit.removesuffix(YEN) for unit in UNIT_FACTORS if unit != YEN]  # 千, 万, 百万, 億
BROKEN_FIGURE: Final = re.compile(rf"[0-9]\n,[0-9]{{3}}(?![0-9])|,[0-9]{{0,2}}\n[0-9]|[0-9](?:{join_alternatives(UNIT_PREFIXES)})\n{YEN}"
                           rf"|[0-9]\n(?:{join_alternatives(UNIT_PREFIXES)}){YEN}")
BROKEN_ENDS: Final = "0123456789," + "".join(sorted({unit[-1] for unit in UNIT_PREFIXES}))  # what a line breaking an amount ends in
# Marks no printed line opens with (禁則): a line that does goes on from the one above: "、" of "…設計委託（500 万円）" / "、"
NO_LINE_START: Final = "、。"
# A gap between two cells of a row set apart by spaces: the "   " of "こども誰でも通園制度事業   15,000   0"
CELL_GAP: Final = re.compile(r"(?<=\S) {2,}(?=\S)")
MIN_ROW_GAPS: Final = 2  # three cells


def is_under_an_earlier_cell(row: str, nxt: str) -> bool:
    """Tell whether a line stands under a cell of a row set apart by spaces before its last: it begins well before the
    last cell does (the rest of a name's cell wrapped under it, not of the row's last)."""
    gaps = list(CELL_GAP.finditer(row))
    return bool(gaps) and len(nxt) - len(nxt.lstrip()) < gaps[-1].end() - CELL_SLACK


CELL_SLACK: Final = 4  # characters: how far before a row's last cell the rest of that cell may begin


def is_spaced_row(text: str) -> bool:
    """Tell whether a parse-form line is a row of three cells or more parted by runs of spaces."""
    return "  " in text and len(CELL_GAP.findall(text)) >= MIN_ROW_GAPS  # (most lines hold no run of spaces: told at once)


def is_wrapped_program_name(prev: str, nxt: str) -> bool:
    """Tell whether a bulleted program name goes on in the next line: 「◇住宅増改築及び廃屋解体」 /
    「撤去補助事業」. The first line is a listed program's mark and a name not yet ended; the next
    is short, unmarked, and ends the name (its budget may follow: 「高校振興事業［969 万円］」,
    「事業　　　　11,200千円」)."""
    prev, nxt = prev.strip(), nxt.strip()
    if (numbered := NUMBERED_START.match(prev)) is not None and not LISTED_START.match(prev):
        return is_wrapped_numbered_name(prev[numbered.end():], nxt)
    marked = prev[:1] in PROGRAM_MARKS and FIGURE_SET_APART.search(nxt) is not None  # 「■【新規】…移行準備」 / 「市町村支援事業　　15,000」
    core = LEAD_BRACKET.sub("", prev[1:])  # (「【新規】」 after the mark is a flag, no bracket after the name)
    if not (LISTED_START.match(prev) or marked) or NAME_END.search(prev) or BRACKETED_TAIL.search(core) \
            or AMOUNT_AFTER_NAME.search(prev):
        return False  # not a bulleted name, or one already ended or given its budget (「○ 子ども医療費助成事業　1,500,000千円」)
    nxt = FIGURE_SET_APART.sub("", AMOUNT_AFTER_NAME.sub("", nxt))
    if len(nxt) > MAX_NAME_REST or LISTED_START.match(nxt) or nxt[:1] in PROGRAM_MARKS:
        return False  # 「▼重点施策III 健幸のまちづくり」 over 「▽がん患者支援事業…20万円」: a heading over a program of its own
        return False
    return bool(NAME_END.search(BRACKETED_TAIL.sub("", nxt)))


def is_wrapped_numbered_name(body: str, nxt: str) -> bool:
    """Tell whether a numbered line's name goes on, with its budget, in the next line: 「(1) 新 福祉人材確保・定着総合」 /
    「対策事業　　27,540千円」. The name is not yet ended, and holds no bracket, figure or sentence's end; the next line
    is the name's short rest, ending in 事業, then an amount. A rest with words of its own before 事業 (「研修事業」) is
    a program of its own under a group's heading ending as an aim does (「(1) 介護人材の確保」)."""
    if not body or NAME_END.search(body) or BRACKETED_TAIL.search(body) or any(ch.isdigit() for ch in body) \
            or not JAPANESE_LETTER.match(body[-1]):
        return False
    amount = AMOUNT_AFTER_NAME.search(nxt) or FIGURE_SET_APART.search(nxt)
    if amount is None:
        return False
    rest = nxt[:amount.start()].strip()
    end = NAME_END.search(BRACKETED_TAIL.sub("", rest))  # 「事業（地域拠点整備）」: a note after the name's end
    if end is None or len(rest) > MAX_NAME_REST or any(ch.isspace() for ch in rest):
        return False
    stem = rest[:end.start()]
    return not stem or (len(stem) <= MAX_NUMBERED_REST and not body.endswith(GROUP_AIM_ENDS))


# The pieces of one printed row a page's layout may set down as lines of their own, far apart on
# the row: an amount alone, "500万円" of "2－7－1　傷病手当金の増　…　500万円" (said to be about so much, "約2,500万円", or
# a figure alone in the unit of a note, "12,345"), and an account code alone, "2−7−1" (parse form); each goes back to
# the text on its row
# A figure alone, its digits grouped by commas or too few to be, in the unit a note gives (a list under 「（単位：千円）」,
# 「（単位：百万円）」): "12,345", "512"; in 百万円 with a point, the year before's after it: "62.5(前年度 40)"
BARE_FIGURE: Final = rf"[{NEGATIVE_MARKS}]?[0-9]{{1,3}}(?:,[0-9]{{3}})*"
# ... set apart after the rest of a wrapped name, as in a column: "　　15,000" of "市町村支援事業　　　　15,000" (parse form)
FIGURE_SET_APART: Final = re.compile(rf"(?:\t|\s{{2,}}){BARE_FIGURE}$")
ROW_AMOUNT: Final = re.compile(rf"^(?:{ABOUT}\s?)?(?:{AMOUNT_TEXT}|{BARE_FIGURE}(?:\.[0-9]+)?(?:\s?\({PRIOR_YEAR}\s?[0-9][0-9,.]*\))?)$")
ROW_FIGURE: Final = re.compile(rf"^{BARE_FIGURE}$")
ROW_CODE: Final = re.compile(rf"^{ACCOUNT_CODE}$")
# How many lines back an amount looks for the text of its row (a description under the name may
# stand between them), and how much of the shorter line's height the two must share.
ROW_LOOKBACK, ROW_OVERLAP = 3, 0.5
# A line ending in an amount already: "傷病手当金の増 500万円"
ENDS_IN_AMOUNT: Final = re.compile(rf"{AMOUNT_TEXT}$")

# A sheet's field label alone on its line (white space taken out): "予算額" over "６，３００千円", its value
FIELD_LABEL: Final = re.compile(FIELD_LABEL_ALONE)

Piece = tuple[SourceLine, str, Span]


def share_row(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Tell whether two boxes stand on one row, ``a`` left of ``b``: they share most of the shorter one's height."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return a[2] <= b[0] + 1.0 and overlap >= ROW_OVERLAP * min(a[3] - a[1], b[3] - b[1]) > 0


def join_row(left: Piece, right: Piece, apart: str = " ") -> Piece:
    """Return one line of two pieces of a row, left then right, ``apart`` between them (a space, or a tab as between
    cells); its span covers both."""
    sl, text, span = left
    merged = span.merge(right[2])
    line = SourceLine(sl.number, f"{sl.text}{apart}{right[0].text.strip()}", sl.page, merged.bbox, sl.column)
    return line, f"{text.rstrip()}{apart}{right[1].strip()}", merged


def join_row_pieces(physical: list[Piece]) -> list[Piece]:
    """Put back together a row the layout set down in pieces: an account code alone before the text
    on its row (「2－7－1」 and 「傷病手当金の増」), an amount alone after it (「500万円」), even with a
    line of description between them. A second amount on the row goes after the first
    (「介護予防推進事業　10,000千円　12,345千円」: no rule reads one of them as the budget, which no
    header tells), and so does an amount beside another alone on a row under a name (「10,000千円
    12,345千円」 under 「介護予防推進事業」: neither is the name's budget). Only a PDF's lines, with
    boxes, on one page."""
    out: list[Piece] = []
    kept: list[int] = []  # where the lines with text stand in ``out``
    joined: set[int] = set()  # the lines an amount was put back on
    for i, piece in enumerate(physical):
        sl, text, _ = piece
        body = text.strip()
        if not body or sl.bbox is None:
            out.append(piece)
            continue
        if kept and ROW_CODE.match(out[kept[-1]][1].strip()):
            code = out[kept[-1]]
            if code[0].page == sl.page and code[0].bbox is not None and share_row(code[0].bbox, sl.bbox):
                out[kept[-1]] = join_row(code, piece)
                continue
        if ROW_AMOUNT.match(body):
            if (at := find_row_text(out, kept, sl, joined)) is not None:
                # a bare figure far right of its text, 「12,345」 of 「子ども食堂支援事業」 under 「（単位：千円）」: a column's
                # cell (the figures after it stay as printed: which of them is the budget, no header tells; and a
                # figure whose unit the next line goes on with, 「12,345」 over 「千円」, is no cell)
                cell = ROW_FIGURE.match(body) and at not in joined and not (
                    i + 1 < len(physical) and BROKEN_FIGURE.search(body + "\n" + physical[i + 1][1].lstrip()))
                out[at] = join_row(out[at], piece, "\t" if cell else " ")
                joined.add(at)
                continue
            joined.add(len(out))  # an amount alone: another on its row goes after it
        kept.append(len(out))
        out.append(piece)
    return out


def find_row_text(out: list[Piece], kept: list[int], amount: SourceLine, joined: set[int]) -> int | None:
    """Return where the text an amount alone belongs to stands in ``out``: the nearest of the last
    lines (``ROW_LOOKBACK``) on its row, left of it, not ending in an amount of its own (one put
    back on it is no bar); or None."""
    assert amount.bbox is not None
    if kept and stands_under_label(out[kept[-1]], amount):
        return None
    for at in reversed(kept[-ROW_LOOKBACK:]):
        left, text, _ = out[at]
        if left.page != amount.page or left.bbox is None or left.column != amount.column:
            return None
        if share_row(left.bbox, amount.bbox):
            body = text.rstrip()
            if ROW_CODE.match(body.strip()) or (ENDS_IN_AMOUNT.search(body) and at not in joined):
                return None
            return at
    return None


def stands_under_label(piece: Piece, amount: SourceLine) -> bool:
    """Tell whether the line read before an amount alone is a sheet's field label alone standing right above it, their
    left edges level (「予算額」 over 「６，３００千円」): the amount is the label's value, however a column to its left
    sets a line on its row (「事業名」 of a sheet beside it, set a line lower)."""
    label, text, _ = piece
    if label.bbox is None or label.page != amount.page or not FIELD_LABEL.match(text.replace(" ", "")):
        return False
    assert amount.bbox is not None
    x0, _, _, bottom = label.bbox
    height = amount.bbox[3] - amount.bbox[1]
    return abs(amount.bbox[0] - x0) <= 0.5 * height and 0 <= amount.bbox[1] - bottom <= 1.5 * height


def build_lines(doc: SourceDocument) -> tuple[Line, ...]:
    """Turn a document's physical lines into logical lines, rejoining wrapped text.

    A line continues the one before it (directly or across one blank line) when
    ``should_join`` says so; PDF lines only join within one page.
    """
    physical: list[tuple[SourceLine, str, Span | None]]
    from_pdf = any(sl.bbox is not None for sl in doc.lines[:1])
    if from_pdf:
        physical = list(join_row_pieces([(sl, blank_leaders(to_parse_form(sl.text)), Span(sl.number, sl.number, sl.page, sl.bbox))
                                         for sl in doc.lines]))
    else:  # a text's lines: each one's span is made when a logical line needs it (``give_span``)
        margin = find_margin(doc.lines)
        lines = [replace(sl, text=sl.text[len(margin):]) if margin and sl.text.startswith(margin) else sl
                 for sl in doc.lines]  # (a page number set further left keeps its place)
        physical = [(sl, close_letter_spacing(blank_leaders(to_parse_form(sl.text))), None) for sl in lines]
    # Blank: a line of nothing, or a text's page number (a PDF's are its pages' furniture, set aside when read)
    blank = [not text.strip() or (span is None and is_page_foot(text)) for _, text, span in physical]
    if not from_pdf and (spacing := find_spacing_blanks(blank)):
        physical = [piece for at, piece in enumerate(physical) if at not in spacing]  # (each keeps its line's number)
        blank = [flag for at, flag in enumerate(blank) if at not in spacing]
    if not from_pdf:
        physical = split_csv_records(physical)
    result: list[Line] = []
    i = 0
    n = len(physical)
    while i < n:
        if blank[i]:
            i += 1
            continue
        sl, text, _ = physical[i]
        span = give_span(physical[i])
        raws = [sl.text.rstrip(PRINTED_SPACES)]  # spaces ending a line are not printed (tabs part its cells)
        texts = [text]
        j = i + 1
        while True:
            k = j
            while k < n and blank[k] and from_pdf:
                k += 1  # the next printed line: a letter of a word set a letter a line, however many blank lines apart
            stacked = k < n and is_stacked_letter(physical[j - 1], physical[k])
            if not stacked:
                k = j
                if k < n and blank[k]:
                    k += 1  # one blank line may sit inside a wrapped sentence
                    if k < n and not from_pdf and physical[k][0].text[:1] in INDENT_MARKS:
                        break  # (a typed line set in after it opens a paragraph: 「　令和７年度当初予算案のうち、…」)
                if k >= n or blank[k]:
                    break
            nsl, ntext, _ = physical[k]
            if nsl.page != sl.page or nsl.column != sl.column or sl.column is not None or not (
                    stacked or should_join(texts[-1], ntext)):
                break
            raws.append(nsl.text.rstrip(PRINTED_SPACES))
            texts.append(ntext)
            span = span.merge(give_span(physical[k]))
            j = k + 1
        result.append(
            Line(
                raw="\n".join(raws),
                text=join_text(texts) if len(texts) > 1 else texts[0].strip(),
                span=span,
                indented=bool(sl.text) and sl.text[0] in INDENT_MARKS,
                blank_before=i == 0 or blank[i - 1],
                blank_after=j >= n or blank[j],
                column=sl.column,
            )
        )
        i = j
    return tuple(result)


# The fewest records, one a line, of as many cells each (three at least), that make a block of a text a table copied
# out as CSV: "区分,事業名,令和7年度予算額,…" over "新規,高齢者の保健事業…,\"412,600\",…"
MIN_CSV_RECORDS, MIN_CSV_CELLS = 3, 3


def split_csv_records(physical: list[tuple[SourceLine, str, Span | None]]) -> list[tuple[SourceLine, str, Span | None]]:
    """Return a text's lines with each block of CSV records in it (``MIN_CSV_RECORDS`` lines or more of as many cells,
    a quoted cell keeping its commas: 「,健康診査事業,"1,086,250","1,054,900"」) read as rows of cells parted by tabs, as
    a CSV file is (``read.files.read_csv``); the printed lines are kept as they are."""
    counts = [count_csv_cells(sl.text) for sl, _, _ in physical]
    out = list(physical)
    i = 0
    while i < len(physical):
        j = i
        while j < len(physical) and counts[j] >= MIN_CSV_CELLS and counts[j] == counts[i]:
            j += 1
        if j - i >= MIN_CSV_RECORDS:
            for k in range(i, j):
                sl, _, span = physical[k]
                cells = next(csv.reader([sl.text], skipinitialspace=True))
                out[k] = (sl, "\t".join(close_letter_spacing(to_parse_form(cell)).strip() for cell in cells), span)
        i = max(j, i + 1)
    return out


def count_csv_cells(text: str) -> int:
    """Return how many cells a line holds read as a CSV record: 0 for a line with a tab, a quote left open, or commas
    that only group a figure's digits outside quotes (「事業　1,254,300　△312,000」, a row set apart by spaces)."""
    if text.count(",") < MIN_CSV_CELLS - 1 or "\t" in text or text.count('"') % 2:
        return 0
    if len(CSV_SEPARATOR.findall(QUOTED_CELL.sub("", text))) < MIN_CSV_CELLS - 1:
        return 0
    return len(next(csv.reader([text], skipinitialspace=True)))


# A quoted cell of a CSV record, "\"1,086,250\"", and a comma parting two cells: one grouping a figure's digits,
# "1,254,300" (or "1, 254, 300", as an OCR layer sets it), parts none
QUOTED_CELL: Final = re.compile(r'"[^"]*"')
CSV_SEPARATOR: Final = re.compile(r",(?! ?[0-9]{3}(?![0-9]))|(?<![0-9]),")


# One Japanese letter alone on a line of a PDF: "商" of a heading set a letter a line, "商" / "工" / "観" / "光"
STACKED_LETTER: Final = re.compile(rf"^[{JAPANESE_CHARS}]$")
# How far below the letter above the next letter of a word set a letter a line may stand, in its height
STACKED_GAP: Final = 2.5


def is_stacked_letter(above: tuple[SourceLine, str, Span | None], below: tuple[SourceLine, str, Span | None]) -> bool:
    """Tell whether two lines of a PDF are letters of one word set one under the other, a letter a line (a heading
    down a newsletter's margin, 「商」「工」「観」「光」, each a line apart): one Japanese letter each, the lower one centred
    under the upper within half its width, at most ``STACKED_GAP`` of its height below it. Two such letters are a
    word whatever the dictionary makes of them (「工観」 is no word, 「商工観光」 is)."""
    (upper, text, _), (lower, ntext, _) = above, below
    if upper.bbox is None or lower.bbox is None or not STACKED_LETTER.match(text.strip()) \
            or not STACKED_LETTER.match(ntext.strip()):
        return False
    x0, _, x1, bottom = upper.bbox
    lx0, top, lx1, lbottom = lower.bbox
    height = lbottom - top
    return abs((x0 + x1) - (lx0 + lx1)) / 2 <= 0.5 * (lx1 - lx0) and 0 <= top - bottom <= STACKED_GAP * height


# A text set double-spaced has at least this many printed lines (fewer tell nothing of how it is set).
MIN_SPACED_LINES: Final = 4


def find_spacing_blanks(blank: list[bool]) -> set[int]:
    """The blank lines a text set double-spaced holds for its spacing, not its breaks: a blank line after every printed
    line (as a page copied from a word processor or a browser gives it: 「■ 在宅療養研修事業」, 「」, 「予算額 17,609千円」),
    so that no two printed lines stand one under the other (a break between paragraphs, if any, is two blank lines or
    more). Of each run of blank lines, the first is the spacing's. Empty for any other text: one with two printed lines
    one under the other, or too few lines to tell."""
    if blank.count(False) < MIN_SPACED_LINES or any(not a and not b for a, b in zip(blank, blank[1:])):
        return set()
    # (blank lines before the first printed line are no spacing's)
    return {at for at, flag in enumerate(blank) if flag and at > 0 and not blank[at - 1]}


def is_page_foot(text: str) -> bool:
    """Tell whether a parse-form line is a text's page number between dashes (``PAGE_FOOT``), told at once by its length."""
    return len(text) <= MAX_FOOT and PAGE_FOOT.match(text) is not None


def find_margin(lines: tuple[SourceLine, ...]) -> str:
    """The spaces every printed line of a text opens with (a page's left margin, as a PDF copied as text keeps
    it: 「　　令和８年度 主要事業」 over 「　　○ 児童館運営事業」): no indent of one line against another. Tabs
    are never margin (they part a row's cells)."""
    margin: str | None = None
    for sl in lines:
        if not sl.text.strip() or (len(sl.text) <= MAX_FOOT and is_page_foot(to_parse_form(sl.text))):
            continue  # (a page number stands where the page sets it, centred or not)
        lead = sl.text[:len(sl.text) - len(sl.text.lstrip(PRINTED_SPACES))]
        margin = lead if margin is None else os.path.commonprefix([margin, lead])
        if not margin:
            return ""
    return margin or ""


def give_span(piece: tuple[SourceLine, str, Span | None]) -> Span:
    """Return a physical line's span: the one its row's pieces were given (``join_row_pieces``), else its own line's."""
    sl, _, span = piece
    return span if span is not None else Span(sl.number, sl.number, sl.page, sl.bbox)
