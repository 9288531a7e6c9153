"""Table rows: a table of programs (a header row, then one row per program) to its columns.

Input: parse-form lines whose cells are joined by a tab (the PDF reader writes a ruled table
row so). Output: a ``TableSpec`` from a header row — which cell holds the program's name, its
budget, the previous year's amount, the change, the description and the number — and a
``TableRow`` per row under it, with the amounts as ``Budget`` records in the unit the table
states. A table says which column is the budget only by its header: this year's amount
(``Ｒ８年度当初予算額``, ``事業費``, ``補正額``) is the first amount column that is neither the
previous year's (``Ｒ７年度当初予算額``, ``前年度``), a change (``増減``, ``比較``), a settled year's (``決算``), the
budget before or after a supplement (``補正前予算額``, ``補正後予算額``) nor funding
(``財源内訳``, ``国``, ``一般財源``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Final

from ..records import Budget
from ..text.forms import CharMap, to_display_form, to_parse_form
from ..text.vocab import (
    ACCOUNT_HEADER,
    AROUND_SUPPLEMENT_WORDS,
    CIRCLED_ERA_MARKS,
    COST_ALONE_HEADER,
    ERA_BASE,
    FISCAL_ERA_LETTER,
    FISCAL_ERA_NAME,
    FLAG_WORDS,
    INITIAL_BASIS_WORDS,
    MAIN_PROGRAMS_HEADERS,
    NAMED_FISCAL_YEAR,
    NEGATIVE_MARKS,
    NON_PROGRAM_TABLES,
    NONE_CELLS,
    OFFICE_ENDS,
    OTHER_FIGURE_WORDS,
    PRIOR_YEAR,
    PROGRAM_NAME_ENDS,
    RATE_HEADER,
    SUPPLEMENT_BASIS_WORDS,
    TABLE_DESCRIPTION_WORDS,
    TABLE_ITEM_HEADERS,
    TABLE_NAME_HEADERS,
    UNIT_FACTORS,
    UNIT_LABEL,
    YEAR_ALONE_HEADER,
    YEARS_ITEM_HEADER,
    YEN,
    YES_MARKS,
    join_alternatives,
)
from .fields import AMOUNT, canonicalize_flag, parse_era_year, read_label_year
from .money import AMOUNT_TEXT, compute_yen, read_amount, read_circled_era

# Brackets and figures back in their plain form, as the account cells are read: "（１）" → "(1)"
NARROW: Final = CharMap({"（": "(", "）": ")"})

# The word every name header holds ("事業名", "細事業名", "事業の名称")
NAME_HEADER_WORD: Final = "事業"
# The other name headers (``TABLE_ITEM_HEADERS``) a header row may hold instead, set wide or not: "項　目", "事項"
ITEM_HEADER_WORD: Final = re.compile("|".join(r"\s*".join(word) for word in TABLE_ITEM_HEADERS))
# ... and "区分", set wide or not, "区　分" (``YEARS_ITEM_HEADER``), taken only over years' columns under a unit note
YEARS_ITEM_WORD: Final = re.compile(r"\s*".join(YEARS_ITEM_HEADER))
# A program's cost alone, perhaps with its unit: "事業費", "事業費(千円)" (beside "区分" under a unit note: the rows are programs)
COST_HEADER: Final = re.compile(COST_ALONE_HEADER)
# The amount header beside an item's word (``ITEM_HEADER_WORD``) that makes the rows programs: "予算額(千円)", "事業費",
# "補正額" (not a mere sum, "金額", of a supplement's list of grants)
ITEM_BUDGET_WORD: Final = re.compile(r"予算|事業費|補正額|査定額")
# The same word set wide, as a header cell may be: "事 業 名"
TRACKED_NAME_WORD: Final = re.compile(r"事\s+業")
# The header of the name column: "事業名", "細事業名", "事業の名称"
NAME_HEADER: Final = re.compile(rf"^細?(?:{join_alternatives(TABLE_NAME_HEADERS)})$")
# ... and "主な事業", "項目" (``MAIN_PROGRAMS_HEADERS``, ``TABLE_ITEM_HEADERS``), taken only beside a budget's
# header: "予算額(百万円)", not "令和8年度"
MAIN_HEADER: Final = re.compile(rf"^(?:{join_alternatives(MAIN_PROGRAMS_HEADERS + TABLE_ITEM_HEADERS)})$")
BUDGET_HEADER_WORD: Final = re.compile(r"予算|事業費|補正額|金額|査定額")
# The header of an amount column: "Ｒ８年度当初予算額", "事業費", "補正額", "予算額", "金額", "予算額(千円)", "査定額" (the sum
# a request was granted, beside "要求額": ``OTHER_FIGURE_HEADER``)
# (a note in parentheses opens none of its own: an unclosed one is read to the next, time linear)
# A year's column named by the year alone: "本年度", "前年度", "前年度額", "令和8年度", "令和八年度", "R8当初", "R7年度当初予算"
# "令和8年度予算案", "R8当初予算案" (a draft's column), "2026年度"; "当初予算" over this year's column
# "⑦当初", "⑥予算額" (a year of the era by its circled mark), "7年度" (a year without its era)
AMOUNT_HEADER: Final = re.compile(
    rf"(?:予算額|予算案|事業費|補正額|金額|査定額|^当初予算)(?:\([^()]*\))?$"
    rf"|^(?:本年度|{PRIOR_YEAR}|(?:{FISCAL_ERA_NAME}|{FISCAL_ERA_LETTER})[0-9]{{1,2}}(?:年度)?"
    rf"|{NAMED_FISCAL_YEAR}|(?:19|20)[0-9]{{2}}年度|[{CIRCLED_ERA_MARKS}](?=年度|当初|予算)(?:年度)?|[0-9]{{1,2}}年度)"
    rf"(?:当初)?(?:予算案?|額)?(?:\([^()]*\))?$"
)
# A year's header alone, under a header across several years' columns: "令和8年度", "R7", "令和7年度当初"
YEAR_HEADER: Final = re.compile(YEAR_ALONE_HEADER)
# Of them, the budget before the supplement and the sum after it: "補正前予算額", "補正前の額"; "補正後", "補正後予算額", "現計"
BEFORE_SUPPLEMENT: Final = re.compile(r"補正前")
AFTER_SUPPLEMENT: Final = re.compile(r"補正後|現計")
# The columns around a supplement's, never its budget: the budget before it and after it, "補正前予算額",
# "補正後予算額", "現計予算額" (the supplement's program budget is the sum it adds, "補正額")
AROUND_SUPPLEMENT_HEADER: Final = re.compile(join_alternatives(AROUND_SUPPLEMENT_WORDS))
# A supplement's column, the sum it adds: "補正額", "補正予算額", "補正額(千円)"; and the initial budget's beside it,
# the budget before the supplement: "当初予算額", "当初予算"
SUPPLEMENT_HEADER: Final = re.compile(rf"^(?:{join_alternatives(SUPPLEMENT_BASIS_WORDS)})(?:\([^()]*\))?$")
INITIAL_HEADER: Final = re.compile(rf"^(?:{join_alternatives(INITIAL_BASIS_WORDS)})(?:\([^()]*\))?$")
# Columns of other figures than a year's budget, whatever amount word they end in: a multi-year cost, a total, a cap,
# an estimate, a rate per person or period: "総事業費", "補助上限額", "所要見込額", "単価", "1人当たり金額"
OTHER_FIGURE_HEADER: Final = re.compile(join_alternatives(OTHER_FIGURE_WORDS))
# A settled year's column, never the budget nor the previous year's budget: "令和6年度決算", "R6決算額"
SETTLED_HEADER: Final = re.compile(r"決算")
# The header of a change column: "増減", "比較", "差引", "比較増減", "対前年度増減額", "前年度比較", "令和6年度比較" (the
# change from that year's)
CHANGE_HEADER: Final = re.compile(rf"^(?:対?前年度?|(?:{FISCAL_ERA_NAME}|{FISCAL_ERA_LETTER})[0-9]{{1,2}}(?:年度)?)?(?:比較)?"
                           r"(?:増減|比較|差引|差額)(?:額)?(?:\([^)]*\))?$")
# The header of the previous year's column: "前年度予算額", "Ｒ７年度当初予算額" (checked against the year)
PRIOR_HEADER: Final = re.compile(r"前年度|前年")
# Funding columns, never the budget: "財源内訳", "一般財源", "国", "県"
FUNDING_HEADER: Final = re.compile(r"財源")
# The header of the description column: "主な事業内容", "概要", "事業内容"
DESCRIPTION_HEADER: Final = re.compile(join_alternatives(TABLE_DESCRIPTION_WORDS))
# The header of an account column: "款・項・目", "款項目", "会計名款・項" (parse form, white space removed)
ACCOUNT_HEADER_CELL: Final = re.compile(ACCOUNT_HEADER)
# An account cell: the 款, 項 and 目 a row belongs to, each with its number, any of them left out
# where the row above named it: "2総務費1)総務管理費(1)一般管理費", "2)清掃費(1)清掃総務費", "(4)健康推進費"
ACCOUNT_CELL: Final = re.compile(
    r"^(?:(?P<kan>[0-9]{1,2})(?P<kan_name>[^0-9()]+?))?(?:(?P<kou>[0-9]{1,2})\)(?P<kou_name>[^0-9()]+?))?"
    r"(?:\((?P<moku>[0-9]{1,2})\)(?P<moku_name>[^()]+))?$"
)
# The header of the number column: "番号", "No.", "No"
NUMBER_HEADER: Final = re.compile(r"^(?:番号|No\.?|NO\.?)$")
# A department's tag after a program's name, with the program's number in that department before
# it: "私立学校等給食等支援金給付事業1【総務課】", "指定ごみ袋等作製管理事業1-1【資源対策課】"
DEPARTMENT_TAG: Final = re.compile(rf"(?:[0-9]+(?:-[0-9]+)*)?【[^【】\s]{{1,20}}(?:{join_alternatives(OFFICE_ENDS)})】$")
# The year a header names: "R8年度当初予算額" (parse form), "令和8年度予算額", "令和八年度予算額", "R7", "2026年度"
# "⑦当初" (a circled mark before 年度, 当初 or 予算: a year of the era), "7年度" (a year without its era, read next to the
# document's)
HEADER_YEAR: Final = re.compile(rf"(?P<era>{FISCAL_ERA_NAME}|{FISCAL_ERA_LETTER})\s*(?P<n>[0-9]{{1,2}})(?![0-9])(?:\s*年度)?"
                         rf"|(?P<named>{NAMED_FISCAL_YEAR})|(?P<circled>[{CIRCLED_ERA_MARKS}])(?=年度|当初|予算)"
                         rf"|(?<![0-9])(?P<short>[0-9]{{1,2}})\s*年度"
                         rf"|(?<![0-9])(?P<western>(?:19|20)[0-9]{{2}})\s*年度")
# A table's unit, over it or in a header cell: "(単位:千円)", "(千円)", "(単位 千円)", "(単位:千円、%)"; unbracketed
# after its label, as a spreadsheet's cell prints it: "単位:百万円"
# the units of other figures of the table after the amounts': "(単位:千円、%)", "(単位:千円・人)"
OTHER_UNITS: Final = r"(?:\s*[、,・/]\s*(?:%|人|件|か所|箇所|回))*"
UNIT_NOTE: Final = re.compile(rf"^(?:(?P<open>\()\s*(?:{UNIT_LABEL}\s*[:：]?\s*)?|{UNIT_LABEL}\s*[:：]\s*)"
                       rf"(?P<unit>{join_alternatives(UNIT_FACTORS)}){OTHER_UNITS}(?(open)\s*\))$")
UNIT_IN_HEADER: Final = re.compile(rf"\(\s*(?:{UNIT_LABEL}\s*[:：]?\s*)?(?P<unit>{join_alternatives(UNIT_FACTORS)})\s*\)")
# A table title naming the kind of its programs: "11．令和８年度 当初予算に計上した主な新規事業"; one naming two kinds,
# "新規・拡充事業", names neither row's
FLAGGED_TITLE: Final = re.compile(rf"(?<![・、,/])(?<!及び)(?P<flag>{join_alternatives(FLAG_WORDS)})事業\s*$")
FLAGGED_TITLE_WORD: Final = re.compile(rf"(?:{join_alternatives(FLAG_WORDS)})事業")
# A title over a table whose amounts are no program's budget: "第２表繰越明許費補正", "第３表 債務負担行為"
NON_PROGRAM_TITLE: Final = re.compile(join_alternatives(NON_PROGRAM_TABLES))
# The rule between two cells of a table printed with runs of spaces for its rules (a text
# export, a copy of a spreadsheet): "番号  事業名      R8年度予算額  R7年度予算額"; a tab, where the rows below a
# header so parted were set apart as cells ("児童虐待防止対策事業\t9,500\t9,000" under "事業名 予算額 前年度")
SPACED_RULE: Final = re.compile(r"\s*\t\s*|\s{2,}")
# A run of white space parting a header's cells: the "　　" of "事業名　　予算額" (parse form "  ")
CELL_RUN: Final = re.compile(r"\t|\s{2,}")
# Figures a single space apart, and nothing else: "1,204,330 1,138,900" (parse form)
FIGURES_APART: Final = re.compile(rf"[{NEGATIVE_MARKS}]?[0-9][0-9,.]*(?: [{NEGATIVE_MARKS}]?[0-9][0-9,.]*)+")
# A row of a Markdown table: "| 道路整備事業 | 1,234 | 1,100 |" (its rule row "|---|---|" gives no program)
PIPE_ROW: Final = re.compile(r"^\s*\|.*\|\s*$")
# A cell holding one amount: "375,206", "△82,662", "0"; with a point, in a table of 百万円: "1,234.5"
# (read only when it is a whole number of yen)
AMOUNT_CELL: Final = re.compile(rf"^(?P<sign>[{NEGATIVE_MARKS}])?\s*(?P<number>(?:{AMOUNT})(?:\.[0-9]+)?)$")
# A cell holding one amount with its unit, whatever the table's: "12,345千円", "1億2,000万円", "△800千円"
MONEY_CELL: Final = re.compile(rf"^{AMOUNT_TEXT}$")


@dataclass(frozen=True)
class TableSpec:
    """What a table's header row says its columns hold."""

    width: int
    name: int
    budget: int | None  # none in a list of programs by name, flag and outline alone
    prior: int | None = None
    change: int | None = None
    description: int | None = None
    number: int | None = None
    fiscal_year: int | None = None
    prior_fiscal_year: int | None = None
    unit: str | None = None
    flag: int | None = None  # a column of flags: "新規" over "新" or "○"
    flag_word: str | None = None  # the flag its header names
    rule: str = "tab"  # what parts its cells: "tab", "spaces" (runs of them) or "pipe" (a Markdown table)
    account: int | None = None  # a column of 款・項・目
    # its last cell names the budget's funding (「財源内訳」), over a group of columns the rows below print
    # several of (「国庫支出金 県支出金 その他 一般財源」): a row may have more cells than the header
    funding_last: bool = False
    rate: int | None = None  # a column of subsidy rates: "補助率" over "県1/2", "国1/2・市1/2"
    # the columns of text its header ends in, after its last column of figures ("備考", "概要"): a row parted by runs
    # of spaces that leaves them empty ends in its last figure
    text_after: int = 0
    # a table parted by runs of spaces: the column each header cell starts at, counted a character a column and
    # counted a wide character two (``find_column_starts``), and the count its rows have been found set by
    # (``place_cells``): "narrow" or "wide", or None while no whole row has told it
    starts: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    placed: str | None = None
    # a table parted by single spaces, its name first and figures in every other column (「区分 R7予算 R6予算 増減」):
    # a row's last words are its figures, the words before them its name
    single: bool = False
    # a supplement's table: the columns of the budget before it (「補正前」) and of the sum after it (「補正後」)
    before: int | None = None
    after: int | None = None


