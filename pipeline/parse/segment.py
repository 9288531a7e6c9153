"""Segment stage: logical lines to an outline of sections and program blocks.

Input: ``Line`` records of one document (``parse.lines.build_lines``) and its format.
Output: an ``Outline``: title, fiscal-year context, reading order and ``ProgramBlock``s,
each with its heading, annotation lines, description lines and sub-items.

The walk is a state and an ordered list of rules, as in markdown-it's block parser:
``SegmentState`` holds what the walk knows at a line (the open block, the headings and
context in force, the numbered list being read); each rule of ``RULES`` tries one form of
line and says whether it took the line; the first rule that takes it wins, and
``read_prose`` takes whatever is left. ``RULES`` lists every form; a new form is a new rule.
A rule may say what its lines begin with, hold or how long they are at most (``needs``), and a
line is asked only of the rules its first character and length let in (``choose_rules``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final, TypeVar

from ..records import (
    Budget,
    Context,
    DetailPage,
    ItemBlock,
    Line,
    ListedName,
    Outline,
    ProgramBlock,
    Span,
)
from ..text.forms import close_tracking, join_text, to_display_form, to_parse_form
from ..text.japanese import is_heading_like, tokenize
from ..text.patterns import FirstChars, GuardedPattern, find_first_chars
from ..text.vocab import (
    ABOUT,
    ABOUT_AFTER,
    ACCOUNT_CODE,
    ACCOUNT_NAMES,
    ACCOUNT_WORD,
    ACHIEVEMENT_MARK,
    ACHIEVEMENT_WORD,
    AMOUNT_WORD_END,
    BASIS_WORDS,
    BUDGET_KINDS,
    BUDGET_WORD,
    BULLET_MARKS,
    CHANGE_ARROWS,
    CHANGE_SUFFIXES,
    CHANGE_WORDS,
    CIRCLED_ERA_MARKS,
    CIRCLED_NUMBERS,
    CONTINUED_WORDS,
    COST_PART_ENDS,
    COUNT_WORDS,
    DEPARTMENT_ENDS,
    EMPTY_BOXES,
    ERA_NAME,
    ERA_NUMBER,
    EXAMPLE_LABELS,
    EXPENDITURE_SIDE,
    FIELD_LABEL_WORDS,
    FISCAL_ERA_LETTER,
    FISCAL_ERA_NAME,
    FLAG_WORDS,
    INITIAL_BASIS_WORDS,
    ITEM_MARKS,
    KIND_LABEL_WORDS,
    LABEL_FISCAL_YEAR,
    LABEL_LEAD_MARKS,
    LEAD_MARKS,
    LEGEND_MARKS,
    LETTERED_FISCAL_YEAR,
    LIST_DOT,
    LISTED_PROGRAM_MARKS,
    LISTED_SPENDING_ENDS,
    MAIN_PROGRAMS_HEADERS,
    MD_BULLET_MARK,
    NAME_DECORATIONS,
    NAME_LABEL_WORD,
    NAMED_FISCAL_YEAR,
    NEGATIVE_MARKS,
    NONE_CELLS,
    NOT_A_BUDGET,
    NOTE_MARK,
    OF_WHICH,
    OTHER_FIGURE_WORDS,
    PART_PREFIX,
    PER_UNIT_WORDS,
    POINT_MARKS,
    PRIOR_YEAR,
    PROGRAM_GROUP_WORDS,
    PROGRAM_MARK,
    PROGRAM_MARKS,
    PROGRAM_NAME_ENDS,
    RATE_HEADER,
    REPORT_HEADING_ENDS,
    RESIDUAL_NAMES,
    REVENUE_NAMES,
    REVENUE_SIDE,
    SECTION_NAMES,
    SLIDE_SHAPES,
    SUPPLEMENT_BASIS_WORDS,
    TABLE_NAME_HEADERS,
    TARGET_LABELS,
    THOUSAND_YEN,
    TICKED_BOXES,
    TOTAL_NAMES,
    TRANSFER_OUT,
    UNIT_FACTORS,
    UNIT_LABEL,
    UNMAPPED_GLYPH,
    YEAR_ALONE_HEADER,
    YEN,
    escape_class,
    join_alternatives,
)
from .fields import (
    AMOUNT,
    BUDGET_BRACKET,
    FLAG_BRACKET,
    FLAG_LEAD_WORD,
    FLAG_PAREN,
    FLAG_WORD,
    FUNDING_SHARES,
    OFFICE,
    PAYING_ACCOUNT,
    RATE_BRACKET,
    RATE_IN_BRACKETS,
    RATE_PAREN,
    UNIT,
    canonicalize_flag,
    has_budget,
    is_annotation_only,
    parse_annotations,
    parse_era_year,
    parse_flags,
    read_label_year,
    read_rate_line,
    split_flags,
)
from .lines import BARE_FIGURE, CLOSING_REST, INDENT, INDENT_MARKS, is_left_open
from .money import AMOUNT_TEXT as MONEY
from .money import BODY as AMOUNT_BODY
from .money import MULTIPLIER_ENDS, explain_unread_amount, find_amounts, read_amount, read_integer
from .table_rows import (
    AMOUNT_CELL,
    NAME_HEADER_WORD,
    NON_PROGRAM_TITLE,
    OTHER_UNITS,
    SPACED_RULE,
    TableRow,
    TableSpec,
    check_placement,
    find_column_starts,
    find_lone_cell,
    find_rest_cells,
    is_amount_cell,
    is_row_line,
    merge_account,
    read_header,
    read_header_unit,
    read_header_years,
    read_row,
    read_title_flag,
    split_cells,
    split_figure_then_text,
)
from .table_rows import UNIT_NOTE as TABLE_UNIT_NOTE

# "#### ■在宅療養研修事業【17,609千円】 p.9", "## 看取り支援に関する取組"
MD_HEADING: Final = re.compile(r"^(?P<level>#{1,6})\s+(?P<body>.*)$")
# The program mark: "■在宅療養研修事業", also the private-use glyph some symbol fonts give.
PROGRAM_START: Final = re.compile(rf"^[{PROGRAM_MARKS}]\s*")
# White space read from its first character, never from inside a run (time linear in the run):
# the start of the splits below.
SPACE_RUN: Final = r"(?<!\s)\s+"
# Two programs on one line: "■小児等在宅医療推進部会 ■小児等在宅医療推進事業≪再掲≫"
PROGRAM_SPLIT: Final = re.compile(rf"{SPACE_RUN}(?=[{PROGRAM_MARKS}])")
# An inline item after a name: "■広域連携支援 ・東京都地域医療構想調整会議 …"
INLINE_ITEM: Final = re.compile(rf"{SPACE_RUN}{LIST_DOT}")
# A budget basis: "予算案" of "【 】：令和４年度 予算案", "予算額（案）" of "R8予算額（案）：557,263千円（事業全体）"
BASIS: Final = join_alternatives(BASIS_WORDS)
# The legend of a one-pager: "【 】：令和４年度 予算案", "【 】：令和７年度 予算額（案）" (the year opens
# with no white space, which the colon's side takes: each run of it has one place in the pattern)
LEGEND: Final = re.compile(rf"^【\s*】\s*(?:[:：]\s*)?(?P<year>\S.*?年度?)\s*(?P<basis>{BASIS})")
# A column legend over a numbered list: "【R7 予算額/規模】"
SCALE_LEGEND: Final = re.compile(
    rf"^【\s*(?P<year>(?:{FISCAL_ERA_LETTER})\s?[0-9]+|{NAMED_FISCAL_YEAR})\s*(?P<basis>{BASIS})[^】]*】$"
)
# A budget label under a heading: "予算額：119,141千円", "R8予算額（案）：557,263千円（事業全体）", with
# white space for the colon: "予算額 8,829千円", its word in brackets: "【予算額】8,000千円", "（予算額）　３，２１０，５００千円", or its unit
# before the figure: "予算額（千円）：12,345", or a year without its era: "20年度当初予算額 1,000千円"; a sheet's
# field number or a mark before it: "1 予算額 8,500千円", "(1) 予算額：8,500千円", "◎予算額 12,000千円"; its word in
# other brackets: "〔予算額〕12,000千円" (parse form "【予算額】"), "＜予算額＞12,000千円" (parse form "<予算額>"); a draft's mark after it: "当初予算額(案) 6,000千円";
# an amount of several parts, or with a point: "予算額 1億2,400万円", "予算額 0.3億円" (``compound``); its year after the
# label, before the figure: "予算額 令和7年度 7,960千円" (``year_after``; ``label_year`` reads either)
BUDGET_LABEL: Final = re.compile(
    rf"^(?:[0-9]{{1,2}}(?:[.)][ ]?|[ ])|\([0-9]{{1,2}}\)[ ]?|[{escape_class(LABEL_LEAD_MARKS)}][ ]?)?"
    rf"(?P<year>{LABEL_FISCAL_YEAR})?\s*(?P<open>[【\[(<]\s*)?(?P<basis>{BASIS})(?:\(案\))?"
    rf"(?:\s*\((?P<hunit>{UNIT})\))?(?(open)\s*[】\])>]\s*|(?:\s*:\s*|\s+))"
    rf"(?(year)|(?:(?P<year_after>{LABEL_FISCAL_YEAR})\s*[:]?\s*)?)"
    rf"(?:(?P<sign>[{NEGATIVE_MARKS}])[ ]?)?"
    rf"(?:(?P<amount>{AMOUNT})(?(hunit)|\s*(?P<unit>{UNIT}))|(?(hunit)(?!)|(?P<compound>{AMOUNT_BODY}[ ]?{YEN})))(?P<qual>.*)$"
)
# A labelled amount in a line of them side by side: "補正額 25,000千円" of
# "補正前額 10,000千円 補正額 25,000千円 補正後額 35,000千円" (see ``find_budget_label``)
# An amount anywhere in a text: "10,000千円" of "補正前額 10,000千円" (a name before its label, or a caption, prints none)
MONEY_ANYWHERE: Final = re.compile(MONEY)
# Any budget word, anywhere in a line (``find_budget_label``'s first test)
BASIS_WORD: Final = re.compile(BASIS)
# (never a range's mark: "～800万円" of "予算額 500万円～800万円" is the rest of the first amount, no amount of its own)
LABELLED_AMOUNT: Final = re.compile(rf"(?P<label>[^\s0-9:：()～]{{1,8}})\s*(?:[:：]\s*)?(?P<money>{MONEY})")
# A stated total: "総合事業総額：令和7年度 233,453千円 令和6年度 207,376千円": the word, then an amount in
# 千円 somewhere after it (see ``is_total``)
TOTAL_WORD: Final = "総額"
# A year and its amount in a total: "令和7年度 233,453千円" (an amount read from its first figure)
TOTAL_PAIR: Final = re.compile(
    rf"(?:(?P<year>{NAMED_FISCAL_YEAR}|{LETTERED_FISCAL_YEAR})\s*)?(?<![0-9,])(?P<amount>{AMOUNT})\s*{THOUSAND_YEN}"
)
# Achievement heads: "●令和6年度実績（4月～12月）", "●令和7年度 講演会1回開催予定" — "■" lines under
# them are not programs; a ● line naming no year nor 実績 is a bullet ("●高齢者見守り事業 3,200千円").
ACHIEVEMENT: Final = re.compile(rf"^{ACHIEVEMENT_MARK}\s*(?:{ERA_NAME}|{ACHIEVEMENT_WORD})")
# The word of a year's budget after its year, if any: "当初" of "R8当初", "予算額" of "前年度予算額", "当初予算" of "R7当初予算"
YEAR_BUDGET_WORD: Final = r"(?:当初)?(?:予算額|予算)?"
# A title naming a year's budget, opening a heading: "令和7年度 当初予算" of "令和7年度 当初予算 重点事業" (parse form),
# "令和7年度補正予算" of "令和7年度補正予算の主な事業"
BUDGET_TITLE: Final = re.compile(rf"^(?:{LABEL_FISCAL_YEAR})\s?(?:{join_alternatives(BUDGET_KINDS)})?{BUDGET_WORD}")
# The previous year's amount in brackets, after a budget label's or alone on the line under a
# program's: "（前年度 11,000千円）", "(前年度予算額：7,500千円)", "(前年度当初 80,000千円)", "(R7 11,000千円)",
# "(19年度 900千円)" (a year must be the year before the program's), its amount in the budget's brackets:
# "(前年度【49,870千円】)"
PRIOR_BODY: Final = (rf"\(\s*(?:{PRIOR_YEAR}|(?P<year>{LABEL_FISCAL_YEAR}))"
              rf"{YEAR_BUDGET_WORD}\s*[:：]?\s*(?P<lent>【\s*)?(?P<prior>{MONEY})(?(lent)\s*】)\s*\)")
PRIOR_NOTE: Final = re.compile(rf"^\s*{PRIOR_BODY}\s*$")
# ... its figure bare, in a list under a unit note: "(前年度 2,102,340)" under "■ こども医療費助成事業  2,345,678"
PRIOR_BARE_NOTE: Final = re.compile(rf"^\s*\(\s*(?:{PRIOR_YEAR}|(?P<year>{LABEL_FISCAL_YEAR})){YEAR_BUDGET_WORD}\s*(?:[:：]\s*)?"
                             rf"(?P<prior>[0-9]{{1,3}}(?:,[0-9]{{3}})*)\s*\)\s*$")
# The same, a label line under a program's budget label: "前年度予算額\t207,376千円", "前年度 8,000千円",
# "R6予算額：10,000千円", "（前年度）　３，１５０，０００千円" (parse form)
PRIOR_LABEL: Final = re.compile(
    rf"^(?P<open>\()?(?:{PRIOR_YEAR}|(?P<year>{LABEL_FISCAL_YEAR})){YEAR_BUDGET_WORD}"
    rf"(?(open)\))[ \t]*[:：]?[ \t]*(?P<prior>{MONEY})$"
)
# The same note ending a program's line, after its budget: "(前年度 4億9,800万円)" of
# "●放課後児童クラブ運営事業 5億3,200万円(前年度 4億9,800万円)"
PRIOR_TAIL: Final = re.compile(rf"(?<=[^\s(])\s*{PRIOR_BODY}\s*$")
# A part of the budget or its funding in brackets ending a program's line, after its budget: "(うち新規分 2,000千円)" of
# "○ 在宅医療推進事業 12,000千円(うち新規分 2,000千円)", "(一般財源 6,000千円)" (parse form)
PART_TAIL: Final = re.compile(rf"(?<=[0-9円])[ ]?\((?P<part>(?:{OF_WHICH}|{join_alternatives(REVENUE_NAMES)})[^()]*)\)$")
# ... or any other note of an amount with its word, a unit's cost, the sum after a supplement: "(単価 1,000千円)" of
# "・相談支援事業 3,000千円(単価 1,000千円)", "(補正後 50,000千円)" (the year before's and a change are read apart first:
# ``split_prior_tail``)
NOTE_TAIL: Final = re.compile(rf"(?<=[0-9円])[ ]?\((?P<part>[^()0-9{NEGATIVE_MARKS}{CIRCLED_ERA_MARKS}]{{1,12}}?[:]?[ ]?{MONEY}[^()]*)\)$")
# ... or a figure per person or unit, after the budget and its flag: "(市民1人当たり約3,346円)" of
# "○学校給食費無償化事業 8,711万円 【新規】(市民1人当たり約3,346円)" (parse form)
PER_UNIT_TAIL: Final = re.compile(rf"(?<=\S)[ ]?\((?P<part>[^()]{{0,20}}(?:{join_alternatives(PER_UNIT_WORDS)})[^()]{{0,12}}{MONEY})\)$")
# A printed change ending a program's line, after its budget: "(前年比 +1,000千円)" of
# "・地域医療確保事業 12,345千円(前年比 +1,000千円)", "(対前年度 500千円減)", "(増減 △300千円)" (parse form)
CHANGE_TAIL: Final = re.compile(
    rf"(?<=[^\s(])[ ]?\((?:{join_alternatives(CHANGE_WORDS)})[ ]?[:：]?[ ]?"
    rf"(?P<sign>[+\-\u2212])?(?P<change>{MONEY})(?P<way>増|減)?\)$"
)
# The same change labelled beside a budget label on its line, after the budget, in no brackets:
# "対前年度 △2,000千円" of "予算額 45,000千円 対前年度 △2,000千円", "増減 +500千円" (parse form)
CHANGE_BESIDE: Final = re.compile(
    rf"(?<=\s)(?:{join_alternatives(CHANGE_WORDS)})(?:額)?\s*[:：]?\s*(?P<sign>[+\-\u2212])?(?P<change>{MONEY})(?P<way>増|減)?$"
)
# The label of a program's name in a sheet of labelled fields: "事業名 介護人材確保支援事業", "事業名：…"; numbered as
# the sheet's first field: "1 事業名  在宅療養推進事業" (parse form of "１　事業名　　在宅療養推進事業"), "(1) 事業名：…";
# in brackets: "【事業名】 不妊治療費助成事業"
NAME_LABEL: Final = re.compile(rf"^(?:[0-9]{{1,2}}[.)、]?[ ]?|\([0-9]{{1,2}}\)[ ]?)?"
                        rf"(?:【{NAME_LABEL_WORD}】\s*|{NAME_LABEL_WORD}\s*(?::\s*|\s+))")
# A slide's title saying it goes on from the slide before: "研究の背景(続き)", "事業概要（続）"
CONTINUED: Final = re.compile(rf"[(（]\s*(?:{join_alternatives(CONTINUED_WORDS)})\s*[)）]\s*$")
# Numbered programs: "(1) 訪問看護人材確保事業 【4,347千円/1回】", "2 訪問看護ステーション代替職員…",
# "(1)保育所等整備事業" (a number in brackets needs no space after it), "1.高齢者の生きがいづくり" (nor one
# with a point, never a figure's: "1.5億円")
NUMBERED: Final = re.compile(r"^(?:\((?P<sub>[0-9]{1,2})\)\s*|(?P<top>[0-9]{1,2})(?:\.(?![0-9])\s*|\s+))(?P<rest>\S.*)$")
# One entry of a legend of marks: "★印は新規事業", "☆:拡充", "◎=一部新規", "■...新規事業" (parse form of "■…新規事業"), a
# note in brackets after it: "□:再掲(他局計上)"; the mark quoted: "「★」...新規事業" of "※「○」…継続事業、「★」…新規事業"
LEGEND_ENTRY: Final = re.compile(
    rf"「?(?P<mark>[{escape_class(LEGEND_MARKS)}])」?\s*(?:(?:印|マーク)\s*)?(?:は|:|=|\.{{2,}})\s*"
    rf"(?P<flag>(?:{PART_PREFIX})?(?:{join_alternatives(FLAG_WORDS)}))(?:事業)?(?:\([^()]{{1,12}}\))?"
)
LEGEND_MARK: Final = re.compile(rf"[{escape_class(LEGEND_MARKS)}]")
# What a legend of marks may hold besides its entries: "(★印は新規事業、☆印は拡充事業)", a note's number before them:
# "(注1)" of "（注１）◆：新規事業　◇：拡充事業", or a note mark: "※" of "※「○」…継続事業、「★」…新規事業"
LEGEND_REST: Final = re.compile(rf"^\s*(?:\(注[0-9]?\)|注[0-9]?[:.]|{NOTE_MARK})?[\s、,・/()]*(?:を示す|です|を表す)?[\s。)]*$")
# The label of a field beside a sheet's name field, a cell after it: "予算額" of "事業名\t介護人材確保支援事業\t予算額\t3,600千円",
# "担当課", "R8予算額(千円)"
SIDE_FIELD: Final = re.compile(rf"^(?:{join_alternatives(FIELD_LABEL_WORDS)}|(?:{LABEL_FISCAL_YEAR})?(?:{BASIS})(?:\(.*\))?)\s*[:：]?$")
# A line of a sheet's field other than the name: "担当課 高齢福祉課", "事業内容", "所管課:健康推進課"
FIELD_LINE: Final = re.compile(rf"^(?:{join_alternatives(FIELD_LABEL_WORDS)})\s*(?:[:：]|\s|$)")
# A record's number alone on its line, over a sheet of fields: "No.2", "№ 12", "NO.3", "事業番号 101-01",
# "整理番号：12" (parse form)
RECORD_NUMBER: Final = re.compile(r"^(?:(?:事業|整理)?(?:No|NO|№|番号))\.?\s*[:]?\s*[0-9]{1,4}(?:-[0-9]{1,4}){0,2}$")
# A Roman numeral opening a heading, in the parse form: "I " of "Ⅰ　安心して医療を受けられる体制づくり", "IV.";
# or an ordinal: "第1 " of "第1 高齢者福祉の充実", "第2章 "; or a capital letter and a point: "A." of "Ａ．高齢者の生きがいづくり"
ROMAN_NUMBER: Final = re.compile(
    r"^(?:(?:I{1,3}|IV|VI{0,3}|IX|X{1,2})(?:\.\s*|\s+)|第[0-9]{1,2}(?:[章節部]\s*|\s+)|[A-H]\.\s*)(?=\S)")
# What opens the rest of a figure spaced out: "億" of "5 億 281 万円", "万円", "千円", "円", "%"
AMOUNT_PIECE_START: Final = re.compile(rf"^(?:{join_alternatives(UNIT_FACTORS)}|[兆億万千円%])")
# A number with a point opening a line: "1. " of "1. 子育て支援の充実"
DOTTED_NUMBER: Final = re.compile(r"^[0-9]{1,2}\.\s*(?=\S)")
# A line of a numbered list of program names: "12. 訪問系介護サービス暑さ対策緊急支援事業",
# "10. 看護小規模多機能型居宅介護管理者・区市町村担当者合同連絡会"
LISTED: Final = re.compile(r"^(?P<number>[0-9]{1,2})\.\s*(?P<name>\S.*(?:事業|部会|連絡会|会議))$")
MIN_LISTED: Final = 3
# An era fiscal year, in a title or over a detail page: "令和6年度第2回 東京都在宅介護・医療協働推進部会 次第",
# "【新規】 令和7年度 介護現場におけるカスタマーハラスメント対策強化事業"
ERA_FISCAL_YEAR: Final = re.compile(rf"(?:{FISCAL_ERA_NAME})\s*(?:{ERA_NUMBER})\s*年度\s*")
# A title's era year: "令和7年度", its year in the Western calendar in brackets before 年度 ("令和8(2026)年度"), or
# by its era letter ("R8年度 予算の概要"); perhaps a meeting's number or a month after it ("令和7年度第2回", "令和7年度6月")
TITLE_ERA_YEAR: Final = (rf"(?:(?:{FISCAL_ERA_NAME})\s*(?:{ERA_NUMBER})\s*(?:\((?:19|20)[0-9]{{2}}\)\s*)?"
                  rf"|(?<![A-Za-z])(?:{FISCAL_ERA_LETTER})[0-9]{{1,2}}\s*)年度\s*")
TITLE_ERA_PREFIX: Final = re.compile(rf"^{TITLE_ERA_YEAR}(?:第[0-9]+回|[0-9]{{1,2}}月)?")
# The department a first line opens with, before its title's year: "健康医療部 " of "健康医療部 令和7年度当初予算(案)の主要事業"
TITLE_DEPARTMENT_PREFIX: Final = re.compile(rf"^[^\s、。()0-9]{{1,15}}[{DEPARTMENT_ENDS}]\s+(?={TITLE_ERA_YEAR})")
# A title's year in the Western calendar, its era year after it in brackets or none: "2025年度(令和7年度) 主要事業",
# "2026年度 生活福祉課 予算の概要", "2026(令和8)年度 主要事業"
TITLE_WESTERN_PREFIX: Final = re.compile(rf"^(?:19|20)[0-9]{{2}}(?:\((?:{FISCAL_ERA_NAME})(?:{ERA_NUMBER})\))?年度\s?"
                                  rf"(?:\((?:{FISCAL_ERA_NAME})(?:{ERA_NUMBER})年度\)\s*)?")
# A title's era year after its subject, in brackets, ending it: "新年度予算の主な事業（令和８年度）",
# "主要事業の概要【令和7年度当初予算】" (parse forms)
TITLE_YEAR_TAIL: Final = re.compile(rf"\s*[(【]\s*(?:{FISCAL_ERA_NAME})\s*(?:{ERA_NUMBER})\s*年度[^()【】]{{0,8}}[)】]$")
TITLE_TAIL_LINES: Final = 3  # a title with its year at its end is one of the document's first lines
# An era year mentioned anywhere, a range counting once: "令和7年度", "令和6～8年度"
ERA_MENTION: Final = re.compile(rf"(?:{FISCAL_ERA_NAME})(?:{ERA_NUMBER})(?:～[0-9]+)?年度")
# A Markdown page heading naming a program: "# 在宅療養環境整備支援事業", "# 【新規】小児等在宅医療推進事業"
PAGE_HEADING: Final = re.compile(r"^#\s+(?P<name>\S.*)$")
# The heading every detail page opens with: "## 目的" (a second one starts the next, unheaded page)
PURPOSE_HEADING: Final = re.compile(r"^##\s*目的\s*$")
# Sub-items: "○入退院時連携強化研修", "◯…"
CIRCLE_ITEM: Final = re.compile(rf"^[{ITEM_MARKS}]\s*")
# A katakana letter numbering a list, then a space, or in brackets: "ア " of "ア 地域医療構想推進事業", "(ウ)"
KATAKANA_LETTER: Final = r"[ア-ン][ ]+|\([ア-ン]\)\s*"
# A record's number before a program's name: "No.1 " of "No.1 ヤングケアラー支援事業 20,000千円", "№12 " (and, lettered,
# "(a) " of "(a) シルバー人材センター補助事業 5,000千円", in ``LIST_LEAD``)
RECORD_LEAD: Final = r"(?:No|NO|№)\.?\s*[0-9]{1,4}"
# A list line numbered by a circled number or a katakana letter: "① 介護予防推進事業…", "ア 地域医療…"
LETTERED_ITEM: Final = re.compile(rf"^(?:[{POINT_MARKS}](?![0-9])|{KATAKANA_LETTER})")
# What opens a line of a list of programs: a bullet or an arrow ("* ", "→ "), a hyphen and a space ("- "), a number
# ("1." "2)" "2 " "3、") or one in square brackets ("[1] ", "【2】"), a
# bracketed number ("(1)"), a circled number before a name ("① 地域医療構想推進事業", never the era mark
# of an amount: "⑤3億円"), a katakana letter and a space or in brackets ("ア 地域医療…", "(ウ) 救急医療…"), a mark no
# character stands for and a space ("(cid:0) 低所得世帯支援給付金", a PDF's unmapped glyph)
LIST_LEAD: Final = (
    rf"[{escape_class(LISTED_PROGRAM_MARKS)}]\s*|[{escape_class(LEAD_MARKS)}][ ]*|{MD_BULLET_MARK}[ ]+|[{POINT_MARKS}](?![0-9])\s*"
    rf"|{KATAKANA_LETTER}|(?P<number>[0-9]{{1,2}})(?:[.)、]\s*|\s+)|\((?P<sub>[0-9]{{1,2}})\)\s*|[\[【][0-9]{{1,2}}[\]】]\s*"
    rf"|{RECORD_LEAD}\s+|\([a-z]\)\s*|(?:{UNMAPPED_GLYPH})\s+"
)
# A program line ending in its budget, unbracketed: "1. 在宅療養推進事業 1,470千円",
# "・地域医療連携事業 1億500万円", "在宅療養推進事業(95,743千円)", "看取り支援事業   8,829万円",
# "ア 看護職員確保対策( 50,000千円)" (a figure set right in its brackets)
# (the name opens and ends with no white space and the amount opens with none, so each run of
# it has one place in the pattern: time linear in the line)
# and flags after the amount: "(2)放課後児童クラブ運営事業 8,560万円【拡充】", "○介護職員研修支援事業 3億5千万円(新規)";
# after a program mark: "■地域福祉推進事業 25,000千円", "■生活困窮者自立支援事業 (18,000千円)"; said to be about so
# much: "(4) 社会福祉協議会補助事業 約2,500万円" (the qualifier 約), "・通所型サービス事業 2,000千円程度" (程度, 規模, 見込み),
# or a range: "■認知症施策推進事業 1,000万円～3,000万円" (the first its budget, as in brackets, the rest its qualifier);
# after a bracket that closes the name, or a name's last word, with no space:
# "(2) 訪問介護事業所運営支援事業（補助）3,880千円", "- 障害福祉サービス事業3435万9千円"
GLUED_AFTER: Final = "|".join(f"(?<={end})" for end in PROGRAM_NAME_ENDS)
NAME_AMOUNT: Final = GuardedPattern(re.compile(
    rf"^(?:{LIST_LEAD}|[{PROGRAM_MARKS}]\s*)?"
    rf"(?P<name>(?:[^\t\s][^\t]*?)?[^\s(])(?:\s*\(\s?(?P<paren>{MONEY})\s?\)|(?:\s*[ \t]|(?<=[)\]】>])|{GLUED_AFTER})(?P<about>{ABOUT}\s?)?(?P<money>{MONEY})"
    rf"(?P<about_after>{join_alternatives(ABOUT_AFTER)})?(?P<upper>～\s?{MONEY})?)"
    rf"(?P<flags>(?:\s*(?:{FLAG_BRACKET.pattern}|{FLAG_PAREN.pattern}|{RATE_IN_BRACKETS}))*)(?P<office>\s*\({OFFICE}\))?"
    rf"(?P<shares>\s*\({FUNDING_SHARES}\))?(?P<ratio>\s*\([^()0-9]{{1,8}}\s?[+\-{NEGATIVE_MARKS}]?[0-9]+(?:\.[0-9]+)?\s?%\))?"
    rf"(?P<remark>\s*\((?P<remark_text>[^()0-9]{{1,20}})\))?$"
), YEN)  # every amount ends with 円; the office in charge may end the line: "・子育て短期支援事業 1,200千円 (こども家庭課)",
# or the shares of its cost: "・障害児通所支援事業 120,000千円(国1/2、県1/4)"; a ratio may close it, no figure of the
# program's: "・生活保護扶助事業 3,450,000千円(前年比 101.2%)", "(構成比 4.5%)"; or a remark, no figure in it:
# "●老人福祉施設整備事業=36億7700万円(国からの事業引継)"
# Every account path names its top level: 「款」 of 「(款)民生費 (項)社会福祉費」
ACCOUNT_TOP_LEVEL: Final = "款"
# A note mark with no number ending a name, pointing to a note below: "※" of "介護保険事業特別会計繰出金※ 3億215万円"
BARE_NOTE_END: Final = re.compile(rf"{NOTE_MARK}$")
# The sign of a sum in a remark on a figure: "+" of "(予算額+人件費)" (parse form)
SUM_SIGN: Final = re.compile(r"[+×]")
# The account a program is paid from, in brackets after its name (parse form): "(病院特別会計)" of
# "●県立中央病院PET整備事業(病院特別会計)=6億6800万円"
ACCOUNT_BRACKET: Final = re.compile(rf"\s*\({PAYING_ACCOUNT}\)$")
# A bracket that closes a name before its figure (parse form): "(18.74%)" of "自主財源(18.74%)3 億 7,172 万円"
CLOSING_BRACKET: Final = re.compile(r"\s*\([^()]*\)$")
# One level of an account path printed over a summary's programs, its level word in brackets or
# before a colon, then its name: "(款)民生費" of "(款)民生費 (項)社会福祉費 (目)社会福祉総務費", "項:老人福祉費"
ACCOUNT_PATH_LEVEL: Final = re.compile(r"[(\[【<]?(?P<level>款|項|目)[)\]】>:：][ ]?(?:[0-9]{1,3}[ ]?)?(?P<name>[^\s()\[\]【】<>:：0-9][^\s()\[\]【】<>:：]*)[ ]?")
# How far right of a line another starts, in the first one's height, to stand deeper in a list
DEEPER: Final = 0.5
# How far right of the open program's line a PDF's line starts, in the lower line's height, to be set in under
# it, as a text's line that starts with 「　」 is: 「・施設運営費補助　40,000千円」 under 「（２）病児保育事業
# 45,600千円」, a character further in
SET_IN: Final = 0.75
# The longest line a plain heading over a list of programs takes: 「地域で安心して暮らせる医療・介護体制の充実」
MAX_GROUP_HEADING: Final = 30
# The longest line a side heading takes: 「(2) 【歳出】」
MAX_SIDE_HEADING: Final = 10
# The longest line a flag heading takes: 「【一部新規】」, 「＜拡充＞」
MAX_FLAG_HEADING: Final = 12
# A heading naming one side of a budget, alone, bracketed or numbered: "歳入", "【歳出】", "(2) 歳出", "1 歳入"
BUDGET_SIDE: Final = re.compile(
    rf"^(?:[0-9]{{1,2}}[.)]?[ ]?|\([0-9]{{1,2}}\)[ ]?)?[【<(\[]?(?P<side>{REVENUE_SIDE}|{EXPENDITURE_SIDE})[】>)\]]?$"
)
# An item after its account code (款-項-目), with its amount: "2-7-1 傷病手当金の増 500万円",
# "5−1−1\t保険給付費等交付金の増\t500万円" (parse form)
ACCOUNT_CODE_ITEM: Final = re.compile(rf"^(?P<code>{ACCOUNT_CODE})[ \t]+(?P<rest>\S.*)$")
# Flags ending a name: "(拡充)" of "生活困窮者自立支援事業(拡充)", "【新規】"
FLAGS_TAIL: Final = re.compile(rf"(?<!\s)(?:\s*(?:{FLAG_BRACKET.pattern}|{FLAG_PAREN.pattern}))+$")  # (white space read from its first character)
# A count ending a name, before its amount: " 20クラブ" of "放課後児童クラブ運営事業 20クラブ 1億2,000万円", " 8か所"
COUNT_TAIL: Final = re.compile(rf"\s(?P<count>[0-9][0-9,]*\s?(?:{join_alternatives(COUNT_WORDS)}))$")
# A year ending a name, naming the year of the amount after it: " R7" of "介護予防事業 R7 1,000千円",
# " 令和7年度" of "介護予防事業 令和7年度 1,000千円"
YEAR_TAIL: Final = re.compile(rf"\s(?P<year>{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR})$")
# The same year before a colon and its amount: "R7:" of "・病児保育事業 R7:50,840千円" (parse form)
YEAR_COLON: Final = re.compile(rf"(?<=\s)(?P<year>{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR})[:][ ]?(?=[0-9{NEGATIVE_MARKS}])")
# A colon or an equals sign between a name and the amount after it: ":" of "1.地域医療構想推進事業:25,000千円", "=" of
# "▽保育所整備促進事業=41億2,000万円" (parse form)
NAME_COLON: Final = re.compile(rf"(?<=[^\s:=0-9])[ ]?[:=][ ]?(?=(?:{ABOUT}\s?)?{MONEY})")
def take_out_colons(text: str) -> str:
    """Return a program's line with a space for the colon (or equals sign) between its name, or its year, and its
    amount: 「◇産後ケア事業:1,045千円」 → 「◇産後ケア事業 1,045千円」, 「・病児保育事業 R7:50,840千円」 → 「… R7 50,840千円」."""
    if ":" in text or "=" in text:
        return NAME_COLON.sub(" ", YEAR_COLON.sub(r"\g<year> ", text))
    return text


# This year's figure alone, labelled by its year (perhaps with the word of its budget), on a line of its own, last
# year's beside it, in brackets or after a slash, or none: "R8:84,000千円(R7:80,500千円)", "R8:2,100千円",
# "令和8年度 3,600千円(令和7年度 3,000千円)", "R8当初 5,000千円 / R7当初 4,000千円" (parse form); a figure with a scale
# after it ("R7:47,711千円/22か所") is none
# (its parts a space apart or a few: "R8当初  5,000千円  /  R7当初  4,000千円", as a page laid out as text spaces them)
YEAR_AMOUNT_LINE: Final = re.compile(
    rf"^(?P<year>{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR}){YEAR_BUDGET_WORD}(?:\s{{0,3}}:\s{{0,3}}|\s{{1,3}})(?P<money>{MONEY})"
    rf"(?:(?:\s{{0,3}}(?P<open>\()|\s{{0,3}}/)\s{{0,3}}(?P<prior_year>{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR})"
    rf"{YEAR_BUDGET_WORD}(?:\s{{0,3}}:\s{{0,3}}|\s{{1,3}})(?P<prior>{MONEY})(?(open)\s{{0,3}}\)))?$"
)
# An amount ending a name, before a second one in brackets: " 123億円" of "介護職員処遇改善支援事業 123億円(120億円)"
AMOUNT_TAIL: Final = re.compile(rf"\s(?P<money>{MONEY})$")
# A line holding only an amount, under a program's name: "12,345千円", "3億2,000万円", in brackets: "(150,000千円)",
# "【150,000千円】" (parse form)
AMOUNT_ONLY_LINE: Final = re.compile(rf"^\s*(?:(?P<money>{MONEY})|\(\s*(?P<paren>{MONEY})\s*\)|【\s*(?P<lent>{MONEY})\s*】)\s*$")
# A line of what a program does, then its amount set apart as in a column, under its name: "…体制整備、啓発活動の実施
# 4,019万円" of "瀬戸内国際芸術祭の開催に向けた体制整備、啓発活動の実施…4,019万円" (parse form: the leader is white space)
# (the description opens and ends with no white space: one place for the gap, time linear in the line)
DESCRIBED_AMOUNT: Final = GuardedPattern(re.compile(rf"^(?P<text>\S(?:.*\S)?)(?:\t\s*|\s{{2,}})(?P<money>{MONEY})$"), YEN)
# A line of a list under a unit note: a bullet or a number, a name, one bare amount:
# "・子ども医療費助成事業 191,174", "2. 地域公共交通運行事業 32,602"
# or a budget word between them: "○ 物価高騰対策給付金事業 補正額 1,161,055"; or no lead, the amount set apart
# (``WIDE_GAP``): "子ども食堂支援事業　　　　12,345", "新　子ども食堂支援事業　　12,345"; a point in a list of 百万円,
# and the year before's after it: "・介護人材確保・定着促進事業　　236（前年度 188）", "・…推進事業　　62.5（前年度 40）"
BARE_AMOUNT_LINE: Final = re.compile(
    rf"^(?P<lead>{LIST_LEAD}|[{PROGRAM_MARKS}]\s*)?"
    rf"(?P<name>[^\t\s0-9](?:[^\t]*?[^\s])?)(?P<gap>\s+)(?:(?P<label>{join_alternatives(BASIS_WORDS)})\s*[:：]?\s*)?"
    rf"(?P<amount>[{NEGATIVE_MARKS}]?[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[{NEGATIVE_MARKS}]?[0-9]+(?:\.[0-9]+)?)"
    rf"(?:\s*\(\s*{PRIOR_YEAR}(?:予算額?)?\s*(?:[:：]\s*)?(?P<prior>[0-9]{{1,3}}(?:,[0-9]{{3}})*(?:\.[0-9]+)?)\s*\))?$"
)
# A budget label that says there is none: "予算額:-(国実施の研修を活用するため予算措置なし)", "予算額 ―" (parse form)
NO_BUDGET_LABEL: Final = re.compile(rf"^\s*(?:{BASIS})\s*(?:[:：]\s*)?[-―‐—]")
# A budget's word opening a line's rest: "予算額(前年度) 補助率 主な内容" after "事業名 " (a header's cells, no name)
BASIS_FIRST: Final = re.compile(rf"^\s*(?:{BASIS})")
# The levels of an account, numbered before its name: "1項 社会福祉費", "2目 障害者福祉費" (a character-class body)
ACCOUNT_LEVELS: Final = "款項目"
# A katakana letter lettering a list: "ア", "イ"
KATAKANA: Final = re.compile("[ア-ン]")
# A circled number numbering a list: "①", "⑳"
CIRCLED_NUMBER: Final = re.compile(f"[{CIRCLED_NUMBERS}]")
# A bullet opening a line: "・" of "・補助率 国2/3"
BULLET_LEAD: Final = re.compile(rf"^\s*[{escape_class(BULLET_MARKS)}]\s*")
# A sheet's field of the program's kind, unbracketed, and its value: "事業区分  拡充", "事業区分 □新規 ■拡充 □継続" (parse form)
KIND_FIELD: Final = re.compile(rf"^(?:{join_alternatives(KIND_LABEL_WORDS)})\s*[:]?\s*(?P<value>\S.*)$")
# A box ticked before its choice's word: "■拡充" of "□新規 ■拡充 □継続"
TICKED_CHOICE: Final = re.compile(rf"[{TICKED_BOXES}]\s*(?P<word>[^\s{TICKED_BOXES}{EMPTY_BOXES}]+)")
# A field of a sheet, its label in brackets, and its value: "【所管】 保健福祉部 健康増進課", "【事業概要】" (parse form)
BRACKET_FIELD: Final = re.compile(r"^【(?P<label>[^【】\s]{1,12})】\s*(?P<value>.*)$")
# An amount in round brackets ending a line of a budget: "(210,302千円)" of "【235,488千円】(210,302千円)" (parse form)
BRACKET_AMOUNT_TAIL: Final = re.compile(rf"(?<=\S)\s*\(\s*(?:(?P<prior>{MONEY})|(?P<none>[-―‐—]))\s*\)$")
# The body of a bracketed heading naming the kind of the programs under it: "新規事業", "拡充事業", "一部新規事業"
FLAG_GROUP: Final = re.compile(rf"(?:{PART_PREFIX})?(?:{join_alternatives(FLAG_WORDS)})事業")
# A note in round brackets alone on its line (parse form): "(上限額 1回あたり 50,000円)"
ROUND_NOTE: Final = re.compile(r"^\([^()]*\)$")
# The marks a program's siblings in a list are set after (``is_sibling_line``): "◆", "・", "○", "■"
SIBLING_MARKS: Final = LISTED_PROGRAM_MARKS + PROGRAM_MARKS
# A rule drawn across a table with dashes or box-drawing characters alone (parse form): "------", "=====" of "──────",
# "――――――" (horizontal bars, U+2015; em dashes, U+2014)
RULE_ONLY: Final = re.compile(r"^\s*[-=_―—]{3,}[-=_―—\s]*$")
# The rest of a figure broken at a line's end, opening the next: "0,000" of "0,000\t―\t補助率 3/4" under "…事業\t12"
FIGURE_REST: Final = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])")
# A line of a figure's digits alone, perhaps the rest of one broken at the line above's end, a note in brackets after
# it: "20", ".5(前年度 40)" (parse form)
FIGURE_REST_LINE: Final = re.compile(r"^[.,]?[0-9][0-9,.]*(?:\s?\([^()]*\))?$")
# A figure opening a line: "98,300" of "98,300  312,900 拡充", "△1,200" (parse form)
FIGURE_FIRST: Final = re.compile(rf"[{NEGATIVE_MARKS}]?[0-9]")
# A figure as a list under a unit note prints it, grouped by commas: "12,345", "512", "△1,200"
GROUPED_FIGURE: Final = re.compile(BARE_FIGURE)
# A listed program with two years' bare amounts after it, each after its year's label, and a note: "・緊急通報装置設置事業
# R7: 1,452,000 R6: 1,380,000", "・…補助【新規】 R7: 600,000 R6: -" (parse form: "―" is "-")
YEAR_FIGURE: Final = rf"[0-9]{{1,3}}(?:,[0-9]{{3}})*|[{escape_class(''.join(NONE_CELLS))}]"
YEAR_PAIR_LINE: Final = re.compile(
    rf"^(?:{LIST_LEAD}|[{PROGRAM_MARKS}]\s*)(?P<name>[^\s0-9](?:[^\t]*?[^\s])?)\s+"
    rf"(?P<y1>{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR}):\s*(?P<a1>{YEAR_FIGURE})\s+"
    rf"(?P<y2>{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR}):\s*(?P<a2>{YEAR_FIGURE})(?P<note>\s+\([^()]*\))?$"
)
# The white space that sets an amount apart from an unmarked name as in a column: a tab or a run of spaces
WIDE_GAP: Final = re.compile(r"\t\s*|\s{2,}")
# The end of a program's name: "…在宅療養推進事業", "…給付事業費"
NAME_END: Final = re.compile(rf"(?:{join_alternatives(PROGRAM_NAME_ENDS)})$")
# A figure standing alone in what would be a program's name, an amount, figures grouped by commas or a share: "610 万円"
# and "0.3%" of "(13) 寄付金 610 万円 0.3% 300 万円 …", "2,067,383" of "2.児童措置費 2,067,383 1,806,900 …" (a line of a
# table's cells, several figures, no header to tell which is a budget), or a share anywhere ("②基本給をさらに5%以上増
# 25万円": a condition of a grant's sum), or the first part of an amount set apart from the rest ("1億" of "…支援金 1億
# 800万円"), or figures of five digits or more printed without commas ("2067383" of "2.児童措置費 2067383 1806900 …"; a
# year alone, "2025", is a name's); never a word's figure ("100円バス運行事業")
NAME_FIGURE: Final = re.compile(rf"(?:^|(?<=\s))(?:{MONEY}|[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]{{5,}}|[0-9][0-9,.]*[{MULTIPLIER_ENDS}])(?=\s|$)"
                         rf"|(?<![0-9.])[0-9]+(?:\.[0-9]+)?%")
# A mark of vertical writing, a presentation form only a page set vertically prints: "﹇" and "﹈" of "﹇３４８万円﹈",
# "︐" of "﹇１︐４９６万円﹈" (a PDF set vertically, copied as text; NFKC reads them as "[", "]", ",")
VERTICAL_FORM: Final = re.compile("[\ufe10-\ufe19\ufe30-\ufe4f]")
MIN_VERTICAL_FORMS: Final = 10  # of them in a text set vertically (a text quoting one, 「﹇１︐４９６万円﹈」, is not)
# A word of a header naming a column of caps, standards or estimates: "補助上限額" of "従業員規模 補助上限額 補助率"
OTHER_FIGURE_WORD: Final = re.compile(join_alternatives(OTHER_FIGURE_WORDS))
CAP_HEADER_REACH: Final = 6  # lines back a cap's header is looked for
MAX_HEADER_WORDS: Final = 12

# A word that makes a figure no budget: "補助上限額 50万円", "一般会計 2億2,468万9千円"; a total: "合計"
NOT_BUDGET_WORD: Final = re.compile(join_alternatives(NOT_A_BUDGET))
ACCOUNT_NAME_SET: Final = frozenset(ACCOUNT_NAMES)
# A stage of a year's budget, alone: "当初予算", "4月専決", "6月補正", "補正予算(第3号)", "9月補正後"
BUDGET_STAGE: Final = re.compile(
    rf"^(?:[0-9]{{1,2}}月\s?)?(?:{join_alternatives(BUDGET_KINDS)})(?:予算)?(?:額)?(?:\(第[0-9]+号\))?(?:後|前)?$"
)
REVENUE_NAME_SET: Final = frozenset(REVENUE_NAMES)
BASIS_WORD_SET: Final = frozenset(BASIS_WORDS)
# An arrow between two words of a name: "有期 → 正規" (``CHANGE_ARROWS``)
CHANGE_ARROW: Final = re.compile(rf"\S\s*[{CHANGE_ARROWS}]\s*\S")
# The end of a line of spending's name in a numbered list: "…運営費", "…手当" (``LISTED_SPENDING_ENDS``)
LISTED_SPENDING_END: Final = re.compile(rf"(?:{join_alternatives(LISTED_SPENDING_ENDS)})$")
SECTION_NAME_SET: Final = frozenset(SECTION_NAMES)
# The end of a cost's part: "…委託料", "…材料費" (``COST_PART_ENDS``)
COST_PART_END: Final = re.compile(rf"(?:{join_alternatives(COST_PART_ENDS)})$")
# The number an account's name may open with: "3款 " of "3款 民生費", "(3) ", "3. ", "第3款 "
ACCOUNT_NUMBER: Final = re.compile(rf"^(?:第?[0-9]{{1,2}}\s*[款項目]|\([0-9]{{1,2}}\)|[0-9]{{1,2}}\.?|[{POINT_MARKS}])?\s*")
# A name that is a part of the figure above: "うち一般財源", "(うち国庫負担金)" (parse form), "（うち国庫負担金）" (a
# table cell's display form)
PART_OF_ABOVE: Final = re.compile(rf"^[(\[（［]?\s*{OF_WHICH}\s?(?=\S)")
# (also after a name: "介護予防事業費 計 3,000千円"; with a count after it: "合計（6事業）")
# or a unit's total, the total word right after the unit's name: "健康福祉部計", "民生費計", "分野2計" (after the last
# letters of a department's, an account's or a field's name: never "会" of "一般会計", nor "設" of "実施設計")
UNIT_TOTAL_BEFORE: Final = "部局課室費野0-9"
TOTAL_NAME: Final = re.compile(rf"(?:^|\s|(?<=[{UNIT_TOTAL_BEFORE}]))(?:{join_alternatives(TOTAL_NAMES)})(?:\s?[(（][^()（）]*[)）])?$")
# A bullet a program may be listed under, or that stands before a detail heading: "◇定住化対策事業［250 万円］",
# "• 在宅医療推進事業 …", "◆地域防災力強化事業【新規】"
LISTED_PROGRAM: Final = re.compile(rf"^[{escape_class(LISTED_PROGRAM_MARKS)}]\s*")
# Other leads of a listed program with its budget in brackets: "→ 在宅医療推進事業【3,000千円】",
# "① 認知症対策事業【8,000千円】", "ア …", "[1] 介護予防推進事業【12,345千円】", a glyph no character stands for:
# "(cid:0) 在宅医療推進事業【12,000千円】"
OTHER_LEAD: Final = re.compile(
    rf"^(?:[{escape_class(LEAD_MARKS)}][ ]*|[{POINT_MARKS}](?![0-9])\s*|{KATAKANA_LETTER}|[\[【][0-9]{{1,2}}[\]】]\s*"
    rf"|(?:{UNMAPPED_GLYPH})\s+)"
)
CIRCLE_SPLIT: Final = re.compile(rf"{SPACE_RUN}(?=[{ITEM_MARKS}])")
# Examples: "≪例≫病院救急車等…", "＜例＞…", "◀例> 病院救急車等…"
EXAMPLE: Final = re.compile(rf"^(?:{join_alternatives(EXAMPLE_LABELS)})\s*")
# Targets: "≪対象≫病院、診療所…", "＜対象＞200床未満の病院"
TARGET: Final = re.compile(rf"^(?:{join_alternatives(TARGET_LABELS)})\s*")
# Numbered points: "①都民に対する普及啓発 ②医療・介護関係者の実践力の向上"
POINT: Final = re.compile(rf"^[{POINT_MARKS}]\s*")
POINT_SPLIT: Final = re.compile(rf"{SPACE_RUN}(?=[{POINT_MARKS}])")
# Markdown bullets: "- 多職種連携連絡会の運営", "  - ＜例＞病院救急車等…", "- ・検討の場の設置…"
MD_BULLET: Final = re.compile(rf"^{re.escape(MD_BULLET_MARK)}\s+")
# Bullets: "・都民向け講演会の開催 ・看取り研修の実施", "✓「在宅医療推進強化事業」で実施してきた取組を…"
BULLET: Final = re.compile(rf"^[{BULLET_MARKS}]\s*")
# Bullets run together on one line, after a space or a closing parenthesis:
# "・検討の場の設置、連携体制の構築 ・実態調査の実施", "・在宅療養支援窓口(14区市町村)・在宅療養後方支援病床確保事業(7区市町村)"
BULLET_SPLIT: Final = re.compile(rf"(?:{SPACE_RUN}|(?<=\)))(?={LIST_DOT})")
# A note: "※複数メニューを実施している地区医師会もあり"
NOTE: Final = re.compile(rf"^{NOTE_MARK}")
# A flag that opens a note line: "【拡充】より身近な地域で取組を実施できるように…"
FLAG_LEAD: Final = re.compile(r"^【(?P<body>[^】]+)】\s*(?P<rest>.+)$")
# A subsection: "【区市町村への支援】", "【東京都医師会・地区医師会との連携】"
BRACKET_ONLY: Final = re.compile(r"^【(?P<body>[^】]+)】$")


@dataclass
class OpenBlock:
    """A program block while the segmenter is still adding lines to it."""

    heading: str
    heading_raw: str
    span: Span
    section: str | None
    subsection: str | None
    context: Context
    marker: str
    numbering: str | None = None
    section_line: int | None = None
    subsection_line: int | None = None
    annotation_lines: list[Line] = field(default_factory=list)
    description: list[Line] = field(default_factory=list)
    items: list[ItemBlock] = field(default_factory=list)
    last_item_line_count: int = 0
    # The last top-level ``item`` (the parent of an example or an indented line below it).
    top_item: int | None = None
    # Prose lines the last item takes: its text goes on, or they detail it. They are joined to it
    # once, when the next item comes or the block is done, so a long run costs time linear in it.
    more_text: list[Line] = field(default_factory=list)
    more_detail: list[Line] = field(default_factory=list)
    budget_line: Line | None = None
    budget: Budget | None = None
    flags: tuple[str, ...] = ()
    prior: Budget | None = None
    prior_fiscal_year: int | None = None
    change: Budget | None = None
    section_path: tuple[str, ...] = ()

    def finish_item(self) -> None:
        """Join the prose lines the last item took to it."""
        if not self.more_text and not self.more_detail:
            return
        last = self.items[-1]
        span = last.span
        for line in self.more_text:
            span = span.merge(line.span)
        self.items[-1] = replace(
            last,
            text=join_text([last.text] + [line.text for line in self.more_text]) if self.more_text else last.text,
            raw="\n".join([last.raw] + [line.raw for line in self.more_text]),
            span=span,
            detail=last.detail + tuple(self.more_detail),
        )
        self.more_text, self.more_detail = [], []

    def extend_heading(self, rest: str, line: Line) -> None:
        """Take ``rest``, printed on ``line``, as the rest of the heading (a name wrapped onto a row of its own)."""
        self.heading = join_text([self.heading, rest])
        self.heading_raw = f"{self.heading_raw}\n{line.raw}"
        self.span = self.span.merge(line.span)

    def freeze(self) -> ProgramBlock:
        self.finish_item()
        span = self.span
        for line in self.annotation_lines + self.description:
            span = span.merge(line.span)
        for item in self.items:
            span = span.merge(item.span)
            for d in item.detail:
                span = span.merge(d.span)
        return ProgramBlock(
            heading=self.heading,
            heading_raw=self.heading_raw,
            span=span,
            annotation_lines=tuple(self.annotation_lines),
            description=tuple(self.description),
            items=tuple(self.items),
            section=self.section,
            subsection=self.subsection,
            context=self.context,
            marker=self.marker,
            numbering=self.numbering,
            section_line=self.section_line if self.section is not None else None,
            subsection_line=self.subsection_line if self.subsection is not None else None,
            budget=self.budget,
            flags=self.flags,
            prior=self.prior,
            prior_fiscal_year=self.prior_fiscal_year,
            change=self.change,
            section_path=self.section_path,
        )


def parse_legend(text: str, line: int) -> Context | None:
    """Read a legend line into a fiscal-year context, or None."""
    if not text.startswith("【"):  # both legends open with it: most lines are told at once
        return None
    for pattern, source in ((LEGEND, "legend"), (SCALE_LEGEND, "column_legend")):
        match = pattern.match(text)
        if match:
            year = parse_era_year(match.group("year"))
            if year:
                return Context(year, to_display_form(match.group("basis")), source, line)
    return None


def find_document_context(lines: tuple[Line, ...]) -> tuple[Context, list[str]]:
    """Find the fiscal year and budget basis the document's budgets are stated for.

    In order: the legend (``【 】：令和４年度 予算案``), a column legend (``【R7 予算額/規模】``),
    a budget label (``R8予算額（案）：…``) of the title's year if the title names one, an era-year
    title, then the era year the document mentions most (at least three times, strictly more than
    any other). A label of another year than the title's (``R7予算額：900千円`` in a
    ``令和8年度 予算の概要``) is a figure of that year, not the document's.
    """
    warnings: list[str] = []
    column_legend = None  # the first column legend, which a legend anywhere comes before
    for line in lines:
        ctx = parse_legend(line.text, line.span.line_start)
        if ctx and ctx.source == "legend":
            return ctx, warnings
        if ctx and column_legend is None:
            column_legend = ctx
    if column_legend is not None:
        return column_legend, warnings
    title, title_line = find_title(lines)
    title_year = parse_era_year(title) if title else None
    for line in lines:
        match = BUDGET_LABEL.match(line.text)
        if match and (printed := label_year(match)):
            year = parse_era_year(printed)
            if title_year is not None and year != title_year:
                continue
            return Context(year, to_display_form(match.group("basis")), "budget_label", line.span.line_start), warnings
    if title:
        year = parse_era_year(title)
        return Context(year, None, "title", title_line), warnings
    counts: Counter[int] = Counter()
    first_line: dict[int, int] = {}
    for line in lines:
        for match in ERA_MENTION.finditer(line.text):
            year = parse_era_year(match.group())
            if year:
                counts[year] += 1
                first_line.setdefault(year, line.span.line_start)
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        year, n = ranked[0]
        warnings.append(f"fiscal year {year} inferred: its era year is the one mentioned most ({n} times)")
        return Context(year, None, "most_mentioned", first_line[year]), warnings
    warnings.append("no fiscal year found: no legend, budget label, title or dominant era year")
    return Context(), warnings


# What a title may end in after its subject: "について" of "令和7年度当初予算案の概要について", "について(報告)"
TITLE_ABOUT: Final = re.compile(r"について(?:\s*\([^()]{1,6}\))?$")


def find_title(lines: tuple[Line, ...], within: int = 40) -> tuple[str | None, int | None]:
    """Return the document title: an early heading-like line that opens with an era year (perhaps
    after the year in the Western calendar, 「2025年度(令和7年度) 主要事業」), letter-spaced or not
    (「令 和 ７ 年 度 予 算 の 概 要」, given closed up), perhaps saying what it is about
    (「令和７年度当初予算案の概要について」); or one of the first lines, about a budget, that ends in its era
    year in brackets (「新年度予算の主な事業（令和８年度）」). A unit note after it is none of it."""
    for index, line in enumerate(lines[:within]):
        text = close_tracking(MD_HEADING.sub(r"\g<body>", line.text))
        if index == 0 and text[:1] in SIBLING_MARKS and NAME_END.search(text) is None:
            text = text[1:].lstrip()  # 「■令和７年度　障害福祉課　補助事業一覧」: the first line, after a mark, no program's
        if index == 0 and (dept := TITLE_DEPARTMENT_PREFIX.match(text)) is not None:
            text = text[dept.end():]  # 「健康医療部　令和７年度当初予算（案）の主要事業」: the department before the year
        if text.endswith(")") and (unit := CAPTION_UNIT.search(text)) is not None and unit.start():
            text = text[:unit.start()].rstrip()  # 「令和７年度　主要事業一覧　　（単位：千円）」: the unit of what follows
        rest, western = TITLE_WESTERN_PREFIX.subn("", text) if text[:1] in "12" else (text, 0)
        if western or TITLE_ERA_PREFIX.match(rest):
            if is_heading_like(TITLE_ABOUT.sub("", TITLE_ERA_PREFIX.sub("", rest)), max_chars=40):
                return to_display_form(text), line.span.line_start
        elif index < TITLE_TAIL_LINES and (tail := TITLE_YEAR_TAIL.search(text)) and tail.start() \
                and BUDGET_WORD in text[:tail.start()] and is_heading_like(text[:tail.start()], max_chars=40):
            return to_display_form(text), line.span.line_start
    return None, None


def is_section_heading(line: Line, fmt: str) -> bool:
    """Tell whether a plain line is a section heading (text formats only)."""
    if fmt == "markdown":
        return False
    if line.indented or not line.blank_before or not line.blank_after:
        return False
    return is_heading_like(line.text)


def is_heading_over_list(line: Line, nxt: Line | None, fmt: str) -> bool:
    """Tell whether a plain line is the heading of the list set in under it (text formats only): a heading, a blank
    line before it, not set in, over a line set in that opens a program (「【重点施策１】子育て支援」 over
    「　◎保育所等整備事業　５億円」)."""
    if fmt == "markdown" or nxt is None or line.indented or not line.blank_before or not nxt.indented:
        return False
    return is_heading_like(line.text) and is_budgeted_program_text(nxt.text.strip())


def classify_item(text: str) -> tuple[str, list[str]] | None:
    """Return (kind, texts) when the line is a sub-item, else None."""
    if CIRCLE_ITEM.match(text):
        return "item", [CIRCLE_ITEM.sub("", p) for p in CIRCLE_SPLIT.split(text)]
    if EXAMPLE.match(text):
        return "example", [BULLET.sub("", EXAMPLE.sub("", text))]
    if TARGET.match(text):
        return "target", [TARGET.sub("", text)]
    if POINT.match(text):
        return "point", POINT_SPLIT.split(text)
    if MD_BULLET.match(text):
        inner = MD_BULLET.sub("", text)
        nested = classify_item(inner)
        if nested:
            return nested
        return "item", [inner]
    if BULLET.match(text):
        return "bullet", [p for p in (BULLET.sub("", x) for x in BULLET_SPLIT.split(text)) if p]
    if NOTE.match(text):
        return "note", [text]
    lead = FLAG_LEAD.match(text)
    if lead and split_flags(lead.group("body")):
        return "note", [text]
    return None


def split_program_heading(text: str) -> tuple[str, list[str]]:
    """Split a ``■`` heading into its own text and inline items (``■広域連携支援 ・…``)."""
    parts = INLINE_ITEM.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip():
        return parts[0], [p for p in INLINE_ITEM.split(parts[1]) if p.strip()]
    return text, []


@dataclass
class SegmentState:
    """What the walk knows when it reaches a line: the open block, the headings in force,
    the fiscal-year context, the numbered list being read and the counts behind the
    reading-order check. The rules read and change it; ``open_block`` and ``close_block``
    keep ``blocks`` and ``current`` in step."""

    fmt: str
    doc_context: Context
    warnings: list[str]
    title: str | None
    title_line: int | None
    # Program blocks: those finished and the one still taking lines.
    blocks: list[ProgramBlock] = field(default_factory=list)
    current: OpenBlock | None = None
    # The headings in force and the lines they were read from.
    section: str | None = None
    section_line: int | None = None
    subsection: str | None = None
    subsection_line: int | None = None
    # The legend in force (``【 】：令和４年度 予算案``), when there is one.
    context: Context | None = None
    # Under an achievement head (``●令和6年度実績…``): an unbudgeted ``■`` line is no program.
    achievements: bool = False
    # A numbered budget list being read: the indices of its blocks, its last top number, and
    # the group heading (``1 …`` over ``(1) …``) its sub-numbered programs take as subsection.
    numbered_block: list[int] | None = None
    numbered_top: int = 0
    group: str | None = None
    group_line: int | None = None
    # Stated totals: (amount, line, raw text, indices of the blocks they cover).
    totals: list[tuple[int, int, str, tuple[int, ...]]] = field(default_factory=list)
    # Headings in a row: the current run, the run before the last line, the longest run that
    # led to a program; and the lines of the first ``■`` program and of the legend.
    heading_run: int = 0
    run_before: int = 0
    max_heading_run: int = 0
    heading_box: tuple[float, float, float, float] | None = None  # where the last heading stands on its page (a PDF's)
    first_program_line: int | None = None
    legend_line: int | None = None
    # Whether the document speaks of programs at all: a legend, or a budget (read or not), rate or
    # flag printed somewhere. Without it a ``■`` line is a bullet (「■ [Collins 1999]」 on a slide).
    program_context: bool = True
    # A table of programs being read: what its header says, the unit stated over it, and the
    # flag its title gives every row; the lines read last (a table's title stands over it).
    table: TableSpec | None = None
    table_unit: str | None = None
    table_flag: str | None = None
    # The line of the table's header, and whether its lack of a unit was told.
    table_line: int | None = None
    table_warned: bool = False
    recent: list[str] = field(default_factory=list)
    # The header of a table whose title says its amounts are no budgets (繰越明許費), to know it again.
    skipped_header: str | None = None
    # The unit a note states over a list of programs with bare amounts (「（単位：千円）」 over
    # 「・子ども医療費助成事業 191,174」): in force until the list ends (``LIST_UNIT_ENDS``).
    list_unit: str | None = None
    unit_listed: bool = False  # a program of the list under the unit note was read (``open_unit_listed_program``)
    # a listed name begun at the end of a ledger's row, its rest and amount on the next line (``find_listed_tail``)
    begun_tail: tuple[str, Line] | None = None
    # The flags a legend gives marks: 「★印は新規事業」 → {"★": "新規"}.
    mark_flags: dict[str, str] = field(default_factory=dict)
    legends: dict[str, dict[str, str]] = field(default_factory=dict)  # the legends of marks, by their lines' text
    # the year a legend says the figures in brackets after a budget are of (「※（　）内は前年度予算額」), else None
    bracket_year: int | None = None
    # The flag a section heading names for the programs under it, and that heading's line: 「◎新規事業」 → 新規.
    section_flag: tuple[str, int] | None = None
    # the flag a bracketed heading of a group of programs names, 「【新規事業】」, over the headings and programs under it
    # until the next bracketed heading or section heading
    group_flag: str | None = None
    # The line holding only the amount of the program opened on the line above it.
    amount_line: int | None = None
    # The 款, 項 and 目 the last row of a table of programs named in its account column.
    table_account: tuple[str | None, str | None, str | None] = (None, None, None)
    # The text prints marks of vertical writing (``VERTICAL_FORM``): copied from a page set vertically, its lines in
    # an order of their own, an amount alone on its line belongs to no name for sure.
    set_vertically: bool = False
    # The first line of a table's row whose amount is printed on its last (a cell set at its foot, as a
    # spreadsheet sets it): the beginnings of its name and description, and the line (``find_rest_cells``).
    table_rest: tuple[str, str, Line] | None = None
    # The side of the budget a heading named last (「歳入」, 「歳出」): a revenue item is no program.
    side: str | None = None
    # The account path a line printed (「(款)民生費 (項)社会福祉費 (目)社会福祉総務費」) and its line.
    account_path: tuple[tuple[str, ...], int] | None = None
    # A slide deck: a block ends at the slide's edge, unless the next slide says it goes on
    # (「（続き）」); the page of the last line read.
    slides: bool = False
    page: int | None = None
    slide_start: int | None = None  # the first line of the slide being read

    @classmethod
    def start(cls, lines: tuple[Line, ...], fmt: str) -> SegmentState:
        """Return the state before the first line: the document's context, warnings and title."""
        doc_context, warnings = find_document_context(lines)
        title, title_line = find_title(lines)
        state = cls(fmt, doc_context, warnings, title, title_line)
        state.bracket_year = find_bracket_year(lines, doc_context.fiscal_year)
        state.legends = find_mark_legends(lines)
        state.mark_flags = {mark: flag for entries in state.legends.values() for mark, flag in entries.items()}
        state.program_context = doc_context.source in {"legend", "column_legend", "budget_label"} or any(
            (ann := parse_annotations(line.text)).budget or ann.unread_budgets or ann.rates or ann.flags
            or find_budget_label(line.text) is not None or YEAR_AMOUNT_LINE.match(line.text.strip()) for line in lines
        )
        if sum(len(VERTICAL_FORM.findall(line.raw)) for line in lines) >= MIN_VERTICAL_FORMS:
            state.set_vertically = True
            state.warnings.append("the text was set vertically (it prints marks of vertical writing, 「﹇３４８万円﹈」): "
                                  "its lines may come in another order than they are read in, so an amount on a line of "
                                  "its own is given to no name")
        return state

    # -- block bookkeeping -------------------------------------------------
    def close_block(self) -> None:
        """Finish the open block, if any."""
        if self.current is not None:
            self.blocks.append(self.current.freeze())
            self.current = None

    def open_block(self, heading: str, line: Line, marker: str, numbering: str | None = None,
                   context: Context | None = None, subsection: str | None = None) -> None:
        """Close the open block and open a program block headed by ``heading`` (a mark a legend
        gives a flag, 「★ひきこもり支援事業」, gives the block that flag and leaves the name)."""
        self.close_block()
        inline = split_inline_label(heading, named=False)  # (a rule took the line for a program's)
        if inline is not None:
            heading = inline[0]
        heading, marked = take_marks(heading, self.mark_flags)
        # 「(4)在宅医療推進事業 【12,000千円】(前年度 10,000千円)」: the year before's amount, or a change, after the
        # heading's own budget is no part of its name
        rest, prior_tail = split_prior_tail(heading)
        change = read_change_tail(heading) if prior_tail is None and rest != heading else None
        if rest != heading and parse_annotations(rest).budget is None:
            rest, prior_tail, change = heading, None, None
        heading = rest.rstrip()
        if (lead := line.text.lstrip()[:1]) in self.mark_flags and self.mark_flags[lead] not in marked:
            marked += (self.mark_flags[lead],)  # 「◎ 出産・子育て応援事業　250,000千円」 under 「◎：新規事業」: a rule took the mark
        self.max_heading_run = max(self.max_heading_run, self.run_before)
        if self.first_program_line is None and marker == PROGRAM_MARK:
            self.first_program_line = line.span.line_start
        self.current = OpenBlock(
            heading=heading,
            heading_raw=line.raw,
            span=line.span,
            section=self.section,
            subsection=subsection if subsection is not None else self.subsection,
            context=context or self.context or self.doc_context,
            marker=marker,
            numbering=numbering,
            section_line=self.section_line,
            subsection_line=self.group_line if subsection is not None else self.subsection_line,
        )
        if self.account_path is not None and self.account_path[1] == self.section_line:
            self.current.section_path = self.account_path[0]
        if self.section_flag is not None and self.section_flag[1] == self.section_line:
            self.current.flags = (self.section_flag[0],)  # 「◎新規事業」 over its programs
        if self.group_flag is not None and self.group_flag not in self.current.flags:
            self.current.flags += (self.group_flag,)  # 「【新規事業】」 over 「■こども・子育て」 over its programs
        self.current.flags += tuple(f for f in marked if f not in self.current.flags)
        if inline is not None:  # 「1 地域包括ケア推進事業（予算額 52,300千円）」: its label, as if on the line below
            label = replace(line, text=inline[1], indented=False, blank_before=False)
            self.current.budget_line = label
            self.current.annotation_lines.append(label)
        if prior_tail is not None:
            set_prior(self, prior_tail)
        elif change is not None:
            self.current.change = change
        if self.numbered_block is not None:
            self.numbered_block.append(len(self.blocks))

    def add_items(self, kind: str, texts: list[str], line: Line) -> None:
        """Add a line's sub-items to the open block (a bullet under an example joins it)."""
        block = self.current
        assert block is not None
        block.finish_item()
        top = block.top_item
        for text in texts:
            parent = None
            item_kind = kind
            if kind == "bullet":
                prev = block.items[-1] if block.items else None
                if prev is not None and prev.kind in {"example", "target"} and not line.blank_before:
                    item_kind, parent = prev.kind, prev.parent
                else:
                    item_kind = "item"
            if (item_kind in {"example", "target"} or line.indented) and top is not None and parent is None:
                parent = top
            if parent is None and item_kind == "item":
                block.top_item = len(block.items)
            block.items.append(ItemBlock(item_kind, text.strip(), line.raw, line.span, parent))
        block.last_item_line_count = len(texts)

    def add_prose(self, line: Line) -> None:
        """Add a prose line to the open block: it continues an example, details a lone item, or describes."""
        block = self.current
        assert block is not None
        if block.items and block.items[-1].kind in {"example", "target"} and not line.blank_before:
            block.more_text.append(line)
        elif block.items and block.last_item_line_count == 1:
            block.more_detail.append(line)
        else:
            block.description.append(line)

    def end_numbered_block(self) -> None:
        """Stop reading a numbered budget list."""
        self.numbered_block = None
        self.numbered_top = 0
        self.group = None

    def note_heading(self, is_heading: bool) -> None:
        """Count headings in a row; ``open_block`` keeps the longest run that led to a program."""
        self.run_before = self.heading_run
        self.heading_run = self.heading_run + 1 if is_heading else 0

    def record_total(self, line: Line) -> None:
        """Remember a stated total and which numbered programs it covers."""
        year = (self.context or self.doc_context).fiscal_year
        pairs = [(parse_era_year(m.group("year")) if m.group("year") else None, m.group("amount"))
                 for m in TOTAL_PAIR.finditer(line.text)]
        chosen = next((a for y, a in pairs if y == year), pairs[0][1] if pairs else None)
        if chosen is None:
            return
        stated = read_integer(chosen)
        if stated is None:
            return
        self.totals.append((stated, line.span.line_start, line.raw, tuple(self.numbered_block or ())))


