"""Japanese language helpers built on SudachiPy (dictionary loaded once per process).

Input: strings. Output: tokens, name keys and yes/no answers about lines.
Amounts are never taken from here: Sudachi joins numbers (``236,194千`` → ``236194000``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

from sudachipy import Dictionary, SplitMode
from sudachipy.errors import SudachiError

from .forms import CHINESE_TO_JAPANESE, FORMAT_CATEGORY, SPACES
from .vocab import LIST_DOT


@functools.lru_cache(maxsize=1)
def get_tokenizer():
    """Return the process-wide Sudachi tokenizer (the dictionary is loaded on first use)."""
    return Dictionary().tokenizer()


Token = tuple[str, str, str, str]

# Sudachi takes at most 49,149 bytes at a time (fewer when its own normalization lengthens the
# text: "Input is too long, it can't be more than 49149 bytes"). Longer text is tokenized in
# pieces of at most this many characters (4 bytes each at most), each cut after a space or a
# punctuation mark in its second half where there is one, so a word is rarely cut in two.
MAX_PIECE: Final = 8192
# Where a piece may end: after white space or "、。，．,.・" ("…の推進に向けた取組、" / "…").
PIECE_END: Final = re.compile(rf"[\s、。，．,.{LIST_DOT}]")


@functools.lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple[Token, ...]:
    """Return (surface, part of speech, normalized form, conjugation form) per token, split mode C.

    Text of any length: the surfaces of the tokens always join to ``text``.
    """
    return tuple(token for piece in split_for_tokenizer(text) for token in tokenize_piece(piece))


def split_for_tokenizer(text: str) -> list[str]:
    """Cut ``text`` into pieces of at most ``MAX_PIECE`` characters (see there)."""
    pieces = []
    start = 0
    while len(text) - start > MAX_PIECE:
        end = start + MAX_PIECE
        cut = end
        for match in PIECE_END.finditer(text, start + MAX_PIECE // 2, end):
            cut = match.end()
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def tokenize_piece(piece: str) -> list[Token]:
    """Tokenize one piece; a piece Sudachi still finds too long (its normalization lengthened it) is halved."""
    try:
        morphemes = get_tokenizer().tokenize(piece, SplitMode.C)
    except SudachiError as exc:
        if "too long" not in str(exc) or len(piece) < 2:
            raise
        half = len(piece) // 2
        return tokenize_piece(piece[:half]) + tokenize_piece(piece[half:])
    return [(m.surface(), m.part_of_speech()[0], m.normalized_form(), m.part_of_speech()[5]) for m in morphemes]


# The Unicode categories of characters that are no part of a name's key: marks that sit on the
# character before them (combining accents U+0301, enclosing marks U+20DD, variation selectors
# U+FE00 and U+E0100: "葛" with its glyph chosen), and those that print nothing (U+200B, U+202E).
KEYLESS_CATEGORIES: Final = {"Mn", "Me", FORMAT_CATEGORY}


def drop_marks(text: str) -> str:
    """Return ``text`` without combining marks, variation selectors and format characters."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in KEYLESS_CATEGORIES)


@functools.lru_cache(maxsize=4096)
def compute_name_key(name: str) -> str:
    """Return the Sudachi normalized form of a program name, without spaces or marks (a name is keyed by
    several stages: the program, its section, its list and page; the keys of the last few documents are kept).

    ``ＡＣＰ推進事業`` and ``ACP推進事業`` both give ``acp推進事業``; ``在\u0301宅療養研修事業``
    (a stray combining accent) gives ``在宅療養研修事業``, and so does ``在\u200b宅療養研修事業``;
    a simplified-Chinese form is read as its Japanese character, as in the parse form; brackets
    and signs are read in their compatibility form (``下水道事業（補助）`` and ``下水道事業(補助)`` are one key).
    """
    compact = CHINESE_TO_JAPANESE.apply(unicodedata.normalize("NFKC", drop_marks(SPACES.sub("", name))))
    if not compact:
        return ""
    return "".join(
        norm if pos in KEY_POS else surface.lower()
        for surface, pos, norm, _ in tokenize(compact)
        if pos != "空白"
    )


# Content words take Sudachi's normalized form in a name key; particles and verbs keep
# their surface (Sudachi writes おける as おくり).
KEY_POS: Final = {"名詞", "接頭辞", "接尾辞", "代名詞", "形状詞"}