@dataclass(frozen=True)
class TableRow:
    name: str
    number: str | None
    budget: Budget | None
    prior: Budget | None
    change: Budget | None
    description: str | None
    budget_text: str | None = None  # the budget cell as printed ("1,670,858"), read or not
    flags: tuple[str, ...] = ()
    account: tuple[str | None, str | None, str | None] | None = None  # 款, 項, 目 names the row prints
    rate_text: str | None = None  # the rate column's cell, "県1/2"
    before: Budget | None = None  # a supplement's row: the budget before it and the sum after it
    after: Budget | None = None


def read_header_year(cell: str, fiscal_year: int | None = None) -> int | None:
    m = HEADER_YEAR.search(cell)
    if m is None:
        return None
    if m["short"]:
        return read_label_year(f"{m['short']}年度", fiscal_year)  # 「７年度」 in a document of 令和7年度
    if m["western"]:
        return int(m["western"])
    if m["named"]:
        return parse_era_year(m["named"])  # 「令和八年度」
    if m["circled"]:
        return read_circled_era(m["circled"])  # 「⑦当初」
    return ERA_BASE[m["era"]] + int(m["n"])


# The most years' columns of amounts a table of budgets prints, this year's and the year before's: a table of more
# is a plan of the years to come (「R7(2025)　R8(2026)　R9(2027)」)
MAX_BUDGET_YEARS: Final = 2