# -- program openings --------------------------------------------------------


def open_programs(state: SegmentState, text: str, line: Line) -> None:
    """Open one block per ``■`` on the line, each with its inline items."""
    for part in PROGRAM_SPLIT.split(text):
        body = PROGRAM_START.sub("", part)
        heading, inline = split_program_heading(body)
        state.open_block(heading, line, PROGRAM_MARK)
        if inline:
            state.add_items("item", inline, line)


def open_numbered(state: SegmentState, match: re.Match[str], line: Line, nxt: Line | None) -> bool:
    """Open a numbered program when it prints a budget or sits in a numbered budget list.

    A top number that does not count up ends the list (and the line is left to later rules);
    a top-numbered line without a budget whose next line is sub-numbered is the group heading
    of the sub-numbered programs.
    """
    rest = match.group("rest")
    has_budget = parse_annotations(rest).budget is not None or split_inline_label(rest) is not None
    # its budget on the line below, alone or after a label: 「【4,347千円】」, 「予算額 12,345千円」
    next_budget = nxt is not None and (is_annotation_only(nxt.text) and parse_annotations(nxt.text).budget is not None
                                       or find_budget_label(nxt.text) is not None)
    child = NUMBERED.match(nxt.text) if nxt is not None else None
    # 「1 子育て支援の充実」 over 「(1)保育所等整備事業 2億3,400万円」: a group over budgeted programs
    budgeted_child = child is not None and child.group("sub") is not None and (
        parse_annotations(child.group("rest")).budget is not None or NAME_AMOUNT.match(nxt.text) is not None  # type: ignore[union-attr]
        or match_unit_listed(state, nxt.text) is not None  # type: ignore[union-attr]
        # 「(1) 障害者就労支援事業(新規)」 over its 「予算額 12,345千円」
        or NAME_END.search(FLAGS_TAIL.sub("", child.group("rest").strip())) is not None
        # 「１　帯状疱疹ワクチン定期接種事業【新規】」 over 「（１）目的　…」, 「（３）予算額　…」: its numbered fields
        or (is_field_text(child.group("rest")) and NAME_END.search(parse_annotations(rest).name or "") is not None))
    if state.numbered_block is None and not (has_budget or next_budget or (match.group("top") and budgeted_child)):
        return False
    if match.group("top"):
        number = int(match.group("top"))
        if state.numbered_block is not None and number <= state.numbered_top:
            state.close_block()
            state.end_numbered_block()
            return False
        state.numbered_top = number
        state.group = None
        if not has_budget and not next_budget and child is not None and child.group("sub") \
                and not is_field_text(child.group("rest")):  # (「（１）目的」: its fields, no programs under a group)
            state.close_block()
            # 「1 救急医療体制の充実 25億3,400万円」: the group's total is no part of its name
            total = NAME_AMOUNT.match(rest)
            state.group, state.group_line = to_display_form(total["name"] if total else rest), line.span.line_start
            return True
        state.open_block(rest, line, "number", numbering=match.group("top"), subsection=None)
        if state.current is not None:
            state.current.subsection = None
        return True
    state.open_block(rest, line, "number", numbering=f"({match.group('sub')})", subsection=state.group)
    return True