# Parts of speech that cannot start a line of Japanese prose.
CONTINUATION_POS: Final = {"助詞", "助動詞", "接尾辞"}
# Parts of speech that cannot end a line of Japanese prose.
DANGLING_POS: Final = {"助詞", "接頭辞"}
# Verb-like parts of speech whose attributive or continuative form cannot end a sentence.
VERB_POS: Final = {"動詞", "助動詞", "形容詞"}
# Phrases that qualify the noun on the next line: "…地域BCP策定等在宅医療における" / "災害対応体制…".
# (A verb's attributive form is not used: "…の強化を図る" ends a sentence as often as not.)
ATTRIBUTIVE_END: Final = re.compile(r"(?:における|に関する|に対する|による|に係る|に向けた|のための|に伴う|に基づく|を活用した)$")
JAPANESE: Final = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# Punctuation makes prose or a list, not a heading: "研修テーマ：7～9月「呼吸器疾患」", "…の開催 等"
NOT_HEADING: Final = re.compile(r"[、。,，／/:：\t]|等$")
WINDOW: Final = 8


def is_wrapped(prev: str, nxt: str) -> bool:
    """Tell whether ``nxt`` continues ``prev`` across a line break inside a sentence or word.

    The two ends are tokenized together, so each token is read in its context. True when a
    Sudachi token spans the break (``整`` / ``備``); when ``nxt`` opens with a particle,
    auxiliary or suffix (``…医療従事者`` / ``が安心して…``); when ``prev`` ends on a comma,
    a middle dot, a particle or a prefix (``…地域の`` / ``仕組み作り``, ``…医療・`` /
    ``介護関係者…``); or when it ends on a phrase that needs a noun after it or on a
    continuative verb form (``…在宅医療における`` / ``災害対応体制…``, ``…強化し`` / ``…``).
    """
    prev = prev.rstrip()
    nxt = nxt.lstrip()
    if not prev or not nxt:
        return False
    if not (JAPANESE.search(prev[-1]) or JAPANESE.search(nxt[0])):
        return False
    if prev.endswith(("、", ",", LIST_DOT)):
        return True
    left = prev[-WINDOW:]
    boundary = len(left)
    before = after = None
    offset = 0
    for token in tokenize(left + nxt[:WINDOW]):
        end = offset + len(token[0])
        if offset < boundary < end:
            return True
        if end == boundary:
            before = token
        if offset == boundary:
            after = token
        offset = end
    # In context a particle is told apart from a conjunction ("…医療従事者" / "が安心して…");
    # a suffix is judged on the next line alone, since in context a noun's first character
    # is easily taken for one ("…の開催" / "区市町村…").
    if after is not None and after[1] in {"助詞", "助動詞"}:
        return True
    head = tokenize(nxt[:WINDOW])
    if head and head[0][1] in CONTINUATION_POS and head[0][0] != "等":
        return True
    if before is not None and before[1] in DANGLING_POS and before[0] != "等":
        return True
    if ATTRIBUTIVE_END.search(prev):
        return True
    return before is not None and before[1] in VERB_POS and before[3].startswith("連用形")


@functools.lru_cache(maxsize=4096)
def is_heading_like(text: str, max_chars: int = 30) -> bool:
    """Tell whether a line reads as a heading rather than prose (asked of a line by several rules:
    answers kept for the lines of the last few documents).

    A heading is short, has no 、 or 。, opens with neither a particle nor a digit,
    and ends on a noun: ``地域における在宅療養体制の確保``, ``ＡＣＰに関する取組``.
    """
    compact = SPACES.sub("", text)
    if not compact or len(compact) > max_chars:
        return False
    if NOT_HEADING.search(compact) or compact[0].isdigit():
        return False
    if not JAPANESE.search(compact):
        return False
    tokens = [t for t in tokenize(compact) if t[1] != "空白"]
    if not tokens:
        return False
    if tokens[0][1] in CONTINUATION_POS:
        return False
    last = tokens[-1]
    if last[1] == "補助記号" and last[0] in {")", "）", "」"} and len(tokens) > 1:
        return True
    return last[1] in {"名詞", "接尾辞"} and last[0] not in {"等"}