def read_header(text: str, unit: str | None = None, fiscal_year: int | None = None,
                unit_over: bool = False) -> TableSpec | None:
    """Return what a header row says its columns hold, or None when it is not a program table's header.

    ``unit`` is the table's unit stated over it (``（単位：千円）``); ``fiscal_year`` the
    document's, which tells this year's column from the previous year's; ``unit_over``, that the unit
    note stands right over this row, so that a year alone names an amount column beside an item's
    word (「区分　令和８年度　令和７年度　増減」 under 「（単位：千円）」).
    """
    # every name header says 事業 or an item's word: most lines are told at once
    if NAME_HEADER_WORD not in text and not TRACKED_NAME_WORD.search(text) and not ITEM_HEADER_WORD.search(text) \
            and not (unit_over and (YEARS_ITEM_WORD.search(text) or HEADER_YEAR.search(text))):
        return None
    rule = find_cell_rule(text)
    parts = split_cells(text, rule)
    if rule == "spaces":  # 「番号　事業名　　　予算額（千円）　前年度（千円）」: header cells a mere space apart
        parts = [piece for part in parts for piece in split_header_cell(part)]
    cells = [re.sub(r"\s+", "", c) for c in parts]
    # two cells make a header when the other is an amount's: 「事業名　　　予算額（円）」, not a field 「事業名　地域…事業」
    if len(cells) < 2 or len(cells) == 2 and not any(AMOUNT_HEADER.search(c) and BUDGET_HEADER_WORD.search(c) for c in cells):
        return None
    # 「事業名」, or the name's header after the account's in one cell: 「款・項・目／事業名」
    name = next((i for i, c in enumerate(cells) if NAME_HEADER.match(c) or NAME_HEADER.match(c.rpartition("/")[2])), None)
    # 「区分　令和８年度　令和７年度　増減」, 「区分　R7予算　R6予算　増減」 right under 「（単位：千円）」: years' columns of amounts
    years_of_amounts = unit_over and any(YEAR_HEADER.match(c) or AMOUNT_HEADER.search(c) and HEADER_YEAR.search(c)
                                         for c in cells)
    if name is None and years_of_amounts and all(not c or is_figure_header(c) for c in cells):
        # 「　　　　⑦当初　　⑥当初　　増減」 right under 「（単位：千円）」: over the rows' figures, the names' column unheaded
        if cells[0]:
            cells = ["", *cells]
        name = 0
    # 「区分　事業費　財源内訳」 right under 「（単位：千円）」: the cost of each program, as a year's column is
    costs = unit_over and any(COST_HEADER.match(c) for c in cells)
    if name is None and (years_of_amounts or any(BUDGET_HEADER_WORD.search(c) for c in cells)):
        # 「施策　主な事業　予算額（百万円）」, 「項目　予算額（千円）」 (of two cells, the other a budget's: above)
        name = next((i for i, c in enumerate(cells)
                     if MAIN_HEADER.match(c) or (years_of_amounts or costs) and c == YEARS_ITEM_HEADER), None)
        if name is not None and ITEM_HEADER_WORD.match(cells[name]) and not years_of_amounts \
                and not any(ITEM_BUDGET_WORD.search(c) for c in cells):
            name = None  # 「款・項　目　事項　金額」: a sum by item of spending (a grant's, a fee's), no program's budget
    if name is None:
        return None
    budget: int | None = None
    prior: int | None = None
    change: int | None = None
    description: int | None = None
    number: int | None = None
    flag: int | None = None
    flag_word: str | None = None
    account: int | None = None
    rate: int | None = None
    years: dict[int, int | None] = {}
    undecided = False  # two years' columns, neither told the budget's
    before: int | None = None  # a supplement's table: the budget before it, and the sum after it
    after: int | None = None
    # 「当初予算額　補正額　補正後」: a supplement's table, whose budget is the sum it adds, the initial budget the one before it
    supplement = any(SUPPLEMENT_HEADER.match(c) for c in cells)
    for i, cell in enumerate(cells):
        if not cell or i == name:
            continue
        year = years[i] = read_header_year(cell, fiscal_year)
        if CHANGE_HEADER.match(cell):
            change = i if change is None else change
        elif FUNDING_HEADER.search(cell) or SETTLED_HEADER.search(cell) or AROUND_SUPPLEMENT_HEADER.search(cell) \
                or OTHER_FIGURE_HEADER.search(cell) or (supplement and INITIAL_HEADER.match(cell)):
            if supplement and (BEFORE_SUPPLEMENT.search(cell) or INITIAL_HEADER.match(cell)):
                before = i if before is None else before  # 「補正前」: the budget the supplement adds to
            elif supplement and AFTER_SUPPLEMENT.search(cell):
                after = i if after is None else after  # 「補正後」: the sum of the two
            continue
        elif AMOUNT_HEADER.search(cell) and fiscal_year is not None and year is not None and year > fiscal_year:
            continue  # 「R8(2026)」 beside 「R7(2025)」 in a plan of 令和７年度: a later year's planned sum, no budget
        elif AMOUNT_HEADER.search(cell):
            is_prior = bool(PRIOR_HEADER.search(cell))
            budget_year = years.get(budget) if budget is not None else None
            if year is not None and budget_year is not None and year < budget_year:
                is_prior = True
            if fiscal_year is not None and year is not None and year < fiscal_year:
                is_prior = True
            if is_prior:
                prior = i if prior is None else prior
            elif budget is None:
                budget = i
            elif year is not None and budget_year is not None and year > budget_year and prior is None:
                if fiscal_year is None and not (BUDGET_HEADER_WORD.search(cell) and BUDGET_HEADER_WORD.search(cells[budget])):
                    undecided = True  # 「R7(2025)　R8(2026)」: a budget and the next year's plan, or the year before's and a budget
                budget, prior = i, budget  # 「R7予算額」 then 「R8予算額」: the later year's is this year's
        elif cell.startswith(RATE_HEADER) and len(cell) <= len(RATE_HEADER) + 1 and rate is None:
            rate = i  # 「補助率」, 「補助率等」
        elif DESCRIPTION_HEADER.search(cell) and description is None:
            description = i
        elif NUMBER_HEADER.match(cell):
            number = i
        elif ACCOUNT_HEADER_CELL.search(cell) and account is None:
            account = i
        elif flag is None and canonicalize_flag(cell):
            flag, flag_word = i, canonicalize_flag(cell)
    # (a change's column beside the two, 「比較増減」, is the later year's less the earlier's: the later's the budget)
    planned = undecided and change is None or fiscal_year is None and len({year for i, year in years.items()
                                                        if year is not None and AMOUNT_HEADER.search(cells[i])}) > MAX_BUDGET_YEARS
    if planned:  # 「R7(2025)　R8(2026)　R9(2027)」 where no year is told the document's: which is the budget goes untold
        budget = prior = None
    if budget is None and flag is None and description is None and not planned:
        return None  # 「№ 会計名 新規 事業名 概要 減免額」 lists programs by flag and outline; a table of names alone is none
    if unit is None:
        unit = next((m["unit"] for c in cells if (m := UNIT_IN_HEADER.search(c))), None)
    prior_year = years.get(prior) if prior is not None else None
    if prior is not None and prior_year is None and fiscal_year is not None and PRIOR_HEADER.search(cells[prior]):
        prior_year = fiscal_year - 1  # 「前年度」 beside this year's column
    funding_last = FUNDING_HEADER.search(cells[-1]) is not None
    text_after = 0
    while text_after < len(cells) - 1 and not is_figure_header(cells[-1 - text_after]):
        text_after += 1
    # 「区分 R7予算 R6予算 増減」: no run of spaces, a word's cells before the name's, figures' after it, then text's
    single = rule == "spaces" and budget is not None and not CELL_RUN.search(text.strip()) \
        and all(is_figure_header(c) for c in cells[name + 1:len(cells) - text_after])
    return TableSpec(len(cells), name, budget, prior, change, description, number, years.get(budget) if budget is not None else None,
                     prior_year, unit, flag, flag_word, rule, account, funding_last, rate=rate, text_after=text_after,
                     single=single, before=before, after=after)