def is_field_text(text: str) -> bool:
    """Tell whether a line's text (its number taken off) opens with a sheet's field label or a budget's word: 「目的　…」,
    「内容　対象者：…」, 「予算額　３１２，５４０千円」, 「財源　一般財源 …」."""
    word = text.strip().split(maxsplit=1)[0] if text.strip() else ""
    return FIELD_LINE.match(word) is not None or BASIS_FIRST.match(word) is not None


def is_unmarked_program(line: Line, nxt: Line | None) -> bool:
    """A heading-like line whose next line holds only its funding or rate (002's
    ``在宅人工呼吸器使用者療養支援事業`` followed by ``（保健医療政策…）＜補助率：1/2＞``)."""
    if nxt is None or line.indented or not is_heading_like(line.text) or line.text.split()[0] in BASIS_WORD_SET:
        return False  # (「事業費 4.1.4」: a budget's word, a label's or a wrapped name's rest, names no program)
    if not is_annotation_only(nxt.text):
        return False
    ann = parse_annotations(nxt.text)
    return bool(ann.funding_scheme or ann.rates)


def is_labelled_heading(line: Line, fmt: str) -> bool:
    """A detail-page heading whose next line is a budget label:
    ``【新規】 令和7年度 介護現場におけるカスタマーハラスメント対策強化事業``."""
    if line.indented or fmt == "markdown" or FIELD_LINE.match(line.text) or line.text.startswith(NOTE_MARK):
        return False  # 「担当課　高齢福祉課」 over the label is a field of the sheet, never its name; 「※予算額推移」 a note
    ann = parse_annotations(NAME_LABEL.sub("", ERA_FISCAL_YEAR.sub(" ", line.text)))  # 「事業名：…事業」
    return bool(ann.name) and is_heading_like(ann.name, max_chars=40)


def open_labelled(state: SegmentState, line: Line) -> None:
    """Open a program from a detail-page heading followed by ``予算額：…千円`` (its ■ or bullet, or its
    label in a sheet of labelled fields, 「事業名 介護人材確保支援事業」, no part of the name)."""
    year = parse_era_year(line.text)
    context = Context(year, None, "heading", line.span.line_start) if year else None
    heading = NAME_LABEL.sub("", LISTED_PROGRAM.sub("", PROGRAM_START.sub("", ERA_FISCAL_YEAR.sub("", line.text).strip())))
    state.open_block(heading, line, "heading", context=context)
    assert state.current is not None
    state.current.section = None  # a detail page stands alone: its section is not known
    state.current.subsection = None


# -- the rules ---------------------------------------------------------------
# Each rule tries one form of line. It returns True when it took the line (no later rule
# sees it) and False when the line is not of its form. The walk tries them in ``RULES``
# order; ``read_prose`` takes whatever is left.
#
# A rule may say what every line it takes holds (``needs``): a match of one of its patterns at the
# line's start, a string, a length at most. The walk asks it only of the lines that do
# (``choose_rules``): most forms open with a mark, so a line's first character tells most rules at
# once. A rule says only what it checks before it changes the state, so that a line it is not asked
# of is one it would have left alone; a rule that says nothing is asked of every line.


RuleT = TypeVar("RuleT", bound=Callable[..., bool])


@dataclass(frozen=True)
class Needs:
    """What every line a rule takes is: it opens with a match of a pattern (``starts``: the characters
    one may begin with; None, any), unless it is at most ``or_longest`` characters long; it holds a
    string (``holds``); it is at most ``longest`` characters long."""

    starts: tuple[FirstChars, ...] | None
    holds: str | None = None
    longest: int | None = None
    or_longest: int | None = None

    def admits(self, first: str, length: int) -> bool:
        """Tell whether a line beginning with ``first``, ``length`` characters long, may be of the rule's
        form (white space first: it may, as some rules read a line stripped)."""
        if self.longest is not None and length > self.longest:
            return False
        if self.starts is None or not first or first.isspace():
            return True
        if self.or_longest is not None and length <= self.or_longest:
            return True
        return any(chars.admits(first) for chars in self.starts)


RULE_NEEDS: dict[Callable[..., bool], Needs] = {}
# The lengths the rules' needs name, in order: lines are told apart by them (``choose_rules``).
NEED_LENGTHS: list[int] = []


def needs(*starts: re.Pattern[str] | GuardedPattern, holds: str | None = None, longest: int | None = None,
          or_longest: int | None = None) -> Callable[[RuleT], RuleT]:
    """Declare that a rule takes a line only when one of ``starts`` matches at its start (if any are
    given; or, with ``or_longest``, when the line is that short), it holds ``holds`` and it is at most
    ``longest`` characters long (if given); see the notes above."""
    firsts = tuple(find_first_chars(pattern) for pattern in starts)
    known = tuple(chars for chars in firsts if chars is not None)
    need = Needs(known if starts and len(known) == len(firsts) else None, holds, longest, or_longest)
    for length in (longest, or_longest):
        if length is not None and length not in NEED_LENGTHS:
            bisect.insort(NEED_LENGTHS, length)

    def declare(rule: RuleT) -> RuleT:
        RULE_NEEDS[rule] = need
        return rule
    return declare


