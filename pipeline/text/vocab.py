"""Vocabulary: every word and mark the printed forms are read by, in one place.

Input: nothing (this module imports nothing from the package; records and every stage may
import it). Output: words, marks and regex pieces: units and their yen factors, eras and
their base years, budget bases, flag words, bullet, item and program marks, bracket pairs,
item labels and the marks that open a line of structure.

The other modules build their regexes from these names and spell none of them. Everything
is in the parse form (``text.forms.to_parse_form``): ``予算額(案)`` for the printed
``予算額（案）``, ``<例>`` for ``＜例＞``. Mark strings are character-class bodies: they go
inside ``[...]`` as they are (``rf"^[{ITEM_MARKS}]"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final


def join_alternatives(words: Iterable[str]) -> str:
    """Return a regex alternation of ``words``, escaped, the longest first.

    Longest first, so a word is never cut short by another that begins it:
    ``予算額(案)`` is tried before ``予算額``.
    """
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def join_as_trie(words: Iterable[str]) -> str:
    """Return a regex alternation of ``words``, escaped, as a tree of their characters: words that
    begin alike share their beginning (``富士(?:見市|市)``), and a word that another goes on from is
    tried after it (``予算額(?:\\(案\\)|)``). It matches what ``join_alternatives`` matches, trying the
    words that fit in the same order, longest first; but it reads a line's characters once, not once
    a word: for the 1,900 names of local governments, a few tenths of a microsecond, not a few.
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def spell(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + spell(rest) for char, rest in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:
            branches.append("")  # the word that ends here, after the longer ones
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return spell(tree)


def escape_class(chars: str) -> str:
    """Return ``chars`` escaped for use inside a regex character class ``[...]``."""
    return "".join("\\" + ch if ch in "\\]-[^" else ch for ch in chars)


# -- units --------------------------------------------------------------------------

# The units a budget is printed in, with their factor in yen:
# "【236,194千円】", "予算額：119,141千円", "【0百万円】"
UNIT_FACTORS: Final = {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000, "億円": 100_000_000}
# The unit budgets are summed and compared in: "総合事業総額：令和7年度 233,453千円"
THOUSAND_YEN: Final = "千円"

# -- eras ---------------------------------------------------------------------------

# Each era: its name, the letter it is abbreviated to, and the year before its first
# (令和元年 is 2019): "令和４年度", "R7", "平成 22 年", "H29年度".
ERAS: Final = (("令和", "R", 2018), ("平成", "H", 1988), ("昭和", "S", 1925))
# Name or letter to base year: "令和" → 2018, "R" → 2018.
ERA_BASE: Final = {key: base for name, letter, base in ERAS for key in (name, letter)}
# The first year of an era, printed for 1: "令和元年度"
FIRST_YEAR: Final = "元"
# The eras the fiscal-year forms are read in (legends, budget labels, titles, totals);
# an era year in running text is read in every era of ``ERAS``.
FISCAL_ERAS: Final = ERAS[:2]

# Regex pieces of an era year.
ERA_NAME: Final = "|".join(name for name, _, _ in ERAS)  # "令和|平成|昭和"
ERA_LETTERS: Final = "".join(letter for _, letter, _ in ERAS)  # "RHS", a character-class body
FISCAL_ERA_NAME: Final = "|".join(name for name, _, _ in FISCAL_ERAS)  # "令和|平成"
FISCAL_ERA_LETTER: Final = "|".join(letter for _, letter, _ in FISCAL_ERAS)  # "R|H"
# An era year's number in kanji numerals, with their values: "三" of "令和三年度", "二十九" of
# "平成二十九年度"
KANJI_DIGITS: Final = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
KANJI_TEN: Final = "十"
KANJI_ERA_NUMBER: Final = rf"[{''.join(KANJI_DIGITS)}]?{KANJI_TEN}[{''.join(KANJI_DIGITS)}]?|[{''.join(KANJI_DIGITS)}]"
# The year number of a fiscal year: "7" of "令和7年度", "元" of "令和元年度", "三" of "令和三年度"
ERA_NUMBER: Final = rf"[0-9]+|{FIRST_YEAR}|{KANJI_ERA_NUMBER}"
# A fiscal year by era name: "令和7年度", "平成元年度"; its number perhaps set apart, "令和 7 年度" (a PDF's wide spacing)
NAMED_FISCAL_YEAR: Final = rf"(?:{FISCAL_ERA_NAME})\s?(?:{ERA_NUMBER})\s?年度"
# Circled numbers that stand for an era year before an amount: "⑤3億円（④4億円）" (令和5年度, 令和4年度).
# Character-class body: ① to ⑳, ㉑ to ㉟, ㊱ to ㊿; and the circled numbers alone, which number a list too
# ("①　ヤングケアラー支援体制強化事業＜新規＞"): ① to ⑳
CIRCLED_NUMBERS: Final = r"\u2460-\u2473"
CIRCLED_ERA_MARKS: Final = rf"{CIRCLED_NUMBERS}\u3251-\u325f\u32b1-\u32bf"
# A fiscal year by era letter: "R7", "H29"
LETTERED_FISCAL_YEAR: Final = rf"(?:{FISCAL_ERA_LETTER})[0-9]+"
# A fiscal year by its number alone, the era left to the reader: "20" of "20年度当初予算額", "(19年度 900千円)"
SHORT_FISCAL_YEAR: Final = r"(?<![0-9])[0-9]{1,2}年度"
# A fiscal year in the Western calendar: "2026年度"
CALENDAR_FISCAL_YEAR: Final = r"(?<![0-9])(?:19|20)[0-9]{2}年度"
# Any of them, as a budget label or a previous year's note names its year: "R8予算額", "令和7年度当初予算額",
# "20年度当初予算額", "2026年度予算額"
LABEL_FISCAL_YEAR: Final = rf"{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR}|{SHORT_FISCAL_YEAR}|{CALENDAR_FISCAL_YEAR}"

# -- budget bases -------------------------------------------------------------------

# What a budget figure is: "【 】：令和４年度 予算案", "【 】：令和７年度 予算額（案）",
# "R8予算額（案）：557,263千円", "予算額：119,141千円", "【R7 予算規模】"; a column of amounts or
# scales says so, and is no enacted 予算額: "【R7 予算額/規模】" (r06-2, a packet of the 予算案's weeks)
# A label may name the project's cost for the year instead: "事業費：5,500千円", or, in a supplementary
# budget's summary, the sum it adds: "補正額 1,161,055"; or name the budget by other words: "事業予算 12,000千円",
# "計上額 12,000千円" (the sum set in the budget), "歳出予算額 12,000千円"
BASIS_WORDS: Final = ("予算額(案)", "予算案", "予算額", "当初予算額", "補正予算額", "補正額", "予算規模", "予算額/規模", "事業費",
               "本年度予算額", "本年度予算", "当初予算", "予算", "金額", "事業予算", "事業予算額", "計上額", "予算計上額",
               "歳出予算額")
# The figure a budget book's 事業 row prints, by the kind of budget the book is: an initial book's
# is the year's budget, a supplement's the sum the supplement adds
BOOK_BASIS: Final = {"当初": "当初予算額", "補正": "補正額"}
# A supplement's box prints the initial budget, the sum the supplement adds and their total: the
# program's budget in a supplement is the sum it adds ("補正額 2,000千円" over "当初予算額 15,384千円")
INITIAL_BASIS_WORDS: Final = ("当初予算額", "当初予算")
SUPPLEMENT_BASIS_WORDS: Final = ("補正額", "補正予算額")
# The label of a program's name in a sheet of labelled fields: "事業名 介護人材確保支援事業"
NAME_LABEL_WORD: Final = "事業名"
# The words a grant's name ends in: "ものづくり・商業・サービス生産性向上促進補助金", "キャリアアップ助成金"
GRANT_ENDS: Final = ("補助金", "助成金", "交付金")
# The header of a table's rate column: "補助率" over "中小企業1/2、小規模事業者2/3"
RATE_HEADER: Final = "補助率"
# The labels of a line of the payers' shares of a cost, read as its rates: "負担割合　国3/4　市1/4", "負担率：国1/2"
SHARE_LABELS: Final = ("負担割合", "負担率")
# The header of a table's name column: "事業名", "細事業名", "事業の名称", "事業", "施策・事業名", "主要事業名"
TABLE_NAME_HEADERS: Final = ("事業名", "事業の名称", "事業名称", "事業", "施策・事業名", "主要事業名", "主な事業名", "事業名等")
# ... or words a title prints too: "主な事業" over a table's names, "令和８年度 健康福祉部 主要事業" over a page
# (``parse.table_rows.read_header`` takes them beside a budget's header, never beside a year alone)
MAIN_PROGRAMS_HEADERS: Final = ("主な事業", "主要事業")
# Words a heading over programs names them by, as a group, never one program: "■新年度の主要施策", "■重点事業",
# "■令和5年度の主な重点政策", "■当初予算の6本柱"
PROGRAM_GROUP_WORDS: Final = (*MAIN_PROGRAMS_HEADERS, "重点事業", "主要施策", "重点施策", "主な施策", "主な取組", "主な取り組み",
                       "重点政策", "主要政策", "主な政策", "柱")
# Words a heading over a report's figures ends in, never a program's name: "■歳入の状況", "■性質別歳出の状況",
# "■予算の概要", "■目的別歳出の内訳", "■市債残高の推移"
REPORT_HEADING_ENDS: Final = ("状況", "概要", "内訳", "推移")
# ... or words that name the column's rows by no program's word: "項目" over "・地域子育て拠点整備事業【新規】",
# "事項", "施策名", "主な取組", "取組名", "名称" (taken, as those, only beside a budget's header: 「項目　内容　予算額(千円)」,
# 「名称　予算額　前年度」)
TABLE_ITEM_HEADERS: Final = ("項目", "事項", "施策名", "主な取組", "取組名", "名称")
# A program's cost alone as a table's header cell, perhaps with its unit (a pattern): "事業費", "事業費(千円)"
COST_ALONE_HEADER: Final = r"^事業費(?:\([^()]*\))?$"
# ... and "区分", taken only beside columns named by their years alone or a program's cost right under a unit note
# (「区分　令和８年度　令和７年度　増減」, 「区分　事業費　財源内訳」 under 「（単位：千円）」): beside another budget's
# header it heads a ledger's 節 or a sum by kind
YEARS_ITEM_HEADER: Final = "区分"
# Words of a table's amount headers: "令和7年度予算額", "事業費", "補正額", "前年度", "増減"
TABLE_AMOUNT_HEADERS: Final = ("予算額", "事業費", "補正額", "金額", "本年度", "前年度", "増減", "比較", "当初予算", "予算案", "査定額")
# Words of a table's description header: "主な事業内容", "概要", "説明"
TABLE_DESCRIPTION_WORDS: Final = ("内容", "概要", "説明")
# The labels of a sheet's other fields, whose line is never a program's name: "担当課　高齢福祉課",
# "所管課：健康推進課", "事業内容", "事業概要　介護職員の資格取得費用を助成する。"; a slide's: "■目的", "■背景・課題"
FIELD_LABEL_WORDS: Final = ("担当課", "所管課", "担当部署", "担当部局", "所管部局", "担当部", "所管部", "課名", "部局名",
                     "事業内容", "事業概要", "事業目的", "概要", "目的", "内容", "財源", "根拠法令", "事業期間",
                     "実施主体", "対象者", "補助先", "対象", "背景", "課題", "背景・課題", "現状と課題", "効果",
                     "期待される効果", "スケジュール", "実施内容", "取組内容", "事業の概要", "事業の目的", "事業の内容",
                     "実施方法", "実施時期", "補助対象", "担当", "事業区分", "事業種別", "事業分類", "開始年度",
                     "事業開始年度", "成果指標", "活動指標", "備考", "補助率", "財源内訳")
# The labels of a sheet's field saying what kind of program it is, a flag's word or boxes ticked by one:
# "事業区分　拡充", "事業区分　□新規　■拡充　□継続"
KIND_LABEL_WORDS: Final = ("事業区分", "事業種別", "事業分類")
# Boxes printed before the words of a field's choices, ticked or not: "■拡充" (ticked) beside "□新規"
TICKED_BOXES: Final = "■☑☒"
EMPTY_BOXES: Final = "□☐"
# A sheet's field label alone (parse form, white space taken out), a pattern: "事業名", "担当課", "予算額", "【事業内容】",
# "所管課："
FIELD_LABEL_ALONE: Final = (rf"^[【\[]?(?:{join_alternatives((NAME_LABEL_WORD, *BASIS_WORDS, *FIELD_LABEL_WORDS))})[】\]]?"
                     r"[:：]?$")
# The previous year, as a label or a column names it: "（前年度 11,000千円）", "前年度予算額"
PRIOR_YEAR: Final = "前年度"
# A table's header cell naming a year alone (parse form, spaces taken out), a pattern: "令和8年度", "R7", "令和7年度当初",
# "令和八年度", "2026年度"
# or a year of the era by its circled mark, before 年度 or 当初: "⑦当初", "⑥年度"
YEAR_ALONE_HEADER: Final = (rf"^(?:(?:{FISCAL_ERA_NAME}|{FISCAL_ERA_LETTER})[0-9]{{1,2}}(?:年度)?|{NAMED_FISCAL_YEAR}"
                     rf"|(?:19|20)[0-9]{{2}}年度|[{CIRCLED_ERA_MARKS}](?=年度|当初)(?:年度)?)(?:当初)?$")

# -- flags --------------------------------------------------------------------------

# Flag words: "<拡充>", "【新規】", "≪一部再掲≫", "＜新規・大学提案採択事業＞", "（継続）", "【重点】", "【臨時】", "【新設】", "〔拡大〕"
FLAG_WORDS: Final = ("新規", "拡充", "再掲", "充実", "見直し", "変更", "統合", "終了", "廃止", "縮小", "組替", "移管", "再構築", "継続",
              "重点", "改善", "臨時", "再編", "新設", "拡大")
# A prefix any flag word may take: "一部再掲", "一部新規"
PART_PREFIX: Final = "一部"
# The end of a flag naming how a program was adopted: "＜新規・大学提案採択事業＞"
ADOPTED_SUFFIX: Final = "採択事業"

# -- marks --------------------------------------------------------------------------

# The program mark: "■在宅療養研修事業"
PROGRAM_MARK: Final = "■"
# The private-use glyphs some symbol fonts give for the program mark (kept as printed).
PROGRAM_GLYPHS: Final = "\uf06e\uf0a7"
PROGRAM_MARKS: Final = PROGRAM_MARK + PROGRAM_GLYPHS
# Item marks: "○入退院時連携強化研修", "◯…"
ITEM_MARKS: Final = "○◯〇"  # the last is U+3007, drawn as a circle: "〇地域包括支援センター…"
# The middle dot: a bullet at the start of a line ("・検討の場の設置"), a separator inside
# one ("■広域連携支援 ・東京都地域医療構想調整会議", "＜新規・大学提案採択事業＞").
LIST_DOT: Final = "・"
# Bullet marks: "・都民向け講演会の開催 ・看取り研修の実施", "✓「在宅医療推進強化事業」で実施してきた取組を…",
# and ◆ (a symbol font's diamond)
# The check mark and the black diamond, drawn as bullets: "✓「在宅医療推進強化事業」で…", "◆雪寒機械増強事業"
CHECK_MARK: Final = "✓"
DIAMOND_MARK: Final = "◆"
BULLET_MARKS: Final = LIST_DOT + DIAMOND_MARK + CHECK_MARK + "•"  # • is U+2022: "• 在宅医療推進事業 460億4,000万円"
# The Markdown bullet: "- 多職種連携連絡会の運営"
MD_BULLET_MARK: Final = "-"
# The note mark: "※複数メニューを実施している地区医師会もあり", "<補助率:10/10 > ※4年目以降:1/2", "(再掲※1)"
NOTE_MARK: Final = "※"
# The mark of an achievement head: "●令和6年度実績（4月～12月）", "●令和7年度 講演会1回開催予定"
ACHIEVEMENT_MARK: Final = "●"
# What an achievement head names after its mark, when no year does: "●実績（4月～12月）"
ACHIEVEMENT_WORD: Final = "実績"
# The marks a program may be listed under, when a budget is printed for it:
# "◆雪寒機械増強事業［5,007 万円］", "◇定住化対策事業［250 万円］", "• 在宅医療推進事業 460億4,000万円",
# "●高齢者見守りネットワーク事業 3,200千円" (a ● line that names no year is no achievement head)
# "▽保健医療提供体制推進事業＝1,350万円" (a white triangle pointing down), "▼広域防災広場整備事業 10億2,400万円" (a black one)
LISTED_PROGRAM_MARKS: Final = DIAMOND_MARK + "◇•" + LIST_DOT + "◎〇○□▽▼" + ACHIEVEMENT_MARK
# Marks a budget label under a program's name may open with: "◎予算額 12,000千円", "・事業費 3,000千円"
LABEL_LEAD_MARKS: Final = "◎○●◇◆・□"
# Other marks a list line with its amount may open with, a star or an arrow: "＊ 在宅医療推進事業 3,000千円",
# "→ 地域包括ケア推進事業 2,000千円" (parse form "*", "→")
LEAD_MARKS: Final = "*→⇒▶►▷"
# An arrow between two words, from one state to another: "有期 → 正規 80万円" (a grant's sum per worker made
# permanent), never a program's name
CHANGE_ARROWS: Final = "→⇒➡"
# Marks a legend may give a flag's meaning: "★印は新規事業、☆印は拡充事業" over "・★ひきこもり支援事業 3,000千円", "◎：新規事業　○：拡充事業",
# "（◎：新規事業　○：拡充事業　・：継続事業）", "▼…継続事業", "＊は新規事業" (parse form "*")
LEGEND_MARKS: Final = "★☆◎○◆◇□■▲△●▼・*"
# Marks that only set a name off, never part of it: "★ひきこもり支援事業"
NAME_DECORATIONS: Final = "★☆"
# Other shapes that open a line: "▶ 在宅療養患者の増加が見込まれる中…", "◀例> 病院救急車等を活用した…"
# The arrowhead that opens a point: "▶ 在宅療養患者の増加が見込まれる中…"
ARROW_MARK: Final = "▶"
SHAPE_MARKS: Final = "□◎◇◀▼▲" + ARROW_MARK
# Numbered points ①…⑳ (a range): "①都民に対する普及啓発 ②医療・介護関係者の実践力の向上"
POINT_MARKS: Final = r"\u2460-\u2473"
# Enclosed alphanumerics (a range): ① to ⑳, ⑴, ⒈, ⒜, Ⓐ, ⓪
ENCLOSED_MARKS: Final = r"\u2460-\u24ff"
# What a glyph a PDF's font does not map to a character leaves in the text (a pattern): "(cid:0)" of
# "(cid:0) 低所得世帯支援給付金" (a circled number, a bullet), U+FFFD, a private-use character
UNMAPPED_GLYPH: Final = r"\(cid:[0-9]{1,5}\)|[\ufffd\ue000-\uf8ff]"
# Dingbat numbers (a range): ❶ to ❿, ➀ to ➓
DINGBAT_NUMBERS: Final = r"\u2776-\u2793"

# -- brackets -----------------------------------------------------------------------

# Bracket pairs, opening to closing. "＜＞" and "（）" are kept for text read as printed
# (the parse form has "<>" and "()").
BRACKETS: Final = {"【": "】", "＜": "＞", "<": ">", "≪": "≫", "《": "》", "〈": "〉", "(": ")", "（": "）"}
# The brackets a rate is printed in: "<補助率：1/2 >", "<補助率：10/10 > ※4年目以降：1/2"
ANGLE_BRACKETS: Final = {"<": ">", "≪": "≫", "《": "》", "〈": "〉"}
# The public bodies whose share of a cost is a subsidy rate: "国1/2、県1/4" (a 地元 or 本人 share is none)
PUBLIC_PAYERS: Final = ("国", "都", "道", "府", "県", "市", "区", "町", "村")
# The payer a rate's label may name before its word: "国庫補助率 2/3", "県補助率 1/4"
RATE_PAYERS: Final = ("国庫", *PUBLIC_PAYERS)
# The brackets a flag is printed in: "<拡充>", "≪一部再掲≫", "【新規】", "《新規》", "［拡充］" (parse form "[拡充]"),
# "〔新規〕" (parse form "【新規】": see ``BRACKET_FORMS``)
FLAG_BRACKETS: Final = ANGLE_BRACKETS | {"【": "】", "[": "]"}
# Brackets printed in another shape of the black lenticular pair, read as it: the tortoise shell "〔12,000千円〕",
# "〔新規〕", "〔総務課〕", and the white lenticular "〖1,500千円〗"
BRACKET_FORMS: Final = {"〔": "【", "〕": "】", "〖": "【", "〗": "】"}

# -- item labels --------------------------------------------------------------------

# Example labels: "≪例≫病院救急車等…", "＜例＞…", "◀例> 病院救急車等…", "【取組例】…"
EXAMPLE_LABELS: Final = ("≪例≫", "<例>", "◀例>", "《例》", "【例】", "(例)", "【取組例】")
# Target labels: "≪対象≫病院、診療所…", "＜対象＞200床未満の病院"
TARGET_LABELS: Final = ("≪対象≫", "<対象>", "《対象》", "【対象】", "◀対象>")

# -- structure ----------------------------------------------------------------------

# The marks that open a line of structure (never a continuation, never a box title):
# "■在宅療養研修事業", "○入退院時連携強化研修", "・看取り研修の実施", "※複数メニューを…",
# "●令和6年度実績", "【区市町村への支援】", "≪例≫病院救急車等…", "(1) 訪問看護人材確保事業", "▽総合文化会館改修事業費 9107万円",
# "[対象] 区市町村の在宅療養担当職員…", "- 多職種連携連絡会の運営", "①都民に対する普及啓発".
# A character-class body.
STRUCTURE_MARKS: Final = escape_class(
    PROGRAM_MARK + SHAPE_MARKS + ACHIEVEMENT_MARK + ITEM_MARKS + BULLET_MARKS + LISTED_PROGRAM_MARKS + NOTE_MARK
    + "".join(BRACKETS) + "[" + MD_BULLET_MARK
) + ENCLOSED_MARKS

# The shapes of a slide, width over height, as presentation programs set them up: 4:3
# (800 × 600 pt), 16:9, 16:10, and PowerPoint's "A4" slide (780 × 540 pt, or 540 × 780 standing);
# an A4 or A3 sheet (1.414) is none of them. (Not ``Final``: compiled code reads a final tuple of floats alone
# as never set.)
SLIDE_SHAPES = (4 / 3, 16 / 9, 16 / 10, 780 / 540, 540 / 780)
# A slide's title saying it goes on from the slide before: "研究の背景（続き）", "事業概要（続）"
CONTINUED_WORDS: Final = ("続き", "続")

# -- characters ---------------------------------------------------------------------

# Simplified-Chinese forms a conversion puts into Japanese text, with the Japanese character a
# reader takes them for: "区市町村が地域の实情に応じて実施する取組を支援" (实 for 実).
CHINESE_FORMS: Final = {"实": "実"}
# Marks printed in another shape of one mark, read as it: "◯在宅医療推進事業" (U+25EF, a large circle) as "○",
# "▪ 在宅療養研修事業" (U+25AA), "◼" (U+25FC) and "◾" as "■", "◻" as "□", "⚫" as "●", "♦" as "◆", "◦" (a white
# bullet) as "○". "〇" (U+3007) is not among them: it is also the kanji zero ("二〇二六年").
MARK_FORMS: Final = {"◯": "○", "◦": "○", "▪": "■", "◼": "■", "◾": "■", "⬛": "■", "◻": "□", "◽": "□", "▫": "□", "⬜": "□",
              "⚫": "●", "⬤": "●", "♦": "◆", "⬥": "◆"}
# A table's rules drawn with box-drawing characters (a text copied from a word processor's table), read as a Markdown
# table's: "│ がん検診事業 │ 148,720 │" as "| がん検診事業 | 148,720 |", "├────┼────┤" as "|----|----|"
RULE_FORMS: Final = {**{ch: "|" for ch in "│┃║┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬"}, "─": "-", "━": "-", "═": "="}
# The characters that print as a space, each of a width: the space, the ideographic space (U+3000, a kanji's
# width: 「　○入退院時連携強化研修」), the no-break space (U+00A0, which a page copied from a browser sets for
# either: 「\u00a0\u00a0・施設運営費補助」), and the typographic spaces (U+2000 to U+200A, U+202F, U+205F). Tabs part
# a row's cells and are not among them.
PRINTED_SPACES: Final = " \u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"

# -- money --------------------------------------------------------------------------
# The word before an amount said to be about so much: "【約3億円】" (kept as the budget's qualifier)
ABOUT: Final = "約"
# The words after an amount that say it is about so much: "2,000千円程度", "3億円規模", "5,000千円見込み"
ABOUT_AFTER: Final = ("程度", "規模", "見込み", "見込")

# The yen sign word every amount ends in: "236,194千円", "980,000円"
YEN: Final = "円"
# The multipliers of a compound amount: "5兆450億円", "3億2,000万円", "【0百万円】", "236,194千円",
# "約2億5千万円", "3千億円", "3百億円"; 百 of a group of four places, as 千: "5千6百45万円" (5,645万円)
MULTIPLIERS: Final = {"兆": 10**12, "千億": 10**11, "百億": 10**10, "億": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4,
               "千": 10**3, "百": 10**2}
# The zeros of figures written in kanji a place a letter, "〇" (U+3007) and the circle "○" printed for it: "三、五〇〇万円"
KANJI_ZEROS: Final = "〇○"
# The multipliers of a group of four places written in kanji, with their values: "三千五百" of "三千五百万円"
KANJI_PLACES: Final = {"千": 1000, "百": 100, KANJI_TEN: 10}
# The words before figures that make an amount a guess, no figure: "数千万円", "何億円", "十数億円"
VAGUE_NUMBER_WORDS: Final = "数何幾"
# The multipliers that close a group of four places (万, 億, 兆): the figures and the 千 and 百 before one are all of that
# group, "3千5百万円" is 3,500万円 (35,000,000 yen), never 3千円 and 5百万円
GROUP_MULTIPLIERS: Final = {"兆": 10**12, "億": 10**8, "万": 10**4}
# The marks of a negative amount: "△1,200千円", "▲653"
NEGATIVE_MARKS: Final = "△▲"
# The minus signs a negative amount may be printed with instead, read as "△" where one stands right before a figure
# at the start of a cell or label ("-1,200", "補正額　－３，０００千円" (parse form "-3,000"), "(−500)"; see
# ``text.forms.MINUS``): the hyphen-minus (and the full-width "－", its NFKC form) and the minus sign U+2212
MINUS_SIGNS: Final = "-\u2212"

# -- budget books -------------------------------------------------------------------

# The levels of a budget book's accounts, outermost first: "３款 民生費", "１項 社会福祉費",
# "1 社会福祉総務費" (目), "002 社会福祉管理費" (細目)
ACCOUNT_LEVELS: Final = ("款", "項", "目", "細目")
# The header of a table's account column, as a pattern (parse form, white space taken out): "款・項・目", "款項目",
# "会計名款・項" (a cell merged over the rows of one 款 then prints each row's 項 and 目 at its row's height)
ACCOUNT_HEADER: Final = r"款.?項.?目|^会計名款.?項$"
# The levels an account heading over the page names: "３款 民生費 37,723,107千円", "（項）01 社会福祉費"
HEADING_LEVELS: Final = "款項"  # a character-class body
# The header of the ledger column that lists each 細目 and 事業 with its amount: "説 明"
LEDGER_HEADER: Final = "説明"
# A table cell that prints "none" in place of an amount: "―" (a program new this year, under 前年度), "-" (parse form of "－")
NONE_CELLS: Final = ("-", "―", "‐", "—", "−", "ー", "－")
# The dashes a page number is printed between, at a page's foot: "－ 1 －" (parse form "- 1 -"), "― 12 ―", "— 3 —"
PAGE_NUMBER_DASHES: Final = "-\u2212\u2010\u2012\u2013\u2014\u2015"
# The dashes between the numbers of an account code (款-項-目): "2－7－1" (parse form "2-7-1"), "3−1−2", "2‐7‐1"
CODE_DASHES: Final = "-\u2212\u2010"
# An account code (款-項-目) as a pattern: "2-7-1", "3−1−2", "5-1"
ACCOUNT_CODE: Final = rf"[0-9]{{1,2}}(?:[{CODE_DASHES}][0-9]{{1,3}}){{1,3}}"
# The two sides of a budget, the headings over a supplement's items: "歳入", "【歳出】", "(2) 歳出"
REVENUE_SIDE, EXPENDITURE_SIDE = "歳入", "歳出"
# The label of a funding line under a 事業: "特財：都支出金 86,427"
FUNDING_LABEL: Final = "特財"
# The label of a unit note: "（単位 ： 千円）"
UNIT_LABEL: Final = "単位"
# Counters printed after a ledger row's name: "福祉計画推進会議委員 １４人", "一般職 ６５人"
# and after a program's name, before its amount: "放課後児童クラブ運営事業 20クラブ 1億2,000万円", "病児保育事業 2施設 …"
COUNT_WORDS: Final = ("人", "件", "か所", "箇所", "台", "回", "校", "園", "施設", "クラブ", "事業所", "団体", "世帯", "地区")
# The tables of a budget bill whose amounts are not a year's program budgets: carried-over sums,
# future obligations, borrowing and multi-year totals: "第２表 繰越明許費補正", "第３表 債務負担行為"
NON_PROGRAM_TABLES: Final = ("繰越明許費", "債務負担行為", "地方債", "継続費")
# The words a program's name ends in: "定住化対策事業", "障害者自立支援給付事業費"
PROGRAM_NAME_ENDS: Final = ("事業", "事業費")
# Words that make a printed figure something other than a program's budget: a cap, an
# estimate, a current total, a total of an account, revenue, a balance, the sums around a
# supplement: "補助上限額 50万円", "所要見込額 1,200千円", "現計予算額 3,000千円", "一般会計 2億2,468万9千円",
# "歳入 5億円", "税収 5兆450億円", "基金残高 1億円", "補正前の額 500千円", "総額 233,453千円"; a multi-year
# cost, the previous year's figure, a change, a figure for reference, a rate per person or period:
# "総事業費 9,000千円", "前年度 1,000千円", "増減 △500千円", "（参考）… 1,000千円", "月額 30,000円", "1人当たり 5万円"
# A transfer to another account (「介護保険事業特別会計繰出金」): this account's spending, a program's budget,
# though it names an account; alone, the kind of spending (性質別) all transfers are summed by
TRANSFER_OUT: Final = "繰出金"
# The words a printed change from the previous year is labelled with, after a program's budget: "(前年比 +1,000千円)",
# "(対前年度 500千円減)", "予算額 45,000千円 対前年度 △2,000千円", "(増減 △300千円)"
CHANGE_WORDS: Final = ("対前年度比", "対前年度", "対前年比", "対前年", "前年度比", "前年比", "増減", "比較")
# Of them, the figures a table's column may hold beside the year's budget: a multi-year cost, a total, a cap, an
# estimate, a rate per person or period ("総事業費", "補助上限額", "所要見込額", "単価", "補助基準額"), a department's request
# ("要求額" beside "査定額"); and the budget before or after a supplement ("補正前予算額", "補正後予算額", "現計予算額")
# The words of a figure per person or per unit: "1人当たり 5万円", "(市民1人当たり約3,346円)", "1施設あたり"
PER_UNIT_WORDS: Final = ("当たり", "あたり")
OTHER_FIGURE_WORDS: Final = ("上限", "限度額", "見込額", "総額", "総事業費", "全体事業費", "月額", "年額", "日額", "単価", *PER_UNIT_WORDS,
                      "基準額", "要求額")
AROUND_SUPPLEMENT_WORDS: Final = ("補正前", "補正後", "現計")
# The end of a word that names an amount, never a program: "予算額", "補正後額", "計上額" (and "後額" of "補正" / "後額
# 35,000千円", a label broken at a line's end)
AMOUNT_WORD_END: Final = "額"
# A settled year's figure and the funding a figure comes from are no budget either: "決算額 9,000千円",
# "令和6年度決算 9,000千円", "（財源）国 6,000千円"; nor a future obligation or a carried-over sum ("債務負担行為 50,000千円")
NOT_A_BUDGET: Final = (*OTHER_FIGURE_WORDS, *AROUND_SUPPLEMENT_WORDS[:2], "現計予算額", "会計", "歳入", "歳出", "税収", "残高",
                PRIOR_YEAR, "前年", "増減", "比較", "差引", "差額", "参考", "決算", "財源", *NON_PROGRAM_TABLES)
# The names of accounts and of the kinds of spending and revenue a budget is summed by, whole: the
# figure after one is a total, never a program's budget ("民生費 12,345,678千円" in a table by purpose,
# "扶助費 6,700,000千円" by kind, "地方交付税 …" of revenue). 歳出 款 and the 項 of 民生費 and 衛生費
# (地方自治法施行規則 別記), the kinds of spending (性質別), and the 款 of revenue (``REVENUE_NAMES``).
SPENDING_NAMES: Final = (
    "議会費", "総務費", "民生費", "衛生費", "労働費", "農林水産業費", "商工費", "土木費", "警察費", "消防費", "教育費",
    "災害復旧費", "公債費", "諸支出金", "予備費",
    "社会福祉費", "老人福祉費", "児童福祉費", "生活保護費", "災害救助費", "国民年金費", "保健衛生費", "結核対策費",
    "保健所費", "清掃費", "環境衛生費", "医薬費",
    "人件費", "物件費", "維持補修費", "扶助費", "補助費等", "普通建設事業費", "災害復旧事業費", "失業対策事業費",
    "積立金", "投資及び出資金", "貸付金", TRANSFER_OUT, "義務的経費", "投資的経費", "その他の経費",
    # the 款 of the special accounts of health and care insurance named by no program's words: "保険給付費 5,000,000千円"
    "保険給付費", "基金積立金", "国民健康保険事業費納付金", "後期高齢者医療広域連合納付金",
)
# The kinds of spending a budget book's 節 are (地方自治法施行規則 別記), and the parts of a program's cost printed under
# it by the same words: "委託料 1,000千円", "補助金 1,000千円" under "■在宅医療推進事業【12,000千円】" are its cost's parts
SECTION_NAMES: Final = (
    "報酬", "給料", "職員手当等", "共済費", "災害補償費", "恩給及び退職年金", "報償費", "旅費", "交際費", "需用費", "役務費",
    "委託料", "使用料及び賃借料", "工事請負費", "原材料費", "公有財産購入費", "備品購入費", "負担金補助及び交付金",
    "補償補填及び賠償金", "償還金利子及び割引料", "公課費",
    "補助金", "負担金", "交付金", "事務費", "委託費", "支援金", "給付金", "補償金", "助成金",
)
# The words the name of a line of spending ends in, in a list numbered "(1)", "(2)" under a unit note and a group's
# heading: "(1) 保育所運営費 1,234,567", "(2) 児童手当 987,654", "(3) 介護保険事業特別会計繰出金 2,345,678" (never a 節's
# name alone, "(1) 補助金 1,000", nor a cost's part, "(2) 委託料 500": ``COST_PART_ENDS``)
LISTED_SPENDING_ENDS: Final = ("費", "手当", "金", "助成")
# The words a cost's part ends in, the kind of spending it is, never a program's name: "指定ごみ袋作製委託料 14,740千円",
# "医薬材料費 3,700千円" under a program (a budget book's 節 and what they buy, and the parts of 需用費 and 役務費 a
# breakdown names: "支援金 13,049千円 郵便料 72千円 消耗品費 50千円")
COST_PART_ENDS: Final = ("委託料", "需用費", "役務費", "報償費", "旅費", "材料費", "工事請負費", "備品購入費", "使用料及び賃借料",
                  "手数料", "消耗品費", "燃料費", "食糧費", "印刷製本費", "光熱水費", "修繕料", "通信運搬費", "郵便料",
                  "広告料")
# The names of revenue accounts, whole: the 款 of a general account's revenue, the revenue of the
# special accounts of health and care insurance ("5−1−1 保険給付費等交付金の増 500万円" is revenue),
# and the kinds of funding a budget is split into ("・一般財源 5,000千円")
REVENUE_NAMES: Final = (
    "市税", "町税", "村税", "県税", "都税", "道税", "府税", "区税", "地方税", "地方譲与税", "地方交付税", "地方特例交付金",
    "利子割交付金", "配当割交付金", "株式等譲渡所得割交付金", "地方消費税交付金", "環境性能割交付金", "分担金及び負担金",
    "使用料及び手数料", "国庫支出金", "県支出金", "都支出金", "道支出金", "府支出金", "財産収入", "寄附金", "繰入金",
    "繰越金", "諸収入", "市債", "町債", "村債", "県債", "都債", "地方債", "自主財源", "依存財源", "寄付金",
    "国民健康保険税", "国民健康保険料", "介護保険料", "後期高齢者医療保険料", "保険給付費等交付金", "介護給付費交付金",
    "地域支援事業交付金", "支払基金交付金", "一般会計繰入金", "基金繰入金",
    "一般財源", "特定財源", "国庫補助金", "国庫負担金", "県補助金", "県負担金", "都補助金", "都負担金",
    "国費", "県費", "都費", "道費", "府費", "市費", "町費", "村費", "区費",
    "使用料および手数料", "分担金および負担金",  # (spelt in kana: a newsletter's)
)
# The special accounts a budget's summary lists with their totals, whole: "国民健康保険 9,700 万円", "簡易水道事業
# 3,640 万円" under "会計区分 予算額" (a special account's total, never a program's budget)
SPECIAL_ACCOUNT_NAMES: Final = ("国民健康保険", "介護保険", "後期高齢者医療", "国民健康保険事業", "介護保険事業", "後期高齢者医療事業",
                         "簡易水道事業", "農業集落排水事業", "公共下水道事業", "下水道事業", "水道事業", "病院事業")
ACCOUNT_NAMES: Final = SPENDING_NAMES + SECTION_NAMES + REVENUE_NAMES + SPECIAL_ACCOUNT_NAMES
# The name of the rest of a breakdown, no program: "その他 3.6万円", "その他の事業 1,200千円"
RESIDUAL_NAMES: Final = ("その他", "その他の事業", "その他事業")
# The words after an item's name that say it grows or shrinks: "保険給付費等交付金の増", "…の減額"
CHANGE_SUFFIXES: Final = ("の増額", "の減額", "の増", "の減")
# What a part of the figure above opens with: "うち一般財源 141,174", "(うち国庫負担金) 900,000": no program
OF_WHICH: Final = "うち"
# The words a group's heading over its programs ends in, its aim: "(1) 介護人材の確保", "2 地域福祉の推進",
# "子育て支援の充実"; a numbered line ending so is no program's name wrapped onto the next line
GROUP_AIM_ENDS: Final = ("推進", "充実", "確保", "強化", "向上", "促進", "構築")
# The names of a total line, whole: "計 50,121千円", "合計 2,498,826千円"
TOTAL_NAMES: Final = ("計", "合計", "総計", "小計", "累計")
# The marks a flag column prints for "yes" under a header naming one flag: "新規" over "○", "★"
YES_MARKS: Final = "○〇◯●★✓✔"
# Flags printed short, with the word they stand for: "(新)", "(一部新)", "(拡)", "【New】", "新 在宅療養推進事業",
# "(縮)", "(廃)", "(再)", "一新 がん患者ウィッグ等購入費助成事業" (一部新規)
FLAG_ABBREVIATIONS: Final = {"新": "新規", "拡": "拡充", "縮": "縮小", "廃": "廃止", "再": "再掲", "一新": "一部新規", "New": "新規",
                      "NEW": "新規"}

# -- document metadata --------------------------------------------------------------

# The words of a title about the settlement of a year's accounts, whose figures are sums spent: "令和5年度決算の概要",
# "主要施策の成果説明書", "主要な施策の成果報告書"
SETTLEMENT_TITLE_WORDS: Final = ("決算", "施策の成果", "成果説明書", "成果報告書")
# The kinds of budget a document is about, as printed before 予算: "令和８年度 当初予算編成の概要",
# "令和７年度石垣市一般会計補正予算（第１２号）", "令和７年度 １月専決予算に計上した事業"
BUDGET_KINDS: Final = ("当初", "補正", "専決")
# The word every budget title ends its kind with: "補正予算", "当初予算（案）"
BUDGET_WORD: Final = "予算"
# The accounts a budget title names between the government and the kind:
# "令和８年度石垣市介護保険事業特別会計予算", "南国市一般会計当初予算（案）の概要"
ACCOUNT_WORD: Final = "会計"
# The ends of a department's name, bureau to section: "東京都福祉局", "保健医療局医療政策部", "財政課作成"
DEPARTMENT_ENDS: Final = "局部課"  # a character-class body
# The ends of the office a program's tag names, a department's and the smaller ones:
# "【総務課】", "【健康長寿課】", "【企画室】", "【保健センター】"
OFFICE_ENDS: Final = (*DEPARTMENT_ENDS, "室", "係", "所", "センター")
# What a department printed as the author of a document says after its name: "令和８年５月27日 財政課作成"
AUTHOR_WORDS: Final = ("作成", "発行")
# The head of a mayor's or governor's signature: "石垣市長 中山義隆"
HEAD_WORD: Final = "長"
# The word of a material's number: "資料3", "参考資料1", "資料５-２"
MATERIAL_WORD: Final = "資料"
REFERENCE_PREFIX: Final = "参考"
# The bodies a meeting is named after: "令和6年度第2回 東京都在宅介護・医療協働推進部会 次第"
MEETING_WORDS: Final = ("部会", "委員会", "審議会", "協議会", "会議", "定例会", "臨時会")
# The words of a meeting's agenda page: "… 推進部会 次第", "日程" (a committee's order of business)
AGENDA_WORDS: Final = ("次第", "日程")
# A bill: "議案第５号", "議案第 16 号"
BILL_WORD: Final = "議案"
# The word of a summary: "６月補正予算の概要", "令和８年度 当初予算編成の概要"
SUMMARY_WORD: Final = "概要"
# A summary's table of the programs a budget funds: "令和７年度 ３月補正予算に計上した主な事業"
FUNDED_PROGRAMS: Final = "に計上した主な"
# The titles of a budget book: "歳出予算書＿事項別明細書00002", "予算に関する説明書"
BOOK_TITLES: Final = ("事項別明細書", "予算書", "予算説明書", "予算に関する説明書")
# A newsletter's name: "広報おといねっぷ"
NEWSLETTER_WORD: Final = "広報"