def is_figure_header(cell: str) -> bool:
    """Tell whether a header cell heads a column of figures: an amount's, a change's, a funding's, a settled year's, one
    around a supplement or of another figure (「補正後」, 「財源内訳」, 「上限額」)."""
    return any(p.search(cell) for p in (AMOUNT_HEADER, FUNDING_HEADER, SETTLED_HEADER, AROUND_SUPPLEMENT_HEADER,
                                        OTHER_FIGURE_HEADER)) or CHANGE_HEADER.match(cell) is not None


def read_header_unit(text: str, spec: TableSpec) -> str | None:
    """Return the unit a table's second header row states under the first: 「　予算額（千円）　予算額（千円）」
    under 「事業名　令和７年度　令和６年度」 (its name cell empty, each of its cells an amount's header
    naming that one unit), or the unit alone under each amount's header (「（千円）　（千円）」, the cells before and
    after them empty, which the row's text may not keep); None for any other row."""
    cells = split_cells(text, spec.rule)
    if cells and cells[0].strip() == UNIT_LABEL and spec.name != 0:
        # 「単位,,千円,千円,…」: the unit's label in a cell of its own, before the units, bare
        units = {c.strip() for c in cells[1:] if c.strip()}
        if len(units) == 1 and (unit := units.pop()) in UNIT_FACTORS:
            return unit
    notes = [m["unit"] for c in cells if c.strip() and (m := UNIT_NOTE.match(re.sub(r"\s+", "", c)))]
    if notes and len(notes) == len([c for c in cells if c.strip()]) < spec.width and len(set(notes)) == 1:
        return notes[0]  # 「（千円）　（千円）」 under 「事業名　令和８年度　令和７年度　概要」: the amount columns' unit alone
    if spec.rule == "spaces" and spec.name == 0 and len(cells) == spec.width - 1:
        cells = ["", *cells]  # its empty name cell, which white space does not tell from the line's indent
    if len(cells) != spec.width or cells[spec.name].strip():
        return None
    headers = [re.sub(r"\s+", "", c) for c in cells if c.strip()]
    units = {m["unit"] for c in headers if (m := UNIT_IN_HEADER.search(c))}
    if len(units) != 1 or not all(AMOUNT_HEADER.search(c) and UNIT_IN_HEADER.search(c) for c in headers):
        return None
    return units.pop()