def take_marks(heading: str, mark_flags: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """Return a heading without the marks that set its name off (``NAME_DECORATIONS``, and those a
    legend gave a flag: ``mark_flags``), and the flags of those it had."""
    text = heading.strip()
    flags: list[str] = []
    marks = NAME_DECORATIONS + "".join(mark_flags)
    while text[:1] and text[:1] in marks:
        flags += [mark_flags[text[0]]] if text[0] in mark_flags else []
        text = text[1:].lstrip()
    while text[-1:] and text[-1:] in mark_flags:
        flags.append(mark_flags[text[-1]])
        text = text[:-1].rstrip()
    return (text, tuple(dict.fromkeys(flags))) if text else (heading, ())


def read_mark_legend(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A legend of marks, 「★印は新規事業、☆印は拡充事業」: the programs marked so get those flags (wherever they stand
    in the document: ``find_mark_legends``)."""
    entries = state.legends.get(line.text)  # (the document's legends, read before its first line: ``find_mark_legends``)
    if entries is None:
        return False
    state.mark_flags.update(entries)
    state.note_heading(False)
    return True


def read_legend_entries(text: str) -> dict[str, str] | None:
    """Return the flag each mark of a legend of marks stands for (「◆：新規事業　◇：拡充事業」 → ◆ 新規, ◇ 拡充), or
    None when the line is no such legend."""
    if LEGEND_MARK.search(text) is None:  # most lines are told at once
        return None
    entries = list(LEGEND_ENTRY.finditer(text))
    if not entries or not LEGEND_REST.match(LEGEND_ENTRY.sub("", text)):
        return None
    return {entry["mark"]: canonicalize_flag(entry["flag"]) or entry["flag"] for entry in entries}


def find_mark_legends(lines: tuple[Line, ...]) -> dict[str, dict[str, str]]:
    """Return the document's legends of marks, by their lines' text, each with the flags it gives its marks: those of a
    legend under the table it explains (「（注１）◆：新規事業　◇：拡充事業」 under 「│◆医療的ケア児保育支援事業│…」) hold
    from the first line, as those of one over it."""
    return {line.text: entries for line in lines if (entries := read_legend_entries(line.text)) is not None}


def skip_title(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The document title, 「令和４年度 在宅療養推進に向けた都の取組」: closes the open block
    and counts as a heading; it is no section. A unit note after it, 「令和７年度　主要事業一覧　（単位：千円）」, is
    the unit of the table below."""
    if line.span.line_start != state.title_line:
        return False
    state.close_block()
    state.note_heading(True)
    unit = CAPTION_UNIT.search(line.text.rstrip()) if line.text.rstrip().endswith(")") else None
    if unit is not None:
        state.table_unit = state.list_unit = unit["unit"]
    return True


@needs(MD_HEADING)
def open_markdown_programs(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A Markdown heading of programs, 「#### ■在宅医等相互支援体制構築事業【7,800千円】 p.5」:
    one block per ``■``, and the end of any achievement head."""
    md = MD_HEADING.match(line.text)
    if not md:
        return False
    body = md.group("body").strip()
    if not PROGRAM_START.match(body):
        return False
    state.note_heading(False)
    state.achievements = False
    open_programs(state, body, line)
    return True


@needs(MD_HEADING)
def read_markdown_heading(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """Any other Markdown heading, 「### 【区市町村への支援】」: a bracketed one is the
    subsection, one of level 1 or 2 the section; each closes the open block and ends a
    numbered list and an achievement head."""
    md = MD_HEADING.match(line.text)
    if not md:
        return False
    body = md.group("body").strip()
    start = line.span.line_start
    state.close_block()
    state.end_numbered_block()
    state.achievements = False
    state.note_heading(True)
    bracket = BRACKET_ONLY.match(body)
    level = len(md.group("level"))
    if bracket and not split_flags(bracket.group("body")):
        state.subsection, state.subsection_line = to_display_form(bracket.group("body")), start
    elif level <= 2:
        state.section, state.section_line = to_display_form(body), start
        state.subsection = None
    return True


@needs(LEGEND, SCALE_LEGEND)
def read_legend(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A legend, 「【 】：令和４年度 予算案」: the fiscal year and basis of the budgets after it;
    it clears the headings. A column legend, ``【R7 予算額/規模】``, starts a numbered list."""
    start = line.span.line_start
    legend = parse_legend(line.text, start)
    if not legend:
        return False
    state.close_block()
    state.heading_run = 1
    state.achievements = False
    if legend.source == "legend":
        state.legend_line = state.legend_line or start
        state.section = None
        state.subsection = None
        state.end_numbered_block()
    else:
        state.numbered_block = []
        state.numbered_top = 0
    state.context = legend
    return True


# A legend saying whose the figures in brackets after the budgets are: "※( )内は前年度予算額",
# "( )は令和7年度当初予算額", after the budgets' own: "※【 】内は令和7年度予算額、( )内は令和6年度当初予算額" (parse form;
# a year, if any, must be the one before the document's)
BRACKET_LEGEND: Final = re.compile(
    rf"^(?:{NOTE_MARK}\s*)?(?:【\s*】\s*(?:(?:内|の数値|の金額)\s*)?は[^、。()]*[、。]\s*)?"
    rf"\(\s*\)\s*(?:(?:内|の数値|の金額)\s*)?は\s*(?:{PRIOR_YEAR}|(?P<year>{NAMED_FISCAL_YEAR}|{LETTERED_FISCAL_YEAR}))"
    rf"{YEAR_BUDGET_WORD}(?:です。?|。)?$"
)


def find_bracket_year(lines: tuple[Line, ...], fiscal_year: int | None) -> int | None:
    """The year of the figures in brackets after the budgets, as a legend anywhere says it (``BRACKET_LEGEND``):
    the year before the document's; None without such a legend, or without the document's year."""
    if fiscal_year is None:
        return None
    for line in lines:
        m = BRACKET_LEGEND.match(line.text) if "(" in line.text[:3] or "【" in line.text[:3] else None
        if m is not None and (m["year"] is None or parse_era_year(m["year"]) == fiscal_year - 1):
            return fiscal_year - 1
    return None


@needs(BRACKET_LEGEND)
def read_bracket_legend(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The legend of the figures in brackets after the budgets, 「※（　）内は前年度予算額」: they are the
    previous year's (``find_bracket_year`` read it before the first line); no item of the program above."""
    if BRACKET_LEGEND.match(line.text) is None:
        return False
    state.note_heading(False)
    return True


# A unit note after a caption over a table: "(単位:千円)" of "主な事業 (単位:千円)" (parse form); it names itself
# (単位), as a header cell's "(千円)" does not
CAPTION_UNIT: Final = re.compile(rf"(?<=\S)\s*\(\s*{UNIT_LABEL}\s*[:：]?\s*(?P<unit>{UNIT}){OTHER_UNITS}\s*\)$")


@needs(holds=")")  # (every unit note ends in its bracket)
def read_unit_note(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The unit of the table below, 「（単位：千円）」: its amounts are read in it. A caption may stand before
    it, 「主な事業　　　（単位：千円）」: a heading's, it is the section."""
    text = line.text.strip()
    m = TABLE_UNIT_NOTE.match(text)
    caption = ""
    if m is None:
        m = CAPTION_UNIT.search(text) if text.endswith(")") else None
        caption = text[:m.start()] if m is not None else ""
        if m is None or MONEY_ANYWHERE.search(caption) or PROGRAM_START.match(caption) or is_budgeted_program_text(caption) \
                or read_header(caption, m["unit"], state.doc_context.fiscal_year) is not None:
            return False
    state.close_block()
    state.table_unit = state.list_unit = m["unit"]
    if caption:
        read_section_heading(state, replace(line, text=caption), nxt)
    return True


@needs(holds=UNIT_LABEL)  # 「単位：百万円」
def read_bare_unit_note(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The unit of the table below printed after its label and no bracket, as a spreadsheet's cell prints it,
    「単位：百万円」: as ``read_unit_note``, for the lines that hold no bracket (its guard)."""
    return read_unit_note(state, line, nxt)


# A unit note opening a table's header line (parse form): "(単位:千円) " of "(単位:千円) 番号 事 業 名 要求額 査定額"
LEADING_UNIT: Final = re.compile(rf"^\(\s*{UNIT_LABEL}\s*:?\s*(?P<unit>{join_alternatives(UNIT_FACTORS)})\s*\)\s*")
RAW_BRACKET_LEAD: Final = re.compile(r"^\s*[(（][^()（）]*[)）]\s*")  # the same as printed: "（単位：千円）　"


@needs(holds=NAME_HEADER_WORD[:1])  # 「事業名」, 「事 業 名」
def read_table_header(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The header row of a table of programs, 「番号 主管課 事業名 Ｒ８年度当初予算額 Ｒ７年度当初予算額 増減 財源内訳 主な事業内容」:
    the rows below are programs; a title over it
    that names a flag (「…主な新規事業」) gives it to every row. Under a title that names carried-over
    sums or obligations (「第２表繰越明許費補正」), and wherever that header comes back, the rows are
    not programs."""
    # (a tab-parted header keeps the empty cells it opens with, as its rows do: 「\t局\t事業名\tR7予算額」)
    lead = LEADING_UNIT.match(line.text)
    spec = read_header(restore_empty_cells(line, "tab"), state.table_unit, state.doc_context.fiscal_year,
                       unit_over=state.list_unit is not None) if lead is None else None
    if lead is not None:  # 「(単位:千円) 番号 事 業 名 要求額 査定額」: the unit of the table, then its header
        rest = line.text[lead.end():].rstrip()
        spec = read_header(rest, lead["unit"], state.doc_context.fiscal_year, unit_over=True)
        if spec is not None:
            state.table_unit = state.list_unit = lead["unit"]
            printed = RAW_BRACKET_LEAD.match(line.raw)
            line = replace(line, text=rest, raw=line.raw[printed.end():].rstrip() if printed else line.raw)
    if spec is None:
        return False
    state.close_block()
    titles = state.recent[-5:]
    if line.text == state.skipped_header or any(NON_PROGRAM_TITLE.search(text) for text in titles):
        state.skipped_header = line.text
        state.table = None
        state.note_heading(True)
        return True
    if spec.rule == "spaces" and "\n" not in line.raw:  # where its cells start: rows of fewer cells are read by it
        starts = find_column_starts(line.raw, spec.width)
        if starts is None and spec.name == 0 and (unheaded := find_column_starts(line.raw, spec.width - 1)) is not None:
            starts = ((0, *unheaded[0]), (0, *unheaded[1]))  # 「⑦当初　⑥当初　増減」: the names' column unheaded, first
        spec = replace(spec, starts=starts)
    state.table = spec
    state.table_account = (None, None, None)
    state.table_flag = next((f for text in reversed(state.recent[-4:]) if (f := read_title_flag(text))), None)
    state.table_line, state.table_warned = line.span.line_start, False
    state.note_heading(True)
    return True


@needs(holds="予")  # 「項　目　内　容　予算額(千円)」
def read_item_table_header(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The header row of a table, 「項　目　内　容　予算額(千円)」, whose name column a word of no program heads
    (``TABLE_ITEM_HEADERS``: 項目, 事項, 施策名, 主な取組) beside a budget's: as ``read_table_header``, for the
    lines that hold no 事 (that rule's guard)."""
    return read_table_header(state, line, nxt)


def read_year_table_header(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The header row of a table, 「区分　令和８年度　令和７年度　増減」, right under its unit note, whose name column
    区分 heads (``YEARS_ITEM_HEADER``) beside columns named by their years alone (「R7当初」, 「⑦当初」), or no
    header heads at all (「　　⑦当初　　⑥当初　　増減」): as ``read_table_header``, for the lines that hold neither 事
    nor 予 (those rules' guards)."""
    if state.list_unit is None:
        return False  # (no unit note right over it: most lines holding 年 are told at once)
    return read_table_header(state, line, nxt)


def open_table_row(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A row of a table of programs, 「7 福祉事務所 障害者自立支援給付事業費 1,670,858 1,391,594 279,264 834,118 障害福祉サービス・障害児通所等給付費の増。」:
    one program with its budget, the previous year's amount and the change
    from their columns, its description from the description column. A line of no cells ends the table."""
    if state.table is None:
        return False
    if RULE_ONLY.match(line.text):
        return True  # 「────────」 between the header and the rows, or between rows: the table goes on
    current = state.current
    if current is not None and current.marker != "table":
        current = None
    lone = find_lone_cell(line.raw, line.text, state.table)
    if lone is not None and lone[0] == state.table.name and not line.blank_after \
            and is_name_begun(lone[1], nxt, state.table):
        # 「地域包括支援センター機能強化」 over 「事業【拡充】　96,880　82,410」: the beginning of the row below's name
        state.close_block()
        state.table_rest = (lone[1], "", line)
        state.note_heading(False)
        return True
    if lone is not None and state.table.rule == "spaces" and current is not None and not line.blank_before \
            and ROUND_NOTE.match(lone[1]):
        current.description.append(replace(line, text=lone[1]))  # 「（上限額　１回あたり　50,000円）」 under its row
        state.note_heading(False)
        return True
    if lone is not None and current is not None and not line.blank_before \
            and is_left_open(to_parse_form(current.heading), "(") and CLOSING_REST["("].match(lone[1]):
        current.extend_heading(lone[1], line)  # 「整備・参加支援・アウトリーチ）」 under 「◎地域共生社会推進事業（重層的支援体制」
        state.note_heading(False)
        return True
    if lone is not None and state.table.rule == "spaces" and current is not None and not line.blank_before \
            and len(lone[1]) <= MAX_ROW_NAME_REST and NAME_END.search(lone[1]) \
            and not NAME_END.search(split_name_flags(current.heading)[0]):
        current.extend_heading(lone[1], line)  # 「更新事業」 under 「★養護老人ホームあおば荘空調設備 0 186,400 186,400 皆増」
        state.note_heading(False)
        return True
    if lone is not None and state.table.rule == "spaces" and not is_group_cell(lone[1]):
        lone = None  # a line of one part under a table parted by spaces: the table's end, unless a group's
    merged = lone is None and is_group_row(line, nxt, state.table)  # a group's row across the table (a PDF's)
    if merged:
        lone = (state.table.name, line.text)
    if lone is not None and lone[0] == state.table.name and (merged or current is None or line.blank_before
                                                              or is_group_cell(lone[1]) or NAME_END.search(current.heading)):
        # 「【子育て支援】\t\t」 between rows: the group of the rows below it; the table goes on
        bracket = BRACKET_ONLY.match(lone[1])
        state.close_block()
        state.subsection = to_display_form(bracket.group("body") if bracket else GROUP_LEAD.sub("", lone[1]))
        state.subsection_line = line.span.line_start
        state.note_heading(True)
        return True
    if lone is not None and current is not None and not line.blank_before:
        if lone[0] == state.table.name:  # 「事業（医療分）」 under 「地域医療介護総合確保基金」: the rest of its name
            current.extend_heading(lone[1], line)
        else:
            current.description.append(replace(line, text=lone[1]))
        state.note_heading(False)
        return True
    if current is not None and not line.blank_before and (rests := find_rest_cells(line.raw, line.text, state.table)):
        if NAME_END.search(current.heading) and not NAME_END.search(rests[0]):
            # 「障害者グループホーム　　　グループホームの整備を」 under a whole name, over 「整備支援事業　8,000　補助する。」:
            # the beginning of the row below, whose amount is set at the foot of its cells
            state.close_block()
            state.table_rest = (rests[0], rests[1], line)
            state.note_heading(False)
            return True
        # 「整備支援事業　　　補助する。」 under 「障害者グループホーム　8,000　グループホームの整備を」: the rests of both
        current.extend_heading(rests[0], line)
        current.description.append(replace(line, text=rests[1]))
        state.note_heading(False)
        return True
    if not is_row_line(line.text, state.table):  # the table ends, and its last row with it
        state.table = None
        state.table_flag = None
        state.table_rest = None
        if state.current is not None and state.current.marker == "table":
            state.close_block()
        return False
    text = restore_empty_cells(line, state.table.rule)
    if state.table.unit is None and (unit := read_header_unit(text, state.table)) is not None:
        state.table = replace(state.table, unit=unit)  # a second header row: 「　予算額（千円）　予算額（千円）」
        state.note_heading(True)
        return True
    if current is None and (years := read_header_years(text, state.table, state.doc_context.fiscal_year)) is not None:
        state.table = years  # a second header row: 「令和８年度　令和７年度」 under 「予算額（千円）」
        state.note_heading(True)
        return True
    if current is not None and current.budget is None and current.prior is None and not line.blank_before \
            and "\n" not in current.heading_raw and not has_figure_cells(current.heading_raw, state.table) \
            and (below := read_figures_below(text, current.heading, state.table)) is not None:
        # 「5　HPVワクチン接種促進事業（キャッチアップ接種）（拡）」 over 「32,100　18,400　感染症対策課」: its figures
        current.budget, current.prior, current.change = below.budget, below.prior, below.change
        current.prior_fiscal_year = state.table.prior_fiscal_year if below.prior is not None else None
        current.span = current.span.merge(line.span)
        current.heading_raw = f"{current.heading_raw}\n{line.raw}"
        state.note_heading(False)
        return True
    row = read_row(text, state.table, line.raw)
    if row is not None and row.budget is not None and row.budget_text and nxt is not None \
            and text.rstrip().endswith(row.budget_text) and FIGURE_REST.match(nxt.text):
        # 「…支援事業\t12」 over 「0,000\t―\t…」: a figure broken at the line's end, its rest on the next line
        row = replace(row, budget=None)
    if row is not None and state.table.rule == "spaces" and "\n" not in line.raw \
            and len(cells := split_cells(text, "spaces")) == state.table.width:
        state.table = check_placement(line.raw, cells, state.table)  # a whole row tells how its cells are set
    if row is None or TOTAL_NAME.search(row.name) or PART_OF_ABOVE.match(row.name) \
            or strip_number(row.name) in ACCOUNT_NAME_SET or strip_number(row.name).endswith(ACCOUNT_WORD) \
            or is_amount_cell(row.name.strip()):
        # 「合計 46,500」: the rows' sum; 「うち一般財源 141,174」: a part of the row above; 「① 議会費」: an account's
        # total, 「介護保険事業特別会計」 a whole fund's; 「732,371千円」 in the name's column: the row's cells fell apart
        # from their columns; no programs
        state.close_block()
        return True
    spec = state.table
    if not adds_up(row, spec):
        state.warnings.append(
            f"line {line.span.line_start} ({row.name[:40]}): the budget {row.budget_text} less the year before's does not "
            "make the change printed beside them (the row's figures stand out of their columns): no amount taken from it")
        row = replace(row, budget=None, prior=None, change=None)
    context = Context(spec.fiscal_year, None, "table_header", line.span.line_start) if spec.fiscal_year else None
    rest, state.table_rest = state.table_rest, None
    name, name_flags = split_name_flags(join_text([rest[0], row.name]) if rest else row.name)
    if name[:1] in state.mark_flags:  # 「○介護人材確保・定着促進事業」 under 「◎：新規事業　○：拡充事業」: its mark's flag
        name_flags += (state.mark_flags[name[:1]],)
    name = NAME_CELL_BULLET.sub("", name) or name
    source = FUNDING_SOURCE_TAIL.search(name)  # 「（一部国庫）」 of 「企業連携型農業参入促進事業（一部国庫）」: its funding, no part
    if source is not None and source.start():  # of its name (in the parse form the heading's annotations are read from)
        name = f"{name[:source.start()].rstrip()}({source['source']})"
    state.open_block(name, line, "table", numbering=row.number, context=context)
    block = state.current
    assert block is not None
    if rest is not None:  # the row's first line, above: the beginnings of its name and description
        block.heading_raw = f"{rest[2].raw}\n{block.heading_raw}"
        block.span = rest[2].span.merge(block.span)
        if rest[1]:
            block.description.append(replace(rest[2], text=rest[1]))
    block.budget, block.prior, block.change = row.budget, row.prior, row.change
    block.prior_fiscal_year = spec.prior_fiscal_year if row.prior is not None else None
    # (a mark a legend gives a flag, 「◆医療的ケア児保育支援事業」 over 「◆：新規事業」, gave the block its flag)
    block.flags = tuple(dict.fromkeys(((state.table_flag,) if state.table_flag else ()) + row.flags + name_flags
                                      + block.flags))
    if spec.account is not None:
        # 「4衛生費1)保健衛生費(6)環境衛生費」, or only the levels that change (「2)清掃費(1)清掃総務費」), or
        # nothing under a cell merged over several rows: the account of the row above
        if row.account:
            state.table_account = merge_account(state.table_account, row.account)
        block.section_path = tuple(name for name in state.table_account if name)
    if row.budget is None and row.budget_text:
        warn_unread_cell(state, row, spec, line)
    if row.description:
        block.description.append(Line(raw=row.description, text=row.description, span=line.span))
    if row.rate_text:  # 「県1/2」 under 「補助率」: read as its label's line, 「補助率 県1/2」
        block.annotation_lines.append(Line(raw=row.rate_text, text=f"{RATE_HEADER} {to_parse_form(row.rate_text)}",
                                           span=line.span))
    state.note_heading(False)
    return True


def has_figure_cells(raw: str, spec: TableSpec) -> bool:
    """Tell whether a table's row, as printed, holds a figure after its name's cell (its figures were read, or could not
    be: 「…定着支援事業\t85.4\t62.0\t2」, broken at its end, is no row of its name alone)."""
    cells = split_cells(to_parse_form(raw), spec.rule)
    return any(is_amount_cell(cell.strip()) or cell.strip()[:1].isdigit() for cell in cells[spec.name + 1:])


def read_figures_below(text: str, name: str, spec: TableSpec) -> TableRow | None:
    """Return the row a table's line of figures alone makes with the name over it, a row of no figures whose name
    filled its line (「32,100　18,400　感染症対策課」 under 「5　HPVワクチン接種促進事業（キャッチアップ接種）（拡）」): its cells
    those after the name's, in order, the first an amount; None for any other line, or figures that do not add up."""
    cells = [part for cell in split_cells(text, spec.rule) for part in split_figure_then_text(cell)]
    after = spec.width - spec.name - 1
    if spec.budget is None or not cells or not 0 < len(cells) <= after or not is_amount_cell(cells[0].strip()) \
            or spec.budget != spec.name + 1:
        return None
    whole = ["" for _ in range(spec.name)] + [to_parse_form(name)] + cells + ["" for _ in range(after - len(cells))]
    row = read_row("\t".join(whole), replace(spec, rule="tab", starts=None, placed=None, single=False))
    return row if row is not None and row.budget is not None and adds_up(row, spec) else None


def adds_up(row: TableRow, spec: TableSpec) -> bool:
    """Tell whether a row's figures agree where its table prints this year's budget, the year before's and the change:
    the budget less the year before's (none printed, 「―」: nothing) is the change, to a unit of the table's
    (「612,800　14,700」 where 「598,100　612,800　14,700」 stood under 「令和６年度　令和７年度　比較増減」 is not); and where a
    supplement's table prints the budget before it and the sum after it, the two and the supplement's sum."""
    unit = UNIT_FACTORS.get(spec.unit or "", 1)
    if row.budget is not None and spec.before is not None and spec.after is not None and row.after is not None:
        # 「補正前　補正額　補正後」: the supplement's sum added to the budget before it is the sum after it
        before = row.before.yen if row.before is not None else 0
        if abs(before + row.budget.yen - row.after.yen) > unit:
            return False
    if spec.prior is None or spec.change is None or row.budget is None or row.change is None:
        return True
    prior = row.prior.yen if row.prior is not None else 0
    return abs(row.budget.yen - prior - row.change.yen) <= unit


MAX_ROW_NAME_REST: Final = 8  # characters: the rest of a row's name, ending as a program's, wrapped onto a line of its own


# The source of a program's money in brackets closing a table's name cell: "（一部国庫）", "（単県）", "（県単）" (either form)
FUNDING_SOURCE_TAIL: Final = re.compile(r"[(（](?P<source>(?:一部)?国庫|単県|県単|[市町村]単独?)[)）]$")


def split_name_flags(name: str) -> tuple[str, tuple[str, ...]]:
    """Split the flags a table's name cell ends in off the name: 「医療的ケア児支援事業（新規）」 → the name and
    「新規」; a name without them is kept as it is (its other brackets, 「（補助）」, are part of it)."""
    form = to_parse_form(name)
    tail = FLAGS_TAIL.search(form)
    flags = parse_flags(tail.group()) if tail is not None else ()
    if tail is None or not flags or not form[:tail.start()].strip():
        return name, ()
    return to_display_form(form[:tail.start()].rstrip()), flags


# A bullet a table's name cell opens with, never a part of the name: "・地域子育て拠点整備事業【新規】", "○介護予防事業"; or a
# circled number and a space, the row's number in a list: "① " of "① 特定健康診査等事業"
NAME_CELL_BULLET: Final = re.compile(rf"^(?:[{escape_class(LIST_DOT + '•' + ITEM_MARKS)}]\s*|[{CIRCLED_NUMBERS}]\s)")


# What opens a group's row of a table, its name alone in the name cell: a bracket, a mark or a number:
# "【子育て支援】", "■高齢者福祉", "(1) 子育て支援", "1. 子育て支援", an account's level: "1項 社会福祉費" (parse form)
GROUP_LEAD: Final = re.compile(rf"^(?:[{escape_class(PROGRAM_MARKS + LISTED_PROGRAM_MARKS)}]\s*|\([0-9]{{1,2}}\)\s*|[0-9]{{1,2}}[.)]\s*"
                        rf"|[0-9]{{1,2}}\s?[{ACCOUNT_LEVELS}]\s*)")


def is_group_row(line: Line, nxt: Line | None, spec: TableSpec) -> bool:
    """Tell whether a line of no cells is a group's row merged across the table, over a row of it: a group's name
    (``is_group_cell``), or a short heading that names no program (「子育て支援」 over 「保育所運営事業\t1,000\t…」)."""
    if nxt is None or spec.rule == "pipe" or len(split_cells(line.text, spec.rule)) > 1 or not is_row_line(nxt.text, spec):
        return False
    text = line.text
    return is_group_cell(text) or (is_heading_like(text, max_chars=20) and NAME_END.search(text) is None)


# The most a row's name may hold where it ends a name begun on the line above: "事業【拡充】" under "地域包括支援センター機能強化"
NAME_REST_CHARS: Final = 4


def is_name_begun(text: str, nxt: Line | None, spec: TableSpec) -> bool:
    """Tell whether a name cell alone on its line begins the name of the row below it, whose own name is but the end
    of one (「地域包括支援センター機能強化」 over 「事業【拡充】　96,880　82,410」): the cell ends as no program's name, the
    row's name is short and the two read as a program's."""
    if nxt is None or NAME_END.search(text) or is_group_cell(text) or not is_row_line(nxt.text, spec):
        return False
    row = read_row(restore_empty_cells(nxt, spec.rule), spec, nxt.raw)
    if row is None or row.budget is None:
        return False
    rest = split_name_flags(row.name)[0].strip()
    return 0 < len(rest) <= NAME_REST_CHARS and NAME_END.search(rest) is not None \
        and NAME_END.search(text + rest) is not None


def is_group_cell(text: str) -> bool:
    """Tell whether a name cell alone on its row names a group of the rows below (bracketed whole, or after a mark
    or a number: ``GROUP_LEAD``), not the rest of the name above."""
    return BRACKET_ONLY.match(text) is not None or GROUP_LEAD.match(text) is not None


def restore_empty_cells(line: Line, rule: str) -> str:
    """Return a tab-parted row's parse form with the empty cells it opens with, which the line's
    text lost with its leading white space: 「\t認知症施策推進事業\t8,000\t8,500」 under 「区分 事業名 …」."""
    raw = line.raw
    if rule == "tab" and raw.startswith(",") and "\n" not in raw and "\t" in line.text:
        return "\t" * (len(raw) - len(raw.lstrip(","))) + line.text  # 「,健康診査事業,"1,086,250",…」: a CSV record's
    if rule != "tab" or not raw.startswith("\t") or "\n" in raw:
        return line.text
    return "\t" * (len(raw) - len(raw.lstrip("\t"))) + line.text


def warn_unread_cell(state: SegmentState, row: TableRow, spec: TableSpec, line: Line) -> None:
    """Say that a row's budget cell is printed but gives no budget: no unit is read for the table
    (told once a table), or the figures cannot be read."""
    if spec.unit is None:
        if not state.table_warned:
            state.table_warned = True
            state.warnings.append(
                f"line {state.table_line}: no unit read for the amounts of the table of programs here "
                f"({row.budget_text} on line {line.span.line_start}; a unit is read from a note over the table, "
                "（単位：千円）, or from its header): no budget taken from it"
            )
        return
    state.warnings.append(
        f"line {line.span.line_start} ({row.name[:40]}): {describe_printed(row.budget_text or '')} in the budget column "
        f"cannot be read ({explain_unread_amount(row.budget_text or '')}): budget left null"
    )


def describe_printed(text: str) -> str:
    """Printed text for a warning: a long one shortened to its start and end."""
    return text if len(text) <= 40 else f"{text[:24]}…{text[-6:]} ({len(text):,} characters)"


def read_total(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A stated total after a numbered list, 「総合事業総額：令和7年度 233,453千円 令和6年度 207,376千円」:
    recorded with the blocks it covers; it ends the list."""
    if state.numbered_block is None or not is_total(line.text):
        return False
    state.close_block()
    state.record_total(line)
    state.end_numbered_block()
    state.note_heading(False)
    return True


def is_total(text: str) -> bool:
    """Tell whether a line states a total: 「総合事業総額：令和7年度 233,453千円」, an amount in 千円 after 総額."""
    at = text.find(TOTAL_WORD)
    return at >= 0 and TOTAL_PAIR.search(text, at + len(TOTAL_WORD)) is not None


@needs(ACHIEVEMENT)
def read_achievement_head(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """An achievement head, 「●令和6年度実績（4月～12月）」: the ``■`` lines under it are
    results, not programs, unless they print a budget."""
    if not ACHIEVEMENT.match(line.text):
        return False
    state.close_block()
    state.achievements = True
    state.note_heading(False)
    return True


@needs(PROGRAM_START, NUMBERED, DOTTED_NUMBER, ROMAN_NUMBER, LISTED_PROGRAM, or_longest=MAX_GROUP_HEADING)
def read_marked_heading(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A ``■`` line, or a numbered one, that prints no budget, rate or flag, over a line that is a
    program with its own amount, 「■主な新規・拡充事業」 over 「1.子ども食堂支援事業（新規） 5,000千円」,
    「1 介護人材の確保・定着」 over 「○介護職員宿舎借り上げ支援事業 22億円」, a bulleted one over programs of
    another bullet, 「◎新規事業」 over 「●子ども食堂支援事業 3,500万円」: the section of the programs under it,
    not a program; one naming a flag (「新規事業」) gives it to them."""
    text = line.text
    if PROGRAM_START.match(text):
        body = PROGRAM_START.sub("", text)
    elif ((numbered := NUMBERED.match(text)) is not None and numbered["top"] or DOTTED_NUMBER.match(text)) \
            and nxt is not None and (LISTED_PROGRAM.match(nxt.text) or is_unmarked_amount_line(nxt)) \
            or numbered is not None and nxt is not None and is_lettered_program_line(nxt):
        # a numbered heading over bulleted programs (sub-numbered ones make a group), over programs
        # printed with their amount and no mark: 「１．地域共生社会の実現」 over 「重層的支援体制整備事業 45,000千円」,
        # or over lettered ones: 「（１）地域包括ケアの推進」 over 「ア　地域包括支援センター運営事業　１２０，０００千円」
        body = numbered["rest"] if numbered is not None else DOTTED_NUMBER.sub("", text)
    elif ROMAN_NUMBER.match(text) and nxt is not None and (
            NUMBERED.match(nxt.text) or LISTED_PROGRAM.match(nxt.text) or LETTERED_ITEM.match(nxt.text)
            or is_unmarked_amount_line(nxt)):
        body = ROMAN_NUMBER.sub("", text)  # 「Ⅰ 安心して医療を受けられる体制づくり」 over its numbered programs or groups
        if not is_budgeted_program_line(nxt):
            return take_section_heading(state, line, body)
    elif (listed := LISTED_PROGRAM.match(text)) is not None and nxt is not None and nxt.text[:1] != text[:1] \
            and (LISTED_PROGRAM.match(nxt.text) or is_unmarked_amount_line(nxt)):
        # 「◎新規事業」 over 「●子ども食堂支援事業 3,500万円」: another mark under it, or none:
        # 「◎子育て支援」 over 「放課後児童クラブの開所時間延長 1,200万円」
        body = text[listed.end():]
    elif is_plain_group_heading(line, nxt):
        body = text  # 「子育て支援の充実」 over 「・保育所等整備補助事業 3億2,000万円」
    else:
        return False
    if line.indented or nxt is None or PROGRAM_MARK in body or NAME_AMOUNT.match(take_out_colons(body)):
        return False  # 「2. 地域医療連携事業 1億500万円」 is a program with its own amount
    if not is_budgeted_program_line(nxt) and match_unit_listed(state, nxt.text) is None \
            and not (is_unmarked_amount_line(nxt) and not PROGRAM_START.match(text)) and not is_lettered_program_line(nxt):
        return False
    ann = parse_annotations(body)
    # 「新規事業」 names the flag of the programs under it; 「主な新規・拡充事業」 names none of them
    flag = read_title_flag(body) if len(FLAG_WORD.findall(body)) == 1 else None
    if not (ann.name or flag) or ann.budget is not None or ann.unread_budgets or ann.rates or (ann.flags and not flag):
        return False
    return take_section_heading(state, line, body, flag)


@needs(longest=MAX_FLAG_HEADING)
def read_flag_heading(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A flag alone on its line over a program printed with its own amount, 「【新規】」 over
    「・医療的ケア児等支援センター運営事業　15,000千円」: the heading of the programs under it, giving
    them its flag; never the flag of a program above that printed its amount on its own line."""
    if nxt is None or line.indented or len(line.text) > MAX_FLAG_HEADING:
        return False
    current = state.current
    if current is not None and (current.marker != "amount" or current.budget is None):
        return False
    ann = parse_annotations(line.text)
    if ann.name or ann.budget is not None or ann.rates or ann.unread_budgets or len(ann.flags) != 1 \
            or is_kind_heading(line.text):
        return False
    if not (is_budgeted_program_line(nxt) or is_unmarked_amount_line(nxt)):
        return False
    return take_section_heading(state, line, ann.flags[0], ann.flags[0])


def is_plain_group_heading(line: Line, nxt: Line | None) -> bool:
    """Tell whether an unmarked line reads as the heading of the bulleted or numbered programs
    with their amounts right under it: 「子育て支援の充実」 over 「・保育所等整備補助事業　3億2,000万円」
    (short, heading-like, no figure, not itself a program's name ending in 事業)."""
    text = line.text
    if nxt is None or line.indented or len(text) > MAX_GROUP_HEADING or LISTED_PROGRAM.match(nxt.text) is None:
        return False  # (the next line's mark first: it tells most lines at once)
    if any(c.isdigit() for c in text) or NAME_END.search(text) or not is_heading_like(text):
        return False
    return is_budgeted_program_line(nxt)


def take_section_heading(state: SegmentState, line: Line, body: str, flag: str | None = None) -> bool:
    """Make ``body`` the section of the programs below (giving them ``flag``, when it names one); take the line."""
    state.close_block()
    state.note_heading(True)
    if state.numbered_block is None:
        state.section, state.section_line = to_display_form(body) if flag else parse_annotations(body).name, line.span.line_start
        state.subsection = None
        state.section_flag = (flag, line.span.line_start) if flag else None
    return True


@functools.lru_cache(maxsize=4096)
def find_budget_label(text: str) -> str | None:
    """Return the part of a line that is a budget label: the line itself (``BUDGET_LABEL``), or, in a
    line of labelled amounts side by side and nothing else, the one whose word is a budget's
    (「補正額 25,000千円」 of 「補正前額 10,000千円 補正額 25,000千円 補正後額 35,000千円」); else None.
    A line is asked about as the next line and as the line: answers are kept."""
    if BASIS_WORD.search(text) is None:  # every budget label names a budget word: most lines are told at once
        return None
    text = LABEL_OFFICE.sub("", take_label_flags(text)[1])  # 「【新規】(事業費:3,756万2千円)《総務課》」: its flags, its office
    if text[:1] == "(" and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()  # 「（事業費 12,000千円、うち国庫 8,000千円）」: a label in brackets
    pairs = list(LABELLED_AMOUNT.finditer(text))
    if len(pairs) < 2 or LABELLED_AMOUNT.sub("", text).strip():
        label = BUDGET_LABEL.match(text)
        if label is not None and label["basis"] in INITIAL_BASIS_WORDS \
                and any(p["label"] in SUPPLEMENT_BASIS_WORDS for p in pairs):
            return None  # 「当初予算額 10,000千円 補正額 5,000千円 計 15,」: the initial budget beside a supplement's sum, the rest unread
        return text if label is not None else None
    budgets = [p for p in pairs if p["label"] in BASIS_WORDS]
    added = [p for p in budgets if p["label"] in SUPPLEMENT_BASIS_WORDS]
    if len(added) == 1 and all(p is added[0] or p["label"] in INITIAL_BASIS_WORDS for p in budgets):
        return added[0].group()  # 「当初予算額 10,000千円 補正額 5,000千円 計 15,000千円」: the sum the supplement adds
    return budgets[0].group() if len(budgets) == 1 else None


# Flags in brackets before a budget label, the program's (parse form): "【新規】" of "【新規】(事業費:3,756万2千円)《総務課》"
LABEL_FLAGS: Final = re.compile(rf"^(?:{FLAG_BRACKET.pattern}\s*)+")
# The office in charge after a budget label, in double angle brackets or brackets: "《総務課》" of
# "【新規】(事業費:3,756万2千円)《総務課》"
LABEL_OFFICE: Final = re.compile(rf"\s*(?:《{OFFICE}》|\({OFFICE}\))$")


def take_label_flags(text: str) -> tuple[str, str]:
    """Split the flags in brackets a budget label's line opens with from the rest: (「【新規】」, 「(事業費:3,756万2千円)」) of
    「【新規】(事業費:3,756万2千円)」; no flags, ("", the line), when the brackets hold anything else."""
    lead = LABEL_FLAGS.match(text)
    if lead is None:
        return "", text
    for bracket in FLAG_BRACKET.finditer(lead.group()):
        if not split_flags(bracket["body"]):
            return "", text
    return lead.group(), text[lead.end():]


# A budget label a program's line prints after its name, in brackets: "(予算額 52,300千円)" of
# "1 地域包括ケア推進事業(予算額 52,300千円)", "【予算額 3,000千円】" of "(4) 在宅医療推進事業【予算額 3,000千円】"
# (parse forms: the brackets must hold a whole ``BUDGET_LABEL``)
LABEL_IN_BRACKETS: Final = re.compile(r"(?<=\S)\s*[(【\[](?P<label>[^()【】\[\]]+)[)】\]]$")
# ... or after white space: " 予算額 4,500千円" of "5.生活困窮者自立支援事業 予算額 4,500千円", " R7予算額 1,000千円"
# (a run of white space read whole, from its first character: time linear in the line)
LABEL_AFTER_SPACE: Final = re.compile(rf"(?<!\s)\s+(?!\s)(?=(?:{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR})?\s*(?:{BASIS}))")
# The longest line read as a name and its label: a program's line is short
MAX_LABELLED_LINE: Final = 120
# What a program's line opens with before its name: a bullet, a number or a program mark (``LIST_LEAD``)
LINE_LEAD: Final = re.compile(rf"^(?:{LIST_LEAD}|[{PROGRAM_MARKS}]\s*)")


@functools.lru_cache(maxsize=4096)
def split_inline_label(text: str, named: bool = True) -> tuple[str, str] | None:
    """Return a program's line that prints its budget label after its name as the line without the label
    and the label: 「1 地域包括ケア推進事業(予算額 52,300千円)」 → 「1 地域包括ケア推進事業」 and
    「予算額 52,300千円」, read as a heading over its label (``SegmentState.open_block``); else None.

    The name must print no amount of its own (a line of labelled amounts side by side, 「補正前額 10,000千円
    補正額 25,000千円」, has none) nor be one no budget is printed for (``is_no_budget_name``); and, unless the
    line is known for a program's by its mark (``named`` False: a bullet, 「○ 児童手当給付費 予算額 3,450,000千円」),
    read as a program's: a name ending in 事業, or a heading."""
    if len(text) > MAX_LABELLED_LINE or BASIS_WORD.search(text) is None:  # every label names a budget word
        return None
    brackets = LABEL_IN_BRACKETS.search(text)
    if brackets is not None and BUDGET_LABEL.match(brackets["label"].strip()):
        head, label = text[:brackets.start()], brackets["label"].strip()
    else:
        space = next((m for m in LABEL_AFTER_SPACE.finditer(text) if BUDGET_LABEL.match(text[m.end():])), None)
        if space is None:
            return None
        head, label = text[:space.start()], text[space.end():]
    lead = LINE_LEAD.match(head)
    core = FLAGS_TAIL.sub("", head[lead.end():] if lead else head).strip()
    if not core or MONEY_ANYWHERE.search(head) or is_no_budget_name(core) or BUDGET_LABEL.match(head) \
            or FIELD_LINE.match(core) or (named and not (NAME_END.search(core) or is_heading_like(core))):
        return None  # (a sheet's other field is no name: 「担当課 予算額 42,300千円」)
    return head.rstrip(), label


def is_unmarked_amount_line(line: Line) -> bool:
    """Tell whether a line is a program's name (as ``open_amount_line`` reads one), with no mark or
    number, and its amount: 「重層的支援体制整備事業 45,000千円」."""
    return is_unmarked_amount_text(line.text)


@functools.lru_cache(maxsize=4096)
def is_unmarked_amount_text(text: str) -> bool:
    m = NAME_AMOUNT.match(text)
    if m is None or m["number"] or m["sub"] or LISTED_PROGRAM.match(text) or BUDGET_LABEL.match(text):
        return False
    core = FLAGS_TAIL.sub("", m["name"].strip())
    return not is_no_budget_name(core) and (NAME_END.search(core) is not None or is_heading_like(core))


def split_prior_tail(text: str) -> tuple[str, re.Match[str] | None]:
    """Return a program line without the previous year's amount it ends in (``PRIOR_TAIL``), and that
    note's match; or without the change it ends in (``CHANGE_TAIL``), and no match."""
    if not text.endswith(")"):
        return text, None
    tail = PRIOR_TAIL.search(text)
    if tail is None and (change := CHANGE_TAIL.search(text)) is not None:
        return text[:change.start()], None
    return (text[:tail.start()], tail) if tail else (text, None)


def read_change_tail(text: str) -> Budget | None:
    """Return the change a program line ends in (``CHANGE_TAIL``), negative where it is a decrease
    (「△300千円」, 「-300千円」, 「500千円減」), or None."""
    return read_change(CHANGE_TAIL.search(text) if text.endswith(")") else None)


def read_change_beside(text: str) -> Budget | None:
    """Return the change a budget label's line prints after the budget (``CHANGE_BESIDE``: 「予算額 45,000千円
    対前年度 △2,000千円」, or in brackets, ``CHANGE_TAIL``: 「予算額 12,345千円（前年度比 1,234千円増）」), as
    ``read_change_tail`` reads it, or None."""
    if not find_budget_label(text):
        return None
    return read_change(CHANGE_BESIDE.search(text) or (CHANGE_TAIL.search(text) if text.endswith(")") else None))


def read_change(m: re.Match[str] | None) -> Budget | None:
    """The change of a match of ``CHANGE_TAIL`` or ``CHANGE_BESIDE``, negative where it is a decrease."""
    amount = read_amount(m["change"]) if m is not None else None
    if m is None or amount is None or amount.fiscal_year is not None:
        return None
    yen = -abs(amount.yen) if m["sign"] in ("-", "\u2212") or m["way"] == "減" else amount.yen
    printed = (m["sign"] or "") + m["change"] + (m["way"] or "")
    return Budget(yen, amount.unit, to_display_form(printed))


def is_lettered_program_line(line: Line) -> bool:
    """Tell whether a line is a program after a katakana letter or a circled number, with its own amount:
    「ア　地域包括支援センター運営事業　１２０，０００千円」."""
    return LETTERED_ITEM.match(line.text) is not None and NAME_AMOUNT.match(line.text) is not None


def is_budgeted_program_line(line: Line) -> bool:
    """Tell whether a line is a program printed with its own amount after a number or bullet:
    「1.子ども食堂支援事業（新規） 5,000千円」, 「(1) 訪問看護人材確保事業 【4,347千円/1回】」."""
    return is_budgeted_program_text(line.text)


@functools.lru_cache(maxsize=4096)
def is_budgeted_program_text(text: str) -> bool:
    m = NAME_AMOUNT.match(split_prior_tail(take_out_colons(text))[0])
    if m and (m["number"] or m["sub"] or LISTED_PROGRAM.match(text)) and not BUDGET_LABEL.match(text):
        return True
    numbered = NUMBERED.match(text)
    if numbered and (parse_annotations(numbered["rest"]).budget is not None or split_inline_label(numbered["rest"])):
        return True
    return bool(LISTED_PROGRAM.match(text)) and (parse_annotations(LISTED_PROGRAM.sub("", text)).budget is not None
                                                 or split_inline_label(text) is not None)


@needs(PROGRAM_START)
def open_marked_programs(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A ``■`` line, 「■在宅療養研修事業」: one block per ``■`` on the line (under an
    achievement head only when it prints a budget; else it just closes the open block). In a
    document that prints no budget, rate, flag or legend anywhere, ``■`` is a bullet."""
    text = line.text
    if not PROGRAM_START.match(text) or line.indented or not state.program_context:
        return False
    if FIELD_LINE.match(PROGRAM_START.sub("", text)):
        return False  # 「■目的」, 「■事業内容」: a field of the program's sheet or slide, no program
    body = PROGRAM_START.sub("", text)
    if BUDGET_TITLE.match(body) or body.endswith(PROGRAM_GROUP_WORDS + REPORT_HEADING_ENDS) or is_account_name(body):
        # 「■令和7年度 当初予算 重点事業」, 「■新年度の主要施策」, 「■歳入の状況」: a title; 「■　国民健康保険特別会計（事業勘定）」:
        # an account
        return take_section_heading(state, line, body)
    budget_printed = has_budget(text)  # (the block's heading, its text after the mark, is read in full later)
    if not budget_printed and (NAME_AMOUNT.match(text) or match_unit_listed(state, text) is not None):
        return False  # 「■地域福祉推進事業 25,000千円」, its amount unbracketed: ``open_amount_line``'s (a bare figure
        # under a unit note, 「■ 不妊治療費助成事業　　120,550」, ``open_unit_listed_program``'s)
    state.note_heading(False)
    if not state.achievements or budget_printed:
        open_programs(state, text, line)
    else:
        state.close_block()
    return True


@needs(NUMBERED)
def open_numbered_program(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A numbered program, 「(1) 訪問看護人材確保事業 【4,347千円/1回】」 (see ``open_numbered``)."""
    numbered = NUMBERED.match(line.text)
    if numbered is not None and (NAME_LABEL.match(line.text) or is_field_text(numbered["rest"])):
        return False  # 「１　事業名　　在宅療養推進事業」, 「（２）内容　対象者：65歳の者」: a sheet's field, numbered
    kind = CLOSING_GLOSS.sub("", numbered["rest"]).strip() if numbered is not None and numbered["top"] else ""
    if numbered is not None and kind and FLAG_GROUP.fullmatch(kind) and (flag := read_title_flag(kind)) is not None:
        # 「１　新規事業」, 「４　継続事業（主なもの）」 over 「（１）…事業」: their kind
        return take_section_heading(state, line, numbered["rest"], flag)
    # an indented line is a program's item, unless no program is open or it follows one of its kind
    sibling = state.current is None or (state.current.marker == "number" and numbered is not None and bool(numbered["sub"]))
    if not numbered or (is_set_in(state, line) and not sibling):
        return False
    if numbered["sub"] and match_unit_listed(state, line.text) is not None:
        return False  # 「(1)民生委員活動支援事業 12,345」 under 「（単位：千円）」: ``open_unit_listed_program``'s
    if not open_numbered(state, numbered, line, nxt):
        return False
    state.note_heading(False)
    return True


# The end of a sentence, and the fewest characters of one, told after a listed program's budget on its line
SENTENCE_END, MIN_TOLD = "。", 8


@needs(LISTED_PROGRAM, OTHER_LEAD)
def open_budgeted_bullet(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A program listed under a bullet, with its budget in brackets on its line or the next:
    「◇定住化対策事業［250 万円］」, 「◆雪寒機械増強事業［5,007 万円］」, 「① 認知症対策事業【8,000千円】」.
    Without a budget a bullet is an item of the program above it."""
    lead = LISTED_PROGRAM.match(line.text) or OTHER_LEAD.match(line.text)
    # an indented bullet is a program's item, unless no program is open (under a heading over the list) or it
    # follows one of its kind, as far in and with the same mark
    if lead is None or (is_set_in(state, line) and state.current is not None and not is_sibling_bullet(state.current, line)):
        return False
    body = line.text[lead.end():]
    ann = parse_annotations(body)
    # its budget on the line below, alone or after a label: 「【8,000千円】」, 「予算額：１８，５２０千円」
    nxt_budget = (split_bracket_prior(state, nxt.text) or (nxt.text,))[0] if nxt is not None else ""
    next_budget = nxt is not None and not state.set_vertically and (
        is_annotation_only(nxt_budget) and parse_annotations(nxt_budget).budget is not None
        or find_budget_label(nxt.text) is not None or NO_BUDGET_LABEL.match(nxt.text) is not None)
    if not ann.name or not (ann.budget is not None or next_budget or split_inline_label(body, named=False) is not None):
        return False
    bracket = BUDGET_BRACKET.search(body) if ann.budget is not None else None
    told = body[bracket.end():].strip() if bracket is not None else ""
    if not told.endswith(SENTENCE_END) or len(told) < MIN_TOLD:
        told = ""
    state.note_heading(False)
    state.open_block(body[:bracket.end()] if told and bracket is not None else body, line, "bullet")
    if told and state.current is not None:  # 「▼…耐震工事【700万円】ため池の堤体が…委託費。」: what it does, after its budget
        state.current.description.append(replace(line, text=told))
    return True


def open_flagged_sibling(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A program listed as the one open is, after the same mark as far in, that prints a flag and no budget of its
    own, 「◆こども家庭センター運営事業【新規】　（児童福祉総務費に含む）」 under 「◆孤独・孤立対策推進事業【新規】
    4,200千円」: a program of no budget (its note a remark), never an item of the program above."""
    current = state.current
    if current is None or current.marker not in ("amount", "bullet") or not is_sibling_line(current, line):
        return False
    ann = parse_annotations(line.text.lstrip()[1:])
    if ann.budget is not None or ann.unread_budgets or not ann.flags or not ann.name \
            or NAME_END.search(ann.name) is None or MONEY_ANYWHERE.search(line.text):
        return False
    state.note_heading(False)
    state.open_block(line.text.lstrip()[1:], line, current.marker)
    return True


def is_sibling_line(block: OpenBlock, line: Line) -> bool:
    """Tell whether a line follows the one that opened ``block`` as its sibling: as far in, after the same mark of a
    listed program (``LISTED_PROGRAM_MARKS``, ``PROGRAM_MARKS``)."""
    return line.raw.lstrip(INDENT_MARKS)[:1] in SIBLING_MARKS and is_set_as_opened(block, line)


def is_sibling_bullet(block: OpenBlock, line: Line) -> bool:
    """Tell whether a bullet's line follows the one that opened ``block``: as far in, with the same mark."""
    return block.marker == "bullet" and is_set_as_opened(block, line)


def is_set_as_opened(block: OpenBlock, line: Line) -> bool:
    """Tell whether a line is set as the one that opened ``block``: as far in, with a mark of one list (``is_same_mark``)."""
    body = line.raw.lstrip(INDENT_MARKS)
    opened = block.heading_raw.lstrip(INDENT_MARKS)
    return (body[:1] != "" and len(line.raw) - len(body) == len(block.heading_raw) - len(opened)
            and is_same_mark(body[:1], opened[:1]) and not is_set_in_box(block, line))


def is_same_mark(one: str, other: str) -> bool:
    """Tell whether two lines open with the mark of one list: the same mark, two circled numbers (「①」, 「②」) or two
    katakana letters (「ア」, 「イ」)."""
    return one == other or any(p.match(one) is not None and p.match(other) is not None for p in (CIRCLED_NUMBER, KATAKANA))


def is_set_in(state: SegmentState, line: Line) -> bool:
    """Tell whether a line is set in: indented as typed (a text's), or, a PDF's, set in from the open program's
    line (``is_set_in_box``)."""
    return line.indented or (state.current is not None and is_set_in_box(state.current, line))


def is_set_in_box(block: OpenBlock, line: Line) -> bool:
    """Tell whether a PDF's line starts right of the line that opened ``block``, on its page, by ``SET_IN`` of a
    line's height or more (the lower height: a span of wrapped lines is taller). A line above that line, or below it
    and wholly right of where it ends, stands in another column of the page."""
    a, b = block.span.bbox, line.span.bbox
    if a is None or b is None or line.column is not None or block.span.page != line.span.page:
        return False
    if b[3] <= a[1] or (b[1] >= a[3] and b[0] >= a[2]):
        return False
    return b[0] - a[0] >= SET_IN * min(a[3] - a[1], b[3] - b[1])


# What a listed program does, after its amount and a space, no figure in it (parse form): " 秋常勤労者体育センター改修、…など"
# of "▽スポーツ施設整備費 1億4394万4000円 秋常勤労者体育センター改修、粟生運動公園テニス場改修など"; or after a dash, no
# amount in it: "―タブレット40台、キャビネット2台" of "▽知内高1人1台端末導入=324万円―タブレット40台、キャビネット2台"
TOLD_AFTER_AMOUNT: Final = re.compile(rf"(?<={YEN})(?:\s+(?P<told>[^\s0-9{YEN}][^0-9{YEN}]{{3,}})"
                               rf"|\s*[―—](?P<noted>[^\s{YEN}][^{YEN}]{{1,}}))$")


@needs(holds=YEN)
def open_amount_line(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A program line that ends in its budget, unbracketed, after a mark, a number or nothing:
    「1. 在宅療養推進事業 1,470千円」. The name must read as a program's (a heading, or a name
    ending in 事業); a cap, an estimate, a total or an account (「補助上限額 50万円」,
    「一般会計 2億2,468万9千円」) is never a budget, and a budget label (「予算額 8,829千円」)
    belongs to the heading above it."""
    if state.amount_line == line.span.line_start:
        return False  # 「…ケアの実施　　745万円」 under 「★産後ケア事業」: the amount of the name above (``open_name_over_amount``)
    text, tail = split_prior_tail(take_out_colons(line.text))
    part = (PART_TAIL.search(text) or NOTE_TAIL.search(text) or PER_UNIT_TAIL.search(text)) if text.endswith(")") else None
    if part is not None:  # 「…事業 12,000千円（うち新規分 2,000千円）」: a part of the budget, kept in its description
        text = text[:part.start()]
    m = NAME_AMOUNT.match(text)
    told = TOLD_AFTER_AMOUNT.search(text) if m is None and LISTED_PROGRAM.match(text) else None
    if told is not None:  # 「▽スポーツ施設整備費 1億4394万4000円 秋常勤労者体育センター改修など」: what it does, after it
        m = NAME_AMOUNT.match(text[:told.start()])
    # an indented line is a program's item, unless no program is open or it follows one of its kind
    sibling = state.current is None or state.current.marker == "amount"
    if not m or (is_set_in(state, line) and not sibling) or BUDGET_LABEL.match(line.text) or YEAR_AMOUNT_LINE.match(line.text.strip()):
        return False  # (a year's figure, 「令和８年度　3,600千円（令和７年度　3,000千円）」, is the heading's above)
    if split_inline_label(text) is not None:  # 「子育て支援事業 予算額 4,500千円」: a name over its label
        state.note_heading(False)
        state.open_block(text[m.start("name"):], line, "amount", numbering=read_list_number(m),
                         subsection=state.group if m["sub"] else None)
        return True
    name = m["name"].strip()
    money = m["paren"] or m["money"]
    beside = AMOUNT_TAIL.search(name) if m["paren"] else None
    if beside is not None:  # 「…事業 123億円（120億円）」: this year's, then another figure in brackets
        name, money = name[:beside.start()].strip(), beside["money"]
    count = COUNT_TAIL.search(name)
    if count is not None and not NAME_END.search(name[:count.start()].rstrip()):
        count = None
    if count is not None:
        name = name[:count.start()].rstrip()  # 「放課後児童クラブ運営事業 20クラブ 1億2,000万円」: its scale, kept in its description
    year = YEAR_TAIL.search(name)
    if year is not None:  # 「…事業 R7 1,000千円」: that year's amount, the budget only in that year's document
        if parse_era_year(year["year"]) != state.doc_context.fiscal_year:
            return False
        name = name[:year.start()].strip()
    core = BARE_NOTE_END.sub("", FLAGS_TAIL.sub("", name))  # 「認知症対策事業【新】」, 「…繰出金※」
    if NAME_FIGURE.search(name):
        return False  # 「(13) 寄付金 610 万円 0.3% 300 万円 … 16 億 2,554 万円」: cells of a table, which figure is whose untold
    if any(is_cap_header(text) for text in state.recent[-CAP_HEADER_REACH:]):
        return False  # 「区切り無し 3,000万円」 under 「従業員規模 補助上限額 補助率」: a cap, in a table's column of caps
    checked = drop_account_bracket(name)
    if m["remark"] and (is_no_budget_name(m["remark_text"]) or SUM_SIGN.search(m["remark_text"])
                        or not NAME_END.search(FLAGS_TAIL.sub("", checked))):
        return False  # 「…整備事業 9,000千円（総事業費）」, 「（債務負担行為）」: the bracket says whose figure it is, no budget;
        # 「トータルコスト 8,280千円（予算額＋人件費）」: a sum of figures, no program's
    if is_no_budget_name(checked) or is_no_budget_name(CLOSING_BRACKET.sub("", checked)) or FIELD_LINE.match(core) \
            or not (NAME_END.search(core) or NAME_END.search(CLOSING_GLOSS.sub("", core)) or is_heading_like(core)
                    or is_flagged_heading(core)):
        return False  # (a sheet's other field is no name: 「担当課　予算額　42,300千円」)
    if is_set_in(state, line) and text.lstrip()[:1] in BULLET_MARKS + MD_BULLET_MARK and is_cost_of_program(state, core, line):
        return False  # 「　　・施設運営費補助　40,000千円」 under 「（２）病児保育事業　45,600千円」: a part of its cost
    if m["number"] and text[m.end("number"):m.end("number") + 1].isspace() and not is_spaced_number_name(name):
        return False  # 「5 億 281 万円 10.4%」: a figure spaced out, not a numbered program
    amount = read_amount(money)
    flags = m["flags"].strip()  # its flags and its rate: 「（補助率1/2）」, read with the heading
    flag_text = RATE_BRACKET.sub("", RATE_PAREN.sub("", flags)).strip()
    # an amount marked with its year (「⑦3億円」) is the budget in that year's document only
    if amount is None or amount.fiscal_year not in (None, state.doc_context.fiscal_year) \
            or (flag_text and not parse_flags(flag_text)):
        return False
    prior = read_amount(m["paren"]) if beside is not None and amount.fiscal_year is not None else None
    if prior is not None and prior.fiscal_year != amount.fiscal_year - 1:  # type: ignore[operator]
        prior = None  # 「⑦3億円（⑥4億円）」: the year before's, marked so; anything else is not read
    if beside is not None and amount.fiscal_year is None and state.bracket_year is not None:
        prior = read_amount(m["paren"])  # 「…事業 12,345千円（12,000千円）」 under 「※（　）内は前年度予算額」
        if prior is not None and prior.fiscal_year is None:
            prior = replace(prior, fiscal_year=state.bracket_year)
        else:
            prior = None
    if beside is not None and prior is None:
        state.warnings.append(
            f"line {line.span.line_start} ({name[:40]}): ({m['paren']}) after the budget {money} is not read "
            "(no label says whose figure it is): no prior amount taken"
        )
    group = state.group if m["sub"] else None  # 「(1) …」 under 「1 子育て支援の充実」
    printed = to_display_form((m["about"] or "") + amount.text + (m["about_after"] or ""))
    open_amount_block(state, f"{name} {flags} {(m['shares'] or '').strip()} {(m['office'] or '').strip()}".strip(), line,
                      Budget(amount.yen, amount.unit, printed,
                             ABOUT if m["about"] else m["about_after"] or to_display_form(m["upper"] or "") or None),
                      read_list_number(m), group)
    if count is not None and state.current is not None:
        state.current.description.append(replace(line, text=count["count"]))
    if part is not None and state.current is not None:
        state.current.description.append(replace(line, text=part["part"]))
    if told is not None and state.current is not None:
        state.current.description.append(replace(line, text=told["told"] or told["noted"]))
    if m["remark"] and state.current is not None:
        state.current.description.append(replace(line, text=m["remark"].strip()))
    if prior is not None:
        assert state.current is not None
        state.current.prior = Budget(prior.yen, prior.unit, to_display_form(prior.text))
        state.current.prior_fiscal_year = prior.fiscal_year
    elif tail is not None:
        set_prior(state, tail)
    elif (change := read_change_tail(line.text)) is not None:
        assert state.current is not None
        state.current.change = change
    return True


def drop_account_bracket(name: str) -> str:
    """A program's name less the account it is paid from, in brackets after it (「県立中央病院PET整備事業（病院特別会計）」:
    the account is a remark, ``fields.ACCOUNT_REMARK``), for telling whether the figure after it is a budget; any other
    name as it is (「国民健康保険特別会計」 alone names the account, whose figure is no program's)."""
    bracket = ACCOUNT_BRACKET.search(name)
    if bracket is None or not NAME_END.search(name[:bracket.start()]):
        return name
    return name[:bracket.start()]


def is_flagged_heading(name: str) -> bool:
    """Tell whether a name not named a program's, with a gloss in brackets after it, is one all the same: a flag stands
    before it, which only a program is given (「新 重度心身障害者医療費助成（精神障害者保健福祉手帳1級への拡大）」)."""
    lead = FLAG_LEAD_WORD.match(name)
    return lead is not None and is_heading_like(CLOSING_GLOSS.sub("", name[lead.end():]).strip())


def is_cost_of_program(state: SegmentState, name: str, line: Line) -> bool:
    """Tell whether an indented bullet's amount line is a part of the open program's cost, not a program: its name is
    none of a program's (「施設運営費補助」, 「送迎支援」), and the line it is set in under, less far in, is a
    program's with its amount (「（２）病児保育事業　45,600千円」). Under a group's total (「(1) 介護人材の確保・定着支援
    17,345 千円」) the programs set in are programs (``fold_group_totals``)."""
    current = state.current
    return (current is not None and current.marker == "amount"
            and (not INDENT.match(current.heading_raw) or measure_indent(current.heading_raw) < measure_indent(line.raw))
            and not NAME_END.search(name) and bool(NAME_END.search(FLAGS_TAIL.sub("", current.heading))))


def measure_indent(raw: str) -> int:
    """Return how far a typed line is set in, in half-width columns (an ideographic space counts two)."""
    body = raw.lstrip(INDENT_MARKS)
    return sum(2 if ch == "\u3000" else 1 for ch in raw[:len(raw) - len(body)])


def is_spaced_number_name(name: str) -> bool:
    """Tell whether a name after a number and a space reads as a program's, not as the rest of a
    figure spaced out: no digit in it, and no unit or mark of a figure first (「万円 0.1%」 is none)."""
    return not re.search(r"[0-9%]", name) and not AMOUNT_PIECE_START.match(name)


def read_list_number(m: re.Match[str]) -> str | None:
    """Return the number a list line opens with (see ``LIST_LEAD``): ``2``, ``(1)``, or None."""
    return m["number"] or (f"({m['sub']})" if m["sub"] else None)


def is_cap_header(text: str) -> bool:
    """Tell whether a line is a header row naming a column of caps, standards or estimates and none of budgets: words
    alone, no figure, one of them such a column's (「従業員規模 補助上限額 補助率」); the amounts on the lines under it
    are that column's, no program's budget."""
    if "予算" in text or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    return 2 <= len(words) <= MAX_HEADER_WORDS and any(OTHER_FIGURE_WORD.search(word) for word in words) \
        and not any(word in BASIS_WORD_SET for word in words)  # (「事業名 事業費 総事業費」: a budget's column too)


def is_no_budget_name(name: str) -> bool:
    """Tell whether a name makes the figure after it no budget: a note's (「※…」), a cap, a total, a prior (``NOT_A_BUDGET``),
    an account or a kind of spending or revenue (``ACCOUNT_NAMES``: 「民生費」, 「扶助費」), or a stage of the
    year's budget (「当初予算」, 「4月専決」, 「6月補正」 of a table of how the budget grew), or a part of the figure
    above (「うち一般財源」, 「（うち国庫負担金）」), or a name whose last word is an account's or a kind of funding's
    (「財源内訳 一般財源」: the figure is that funding's), or a word naming an amount (「補正後額」), or a change from one
    state to another (「有期 → 正規」). A transfer to an
    account, 「介護保険事業特別会計繰出金」 (「国民健康保険事業費（特別会計繰出金）」), is this account's spending: the account it names makes it none."""
    if name.lstrip().startswith(NOTE_MARK):
        return True  # 「※うち国庫補助」, 「※令和7年度 9月補正」: a note's figure
    if TRANSFER_OUT in name and name != TRANSFER_OUT:
        name = name.replace(ACCOUNT_WORD, "")
    if PART_OF_ABOVE.match(name):
        return True  # 「うち一般財源」: a part of the figure above
    if name.rstrip().endswith(AMOUNT_WORD_END):
        return True  # 「後額」 of 「補正」 / 「後額 35,000千円」: an amount's label, no program's name
    if CHANGE_ARROW.search(name):
        return True  # 「有期 → 正規」: from one state to another, no program's name
    bare = strip_number(CLOSING_GLOSS.sub("", name))
    if bare in RESIDUAL_NAMES or len(parts := ACCOUNTS_JOINED.split(bare)) > 1 and all(p in ACCOUNT_NAME_SET for p in parts):
        return True  # 「その他」, 「商工費・労働費（経済の活性化など）」: the rest of a breakdown, accounts together
    words = name.split()
    return bool(NOT_BUDGET_WORD.search(name) or TOTAL_NAME.search(name) or BUDGET_STAGE.match(name)
                or COST_PART_END.search(name)) or strip_number(name) in ACCOUNT_NAME_SET or is_revenue_item(strip_number(name)) \
        or (len(words) > 1 and (words[-1] in ACCOUNT_NAME_SET or BUDGET_STAGE.match(words[-1]) is not None))


def is_account_name(name: str) -> bool:
    """Tell whether a name is an account's, a gloss after it or not: 「一般会計」, 「国民健康保険特別会計（事業勘定）」."""
    bare = strip_number(CLOSING_GLOSS.sub("", name.strip()))
    return bare in ACCOUNT_NAME_SET or bare.endswith(ACCOUNT_WORD)


# A gloss in brackets closing a name: "（経済の活性化など）" of "商工費・労働費（経済の活性化など）" (either form)
CLOSING_GLOSS: Final = re.compile(r"[(（][^()（）]*[)）]$")
MIN_TOLD_GLOSS: Final = 16  # characters: a gloss as long tells what a program does, no part of its name
# What joins accounts named together: "・" of "衛生費・環境費", "、"
ACCOUNTS_JOINED: Final = re.compile(r"[・、]")


def strip_number(name: str) -> str:
    """Return a name without the number or mark it opens with and its spaces: 「3款 民生費」, 「(3) 民生費」 → 「民生費」."""
    return ACCOUNT_NUMBER.sub("", to_parse_form(name)).replace(" ", "")  # (a table's cell is in its display form)


def open_amount_block(state: SegmentState, heading: str, line: Line, budget: Budget, numbering: str | None = None,
                      subsection: str | None = None) -> None:
    """Open a program block headed by ``heading`` with the budget its line prints."""
    state.note_heading(False)
    state.open_block(heading, line, "amount", numbering=numbering, subsection=subsection)
    assert state.current is not None
    state.current.budget = budget


@needs(holds=ACCOUNT_TOP_LEVEL)
def read_account_path(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """An account path printed over programs, its levels labelled, 「(款)民生費 (項)社会福祉費 (目)社会福祉総務費」:
    the section of the programs under it (its last level), with the whole path."""
    text = line.text
    if ACCOUNT_TOP_LEVEL not in text:
        return False
    levels, end = [], 0
    for m in ACCOUNT_PATH_LEVEL.finditer(text):
        if m.start() != end:
            return False
        levels.append((m["level"], m["name"]))
        end = m.end()
    words = [level for level, _ in levels]
    if end != len(text) or len(levels) < 2 or words != sorted(words, key="款項目".index) or len(set(words)) < len(words):
        return False
    state.close_block()
    state.note_heading(False)
    names = tuple(to_display_form(name) for _, name in levels)
    state.section, state.section_line, state.subsection = names[-1], line.span.line_start, None
    state.account_path = (names, line.span.line_start)
    return True


@needs(BUDGET_SIDE, longest=MAX_SIDE_HEADING)
def read_budget_side(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A heading naming one side of the budget, 「歳入」 or 「【歳出】」 alone on its line: the items
    under 歳入 are revenue, no programs, until 歳出 is named."""
    m = BUDGET_SIDE.match(line.text) if len(line.text) <= MAX_SIDE_HEADING else None
    if m is None:
        return False
    state.close_block()
    state.side = m["side"]
    state.note_heading(False)
    return True


@needs(ACCOUNT_CODE_ITEM)
def open_account_item(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """An item after its account code (款-項-目) with its amount, 「2-7-1 傷病手当金の増 500万円」, as
    a supplement's summary lists them: a program, unless it is revenue (the line is taken, no program
    opened): it stands under 歳入, or it names a revenue account (「保険給付費等交付金の増」). Its name is
    any but a total's or an account's."""
    m = ACCOUNT_CODE_ITEM.match(line.text) if line.text[:1].isdigit() else None
    if m is None:
        return False
    item = NAME_AMOUNT.match(m["rest"].replace("\t", " "))  # 「1-1 …整備費補助 ……… 40,000千円」
    if item is None or item["number"] is not None or item["sub"] is not None or item["paren"]:
        return False
    name = item["name"].strip()
    amount = read_amount(item["money"])
    if amount is None or amount.fiscal_year is not None or is_no_budget_name(name):
        return False
    if state.side == REVENUE_SIDE or is_revenue_item(name):
        state.close_block()
        state.note_heading(False)
        return True
    open_amount_block(state, name, line, Budget(amount.yen, amount.unit, to_display_form(amount.text)))
    return True


def is_revenue_item(name: str) -> bool:
    """Tell whether an item's name is a revenue account's, perhaps grown or shrunk: 「保険給付費等交付金の増」."""
    for suffix in CHANGE_SUFFIXES:
        if name.endswith(suffix):
            name = name[:-len(suffix)]
            break
    return name in REVENUE_NAME_SET


NAME_OVER_AMOUNT_MARKS: Final = BULLET_MARKS + LISTED_PROGRAM_MARKS  # the marks a name not ending as a program's may open with


def open_name_over_amount(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A program's name alone on its line, ending as a program's, over a line that holds only its
    amount, 「介護予防推進事業」 over 「12,345千円」: one program; the amount's line is taken with it."""
    if state.amount_line == line.span.line_start and state.current is not None:
        described = DESCRIBED_AMOUNT.match(line.text)
        if described is not None:  # 「…啓発活動の実施　　4,019万円」: what it does, in its description
            state.current.description.append(replace(line, text=described["text"]))
            state.current.span = state.current.span.merge(line.span)
        else:
            state.current.annotation_lines.append(line)
        state.amount_line = None
        state.note_heading(False)
        return True
    # (an indented line, unless it follows the open program as its sibling: 「　◇　（新）在宅医療・介護連携ＩＣＴ基盤整備事業」)
    if nxt is None or not (NAME_END.search(line.text) or line.text[:1] in NAME_OVER_AMOUNT_MARKS):
        return False  # (most lines are told at once)
    sibling = state.current is not None and is_sibling_line(state.current, line)
    if line.indented and not sibling:
        return False
    lead = LINE_LEAD.match(line.text)  # 「●　障害者グループホーム整備補助事業」, 「1.出産・子育て応援給付金事業」: no part of its name
    name = line.text[lead.end():] if lead else line.text
    # a name not ending as a program's is one under a bullet or a listed program's mark, its amount alone under it:
    # 「・似の島の活性化」 over 「1,699万9千円」, 「◇庁舎建設基金」 over 「2,000万円」
    # (unbracketed, right under it: a bracketed amount after a blank may be a column's set apart from its row, a PDF's)
    alone = AMOUNT_ONLY_LINE.match(nxt.text)
    bulleted = lead is not None and lead.group().strip() in NAME_OVER_AMOUNT_MARKS and alone is not None \
        and alone["money"] is not None and not line.blank_after
    if not (NAME_END.search(line.text) or bulleted) or not is_heading_like(name):
        return False
    m = AMOUNT_ONLY_LINE.match(nxt.text) or (read_described_amount(nxt) if not WIDE_GAP.search(name) else None)
    if m is None or is_no_budget_name(name):  # (a name's line holding two columns' text is no name over a description)
        return False
    amount = read_amount(m["money"] or m["paren"] or m["lent"])
    if amount is None or amount.fiscal_year is not None:
        return False
    open_amount_block(state, name, line, Budget(amount.yen, amount.unit, to_display_form(amount.text)),
                      read_list_number(lead) if lead else None)
    state.amount_line = nxt.span.line_start
    return True


def read_described_amount(line: Line) -> re.Match[str] | None:
    """The match of a line of what a program does ending in its amount set apart (``DESCRIBED_AMOUNT``); None for any
    other, and for a line that is a program's of its own (「…推進事業　　4,019万円」) or no budget's (「補助上限額　　50万円」)."""
    m = DESCRIBED_AMOUNT.match(line.text)
    if m is None or line.indented or NAME_END.search(m["text"]) or is_no_budget_name(m["text"]):
        return None
    return m


def open_unit_listed_program(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A program of a list right under a unit note, ending in a bare amount in that unit:
    「・子ども医療費助成事業 191,174」 under 「（単位：千円）」, or a row of a table without rules or header, its
    description between them (cells parted by tabs). The name must end as a program's
    (「…事業」, 「…費」) and the line carry a bullet or a number, or set its amount apart as in a column
    (「子ども食堂支援事業　　　12,345」); one figure only (two could be this year's and last year's, in an order no
    header tells). A budget book's row copied out whole ends in one, its 説明 column's (``find_listed_tail``)."""
    begun, state.begun_tail = state.begun_tail, None
    tail = find_listed_tail(line.text) if state.list_unit is not None else None
    if tail is not None and match_unit_listed(state, tail) is None:
        name = LISTED_PROGRAM.sub("", tail).strip()
        if not NAME_END.search(name) and not NAME_FIGURE.search(name) and is_heading_like(name):
            state.begun_tail = (name, line)  # 「…　19 扶助費　2,846,120　○障害者グループホーム整備費」
        return False
    if tail is not None:  # 「2 高齢福祉費　1,021,150　…　1 報酬　4,820　○高齢者福祉施設整備事業　352,300」
        return open_listed_tail(state, line, tail)
    if begun is not None and (m := match_unit_listed(state, line.text)) is not None \
            and m["lead"] is None and len(m["name"].strip()) <= MAX_TAIL_REST:
        return open_listed_tail(state, line, line.text, begun)  # 「助成事業　45,000」 under 「…○障害者グループホーム整備費」
    cells = line.text.split("\t")
    # 「1 認知症初期集中支援推進事業\t専門職チームによる訪問支援\t12,400」: the name, its description, its amount (never
    # 「在宅医療推進事業\t10,000\t12,000」: two figures, whose order no header tells)
    # (nor 「地域生活支援事業\t86,412 88,015\t△1,603」: figures a space apart in a middle cell)
    described = len(cells) >= 3 and all(cell.strip() for cell in cells) \
        and not any(AMOUNT_CELL.match(cell.strip()) or NAME_FIGURE.search(cell.strip()) for cell in cells[1:-1])
    m = match_unit_listed(state, f"{cells[0]}\t{cells[-1]}" if described else line.text)
    # an indented line is a program's item, unless no program is open or it follows one of its kind
    sibling = state.current is None or state.current.marker == "amount"
    if m is None or (line.indented and not sibling) or state.list_unit is None:
        return False
    if m["lead"] is None and nxt is not None and FIGURE_FIRST.match(nxt.text.lstrip()):
        return False  # 「保育士等処遇改善臨時特例事業　　214,600」 over 「98,300　　312,900　拡充」: a row's figures go on
    if nxt is not None and FIGURE_REST_LINE.match(nxt.text.strip()):
        return False  # 「・周産期医療体制確保緊急支援事業　　1」 over 「20」: its figure broken at the line's end
    amount = read_amount(m["amount"] + state.list_unit)
    if amount is None:
        return False
    state.unit_listed = True
    group = state.group if m["sub"] else None  # 「(1) …」 under 「1 地域福祉の推進」
    name, told = split_told_gloss(m["name"].strip())
    open_amount_block(state, name, line, Budget(amount.yen, amount.unit, to_display_form(m["amount"])),
                      read_list_number(m), group)
    if told and state.current is not None:  # 「・道路整備事業(…橋梁下部工の整備費) 222,458」: what it does, its description
        state.current.description.append(replace(line, text=told))
    if m["prior"]:
        set_listed_prior(state, m["prior"])  # 「（前年度 188）」
    if described and state.current is not None:
        text = " ".join(cell.strip() for cell in cells[1:-1])
        state.current.description.append(Line(raw=text, text=text, span=line.span))
    return True


# A listed program ending a row of a ledger, after a run of spaces: "  ○地域包括支援センター運営事業    486,250" of
# "11 役務費        9,870   ○地域包括支援センター運営事業    486,250" (its 説明 column; parse form)
# (or a single space after the row's last figure, as a PDF's text sets it: "1 報酬 3,200 ○子育て支援センター運営事業 64,800")
LISTED_TAIL: Final = re.compile(rf"(?:\s{{2,}}|(?<=[0-9])\s)(?=[{escape_class(LISTED_PROGRAM_MARKS)}][^\s{escape_class(LISTED_PROGRAM_MARKS)}])")
MAX_TAIL_REST: Final = 8  # characters: the rest of a ledger's listed name wrapped onto the next row, 「助成事業」


def find_listed_tail(text: str) -> str | None:
    """Return the listed program ending a row of a budget book's table, in its 説明 column after the row's other cells
    (figures among them): 「○高齢者福祉施設整備事業　352,300」 of 「2 高齢福祉費　1,021,150　968,420　…　1 報酬　4,820
    ○高齢者福祉施設整備事業　352,300」; None for a line of no such end."""
    tails = list(LISTED_TAIL.finditer(text))
    if not tails or not NAME_FIGURE.search(text[:tails[-1].start()]):
        return None
    return text[tails[-1].end():]


def open_listed_tail(state: SegmentState, line: Line, tail: str, begun: tuple[str, Line] | None = None) -> bool:
    """Open the program a ledger's row ends in (``find_listed_tail``), in the unit of the note over the book; ``begun``,
    its name's beginning and the row above it ends."""
    m = match_unit_listed(state, tail)
    amount = read_amount(m["amount"] + state.list_unit) if m is not None and state.list_unit is not None else None
    if m is None or amount is None:
        return False
    state.unit_listed = True
    name = (begun[0] if begun else "") + m["name"].strip()
    open_amount_block(state, name, line, Budget(amount.yen, amount.unit, to_display_form(m["amount"])))
    if begun is not None and state.current is not None:
        state.current.heading_raw = f"{begun[1].raw}\n{state.current.heading_raw}"
        state.current.span = begun[1].span.merge(state.current.span)
    return True


@needs(holds=":")  # 「・緊急通報装置設置事業　　R7: 1,452,000　　R6: 1,380,000」
def open_year_pair_program(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A listed program with two years' bare amounts after it, 「・緊急通報装置設置事業　R7: 1,452,000　R6: 1,380,000」,
    right under a unit note (「単位：円」): the document's year's is its budget, the year before's its prior (「―」:
    none); a note after them is its description."""
    m = YEAR_PAIR_LINE.match(line.text)
    fiscal_year = state.doc_context.fiscal_year
    if m is None or state.list_unit is None or fiscal_year is None or (line.indented and state.current is not None
                                                                          and not is_sibling_line(state.current, line)):
        return False
    name = FLAGS_TAIL.sub("", m["name"].strip())
    if NAME_END.search(parse_annotations(name).name or "") is None or is_no_budget_name(name):
        return False
    years = {read_label_year(m["y1"], fiscal_year): m["a1"], read_label_year(m["y2"], fiscal_year): m["a2"]}
    this, before = years.get(fiscal_year), years.get(fiscal_year - 1)
    amount = read_amount(this + state.list_unit) if this and this not in NONE_CELLS else None
    if this is None or amount is None or before is None:
        return False
    open_amount_block(state, m["name"].strip(), line, Budget(amount.yen, amount.unit, to_display_form(this)),
                      read_list_number(m))
    assert state.current is not None
    if before not in NONE_CELLS:
        set_listed_prior(state, before)
    if m["note"]:
        state.current.description.append(replace(line, text=m["note"].strip()))
    return True


def set_listed_prior(state: SegmentState, figure: str) -> None:
    """Give the open block the year before's amount a list under a unit note prints bare (「（前年度 188）」,
    「R6: 1,380,000」), read in the list's unit, of the year before the block's."""
    current = state.current
    prior = read_amount(figure + state.list_unit) if current is not None and state.list_unit is not None else None
    if current is None or prior is None:
        return
    year = current.context.fiscal_year if current.context is not None else None
    current.prior = Budget(prior.yen, prior.unit, to_display_form(figure))
    current.prior_fiscal_year = year - 1 if year is not None else None


def match_unit_listed(state: SegmentState, text: str) -> re.Match[str] | None:
    """Return the match of a list line ending in a bare amount, read in the unit of the note above
    (``state.list_unit``), whose name ends as a program's and is no cap or total; else None."""
    if state.list_unit is None:
        return None
    m = BARE_AMOUNT_LINE.match(text)
    if m is None:
        return None
    name = split_told_gloss(FLAGS_TAIL.sub("", m["name"].strip()))[0]  # 「生活困窮者自立支援事業(拡充)」
    if not (NAME_END.search(name) or NAME_END.search(CLOSING_GLOSS.sub("", name)) or (m["sub"] and is_listed_spending(name))) \
            or is_no_budget_name(name) or NAME_FIGURE.search(name):
        return None  # (「保育所整備事業(病児保育)」: a short gloss, part of the name)
    if m["lead"] is None and (m["label"] or not WIDE_GAP.fullmatch(m["gap"]) or not GROUPED_FIGURE.fullmatch(m["amount"])):
        return None  # unmarked, a name and a figure a space apart, or a figure of four digits not grouped: no column
    if m["number"] and m.string[m.end("number"):m.end("number") + 1].isspace() and not is_spaced_number_name(name):
        return None
    return m


def split_told_gloss(name: str) -> tuple[str, str]:
    """Split a long gloss in brackets that closes a name, telling what the program does, off it: (「道路整備事業」,
    「R2年度分…橋梁下部工の整備費」) of 「道路整備事業(R2年度分…橋梁下部工の整備費)」; a short one, 「(病児保育)」, is part of the name
    (the name as it is, and "")."""
    gloss = CLOSING_GLOSS.search(name)
    if gloss is None or len(gloss.group()) - 2 < MIN_TOLD_GLOSS or not gloss.start():
        return name, ""
    return name[:gloss.start()].rstrip(), gloss.group()[1:-1].strip()


def is_listed_spending(name: str) -> bool:
    """Tell whether a name of a list numbered 「(1)」, 「(2)」 under a unit note is a line of spending, a program's though
    not named 「…事業」: 「保育所運営費」, 「児童手当」, 「介護保険事業特別会計繰出金」 (``LISTED_SPENDING_ENDS``); never a 節's name
    alone (「補助金」) or a cost's part (「委託料」, 「消耗品費」)."""
    return LISTED_SPENDING_END.search(name) is not None and name not in SECTION_NAME_SET \
        and COST_PART_END.search(name) is None and is_heading_like(name)


def read_budget_label(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The budget label under a detail-page heading, 「予算額：119,141千円」: an annotation
    line of that block (its first label only)."""
    current = state.current
    label = find_budget_label(line.text)
    if current is None or label is None:
        return False
    if current.budget_line is not None and not replaces_label(label, find_budget_label(current.budget_line.text) or "",
                                                             (current.context or state.doc_context).fiscal_year):
        return False
    if current.marker in (PROGRAM_MARK, "bullet"):  # 「■ B支援事業」, 「①　ヤングケアラー支援体制強化事業＜新規＞」 over
        ann = parse_annotations(current.heading)     # 「予算額 2,000千円」: unless its line prints its budget
        if ann.budget is not None or ann.unread_budgets or current.budget is not None:
            return False
    elif current.marker != "heading" and (current.marker != "number" or current.budget is not None):
        return False
    current.budget_line = line
    current.annotation_lines.append(line)
    state.note_heading(False)
    return True


def label_year(label: re.Match[str]) -> str | None:
    """Return the year a budget label (``BUDGET_LABEL``) prints, before its word (「R8予算額」) or after it (「予算額　令和7年度」)."""
    return label["year"] or label["year_after"]


def replaces_label(label: str, first: str, fiscal_year: int | None = None) -> bool:
    """Tell whether a budget label under a program replaces the first one: the sum a supplement adds
    (「補正額 2,000千円」) under the initial budget (「当初予算額 15,384千円」), or the label of the document's year
    (``fiscal_year``) under the year before's (「R8予算額 12,000千円」 under 「R7予算額 10,000千円」: that one is its prior)."""
    new, old = BUDGET_LABEL.match(label), BUDGET_LABEL.match(first)
    if not (new and old):
        return False
    if new["basis"] in SUPPLEMENT_BASIS_WORDS and old["basis"] in INITIAL_BASIS_WORDS:
        return True
    new_year, old_year = label_year(new), label_year(old)
    return fiscal_year is not None and new_year is not None and old_year is not None \
        and read_label_year(new_year, fiscal_year) == fiscal_year \
        and read_label_year(old_year, fiscal_year) == fiscal_year - 1


def read_field_flags(value: str) -> tuple[str, ...]:
    """Return the flags a sheet's field of the program's kind gives: its value, a flag's word (「拡充」), or the words
    of its ticked boxes (「□新規　■拡充　□継続」: 拡充)."""
    if any(box in value for box in TICKED_BOXES + EMPTY_BOXES):
        words = [m["word"] for m in TICKED_CHOICE.finditer(value)]
    else:
        words = [value.strip()]
    return tuple(flag for word in words if (flag := canonicalize_flag(word)) is not None)


@needs(KIND_FIELD)
def read_kind_field(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A sheet's field of the program's kind, its label unbracketed, 「事業区分　□新規　■拡充　□継続」, under its name
    field (「事業名　認知症高齢者等見守り支援事業」): the program's flag, the word its value prints or ticks (a box
    ticked, 「■拡充」); a part of its description all the same."""
    current = state.current
    m = KIND_FIELD.match(line.text)
    if current is None or m is None or NAME_LABEL.match(to_parse_form(current.heading_raw).lstrip()) is None:
        return False
    state.note_heading(False)
    current.flags += tuple(f for f in read_field_flags(m["value"]) if f not in current.flags)
    current.description.append(line)
    return True


@needs(BRACKET_FIELD)
def read_sheet_field(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A field of a sheet whose labels stand in brackets, 「【会計・款項目】　一般会計 4款1項2目 予防費」, 「【所管】　健康増進課」,
    under its name field (「【事業名】　不妊治療費助成事業」): the sheet's program's, its prior (「【前年度予算額】　12,600千円」)
    or its change (「【増減】　3,240千円」) read as those labels are, any other its description; never a program or a
    subsection of its own. Its budget label, 「【予算額】　15,840千円」, is ``read_budget_label``'s."""
    current = state.current
    m = BRACKET_FIELD.match(line.text)
    if current is None or m is None or NAME_LABEL.match(to_parse_form(current.heading_raw).lstrip()) is None \
            or split_flags(m["label"]) or find_budget_label(line.text) is not None or NAME_LABEL.match(line.text):
        return False
    plain = replace(line, text=f"{m['label']} {m['value']}".strip())
    state.note_heading(False)
    flags = read_field_flags(m["value"])
    if flags:  # 「【事業区分】　拡充」: the program's flag
        current.flags += tuple(f for f in flags if f not in current.flags)
        return True
    if read_rate_line(plain.text) is not None:  # 「【補助率】　県1/2」: its rate, as its label's line
        current.annotation_lines.append(plain)
        return True
    prior = PRIOR_LABEL.match(plain.text)
    if prior is not None and current.prior is None and set_prior(state, prior):
        current.annotation_lines.append(plain)
        return True
    change = read_change(CHANGE_BESIDE.search(f" {plain.text}"))
    if change is not None and current.change is None:
        current.change = change
        current.annotation_lines.append(plain)
        return True
    current.description.append(plain)
    return True


@needs(PRIOR_NOTE, PRIOR_LABEL)
def read_prior_line(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The previous year's amount on the line under a program with its own, 「（前年度 8,000千円）」
    under 「2.医療的ケア児支援事業（拡充） 12,500千円」, or labelled under its budget label,
    「前年度予算額 207,376千円」: that program's prior amount."""
    current = state.current
    m = PRIOR_NOTE.match(line.text) or PRIOR_LABEL.match(line.text)
    unit = ""
    if m is None and state.list_unit is not None and (m := PRIOR_BARE_NOTE.match(line.text)) is not None:
        unit = state.list_unit  # 「（前年度　２，１０２，３４０）」 in a list under 「（単位：千円）」
    if current is None or m is None or (current.budget is None and current.budget_line is None) or current.prior is not None:
        return False
    if not set_prior(state, m, unit):
        return False
    current.annotation_lines.append(line)
    state.note_heading(False)
    return True


def set_prior(state: SegmentState, note: re.Match[str], unit: str = "") -> bool:
    """Give the open block the previous year's amount of a note (``PRIOR_BODY``), when the note names
    no year or the year before the block's (a bare figure read in ``unit``, the list's); tell whether it did."""
    current = state.current
    assert current is not None
    amount = read_amount(note["prior"] + unit)
    year = current.context.fiscal_year if current.context else None
    before = year - 1 if year is not None else None
    if amount is None or amount.fiscal_year is not None or (note["year"] and read_label_year(note["year"], year) != before):
        return False
    current.prior = Budget(amount.yen, amount.unit, to_display_form(note["prior"] if unit else amount.text))
    current.prior_fiscal_year = before
    return True


@needs(BRACKET_ONLY)
def read_subsection(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A bracketed subsection, 「【区市町村への支援】」 (not a flag, budget or rate): closes the
    open block."""
    text = line.text
    bracket = BRACKET_ONLY.match(text)
    if not bracket or (split_flags(bracket.group("body")) or is_annotation_only(text)) and not is_kind_heading(text):
        return False
    state.close_block()
    state.subsection, state.subsection_line = to_display_form(bracket.group("body")), line.span.line_start
    # 「【新規事業】」: the flag of the programs under it, whatever headings stand between
    state.group_flag = read_title_flag(bracket.group("body")) if FLAG_GROUP.fullmatch(bracket.group("body")) else None
    state.note_heading(True)
    return True


def is_kind_heading(text: str) -> bool:
    """Tell whether a line is a bracketed heading naming the kind of the programs under it, 「【新規事業】」 (``FLAG_GROUP``):
    a flag for the programs under it, through their groups (``read_subsection``), no flag of the program above."""
    bracket = BRACKET_ONLY.match(text)
    return bracket is not None and FLAG_GROUP.fullmatch(bracket["body"]) is not None


def read_annotation_line(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A line of annotations only, right under a heading: 「（医療保健政策区市町村包括補助（選択：政策誘導型)） <補助率：1/2 >」
    gives the open block its funding and rate; so does a line of its rate alone under its description, before any
    item: 「※国庫補助率 2/3」."""
    current = state.current
    if current is None or current.items or is_kind_heading(line.text):
        return False
    if current.description and (read_rate_line(line.text) is None or parse_annotations(current.heading).rates
                                or any(parse_annotations(x.text).rates for x in current.annotation_lines)):
        return False
    # 「【18,745千円】（前年度　17,902千円）」: its budget, then the year before's; 「【235,488千円】（210,302千円）」 under
    # a legend saying whose the figures in brackets are
    rest, prior = split_prior_tail(line.text)
    if prior is None or current.prior is not None or parse_annotations(rest).budget is None:
        rest, prior = line.text, None
    bracketed = split_bracket_prior(state, rest) if prior is None and current.prior is None else None
    if bracketed is not None:
        rest = bracketed[0]
    if not is_annotation_only(rest):
        return False
    if state.set_vertically and parse_annotations(rest).budget is not None:
        return False  # 「﹇３４８万円﹈」 alone: in a text set vertically, whose amount it is goes untold
    current.annotation_lines.append(replace(line, text=rest) if rest != line.text else line)
    if prior is not None:
        set_prior(state, prior)
    elif bracketed is not None and bracketed[1] is not None:
        current.prior, current.prior_fiscal_year = bracketed[1], state.bracket_year
    state.note_heading(False)
    return True


def split_bracket_prior(state: SegmentState, text: str) -> tuple[str, Budget | None] | None:
    """Return a line of a budget without the amount in round brackets after it, and that amount (None for a dash,
    「（　－　）」: none), where a legend says whose those are (「（　）内は令和6年度当初予算額」: ``state.bracket_year``):
    「【235,488千円】（210,302千円）」; else None."""
    m = BRACKET_AMOUNT_TAIL.search(text) if state.bracket_year is not None and text.endswith(")") else None
    if m is None or parse_annotations(text[:m.start()]).budget is None:
        return None
    if m["none"]:
        return text[:m.start()].rstrip(), None
    amount = read_amount(m["prior"])
    if amount is None or amount.fiscal_year is not None:
        return None
    return text[:m.start()].rstrip(), Budget(amount.yen, amount.unit, to_display_form(amount.text))


@needs(RECORD_NUMBER)
def read_record_number(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A record's number alone, 「No.2」 over 「事業名　　母子保健事業【拡充】」, 「事業番号　101-02」: the sheet before it
    ends."""
    if not RECORD_NUMBER.match(line.text.strip()):
        return False
    state.close_block()
    state.note_heading(False)
    return True


@needs(NAME_LABEL)
def open_named_field(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A sheet's name field, 「事業名　介護予防・日常生活支援総合事業」, over its other fields and its
    budget label (「担当課　高齢福祉課」, 「予算額　125,000千円」): a program of its own."""
    label = NAME_LABEL.match(line.text)
    if label is None or line.indented or state.fmt == "markdown":
        return False
    if BASIS_FIRST.match(line.text[label.end():]) or FIELD_LINE.match(line.text[label.end():]):
        return False  # 「事業名　予算額（前年度）　補助率　主な内容」: a table's header, its cells a space apart
    cells = [cell.strip() for cell in SPACED_RULE.split(line.text[label.end():]) if cell.strip()]
    if len(cells) > 1 and SIDE_FIELD.match(cells[1]) is None:
        return False  # 「事業名\t前回\t今回」: a table's header row, not a name and the field beside it (「…\t予算額\t3,600千円」)
    ann = parse_annotations(line.text[label.end():])
    if not ann.name or not is_heading_like(ann.name, max_chars=40):
        return False
    state.note_heading(False)
    open_labelled(state, line)
    return True


def open_labelled_heading(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A detail-page heading over a budget label, 「【新規】 令和7年度 介護現場におけるカスタマーハラスメント対策強化事業」
    over ``予算額：119,141千円``: a block of its own, outside any section."""
    if nxt is None or find_budget_label(nxt.text) is None or not is_labelled_heading(line, state.fmt):
        return False
    if line.blank_after and LISTED_PROGRAM.match(line.text):
        return False  # a last bullet over the white before a budget box: the label is the program's above
    if is_slide_program_open(state) and NAME_END.search(parse_annotations(line.text).name or "") is None:
        return False  # a slide's last line, 「支援者向け研修の実施」, over its budget box: the label is the slide's program's
    state.note_heading(False)
    open_labelled(state, line)
    return True


def is_slide_program_open(state: SegmentState) -> bool:
    """Tell whether the open block is the program a slide's title names (``open_slide_program``), with no budget yet."""
    current = state.current
    return state.slides and current is not None and current.span.line_start == state.slide_start \
        and current.budget is None


def open_slide_program(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A slide's title that names a program, 「ヤングケアラー支援事業【新規】」 (slides only, ``continue_slide``): the
    slide is that program's page, its budget label wherever the slide prints it (a box at its foot)."""
    if not state.slides or state.slide_start != line.span.line_start or line.text[:1] in PROGRAM_MARKS:
        return False
    ann = parse_annotations(line.text)
    if not ann.name or NAME_END.search(ann.name) is None or not is_heading_like(ann.name, max_chars=40):
        return False
    state.note_heading(False)
    state.open_block(line.text, line, "heading")
    return True


@needs(CIRCLE_ITEM, EXAMPLE, TARGET, POINT, MD_BULLET, BULLET, NOTE, FLAG_LEAD)
def read_item(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A sub-item, 「○入退院時連携強化研修」 (also examples, targets, points, bullets and notes,
    see ``classify_item``): added to the open block, if any."""
    item = classify_item(line.text)
    if item is None:
        return False
    state.note_heading(False)
    body = BULLET_LEAD.sub("", line.text)
    if state.current is not None and body != line.text and read_rate_line(body) is not None:
        # 「・補助率　国２/３」 under its program: the program's rate, as its label's line, not an item's
        state.current.annotation_lines.append(replace(line, text=body))
        return True
    if state.current is not None:
        state.add_items(item[0], item[1], line)
    return True


def open_unmarked_program(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A program without a mark, 「在宅人工呼吸器使用者療養支援事業」, known by its next line
    holding only its funding or rate (see ``is_unmarked_program``)."""
    if not is_unmarked_program(line, nxt):
        return False
    state.note_heading(False)
    lead = LINE_LEAD.match(line.text)  # 「▶ 看護職員確保対策事業」 over its rate: the mark is no part of its name
    state.open_block(line.text[lead.end():] if lead else line.text, line, "unmarked")
    return True


# A program named in a sentence with its budget in brackets right after it, its flag between: "事業【新規】(2,340万円)" of
# "…新たに産後ケア事業【新規】(2,340万円)を実施いたします。", "事業(1,180万円)" (parse form; the name is read back from
# 事業 by its words: ``read_prose_name``)
# or after に, before a mark or を: "事業に27億9292万円、" of "主な事業として、統合こども園整備事業に27億9292万円、…";
# or right after 事業, before a mark, や, など or を: "事業1900万円、" of "…、放課後児童クラブ運営事業1900万円、…", or 計上:
# "事業に1千3百94万円計上しました"; or after として: "事業として1,400万円が計上" of "幼稚園における一時預かり事業として1,400万円が計上されました"
PROSE_PROGRAM: Final = re.compile(rf"(?:{join_alternatives(PROGRAM_NAME_ENDS)})(?P<flags>(?:【[^【】()]{{1,8}}】)*)"
                           rf"(?:\((?P<about>{ABOUT})?(?P<money>{MONEY})\)|(?:に|として)?(?P<given>{MONEY})(?=[、。,や]|を|など|が?計上))")
# A sum set for a thing a sentence names, its name read back from に or で (any words, in a sentence that says the sums are
# set in the budget, ``ALLOT_WORDS``): "に3,053万7千円" of "…、除雪機械購入に3,053万7千円、公営住宅建設に1億4,000万円を計上しました。"
ALLOTTED: Final = re.compile(rf"(?P<flags>)(?P<about>)(?P<money>)[にで](?P<given>{MONEY})(?=[、。,]|を)")  # (the groups of ``PROSE_PROGRAM``)
ALLOT_WORDS: Final = ("計上", "盛り込", "盛っ", "予算化", "充て")
# Another program's name right before a name, joined to it: "道路維持補修事業、" of "…道路改良事業や、道路維持補修事業、橋梁補修事業に
# 8億2千8百73万円計上" (the amount after the last is the sum of them all, none's own)
NAMES_BEFORE: Final = re.compile(rf"(?:{join_alternatives(PROGRAM_NAME_ENDS)})(?:や|、|,|及び|並びに|と)\s*$")
# A sentence opening with the kind of the programs it names: "新規事業として、" of "新規事業として、優先避難所Wi―Fi設置事業(108万円)や、…"
PROSE_KIND: Final = re.compile(rf"^(?P<flag>(?:{PART_PREFIX})?(?:{join_alternatives(FLAG_WORDS)}))事業として[、,]")
# The parts of speech of a program's name read back from its last word: "産後"/"ケア"/"事業" (nouns), "費" of "整備費",
# "的" of "重層的" (suffixes), "本" of "本事業" (a prefix); and the mark joining two names, "・", after a noun or a
# suffix ("児" of "病児・病後児保育事業")
NAME_POS: Final = ("名詞", "接頭辞", "接尾辞")
JOINED_POS: Final = ("名詞", "接尾辞")
# A verb's stem, a noun in a name between two nouns: "見守り" (動詞, 連用形) of "高齢者見守り支援事業"
VERB_POS, STEM_FORM = "動詞", "連用形"
ADJECTIVAL_NOUN_POS: Final = "形状詞"  # "急速" of "電気自動車急速充電器システム設置"
# The marks a name may hold between two of its words, a joiner's or a dash's: "・" of "仮庁舎移転・新庁舎建設事業", "―" of
# "優先避難所Wi―Fi設置事業"
NAME_MARKS: Final = "・―-‐"
# The most characters before a name's last word its beginning is looked for in
PROSE_NAME_REACH: Final = 40
# The particle joining a name's owner to it, and the marks a clause opens after: "の" of "防災行政無線施設の更新事業",
# "、" of "消防費が、防災行政無線施設の更新事業に1億3,747万8千円"
NAME_OF, CLAUSE_MARKS = "の", ("、", ",", "。", "は", "が", "に", "を", "も")  # (or a particle: "新規に西箕輪地区の新保育園建設に…")
# Names that point at a program named elsewhere, no name: "本事業", "同事業", "当該事業"
POINTING_NAMES: Final = ("本", "同", "当", "当該", "各", "該", "この", "その", "上記", "次の")


def is_noun_stem(token: tuple[str, ...]) -> bool:
    """Tell whether a word is a verb's stem standing as a noun inside a name, 「見守り」 of 「高齢者見守り支援事業」, or an
    adjectival noun, 「急速」 of 「電気自動車急速充電器システム設置」 (read back from a noun after it, with a noun before it)."""
    return token[1] == VERB_POS and token[3].startswith(STEM_FORM) or token[1] == ADJECTIVAL_NOUN_POS


def read_prose_name(text: str) -> str | None:
    """Return the name of a program a sentence names, read back from its last word (``text`` ends with it) while the
    words are a name's (nouns and their affixes, 「・」 between two): 「認知症初期集中支援事業」 of 「…を図る認知症初期集中支援事業」;
    None for a name that only points at one (「本事業」) or is too short to be one."""
    tokens = tokenize(text[-PROSE_NAME_REACH:])
    start = len(tokens)
    while start > 0 and (tokens[start - 1][1] in NAME_POS
                         or (tokens[start - 1][0] in NAME_MARKS or is_noun_stem(tokens[start - 1]))
                         and start > 1 and tokens[start - 2][1] in JOINED_POS):
        start -= 1
    if start > 1 and tokens[start - 1][0] == NAME_OF and tokens[start - 2][1] in JOINED_POS:
        owner = start - 2  # 「防災行政無線施設の」 of 「、防災行政無線施設の更新事業に…」: whose, a clause's first words
        while owner > 0 and tokens[owner - 1][1] in NAME_POS:
            owner -= 1
        if owner == 0 and len(text) <= PROSE_NAME_REACH or owner > 0 and tokens[owner - 1][0] in CLAUSE_MARKS:
            start = owner
    if start == 0 and len(text) > PROSE_NAME_REACH:
        return None  # (its beginning not found within reach)
    words = [token[0] for token in tokens[start:]]
    name = "".join(words).lstrip(NAME_MARKS)
    core = name.removesuffix(words[-1]) if words else ""
    if len(words) < 2 or len(core) < 2 or core in POINTING_NAMES or core.startswith(POINTING_NAMES[:4]) and len(words) == 2:
        return None
    return name


# A listed program's name, a wave dash, what it does and its amount last (parse form):
# "1.地域公共交通運行事業～路線バスが廃止された交通空白地域に、…走らせる新規事業に1300万円。"
NAME_THEN_TOLD: Final = GuardedPattern(re.compile(
    rf"^(?:{LIST_LEAD})(?P<name>[^～\s][^～]*?)～(?P<told>[^～]*?)(?P<to>に)?(?P<money>{MONEY})。?$"), YEN)


def open_named_then_told(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A listed program's name, then after a wave dash what it does and its amount last:
    「1.地域公共交通運行事業～路線バスが廃止された地域に、ワゴン車を週1回走らせる新規事業に1300万円。」
    is one program, the rest its description. The name must end as a program's; an amount printed before the last is
    the rest's unless the last is what the sum is put to (after に)."""
    m = NAME_THEN_TOLD.match(line.text)
    if m is None or not NAME_END.search(FLAGS_TAIL.sub("", m["name"].strip())) or is_no_budget_name(m["name"]):
        return False
    if not m["to"] and find_amounts(m["told"]):
        return False  # 「…事業～1億円の基金のうち2,000万円」: whose the figures are, untold
    amount = read_amount(m["money"])
    if amount is None or amount.fiscal_year not in (None, state.doc_context.fiscal_year):
        return False
    state.note_heading(False)
    open_amount_block(state, m["name"].strip(), line, Budget(amount.yen, amount.unit, to_display_form(amount.text)),
                      read_list_number(m), None)
    if state.current is not None:
        state.current.description.append(replace(line, text=m["told"] + (m["to"] or "") + m["money"]))
    return True


def open_prose_programs(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A sentence naming programs with their budgets in brackets, 「産前産後ヘルパー派遣事業【新規】（1,260万円）を実施いたします。」,
    or after に (「統合保育園整備事業に8億1,200万円、…」): a program for each, its name read back from 事業 by its words
    (``read_prose_name``), the sentence the last one's description; the amount may open the next line
    (「…医療的ケア児等支援センター運営事業【新規】」 over 「（2,400万円）を創設いたします。」)."""
    text = line.text
    joined = nxt is not None and text.rstrip().endswith(("業", "費", "】")) and nxt.text.lstrip().startswith("(") \
        and not line.blank_after
    if joined and nxt is not None:
        text = text.rstrip() + nxt.text.lstrip()
    mentions = [(m, name) for m in PROSE_PROGRAM.finditer(text) if (name := read_prose_name(text[:m.start("flags")]))]
    if any(word in text for word in ALLOT_WORDS):  # 「…、除雪機械購入に3,053万7千円、…を計上しました。」: what each sum is for
        mentions += [(m, name) for m in ALLOTTED.finditer(text)
                     if (name := read_prose_name(text[:m.start("flags")])) and not NAME_END.search(name)
                     and not text[:m.start("flags") - len(name)].endswith(NAME_OF)]
        # (a name read whole: 「…立屋の公衆トイレ更新に」, its owner not read, names part of what the sum is for)
        mentions.sort(key=lambda mention: mention[0].start())
    mentions = [(m, name) for m, name in mentions if not is_no_budget_name(name) and m.start() < len(line.text)
                and not (m["given"] and NAMES_BEFORE.search(text[:m.start("flags") - len(name)]))]
    if not mentions or not ("。" in text or "、" in text):
        return False  # (a sentence's marks: a heading or a list line is no prose)
    kind = PROSE_KIND.search(text)  # 「新規事業として、…事業（108万円）や、…」: the kind of the programs it names
    for m, name in mentions:
        amount = read_amount(m["money"] or m["given"])
        if amount is None or amount.fiscal_year not in (None, state.doc_context.fiscal_year):
            continue
        printed = to_display_form((m["about"] or "") + amount.text)
        open_amount_block(state, f"{name}{m['flags']}", line, Budget(amount.yen, amount.unit, printed, ABOUT if m["about"] else None))
        if kind is not None and state.current is not None and kind["flag"] not in state.current.flags:
            state.current.flags += (kind["flag"],)
        if joined and nxt is not None and m.end() > len(line.text) and state.current is not None:
            state.current.span = line.span.merge(nxt.span)
    if state.current is None:
        return False
    state.current.description.append(line)
    return True


def read_section_heading(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """A plain heading standing alone, 「看取り支援に関する取組」 (text formats only): the section,
    unless a numbered list is being read; closes the open block. On a slide whose title names its program, a line
    standing alone under the title is the program's text (``is_slide_program_open``)."""
    if not (is_section_heading(line, state.fmt) or is_heading_over_list(line, nxt, state.fmt)) or is_slide_program_open(state):
        return False
    state.close_block()
    state.note_heading(True)
    state.group_flag = None  # (a section of its own: no longer under 「【新規事業】」)
    if state.numbered_block is None:
        state.section, state.section_line = to_display_form(line.text), line.span.line_start
        state.subsection = None
    return True


def read_prose(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """Any other line, 「地域における在宅療養体制の構築を図るため、区市町村が実施する以下の取組を支援する。」:
    prose of the open block (see ``SegmentState.add_prose``). Takes every line."""
    state.note_heading(False)
    if state.current is not None:
        state.add_prose(line)
    return True


Rule = Callable[[SegmentState, Line, Line | None], bool]

# The forms a line can take, tried in this order; the first rule that takes a line wins.
RULES: tuple[Rule, ...] = (
    open_slide_program,
    skip_title,
    read_mark_legend,
    open_markdown_programs,
    read_markdown_heading,
    read_legend,
    read_bracket_legend,
    read_unit_note,
    read_bare_unit_note,
    read_table_header,
    read_item_table_header,
    read_year_table_header,
    open_table_row,
    read_total,
    read_achievement_head,
    read_flag_heading,
    read_marked_heading,
    open_marked_programs,
    read_account_path,
    read_budget_side,
    open_account_item,
    open_numbered_program,
    open_budgeted_bullet,
    open_amount_line,
    open_unit_listed_program,
    open_year_pair_program,
    open_name_over_amount,
    read_budget_label,
    read_sheet_field,
    read_kind_field,
    read_prior_line,
    read_subsection,
    read_annotation_line,
    read_record_number,
    open_named_field,
    open_labelled_heading,
    open_flagged_sibling,
    read_item,
    open_unmarked_program,
    read_section_heading,
    open_named_then_told,
    open_prose_programs,
    read_prose,
)
# The rules a line may be taken by, by its first character (``choose_rules``); at most this many kept.
RULE_CHOICES: dict[tuple[str, int], tuple[tuple[Rule, str | None], ...]] = {}
MAX_RULE_CHOICES: Final = 4_096


def choose_rules(first: str, length: int) -> tuple[tuple[Rule, str | None], ...]:
    """Return the rules of ``RULES``, in order, that may take a line beginning with ``first``, ``length``
    characters long, each with the string the line must hold for it (or None): those whose ``needs``
    let it in. Lines are told apart by their first character and the lengths needs name: a line
    stands for every line as long as it up to the next of them."""
    at = bisect.bisect_left(NEED_LENGTHS, length)
    # the line stands for the longest of its kind: up to the next length named, or one past the last
    bound = NEED_LENGTHS[at] if at < len(NEED_LENGTHS) else NEED_LENGTHS[-1] + 1 if NEED_LENGTHS else 0
    key = (first, bound)
    choice = RULE_CHOICES.get(key)
    if choice is None:
        choice = tuple((rule, need.holds if need else None) for rule in RULES
                       if (need := RULE_NEEDS.get(rule)) is None or need.admits(*key))
        if len(RULE_CHOICES) < MAX_RULE_CHOICES:
            RULE_CHOICES[key] = choice
    return choice


# The rules whose lines end the list under a unit note (``SegmentState.list_unit``): a table, a
# legend, a budget label state their own units. Group headings, items and a program's own lines
# do not end it; prose or a heading after a blank line does.
LIST_UNIT_ENDS: tuple[Rule, ...] = (read_legend, read_table_header, read_item_table_header, read_year_table_header,
                                    open_table_row, read_budget_label, open_labelled_heading)


def finish_outline(state: SegmentState, lines: tuple[Line, ...]) -> Outline:
    """Close the last block, check the reading order, and return the outline."""
    state.close_block()
    reading_order = "coherent"
    if state.legend_line and state.first_program_line and state.first_program_line < state.legend_line:
        reading_order = "scrambled"
        state.warnings.append(
            f"reading order lost: program on line {state.first_program_line} comes before the "
            f"legend on line {state.legend_line}; sections left empty"
        )
    elif state.max_heading_run >= 4:
        reading_order = "scrambled"
        state.warnings.append(
            f"reading order lost: {state.max_heading_run} headings in a row with nothing between; "
            "sections left empty"
        )
    blocks, totals = fold_group_totals(state.blocks, state.totals)
    if reading_order == "scrambled":
        blocks = tuple(replace(b, section=None, subsection=None, section_line=None, subsection_line=None,
                               context=state.doc_context) for b in blocks)
    return Outline(
        title=state.title,
        title_line=state.title_line,
        context=state.doc_context,
        reading_order=reading_order,
        blocks=blocks,
        totals=totals,
        warnings=tuple(state.warnings),
        listed=find_program_lists(lines),
        detail_pages=find_detail_pages(lines) if state.fmt == "markdown" else (),
    )


def fold_group_totals(blocks: list[ProgramBlock], totals: list[tuple[int, int, str, tuple[int, ...]]]
                      ) -> tuple[tuple[ProgramBlock, ...], tuple[tuple[int, int, str, tuple[int, ...]], ...]]:
    """Return the blocks with every group's total taken out: a line with its amount over lines set
    deeper (indented, or further right on the page) whose amounts add up to it exactly, 「(1) 介護人材の
    確保・定着支援 17,345千円」 over 「ア 介護職員処遇改善加算取得促進事業 12,345千円」 and 「イ 介護の仕事
    魅力発信事業 5,000千円」, is their group (their subsection), not a program; stated totals follow the blocks."""
    out: list[ProgramBlock] = []
    index: dict[int, int] = {}  # a kept block's index before, and after
    i = 0
    while i < len(blocks):
        head = blocks[i]
        j = i + 1
        if head.marker == "amount" and head.budget is not None:
            while j < len(blocks) and blocks[j].marker == "amount" and blocks[j].budget is not None \
                    and is_deeper(blocks[j], head):
                j += 1
        children = blocks[i + 1:j]
        amounts = [c.budget.yen for c in children if c.budget is not None]
        if children and head.budget is not None and sum(amounts) == head.budget.yen:
            group = parse_annotations(head.heading).name
            for n, child in enumerate(children, start=i + 1):
                index[n] = len(out)
                out.append(replace(child, subsection=group, subsection_line=head.span.line_start))
            i = j
            continue
        index[i] = len(out)
        out.append(head)
        i += 1
    if len(out) == len(blocks):
        return tuple(blocks), tuple(totals)
    kept = tuple((amount, line, raw, tuple(index[n] for n in covered if n in index)) for amount, line, raw, covered in totals)
    return tuple(out), kept


# Marks a group's line opens with over bulleted lines (``BULLET_MARKS``) under it: "○" of "○地域産業の支援 1,480万円"
GROUP_MARKS: Final = ITEM_MARKS + PROGRAM_MARKS + "◎◆●□◇"


def is_deeper(child: ProgramBlock, head: ProgramBlock) -> bool:
    """Tell whether a program's line stands deeper than another's: indented where that one is not,
    or its box starting right of the other's by half a line's height or more."""
    if INDENT.match(child.heading_raw) and not INDENT.match(head.heading_raw):
        return True
    head_mark, child_mark = head.heading_raw.lstrip()[:1], child.heading_raw.lstrip()[:1]
    if head_mark in GROUP_MARKS and child_mark in BULLET_MARKS and child_mark != head_mark:
        return True  # 「○安全・安心な生活基盤の整備 3億500万円」 over 「・交通安全推進事業 400万円」: a bullet under a larger mark
    a, b = head.span.bbox, child.span.bbox
    return a is not None and b is not None and b[0] - a[0] >= DEEPER * (a[3] - a[1])


def find_program_lists(lines: tuple[Line, ...]) -> tuple[ListedName, ...]:
    """Return the lines of every numbered list of program names: ``1.``, ``2.``, ``3.``, … in
    order, at least ``MIN_LISTED`` lines, each a name ending in 事業/部会/連絡会/会議 and nothing else."""
    found: list[ListedName] = []
    run: list[ListedName] = []
    for line in lines:
        match = LISTED.match(line.text) if "0" <= line.text[:1] <= "9" else None  # (what it opens with)
        if match and int(match["number"]) != len(run) + 1:
            if len(run) >= MIN_LISTED:
                found.extend(run)
            run = []
        if match and int(match["number"]) == len(run) + 1:
            name = to_display_form(match["name"].strip())
            run.append(ListedName(name, line.raw, match["number"], line.span))
            continue
        if line.text.strip():
            if len(run) >= MIN_LISTED:
                found.extend(run)
            run = []
    if len(run) >= MIN_LISTED:
        found.extend(run)
    return tuple(found)


def find_detail_pages(lines: tuple[Line, ...]) -> tuple[DetailPage, ...]:
    """Return the Markdown pages headed ``# name``: each runs to the next ``# `` heading, or
    to a second ``## 目的`` (the next page, whose own heading the conversion lost)."""
    pages: list[DetailPage] = []
    current: list[Line] = []
    name: str | None = None
    purposes = 0

    def close() -> None:
        if name and current:
            pages.append(DetailPage(name, current[0].span.merge(current[-1].span), tuple(current)))

    for line in lines:
        heading = PAGE_HEADING.match(line.text)
        if heading:
            close()
            name, current, purposes = heading["name"].strip(), [line], 0
            continue
        if name is None:
            continue
        if PURPOSE_HEADING.match(line.text):
            purposes += 1
            if purposes == 2:
                close()
                name, current = None, []
                continue
        current.append(line)
    close()
    return tuple(pages)


# A field's label after white space, in a sheet's fields printed side by side on the name's line: " 予算額:" and
# " 担当:" of "事業名:ヤングケアラー支援事業 予算額:20,000千円 担当:こども家庭課" (parse form)
FIELD_SPLIT: Final = re.compile(rf"(?<!\s)\s+(?!\s)(?=(?:{join_alternatives(FIELD_LABEL_WORDS + BASIS_WORDS)})\s*[:：])")


def split_field_lines(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Return the lines with a sheet's fields printed side by side on the name's line (「事業名：… 予算額：… 担当：…」)
    one a line, as a sheet prints them (each with the line's span): the name field opens the program
    (``open_named_field``), the budget label under it is its budget."""
    if not any(NAME_LABEL.match(line.text) for line in lines):
        return lines
    out: list[Line] = []
    for line in lines:
        parts = FIELD_SPLIT.split(line.text) if NAME_LABEL.match(line.text) else [line.text]
        out += split_line(line, parts)
    return tuple(out)


def split_line(line: Line, parts: list[str]) -> list[Line]:
    """The line as the lines of its ``parts``' texts, each with its span; the line itself when it is one part."""
    if len(parts) == 1:
        return [line]
    return [replace(line, text=part, blank_before=line.blank_before and i == 0,
                    blank_after=line.blank_after and i == len(parts) - 1) for i, part in enumerate(parts)]


def split_listed_programs(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Return the lines with listed programs printed side by side, each after the line's own mark and
    ending in its amount (「・食育推進事業　１，０００千円　　・歯科保健推進事業　２，３００千円」), one a line
    (each with the line's span): read as one, the first program's name would run on into the second's."""
    out: list[Line] = []
    for line in lines:
        text = line.text
        listed = LISTED_PROGRAM.match(text)
        parts = re.split(rf"{SPACE_RUN}(?={re.escape(text[0])})", text) if listed is not None else [text]
        # (one may print that it has none, 「・廃 町営バス回数券購入費補助　―」, beside one with its amount)
        apart = len(parts) > 1 and all(NAME_AMOUNT.match(part) or NONE_ENDED.search(part) for part in parts) \
            and any(NAME_AMOUNT.match(part) for part in parts)
        out += split_line(line, parts if apart else [text])
    return tuple(out)


# A listed name ending in a mark of none for its amount, a note after it or not: " ―" of "・廃 町営バス回数券購入費補助 ―",
# " ―(職員による策定)" (parse form)
NONE_ENDED: Final = re.compile(r"(?<=\S)\s+[-―‐—](?:\s*\([^()]*\))?$")


# Programs named one after another in a line, each with its amount in brackets, after a label or none:
# "主な事業:保育所等整備事業(3億円)、放課後児童クラブ運営事業(5,000万円)" (parse form); a part of it:
# "保育所等整備事業(3億円)"
ENUMERATED_LABEL: Final = re.compile(rf"^\s*(?:{join_alternatives(MAIN_PROGRAMS_HEADERS)}|主な取組)\s*[:：]\s*")
ENUMERATED_PART: Final = re.compile(rf"^[^\s、,()]+\(\s?{MONEY}\s?\)$")


def split_enumerated_programs(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Return the lines with programs named one after another, each with its amount in brackets
    (「主な事業：保育所等整備事業（３億円）、放課後児童クラブ運営事業（５，０００万円）」), one a line after a bullet:
    read as one, the first program's name and amount ran on into the second's. Two programs at least."""
    out: list[Line] = []
    for line in lines:
        text = line.text
        if "、" not in text or YEN not in text:  # most lines are told at once
            out.append(line)
            continue
        label = ENUMERATED_LABEL.match(text)
        parts = [part.strip() for part in text[label.end() if label else 0:].split("、")]
        if len(parts) >= 2 and all(ENUMERATED_PART.match(part) for part in parts):
            out += split_line(line, [f"{LIST_DOT}{part}" for part in parts])
        else:
            out.append(line)
    return tuple(out)


# A sheet's field label alone on its line, its value on the next: "事業名" over "認知症伴走型支援事業", "予算額" over
# "6,300千円", "【事業内容】" over its text (``join_label_lines``)
LABEL_ALONE: Final = re.compile(
    rf"^[【\[]?\s*(?P<label>{join_alternatives((NAME_LABEL_WORD, *BASIS_WORDS, *FIELD_LABEL_WORDS))})\s*[】\]]?$")


def join_label_lines(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Return the lines with a sheet's field label alone on its line and its value on the next (「事業名」 over
    「認知症伴走型支援事業」) made one line, 「事業名 認知症伴走型支援事業」, as a sheet printing them side by side
    gives it (with both lines' span); only in a sheet, whose name label stands so."""
    if not any(LABEL_ALONE.match(line.text) and NAME_LABEL_WORD in line.text for line in lines):
        return lines
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        m = LABEL_ALONE.match(line.text)
        if m is None or nxt is None or LABEL_ALONE.match(nxt.text):
            out.append(line)
            i += 1
            continue
        out.append(replace(line, raw=f"{line.raw}\n{nxt.raw}", text=f"{m['label']} {nxt.text}",
                           span=line.span.merge(nxt.span), blank_after=nxt.blank_after))
        i += 2
    return tuple(out)


# The most columns a table copied out a cell a line may have, and the longest of its header's cells: "R7予算額"
MAX_FLAT_COLUMNS: Final = 8
MAX_FLAT_HEADER_CHARS: Final = 12


def join_flattened_rows(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Return the lines with a table copied out a cell a line (「No.」 「事業名」 「R7予算額」 「R6予算額」 「区分」 one
    under another, then each row's cells so) made lines of cells parted by tabs, its header's and each row's, as the
    table copied whole gives them (each with its cells' span); rows are taken while each gives a program's row under
    that header, the first that does not (「計」 and its figures) left as it stands."""
    if not any(line.text.strip() in TABLE_NAME_HEADERS for line in lines):  # (most documents are told at once)
        return lines
    return rewrite_runs(lines, join_flat_table)


def rewrite_runs(lines: tuple[Line, ...], read: Callable[[tuple[Line, ...], int], tuple[list[Line], int] | None]
                 ) -> tuple[Line, ...]:
    """Return the lines with each run ``read`` finds, from a line on, put as the lines it gives for it (``read`` gives
    them and the index after the run, or None where no run begins); the other lines as they are."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        found = read(lines, i)
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        made, i = found
        out += made
    return tuple(out)


def join_flat_table(lines: tuple[Line, ...], start: int) -> tuple[list[Line], int] | None:
    """The lines of cells parted by tabs a table copied out a cell a line from ``lines[start]`` makes
    (``read_flat_table``), and the index after it."""
    found = read_flat_table(lines, start)
    if found is None:
        return None
    width, count = found
    end = start + width * count
    return [join_cells(lines[at:at + width]) for at in range(start, end, width)], end


def read_flat_table(lines: tuple[Line, ...], start: int) -> tuple[int, int] | None:
    """Return the width of a table copied out a cell a line whose header begins at ``lines[start]``, and how many
    groups of that many lines it holds, the header's included (two at least); or None."""
    cells: list[str] = []
    for line in lines[start:start + MAX_FLAT_COLUMNS]:
        text = line.text.strip()
        if (cells and line.blank_before) or not text or len(text) > MAX_FLAT_HEADER_CHARS or MONEY_ANYWHERE.search(text) \
                or " " in text or "\t" in text:
            break
        cells.append(text)
    best: tuple[int, int] | None = None  # the width that reads the most rows (the header's last cell may look like a row's first)
    for width in range(len(cells), 2, -1):
        spec = read_header("\t".join(cells[:width]))
        if spec is None or spec.budget is None:
            continue
        count = 1
        while start + width * (count + 1) <= len(lines) and is_flat_row(lines[start + width * count:start + width * (count + 1)], spec):
            count += 1
        if count >= 2 and (best is None or count > best[1]):
            best = (width, count)
    return best


def is_flat_row(group: tuple[Line, ...], spec: TableSpec) -> bool:
    """Tell whether lines copied out a cell a line make one row of a table under ``spec``: none holds two cells or
    follows a blank line, and their cells give a program's row with its budget."""
    if any(line.blank_before or "\t" in line.text or not line.text.strip() for line in group):
        return False
    row = read_row("\t".join(line.text.strip() for line in group), spec)
    return row is not None and row.budget is not None and not TOTAL_NAME.search(row.name)


def join_cells(group: tuple[Line, ...]) -> Line:
    """Return lines copied out a cell a line as one line of cells parted by tabs, with their span."""
    span = group[0].span
    for line in group[1:]:
        span = span.merge(line.span)
    return replace(group[0], raw="\t".join(line.raw.strip() for line in group),
                   text="\t".join(line.text.strip() for line in group), span=span, indented=False,
                   blank_after=group[-1].blank_after)


# A mark naming a column of a header, alone on its line of a header stacked a word a line: "(A)", "(B)-(A)", "(%)"
COLUMN_MARK: Final = re.compile(r"^\((?:[A-Z]|%)\)(?:\s?[-+]\s?\([A-Z]\))?$")


def join_stacked_header(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Return the lines with a table's header copied out a word a line over rows of cells a space apart (「事業名」
    「令和6年度」 「当初予算額」 「(A)」 「令和7年度」 「当初予算額」 「(B)」 「増減」 …, then 「介護認定審査会運営事業 48,620 51,380
    2,760 5.7」) made one header line, its cells a space apart: a year's word and the amount's word under it one cell
    (「令和6年度当初予算額」), a column's mark (「(A)」) left out; taken only where the header reads as a program table's."""
    if not any(re.sub(r"\s+", "", line.text) in TABLE_NAME_HEADERS for line in lines if len(line.text) < MAX_FLAT_HEADER_CHARS):
        return lines  # (most documents are told at once)
    return rewrite_runs(lines, join_stacked_header_at)


def join_stacked_header_at(lines: tuple[Line, ...], start: int) -> tuple[list[Line], int] | None:
    """The one header line a header stacked a word a line from ``lines[start]`` makes (``read_stacked_header``), and
    the index after it."""
    header = read_stacked_header(lines, start)
    if header is None:
        return None
    cells, end = header
    return [replace(join_cells(lines[start:end]), text=" ".join(cells))], end


def read_stacked_header(lines: tuple[Line, ...], start: int) -> tuple[list[str], int] | None:
    """Return the cells of a header stacked a word a line from ``lines[start]`` (its name's word) and the index of the
    line after it, where the line after is a row of cells a space apart that the header reads; else None."""
    if re.sub(r"\s+", "", lines[start].text) not in TABLE_NAME_HEADERS:
        return None
    cells = [re.sub(r"\s+", "", lines[start].text)]
    end = start + 1
    while end < len(lines) and end - start <= MAX_STACKED_HEADER_LINES:
        text = re.sub(r"\s+", "", lines[end].text)  # (a word set wide, 「令和 6 年度」, is one)
        if not text or len(text) > MAX_FLAT_HEADER_CHARS or MONEY_ANYWHERE.search(lines[end].text) \
                or FIGURE_RUN.search(lines[end].text) or lines[end].blank_before:
            break
        if COLUMN_MARK.match(text):
            pass  # 「(A)」: the column's name in the sums the header's other cells print
        elif cells and YEAR_ALONE.match(cells[-1]) and AMOUNT_WORD_ALONE.match(text):
            cells[-1] += text  # 「令和6年度」 over 「当初予算額」
        else:
            cells.append(text)
        end += 1
    if len(cells) < 3 or end >= len(lines):
        return None
    spec = read_header(" ".join(cells))
    if spec is None or spec.budget is None or not spec.single or not is_row_line(lines[end].text, spec):
        return None
    return cells, end


MAX_STACKED_HEADER_LINES: Final = 16
# A figure grouped by commas among a line's words: "41,200" of "介護認定審査会運営事業 41,200 43,560" (a row's, no
# header's: 「令和 6 年度」 prints a figure alone)
FIGURE_RUN: Final = re.compile(r"(?:^|\s)[0-9]{1,3}(?:,[0-9]{3})+(?:\s|$)")
# A year alone, and an amount's word alone under it: "令和6年度" over "当初予算額", "予算額"
YEAR_ALONE: Final = re.compile(YEAR_ALONE_HEADER)
AMOUNT_WORD_ALONE: Final = re.compile(r"^(?:当初)?(?:予算額?|予算案)$")


def split_joined_lines(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Return the lines with what one line prints side by side read one a line, and what a sheet prints
    one under another read side by side: a sheet's fields (``split_field_lines``), listed programs
    (``split_listed_programs``), programs named one after another (``split_enumerated_programs``), a table copied
    out a cell a line (``join_flattened_rows``), a header copied out a word a line (``join_stacked_header``), a label
    over its value (``join_label_lines``)."""
    return join_label_lines(join_stacked_header(join_flattened_rows(
        split_enumerated_programs(split_listed_programs(split_field_lines(lines))))))


def segment_document(lines: tuple[Line, ...], fmt: str, page_sizes: tuple[tuple[float, float], ...] = ()) -> Outline:
    """Segment one document's logical lines into an ``Outline``: each line is taken by the
    first rule of ``RULES`` that takes it; on slides (``page_sizes`` of a slide's shape), a block
    ends at the slide's edge (see ``continue_slide``). A sheet's fields side by side, and listed programs
    side by side, are read one a line first (``split_joined_lines``)."""
    lines = split_joined_lines(lines)
    state = SegmentState.start(lines, fmt)
    state.slides = is_slide_deck(page_sizes)
    for index, line in enumerate(lines):
        take_line(state, line, lines[index + 1] if index + 1 < len(lines) else None)
    return finish_outline(state, lines)


def is_slide_deck(page_sizes: tuple[tuple[float, float], ...]) -> bool:
    """Tell whether every page has a slide's shape (``SLIDE_SHAPES``, within 1 %)."""
    return bool(page_sizes) and all(
        height > 0 and any(abs(width / height / shape - 1) <= 0.01 for shape in SLIDE_SHAPES)
        for width, height in page_sizes
    )


def continue_slide(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """The first line of a slide: the open block ends at the slide's edge, unless the line says
    the slide goes on from the one before, 「研究の背景（続き）」, which it then takes. Not a form of
    a line but of the slide's edge: ``take_line`` asks it first, on slides only."""
    if line.span.page == state.page:
        return False
    state.page = line.span.page
    state.slide_start = line.span.line_start
    if CONTINUED.search(line.text):
        state.note_heading(False)
        return True
    state.close_block()
    return False


def is_column_beside(box: tuple[float, float, float, float] | None, other: tuple[float, float, float, float] | None) -> bool:
    """Tell whether two boxes of a page are columns of words set vertically, level, side by side: each twice as tall as
    it is wide at least, most of the shorter one's height shared, apart across (a title set in columns, 「主要事業」 beside
    「令和二年度」 beside 「音威子府村」: one title, not three headings in a row; words read across the columns of a
    vertical page, 「木土」 beside 「興振」, stand no taller than a line)."""
    if box is None or other is None or any(b[3] - b[1] < 2 * (b[2] - b[0]) for b in (box, other)):
        return False
    shared = min(box[3], other[3]) - max(box[1], other[1])
    return shared >= 0.5 * min(box[3] - box[1], other[3] - other[1]) > 0 and (box[2] <= other[0] or other[2] <= box[0])


def is_heading_over_unit_list(state: SegmentState, line: Line, nxt: Line | None) -> bool:
    """Tell whether a heading goes on with the list under the unit note above it, the programs of its own part
    of the list under it (「２　地域共生社会の実現」 over 「■　ひきこもり地域支援センター運営事業　　42,180」), or
    between two parts of a list whose programs were read: a numbered heading."""
    numbered = NUMBERED.match(line.text)
    if state.list_unit is None or nxt is None \
            or not is_heading_like(numbered["rest"] if numbered else line.text, max_chars=30):
        return False
    return match_unit_listed(state, nxt.text) is not None or (state.unit_listed and numbered is not None)


def take_line(state: SegmentState, line: Line, nxt: Line | None) -> Rule:
    """Give ``line`` to the first rule of ``RULES`` that takes it; return that rule."""
    taker: Rule = read_prose
    if state.slides and continue_slide(state, line, nxt):
        state.recent.append(line.text)
        return continue_slide
    text = line.text
    run = state.heading_run
    for rule, holds in choose_rules(text[:1], len(text)):
        if (holds is None or holds in text) and rule(state, line, nxt):
            taker = rule
            break
    if state.heading_run == run + 1:
        if run and is_column_beside(state.heading_box, line.span.bbox):
            state.heading_run = run  # 「主要事業」 「令和二年度」 「音威子府村」 set down side by side: one title in columns
        state.heading_box = line.span.bbox
    if taker in LIST_UNIT_ENDS or (taker in (read_prose, read_section_heading) and line.blank_before
                                   and not is_heading_over_unit_list(state, line, nxt)):
        state.list_unit = None  # the list under the unit note has ended (see ``LIST_UNIT_ENDS``)
        state.unit_listed = False
    state.recent.append(line.text)
    return taker

