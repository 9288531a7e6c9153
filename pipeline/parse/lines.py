"""Lines: a document's physical lines to logical lines with a raw and a parse form.

Input: ``SourceDocument``. Output: ``Line`` records (wrapped lines rejoined). The text
forms are those of ``text.forms``: ``raw`` as printed, ``text`` the parse form.
"""

from __future__ import annotations

import re

from ..records import Line, SourceDocument, Span
from ..text.forms import join_text, to_parse_form
from ..text.japanese import is_wrapped
from ..text.vocab import (
    BASIS_WORDS,
    BRACKETS,
    DINGBAT_NUMBERS,
    LETTERED_FISCAL_YEAR,
    LISTED_PROGRAM_MARKS,
    NAMED_FISCAL_YEAR,
    PROGRAM_NAME_ENDS,
    SHORT_FISCAL_YEAR,
    STRUCTURE_MARKS,
    UNIT_FACTORS,
    escape_class,
    join_alternatives,
)

# A line that opens a new structural unit is never a continuation:
# "■在宅療養研修事業", "○入退院時連携強化研修", "≪例≫病院救急車等…", "- 多職種連携連絡会の運営",
# "（在宅医療・介護連携推進事業のうち…）", "(1) 訪問看護人材確保事業 【4,347千円/1回】", "#### ■…",
# "[対象] 区市町村の在宅療養担当職員…", "1 開 会", "1. 地域における教育ステーション事業", "R7：47,711千円／22か所…"
STRUCTURE_START = re.compile(
    rf"^(?:[{STRUCTURE_MARKS}#|{DINGBAT_NUMBERS}]|[0-9]+\s|[0-9]+\.|[A-Za-zＡ-Ｚ][0-9]*[:：])"
)
# A budget label is a line of its own, never a continuation nor continued (unless a bracket it
# opens is closed on the next line): "予算規模：3億円", "R8予算額（案）：557,263千円", "予算額 8,829千円",
# "【予算額】8,000千円", "予算額（千円）：12,345", "20年度当初予算額 1,000千円"
LABEL_START = re.compile(
    rf"^(?:{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR}|{SHORT_FISCAL_YEAR})?\s*[【\[]?\s*(?:{join_alternatives(BASIS_WORDS)})"
    rf"(?:\s*[】\]:：]|\s+[0-9]|\s*\((?:{join_alternatives(UNIT_FACTORS)})\))"
)
# A program listed under a bullet: "◇定住化対策事業［250 万円］"
LISTED_START = re.compile(rf"^[{escape_class(LISTED_PROGRAM_MARKS)}]")
# The end of a program's name: "…撤去補助事業", "…給付事業費"
NAME_END = re.compile(rf"(?:{join_alternatives(PROGRAM_NAME_ENDS)})$")
# A bracketed budget or note after a name, with the white space before it: "高校振興事業［969 万円］"
# (white space read from the first character of its run: time linear in the line)
BRACKETED_TAIL = re.compile(r"(?<!\s)\s*[\[【(].*$")
MAX_NAME_REST = 20  # characters: the rest of a wrapped name, with its budget
# A line indented as printed: "　○入退院時連携強化研修", " - ＜例＞病院救急車等…"
INDENT = re.compile(r"^[ \t\u3000]")
# A Markdown heading: "#### ■在宅療養研修事業【17,609千円】 p.9"
MD_START = re.compile(r"^\s*#")
# A line that closes a unit is never continued: "…【18,794千円】", "…を実施する。", "…事業)<新規>"
STRUCTURE_END = re.compile(rf"[。{escape_class(''.join(BRACKETS.values()))}]\s*$")
# The brackets a PDF box may wrap inside, left open at the end of a line: "【56,00",
# "■在宅療養普及事業（在宅療養体制づくり支援" (parse form: "(" for "（")
WRAPPED_BRACKETS = {"【": "】", "(": ")"}
# The rest of an open bracket, closed before any new one opens: "1千円(内数)】", "事業)<新規>"
CLOSING_REST = {"【": re.compile(r"^[^【】]*】"), "(": re.compile(r"^[^()]*\)")}


def is_left_open(text: str, bracket: str) -> bool:
    """Tell whether ``text`` leaves a bracket open: its last ``【`` (or ``(``) is closed nowhere after it."""
    return text.rfind(bracket) > text.rfind(WRAPPED_BRACKETS[bracket])


def should_join(prev: str, nxt: str) -> bool:
    """Tell whether parse-form line ``nxt`` continues ``prev`` (see ``japanese.is_wrapped``).

    A bracket left open (``【56,00``) continues into the line that closes it (``1千円(内数)】``).
    """
    for bracket, rest in CLOSING_REST.items():
        if is_left_open(prev, bracket) and rest.match(nxt.lstrip()):
            return True
    if STRUCTURE_START.match(nxt.lstrip()) or STRUCTURE_END.search(prev) or LABEL_START.match(nxt.lstrip()):
        return False
    if LABEL_START.match(prev.lstrip()):  # a budget label is a line of its own: 「予算額 3,000 千円」
        return False
    if STRUCTURE_START.match(prev.lstrip()) and MD_START.match(prev):
        return False
    if is_wrapped_program_name(prev, nxt):
        return True
    return is_wrapped(prev, nxt)


def is_wrapped_program_name(prev: str, nxt: str) -> bool:
    """Tell whether a bulleted program name goes on in the next line: 「◇住宅増改築及び廃屋解体」 /
    「撤去補助事業」. The first line is a listed program's mark and a name not yet ended; the next
    is short, unmarked, and ends the name (its budget may follow: 「高校振興事業［969 万円］」)."""
    prev, nxt = prev.strip(), nxt.strip()
    if not LISTED_START.match(prev) or NAME_END.search(prev) or BRACKETED_TAIL.search(prev):
        return False  # not a bulleted name, or one already ended or given its budget
    if len(nxt) > MAX_NAME_REST:
        return False
    return bool(NAME_END.search(BRACKETED_TAIL.sub("", nxt)))


def build_lines(doc: SourceDocument) -> tuple[Line, ...]:
    """Turn a document's physical lines into logical lines, rejoining wrapped text.

    A line continues the one before it (directly or across one blank line) when
    ``should_join`` says so; PDF lines only join within one page.
    """
    physical = [(sl, to_parse_form(sl.text)) for sl in doc.lines]
    result: list[Line] = []
    i = 0
    n = len(physical)
    while i < n:
        sl, text = physical[i]
        if not text.strip():
            i += 1
            continue
        raws = [sl.text]
        texts = [text]
        span = Span(sl.number, sl.number, sl.page, sl.bbox)
        j = i + 1
        while True:
            k = j
            if k < n and not physical[k][1].strip():
                k += 1  # one blank line may sit inside a wrapped sentence
            if k >= n or not physical[k][1].strip():
                break
            nsl, ntext = physical[k]
            if nsl.page != sl.page or nsl.column != sl.column or sl.column is not None or not should_join(texts[-1], ntext):
                break
            raws.append(nsl.text)
            texts.append(ntext)
            span = span.merge(Span(nsl.number, nsl.number, nsl.page, nsl.bbox))
            j = k + 1
        blank_before = i == 0 or not physical[i - 1][1].strip()
        blank_after = j >= n or not physical[j][1].strip()
        result.append(
            Line(
                raw="\n".join(raws),
                text=join_text(texts) if len(texts) > 1 else texts[0].strip(),
                span=span,
                indented=bool(INDENT.match(sl.text)),
                blank_before=blank_before,
                blank_after=blank_after,
                column=sl.column,
            )
        )
        i = j
    return tuple(result)