def read_header_years(text: str, spec: TableSpec, fiscal_year: int | None) -> TableSpec | None:
    """Return the table's spec with its amount columns told by a second header row that names their years under
    one header across them: 「令和８年度　令和７年度」 under 「予算額（千円）」 of 「事業名　予算額（千円）　　概要」 (the
    header cell, then the empty cells it spans up to the next column of another kind). The document's year is the
    budget, the year before the prior; None for any other row, or where the years fall under no such header."""
    if spec.budget is None or spec.prior is not None or fiscal_year is None:
        return None
    cells = split_cells(text, spec.rule)
    if len(cells) > spec.width:
        return None
    roles = {spec.name, spec.change, spec.description, spec.number, spec.flag, spec.account}
    end = spec.budget + 1
    while end < spec.width and end not in roles:
        end += 1
    years = {i: read_header_year(cell, fiscal_year) for i, cell in enumerate(cells) if cell.strip()}
    if len(years) < 2 or min(years) < spec.budget or max(years) >= end \
            or not all(YEAR_HEADER.match(re.sub(r"\s+", "", cells[i])) for i in years):
        return None
    budget = next((i for i, year in years.items() if year == fiscal_year), None)
    prior = next((i for i, year in years.items() if year == fiscal_year - 1), None)
    if budget is None:
        return None
    return replace(spec, budget=budget, prior=prior, fiscal_year=fiscal_year,
                   prior_fiscal_year=fiscal_year - 1 if prior is not None else None)


def find_cell_rule(text: str) -> str:
    """Tell what parts a header row's cells: a Markdown table's pipes (``| 事業名 | 予算額 |``), tabs,
    or runs of spaces."""
    if PIPE_ROW.match(text):
        return "pipe"
    return "tab" if "\t" in text else "spaces"


MAX_HEADER_WORD: Final = 12  # characters: the longest word a header a space apart holds, 「令和6年度当初予算額」
# The header of a column naming the office in charge: "所管課", "担当課"
OFFICE_HEADERS: Final = ("所管課", "担当課", "所管", "担当", "課名")


def split_header_cell(cell: str) -> list[str]:
    """A header cell of a table parted by runs of spaces as the cells it holds: headers a single space apart,
    each a whole number's, name's or amount's header (「番号 事業名」, 「予算額(千円) 前年度(千円)」), are
    several; any other cell is one (「事業 概要」)."""
    words = cell.split()
    if len(words) > 1 and all(NUMBER_HEADER.match(w) or NAME_HEADER.match(w) or AMOUNT_HEADER.search(w)
                              or CHANGE_HEADER.match(w) or w == YEARS_ITEM_HEADER or w in OFFICE_HEADERS for w in words):
        return words  # 「前年度予算額 所管課」
    # 「区分 事業名 R7予算 R6予算 増減 国・県補助 備考」: a name's and amounts' headers a space apart, with those of
    # other columns, each a word, about them
    if len(words) > 2 and any(NAME_HEADER.match(w) for w in words) and any(AMOUNT_HEADER.search(w) for w in words) \
            and all(len(w) <= MAX_HEADER_WORD for w in words):
        return words
    return [cell]


def split_cells(text: str, rule: str) -> list[str]:
    """Return a row's cells, parted as ``rule`` says (see ``find_cell_rule``); parted by runs of spaces or tabs, a
    word set wide at the row's start is one cell (「合　　計　　1,823,630」: 「合計」, not 「合」 and 「計」)."""
    if rule == "pipe":
        return [cell.strip() for cell in text.strip()[1:-1].split("|")]
    cells = SPACED_RULE.split(text.strip()) if rule == "spaces" else text.split("\t")
    if rule == "spaces" and any(" " in cell for cell in cells):
        # 「1,204,330 1,138,900」: two figures a space apart (wide figures set close in their columns), two cells
        cells = [part for cell in cells for part in (cell.split() if FIGURES_APART.fullmatch(cell) else [cell])]
    tracked = 0
    while tracked < len(cells) and len(cells[tracked]) == 1 and not cells[tracked].isascii():
        tracked += 1
    return ["".join(cells[:tracked]), *cells[tracked:]] if tracked >= 2 else cells


def find_lone_cell(raw: str, text: str, spec: TableSpec) -> tuple[int, str] | None:
    """The column of a row's one cell, when it is the name's or the description's and the row's other cells are
    empty: the rest of that cell of the row above, wrapped onto a row of its own (「事業（医療分）\t\t」 under
    「地域医療介護総合確保基金\t500,000\t医療機関の施設整備等を支援」), or a group's name over the rows below
    (「【子育て支援】\t\t」, 「| 【子育て支援】 | | |」). A tab-parted row is read from its printed text (``raw``:
    its parse form loses the tabs it ends in), a Markdown one from its pipes; a row parted by spaces has no
    empty cells to tell, its one cell taken for the name's. Return the column and the cell's parse form."""
    if "\n" in raw:
        return None
    if spec.rule == "spaces":
        return (spec.name, text.strip()) if len(split_cells(text, "spaces")) == 1 else None
    cells = raw.split("\t") if spec.rule == "tab" else split_cells(text, "pipe") if PIPE_ROW.match(text) else []
    filled = [i for i, cell in enumerate(cells) if cell.strip()]
    if len(cells) < 2 or len(cells) > spec.width or len(filled) != 1 or filled[0] not in (spec.name, spec.description):
        return None
    return filled[0], to_parse_form(cells[filled[0]]).strip()


def find_rest_cells(raw: str, text: str, spec: TableSpec) -> tuple[str, str] | None:
    """The rests of a row's name and description, wrapped together onto a row of their own and no other cell
    filled (「整備支援事業　　　補助する。」 under 「障害者グループホーム　8,000　グループホームの整備を」): the name's
    cell and the description's, in their parse forms; None for any other row. A row parted by runs of spaces has
    no empty cells to tell, so two cells of no figure are taken for those two."""
    if "\n" in raw or spec.description is None or spec.description < spec.name:
        return None
    if spec.rule == "spaces":
        cells = split_cells(text, "spaces")
        if len(cells) != 2 or any(is_amount_cell(cell) for cell in cells):
            return None
        return cells[0].strip(), cells[1].strip()
    cells = raw.split("\t") if spec.rule == "tab" else split_cells(text, "pipe") if PIPE_ROW.match(text) else []
    filled = [i for i, cell in enumerate(cells) if cell.strip()]
    if len(cells) > spec.width or filled != [spec.name, spec.description]:
        return None
    return to_parse_form(cells[spec.name]).strip(), to_parse_form(cells[spec.description]).strip()


# A program's name alone filling a row of a table, its figures on the line below: "…事業(キャッチアップ接種)(拡)" (parse form)
NAME_ONLY_ROW: Final = re.compile(rf"(?:{join_alternatives(PROGRAM_NAME_ENDS)})(?:\([^()]*\))*$")
# A figure and a text cell after it, a mere space apart: "124,300 医療政策課" (parse form of "１２４，３００　医療政策課")
FIGURE_THEN_TEXT: Final = re.compile(rf"^([{NEGATIVE_MARKS}]?[0-9]{{1,3}}(?:,[0-9]{{3}})+|[-―]) ([^\s0-9{NEGATIVE_MARKS}]\S*)$")
# A cell of a row set apart by runs of white space, single spaces inside it: "地域包括支援センター運営事業",
# "令和７年度予算額", "センターを1か所増設" (the printed text: a full-width space is one character)
SPACED_CELL: Final = re.compile(r"\S+(?:\s\S+)*")
WIDE_WIDTHS: Final = "WF"  # East Asian widths drawn two columns wide (漢字, かな, full-width forms)
WORD: Final = re.compile(r"\S+")  # a header's word: "予算額(千円)" of "予算額(千円) 前年度(千円)"


def count_columns(raw: str, wide: bool) -> list[int]:
    """The column each character of a printed line starts at, and the one after the last: a character a column, or
    with ``wide`` a wide character (漢字, full-width forms) two."""
    columns = [0]
    for ch in raw:
        columns.append(columns[-1] + (2 if wide and unicodedata.east_asian_width(ch) in WIDE_WIDTHS else 1))
    return columns


def find_cell_spans(raw: str, wide: bool, pattern: re.Pattern[str] = SPACED_CELL) -> list[tuple[int, int, str]]:
    """A row's cells parted by runs of white space (or the runs ``pattern`` finds), each with the column it starts
    at and the one after its end (``count_columns``)."""
    columns = count_columns(raw, wide)
    return [(columns[m.start()], columns[m.end()], m.group()) for m in pattern.finditer(raw)]


def find_column_starts(raw: str, width: int) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The column each of a header's ``width`` cells starts at, counted both ways (``find_cell_spans``); its words
    each a cell where its cells a mere space apart are (「予算額(千円) 前年度(千円)」); None when neither gives
    ``width`` cells."""
    found = []
    for wide in (False, True):
        spans = find_cell_spans(raw, wide)
        if len(spans) != width:
            spans = find_cell_spans(raw, wide, WORD)
        if len(spans) != width:
            return None
        found.append(tuple(start for start, _, _ in spans))
    return found[0], found[1]


def place_cells(raw: str, spec: TableSpec, count: str) -> list[str] | None:
    """A row's cells put in the columns of the header they stand under, counted ``count`` ("narrow" or "wide"),
    each empty column an empty cell: a figure (set right or centred) under the column its middle stands in, text
    (set left) under the one it starts in. None when two cells fall in one column."""
    if spec.starts is None:
        return None
    starts = spec.starts[count == "wide"]
    cells = [""] * spec.width
    for start, end, text in find_cell_spans(raw, count == "wide"):
        figure = is_amount_cell(to_parse_form(text)) or text in NONE_CELLS
        at = (start + end) / 2 if figure else start
        column = max((i for i, s in enumerate(starts) if s <= at), default=0)
        if cells[column]:
            return None
        cells[column] = text
    return cells


def check_placement(raw: str, cells: list[str], spec: TableSpec) -> TableSpec:
    """The spec of a table parted by runs of spaces, told by a whole row (``cells``, one under each header cell) how
    its rows are set: the count (``place_cells``) under which the row's cells stand in their columns, kept while every
    whole row agrees with it; no count once one does not (cells not set under their headers: none is placed)."""
    if spec.starts is None:
        return spec
    agree = [count for count in ("narrow", "wide")
             if (placed := place_cells(raw, spec, count)) is not None
             and [to_parse_form(c).strip() for c in placed] == [c.strip() for c in cells]]
    if spec.placed is None and agree:
        return replace(spec, placed=agree[-1])
    if spec.placed is not None and spec.placed not in agree:
        return replace(spec, starts=None, placed=None)
    return spec


def is_row_line(text: str, spec: TableSpec) -> bool:
    """Tell whether a line can be a row of the table: it has cells as the header has them."""
    if spec.rule == "pipe":
        return bool(PIPE_ROW.match(text))
    if spec.single and split_single_spaced(text, spec) is not None:
        return True
    return len(SPACED_RULE.split(text.strip())) >= 2 if spec.rule == "spaces" else "\t" in text


def read_flag_cell(cell: str, spec: TableSpec) -> tuple[str, ...]:
    """Return the flags a flag column's cell gives: 「新」 or 「新規」 under 「新規」, 「○」 for the
    header's own flag; an empty or other cell gives none."""
    text = re.sub(r"\s+", "", cell)
    if not text or spec.flag_word is None:
        return ()
    if text in YES_MARKS:
        return (spec.flag_word,)
    word = canonicalize_flag(text)
    return (word,) if word else ()


def read_flag_words(cells: list[str], spec: TableSpec) -> tuple[str, ...]:
    """Return the flags of the cells no header gave a meaning that hold a flag word and nothing
    else, 「新規」 and 「拡充」 under 「区分」, or open with flag words parted from the rest, 「新規・国10/10」 under 「備考」."""
    named = {spec.name, spec.budget, spec.prior, spec.change, spec.description, spec.number, spec.flag, spec.account,
             spec.rate}
    flags: list[str] = []
    for i, cell in enumerate(cells):
        if i in named or not cell.strip():
            continue
        for part in FLAG_CELL_PARTS.split(re.sub(r"\s+", "", cell)):
            flag = canonicalize_flag(part)
            if flag is None:
                break
            flags.append(flag)
    return tuple(flags)


# What parts the flag words a cell opens with from each other and from the rest: "・" of "新規・国10/10"
FLAG_CELL_PARTS: Final = re.compile(r"[・、,/]")


def strip_department_tag(name: str) -> str:
    """Return a program's name without the department tag printed after it:
    「学校給食支援金給付事業1【学校支援課】」 → 「学校給食支援金給付事業」."""
    stripped = DEPARTMENT_TAG.sub("", name).strip()
    return stripped or name


def is_amount_cell(cell: str) -> bool:
    """Tell whether a cell holds one amount, bare (``AMOUNT_CELL``) or with its unit (``MONEY_CELL``)."""
    return AMOUNT_CELL.match(cell) is not None or MONEY_CELL.match(cell) is not None


def read_amount_cell(cell: str, unit: str | None) -> Budget | None:
    """Return a cell's amount in the table's unit, or in its own (「12,345千円」), or None (no unit stated, no
    amount, not whole yen)."""
    if MONEY_CELL.match(cell.strip()) and (amount := read_amount(cell.strip())) is not None:
        return Budget(amount.yen, amount.unit, to_display_form(cell.strip()))
    m = AMOUNT_CELL.match(cell.strip())
    if not m or unit is None:
        return None
    value = compute_yen(m["number"] + unit.removesuffix(YEN))
    if value is None:
        return None
    yen = -value[0] if m["sign"] else value[0]
    return Budget(yen, unit, to_display_form(cell.strip()))


def is_out_of_place(cell: str) -> bool:
    """Tell whether a cell under a column of figures holds what no such column holds: text, neither an amount, a
    mark of none (「―」) nor a flag (「新規」, which a previous year's column of a new program may print), and
    not opening with one (「0 就農初年度の経費を補助」: the column's figure, run into the next cell's text)."""
    text = cell.strip()
    first = text.split(maxsplit=1)[0] if text else ""
    return bool(text) and not any(is_amount_cell(part) or part in NONE_CELLS or canonicalize_flag(part)
                                  for part in (text, first))


def read_row(text: str, spec: TableSpec, raw: str | None = None) -> TableRow | None:
    """Return the program a row under ``spec`` gives, or None when the row is not one (a total, a note). A row
    parted by runs of spaces with fewer cells than the header is read by where its cells stand (``place_cells``),
    once whole rows have shown the table's cells set under their headers; one parted by tabs, by its cells in order,
    the empty ones it ends in lost, unless text stands under a column of figures (an empty cell lost before: where
    its figures stand goes untold, as a PDF's table copied out loses the cells it leaves empty)."""
    cells = split_cells(text, spec.rule)
    if spec.rule == "tab" and spec.budget is not None and spec.budget < len(cells) < spec.width:
        cells += [""] * (spec.width - len(cells))  # the empty cells it ends in, which its text lost with its end
        if any(is_out_of_place(cells[index]) for index in (spec.prior, spec.change) if index is not None):
            return None  # 「5	介護予防普及啓発事業	5,000	△5,000	他の事業に統合」: an empty cell lost before its end
    if spec.rule == "spaces" and len(cells) < spec.width and any(FIGURE_THEN_TEXT.match(c) for c in cells):
        # 「124,300 医療政策課」: a figure and the next cell a mere space apart (a full-width space between them)
        split = [part for c in cells for part in split_figure_then_text(c)]
        if len(split) == spec.width:
            cells = split
    if spec.rule == "spaces" and len(cells) < spec.width and spec.placed is not None and raw is not None \
            and "\n" not in raw and (placed := place_cells(raw, spec, spec.placed)) is not None:
        cells = [to_parse_form(cell) for cell in placed]  # 「3　介護予防普及啓発事業　5,000　　　　△5,000」
    if spec.single and len(cells) < spec.width:
        cells = split_single_spaced(text, spec) or cells  # 「新 高齢者聴こえ支援事業 3,600 0 3,600」
    if spec.rule == "spaces" and len(cells) == spec.name + 1 and NAME_ONLY_ROW.search(cells[-1]):
        cells += [""] * (spec.width - len(cells))  # 「4　HPVワクチン接種促進事業（キャッチアップ接種）（拡）」: its figures below
    if spec.rule == "spaces" and spec.width - spec.text_after <= len(cells) < spec.width and is_amount_cell(cells[-1].strip()):
        cells += [""] * (spec.width - len(cells))  # 「…事業　1,254,300　△312,000　942,300」 under 「… 補正後　備考」
    if len(cells) != spec.width and not (spec.funding_last and len(cells) > spec.width):
        return None
    name = strip_department_tag(to_display_form(cells[spec.name]))
    if not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", name):
        return None
    # (a funding's cell, last under 「財源内訳」 over its parts, holds several figures: 「0 50,000 0 141,174」)
    checked = cells[:-1] if spec.funding_last else cells
    if spec.rule == "tab" and any(FIGURES_APART.fullmatch(c.strip()) for c in checked) \
            and (spec.budget is None or not FIGURES_APART.fullmatch(cells[spec.budget].strip())):
        # 「生活困窮者自立支援事業\t\t212,400\t△36,200 176,200」: two columns' figures in one cell, the row's cells out of
        # their columns (a PDF's runs set under no header): which figure is whose goes untold
        cells = [c if i in (spec.name, spec.number, spec.flag, spec.description) else "" for i, c in enumerate(cells)]
    budget_cell = cells[spec.budget].strip() if spec.budget is not None else ""
    if budget_cell in NONE_CELLS:
        budget_cell = ""  # 「―」: none this year (a program ended), the row a program all the same
    if budget_cell and not is_amount_cell(budget_cell):
        return None

    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    return TableRow(
        name=name,
        number=cell(spec.number).strip() or None,
        budget=read_amount_cell(budget_cell, spec.unit),
        prior=read_amount_cell(cell(spec.prior), spec.unit),
        change=read_amount_cell(cell(spec.change).strip().removeprefix("+"), spec.unit),  # 「＋4,100千円」: an increase
        description=to_display_form(cell(spec.description)) or None,
        budget_text=budget_cell or None,
        flags=read_flag_cell(cell(spec.flag), spec) + read_flag_words(cells, spec),
        account=read_account_cell(cell(spec.account)),
        rate_text=to_display_form(cell(spec.rate)) or None,
        before=read_amount_cell(cell(spec.before), spec.unit),
        after=read_amount_cell(cell(spec.after), spec.unit),
    )


def split_figure_then_text(cell: str) -> tuple[str, ...]:
    """A cell as the figure and the text cell a mere space after it it holds (「124,300 医療政策課」), or as itself."""
    m = FIGURE_THEN_TEXT.match(cell)
    return (m[1], m[2]) if m else (cell,)


def split_single_spaced(text: str, spec: TableSpec) -> list[str] | None:
    """A row of a table parted by single spaces (``TableSpec.single``) as its cells: a word for each column before the
    name's, then the name's words up to the figures, a word each (a figure, or a mark of none, 「―」), then a word for
    each column of text after them but the last, which takes the rest (「拡 長寿・健康増進事業補助金 142,000 128,500 13,500
    0 1人あたり上限4,000円」; 「新 高齢者聴こえ支援事業 3,600 0 3,600」 under 「区分 R7予算 R6予算 増減」: 「新 高齢者聴こえ支援事業」,
    「3,600」, 「0」, 「3,600」). None when the row has no such figures."""
    words = text.split()
    figures = spec.width - spec.name - 1 - spec.text_after
    for at in range(spec.name + 1, len(words) - figures + 1):
        if all(is_amount_cell(w) or w in NONE_CELLS for w in words[at:at + figures]) and not is_amount_cell(words[at - 1]):
            rest = words[at + figures:]
            if len(rest) > spec.text_after and spec.text_after == 0 or len(rest) < spec.text_after - 1:
                return None
            tail = [*rest[:spec.text_after - 1], " ".join(rest[spec.text_after - 1:])] if spec.text_after else []
            return [*words[:spec.name], " ".join(words[spec.name:at]), *words[at:at + figures], *tail]
    return None


def read_account_cell(cell: str) -> tuple[str | None, str | None, str | None] | None:
    """Return the 款, 項 and 目 names an account cell prints (None for a level it leaves out), or
    None when the cell is empty or not of that form: 「4衛生費1)保健衛生費(6)環境衛生費」."""
    m = ACCOUNT_CELL.match(re.sub(r"\s+", "", NARROW.apply(to_display_form(cell))))
    if not m or not any(m.group(g) for g in ("kan", "kou", "moku")):
        return None
    return tuple(to_display_form(m[g]) if m[g] else None for g in ("kan_name", "kou_name", "moku_name"))  # type: ignore[return-value]


def merge_account(above: tuple[str | None, str | None, str | None],
                  row: tuple[str | None, str | None, str | None]) -> tuple[str | None, str | None, str | None]:
    """Return a row's 款, 項 and 目: those it prints, the higher levels it leaves out taken from the
    row above (a row naming a new 項 keeps the 款 above, and so on)."""
    first = next(i for i, name in enumerate(row) if name)
    return tuple(above[i] if i < first else row[i] for i in range(3))  # type: ignore[return-value]


def read_title_flag(title: str) -> str | None:
    """Return the flag a table's title gives all its rows: 「…主な新規事業」 → 新規; none from a legend of several
    (「凡例 (新):新規事業 (拡):拡充事業 (縮):縮小事業」)."""
    m = FLAGGED_TITLE.search(title)
    return m["flag"] if m and len(FLAGGED_TITLE_WORD.findall(title)) == 1 else None
